import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { ValidationError } from '../../core/errors.js';
import { emptyFacts, type PostAnalysis } from '../../core/types.js';
import type { IncidentReport, NewPost } from '../contract.js';
import { SqliteStore } from './index.js';
import { migrations } from './migrations.js';
import { MemoryDedupIndex } from '../memory-dedup.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'radar-store-')), 'nested', 'radar.db');
const analyzeQuery = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);
const open = (path = ':memory:') => new SqliteStore({ path, analyzeQuery });

const newPost = (externalId: string, text = `пост ${externalId}`, source = 'vk-test'): NewPost => ({
  source,
  externalId,
  text,
  author: 'Житель',
  url: `https://vk.com/wall-1_${externalId}`,
  publishedAt: '2026-11-20T08:00:00.000Z',
  location: null,
  raw: { id: Number(externalId), text, extra: { nested: [1, 2] } },
});

const analysis = (postId: string, tokens: string[], incidentIds: string[] = []): PostAnalysis => ({
  postId,
  cleanText: tokens.join(' '),
  searchTokens: tokens,
  isProblem: incidentIds.length > 0,
  problems: [],
  facts: emptyFacts(),
  storyId: `sto_${postId}`,
  incidentIds,
  fake: { score: 0.8, level: 'high', reasons: ['Призыв срочно распространить сообщение'] },
  analyzedAt: '2026-11-20T09:00:00.000Z',
});

const report = (incidentId: string, postId: string, seenAt: string, extra: Partial<IncidentReport> = {}): IncidentReport => ({
  incidentId,
  postId,
  problemIndex: 0,
  source: 'vk-test',
  seenAt,
  category: 'roads',
  title: 'Яма на дороге',
  urgency: 'medium',
  municipality: 'Нижний Новгород',
  address: 'улица Ленина, 5',
  location: null,
  placeKeys: ['addr:улица ленина|5', 'street:улица ленина'],
  signature: new Uint32Array([1, 2, 3, 4]),
  facts: emptyFacts(),
  ...extra,
});

