import test from 'ava';
import { withServer } from '../base/test-server.js';
import type { VkSearchCursor } from './schema.js';
import { calls, fileReply, fixtureJson, ids, json, makeCollector, pass, storedCursor, type Json } from './test-support.js';

const search = { q: 'нет отопления Сормово', latitude: 56.3269, longitude: 43.9, radius: 20_000 };
const config = { ownerId: undefined, search, comments: { enabled: false } };

type SearchFile = { response: { items: Json[]; profiles: Json[]; groups: Json[]; next_from?: string } };

let phase: 'first' | 'later' = 'first';
const routes = {
  '/method/newsfeed.search': (url: URL) => {
    if (phase === 'first') return url.searchParams.get('start_from') === '3/-77788899_9051' ? fileReply('search-page2.json') : fileReply('search-page1.json');
    // Later: one new post, and the newest old one again (the overlap for the search index lag).
    const fresh = fixtureJson<SearchFile>('search-new.json').response;
    const old = fixtureJson<SearchFile>('search-page1.json').response;
    return json({ response: { ...fresh, items: [...fresh.items, old.items[0]] } });
  },
};

test.serial('search: pages with next_from, drops posts outside the radius, then only new posts', withServer, routes, async (t, server) => {
  const collector = makeCollector(server, config);
  const first = await pass(collector);
  t.deepEqual(ids(first), ['402100030_2211', '-77788899_9051', '402100032_77', '402100033_1502'], 'the Moscow post is outside 20 km');
  const requests = calls(server, 'newsfeed.search');
  t.like(requests[0], { q: 'нет отопления Сормово', latitude: '56.3269', longitude: '43.9', extended: '1' });
  t.is(requests[0]?.start_time, undefined, 'first pass: VK default (last 24 hours)');
  t.is(requests[1]?.start_from, '3/-77788899_9051');
  t.deepEqual(first.items[0]?.input.location, { lat: 56.35331, lon: 43.86512, address: 'Сормовское шоссе, 20' });
  t.is(first.items[0]?.input.url, 'https://vk.com/wall402100030_2211');
  t.is(first.items[0]?.input.author, 'Виктор Смирнов (id402100030)');
  const cursor = first.cursor as VkSearchCursor;
  t.is(cursor.startTime, 1763638000);
  t.is(cursor.backlog, null);

  phase = 'later';
  server.requests.length = 0;
  const restarted = makeCollector(server, config);
  const second = await pass(restarted, storedCursor(restarted, first.cursor));
  t.deepEqual(ids(second), ['402100034_905'], 'the overlap does not return posts twice');
  t.is(calls(server, 'newsfeed.search')[0]?.start_time, String(1763638000 - 600));
  t.is((second.cursor as VkSearchCursor).startTime, 1763639000);
});

test('search: a cursor of another query is not used', withServer, {}, async (t, server) => {
  const collector = makeCollector(server, config);
  const other = { version: 1, kind: 'search', query: JSON.stringify(['другое', null, null]), startTime: 1, backlog: null, recent: {} };
  t.is(collector.parseCursor(other), null);
  t.not(collector.parseCursor({ ...other, query: JSON.stringify([search.q, search.latitude, search.longitude]) }), null);
});

let backlogPhase = 0;
const page = (items: Json[], next?: string) => json({ response: { items, profiles: [], groups: [], ...(next ? { next_from: next } : {}) } });
const post = (id: number, date: number): Json => ({ id, owner_id: 402100040, from_id: 402100040, date, text: `Сормово, отопление, пост ${id}` });

test('search: a pass out of pages keeps the unread time range as a backlog', withServer, {
  '/method/newsfeed.search': (url: URL) => {
    const from = url.searchParams.get('start_from');
    if (backlogPhase === 0) return page([post(1, 1763600000)]);
    if (url.searchParams.get('end_time') !== null) return page([post(7, 1763620000), post(5, 1763610000), post(4, 1763605000)]);
    if (backlogPhase === 2) return page([]);
    // Many new posts, more than one page allows.
    return from ? page([post(7, 1763620000)], 'p3') : page([post(9, 1763630000), post(8, 1763625000)], 'p2');
  },
}, async (t, server) => {
  const collector = makeCollector(server, { ...config, maxCatchUpPages: 2 });
  const first = await pass(collector);
  backlogPhase = 1;
  const second = await pass(collector, first.cursor);
  t.deepEqual(ids(second), ['402100040_9', '402100040_8', '402100040_7']);
  t.deepEqual((second.cursor as VkSearchCursor).backlog, { startTime: 1763600000 - 600, endTime: 1763620000 });
  backlogPhase = 2;
  server.requests.length = 0;
  const third = await pass(collector, second.cursor);
  const requests = calls(server, 'newsfeed.search');
  t.like(requests[0], { start_time: String(1763630000 - 600) });
  t.like(requests[1], { start_time: String(1763600000 - 600), end_time: '1763620000' });
  t.deepEqual(ids(third), ['402100040_5', '402100040_4'], 'the backlog is searched; #7 was already returned');
  t.is((third.cursor as VkSearchCursor).backlog, null);
  t.is((third.cursor as VkSearchCursor).startTime, 1763630000);
});
