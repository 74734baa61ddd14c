/** The exact search requests of the feed, its facets and the dedup lookups. */
import test from 'ava';
import { createLogger } from '../../core/logger.js';
import { FACET_BUCKETS } from '../contract.js';
import { BAND_ROWS, BROAD_KEY_ROWS, KEY_ROWS } from '../dedup-limits.js';
import { SqliteStore } from '../sqlite/index.js';
import { ElasticsearchStore } from './store.js';
import { errorResponse, type MockCluster, readyCluster, settle } from './test-support.js';

const logger = createLogger('silent');

const open = (es: MockCluster) =>
  new ElasticsearchStore({ client: es.client, local: new SqliteStore({ path: ':memory:', analyzeQuery: (t) => t.split(' ') }), indexPrefix: 'radar-', logger });

const incident = (id: string, lastSeen: string) => ({
  _index: 'radar-incidents-v1',
  _id: id,
  _source: {
    id,
    title: 'Яма',
    category: 'roads',
    status: 'open',
    urgency: 'medium',
    municipality: 'Дзержинск',
    address: null,
    location: null,
    first_seen: lastSeen,
    last_seen: lastSeen,
    report_count: 1,
    sources: ['vk'],
    facts: { addresses: [], locations: [], organizations: [], dates: [], phones: [] },
    fake: { score: 0, level: 'low', reasons: [] },
    fake_score: 0,
  },
  sort: [Date.parse(lastSeen), id],
});