test('creates the schema with a version table, in WAL mode, and reopens without re-migrating', async (t) => {
  const path = tempDb();
  const store = open(path);
  t.is(store.schemaVersion, 7);
  await store.close();
  const reopened = open(path);
  await reopened.close();
  const db = new Database(path, { readonly: true });
  t.deepEqual(db.prepare('SELECT version FROM schema_migrations').pluck().all(), [1, 2, 3, 4, 5, 6, 7]);
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

test('savePosts is idempotent on (source, external id) and keeps the raw payload verbatim', async (t) => {
  const store = open();
  const first = await store.savePosts([newPost('1'), newPost('2')]);
  t.deepEqual(first.inserted.map((p) => p.id), ['vk-test:1', 'vk-test:2']);
  const second = await store.savePosts([newPost('2', 'изменённый текст'), newPost('3'), newPost('1', 'x', 'tg-other')]);
  t.deepEqual(second.inserted.map((p) => p.id), ['vk-test:3', 'tg-other:1']);
  t.deepEqual(second.duplicates, ['vk-test:2']);
  const stored = await store.getPost('vk-test:2');
  t.is(stored?.post.text, 'пост 2', 'a duplicate never overwrites the stored post');
  t.deepEqual(stored?.post.raw, { id: 2, text: 'пост 2', extra: { nested: [1, 2] } });
  t.is(stored?.status, 'pending');
  t.is(stored?.analysis, null);
  t.like(await store.stats(), { posts: 4, pending: 4 });
});

test('pendingPosts pages oldest first and saveAnalyses / markFailed take posts out of the queue', async (t) => {
  const store = open();
  await store.savePosts(['1', '2', '3', '4', '5'].map((id) => newPost(id)));
  const page1 = await store.pendingPosts(2);
  t.deepEqual(page1.posts.map((p) => p.externalId), ['1', '2']);
  const page2 = await store.pendingPosts(2, page1.cursor);
  t.deepEqual(page2.posts.map((p) => p.externalId), ['3', '4']);
  await store.saveAnalyses([analysis('vk-test:1', ['яма']), analysis('vk-test:3', ['мусор'])]);
  await store.markFailed('vk-test:4', 'classify: boom');
  const rest = await store.pendingPosts(10);
  t.deepEqual(rest.posts.map((p) => p.externalId), ['2', '5']);
  t.like(await store.stats(), { pending: 2, failed: 1 });
  const failed = await store.getPost('vk-test:4');
  t.is(failed?.status, 'failed');
  t.is(failed?.error, 'classify: boom');
  t.is((await store.getPost('vk-test:1'))?.analysis?.fake.level, 'high');
});

test('resetAnalyses makes every post pending again and drops derived data', async (t) => {
  const store = open();
  await store.savePosts([newPost('1'), newPost('2')]);
  await store.addIncidentReport(report('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
  await store.saveAnalyses([analysis('vk-test:1', ['яма'], ['inc_a'])]);
  t.is(await store.resetAnalyses(), 2);
  t.like(await store.stats(), { posts: 2, pending: 2, incidents: 0, stories: 0 });
  t.is((await store.getPost('vk-test:1'))?.analysis, null);
});

test('stories: band lookup finds earlier members and stats count distinct sources', async (t) => {
  const store = open();
  const sig = new Uint32Array([7, 7, 7, 7]);
  await store.addToStory({ storyId: 'sto_x', postId: 'a:1', source: 'a', seenAt: '2026-11-20T08:00:00.000Z', signature: sig, bandKeys: ['b0:1', 'b1:2'] });
  await store.addToStory({ storyId: 'sto_x', postId: 'a:2', source: 'a', seenAt: '2026-11-20T10:00:00.000Z', signature: sig, bandKeys: ['b0:1'] });
  const stats = await store.addToStory({ storyId: 'sto_x', postId: 'b:1', source: 'b', seenAt: '2026-11-20T07:00:00.000Z', signature: sig, bandKeys: ['b1:9'] });
  t.deepEqual(stats, { storyId: 'sto_x', size: 3, sources: 2, firstSeen: '2026-11-20T07:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' });
  const again = await store.addToStory({ storyId: 'sto_x', postId: 'b:1', source: 'b', seenAt: '2026-11-20T07:00:00.000Z', signature: sig, bandKeys: [] });
  t.is(again.size, 3, 'adding the same post twice does not grow the story');
  await store.addToStory({ storyId: 'sto_y', postId: 'c:1', source: 'c', seenAt: '2026-11-20T07:00:00.000Z', signature: sig, bandKeys: ['b1:2'] });
  const candidates = await store.storyCandidates(['b0:1', 'b1:2'], 10);
  t.deepEqual(
    candidates.map((c) => [c.storyId, c.postId]),
    [['sto_x', 'a:1'], ['sto_y', 'c:1']],
    'one representative per story, the member sharing most bands, stories sharing most bands first',
  );
  t.deepEqual([...(candidates[0]?.signature ?? [])], [7, 7, 7, 7]);
  t.deepEqual(await store.storyCandidates(['b9:0'], 10), []);
});

test('incidents: first report creates, later reports aggregate counts, sources, time range and urgency', async (t) => {
  const store = open();
  await store.savePosts([newPost('1'), newPost('2'), newPost('3', 'x', 'tg-news')]);
  await store.addIncidentReport(report('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
  await store.addIncidentReport(report('inc_a', 'vk-test:2', '2026-11-19T08:00:00.000Z', { urgency: 'high' }));
  await store.addIncidentReport(report('inc_a', 'tg-news:3', '2026-11-21T08:00:00.000Z', { source: 'tg-news', placeKeys: ['geo:ucfv0j'] }));
  await store.addIncidentReport(report('inc_a', 'tg-news:3', '2026-11-21T08:00:00.000Z', { source: 'tg-news' }));
  const detail = await store.getIncident('inc_a');
  t.like(detail, {
    id: 'inc_a',
    category: 'roads',
    status: 'open',
    urgency: 'high',
    reportCount: 3,
    firstSeen: '2026-11-19T08:00:00.000Z',
    lastSeen: '2026-11-21T08:00:00.000Z',
    address: 'улица Ленина, 5',
  });
  t.deepEqual(detail?.sources, ['vk-test', 'tg-news']);
  t.deepEqual(detail?.posts.map((p) => p.post.id), ['vk-test:1', 'vk-test:2', 'tg-news:3']);
  const candidates = await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['roads'], since: '2026-11-01T00:00:00.000Z', limit: 5 });
  t.deepEqual(candidates.map((c) => c.id), ['inc_a']);
  t.true(candidates[0]?.placeKeys.includes('addr:улица ленина|5'));
  t.deepEqual(await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['waste'], since: '2026-11-01T00:00:00.000Z', limit: 5 }), []);
  t.deepEqual(await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['roads'], since: '2026-11-22T00:00:00.000Z', limit: 5 }), []);
  await store.saveAnalyses([analysis('vk-test:1', ['яма'], ['inc_a'])]);
  t.is((await store.getIncident('inc_a'))?.fakeRisk.level, 'high', 'the riskiest report sets the incident risk');
  t.is(await store.getIncident('inc_missing'), null);
});

