/** What the API needs from the rest of Radar, injected so that api/ depends on the store contract only. */
import type { Logger } from '../core/logger.js';
import type { PostInput, Refutation } from '../core/types.js';
import type { Store } from '../store/contract.js';
import type { CategoryLabels } from './views.js';

export interface IngestResult {
  readonly inserted: readonly string[];
  readonly duplicates: readonly string[];
}

/** A source as configured in the sources file. */
export interface ConfiguredSource {
  readonly id: string;
  readonly type: string;
  readonly name: string | null;
  readonly schedule: string;
  readonly enabled: boolean;
}

export interface ApiDeps {
  readonly store: Store;
  /** Stores raw posts (before any processing) and schedules them for the pipeline. */
  readonly ingest: (posts: readonly PostInput[], raw: readonly unknown[]) => Promise<IngestResult>;
  /** Fingerprints a refuted claim and stores it; posts repeating it are then flagged. */
  readonly registerRefutation: (input: {
    claim: string;
    url: string;
    text?: string | undefined;
    topic?: string | undefined;
    published_at?: string | undefined;
  }) => Promise<Refutation>;
  readonly categories: CategoryLabels;
  readonly sources: readonly ConfiguredSource[];
  readonly logger: Logger;
  readonly limits: { readonly maxBatch: number; readonly maxTextChars: number; readonly maxBodyBytes: number };
  readonly version: string;
}
