/** Trains the three heads from labelled posts; deterministic for a corpus and a seed. */
import type { Normalizer, Taxonomy } from '../contract.js';
import type { LabelledPost } from './corpus.js';
import { FakeFeaturizer } from './fake-features.js';
import { Featurizer, type SparseVector } from './features.js';
import { MODEL_FORMAT, type ModelFile, packHead } from './model-file.js';
import { FEATURE_BITS } from './features.js';
import { defaultTrainOptions, fitTemperature, logits, softmax, trainSoftmax, type TrainOptions } from './softmax-regression.js';
import { splitOf } from './corpus.js';

export interface Example {
  readonly x: SparseVector;
  readonly y: number;
}

const urgencyLabels = ['low', 'medium', 'high'] as const;
const relevanceLabels = ['other', 'problem'] as const;

/**
 * Relevance learns from whole posts and from problem spans (segments at inference are spans);
 * category and urgency learn from problem spans, and from the whole post when it holds one problem.
 */
export const buildExamples = (posts: readonly LabelledPost[], normalizer: Normalizer, taxonomy: Taxonomy) => {
  const categories = taxonomy.categories.map((c) => c.id);
  const features = Featurizer.for(taxonomy);
  const relevance: Example[] = [];
  const category: Example[] = [];
  const urgency: Example[] = [];
  const vec = (text: string) => features.vector(normalizer.normalize(text));
  for (const post of posts) {
    const whole = vec(post.text);
    relevance.push({ x: whole, y: post.is_problem ? 1 : 0 });
    for (const problem of post.problems) {
      const k = categories.indexOf(problem.category);
      if (k < 0) throw new Error(`post ${post.id}: category "${problem.category}" is not in the taxonomy (${categories.join(', ')})`);
      const span = problem.text === post.text ? whole : vec(problem.text);
      if (span !== whole) relevance.push({ x: span, y: 1 });
      category.push({ x: span, y: k });
      urgency.push({ x: span, y: urgencyLabels.indexOf(problem.urgency) });
      if (post.problems.length === 1 && span !== whole) {
        category.push({ x: whole, y: k });
        urgency.push({ x: whole, y: urgencyLabels.indexOf(problem.urgency) });
      }
    }
  }
  return { relevance, category, urgency };
};

/** Per-class weights for imbalanced heads: square-root inverse frequency, capped at 5. */
export const balance = (examples: readonly { readonly y: number }[], classes: number): number[] => {
  const counts = new Array<number>(classes).fill(0);
  for (const e of examples) counts[e.y] = (counts[e.y] as number) + 1;
  const mean = examples.length / classes;
  return counts.map((c) => (c > 0 ? Math.min(5, Math.sqrt(mean / c)) : 1));
};

const trainHead = (train: readonly Example[], calibration: readonly Example[], labels: readonly string[], options: TrainOptions) => {
  const model = trainSoftmax(
    train.map((e) => e.x),
    train.map((e) => e.y),
    labels.length,
    { ...options, classWeights: balance(train, labels.length) },
  );
  const dense = { get: (index: number, k: number) => model.weights[index * labels.length + k] as number };
  const temperature = fitTemperature(
    calibration.map((e) => logits(dense, e.x, labels.length)),
    calibration.map((e) => e.y),
  );
  return { model, dense, temperature };
};

export interface TrainResult {
  readonly model: ModelFile;
  readonly examples: { readonly relevance: number; readonly category: number; readonly urgency: number };
}

/**
 * `posts` is the training side of the corpus; a tenth of it (by id hash) is held back to fit the
 * softmax temperatures and the relevance threshold, then the heads are retrained on all of it.
 */