test('listIncidents pages in a stable order with filters and full-text search', async (t) => {
  const store = open();
  const posts = Array.from({ length: 25 }, (_, i) => newPost(String(i)));
  await store.savePosts(posts);
  for (let i = 0; i < 25; i++) {
    // Several incidents share a timestamp so that the id tie-break matters.
    const seenAt = `2026-11-${String(10 + Math.floor(i / 3)).padStart(2, '0')}T08:00:00.000Z`;
    await store.addIncidentReport(
      report(`inc_${String(i).padStart(2, '0')}`, `vk-test:${i}`, seenAt, { category: i % 2 ? 'roads' : 'waste', municipality: i < 5 ? 'Дзержинск' : 'Нижний Новгород' }),
    );
    await store.saveAnalyses([analysis(`vk-test:${i}`, i === 7 ? ['контейнер', 'переполнен'] : ['яма'], [`inc_${String(i).padStart(2, '0')}`])]);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await store.listIncidents({}, { limit: 10, cursor });
    seen.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  t.is(pages, 3);
  t.is(seen.length, 25);
  t.is(new Set(seen).size, 25);
  const all = (await store.listIncidents({}, { limit: 100 })).items;
  t.deepEqual(seen, all.map((i) => i.id));
  for (let i = 1; i < all.length; i++) {
    const [a, b] = [all[i - 1], all[i]];
    t.true(a!.lastSeen > b!.lastSeen || (a!.lastSeen === b!.lastSeen && a!.id > b!.id));
  }
  t.is((await store.listIncidents({ categories: ['roads'] }, { limit: 100 })).items.length, 12);
  t.is((await store.listIncidents({ municipality: 'дзержинск' }, { limit: 100 })).items.length, 5);
  t.is((await store.listIncidents({ from: '2026-11-17T00:00:00.000Z' }, { limit: 100 })).items.length, 4);
  t.is((await store.listIncidents({ to: '2026-11-10T23:00:00.000Z' }, { limit: 100 })).items.length, 3);
  t.deepEqual((await store.listIncidents({ q: 'Контейнер' }, { limit: 100 })).items.map((i) => i.id), ['inc_07']);
  t.deepEqual((await store.listIncidents({ q: '   ' }, { limit: 100 })).items, []);
  await t.throwsAsync(store.listIncidents({}, { limit: 10, cursor: 'not-a-cursor' }), { instanceOf: ValidationError });
});

/** A file as an older Radar left it: the schema up to `version`, nothing after. */
const olderDb = (version: number) => {
  const path = tempDb();
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const migration of migrations.filter((m) => m.version <= version)) {
    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, '2026-01-01T00:00:00.000Z');
  }
  return { path, db };
};

