/**
 * Trains relevance, category and urgency heads on frozen sentence embeddings, with the classical
 * heads' recipe: the same examples (posts and problem spans), a tenth of the posts held back by id to
 * fit the softmax temperatures and the relevance threshold, then the heads retrained on all of it.
 * Only the heads learn; the transformer is never fine-tuned, so a laptop retrains in minutes and the
 * embeddings of the training texts can be cached between runs.
 */
import type { Normalizer, Taxonomy } from '../contract.js';
import { splitOf, type LabelledPost } from '../model/corpus.js';
import { fitTemperature, softmax, type TrainOptions } from '../model/softmax-regression.js';
import { balance, bestThresholdOf } from '../model/train.js';
import { denseLogits, trainDenseSoftmax } from './dense-softmax.js';
import type { CacheStats, CachedEncoder, EmbeddingCache } from './embedding-cache.js';
import { EMBEDDING_MODEL_FORMAT, type DenseHeadFile, type EmbeddingModelFile, floatsToBase64 } from './head-file.js';
import { standardize } from './head.js';

/** Dense, standardised inputs want a smaller step and more weight decay than sparse hashed ones. */
export const denseTrainDefaults: TrainOptions = { epochs: 30, learningRate: 0.05, l2: 1e-4, seed: 42 };

interface TextExample {
  readonly text: string;
  readonly y: number;
}

const urgencyLabels = ['low', 'medium', 'high'] as const;
const relevanceLabels = ['other', 'problem'] as const;

/** The classical examples (see `buildExamples` in nlp/model/train.ts) as cleaned texts. */
export const buildTextExamples = (posts: readonly LabelledPost[], normalizer: Normalizer, taxonomy: Taxonomy) => {
  const categories = taxonomy.categories.map((c) => c.id);
  const relevance: TextExample[] = [];
  const category: TextExample[] = [];
  const urgency: TextExample[] = [];
  // Segments at inference are pieces of the cleaned text: train on the same form.
  const clean = (text: string): string => normalizer.normalize(text).clean;
  for (const post of posts) {
    const whole = clean(post.text);
    relevance.push({ text: whole, y: post.is_problem ? 1 : 0 });
    for (const problem of post.problems) {
      const k = categories.indexOf(problem.category);
      if (k < 0) throw new Error(`post ${post.id}: category "${problem.category}" is not in the taxonomy (${categories.join(', ')})`);
      const isWhole = problem.text === post.text;
      const span = isWhole ? whole : clean(problem.text);
      const u = urgencyLabels.indexOf(problem.urgency);
      if (!isWhole) relevance.push({ text: span, y: 1 });
      category.push({ text: span, y: k });
      urgency.push({ text: span, y: u });
      if (post.problems.length === 1 && !isWhole) {
        category.push({ text: whole, y: k });
        urgency.push({ text: whole, y: u });
      }
    }
  }
  return { relevance, category, urgency };
};

export interface EmbeddingTrainResult {
  readonly model: EmbeddingModelFile;
  readonly examples: { readonly relevance: number; readonly category: number; readonly urgency: number };
  readonly embedded: CacheStats;
}

export interface EmbeddingTrainInput {
  /** The training side of the corpus. */
  readonly posts: readonly LabelledPost[];
  readonly normalizer: Normalizer;
  readonly taxonomy: Taxonomy;
  readonly encoder: CachedEncoder;
  /** The encoder's directory as configured: recorded so `radar serve` finds it again. */
  readonly encoderSpec: string;
  /** Where embeddings of training texts are kept between runs; null embeds everything afresh. */
  readonly cache: EmbeddingCache | null;
  readonly options?: TrainOptions;
}

const ROLE = 'query' as const;

export const trainEmbeddingModel = async (input: EmbeddingTrainInput): Promise<EmbeddingTrainResult> => {
  const { posts, normalizer, taxonomy, encoder } = input;
  const options = input.options ?? denseTrainDefaults;
  const categories = taxonomy.categories.map((c) => c.id);
  const held = (p: LabelledPost): boolean => splitOf(`calibration:${p.id}`, 0.1) === 'test';
  const fitEx = buildTextExamples(posts.filter((p) => !held(p)), normalizer, taxonomy);
  const heldEx = buildTextExamples(posts.filter(held), normalizer, taxonomy);
  const all = buildTextExamples(posts, normalizer, taxonomy);

  const texts = [...new Set([...all.relevance, ...all.category, ...all.urgency].map((e) => e.text))];
  const embedded = input.cache ? await input.cache.embed(encoder, texts, ROLE) : { vectors: [...(await encoder.embed(texts, ROLE))], stats: { hits: 0, misses: texts.length } };
  const dimension = encoder.dimension;
  const mean = new Float32Array(dimension);
  const std = new Float32Array(dimension);
  for (const v of embedded.vectors) for (let i = 0; i < dimension; i++) mean[i] = (mean[i] as number) + (v[i] as number) / texts.length;
  for (const v of embedded.vectors) for (let i = 0; i < dimension; i++) std[i] = (std[i] as number) + ((v[i] as number) - (mean[i] as number)) ** 2 / texts.length;
  for (let i = 0; i < dimension; i++) std[i] = Math.max(1e-6, Math.sqrt(std[i] as number));
  const inputs = new Map(texts.map((t, i) => [t, standardize(embedded.vectors[i] as Float32Array, mean, std)]));
  const xs = (examples: readonly TextExample[]) => examples.map((e) => inputs.get(e.text) as Float32Array);
  const ys = (examples: readonly TextExample[]) => examples.map((e) => e.y);

  const heads = {
    relevance: { labels: relevanceLabels, fit: fitEx.relevance, held: heldEx.relevance, all: all.relevance },
    category: { labels: categories, fit: fitEx.category, held: heldEx.category, all: all.category },
    urgency: { labels: urgencyLabels, fit: fitEx.urgency, held: heldEx.urgency, all: all.urgency },
  };
  const packed = {} as Record<keyof typeof heads, DenseHeadFile>;
  let threshold = 0.5;
  for (const [name, head] of Object.entries(heads) as [keyof typeof heads, (typeof heads)[keyof typeof heads]][]) {
    const classes = head.labels.length;
    const calibrating = trainDenseSoftmax(xs(head.fit), ys(head.fit), classes, { ...options, classWeights: balance(head.fit, classes) });
    const heldLogits = xs(head.held).map((x) => denseLogits(calibrating, x));
    const temperature = fitTemperature(heldLogits, ys(head.held));
    if (name === 'relevance') threshold = bestThresholdOf(heldLogits.map((z, i) => ({ p: softmax(z, temperature)[1] as number, y: head.held[i]?.y ?? 0 })));
    const final = trainDenseSoftmax(xs(head.all), ys(head.all), classes, { ...options, classWeights: balance(head.all, classes) });
    packed[name] = { labels: [...head.labels], temperature, weights: floatsToBase64(final.weights) };
  }
  return {
    model: {
      format: EMBEDDING_MODEL_FORMAT,
      encoder: { name: encoder.name, spec: input.encoderSpec, hash: encoder.hash, dimension, role: ROLE },
      threshold,
      scaling: { mean: floatsToBase64(mean), std: floatsToBase64(std) },
      heads: packed,
    },
    examples: { relevance: all.relevance.length, category: all.category.length, urgency: all.urgency.length },
    embedded: embedded.stats,
  };
};
