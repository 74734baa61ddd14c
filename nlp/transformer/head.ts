/**
 * The classifier trained on frozen sentence embeddings, behind the same `TextClassifier` contract as
 * the classical one: three calibrated dense heads over the segment's embedding. The urgency lexicon
 * stays as a safety net here too: a segment that names a danger to life is `high` whatever the model
 * says.
 */
import type { Urgency } from '../../core/types.js';
import type { NormalizedDoc, Segment, SegmentClassification, Taxonomy, TextClassifier } from '../contract.js';
import { tokenRange } from '../lexicon.js';
import { softmax } from '../model/softmax-regression.js';
import { urgencyOf } from '../urgency.js';
import { denseLogits, type DenseWeights } from './dense-softmax.js';
import { base64ToFloats, type DenseHeadFile, type EmbeddingModelFile } from './head-file.js';

interface LoadedHead extends DenseWeights {
  readonly labels: readonly string[];
  readonly temperature: number;
}

const loadHead = (file: DenseHeadFile, dimension: number): LoadedHead => ({
  labels: file.labels,
  temperature: file.temperature,
  dimension,
  classes: file.labels.length,
  weights: base64ToFloats(file.weights),
});

/** Standardises an embedding with the training set's per-dimension mean and deviation. */
export const standardize = (vector: Float32Array, mean: Float32Array, std: Float32Array): Float32Array => {
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = ((vector[i] as number) - (mean[i] as number)) / (std[i] as number);
  return out;
};

const urgencies: readonly Urgency[] = ['low', 'medium', 'high'];

export class EmbeddingClassifier implements TextClassifier {
  readonly #heads: { readonly relevance: LoadedHead; readonly category: LoadedHead; readonly urgency: LoadedHead };
  readonly #mean: Float32Array;
  readonly #std: Float32Array;
  readonly #threshold: number;
  readonly #taxonomy: Taxonomy;
  readonly #known: ReadonlySet<string>;
  /** The encoder whose embeddings this classifier reads. */
  readonly encoderName: string;
  readonly dimension: number;

  constructor(
    model: EmbeddingModelFile,
    taxonomy: Taxonomy,
    readonly version: string,
  ) {
    const d = model.encoder.dimension;
    this.dimension = d;
    this.encoderName = model.encoder.name;
    this.#heads = { relevance: loadHead(model.heads.relevance, d), category: loadHead(model.heads.category, d), urgency: loadHead(model.heads.urgency, d) };
    this.#mean = base64ToFloats(model.scaling.mean);
    this.#std = base64ToFloats(model.scaling.std);
    this.#threshold = model.threshold;
    this.#taxonomy = taxonomy;
    this.#known = new Set(taxonomy.categories.map((c) => c.id));
  }

  #probabilities(head: LoadedHead, x: Float32Array): Float64Array {
    return softmax(denseLogits(head, x), head.temperature);
  }

  classify(doc: NormalizedDoc, segments: readonly Segment[], vectors?: readonly Float32Array[]): readonly SegmentClassification[] {
    if (!vectors || vectors.length !== segments.length) {
      throw new Error(
        `classifier ${this.version} reads sentence embeddings from ${this.encoderName}, but got ${vectors ? `${vectors.length} for ${segments.length} segments` : 'none'}: the toolkit must run with that encoder (RADAR_ENCODER unset or transformer:<its dir>)`,
      );
    }
    return segments.map((segment, i) => {
      const [lo, hi] = tokenRange(doc.tokens, segment.span.start, segment.span.end);
      if (hi <= lo) return { isProblem: false, relevance: 0, category: this.#taxonomy.fallback, confidence: 0.5, urgency: 'low' };
      const vector = vectors[i] as Float32Array;
      if (vector.length !== this.dimension) throw new Error(`classifier ${this.version} expects ${this.dimension}-dimensional embeddings, got ${vector.length}`);
      const x = standardize(vector, this.#mean, this.#std);
      const { relevance: relHead, category: catHead, urgency: urgHead } = this.#heads;
      const relevance = this.#probabilities(relHead, x)[relHead.labels.indexOf('problem')] as number;
      const cat = this.#probabilities(catHead, x);
      let category = this.#taxonomy.fallback;
      let confidence = 0;
      catHead.labels.forEach((label, k) => {
        if (this.#known.has(label) && (cat[k] as number) > confidence) {
          category = label;
          confidence = cat[k] as number;
        }
      });
      const urg = this.#probabilities(urgHead, x);
      let predicted: Urgency = 'low';
      let best = -1;
      urgHead.labels.forEach((label, k) => {
        if ((urg[k] as number) > best && urgencies.includes(label as Urgency)) {
          best = urg[k] as number;
          predicted = label as Urgency;
        }
      });
      const urgency: Urgency = urgencyOf(doc, lo, hi) === 'high' ? 'high' : predicted;
      return {
        isProblem: relevance >= this.#threshold,
        relevance: Math.round(relevance * 1000) / 1000,
        category,
        confidence: Math.round(confidence * 1000) / 1000,
        urgency,
      };
    });
  }
}
