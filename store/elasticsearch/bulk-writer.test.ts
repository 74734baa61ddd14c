import test from 'ava';
import { createLogger, type Logger } from '../../core/logger.js';
import { validateBulkWriterOptions } from './bulk-options.js';
import { BulkWriter } from './bulk-writer.js';
import { bulkItem, connectionRefused, errorResponse, mockCluster, settle } from './test-support.js';

const quiet = createLogger('silent');
const capture = (): { logger: Logger; lines: Record<string, unknown>[] } => {
  const lines: Record<string, unknown>[] = [];
  return { logger: createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), lines };
};
const fast = { retryBaseMs: 1, retryMaxMs: 2, random: () => 0.5 };

test('options are validated in one place, naming the option and the value', (t) => {
  t.throws(() => validateBulkWriterOptions({ maxBytes: Number.NaN }), { message: 'Expected `maxBytes` to be a finite number > 0, got `NaN` (number)' });
  t.throws(() => validateBulkWriterOptions({ maxDocs: 0 }), { message: 'Expected `maxDocs` to be an integer >= 1, got `0` (number)' });
  t.throws(() => validateBulkWriterOptions({ concurrency: '2' as unknown as number }), { message: 'Expected `concurrency` to be an integer >= 1, got `2` (string)' });
  t.throws(() => validateBulkWriterOptions({ retryBaseMs: 100, retryMaxMs: 10 }), { message: 'Expected `retryMaxMs` to be a finite number >= retryBaseMs (100), got `10` (number)' });
  t.throws(() => validateBulkWriterOptions({ refresh: 'yes' as unknown as false }), { message: "Expected `refresh` to be a boolean or 'wait_for', got `yes` (string)" });
  t.like(validateBulkWriterOptions({ maxDocs: 10 }), { maxDocs: 10, concurrency: 2, refresh: false });
});

test('operations are sent as one bulk body with their ids and op types, flushed by count', async (t) => {
  const es = mockCluster();
  es.on('POST', '/_bulk', (r) => ({ errors: false, took: 1, items: (r.body as object[]).filter((_, i) => i % 2 === 0).map((_, i) => bulkItem('index', String(i), 201)) }));
  const writer = new BulkWriter(es.client, quiet, { maxDocs: 3, flushIntervalMs: 60_000 });
  const tickets = [
    await writer.add({ op: 'update', index: 'radar-posts', id: 'vk:1', doc: { status: 'processed' } }),
    await writer.add({ op: 'create', index: 'radar-incidents', id: 'inc_a', doc: { id: 'inc_a' } }),
  ];
  await settle();
  t.is(es.requests.length, 0, 'two operations wait for a third or a flush');
  tickets.push(await writer.add({ op: 'index', index: 'radar-stories', id: 'sto_a', doc: { id: 'sto_a', size: 2 }, ifSeqNo: 7, ifPrimaryTerm: 1 }));
  const results = await Promise.all(tickets.map((ticket) => ticket.done));
  t.true(results.every((r) => r.ok));
  t.is(es.requests.length, 1);
  t.deepEqual(es.requests[0]?.querystring, { refresh: 'false' });
  t.deepEqual(es.requests[0]?.body, [
    { update: { _index: 'radar-posts', _id: 'vk:1', retry_on_conflict: 3 } },
    { doc: { status: 'processed' }, doc_as_upsert: true },
    { create: { _index: 'radar-incidents', _id: 'inc_a' } },
    { id: 'inc_a' },
    { index: { _index: 'radar-stories', _id: 'sto_a', if_seq_no: 7, if_primary_term: 1 } },
    { id: 'sto_a', size: 2 },
  ]);
});

test('a request is cut at maxBytes and flush sends what is buffered', async (t) => {
  const es = mockCluster();
  es.on('POST', '/_bulk', (r) => ({ errors: false, took: 1, items: (r.body as object[]).filter((_, i) => i % 2 === 0).map(() => bulkItem('index', 'x', 200)) }));
  const doc = { text: 'x'.repeat(100) };
  const writer = new BulkWriter(es.client, quiet, { maxBytes: 300, maxDocs: 100, flushIntervalMs: 60_000 });
  const tickets = [];
  for (let i = 0; i < 5; i++) tickets.push(await writer.add({ op: 'index', index: 'p', id: String(i), doc }));
  await writer.flush();
  t.true((await Promise.all(tickets.map((x) => x.done))).every((r) => r.ok));
  t.deepEqual(
    es.requests.map((r) => (r.body as { index?: { _id: string } }[]).filter((line) => line.index).map((line) => line.index?._id)),
    [['0', '1'], ['2', '3'], ['4']],
  );
});

