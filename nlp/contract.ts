/**
 * The interfaces every NLP implementation honours. The pipeline only sees these, so the baseline,
 * the trained classical models and transformer models are interchangeable.
 */
import type { FakeAssessment, Facts, Span, Urgency } from '../core/types.js';

export interface Sentence {
  readonly text: string;
  readonly span: Span;
}

export interface Token {
  /** Lower-cased, `ё`→`е`, Latin look-alikes folded to Cyrillic, repeated letters squeezed. */
  readonly norm: string;
  /** Stem used for matching, search and features. */
  readonly stem: string;
  readonly span: Span;
}

export interface NormalizedDoc {
  readonly original: string;
  /** Display text: HTML removed, entities decoded, whitespace collapsed. Spans point into it. */
  readonly clean: string;
  readonly sentences: readonly Sentence[];
  readonly tokens: readonly Token[];
}

/** A piece of a post that may hold one problem. */
export interface Segment {
  readonly text: string;
  readonly span: Span;
}

export interface SegmentClassification {
  readonly isProblem: boolean;
  /** Probability that the segment reports a problem, 0..1. */
  readonly relevance: number;
  readonly category: string;
  /** Calibrated probability of `category`, 0..1. */
  readonly confidence: number;
  readonly urgency: Urgency;
  /**
   * Other categories of the taxonomy the classifier gives a fair chance (the trained one: a
   * calibrated probability of 0.2 or more), in label order. Incident merging reads them: one
   * classifier error should not keep two reports of one problem apart.
   */
  readonly alternatives?: readonly string[];
}

export interface Normalizer {
  normalize(text: string): NormalizedDoc;
}

export interface ProblemSplitter {
  split(doc: NormalizedDoc): readonly Segment[];
}

export interface FactExtractor {
  /** Facts inside `span` of the doc (the whole doc when omitted); spans stay relative to `doc.clean`. */
  extract(doc: NormalizedDoc, span?: Span): Facts;
  /**
   * Batch-level model work ahead of `extract` (a token-classification model's spans); extractors
   * without a model leave it out. `extract` still works for docs that were not prepared.
   */
  prepare?(docs: readonly NormalizedDoc[]): Promise<void>;
}

export interface TextClassifier {
  readonly version: string;
  /**
   * `vectors`: the segments' embeddings from the toolkit's encoder, in segment order. A classifier
   * trained on embeddings throws when they are missing; the classical ones ignore them.
   */
  classify(doc: NormalizedDoc, segments: readonly Segment[], vectors?: readonly Float32Array[]): readonly SegmentClassification[];
}

/** `query` for symmetric tasks (classification, clustering) and search queries; `passage` for indexed documents. */
export type EncoderRole = 'query' | 'passage';

/** Sentence embeddings from a local transformer model. */
export interface Encoder {
  /** `transformer:<dir>@<hash12>`; recorded with models trained on its embeddings. */
  readonly name: string;
  readonly dimension: number;
  /** L2-normalised embeddings, one per text, in input order. */
  embed(texts: readonly string[], role: EncoderRole): Promise<readonly Float32Array[]>;
  dispose(): Promise<void>;
}

/** Near-duplicate fingerprints for story clustering (MinHash with LSH banding). */
export interface Fingerprinter {
  signature(doc: NormalizedDoc): Uint32Array;
  /** LSH band keys; two docs sharing a key are candidates for the same story. */
  bands(signature: Uint32Array): readonly string[];
  /** Estimated Jaccard similarity of two signatures, 0..1. */
  similarity(a: Uint32Array, b: Uint32Array): number;
}

/** How a story has spread so far; filled by the pipeline from the store. */
export interface PropagationSignals {
  /** Posts in the story, this one included. */
  readonly storySize: number;
  /** Distinct sources that carried the story. */
  readonly storySources: number;
  /** Hours between the first and the latest post of the story. */
  readonly storySpanHours: number;
}

export interface FakeRiskScorer {
  score(doc: NormalizedDoc, signals: PropagationSignals): FakeAssessment;
}

export interface Category {
  readonly id: string;
  /** Russian label shown to users. */
  readonly label: string;
}

export interface Taxonomy {
  readonly categories: readonly Category[];
  /** Category used for problems that fit no other. */
  readonly fallback: string;
}

/** How much a shared term says that two reports concern the same problem (see nlp/term-weights.ts). */
export interface TermWeighting {
  weight(term: string): number;
  /** The weight of a term never seen in the corpus: the upper bound of `weight`. */
  readonly maxWeight: number;
}

export interface NlpToolkit {
  readonly taxonomy: Taxonomy;
  readonly termWeights: TermWeighting;
  readonly normalizer: Normalizer;
  readonly splitter: ProblemSplitter;
  readonly extractor: FactExtractor;
  readonly classifier: TextClassifier;
  readonly fingerprinter: Fingerprinter;
  readonly fakeRisk: FakeRiskScorer;
  /** Sentence embeddings for stories, incidents and classification; null on the classical path (hashed features). */
  readonly encoder: Encoder | null;
  /** Query-side analysis for full-text search: same stems as `Token.stem`. */
  searchTokens(text: string): readonly string[];
}
