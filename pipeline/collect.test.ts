import test from 'ava';
import { CollectorError } from '../collectors/base/errors.js';
import type { CollectContext, CollectOutcome, Collector } from '../collectors/types.js';
import { silentLogger } from '../core/logger.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { CollectRunner, type RunnableSource } from './collect.js';

/** A collector over an in-memory "platform": a list of posts with increasing ids. */
class ListCollector implements Collector<{ newest: number }> {
  readonly type = 'vk' as const;
  readonly seen: ({ newest: number } | null)[] = [];
  constructor(
    readonly sourceId: string,
    readonly posts: { id: number; text: string }[],
    readonly fail?: () => Error,
  ) {}
  async collect(ctx: CollectContext<{ newest: number }>): Promise<CollectOutcome<{ newest: number }>> {
    this.seen.push(ctx.cursor);
    if (this.fail) throw this.fail();
    const newest = ctx.cursor?.newest ?? 0;
    const fresh = this.posts.filter((p) => p.id > newest);
    return {
      items: fresh.map((p) => ({ input: { id: String(p.id), text: p.text, source: this.sourceId, published_at: '2026-11-20T08:00:00.000Z' }, raw: p })),
      cursor: { newest: Math.max(newest, ...this.posts.map((p) => p.id)) },
      skipped: [{ reason: 'no text', detail: 'item 0' }],
    };
  }
  parseCursor(value: unknown): { newest: number } | null {
    return typeof value === 'object' && value !== null && typeof (value as { newest?: unknown }).newest === 'number' ? (value as { newest: number }) : null;
  }
}

const setup = () => {
  const store = new SqliteStore({ path: ':memory:', analyzeQuery: (q) => q.split(' ') });
  let kicks = 0;
  const runner = new CollectRunner({ store, logger: silentLogger, onStored: () => kicks++ });
  const source = (collector: Collector, extra: Partial<RunnableSource> = {}): RunnableSource => ({
    id: collector.sourceId,
    type: collector.type,
    enabled: true,
    schedule: '* * * * *',
    collector,
    ...extra,
  });
  return { store, runner, source, kicks: () => kicks };
};

test('a pass stores posts with the cursor; the next pass starts from it and stores only new posts', async (t) => {
  const { store, runner, source, kicks } = setup();
  const collector = new ListCollector('vk-a', [
    { id: 1, text: 'первый' },
    { id: 2, text: 'второй' },
  ]);
  const first = await runner.run(source(collector));
  t.like(first, { status: 'ok', collected: 2, stored: 2, duplicates: 0, skipped: 1 });
  t.is(kicks(), 1);
  collector.posts.push({ id: 3, text: 'третий' });
  const second = await runner.run(source(collector));
  t.like(second, { status: 'ok', collected: 1, stored: 1 });
  t.deepEqual(collector.seen, [null, { newest: 2 }]);
  t.deepEqual((await store.getSourceState('vk-a'))?.cursor, { newest: 3 });
  t.deepEqual((await store.getPost('vk-a:3'))?.post.raw, { id: 3, text: 'третий' });
  // A new runner (a restarted process) resumes from the stored cursor.
  const restarted = new CollectRunner({ store, logger: silentLogger, onStored: () => undefined });
  t.like(await restarted.run(source(collector)), { collected: 0, stored: 0 });
  t.deepEqual(collector.seen.at(-1), { newest: 3 });
});

test('one failing source never stops the others, and its failure is recorded', async (t) => {
  const { store, runner, source } = setup();
  const broken = new ListCollector('tg-broken', [], () => new CollectorError('ERR_TIMEOUT', 'tg-broken: timed out'));
  const fine = new ListCollector('vk-fine', [{ id: 1, text: 'ok' }]);
  const results = await runner.runAll([source(broken), source(fine)]);
  t.deepEqual(results.map((r) => r.status), ['failed', 'ok']);
  t.deepEqual(results[0]?.error, { code: 'ERR_TIMEOUT', message: 'tg-broken: timed out', disposition: 'retry-later' });
  t.like(await store.getSourceState('tg-broken'), { health: 'failing', lastErrorCode: 'ERR_TIMEOUT', consecutiveFailures: 1, cursor: null });
  t.is((await store.stats()).posts, 1);
});

test('a source that is gone is parked: scheduled passes skip it, a forced pass tries again', async (t) => {
  const { store, runner, source } = setup();
  let gone = true;
  const collector = new ListCollector('vk-gone', [{ id: 1, text: 'снова доступен' }]);
  const flaky: Collector = {
    sourceId: 'vk-gone',
    type: 'vk',
    parseCursor: (v) => collector.parseCursor(v),
    collect: async (ctx) => {
      if (gone) throw new CollectorError('ERR_SOURCE_GONE', 'vk-gone: wall deleted');
      return collector.collect(ctx as CollectContext<{ newest: number }>);
    },
  };
  t.like(await runner.run(source(flaky)), { status: 'failed' });
  t.is((await store.getSourceState('vk-gone'))?.health, 'skipped');
  gone = false;
  const scheduled = await runner.run(source(flaky));
  t.is(scheduled.status, 'not-run');
  t.regex(scheduled.reason ?? '', /parked as skipped after: vk-gone: wall deleted/);
  t.like(await runner.run(source(flaky), { force: true }), { status: 'ok', stored: 1 });
  t.is((await store.getSourceState('vk-gone'))?.health, 'ok');
});

test('config errors park the source as misconfigured; bugs are failures with ERR_INTERNAL', async (t) => {
  const { store, runner, source } = setup();
  await runner.run(source(new ListCollector('vk-token', [], () => new CollectorError('ERR_CONFIG', 'VK_SERVICE_TOKEN is not set'))));
  t.is((await store.getSourceState('vk-token'))?.health, 'misconfigured');
  const bug = await runner.run(source(new ListCollector('vk-bug', [], () => new TypeError('x is undefined'))));
  t.deepEqual(bug.error, { code: 'ERR_INTERNAL', message: 'x is undefined', disposition: 'internal' });
  t.is((await store.getSourceState('vk-bug'))?.health, 'failing');
});

test('disabled sources are not run; an unusable stored cursor means a full pass', async (t) => {
  const { store, runner, source } = setup();
  const collector = new ListCollector('vk-a', [{ id: 5, text: 'x' }]);
  t.like(await runner.run(source(collector, { enabled: false })), { status: 'not-run', reason: 'disabled in the config' });
  await store.saveCollected({ sourceId: 'vk-a', type: 'vk', posts: [], cursor: 'garbage from an old version', at: '2026-11-20T08:00:00.000Z' });
  t.like(await runner.run(source(collector)), { status: 'ok', stored: 1 });
  t.deepEqual(collector.seen, [null]);
});

test('passes of one source never overlap', async (t) => {
  const { runner, source } = setup();
  const collector = new ListCollector('vk-a', [{ id: 1, text: 'x' }]);
  const [a, b] = await Promise.all([runner.run(source(collector)), runner.run(source(collector))]);
  t.is(a, b);
  t.is(collector.seen.length, 1);
});
