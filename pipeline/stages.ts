/**
 * The stages, in order: normalize -> split -> embed -> extract -> classify -> dedup -> fake-risk -> index.
 * CPU stages handle posts one by one so that one bad post leaves the batch and the rest goes on.
 */
import type { PostAnalysis } from '../core/types.js';
import { assembleProblems } from '../nlp/problems.js';
import { dedupOne } from './dedup.js';
import type {
  AssessedItem,
  ClassifiedItem,
  DedupedItem,
  EmbeddedItem,
  ExtractedItem,
  NormalizedItem,
  RawItem,
  SplitItem,
  Stage,
  StageContext,
  StageName,
} from './items.js';

const eachItem =
  <I extends RawItem, O extends RawItem>(name: StageName, fn: (item: I, ctx: StageContext) => O | Promise<O>): Stage<I, O> =>
  async (batch, ctx) => {
    const out: O[] = [];
    // Sequential on purpose: dedup must see every earlier post of the batch.
    for (const item of batch) {
      try {
        // Awaited only when asynchronous: most stages are plain CPU work, and a microtask per post
        // and stage is measurable at thousands of posts per second.
        const result = fn(item, ctx);
        out.push(result instanceof Promise ? await result : result);
      } catch (error) {
        ctx.fail(item.post, name, error);
      }
    }
    return out;
  };

export const normalize: Stage<RawItem, NormalizedItem> = eachItem('normalize', (item, ctx) => ({
  ...item,
  doc: ctx.nlp.normalizer.normalize(item.post.text),
}));

export const split: Stage<NormalizedItem, SplitItem> = eachItem('split', (item, ctx) => ({
  ...item,
  segments: ctx.nlp.splitter.split(item.doc),
}));

/** Whole-post and per-segment embeddings of one batch: the post's clean text first, then its segments. */
const embedBatch = async (batch: readonly SplitItem[], ctx: StageContext): Promise<EmbeddedItem[]> => {
  const { encoder, extractor } = ctx.nlp;
  await extractor.prepare?.(batch.map((item) => item.doc));
  if (!encoder) return batch.map((item) => ({ ...item, embedding: null, segmentEmbeddings: null }));
  const vectors = await encoder.embed(
    batch.flatMap((item) => [item.doc.clean, ...item.segments.map((s) => s.text)]),
    // Stories, incidents and categories are symmetric comparisons: e5-style models want `query: `.
    'query',
  );
  let at = 0;
  return batch.map((item) => ({ ...item, embedding: vectors[at++] as Float32Array, segmentEmbeddings: item.segments.map(() => vectors[at++] as Float32Array) }));
};

/**
 * Batch-level model inference: one encoder call for every post and segment of the batch (so length
 * buckets span posts) and the NER model's spans when one is configured. On the classical path it
 * only adds nulls. A failing batch is retried post by post, so one bad post leaves alone.
 */
export const embed: Stage<SplitItem, EmbeddedItem> = async (batch, ctx) => {
  try {
    return await embedBatch(batch, ctx);
  } catch {
    const out: EmbeddedItem[] = [];
    for (const item of batch) {
      try {
        out.push(...(await embedBatch([item], ctx)));
      } catch (error) {
        ctx.fail(item.post, 'embed', error);
      }
    }
    return out;
  }
};

export const extract: Stage<EmbeddedItem, ExtractedItem> = eachItem('extract', (item, ctx) => ({
  ...item,
  facts: ctx.nlp.extractor.extract(item.doc),
}));

export const classify: Stage<ExtractedItem, ClassifiedItem> = eachItem('classify', (item, ctx) => {
  const classifications = ctx.nlp.classifier.classify(item.doc, item.segments, item.segmentEmbeddings ?? undefined);
  const problems = assembleProblems(item.doc, item.segments, classifications, ctx.nlp.extractor);
  return { ...item, classifications, problems, isProblem: problems.length > 0 };
});

export const dedup: Stage<ClassifiedItem, DedupedItem> = eachItem('dedup', dedupOne);

/** Score for a post that repeats a registered refuted claim: high whatever the text looks like. */
const REFUTED_SCORE = 0.97;

export const fakeRisk: Stage<DedupedItem, AssessedItem> = eachItem('fake-risk', async (item, ctx) => {
  const spanHours = (Date.parse(item.story.lastSeen) - Date.parse(item.story.firstSeen)) / 3_600_000;
  const fake = ctx.nlp.fakeRisk.score(item.doc, { storySize: item.story.size, storySources: item.story.sources, storySpanHours: spanHours });
  let refuted: { title: string; url: string; similarity: number } | null = null;
  for (const candidate of await ctx.dedupIndex.refutationCandidates(item.bandKeys, 5)) {
    const similarity = ctx.nlp.fingerprinter.similarity(item.signature, candidate.signature);
    if (similarity >= ctx.dedup.storySimilarity && (!refuted || similarity > refuted.similarity)) {
      refuted = { title: candidate.refutation.topic ?? candidate.refutation.claim.slice(0, 80), url: candidate.refutation.url, similarity };
    }
  }
  if (!refuted) return { ...item, fake };
  return {
    ...item,
    fake: {
      score: Math.max(fake.score, REFUTED_SCORE),
      level: 'high',
      reasons: [`Совпадает с опровергнутым утверждением «${refuted.title}»: ${refuted.url}`, ...fake.reasons],
    },
  };
});

export const toAnalysis = (item: AssessedItem, analyzedAt: string): PostAnalysis => ({
  postId: item.post.id,
  cleanText: item.doc.clean,
  searchTokens: item.doc.tokens.map((t) => t.stem),
  isProblem: item.isProblem,
  problems: item.problems,
  facts: item.facts,
  storyId: item.storyId,
  incidentIds: item.incidentIds,
  fake: item.fake,
  analyzedAt,
});

export const index: Stage<AssessedItem, AssessedItem> = async (batch, ctx) => {
  const analyzedAt = new Date().toISOString();
  try {
    await ctx.sink.saveAnalyses(batch.map((item) => toAnalysis(item, analyzedAt)));
    return batch;
  } catch (error) {
    // Retry one by one so that a single unstorable analysis does not fail its neighbours.
    const saved: AssessedItem[] = [];
    for (const item of batch) {
      try {
        await ctx.sink.saveAnalyses([toAnalysis(item, analyzedAt)]);
        saved.push(item);
      } catch (itemError) {
        ctx.fail(item.post, 'index', itemError ?? error);
      }
    }
    return saved;
  }
};