test('a database at schema version 1 is migrated to the latest version and keeps its posts', async (t) => {
  const { path, db } = olderDb(1);
  db.prepare(`INSERT INTO posts (id, source, external_id, text, collected_at, raw) VALUES ('vk-test:1', 'vk-test', '1', 'пост 1', '2026-11-20T08:00:00.000Z', 'null')`).run();
  db.close();
  const store = open(path);
  t.is(store.schemaVersion, migrations.at(-1)?.version ?? -1);
  t.is((await store.getPost('vk-test:1'))?.post.text, 'пост 1');
  t.deepEqual(await store.listSourceStates(), []);
});

test('a database at schema version 5 keeps its analysts decisions and reports through version 6', async (t) => {
  const { path, db } = olderDb(5);
  db.prepare(`INSERT INTO incident_decisions (incident_id, kind, value, note, at) VALUES ('inc_a', 'status', 'resolved', 'закрыто', '2026-11-20T10:00:00.000Z')`).run();
  db.prepare(`INSERT INTO incident_reports (post_id, problem_index, incident_id, source, seen_at) VALUES ('vk-test:1', 0, 'inc_a', 'vk-test', '2026-11-20T08:00:00.000Z')`).run();
  db.close();
  const store = open(path);
  t.deepEqual(await store.incidentHistory('inc_a'), [
    { kind: 'status', status: 'resolved', fromIds: [], toId: null, reports: [], note: 'закрыто', at: '2026-11-20T10:00:00.000Z' },
  ]);
  await store.addIncidentReport(report('inc_a', 'vk-test:2', '2026-11-19T08:00:00.000Z'));
  t.like(await store.getIncident('inc_a'), { status: 'resolved', reportCount: 1 }, 'the decision is replayed on the incident');
  await store.close();
});

test('a database from a newer Radar is refused with a clear message', async (t) => {
  const path = tempDb();
  await open(path).close();
  const db = new Database(path);
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)').run('future', new Date().toISOString());
  db.close();
  t.throws(() => open(path), { message: /schema version 99 is newer than this Radar build supports/ });
});

test('saveCollected stores posts and the cursor together; failures keep the cursor and count up', async (t) => {
  const store = open();
  const at = '2026-11-20T10:00:00.000Z';
  const first = await store.saveCollected({ sourceId: 'vk-test', type: 'vk', posts: [newPost('1'), newPost('2')], cursor: { newest: 2 }, at });
  t.is(first.inserted.length, 2);
  t.like(await store.getSourceState('vk-test'), { cursor: { newest: 2 }, health: 'ok', postsCollected: 2, lastSuccessAt: at, newestPostAt: '2026-11-20T08:00:00.000Z' });
  await store.recordSourceFailure({ sourceId: 'vk-test', type: 'vk', at: '2026-11-20T11:00:00.000Z', code: 'ERR_TIMEOUT', message: 'timed out', health: 'failing' });
  await store.recordSourceFailure({ sourceId: 'vk-test', type: 'vk', at: '2026-11-20T12:00:00.000Z', code: 'ERR_TIMEOUT', message: 'timed out again', health: 'failing' });
  t.like(await store.getSourceState('vk-test'), {
    cursor: { newest: 2 },
    health: 'failing',
    consecutiveFailures: 2,
    lastError: 'timed out again',
    lastErrorCode: 'ERR_TIMEOUT',
    lastSuccessAt: at,
  });
  const again = await store.saveCollected({ sourceId: 'vk-test', type: 'vk', posts: [newPost('2'), newPost('3')], cursor: { newest: 3 }, at: '2026-11-20T13:00:00.000Z' });
  t.deepEqual(again.duplicates, ['vk-test:2']);
  t.like(await store.getSourceState('vk-test'), { cursor: { newest: 3 }, health: 'ok', consecutiveFailures: 0, postsCollected: 3 });
  t.deepEqual((await store.listSourceStates()).map((s) => s.sourceId), ['vk-test']);
});

