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
import { softmaxInto } from './softmax-regression.js';

export interface HeadScores {
  readonly relevance: number;
  readonly category: ReadonlyMap<string, number>;
  readonly urgency: Urgency;
}

const urgencies: readonly Urgency[] = ['low', 'medium', 'high'];
/**
 * A category with at least this calibrated probability is a fair alternative to the top one: where
 * the top choice is wrong (about one segment in eight on our test split), the right one is often
 * the runner-up.
 */
const ALTERNATIVE_CATEGORY = 0.2;

export class TrainedClassifier implements TextClassifier {
  readonly #model: LoadedModel;
  readonly #threshold: number;
  readonly #taxonomy: Taxonomy;
  /** Per category label (in head order): is it a category of the taxonomy. */
  readonly #known: readonly boolean[];
  /** Per urgency label (in head order): the urgency it names, undefined for a label that is none. */
  readonly #urgencyLabels: readonly (Urgency | undefined)[];
  readonly #problemIndex: number;
  readonly #features: Featurizer;
  /** Logits and probabilities of each head, rewritten by every `#scores` call. */
  readonly #logits: Float64Array;
  readonly #out: Readonly<Record<'relevance' | 'category' | 'urgency', Float64Array>>;

  constructor(
    model: ModelFile,
    taxonomy: Taxonomy,
    readonly version: string,
  ) {
    this.#model = loadModel(model, ['relevance', 'category', 'urgency']);
    this.#threshold = model.threshold;
    this.#taxonomy = taxonomy;
    const known = new Set(taxonomy.categories.map((c) => c.id));
    this.#known = this.#model.heads.category.labels.map((label) => known.has(label));
    this.#urgencyLabels = this.#model.heads.urgency.labels.map((label) => (urgencies.includes(label as Urgency) ? (label as Urgency) : undefined));
    this.#problemIndex = this.#model.heads.relevance.labels.indexOf('problem');
    this.#features = Featurizer.for(taxonomy);
    const { relevance, category, urgency } = this.#model.heads;
    this.#logits = new Float64Array(this.#model.width);
    this.#out = { relevance: new Float64Array(relevance.labels.length), category: new Float64Array(category.labels.length), urgency: new Float64Array(urgency.labels.length) };
  }

  /** Calibrated probabilities of one head out of the combined logits, into that head's buffer. */
  #probabilities(z: Float64Array, head: LoadedHead, out: Float64Array): Float64Array {
    return softmaxInto(z, head.offset, head.labels.length, head.temperature, out);
  }

  /** Scores for tokens [lo, hi) of a doc. */
  score(doc: NormalizedDoc, lo: number, hi: number): HeadScores {
    const { relevance, cat, urgency } = this.#scores(doc, lo, hi);
    const category = new Map<string, number>();
    this.#model.heads.category.labels.forEach((label, k) => category.set(label, cat[k] as number));
    return { relevance, category, urgency };
  }

  /**
   * The heads' outputs in label order: classification reads them without building a map per
   * segment. `cat` is a buffer the next call overwrites.
   */
  #scores(doc: NormalizedDoc, lo: number, hi: number): { relevance: number; cat: Float64Array; urgency: Urgency } {
    const z = this.#model.logits(this.#features.vector(doc, lo, hi), this.#logits);
    const { relevance, category: categoryHead, urgency: urgencyHead } = this.#model.heads;
    const rel = this.#probabilities(z, relevance, this.#out.relevance);
    const cat = this.#probabilities(z, categoryHead, this.#out.category);
    const urg = this.#probabilities(z, urgencyHead, this.#out.urgency);
    let urgency: Urgency = 'low';
    let best = -1;
    for (let k = 0; k < urg.length; k++) {
      const level = this.#urgencyLabels[k];
      if ((urg[k] as number) > best && level !== undefined) {
        best = urg[k] as number;
        urgency = level;
      }
    }
    return { relevance: rel[this.#problemIndex] as number, cat, urgency };
  }

  classify(doc: NormalizedDoc, segments: readonly Segment[]): readonly SegmentClassification[] {
    return segments.map((segment) => {
      const [lo, hi] = tokenRange(doc.tokens, segment.span.start, segment.span.end);
      if (hi <= lo) return { isProblem: false, relevance: 0, category: this.#taxonomy.fallback, confidence: 0.5, urgency: 'low' };
      const scores = this.#scores(doc, lo, hi);
      let category = this.#taxonomy.fallback;
      let confidence = 0;
      for (let k = 0; k < scores.cat.length; k++) {
        const p = scores.cat[k] as number;
        if (this.#known[k] === true && p > confidence) {
          category = this.#model.heads.category.labels[k] as string;
          confidence = p;
        }
      }
      const alternatives: string[] = [];
      for (let k = 0; k < scores.cat.length; k++) {
        const label = this.#model.heads.category.labels[k] as string;
        if (this.#known[k] === true && label !== category && (scores.cat[k] as number) >= ALTERNATIVE_CATEGORY) alternatives.push(label);
      }
      const ruled = urgencyOf(doc, lo, hi);
      const urgency: Urgency = ruled === 'high' ? 'high' : scores.urgency;
      const relevance = Math.round(scores.relevance * 1000) / 1000;
      return { isProblem: scores.relevance >= this.#threshold, relevance, category, confidence: Math.round(confidence * 1000) / 1000, urgency, ...(alternatives.length > 0 ? { alternatives } : {}) };
    });
  }
}
