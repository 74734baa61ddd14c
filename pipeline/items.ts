/**
 * What flows between pipeline stages. Each stage adds fields, so a stage's input type says exactly
 * which earlier stages it depends on. These shapes are the stable stage interfaces.
 */
import type { Facts, FakeAssessment, Post, Problem } from '../core/types.js';
import type { Logger } from '../core/logger.js';
import type { NlpToolkit, NormalizedDoc, Segment, SegmentClassification } from '../nlp/contract.js';
import type { AnalysisSink, DedupIndex, StoryStats } from '../store/contract.js';
import type { DedupSettings } from './dedup.js';

export interface RawItem {
  readonly post: Post;
}
export interface NormalizedItem extends RawItem {
  readonly doc: NormalizedDoc;
}
export interface SplitItem extends NormalizedItem {
  readonly segments: readonly Segment[];
}
export interface EmbeddedItem extends SplitItem {
  /** Sentence embedding of the whole post (its clean text); null on the classical path. */
  readonly embedding: Float32Array | null;
  /** One embedding per segment, in segment order; null on the classical path. */
  readonly segmentEmbeddings: readonly Float32Array[] | null;
}
export interface ExtractedItem extends EmbeddedItem {
  /** Facts of the whole post. */
  readonly facts: Facts;
}
export interface ClassifiedItem extends ExtractedItem {
  readonly classifications: readonly SegmentClassification[];
  readonly problems: readonly Problem[];
  readonly isProblem: boolean;
}
export interface DedupedItem extends ClassifiedItem {
  readonly storyId: string;
  readonly story: StoryStats;
  /** Incident of each problem, in problem order. */
  readonly incidentIds: readonly string[];
  /** The post's MinHash signature and LSH band keys, reused by later stages. */
  readonly signature: Uint32Array;
  readonly bandKeys: readonly string[];
}
export interface AssessedItem extends DedupedItem {
  readonly fake: FakeAssessment;
}

export type StageName = 'normalize' | 'split' | 'embed' | 'extract' | 'classify' | 'dedup' | 'fake-risk' | 'index';

export interface StageContext {
  readonly nlp: NlpToolkit;
  /** Where conclusions go: the store, or nowhere for `radar analyze`. */
  readonly sink: AnalysisSink;
  /** Story and incident candidates: the store itself, or an in-memory index for `radar analyze`. */
  readonly dedupIndex: DedupIndex;
  readonly dedup: DedupSettings;
  readonly logger: Logger;
  /** Records a post that a stage could not handle; the post leaves the batch, the rest goes on. */
  fail(post: Post, stage: StageName, error: unknown): void;
}

/** A stage maps a batch to a batch; posts it drops are reported through `ctx.fail`. */
export type Stage<I extends RawItem, O extends RawItem> = (batch: readonly I[], ctx: StageContext) => Promise<readonly O[]>;