test('saveCollected is atomic: a post that cannot be stored leaves neither posts nor cursor behind', async (t) => {
  const store = open();
  const bad = { ...newPost('2'), text: null as unknown as string };
  await t.throwsAsync(store.saveCollected({ sourceId: 'vk-test', type: 'vk', posts: [newPost('1'), bad], cursor: { newest: 2 }, at: '2026-11-20T10:00:00.000Z' }), {
    any: true,
    code: 'SQLITE_CONSTRAINT_NOTNULL',
  });
  t.is((await store.stats()).posts, 0);
  t.is(await store.getSourceState('vk-test'), null);
});

test('exportPosts pages through stored posts in collection order, optionally by source', async (t) => {
  const store = open();
  await store.savePosts([newPost('1'), newPost('2', 'x', 'tg-other'), newPost('3')]);
  const page1 = await store.exportPosts(2);
  t.deepEqual(page1.posts.map((p) => p.id), ['vk-test:1', 'tg-other:2']);
  const page2 = await store.exportPosts(2, page1.cursor);
  t.deepEqual(page2.posts.map((p) => p.id), ['vk-test:3']);
  t.deepEqual((await store.exportPosts(10, null, 'tg-other')).posts.map((p) => p.id), ['tg-other:2']);
});

test('batch commits its writes together, rolls them back on failure, and refuses raw posts inside', async (t) => {
  const path = tempDb();
  const store = open(path);
  const sig = new Uint32Array([1, 2]);
  await store.batch(async () => {
    await store.addToStory({ storyId: 'sto_a', postId: 'a:1', source: 'a', seenAt: '2026-11-20T08:00:00.000Z', signature: sig, bandKeys: ['b0:1'] });
    await store.addIncidentReport(report('inc_a', 'a:1', '2026-11-20T08:00:00.000Z'));
  });
  t.like(await store.stats(), { stories: 1, incidents: 1 });
  await t.throwsAsync(
    store.batch(async () => {
      await store.addToStory({ storyId: 'sto_b', postId: 'b:1', source: 'b', seenAt: '2026-11-20T09:00:00.000Z', signature: sig, bandKeys: ['b0:2'] });
      throw new Error('stage crashed');
    }),
    { message: 'stage crashed' },
  );
  t.like(await store.stats(), { stories: 1 }, 'the failed batch left nothing behind');
  await t.throwsAsync(store.batch(() => store.savePosts([newPost('9')])), { message: /raw posts written inside a pipeline batch/ });
  t.is((await store.stats()).posts, 0);
  await store.close();
});

test('story members keep the sign bits of their embedding, in SQLite and in the in-memory index alike', async (t) => {
  const sqlite = open(tempDb());
  const memory = new MemoryDedupIndex();
  const semantic = Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 0xffffffff]);
  for (const index of [sqlite, memory]) {
    const member = { storyId: 'sto_a', source: 'vk', seenAt: '2026-11-20T08:00:00.000Z', signature: new Uint32Array(64).fill(7) };
    await index.addToStory({ ...member, postId: 'vk:1', semantic, bandKeys: ['e0:1', '0:aa'] });
    await index.addToStory({ ...member, postId: 'vk:2', bandKeys: ['e0:2'] });
    const [withBits] = await index.storyCandidates(['e0:1'], 5);
    t.deepEqual(withBits?.semantic, semantic);
    const [without] = await index.storyCandidates(['e0:2'], 5);
    t.is(without?.semantic, null);
  }
  await sqlite.close();
});
