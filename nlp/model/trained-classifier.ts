/**
 * The trained classical classifier behind the `TextClassifier` contract: three calibrated linear
 * heads over hashed n-gram features. The urgency lexicon stays as a safety net: a segment that
 * names a danger to life is `high` whatever the model says.
 */
import type { Urgency } from '../../core/types.js';
import type { NormalizedDoc, Segment, SegmentClassification, Taxonomy, TextClassifier } from '../contract.js';
import { tokenRange } from '../lexicon.js';
import { urgencyOf } from '../urgency.js';
import { Featurizer } from './features.js';
import { type LoadedHead, type LoadedModel, loadModel, type ModelFile } from './model-file.js';
import { softmax } from './softmax-regression.js';

export interface HeadScores {
  readonly relevance: number;
  readonly category: ReadonlyMap<string, number>;
  readonly urgency: Urgency;
}

const urgencies: readonly Urgency[] = ['low', 'medium', 'high'];

export class TrainedClassifier implements TextClassifier {
  readonly #model: LoadedModel;
  readonly #threshold: number;
  readonly #taxonomy: Taxonomy;
  readonly #known: ReadonlySet<string>;
  readonly #features: Featurizer;

  constructor(
    model: ModelFile,
    taxonomy: Taxonomy,
    readonly version: string,
  ) {
    this.#model = loadModel(model, ['relevance', 'category', 'urgency']);
    this.#threshold = model.threshold;
    this.#taxonomy = taxonomy;
    this.#known = new Set(taxonomy.categories.map((c) => c.id));
    this.#features = Featurizer.for(taxonomy);
  }

  /** Calibrated probabilities of one head out of the combined logits. */
  #probabilities(z: Float64Array, head: LoadedHead): Float64Array {
    return softmax(z.subarray(head.offset, head.offset + head.labels.length), head.temperature);
  }

  /** Scores for tokens [lo, hi) of a doc. */
  score(doc: NormalizedDoc, lo: number, hi: number): HeadScores {
    const z = this.#model.logits(this.#features.vector(doc, lo, hi));
    const { relevance, category: categoryHead, urgency: urgencyHead } = this.#model.heads;
    const rel = this.#probabilities(z, relevance);
    const cat = this.#probabilities(z, categoryHead);
    const urg = this.#probabilities(z, urgencyHead);
    const category = new Map<string, number>();
    categoryHead.labels.forEach((label, k) => category.set(label, cat[k] as number));
    let urgency: Urgency = 'low';
    let best = -1;
    urgencyHead.labels.forEach((label, k) => {
      if ((urg[k] as number) > best && urgencies.includes(label as Urgency)) {
        best = urg[k] as number;
        urgency = label as Urgency;
      }
    });
    return { relevance: rel[relevance.labels.indexOf('problem')] as number, category, urgency };
  }

  classify(doc: NormalizedDoc, segments: readonly Segment[]): readonly SegmentClassification[] {
    return segments.map((segment) => {
      const [lo, hi] = tokenRange(doc.tokens, segment.span.start, segment.span.end);
      if (hi <= lo) return { isProblem: false, relevance: 0, category: this.#taxonomy.fallback, confidence: 0.5, urgency: 'low' };
      const scores = this.score(doc, lo, hi);
      let category = this.#taxonomy.fallback;
      let confidence = 0;
      for (const [label, p] of scores.category) {
        if (this.#known.has(label) && p > confidence) {
          category = label;
          confidence = p;
        }
      }
      const ruled = urgencyOf(doc, lo, hi);
      const urgency: Urgency = ruled === 'high' ? 'high' : scores.urgency;
      const relevance = Math.round(scores.relevance * 1000) / 1000;
      return { isProblem: scores.relevance >= this.#threshold, relevance, category, confidence: Math.round(confidence * 1000) / 1000, urgency };
    });
  }
}
