import test from 'ava';
import { CollectorError } from '../collectors/base/errors.js';
import type { Collector } from '../collectors/types.js';
import { silentLogger } from '../core/logger.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { CollectRunner } from './collect.js';
import { startScheduler } from './scheduler.js';

const waitFor = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
};

test('each enabled source runs on its own cron schedule; a failing one does not stop the others', async (t) => {
  const store = new SqliteStore({ path: ':memory:', analyzeQuery: (q) => [q] });
  const runner = new CollectRunner({ store, logger: silentLogger, onStored: () => undefined });
  const calls = { ok: 0, broken: 0, disabled: 0 };
  const collector = (id: keyof typeof calls, fail = false): Collector<null> => ({
    sourceId: id,
    type: 'rss',
    parseCursor: () => null,
    collect: async () => {
      calls[id]++;
      if (fail) throw new CollectorError('ERR_TIMEOUT', `${id}: timed out`);
      return { items: [{ input: { id: String(calls[id]), text: 'пост', source: id }, raw: {} }], cursor: null, skipped: [] };
    },
  });
  const scheduler = startScheduler(
    runner,
    [
      { id: 'ok', type: 'rss', enabled: true, schedule: '* * * * * *', collector: collector('ok') },
      { id: 'broken', type: 'rss', enabled: true, schedule: '* * * * * *', collector: collector('broken', true) },
      { id: 'disabled', type: 'rss', enabled: false, schedule: '* * * * * *', collector: collector('disabled') },
    ],
    silentLogger,
  );
  try {
    await waitFor(() => calls.ok >= 2 && calls.broken >= 2, 'two passes of each enabled source');
  } finally {
    await scheduler.stop();
  }
  t.is(calls.disabled, 0);
  t.like(await store.getSourceState('broken'), { health: 'failing', lastErrorCode: 'ERR_TIMEOUT' });
  t.true(((await store.getSourceState('ok'))?.postsCollected ?? 0) >= 2);
  t.true(((await store.getSourceState('broken'))?.consecutiveFailures ?? 0) >= 2);
});
