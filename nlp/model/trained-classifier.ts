/**
 * The trained classical classifier behind the `TextClassifier` contract: three calibrated linear
 * heads over hashed n-gram features. The urgency lexicon stays as a safety net: a segment that
 * names a danger to life is `high` whatever the model says.
 */
import type { Urgency } from '../../core/types.js';
import type { NormalizedDoc, Segment, SegmentClassification, Taxonomy, TextClassifier } from '../contract.js';
import { tokenRange } from '../lexicon.js';
import { urgencyOf } from '../urgency.js';
import { featurize } from './features.js';
import { type Head, type ModelFile, unpackHead } from './model-file.js';
import { logits, softmax } from './softmax-regression.js';

export interface HeadScores {
  readonly relevance: number;
  readonly category: ReadonlyMap<string, number>;
  readonly urgency: Urgency;
}

const urgencies: readonly Urgency[] = ['low', 'medium', 'high'];

export class TrainedClassifier implements TextClassifier {
  readonly #heads: { relevance: Head; category: Head; urgency: Head };
  readonly #threshold: number;
  readonly #taxonomy: Taxonomy;
  readonly #known: ReadonlySet<string>;

  constructor(
    model: ModelFile,
    taxonomy: Taxonomy,
    readonly version: string,
  ) {
    this.#heads = { relevance: unpackHead(model.heads.relevance), category: unpackHead(model.heads.category), urgency: unpackHead(model.heads.urgency) };
    this.#threshold = model.threshold;
    this.#taxonomy = taxonomy;
    this.#known = new Set(taxonomy.categories.map((c) => c.id));
  }

  #probabilities(head: Head, x: ReturnType<typeof featurize>): Float64Array {
    return softmax(logits(head, x, head.labels.length), head.temperature);
  }

  /** Scores for tokens [lo, hi) of a doc. */
  score(doc: NormalizedDoc, lo: number, hi: number): HeadScores {
    const x = featurize(doc.tokens.slice(lo, hi));
    const rel = this.#probabilities(this.#heads.relevance, x);
    const cat = this.#probabilities(this.#heads.category, x);
    const urg = this.#probabilities(this.#heads.urgency, x);
    const category = new Map<string, number>();
    this.#heads.category.labels.forEach((label, k) => category.set(label, cat[k] as number));
    let urgency: Urgency = 'low';
    let best = -1;
    this.#heads.urgency.labels.forEach((label, k) => {
      if ((urg[k] as number) > best && urgencies.includes(label as Urgency)) {
        best = urg[k] as number;
        urgency = label as Urgency;
      }
    });
    return { relevance: rel[this.#heads.relevance.labels.indexOf('problem')] as number, category, urgency };
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