const filter = { categories: ['roads', 'urban'], statuses: ['open' as const], municipality: ' Дзержинск ', from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', q: 'яма во дворе' };

const expectedQuery = {
  bool: {
    filter: [
      { terms: { category: ['roads', 'urban'] } },
      { terms: { status: ['open'] } },
      { term: { 'municipality.folded': 'Дзержинск' } },
      { range: { last_seen: { gte: '2026-11-01T00:00:00.000Z' } } },
      { range: { first_seen: { lte: '2026-11-30T00:00:00.000Z' } } },
      { nested: { path: 'posts', query: { match: { 'posts.text': { query: 'яма во дворе', operator: 'and', zero_terms_query: 'none' } } } } },
    ],
  },
};

test('the feed: filters, full text within one post, search_after on (last_seen, id), then a point in time for the next pages', async (t) => {
  const es = readyCluster();
  es.on('POST', '/radar-incidents/_search', () => ({ hits: { hits: [incident('inc_c', '2026-11-22T08:00:00.000Z'), incident('inc_b', '2026-11-21T08:00:00.000Z'), incident('inc_a', '2026-11-21T08:00:00.000Z')] } }));
  es.on('POST', '/radar-incidents/_pit', () => ({ id: 'pit-1' }));
  es.on('POST', '/_search', () => ({ pit_id: 'pit-2', hits: { hits: [incident('inc_a', '2026-11-21T08:00:00.000Z')] } }));
  es.on('DELETE', '/_pit', () => ({ succeeded: true, num_freed: 1 }));
  const store = open(es);
  const first = await store.listIncidents(filter, { limit: 2 });
  t.deepEqual(first.items.map((i) => i.id), ['inc_c', 'inc_b']);
  t.deepEqual(es.sent('POST', '/radar-incidents/_search')[0]?.body, {
    size: 3,
    track_total_hits: false,
    query: expectedQuery,
    sort: [{ last_seen: { order: 'desc' } }, { id: { order: 'desc' } }],
    _source: { excludes: ['keys', 'report_keys', 'post_ids', 'posts', 'signature', 'place_keys'] },
  });
  t.deepEqual(es.sent('POST', '/radar-incidents/_pit')[0]?.querystring, { keep_alive: '2m' }, 'a point in time only once a next page exists');
  const second = await store.listIncidents(filter, { limit: 2, cursor: first.nextCursor });
  t.deepEqual(second.items.map((i) => i.id), ['inc_a']);
  t.is(second.nextCursor, null);
  t.deepEqual(es.sent('POST', '/_search')[0]?.body, {
    size: 3,
    track_total_hits: false,
    query: expectedQuery,
    sort: [{ last_seen: { order: 'desc' } }, { id: { order: 'desc' } }],
    _source: { excludes: ['keys', 'report_keys', 'post_ids', 'posts', 'signature', 'place_keys'] },
    search_after: [Date.parse('2026-11-21T08:00:00.000Z'), 'inc_b'],
    pit: { id: 'pit-1', keep_alive: '2m' },
  });
  await settle();
  t.deepEqual(es.sent('DELETE', '/_pit')[0]?.body, { id: 'pit-2' }, 'the last page closes the point in time (without waiting for it)');
});

test('an expired point in time does not break paging: the position alone continues the feed', async (t) => {
  const es = readyCluster();
  es.on('POST', '/_search', () => errorResponse(404, 'search_phase_execution_exception', 'No search context found for id [pit-1]'));
  es.on('POST', '/radar-incidents/_search', () => ({ hits: { hits: [incident('inc_a', '2026-11-21T08:00:00.000Z')] } }));
  const store = open(es);
  const cursor = Buffer.from(JSON.stringify(['2026-11-21T08:00:00.000Z', 'inc_b', 'pit-1'])).toString('base64url');
  const page = await store.listIncidents({}, { limit: 2, cursor });
  t.deepEqual(page.items.map((i) => i.id), ['inc_a']);
  t.deepEqual((es.sent('POST', '/radar-incidents/_search')[0]?.body as { search_after: unknown }).search_after, [Date.parse('2026-11-21T08:00:00.000Z'), 'inc_b']);
  // A cursor issued by the SQLite store pages the same way.
  const sqliteCursor = Buffer.from(JSON.stringify(['2026-11-21T08:00:00.000Z', 'inc_b'])).toString('base64url');
  t.deepEqual((await store.listIncidents({}, { limit: 2, cursor: sqliteCursor })).items.map((i) => i.id), ['inc_a']);
});

test('facets: one search of size 0 with terms, date histogram and geohash grid aggregations', async (t) => {
  const es = readyCluster();
  es.on('POST', '/radar-incidents/_search', () => ({
    hits: { total: { value: 4, relation: 'eq' }, hits: [] },
    aggregations: {
      categories: { buckets: [{ key: 'roads', doc_count: 3 }, { key: 'waste', doc_count: 1 }] },
      municipalities: { buckets: [{ key: 'дзержинск', doc_count: 2, spelling: { buckets: [{ key: 'Дзержинск', doc_count: 1 }] } }] },
      days: { buckets: [{ key: Date.parse('2026-11-20T00:00:00.000Z'), key_as_string: '2026-11-20', doc_count: 4 }] },
      geo: { buckets: [{ key: 'ucfv0', doc_count: 2 }, { key: 'ucfu8', doc_count: 2 }] },
    },
  }));
  const facets = await open(es).incidentFacets({ categories: ['roads'] }, { geoPrecision: 5 });
  t.deepEqual(es.sent('POST', '/radar-incidents/_search')[0]?.body, {
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: [{ terms: { category: ['roads'] } }] } },
    aggs: {
      categories: { terms: { field: 'category', size: FACET_BUCKETS, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
      municipalities: {
        terms: { field: 'municipality.folded', size: FACET_BUCKETS, order: [{ _count: 'desc' }, { _key: 'asc' }] },
        aggs: { spelling: { terms: { field: 'municipality.keyword', size: 1, order: { _key: 'asc' } } } },
      },
      days: { date_histogram: { field: 'first_seen', calendar_interval: 'day', time_zone: 'UTC', min_doc_count: 1, format: 'yyyy-MM-dd' } },
      geo: { geohash_grid: { field: 'location', precision: 5, size: FACET_BUCKETS } },
    },
  });
  t.is(facets.total, 4);
  t.deepEqual(facets.municipalities, [{ key: 'Дзержинск', count: 2 }]);
  t.deepEqual(facets.days, [{ key: '2026-11-20', count: 4 }]);
  t.deepEqual(facets.geo.map((c) => c.geohash), ['ucfu8', 'ucfv0'], 'ties by geohash');
});

test('story candidates: posts sharing the most LSH bands, each band one constant-score clause', async (t) => {
  const es = readyCluster();
  es.on('POST', '/radar-posts/_search', () => ({
    hits: { hits: [{ _id: 'vk:1', _source: { story: { id: 'sto_a', bands: ['b0:1', 'b1:2'], signature: 'BwAAAA==', semantic: null } }, sort: [2, 'vk:1'] }] },
  }));
  const found = await open(es).storyCandidates(['b1:2', 'b0:1', 'b1:2'], 8);
  t.deepEqual(es.sent('POST', '/radar-posts/_search')[0]?.body, {
    size: BAND_ROWS,
    track_total_hits: false,
    query: { bool: { should: [{ constant_score: { filter: { term: { 'story.bands': 'b0:1' } } } }, { constant_score: { filter: { term: { 'story.bands': 'b1:2' } } } }], minimum_should_match: 1 } },
    sort: [{ _score: { order: 'desc' } }, { post_id: 'asc' }],
    _source: ['story.id', 'story.bands', 'story.signature', 'story.semantic'],
  });
  t.deepEqual(found.map((c) => [c.storyId, c.postId, [...c.signature], c.semantic]), [['sto_a', 'vk:1', [7], null]]);
});

test('incident candidates: one multi-search, a bounded read per specific key and per broad key and category', async (t) => {
  const es = readyCluster();
  es.on('POST', '/radar-incidents/_msearch', () => ({ responses: [{ hits: { hits: [] } }, { hits: { hits: [] } }, { hits: { hits: [] } }, { hits: { hits: [] } }] }));
  await open(es).incidentCandidates({
    placeKeys: ['addr:ленина|5', 'muni:дзержинск', 'story:sto_a'],
    categories: ['roads', 'urban', 'waste'],
    broadCategories: ['roads', 'urban'],
    since: '2026-11-01T00:00:00.000Z',
    limit: 20,
  });
  const source = ['id', 'category', 'status', 'place_keys', 'first_seen', 'last_seen', 'signature'];
  const sort = [{ last_seen: 'desc' }, { id: 'desc' }];
  const read = (key: string, categories: string[], size: number) => ({
    size,
    track_total_hits: false,
    query: { bool: { filter: [{ term: { keys: key } }, { terms: { category: categories } }, { range: { last_seen: { gte: '2026-11-01T00:00:00.000Z' } } }] } },
    sort,
    _source: source,
  });
  t.deepEqual(es.sent('POST', '/radar-incidents/_msearch')[0]?.body, [
    {},
    read('addr:ленина|5', ['roads', 'urban', 'waste'], KEY_ROWS),
    {},
    read('muni:дзержинск', ['roads'], BROAD_KEY_ROWS),
    {},
    read('muni:дзержинск', ['urban'], BROAD_KEY_ROWS),
    {},
    read('story:sto_a', ['roads', 'urban', 'waste'], KEY_ROWS),
  ]);
});
