/**
 * Nothing is lost or doubled when the cluster is down, half up or shared: the Elasticsearch store
 * against the in-memory test cluster, with faults injected into its requests. The processing loop
 * below does what the pipeline's processor does: pending posts in batches, each batch's dedup
 * lookups and writes inside `store.batch`, a failed batch left pending for the next drain.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createLogger } from '../../core/logger.js';
import { emptyFacts, type Post } from '../../core/types.js';
import type { Store } from '../contract.js';
import { SqliteStore } from '../sqlite/index.js';
import { StoreUnavailableError } from './errors.js';
import { ElasticsearchStore } from './store.js';
import { type ClusterRequest, type TestCluster, testCluster } from './test-cluster.js';
import { connectionRefused, errorResponse } from './test-support.js';

const logger = createLogger('silent');
const since = '2026-11-01T00:00:00.000Z';

const openStore = (client: ReturnType<typeof testCluster>['client'], options: { recentWritesMs?: number } = {}) =>
  new ElasticsearchStore({
    client,
    local: new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'radar-es-outage-')), 'raw.db'), analyzeQuery: (t) => t.split(' ') }),
    indexPrefix: 'radar-',
    logger,
    bulk: { retryBaseMs: 1, retryMaxMs: 2, maxRetries: 2 },
    ...options,
  });

const posts = (count: number, source = 'vk') =>
  Array.from({ length: count }, (_, i) => ({
    source,
    externalId: String(i + 1),
    text: `Яма на улице Ленина ${i + 1}`,
    author: null,
    url: null,
    publishedAt: `2026-11-20T08:0${i}:00.000Z`,
    location: null,
    raw: { n: i + 1 },
  }));

/** Every post reports the same pothole: one story, one incident, found through the lookups. */
const processOne = async (store: Store, post: Post): Promise<void> => {
  const bands = ['b0:ленина', 'b1:яма'];
  const seenAt = post.publishedAt ?? post.collectedAt;
  const signature = new Uint32Array([1, 2, 3]);
  const story = (await store.storyCandidates(bands, 8))[0]?.storyId ?? `sto_${post.id}`;
  await store.addToStory({ storyId: story, postId: post.id, source: post.source, seenAt, signature, bandKeys: bands });
  const incident = (await store.incidentCandidates({ placeKeys: ['addr:ленина|5'], categories: ['roads'], since, limit: 20 }))[0]?.id ?? `inc_${post.id}`;
  await store.addIncidentReport({
    incidentId: incident,
    postId: post.id,
    problemIndex: 0,
    source: post.source,
    seenAt,
    category: 'roads',
    title: 'Яма на улице Ленина',
    urgency: 'medium',
    municipality: null,
    address: 'улица Ленина, 5',
    location: null,
    placeKeys: ['addr:ленина|5'],
    signature,
    facts: emptyFacts(),
  });
  await store.saveAnalyses([
    { postId: post.id, cleanText: post.text, searchTokens: [], isProblem: true, problems: [], facts: emptyFacts(), storyId: story, incidentIds: [incident], fake: { score: 0, level: 'low', reasons: [] }, analyzedAt: seenAt },
  ]);
};

/** One drain of the pending posts in batches; returns the errors of failed batches. */
const drain = async (store: Store, size = 3): Promise<unknown[]> => {
  const failures: unknown[] = [];
  const pending = (await store.pendingPosts(1_000)).posts;
  for (let i = 0; i < pending.length; i += size) {
    await store
      .batch(async () => {
        for (const post of pending.slice(i, i + size)) await processOne(store, post);
      })
      .catch((error: unknown) => failures.push(error));
  }
  return failures;
};

const docsOf = (cluster: TestCluster, alias: string) => {
  const index = [...cluster.indices.values()].find((i) => i.aliases.has(alias));
  return index ? [...index.docs.values()].map((d) => d.source) : [];
};

/** Lets every bulk item for one index fail with `status` while the rest of the request goes through. */
const failItemsOf = (cluster: TestCluster, index: string, status: number) => (r: ClusterRequest) => {
  if (r.path !== '/_bulk') return undefined;
  const lines = r.body as Record<string, Record<string, unknown>>[];
  const kept: Record<string, unknown>[] = [];
  const refused: boolean[] = [];
  for (let i = 0; i < lines.length; i++) {
    const meta = Object.values(lines[i] as object)[0] as { _index: string };
    const op = Object.keys(lines[i] as object)[0];
    const body = op === 'delete' ? [] : [lines[++i] as Record<string, unknown>];
    refused.push(meta._index === index);
    if (meta._index !== index) kept.push(lines[i - body.length] as Record<string, unknown>, ...body);
  }
  const fault = cluster.fault;
  cluster.fault = null;
  const done = kept.length > 0 ? (cluster.handle({ ...r, body: kept }) as { items: object[] }).items : [];
  cluster.fault = fault;
  let next = 0;
  return {
    errors: true,
    took: 1,
    items: refused.map((no) => (no ? { index: { _index: index, _id: '?', status, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } } } : done[next++])),
  };
};

