/** The exact requests of the Elasticsearch store's writes, and what it does with error responses. */
import test from 'ava';
import { ConfigError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { emptyFacts, type PostAnalysis } from '../../core/types.js';
import type { IncidentReport, NewPost } from '../contract.js';
import { SqliteStore } from '../sqlite/index.js';
import { StoreRejectedError, StoreUnavailableError } from './errors.js';
import { ElasticsearchStore } from './store.js';
import { bulkItem, connectionRefused, errorResponse, type MockCluster, readyCluster, type RecordedRequest } from './test-support.js';

const logger = createLogger('silent');
const analyzeQuery = (text: string): string[] => text.split(/\s+/);

const newPost = (externalId: string): NewPost => ({
  source: 'vk',
  externalId,
  text: `Яма на дороге ${externalId}`,
  author: null,
  url: `https://vk.com/wall-1_${externalId}`,
  publishedAt: '2026-11-20T08:00:00.000Z',
  collectedAt: '2026-11-20T08:05:00.000Z',
  location: { lat: 56.3, lon: 44, address: 'ул. Ленина, 5' },
  raw: { id: Number(externalId) },
});

const report = (postId: string, extra: Partial<IncidentReport> = {}): IncidentReport => ({
  incidentId: 'inc_a',
  postId,
  problemIndex: 0,
  source: 'vk',
  seenAt: '2026-11-20T08:00:00.000Z',
  category: 'roads',
  title: 'Яма на дороге',
  urgency: 'medium',
  municipality: 'Нижний Новгород',
  address: 'улица Ленина, 5',
  location: { lat: 56.3, lon: 44 },
  placeKeys: ['addr:ленина|5', 'street:ленина'],
  signature: new Uint32Array([1, 2]),
  facts: emptyFacts(),
  ...extra,
});

const analysis = (postId: string): PostAnalysis => ({
  postId,
  cleanText: 'Яма на дороге',
  searchTokens: ['ям', 'дорог'],
  isProblem: true,
  problems: [],
  facts: emptyFacts(),
  storyId: 'sto_a',
  incidentIds: ['inc_a'],
  fake: { score: 0.2, level: 'low', reasons: [] },
  analyzedAt: '2026-11-20T09:00:00.000Z',
});

const fast = { retryBaseMs: 1, retryMaxMs: 2, maxRetries: 1 };

/** Answers gets with "not found", searches with no hits and bulk requests with success. */
const emptyCluster = (): MockCluster => {
  const es = readyCluster();
  es.on('POST', '/_mget', (r) => ({ docs: (r.body as { docs: { _index: string; _id: string }[] }).docs.map((d) => ({ _index: d._index, _id: d._id, found: false })) }));
  es.on('POST', '/:index/_msearch', (r) => ({ took: 1, responses: (r.body as unknown[]).filter((_, i) => i % 2 === 1).map(() => ({ hits: { hits: [] } })) }));
  es.on('POST', '/:index/_search', () => ({ hits: { hits: [] } }));
  return es;
};

const acknowledge = (r: RecordedRequest) => {
  const lines = r.body as Record<string, { _id: string }>[];
  return { errors: false, took: 1, items: lines.filter((line) => ['index', 'create', 'update', 'delete'].some((op) => op in line)).map((line) => bulkItem(Object.keys(line)[0] as string, Object.values(line)[0]?._id ?? '', 201)) };
};

const open = async (es: MockCluster) => {
  const local = new SqliteStore({ path: ':memory:', analyzeQuery });
  await local.savePosts([newPost('1')]);
  return { local, store: new ElasticsearchStore({ client: es.client, local, indexPrefix: 'radar-', logger, bulk: fast }) };
};

test('a pipeline batch is one bulk request: upserted post, report, created incident and story, and no refresh', async (t) => {
  const es = emptyCluster();
  es.on('POST', '/_bulk', acknowledge);
  const { store, local } = await open(es);
  await store.batch(async () => {
    await store.addToStory({ storyId: 'sto_a', postId: 'vk:1', source: 'vk', seenAt: '2026-11-20T08:00:00.000Z', signature: new Uint32Array([1, 2]), bandKeys: ['b0:1', 'b1:2'] });
    await store.addIncidentReport(report('vk:1'));
    await store.saveAnalyses([analysis('vk:1')]);
  });
  t.deepEqual(es.sent('POST', '/_mget')[0]?.body, { docs: [{ _index: 'radar-posts', _id: 'vk:1' }, { _index: 'radar-stories', _id: 'sto_a' }] }, 'real-time gets by id');
  const bulk = es.sent('POST', '/_bulk');
  t.is(bulk.length, 1);
  t.deepEqual(bulk[0]?.querystring, { refresh: 'false' });
  const signature = Buffer.from(new Uint32Array([1, 2]).buffer).toString('base64');
  t.deepEqual(bulk[0]?.body, [
    { update: { _index: 'radar-posts', _id: 'vk:1', retry_on_conflict: 3 } },
    {
      doc: {
        post_id: 'vk:1',
        source: 'vk',
        external_id: '1',
        text: 'Яма на дороге 1',
        author: null,
        url: 'https://vk.com/wall-1_1',
        published_at: '2026-11-20T08:00:00.000Z',
        collected_at: '2026-11-20T08:05:00.000Z',
        seen_at: '2026-11-20T08:00:00.000Z',
        location: { lat: 56.3, lon: 44 },
        location_address: 'ул. Ленина, 5',
        raw: { id: 1 },
        story: { id: 'sto_a', source: 'vk', seen_at: '2026-11-20T08:00:00.000Z', signature, semantic: null, bands: ['b0:1', 'b1:2'] },
        status: 'processed',
        error: null,
        analysis: {
          clean_text: 'Яма на дороге',
          is_problem: true,
          problems: [],
          facts: emptyFacts(),
          story_id: 'sto_a',
          categories: [],
          incident_ids: ['inc_a'],
          fake: { score: 0.2, level: 'low', reasons: [] },
          fake_score: 0.2,
          fake_level: 'low',
          analyzed_at: '2026-11-20T09:00:00.000Z',
        },
      },
      doc_as_upsert: true,
    },
    { index: { _index: 'radar-reports', _id: 'vk:1#0' } },
    {
      post_id: 'vk:1',
      problem_index: 0,
      incident_id: 'inc_a',
      source: 'vk',
      seen_at: '2026-11-20T08:00:00.000Z',
      detail: { category: 'roads', title: 'Яма на дороге', urgency: 'medium', municipality: 'Нижний Новгород', address: 'улица Ленина, 5', location: { lat: 56.3, lon: 44 }, placeKeys: ['addr:ленина|5', 'street:ленина'], facts: emptyFacts() },
      signature,
    },
    { create: { _index: 'radar-incidents', _id: 'inc_a' } },
    {
      id: 'inc_a',
      title: 'Яма на дороге',
      category: 'roads',
      status: 'open',
      urgency: 'medium',
      municipality: 'Нижний Новгород',
      address: 'улица Ленина, 5',
      location: { lat: 56.3, lon: 44 },
      first_seen: '2026-11-20T08:00:00.000Z',
      last_seen: '2026-11-20T08:00:00.000Z',
      report_count: 1,
      sources: ['vk'],
      facts: emptyFacts(),
      fake: { score: 0.2, level: 'low', reasons: [] },
      fake_score: 0.2,
      signature,
      place_keys: ['addr:ленина|5', 'street:ленина'],
      keys: ['addr:ленина|5', 'street:ленина'],
      report_keys: ['vk:1#0'],
      post_ids: ['vk:1'],
      posts: [{ post_id: 'vk:1', text: 'Яма на дороге' }],
    },
    { create: { _index: 'radar-stories', _id: 'sto_a' } },
    { id: 'sto_a', size: 1, sources: ['vk'], first_seen: '2026-11-20T08:00:00.000Z', last_seen: '2026-11-20T08:00:00.000Z', post_ids: ['vk:1'] },
  ]);
  t.is((await local.getPost('vk:1'))?.status, 'processed', 'marked processed locally once acknowledged');
});

test('a write refused with 409 by a concurrent change is redone on the fresh document, alone', async (t) => {
  const es = emptyCluster();
  let bulks = 0;
  es.on('POST', '/_bulk', (r) => {
    bulks++;
    if (bulks > 1) return acknowledge(r);
    return { errors: true, took: 1, items: [bulkItem('update', 'vk:1', 200), bulkItem('index', 'vk:1#0', 201), bulkItem('create', 'inc_a', 409, { type: 'version_conflict_engine_exception', reason: '[inc_a]: version conflict, document already exists' })] };
  });
  const { store } = await open(es);
  // After the conflict the incident exists: another worker created it with its own report.
  es.mock.clear({ method: 'POST', path: '/_mget' });
  let gets = 0;
  es.on('POST', '/_mget', (r) => {
    gets++;
    const docs = (r.body as { docs: { _index: string; _id: string }[] }).docs;
    if (gets < 3) return { docs: docs.map((d) => ({ _index: d._index, _id: d._id, found: false })) };
    return {
      docs: [
        {
          _index: 'radar-incidents-v1',
          _id: 'inc_a',
          found: true,
          _seq_no: 41,
          _primary_term: 2,
          _source: { ...report('tg:9'), id: 'inc_a', status: 'open', first_seen: '2026-11-19T08:00:00.000Z', last_seen: '2026-11-19T08:00:00.000Z', report_count: 1, sources: ['tg'], facts: emptyFacts(), fake: { score: 0, level: 'low', reasons: [] }, fake_score: 0, signature: 'AQAAAAIAAAA=', place_keys: ['street:ленина'], keys: ['street:ленина'], report_keys: ['tg:9#0'], post_ids: ['tg:9'], posts: [] },
        },
      ],
    };
  });
  await store.batch(async () => {
    await store.addIncidentReport(report('vk:1'));
    await store.saveAnalyses([analysis('vk:1')]);
  });
  const second = es.sent('POST', '/_bulk')[1]?.body as Record<string, unknown>[];
  t.is(second.length, 2, 'only the conflicting document is sent again');
  t.deepEqual(second[0], { index: { _index: 'radar-incidents', _id: 'inc_a', if_seq_no: 41, if_primary_term: 2 } });
  t.like(second[1], { report_count: 2, first_seen: '2026-11-19T08:00:00.000Z', last_seen: '2026-11-20T08:00:00.000Z', sources: ['tg', 'vk'], report_keys: ['tg:9#0', 'vk:1#0'] });
});

test('when the cluster is down the batch fails with StoreUnavailableError and its posts stay pending', async (t) => {
  const es = emptyCluster();
  es.on('POST', '/_bulk', () => connectionRefused());
  const { store, local } = await open(es);
  const error = await t.throwsAsync(
    store.batch(async () => {
      await store.addIncidentReport(report('vk:1'));
      await store.saveAnalyses([analysis('vk:1')]);
    }),
    { instanceOf: StoreUnavailableError },
  );
  t.regex(error?.message ?? '', /^Elasticsearch is unavailable \(writing .+\): connect ECONNREFUSED .*Raw posts stay in the local store/);
  t.is(es.sent('POST', '/_bulk').length, 2, 'sent once and retried once');
  t.like(await local.getPost('vk:1'), { status: 'pending', error: null });
});

test('a lookup that fails inside a batch dooms the batch even when the stage catches it; nothing is written or failed', async (t) => {
  const es = emptyCluster();
  es.mock.clear({ method: 'POST', path: '/:index/_search' });
  es.on('POST', '/:index/_search', () => errorResponse(503, 'search_phase_execution_exception', 'all shards failed'));
  es.on('POST', '/_bulk', acknowledge);
  const { store, local } = await open(es);
  await t.throwsAsync(
    store.batch(async () => {
      // What the pipeline's stages do: a failing post is caught and reported, the batch goes on.
      await store.storyCandidates(['b0:1'], 5).catch(() => []);
      await store.saveAnalyses([analysis('vk:1')]);
    }),
    { instanceOf: StoreUnavailableError, message: /503 search_phase_execution_exception: all shards failed/ },
  );
  t.is(es.sent('POST', '/_bulk').length, 0);
  t.is((await local.getPost('vk:1'))?.status, 'pending');
});

test('a document the cluster rejects (mapping error) fails the posts that wrote it, with the reason, and is not retried', async (t) => {
  const es = emptyCluster();
  es.on('POST', '/_bulk', (r) => {
    const lines = r.body as Record<string, { _id: string }>[];
    return {
      errors: true,
      took: 1,
      items: lines
        .filter((line) => 'update' in line || 'index' in line || 'create' in line)
        .map((line) => {
          const [op, meta] = Object.entries(line)[0] as [string, { _id: string }];
          return meta._id === 'inc_a' ? bulkItem(op, meta._id, 400, { type: 'document_parsing_exception', reason: 'failed to parse field [location]' }) : bulkItem(op, meta._id, 200);
        }),
    };
  });
  const { store, local } = await open(es);
  await store.batch(async () => {
    await store.addIncidentReport(report('vk:1'));
    await store.saveAnalyses([analysis('vk:1')]);
  });
  t.like(await local.getPost('vk:1'), { status: 'failed', error: 'index: Elasticsearch rejected incident inc_a: 400 document_parsing_exception: failed to parse field [location]' });
  const last = es.sent('POST', '/_bulk').at(-1)?.body;
  t.deepEqual(last, [
    { update: { _index: 'radar-posts', _id: 'vk:1', retry_on_conflict: 3 } },
    { doc: { post_id: 'vk:1', status: 'failed', error: 'index: Elasticsearch rejected incident inc_a: 400 document_parsing_exception: failed to parse field [location]' }, doc_as_upsert: true },
  ]);
  t.is(es.sent('POST', '/_bulk').length, 2, 'the rejected incident was not sent again');
});

test('reads turn error responses into errors that say what to do', async (t) => {
  const cases: [unknown, new (...args: never[]) => Error, RegExp][] = [
    [errorResponse(401, 'security_exception', 'missing authentication credentials'), ConfigError, /refused the credentials \(reading the feed\): 401 security_exception/],
    [errorResponse(404, 'index_not_found_exception', 'no such index [radar-incidents]'), StoreRejectedError, /no such index.*Run `radar es migrate`/],
    [errorResponse(429, 'es_rejected_execution_exception', 'rejected execution'), StoreUnavailableError, /unavailable \(reading the feed\): 429/],
    [errorResponse(500, 'illegal_state_exception', 'boom'), StoreUnavailableError, /500 illegal_state_exception: boom/],
    [connectionRefused(), StoreUnavailableError, /ECONNREFUSED/],
  ];
  for (const [response, type, message] of cases) {
    const es = readyCluster();
    es.on('POST', '/:index/_search', () => response);
    const { store } = await open(es);
    await t.throwsAsync(store.listIncidents({}, { limit: 10 }), { instanceOf: type, message });
  }
});

test('an unreachable cluster at start-up is retried on the next call; raw posts are stored meanwhile', async (t) => {
  const es = readyCluster();
  es.mock.clear({ method: 'GET', path: '/:index/_alias' });
  let down = true;
  es.on('GET', '/:index/_alias', () => (down ? connectionRefused() : { 'radar-posts-v1': { aliases: { 'radar-posts': {} } } }));
  const { store } = await open(es);
  t.deepEqual((await store.savePosts([newPost('2')])).inserted.map((p) => p.id), ['vk:2'], 'the local raw store never waits for the cluster');
  await t.throwsAsync(store.stats(), { instanceOf: StoreUnavailableError });
  down = false;
  es.on(['GET', 'PUT'], '/_index_template/:name', () => ({ acknowledged: true }));
  es.on('PUT', '/:index', () => ({ acknowledged: true }));
  es.on('POST', '/:index/_count', () => ({ count: 0 }));
  t.like(await store.stats(), { pending: 2 });
  t.is(es.sent('GET', '/radar-*/_alias').length, 3, 'checked again after the failure, then created what was missing');
});