export const trainModel = (posts: readonly LabelledPost[], normalizer: Normalizer, taxonomy: Taxonomy, options: TrainOptions = defaultTrainOptions): TrainResult => {
  const categories = taxonomy.categories.map((c) => c.id);
  const fit = posts.filter((p) => splitOf(`calibration:${p.id}`, 0.1) === 'train');
  const held = posts.filter((p) => splitOf(`calibration:${p.id}`, 0.1) === 'test');
  const fitEx = buildExamples(fit, normalizer, taxonomy);
  const heldEx = buildExamples(held, normalizer, taxonomy);
  const all = buildExamples(posts, normalizer, taxonomy);

  const heads = {
    relevance: { labels: relevanceLabels, fit: fitEx.relevance, held: heldEx.relevance, all: all.relevance },
    category: { labels: categories, fit: fitEx.category, held: heldEx.category, all: all.category },
    urgency: { labels: urgencyLabels, fit: fitEx.urgency, held: heldEx.urgency, all: all.urgency },
  };
  const packed: Partial<ModelFile['heads']> = {};
  let threshold = 0.5;
  for (const [name, head] of Object.entries(heads) as [keyof ModelFile['heads'], (typeof heads)[keyof typeof heads]][]) {
    const calibrated = trainHead(head.fit, head.held, head.labels, options);
    if (name === 'relevance') threshold = bestThreshold(head.held, calibrated.dense, calibrated.temperature);
    const final = trainSoftmax(
      head.all.map((e) => e.x),
      head.all.map((e) => e.y),
      head.labels.length,
      { ...options, classWeights: balance(head.all, head.labels.length) },
    );
    packed[name] = packHead(final, head.labels, calibrated.temperature);
  }
  return {
    model: { format: MODEL_FORMAT, featureBits: FEATURE_BITS, threshold, heads: packed as ModelFile['heads'] },
    examples: { relevance: all.relevance.length, category: all.category.length, urgency: all.urgency.length },
  };
};

/** The relevance threshold with the best F1 on held-out examples (0.5 when there are none). */
const bestThreshold = (held: readonly Example[], dense: { get(index: number, k: number): number }, temperature: number): number =>
  bestThresholdOf(held.map((e) => ({ p: softmax(logits(dense, e.x, 2), temperature)[1] as number, y: e.y })));

/**
 * F1 this close to the best counts as a tie: about its sampling error on the few hundred held-back
 * segments, of which only a tenth are not problems (each of those moves F1 by about 0.001).
 */
const F1_TIE = 0.01;

/**
 * The threshold on `p` with the best F1 for `y === 1`, on a 0.02 grid from 0.2 to 0.8 (0.5 without
 * data). F1 over a few hundred held-back examples is flat across a wide band, and the lowest
 * threshold of that band is chance: of the thresholds within `F1_TIE` of the best, the one nearest
 * 0.5 (the calibrated probabilities' own even odds) is taken, so that adding a few dozen training
 * posts does not move it from 0.48 to 0.26 (or 0.3) and a tenth of the non-problems into the feed.
 */
export const bestThresholdOf = (scored: readonly { readonly p: number; readonly y: number }[]): number => {
  if (scored.length === 0) return 0.5;
  const grid: { t: number; f1: number }[] = [];
  for (let step = 0; step <= 30; step++) {
    const t = Math.round((0.2 + step * 0.02) * 100) / 100;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const s of scored) {
      if (s.p >= t && s.y === 1) tp++;
      else if (s.p >= t) fp++;
      else if (s.y === 1) fn++;
    }
    grid.push({ t, f1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn) });
  }
  const best = Math.max(...grid.map((g) => g.f1));
  let chosen = { t: 0.5, f1: -1 };
  for (const g of grid) {
    if (g.f1 < best - F1_TIE) continue;
    const nearer = Math.abs(g.t - 0.5) < Math.abs(chosen.t - 0.5) - 1e-9;
    const tie = Math.abs(Math.abs(g.t - 0.5) - Math.abs(chosen.t - 0.5)) <= 1e-9;
    if (chosen.f1 < 0 || nearer || (tie && g.f1 > chosen.f1)) chosen = g;
  }
  return chosen.t;
};

export interface LabelledClaimLike {
  readonly id: string;
  readonly text: string;
  readonly label: 'fake' | 'ordinary';
}

/** The fake-news head, trained like the others: a tenth held back for the temperature. */
export const trainFakeHead = (claims: readonly LabelledClaimLike[], normalizer: Normalizer, taxonomy: Taxonomy, options: TrainOptions = defaultTrainOptions) => {
  const features = new FakeFeaturizer(taxonomy);
  const examples = (list: readonly LabelledClaimLike[]): Example[] =>
    list.map((c) => ({ x: features.vector(normalizer.normalize(c.text)), y: c.label === 'fake' ? 1 : 0 }));
  const labels = ['ordinary', 'fake'] as const;
  const fit = examples(claims.filter((c) => splitOf(`calibration:${c.id}`, 0.1) === 'train'));
  const held = examples(claims.filter((c) => splitOf(`calibration:${c.id}`, 0.1) === 'test'));
  const calibrated = trainHead(fit, held, labels, options);
  const all = examples(claims);
  const final = trainSoftmax(
    all.map((e) => e.x),
    all.map((e) => e.y),
    labels.length,
    { ...options, classWeights: balance(all, labels.length) },
  );
  return packHead(final, labels, calibrated.temperature);
};