test('posts processed while the cluster is down, then half up, are indexed exactly once when it is back', async (t) => {
  const { client, cluster } = testCluster();
  const store = openStore(client);
  await store.savePosts(posts(6));

  cluster.fault = (r) => (r.path === '/_bulk' ? errorResponse(503, 'cluster_block_exception', 'blocked by: [SERVICE_UNAVAILABLE/2/no master]') : undefined);
  const down = await drain(store);
  t.is(down.length, 2);
  t.true(down.every((e) => e instanceof StoreUnavailableError));
  t.like(await store.stats(), { pending: 6, posts: 6 });
  t.is(docsOf(cluster, 'radar-posts').length, 0);

  cluster.fault = (r) => (r.path === '/_bulk' ? connectionRefused() : undefined);
  t.is((await drain(store)).length, 2, 'connection refused: the same');

  // Half up: posts, reports and stories are written, incidents are refused. The batch fails, and
  // its replay must not count the stories' members or the reports twice.
  cluster.fault = failItemsOf(cluster, 'radar-incidents', 503);
  t.is((await drain(store)).length, 2);
  t.is((await store.pendingPosts(100)).posts.length, 6, 'nothing is marked processed without its incident');
  t.true(docsOf(cluster, 'radar-stories').length > 0, 'some writes did land');

  cluster.fault = null;
  t.deepEqual(await drain(store), []);
  cluster.refreshAll();
  const postDocs = docsOf(cluster, 'radar-posts');
  t.deepEqual(postDocs.map((d) => d.post_id).sort(), ['vk:1', 'vk:2', 'vk:3', 'vk:4', 'vk:5', 'vk:6']);
  t.true(postDocs.every((d) => d.status === 'processed'));
  const stories = docsOf(cluster, 'radar-stories');
  t.is(stories.length, 1, 'one story');
  t.like(stories[0], { size: 6 });
  const incidents = docsOf(cluster, 'radar-incidents');
  t.is(incidents.length, 1, 'one incident');
  t.like(incidents[0], { report_count: 6 });
  t.is(new Set(incidents[0]?.report_keys as string[]).size, 6);
  t.like(await store.stats(), { posts: 6, pending: 0, failed: 0, incidents: 1, stories: 1 });
  await store.close();
});

test('two workers writing to one incident at once: the loser of the race re-reads and re-applies, nothing is lost', async (t) => {
  const { client, cluster } = testCluster();
  const [a, b] = [openStore(client), openStore(client)];
  await a.savePosts(posts(1, 'vk'));
  await b.savePosts(posts(1, 'tg'));
  let arrived = 0;
  let release!: () => void;
  const barrier = new Promise<void>((resolve) => {
    release = resolve;
  });
  const work = (store: Store, postId: string) =>
    store.batch(async () => {
      await store.addIncidentReport({
        incidentId: 'inc_shared',
        postId,
        problemIndex: 0,
        source: postId.split(':')[0] as string,
        seenAt: '2026-11-20T08:00:00.000Z',
        category: 'roads',
        title: 'Яма',
        urgency: postId.startsWith('tg') ? 'high' : 'low',
        municipality: null,
        address: null,
        location: null,
        placeKeys: [`addr:${postId}`],
        signature: new Uint32Array([1]),
        facts: emptyFacts(),
      });
      // Both have read the incident (missing) before either writes it.
      if (++arrived === 2) release();
      await barrier;
    });
  await Promise.all([work(a, 'vk:1'), work(b, 'tg:1')]);
  t.true(cluster.conflicts >= 1, 'the second writer was refused with 409');
  const incident = await a.getIncident('inc_shared');
  t.like(incident, { reportCount: 2, urgency: 'high' });
  t.deepEqual([...(incident?.sources ?? [])].sort(), ['tg', 'vk']);
  await Promise.all([a.close(), b.close()]);
});

test('a batch finds what the previous batch wrote before the cluster refreshed, through the recent writes', async (t) => {
  for (const recentWritesMs of [30_000, 0]) {
    const { client, cluster } = testCluster();
    const store = openStore(client, { recentWritesMs });
    await store.savePosts(posts(2));
    // One post per batch; the test cluster refreshes only when asked, so search sees no write.
    t.deepEqual(await drain(store, 1), []);
    t.is([...cluster.indices.values()].find((i) => i.aliases.has('radar-incidents'))?.visible.size, 0);
    const found = await store.incidentCandidates({ placeKeys: ['addr:ленина|5'], categories: ['roads'], since, limit: 5 });
    if (recentWritesMs > 0) t.deepEqual(found.map((c) => c.id), ['inc_vk:1'], 'the second post joined the first one’s incident');
    else t.deepEqual(found, [], 'without them, search alone would not see it yet');
    await store.close();
  }
});

test('a scaled-out deployment: reprocessing pulls every post into this process; source states are shared', async (t) => {
  const { client, cluster } = testCluster();
  const collector = openStore(client);
  const api = openStore(client);
  await collector.saveCollected({ sourceId: 'vk', type: 'vk', posts: posts(3), cursor: { offset: 3 }, at: '2026-11-20T09:00:00.000Z' });
  t.deepEqual(await drain(collector), []);
  await collector.settled();
  cluster.refreshAll();
  t.deepEqual((await api.listSourceStates()).map((s) => [s.sourceId, s.postsCollected]), [['vk', 3]], 'the API process lists the collector’s sources');
  t.like(await api.getSourceState('vk'), { cursor: { offset: 3 } }, 'a collector moved here resumes from the copied cursor');
  t.like(await api.getPost('vk:2'), { status: 'processed' });
  t.is(await api.resetAnalyses(), 3, 'the reprocessing process now holds every raw post');
  t.deepEqual((await api.pendingPosts(10)).posts.map((p) => p.id), ['vk:1', 'vk:2', 'vk:3']);
  t.deepEqual((await api.pendingPosts(10)).posts[1]?.raw, { n: 2 });
  t.deepEqual(await drain(api), []);
  cluster.refreshAll();
  t.like(await api.stats(), { posts: 3, pending: 0, incidents: 1, stories: 1 });
  await Promise.all([collector.close(), api.close()]);
});
