/**
 * The `radar` command on Elasticsearch, end to end: the real binary and client over real HTTP to
 * the in-memory test cluster (`store/elasticsearch/test-cluster.ts`) on 127.0.0.1. This checks
 * Radar's side (commands, the store through the whole pipeline), not Elasticsearch's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { serveTestCluster, TestCluster } from '../store/elasticsearch/test-cluster.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { runRadar } from './test-support.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'radar-es-cli-')), 'radar.db');

const withCluster = async (t: { teardown(fn: () => Promise<void>): void }) => {
  const cluster = new TestCluster();
  cluster.refreshOnSearch = true;
  const served = await serveTestCluster(cluster);
  t.teardown(() => served.close());
  return { cluster, env: { ELASTICSEARCH_URL: served.url, ELASTICSEARCH_INDEX_PREFIX: 'radar-', RADAR_LOG_LEVEL: 'warn' } };
};

test('radar es migrate creates the templates, indices and aliases once; radar es status then reports them current', async (t) => {
  const { cluster, env } = await withCluster(t);
  const first = await runRadar(['es', 'migrate'], { env });
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /^radar-posts: radar-posts-v1 created$/m);
  t.regex(first.stdout, /^radar-redirects: radar-redirects-v1 created$/m);
  t.true(cluster.indices.get('radar-incidents-v1')?.aliases.has('radar-incidents'));
  const again = await runRadar(['es', 'migrate'], { env });
  t.regex(again.stdout, /^radar-posts: radar-posts-v1, up to date$/m);
  const status = await runRadar(['es', 'status'], { env });
  t.is(status.code, 0);
  t.regex(status.stdout, /^radar-incidents: radar-incidents-v1, up to date$/m);
});

test('radar es status exits 1 and says what migrate would do; without ELASTICSEARCH_URL the commands explain', async (t) => {
  const { env } = await withCluster(t);
  const status = await runRadar(['es', 'status'], { env });
  t.is(status.code, 1);
  t.regex(status.stdout, /^radar-posts: missing, migrate creates radar-posts-v1$/m);
  const unset = await runRadar(['es', 'migrate'], { env: { ELASTICSEARCH_URL: '' } });
  t.is(unset.code, 2);
  t.regex(unset.stderr, /No Elasticsearch configured: set ELASTICSEARCH_URL/);
});

const incidentsOf = (cluster: TestCluster): string[] => {
  const incidents = [...cluster.indices.values()].find((i) => i.aliases.has('radar-incidents'));
  return [...(incidents?.docs.values() ?? [])].map(({ source: s }) => `${String(s.id)} ${String(s.report_count)} ${String(s.first_seen)} ${String(s.last_seen)}`).sort();
};

test('the demo replayed through the pipeline into Elasticsearch gives the same incidents as into SQLite, also before any refresh', async (t) => {
  const sqliteDb = tempDb();
  const sqlite = await runRadar(['replay'], { env: { RADAR_DB: sqliteDb, RADAR_LOG_LEVEL: 'warn' } });
  t.is(sqlite.code, 0, sqlite.stderr);
  // The same incidents, with the same ids (they derive from the first report) and the same reports.
  const local = new SqliteStore({ path: sqliteDb, analyzeQuery: (text) => text.split(' ') });
  const expected = (await local.listIncidents({}, { limit: 1_000 })).items.map((i) => `${i.id} ${i.reportCount} ${i.firstSeen} ${i.lastSeen}`).sort();
  await local.close();
  t.true(expected.length > 0);

  const { cluster, env } = await withCluster(t);
  const es = await runRadar(['replay'], { env: { ...env, RADAR_DB: tempDb() } });
  t.is(es.code, 0, es.stderr);
  const summary = (out: string) => out.split('\n').filter((line) => line.startsWith('processed '));
  t.deepEqual(summary(es.stdout), summary(sqlite.stdout));
  t.deepEqual(incidentsOf(cluster), expected);

  // A cluster that never refreshes during the replay: every dedup lookup depends on what the store
  // keeps of its own recent writes.
  const stale = await withCluster(t);
  stale.cluster.refreshOnSearch = false;
  const unrefreshed = await runRadar(['replay'], { env: { ...stale.env, RADAR_DB: tempDb() } });
  t.is(unrefreshed.code, 0, unrefreshed.stderr);
  t.deepEqual(incidentsOf(stale.cluster), expected);
});
