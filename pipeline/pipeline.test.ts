import test from 'ava';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import type { NlpToolkit } from '../nlp/contract.js';
import { createBaselineToolkit } from '../nlp/index.js';
import type { Store } from '../store/contract.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { toNewPost } from './ingest.js';
import { Pipeline } from './pipeline.js';
import { Processor } from './processor.js';

const config = loadConfig({ env: {} });
const baseline = createBaselineToolkit();

const make = (options: { nlp?: NlpToolkit; store?: Store; maxQueuedBatches?: number } = {}) => {
  const store = options.store ?? new SqliteStore({ path: ':memory:', analyzeQuery: (q) => baseline.searchTokens(q) });
  const pipeline = new Pipeline({
    nlp: options.nlp ?? baseline,
    sink: store,
    dedupIndex: store,
    dedup: config.dedup,
    logger: silentLogger,
    concurrency: 1,
    maxQueuedBatches: options.maxQueuedBatches ?? 8,
  });
  return { store, pipeline, processor: new Processor(pipeline, store, 2, silentLogger) };
};

const texts = [
  'Во дворе дома 7 на улице Чкалова не вывозят мусор, контейнеры переполнены',
  'BOOM этот пост ломает классификатор',
  'На проспекте Гагарина, д. 23 яма на дороге, разбит асфальт',
];

test('a post that breaks a stage is marked failed; the rest of its batch is processed', async (t) => {
  const nlp: NlpToolkit = {
    ...baseline,
    classifier: {
      version: 'exploding',
      classify: (doc, segments) => {
        if (doc.clean.includes('BOOM')) throw new Error('classifier exploded');
        return baseline.classifier.classify(doc, segments);
      },
    },
  };
  const { store, processor } = make({ nlp });
  await store.savePosts(texts.map((text, i) => toNewPost({ id: String(i), text }, 'test')));
  const result = await processor.drain();
  t.deepEqual(result, { processed: 2, failed: 1, problems: 2 });
  const failed = await store.getPost('test:1');
  t.is(failed?.status, 'failed');
  t.is(failed?.error, 'classify: classifier exploded');
  t.is((await store.getPost('test:2'))?.status, 'processed');
  t.like(await store.stats(), { pending: 0, failed: 1, incidents: 2 });
});

test('submit waits while the queue is full (backpressure) and goes on when it drains', async (t) => {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const inner = new SqliteStore({ path: ':memory:', analyzeQuery: (q) => baseline.searchTokens(q) });
  // The store blocks dedup until the gate opens, so committed batches pile up behind it.
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'storyCandidates' && typeof value === 'function') {
        return async (...args: unknown[]) => {
          await gate;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Store;
  const { pipeline } = make({ store, maxQueuedBatches: 1 });
  const saved = await inner.savePosts(texts.map((text, i) => toNewPost({ id: String(i), text }, 'test')));
  const [p0, p1, p2] = saved.inserted;
  const first = await pipeline.submit([p0!]);
  const second = await pipeline.submit([p1!]);
  let thirdAccepted = false;
  const third = pipeline.submit([p2!]).then((s) => {
    thirdAccepted = true;
    return s;
  });
  await new Promise((r) => setTimeout(r, 50));
  t.false(thirdAccepted, 'the producer waits while a batch is queued behind the blocked one');
  open();
  const results = await Promise.all([first.done, second.done, (await third).done]);
  t.true(thirdAccepted);
  t.deepEqual(results.map((r) => r.items.map((i) => i.post.id)), [['test:0'], ['test:1'], ['test:2']]);
});

test('batches are committed in submission order, so dedup sees every earlier post', async (t) => {
  const { store, pipeline } = make();
  const copies = Array.from({ length: 6 }, (_, i) =>
    toNewPost({ id: String(i), text: 'СРОЧНО!!! Перешлите всем: в водопроводе нашли холеру, власти скрывают, знакомый врач сказал' }, `src${i}`),
  );
  const saved = await store.savePosts(copies);
  const submissions = await Promise.all(saved.inserted.map((post) => pipeline.submit([post])));
  const results = await Promise.all(submissions.map((s) => s.done));
  const stories = new Set(results.map((r) => r.items[0]?.storyId));
  t.is(stories.size, 1, 'all copies join the first post\'s story');
  t.is(results.at(-1)?.items[0]?.story.sources, 6);
});
