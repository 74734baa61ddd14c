/**
 * Dedup cost per new post against stores already holding N posts. The store is filled through its
 * public contract with synthetic dedup entries (random MinHash signatures, place keys drawn from a
 * region-sized street list, the rare-term keys of real generated posts so that term lists grow as
 * they would, a month of timestamps); then real generated posts go through the real dedup engine
 * and we time that stage alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RadarConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { postIdOf } from '../core/ids.js';
import { emptyFacts, type Post } from '../core/types.js';
import type { NlpToolkit } from '../nlp/contract.js';
import { mulberry32 } from '../nlp/model/softmax-regression.js';
import { makeId, reportTermKeys } from '../pipeline/dedup.js';
import type { StageContext } from '../pipeline/items.js';
import { classify, dedup, embed, extract, normalize, split } from '../pipeline/stages.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { generateCorpus } from './corpus.js';

const categories = ['housing', 'roads', 'waste', 'urban', 'transport', 'energy', 'ecology', 'safety'];
const munis = ['нижний новгород', 'дзержинск', 'бор', 'кстово', 'арзамас', 'выкса', 'саров', 'павлово', 'балахна', 'городец'];

/** Term keys of generated posts, chosen as the dedup stage chooses them, to draw fill entries from. */
const termKeySets = (nlp: NlpToolkit, count: number): string[][] =>
  generateCorpus(count, 3).map((post) => reportTermKeys(nlp.normalizer.normalize(post.text).tokens, nlp.termWeights));

const fill = async (store: SqliteStore, count: number, seed: number, offset: number, termSets: readonly string[][]): Promise<void> => {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = offset; i < offset + count; i++) {
    const postId = `fill:${i}`;
    const seenAt = new Date(start + random() * 30 * 86_400_000).toISOString();
    const signature = new Uint32Array(64).map(() => Math.floor(random() * 0xffffffff));
    const bandKeys = Array.from({ length: 16 }, (_, b) => `b${b}:${Math.floor(random() * 0xffffffff).toString(16)}`);
    const storyId = makeId('sto', postId);
    await store.addToStory({ storyId, postId, source: `src${i % 40}`, seenAt, signature, bandKeys });
    const street = `street:улица ${Math.floor(random() * 3000)}`;
    const category = pick(categories);
    await store.addIncidentReport({
      incidentId: makeId('inc', `${postId}#0`),
      postId,
      problemIndex: 0,
      source: `src${i % 40}`,
      seenAt,
      category,
      title: 'synthetic',
      urgency: 'low',
      municipality: null,
      address: null,
      location: null,
      placeKeys: [street, `addr:${street.slice(7)}|${Math.floor(random() * 120)}`, `area:${pick(munis)}`, ...pick(termSets), `story:${storyId}`],
      signature,
      facts: emptyFacts(),
    });
  }
};

export const dedupScaling = async (config: RadarConfig, nlp: NlpToolkit, sizes: readonly number[], sample = 1_000) => {
  const posts: Post[] = generateCorpus(sample, 7).map((p) => ({
    id: postIdOf(p.source ?? 'bench', p.id),
    source: p.source ?? 'bench',
    externalId: p.id,
    text: p.text,
    author: null,
    url: null,
    publishedAt: p.published_at ?? null,
    collectedAt: new Date().toISOString(),
    location: p.location ?? null,
    raw: null,
  }));
  const termSets = termKeySets(nlp, 5_000);
  const results: { stored: number; usPerPost: number; fillSeconds: number }[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'radar-dedup-'));
    const open = () => new SqliteStore({ path: join(dir, 'radar.db'), analyzeQuery: (q) => nlp.searchTokens(q) });
    const filling = open();
    const filled = performance.now();
    for (let done = 0; done < size; done += 5_000) await filling.batch(() => fill(filling, Math.min(5_000, size - done), 11 + done, done, termSets));
    // Closing checkpoints the fill's write-ahead log: the timed part measures lookups, not that flush.
    await filling.close();
    const store = open();
    const fillSeconds = (performance.now() - filled) / 1000;
    const ctx: StageContext = { nlp, sink: store, dedupIndex: store, dedup: config.dedup, logger: silentLogger, fail: () => undefined };
    const analysed = await classify(await extract(await embed(await split(await normalize(posts.map((post) => ({ post })), ctx), ctx), ctx), ctx), ctx);
    const started = performance.now();
    // Batches of 100 in one transaction each, as the pipeline runs them.
    for (let i = 0; i < analysed.length; i += 100) await store.batch(() => dedup(analysed.slice(i, i + 100), ctx));
    results.push({ stored: size, usPerPost: ((performance.now() - started) * 1000) / analysed.length, fillSeconds });
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
};
