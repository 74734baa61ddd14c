/**
 * What every collector provides. Collectors fetch and parse; they never touch the store or the NLP:
 * the runner (pipeline/collect.ts) stores what they return together with their new cursor.
 */
import type { Logger } from '../core/logger.js';
import type { PostInput } from '../core/types.js';

export type CollectorType = 'vk' | 'ok' | 'telegram' | 'rss' | 'html';

/** One accepted item: the post in the public input shape plus the raw payload it came from. */
export interface CollectedItem {
  readonly input: PostInput;
  readonly raw: unknown;
}

/** An item that failed validation: logged and skipped, the rest of the batch is kept. */
export interface SkippedItem {
  readonly reason: string;
  readonly detail: string;
}

export interface CollectContext<Cursor> {
  /** Where the previous successful pass stopped; null on the first pass. */
  readonly cursor: Cursor | null;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export interface CollectOutcome<Cursor> {
  readonly items: readonly CollectedItem[];
  /** Stored atomically with the items, so a crash can never skip posts. */
  readonly cursor: Cursor;
  readonly skipped: readonly SkippedItem[];
}

export interface Collector<Cursor = unknown> {
  readonly sourceId: string;
  readonly type: CollectorType;
  collect(ctx: CollectContext<Cursor>): Promise<CollectOutcome<Cursor>>;
  /** Validates a cursor read back from the store; null when it is unusable (then a full pass runs). */
  parseCursor(value: unknown): Cursor | null;
}