test('only the items refused with 429 or 5xx are sent again, after a backoff; a mapping error is not retried', async (t) => {
  const es = mockCluster();
  const { logger, lines } = capture();
  let call = 0;
  es.on('POST', '/_bulk', () => {
    call++;
    if (call === 1) {
      return {
        errors: true,
        took: 1,
        items: [
          bulkItem('index', 'a', 201),
          bulkItem('index', 'b', 429, { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' }),
          bulkItem('index', 'c', 400, { type: 'document_parsing_exception', reason: 'failed to parse field [location]' }),
          bulkItem('index', 'd', 503, { type: 'unavailable_shards_exception', reason: 'primary shard is not active' }),
        ],
      };
    }
    return { errors: false, took: 1, items: [bulkItem('index', 'b', 201), bulkItem('index', 'd', 201)] };
  });
  const writer = new BulkWriter(es.client, logger, { ...fast, maxDocs: 4 });
  const tickets = [];
  for (const id of ['a', 'b', 'c', 'd']) tickets.push(await writer.add({ op: 'index', index: 'radar-posts', id, doc: { id } }));
  const results = await Promise.all(tickets.map((x) => x.done));
  t.deepEqual(results.map((r) => r.ok), [true, true, false, true]);
  t.like(results[2], { ok: false, status: 400, kind: 'rejected', detail: '400 document_parsing_exception: failed to parse field [location]', attempts: 1 });
  t.is(es.requests.length, 2);
  t.deepEqual(es.requests[1]?.body, [{ index: { _index: 'radar-posts', _id: 'b' } }, { id: 'b' }, { index: { _index: 'radar-posts', _id: 'd' } }, { id: 'd' }]);
  t.true(lines.some((l) => l.msg === 'elasticsearch bulk item rejected' && l.id === 'c' && l.status === 400));
  t.true(lines.some((l) => l.msg === 'elasticsearch bulk items retried' && l.operations === 2 && l.attempt === 1));
});

test('a whole request that fails with 503 or no connection is retried; after maxRetries the items settle as unavailable', async (t) => {
  const es = mockCluster();
  let call = 0;
  es.on('POST', '/_bulk', () => {
    call++;
    if (call === 1) return errorResponse(503, 'cluster_block_exception', 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]');
    if (call === 2) return connectionRefused();
    return { errors: false, took: 1, items: [bulkItem('create', 'a', 201)] };
  });
  const writer = new BulkWriter(es.client, quiet, fast);
  const ok = await writer.add({ op: 'create', index: 'radar-incidents', id: 'a', doc: { id: 'a' } });
  await writer.flush();
  t.like(await ok.done, { ok: true, status: 201 });
  t.is(call, 3);
  t.deepEqual(es.requests[0]?.body, es.requests[2]?.body, 'the same item is sent again');

  const down = mockCluster();
  down.on('POST', '/_bulk', () => connectionRefused());
  const giveUp = new BulkWriter(down.client, quiet, { ...fast, maxRetries: 2 });
  const lost = await giveUp.add({ op: 'create', index: 'radar-incidents', id: 'a', doc: { id: 'a' } });
  await giveUp.flush();
  t.like(await lost.done, { ok: false, kind: 'unavailable', status: null, attempts: 3, detail: 'connect ECONNREFUSED 127.0.0.1:9200' });
  t.is(down.requests.length, 3, 'one attempt and two retries');
});

test('401 fails every item of the request at once, without retries', async (t) => {
  const es = mockCluster();
  es.on('POST', '/_bulk', () => errorResponse(401, 'security_exception', 'missing authentication credentials for REST request [/_bulk]'));
  const writer = new BulkWriter(es.client, quiet, fast);
  const tickets = [await writer.add({ op: 'delete', index: 'p', id: '1' }), await writer.add({ op: 'delete', index: 'p', id: '2' })];
  await writer.flush();
  for (const ticket of tickets) {
    t.like(await ticket.done, { ok: false, status: 401, kind: 'auth', detail: '401 security_exception: missing authentication credentials for REST request [/_bulk]' });
  }
  t.is(es.requests.length, 1);
});

test('a conflict (409) is reported to the caller, not retried; deleting a missing document is fine', async (t) => {
  const es = mockCluster();
  es.on('POST', '/_bulk', () => ({
    errors: true,
    took: 1,
    items: [bulkItem('index', 'a', 409, { type: 'version_conflict_engine_exception', reason: '[a]: version conflict' }), { delete: { _index: 'p', _id: 'b', status: 404, result: 'not_found' } }],
  }));
  const writer = new BulkWriter(es.client, quiet, fast);
  const conflict = await writer.add({ op: 'index', index: 'p', id: 'a', doc: {}, ifSeqNo: 1, ifPrimaryTerm: 1 });
  const gone = await writer.add({ op: 'delete', index: 'p', id: 'b' });
  await writer.flush();
  t.like(await conflict.done, { ok: false, status: 409, kind: 'conflict' });
  t.like(await gone.done, { ok: true, status: 404 });
  t.is(es.requests.length, 1);
});

test('add waits while maxBuffered operations are outstanding and goes on once they settle', async (t) => {
  const es = mockCluster();
  es.on('POST', '/_bulk', (r) => ({ errors: false, took: 1, items: (r.body as object[]).filter((_, i) => i % 2 === 0).map(() => bulkItem('index', 'x', 200)) }));
  const writer = new BulkWriter(es.client, quiet, { maxBuffered: 2, maxDocs: 100, flushIntervalMs: 60_000 });
  await writer.add({ op: 'index', index: 'p', id: '1', doc: {} });
  await writer.add({ op: 'index', index: 'p', id: '2', doc: {} });
  let third = false;
  const adding = writer.add({ op: 'index', index: 'p', id: '3', doc: {} }).then((ticket) => {
    third = true;
    return ticket;
  });
  await settle();
  t.false(third, 'the third add waits: two operations are outstanding');
  t.is(writer.outstanding, 2);
  t.is(es.requests.length, 0);
  await writer.flush();
  const ticket = await adding;
  t.true(third);
  await writer.flush();
  t.like(await ticket.done, { ok: true });
  t.deepEqual(es.requests.map((r) => (r.body as unknown[]).length / 2), [2, 1]);
});

test('the flush interval sends a partial batch without an explicit flush', async (t) => {
  const es = mockCluster();
  es.on('POST', '/_bulk', () => ({ errors: false, took: 1, items: [bulkItem('index', '1', 200)] }));
  const writer = new BulkWriter(es.client, quiet, { maxDocs: 100, flushIntervalMs: 5 });
  const ticket = await writer.add({ op: 'index', index: 'p', id: '1', doc: {} });
  t.like(await ticket.done, { ok: true });
  t.is(es.requests.length, 1);
});
