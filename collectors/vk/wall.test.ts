import test from 'ava';
import { withServer } from '../base/test-server.js';
import type { VkWallCursor } from './schema.js';
import { calls, FakeWall, fileReply, generatedPosts, ids, makeCollector, pass, storedCursor, wallRoutes } from './test-support.js';

const FIRST_PASS_POSTS = ['-201234567_12', '-201234567_131', '-201234567_130', '-201234567_129', '-201234567_128', '-201234567_127', '-201234567_126', '-201234567_125', '-201234567_124'];
const COMMENTS_131 = ['-201234567_131_c501', '-201234567_131_c505', '-201234567_131_c504'];

const wall = new FakeWall();

test('full pass: every post of the wall, then the comments of recent posts', withServer, wallRoutes(wall, { 131: 'comments-131.json' }), async (t, server) => {
  const outcome = await pass(makeCollector(server));
  t.deepEqual(ids(outcome), [...FIRST_PASS_POSTS, ...COMMENTS_131]);
  t.deepEqual(outcome.skipped, []);
  // Pages of 3 overlapping by one post, down to the end of the wall.
  t.deepEqual(calls(server, 'wall.get').map((c) => c.offset), ['0', '2', '4', '6']);
  t.is(calls(server, 'wall.get')[0]?.owner_id, '-201234567');
  // Only the post with comments is asked; posts older than 72 h are not tracked.
  t.deepEqual(calls(server, 'wall.getComments').map((c) => c.post_id), ['131']);
  const cursor = outcome.cursor as VkWallCursor;
  t.is(cursor.newestId, 131);
  t.is(cursor.pending, null);
  t.deepEqual(Object.keys(cursor.comments).sort(), ['127', '128', '129', '130', '131']);
  t.deepEqual(cursor.comments['131'], { date: 1763630100, lastId: 504, read: 3, count: 4 });
});

test('post fields: repost text, geo, attachments, author, date', withServer, wallRoutes(wall), async (t, server) => {
  const outcome = await pass(makeCollector(server, { comments: { enabled: false } }));
  const byId = new Map(outcome.items.map((i) => [i.input.id, i]));

  const pothole = byId.get('-201234567_131');
  t.is(pothole?.input.url, 'https://vk.com/wall-201234567_131');
  t.is(pothole?.input.published_at, '2025-11-20T09:15:00.000Z');
  t.is(pothole?.input.author, 'Ольга Кузнецова (id402100001)', 'signer of a community post is the author');
  t.deepEqual(pothole?.input.location, { lat: 56.317534, lon: 44.006617, address: 'Большая Покровская улица, 12' });
  t.true(pothole?.input.text.includes('ограждения нет.\nВечером'), 'line breaks kept');
  const potholeRaw = pothole?.raw as { post: { id: number }; media: { type: string; url: string }[] };
  t.is(potholeRaw.post.id, 131, 'the payload as received');
  t.deepEqual(potholeRaw.media, [{ type: 'photo', url: 'https://sun9-15.userapi.com/impg/yama_pokrovka/w.jpg?size=2560x1920' }]);

  const repost = byId.get('-201234567_130');
  t.is(repost?.input.text.split('\n\n')[0], 'Опять! Третий раз за месяц.');
  t.true(repost?.input.text.includes('нет холодной воды на улице Героя Прохорова'));
  t.is(repost?.input.author, 'Игорь Васильев (id402100002)');
  t.deepEqual(repost?.input.location, { lat: 56.236102, lon: 43.860448, address: 'улица Героя Прохорова' }, 'geo of the reposted post');
  const repostRaw = repost?.raw as { repostOf: unknown; media: unknown };
  t.deepEqual(repostRaw.repostOf, [{ owner_id: -55566677, id: 4410, url: 'https://vk.com/wall-55566677_4410' }]);
  t.deepEqual(repostRaw.media, [{ type: 'link', url: 'https://www.nnov.kp.ru/online/news/avariya-vodoprovod/', title: 'Авария на водопроводе в Автозаводском районе' }]);

  t.true(byId.get('-201234567_129')?.input.text.endsWith('УК «Сормовская», когда уберёте?'), 'mention markup resolved to the name');

  const photoOnly = byId.get('-201234567_128');
  t.is(photoOnly?.input.text, '', 'a photo without text is still an item');
  t.is((photoOnly?.raw as { media: unknown[] }).media.length, 1);

  t.deepEqual((byId.get('-201234567_127')?.raw as { media: unknown }).media, [
    { type: 'video', url: 'https://vk.com/video402100005_456239017', title: 'Ямы на Московском шоссе' },
    { type: 'doc', url: 'https://vk.com/doc402100005_674500112?hash=5e1f0c2a9b&dl=1&api=1', title: 'zayavlenie_dorogi.pdf' },
  ]);
  t.deepEqual((byId.get('-201234567_126')?.raw as { media: unknown }).media, [{ type: 'poll', url: 'https://vk.com/poll-201234567_900123456', title: 'Чистят ли снег у вас во дворе?' }]);
  t.is(byId.get('-201234567_126')?.input.author, 'Жалобы Нижнего Новгорода (club201234567)');
});

