import test from 'ava';
import { ConfigError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { analysisSettings } from './analysis.js';
import { indexSpecs } from './mappings.js';
import { ensureIndices, migrateIndices } from './migrate.js';
import { indexKeys } from './names.js';
import { errorResponse, mockCluster } from './test-support.js';

const logger = createLogger('silent');
const acknowledged = () => ({ acknowledged: true });

/** The alias state `GET /radar-*\/_alias` returns: every index at version 1 with its alias. */
const atVersion1 = () => Object.fromEntries(indexKeys.map((key) => [`radar-${key}-v1`, { aliases: { [`radar-${key}`]: {} } }]));

test('on an empty cluster migrate puts a template per index and creates each index with its alias', async (t) => {
  const es = mockCluster();
  es.on('GET', '/:index/_alias', () => ({}));
  es.on('PUT', '/_index_template/:name', acknowledged);
  es.on('PUT', '/:index', (r) => ({ acknowledged: true, index: r.path.slice(1) }));
  const steps = await migrateIndices(es.client, 'radar-', { logger });
  t.deepEqual(steps.map((s) => [s.alias, s.action, s.index]), indexKeys.map((key) => [`radar-${key}`, 'create', `radar-${key}-v1`]));
  const template = es.sent('PUT', '/_index_template/radar-posts')[0];
  t.deepEqual(template?.body, {
    index_patterns: ['radar-posts-v*'],
    priority: 500,
    version: 1,
    _meta: { managed_by: 'radar', mapping_version: 1 },
    template: { settings: { refresh_interval: '1s', analysis: analysisSettings }, mappings: indexSpecs.posts.mappings },
  });
  t.deepEqual(es.sent('PUT', '/radar-incidents-v1')[0]?.body, { aliases: { 'radar-incidents': {} } });
  t.is(es.sent('PUT', /^\/_index_template\//).length, indexKeys.length);
});

test('the Russian analyzer is built from built-in parts: ё folding, lower case, Russian stop words and stemmer', (t) => {
  t.deepEqual(analysisSettings, {
    char_filter: { radar_yo: { type: 'mapping', mappings: ['ё => е', 'Ё => Е'] } },
    filter: { radar_russian_stop: { type: 'stop', stopwords: '_russian_' }, radar_russian_stemmer: { type: 'stemmer', language: 'russian' } },
    analyzer: { radar_russian: { type: 'custom', char_filter: ['radar_yo'], tokenizer: 'standard', filter: ['lowercase', 'radar_russian_stop', 'radar_russian_stemmer'] } },
    normalizer: { radar_folded: { type: 'custom', char_filter: ['radar_yo'], filter: ['lowercase'] } },
  });
  const incidents = indexSpecs.incidents.mappings.properties ?? {};
  t.like(incidents.location, { type: 'geo_point' });
  t.like(incidents.last_seen, { type: 'date' });
  t.like(incidents.municipality, { type: 'text', analyzer: 'radar_russian', fields: { keyword: { type: 'keyword' }, folded: { type: 'keyword', normalizer: 'radar_folded' } } });
  t.like(incidents.posts, { type: 'nested' });
  t.like(indexSpecs.posts.mappings.properties?.embedding, { type: 'dense_vector', similarity: 'cosine', index_options: { type: 'hnsw' } });
  t.is(indexSpecs.posts.mappings.dynamic, 'strict');
});

test('indices at the current version are left alone', async (t) => {
  const es = mockCluster();
  es.on('GET', '/:index/_alias', atVersion1);
  es.on('PUT', '/_index_template/:name', acknowledged);
  const steps = await migrateIndices(es.client, 'radar-', { logger });
  t.true(steps.every((s) => s.action === 'current'));
  t.is(es.requests.filter((r) => r.path.startsWith('/radar-') && r.method === 'PUT').length, 0);
});

test('a new mapping version is reindexed into -v2 and the alias is swapped atomically', async (t) => {
  const es = mockCluster();
  es.on('GET', '/:index/_alias', atVersion1);
  es.on('PUT', '/_index_template/:name', acknowledged);
  es.on('PUT', '/radar-posts-v2', acknowledged);
  es.on('POST', '/_reindex', () => ({ task: 'node-1:42' }));
  es.on('GET', '/_tasks/:task', () => ({ completed: true, task: {}, response: { created: 3, updated: 0, failures: [] } }));
  es.on(['GET', 'POST'], '/:index/_refresh', () => ({ _shards: { total: 2, successful: 2, failed: 0 } }));
  es.on(['GET', 'POST'], '/:index/_count', () => ({ count: 3 }));
  es.on('POST', '/_aliases', acknowledged);
  const specs = { ...indexSpecs, posts: { ...indexSpecs.posts, version: 2 } };
  const steps = await migrateIndices(es.client, 'radar-', { logger }, specs);
  t.deepEqual(steps.find((s) => s.key === 'posts'), { key: 'posts', alias: 'radar-posts', action: 'upgrade', index: 'radar-posts-v2', from: 'radar-posts-v1', documents: 3 });
  t.deepEqual(es.sent('PUT', '/radar-posts-v2')[0]?.body, null, 'created without the alias: readers stay on v1 until the swap');
  t.deepEqual(es.sent('POST', '/_reindex')[0], {
    method: 'POST',
    path: '/_reindex',
    querystring: { wait_for_completion: 'false' },
    body: { source: { index: 'radar-posts-v1' }, dest: { index: 'radar-posts-v2' } },
  });
  t.deepEqual(es.sent('GET', '/_tasks/node-1:42')[0]?.querystring, { wait_for_completion: 'true', timeout: '60s' });
  t.deepEqual(es.sent('POST', '/_aliases')[0]?.body, {
    actions: [{ remove: { index: 'radar-posts-v1', alias: 'radar-posts' } }, { add: { index: 'radar-posts-v2', alias: 'radar-posts' } }],
  });
  t.is(es.sent('DELETE', '/radar-posts-v1').length, 0, 'the old index is kept for a rollback unless asked');
  t.is(es.sent('POST', '/_reindex').length, 1, 'only the index whose version changed is rebuilt');
});

test('a write to the old index during the reindex stops the swap', async (t) => {
  const es = mockCluster();
  es.on('GET', '/:index/_alias', atVersion1);
  es.on('PUT', '/_index_template/:name', acknowledged);
  es.on('PUT', '/radar-stories-v2', acknowledged);
  es.on('POST', '/_reindex', () => ({ task: 'n:1' }));
  es.on('GET', '/_tasks/:task', () => ({ completed: true, task: {}, response: { created: 5, failures: [] } }));
  es.on(['GET', 'POST'], '/:index/_refresh', () => ({}));
  es.on(['GET', 'POST'], '/:index/_count', (r) => ({ count: r.path.startsWith('/radar-stories-v1') ? 6 : 5 }));
  es.on('POST', '/_aliases', acknowledged);
  const specs = { ...indexSpecs, stories: { ...indexSpecs.stories, version: 2 } };
  await t.throwsAsync(migrateIndices(es.client, 'radar-', { logger }, specs), {
    message: /radar-stories-v1 holds 6 documents but radar-stories-v2 only 5: something wrote to radar-stories during the reindex\. Stop the pipeline workers/,
  });
  t.is(es.sent('POST', '/_aliases').length, 0);
});

test('reindex failures leave the alias where it was', async (t) => {
  const es = mockCluster();
  es.on('GET', '/:index/_alias', atVersion1);
  es.on('PUT', '/_index_template/:name', acknowledged);
  es.on('PUT', '/radar-flags-v2', acknowledged);
  es.on('POST', '/_reindex', () => ({ task: 'n:2' }));
  es.on('GET', '/_tasks/:task', () => ({ completed: true, task: {}, response: { created: 0, failures: [{ id: 'x', cause: { type: 'document_parsing_exception' } }] } }));
  const specs = { ...indexSpecs, flags: { ...indexSpecs.flags, version: 2 } };
  await t.throwsAsync(migrateIndices(es.client, 'radar-', { logger }, specs), { message: /Reindexing radar-flags-v1 into radar-flags-v2 failed \(1 document\(s\) failed/ });
  t.is(es.sent('POST', '/_aliases').length, 0);
});

test('an index newer than this build, or a plain index where the alias belongs, is refused before any change', async (t) => {
  const newer = mockCluster();
  newer.on('GET', '/:index/_alias', () => ({ ...atVersion1(), 'radar-posts-v1': { aliases: {} }, 'radar-posts-v3': { aliases: { 'radar-posts': {} } } }));
  await t.throwsAsync(migrateIndices(newer.client, 'radar-', { logger }), {
    instanceOf: ConfigError,
    message: 'Alias radar-posts points at radar-posts-v3, mapping version 3, newer than this Radar build supports (1); upgrade Radar.',
  });
  const plain = mockCluster();
  plain.on('GET', '/:index/_alias', () => ({ ...atVersion1(), 'radar-posts-v1': { aliases: {} }, 'radar-posts': { aliases: {} } }));
  plain.on('PUT', '/_index_template/:name', acknowledged);
  await t.throwsAsync(migrateIndices(plain.client, 'radar-', { logger }), { instanceOf: ConfigError, message: /an index named radar-posts where Radar expects an alias/ });
  t.is(plain.requests.length, 1, 'nothing was written');
});

test('an interrupted run whose index exists without its alias gets the alias', async (t) => {
  const es = mockCluster();
  es.on('GET', '/:index/_alias', () => ({ ...atVersion1(), 'radar-decisions-v1': { aliases: {} } }));
  es.on('PUT', '/_index_template/:name', acknowledged);
  es.on('POST', '/_aliases', acknowledged);
  const steps = await migrateIndices(es.client, 'radar-', { logger });
  t.is(steps.find((s) => s.key === 'decisions')?.action, 'attach');
  t.deepEqual(es.sent('POST', '/_aliases')[0]?.body, { actions: [{ add: { index: 'radar-decisions-v1', alias: 'radar-decisions' } }] });
});

test('the store start-up check creates missing indices but asks for `radar es migrate` when one is outdated', async (t) => {
  const fresh = mockCluster();
  fresh.on('GET', '/:index/_alias', () => ({}));
  fresh.on('PUT', '/_index_template/:name', acknowledged);
  fresh.on('PUT', '/:index', acknowledged);
  await ensureIndices(fresh.client, 'acme-', logger);
  t.is(fresh.sent('PUT', /^\/acme-[a-z]+-v1$/).length, indexKeys.length);

  const outdated = mockCluster();
  outdated.on('GET', '/:index/_alias', atVersion1);
  const specs = { ...indexSpecs, incidents: { ...indexSpecs.incidents, version: 2 } };
  await t.throwsAsync(ensureIndices(outdated.client, 'radar-', logger, specs), {
    instanceOf: ConfigError,
    message: 'Elasticsearch indices need a mapping upgrade: radar-incidents (radar-incidents-v1 -> radar-incidents-v2). Stop the pipeline workers and run `radar es migrate`.',
  });
  t.is(outdated.requests.length, 1);
});

test('refused credentials and an unreachable cluster say what to do', async (t) => {
  const denied = mockCluster();
  denied.on('GET', '/:index/_alias', () => errorResponse(401, 'security_exception', 'unable to authenticate user [radar]'));
  await t.throwsAsync(ensureIndices(denied.client, 'radar-', logger), {
    instanceOf: ConfigError,
    message: /^Elasticsearch refused the credentials \(reading index aliases\): 401 security_exception: unable to authenticate user \[radar\]\. Check ELASTICSEARCH_API_KEY/,
  });
  const forbidden = mockCluster();
  forbidden.on('GET', '/:index/_alias', () => ({}));
  forbidden.on('PUT', '/_index_template/:name', () => errorResponse(403, 'security_exception', 'action [indices:admin/index_template/put] is unauthorized'));
  await t.throwsAsync(migrateIndices(forbidden.client, 'radar-', { logger }), { instanceOf: ConfigError, message: /403 security_exception: action \[indices:admin\/index_template\/put\] is unauthorized/ });
});
