import test from 'ava';
import { withServer } from '../base/test-server.js';
import type { VkWallCursor } from './schema.js';
import { calls, FakeWall, fileReply, ids, makeCollector, pass, wallRoutes } from './test-support.js';

test('comments become items of their own', withServer, wallRoutes(new FakeWall(), { 131: 'comments-131.json' }), async (t, server) => {
  const outcome = await pass(makeCollector(server));
  const comments = outcome.items.filter((i) => i.input.id.includes('_c'));
  t.deepEqual(
    comments.map((c) => [c.input.id, c.input.url, c.input.author, c.input.published_at]),
    [
      ['-201234567_131_c501', 'https://vk.com/wall-201234567_131?reply=501', 'Сергей Орлов (id402100020)', '2025-11-20T09:25:00.000Z'],
      ['-201234567_131_c505', 'https://vk.com/wall-201234567_131?reply=505&thread=501', 'Ольга Кузнецова (id402100001)', '2025-11-20T09:43:20.000Z'],
      ['-201234567_131_c504', 'https://vk.com/wall-201234567_131?reply=504', 'Ирина Павлова (id402100021)', '2025-11-20T09:38:20.000Z'],
    ],
    'the deleted comment 502 is left out',
  );
  t.is(comments[0]?.input.text, 'Там же вчера машина колесо пробила, фото есть. Нужно писать в администрацию через Госуслуги, так быстрее.');
  const raw = comments[2]?.raw as { comment: { id: number }; post: unknown; media: { type: string }[] };
  t.is(raw.comment.id, 504);
  t.deepEqual(raw.post, { owner_id: -201234567, id: 131, url: 'https://vk.com/wall-201234567_131' });
  t.is(raw.media[0]?.type, 'photo');
  const request = calls(server, 'wall.getComments')[0];
  t.like(request, { owner_id: '-201234567', post_id: '131', offset: '0', sort: 'asc', thread_items_count: '10', extended: '1' });
});

const wall = new FakeWall();
const commentFiles: Record<number, string> = { 131: 'comments-131.json' };
test('the second pass returns only the new comments', withServer, wallRoutes(wall, commentFiles), async (t, server) => {
  const collector = makeCollector(server);
  const first = await pass(collector);
  commentFiles[131] = 'comments-131-more.json';
  wall.setCommentCount(131, 6);
  const second = await pass(collector, first.cursor);
  t.deepEqual(ids(second), ['-201234567_131_c510', '-201234567_131_c511']);
  t.is(second.items[1]?.input.author, 'Жалобы Нижнего Новгорода (club201234567)');
  t.deepEqual((second.cursor as VkWallCursor).comments['131'], { date: 1763630100, lastId: 511, read: 5, count: 6 });
});

test('posts leave the comment window', withServer, wallRoutes(new FakeWall(), { 131: 'comments-131.json' }), async (t, server) => {
  const collector = makeCollector(server);
  const first = await pass(collector);
  // Four days later every post is older than 72 hours: nothing is tracked or asked any more.
  const laterCollector = makeCollector(server, {}, undefined, Date.parse('2025-11-24T12:00:00Z'));
  server.requests.length = 0;
  const second = await pass(laterCollector, first.cursor);
  t.deepEqual(ids(second), []);
  t.deepEqual((second.cursor as VkWallCursor).comments, {});
  t.deepEqual(calls(server, 'wall.getComments'), []);
});

const capWall = new FakeWall();
test('comments beyond maxPerPost are read on the next pass', withServer, wallRoutes(capWall, { 131: 'comments-131.json' }), async (t, server) => {
  const collector = makeCollector(server, { comments: { maxPerPost: 2 } });
  const first = await pass(collector);
  t.deepEqual(ids(first).filter((id) => id.includes('_c')), ['-201234567_131_c501', '-201234567_131_c505']);
  t.deepEqual((first.cursor as VkWallCursor).comments['131'], { date: 1763630100, lastId: 501, read: 1, count: -1 });
  const second = await pass(collector, first.cursor);
  t.deepEqual(ids(second), ['-201234567_131_c504']);
  t.is((second.cursor as VkWallCursor).comments['131']?.count, 4, 'all read: the count is remembered');
});

test('a post whose comments are closed is dropped, the pass goes on', withServer, wallRoutes(new FakeWall(), { 131: fileReply('errors/error-212.json') }), async (t, server) => {
  const outcome = await pass(makeCollector(server));
  t.is(outcome.items.length, 9, 'all posts kept');
  const cursor = outcome.cursor as VkWallCursor;
  t.is(cursor.comments['131'], undefined);
  t.truthy(cursor.comments['130']);
});

const quotaWall = new FakeWall();
const quotaComments: Record<number, ReturnType<typeof fileReply> | string> = { 131: fileReply('errors/error-29.json') };
test('the comments quota (error 29) stops comments only; they are read on a later pass', withServer, wallRoutes(quotaWall, quotaComments), async (t, server) => {
  const collector = makeCollector(server);
  const first = await pass(collector);
  t.is(first.items.length, 9, 'posts are not held back by the comments quota');
  t.deepEqual((first.cursor as VkWallCursor).comments['131'], { date: 1763630100, lastId: 0, read: 0, count: -1 }, 'tracker not advanced');
  quotaComments[131] = 'comments-131.json';
  const second = await pass(collector, first.cursor);
  t.deepEqual(ids(second), ['-201234567_131_c501', '-201234567_131_c505', '-201234567_131_c504']);
});