const secondWall = new FakeWall();
test('second pass returns only the new posts', withServer, wallRoutes(secondWall, { 131: 'comments-131.json' }), async (t, server) => {
  const collector = makeCollector(server);
  const first = await pass(collector);
  secondWall.publish('wall-new.json');
  server.requests.length = 0;
  const second = await pass(collector, first.cursor);
  t.deepEqual(ids(second), ['-201234567_133', '-201234567_132']);
  t.is((second.cursor as VkWallCursor).newestId, 133);
  // The comment count of post 131 did not change: it is not asked again.
  t.deepEqual(calls(server, 'wall.getComments'), []);
  const third = await pass(collector, second.cursor);
  t.deepEqual(ids(third), [], 'nothing new, nothing returned');
});

const restartWall = new FakeWall();
test('a restart resumes from the stored cursor', withServer, wallRoutes(restartWall, { 131: 'comments-131.json' }), async (t, server) => {
  const first = await pass(makeCollector(server));
  restartWall.publish('wall-new.json');
  const restarted = makeCollector(server);
  const cursor = storedCursor(restarted, first.cursor);
  t.not(cursor, null);
  const outcome = await pass(restarted, cursor);
  t.deepEqual(ids(outcome), ['-201234567_133', '-201234567_132']);
});

const pinnedWall = new FakeWall();
test('an old pinned post at the top does not stop paging', withServer, wallRoutes(pinnedWall), async (t, server) => {
  const collector = makeCollector(server, { comments: { enabled: false } });
  const first = await pass(collector);
  // Three new posts: the first page is [pinned #12, #134, #133]; #12 is far below the cursor.
  pinnedWall.publishItems(generatedPosts(132, 134, 1763635000));
  const second = await pass(collector, first.cursor);
  t.deepEqual(ids(second), ['-201234567_134', '-201234567_133', '-201234567_132']);
  t.is((second.cursor as VkWallCursor).pending, null);
});

test('a malformed post is skipped and the rest of the page kept', withServer, { '/method/wall.get': fileReply('wall-malformed.json') }, async (t, server) => {
  const outcome = await pass(makeCollector(server, { comments: { enabled: false } }));
  t.deepEqual(ids(outcome), ['-201234567_141', '-201234567_140']);
  t.is(outcome.skipped.length, 1);
  t.is(outcome.skipped[0]?.reason, 'invalid-post');
  t.regex(outcome.skipped[0]?.detail ?? '', /id/);
});

test('the first pass stops at maxPages', withServer, wallRoutes(new FakeWall()), async (t, server) => {
  const outcome = await pass(makeCollector(server, { maxPages: 2, comments: { enabled: false } }));
  t.deepEqual(ids(outcome), FIRST_PASS_POSTS.slice(0, 5));
  t.is(calls(server, 'wall.get').length, 2);
  t.is((outcome.cursor as VkWallCursor).newestId, 131);
});

const outageWall = new FakeWall();
test('a long outage: catch-up is bounded per pass and the rest is read on the next passes', withServer, wallRoutes(outageWall), async (t, server) => {
  const collector = makeCollector(server, { maxCatchUpPages: 2, comments: { enabled: false } });
  let outcome = await pass(collector);
  outageWall.publishItems(generatedPosts(140, 147, 1763635000));
  const perPass: string[][] = [];
  const pendings: unknown[] = [];
  for (let i = 0; i < 6; i++) {
    // Two more posts arrive while the backlog is being read: the backlog has moved down the wall.
    if (i === 1) outageWall.publishItems(generatedPosts(148, 149, 1763635000));
    outcome = await pass(collector, storedCursor(collector, outcome.cursor));
    perPass.push(ids(outcome).map((id) => id.replace('-201234567_', '')));
    pendings.push((outcome.cursor as VkWallCursor).pending);
  }
  t.deepEqual(perPass, [['147', '146', '145', '144'], ['149', '148'], ['143', '142'], ['141', '140'], [], []], 'every post once, none lost');
  t.deepEqual(pendings[0], { afterId: 131, beforeId: 144, offset: 4, total: 17 });
  t.deepEqual(pendings.slice(4), [null, null], 'the backlog is closed once its lower edge is seen');
  t.is((outcome.cursor as VkWallCursor).newestId, 149);
});

const domainWall = new FakeWall();
test('a wall by domain learns its owner id from the posts', withServer, wallRoutes(domainWall, { 131: 'comments-131.json' }), async (t, server) => {
  const collector = makeCollector(server, { ownerId: undefined, domain: 'https://vk.com/zhaloby_nn' });
  const outcome = await pass(collector);
  t.is(calls(server, 'wall.get')[0]?.domain, 'zhaloby_nn');
  t.is((outcome.cursor as VkWallCursor).ownerId, -201234567);
  t.deepEqual(calls(server, 'wall.getComments')[0]?.owner_id, '-201234567');
  t.is(collector.parseCursor({ ...outcome.cursor, wall: 'owner:-1' }), null, 'a cursor of another wall is not used');
});
