/**
 * What only the SQLite store has: its file, schema migrations, transactions and SQLite's own errors.
 * Behaviour every backend shares is checked by `../contract-suite.ts`, which `contract.test.ts` runs here.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { newPost, reportOf } from '../test-fixtures.js';
import { migrations } from './migrations.js';
import { MemoryDedupIndex } from '../memory-dedup.js';
import { openStore } from './test-fixtures.js';

/** In a folder that does not exist yet: the store creates it. */
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'radar-store-')), 'nested', 'radar.db');
const open = (path = ':memory:') => openStore(path);

test('creates the schema with a version table, in WAL mode, and reopens without re-migrating', async (t) => {
  const path = tempDb();
  const store = open(path);
  t.is(store.schemaVersion, 9);
  await store.close();
  const reopened = open(path);
  await reopened.close();
  const db = new Database(path, { readonly: true });
  t.deepEqual(db.prepare('SELECT version FROM schema_migrations').pluck().all(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
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

/** One incident row as schema versions 6 to 8 hold it, with the given category, source and place keys. */
const insertIncident = (db: Database.Database, category: string, source: string, placeKeys: readonly string[], at: string) =>
  db
    .prepare(
      `INSERT INTO incidents (id, title, category, status, urgency, municipality, municipality_key, address, lat, lon, first_seen, last_seen,
                              report_count, sources, facts, fake, fake_score, signature, place_keys)
       VALUES ('inc_a', 'жалоба', ?, 'open', 'low', NULL, NULL, NULL, NULL, NULL, ?, ?, 1, ?, ?, 'none', 0, ?, ?)`,
    )
    .run(category, at, at, JSON.stringify([source]), JSON.stringify({ addresses: [], municipalities: [], organizations: [], dates: [], durations: [], phones: [] }), Buffer.alloc(8), JSON.stringify(placeKeys));

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
  await store.addIncidentReport(reportOf('inc_a', 'vk-test:2', '2026-11-19T08:00:00.000Z'));
  t.like(await store.getIncident('inc_a'), { status: 'resolved', reportCount: 1 }, 'the decision is replayed on the incident');
  await store.close();
});

test('a database at schema version 7 keeps finding its incidents by broad and specific keys through version 8', async (t) => {
  const { path, db } = olderDb(7);
  const at = '2026-11-20T08:00:00.000Z';
  insertIncident(db, 'roads', 'vk-test', ['area:бор', 'street:мира'], at);
  // Version 7 rows: the bare key, the category in its own column.
  const key = db.prepare('INSERT INTO incident_keys (key, incident_id, category, last_seen) VALUES (?, ?, ?, ?)');
  key.run('area:бор', 'inc_a', 'roads', at);
  key.run('street:мира', 'inc_a', 'roads', at);
  db.close();
  const store = open(path);
  const query = { categories: ['roads', 'urban'], broadCategories: ['roads'], since: '2026-11-01T00:00:00.000Z', limit: 5 };
  t.deepEqual((await store.incidentCandidates({ ...query, placeKeys: ['area:бор'] })).map((c) => c.id), ['inc_a']);
  t.deepEqual((await store.incidentCandidates({ ...query, placeKeys: ['street:мира'] })).map((c) => c.id), ['inc_a']);
  t.deepEqual(await store.incidentCandidates({ ...query, broadCategories: ['urban'], placeKeys: ['area:бор'] }), [], 'a broad key is read per category');
  await store.close();
});

test('a database at schema version 8 finds its incidents by their reporting source through version 9', async (t) => {
  const { path, db } = olderDb(8);
  const at = '2026-11-20T08:00:00.000Z';
  insertIncident(db, 'housing', 'tg-house', ['area:бор', 'topic:elevator', 'src:tg-house'], at);
  // Version 8 rows: the source was kept in place_keys only.
  db.prepare('INSERT INTO incident_keys (key, incident_id, category, last_seen) VALUES (?, ?, ?, ?)').run('area:бор|housing', 'inc_a', 'housing', at);
  db.close();
  const store = open(path);
  const query = { categories: ['housing'], broadCategories: ['housing'], since: '2026-11-01T00:00:00.000Z', limit: 5 };
  t.deepEqual((await store.incidentCandidates({ ...query, placeKeys: ['src:tg-house'] })).map((c) => c.id), ['inc_a']);
  t.deepEqual(await store.incidentCandidates({ ...query, placeKeys: ['src:tg-other'] }), []);
  t.deepEqual(await store.incidentCandidates({ ...query, placeKeys: ['topic:elevator'] }), [], 'a topic stays score-only');
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

test('batch commits its writes together, rolls them back on failure, and refuses raw posts inside', async (t) => {
  const path = tempDb();
  const store = open(path);
  const sig = new Uint32Array([1, 2]);
  await store.batch(async () => {
    await store.addToStory({ storyId: 'sto_a', postId: 'a:1', source: 'a', seenAt: '2026-11-20T08:00:00.000Z', signature: sig, bandKeys: ['b0:1'] });
    await store.addIncidentReport(reportOf('inc_a', 'a:1', '2026-11-20T08:00:00.000Z'));
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
