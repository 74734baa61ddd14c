/**
 * Runs collector passes: cursor in, posts and new cursor out, stored together in one transaction,
 * then processing is scheduled. A failing source is recorded and reported; it never stops the others.
 */
import type { Logger } from '../core/logger.js';
import { CollectorError, type Disposition } from '../collectors/base/errors.js';
import type { Collector } from '../collectors/types.js';
import type { SourceHealth, Store } from '../store/contract.js';
import { toNewPost } from './ingest.js';

export interface RunnableSource {
  readonly id: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly schedule: string;
  readonly collector: Collector;
}

export type PassStatus = 'ok' | 'failed' | 'not-run';

export interface PassSummary {
  readonly sourceId: string;
  readonly type: string;
  readonly status: PassStatus;
  /** Items the collector returned. */
  readonly collected: number;
  /** Of those, new posts stored. */
  readonly stored: number;
  readonly duplicates: number;
  /** Malformed items skipped by the collector. */
  readonly skipped: number;
  readonly error?: { readonly code: string; readonly message: string; readonly disposition: Disposition | 'internal' };
  /** Why a source was not run (disabled, or parked after a permanent failure). */
  readonly reason?: string;
}

const healthOf: Record<Disposition, Exclude<SourceHealth, 'ok'>> = {
  'retry-later': 'failing',
  'skip-source': 'skipped',
  'fail-config': 'misconfigured',
};

export interface CollectRunnerOptions {
  readonly store: Store;
  readonly logger: Logger;
  /** Called after new posts are stored (the service kicks the processor). */
  readonly onStored: () => void;
}

export class CollectRunner {
  readonly #options: CollectRunnerOptions;
  readonly #running = new Map<string, Promise<PassSummary>>();

  constructor(options: CollectRunnerOptions) {
    this.#options = options;
  }

  /**
   * One pass of one source. Scheduled passes leave parked sources (skipped or misconfigured) alone
   * until someone changes the config; `force` (an operator's `collect --once`) tries them anyway.
   */
  run(source: RunnableSource, options: { force?: boolean } = {}): Promise<PassSummary> {
    const running = this.#running.get(source.id);
    if (running) return running;
    const pass = this.#pass(source, options.force ?? false).finally(() => this.#running.delete(source.id));
    this.#running.set(source.id, pass);
    return pass;
  }

  async runAll(sources: readonly RunnableSource[], options: { force?: boolean } = {}): Promise<PassSummary[]> {
    return Promise.all(sources.map((source) => this.run(source, options)));
  }

  async #pass(source: RunnableSource, force: boolean): Promise<PassSummary> {
    const { store, logger, onStored } = this.#options;
    const base = { sourceId: source.id, type: source.type, collected: 0, stored: 0, duplicates: 0, skipped: 0 };
    if (!source.enabled) return { ...base, status: 'not-run', reason: 'disabled in the config' };
    const state = await store.getSourceState(source.id);
    if (!force && state && (state.health === 'skipped' || state.health === 'misconfigured')) {
      logger.warn('source parked, pass not run', { sourceId: source.id, health: state.health, lastError: state.lastError });
      return { ...base, status: 'not-run', reason: `parked as ${state.health} after: ${state.lastError ?? 'an earlier failure'}` };
    }
    const at = new Date().toISOString();
    try {
      const cursor = state?.cursor == null ? null : source.collector.parseCursor(state.cursor);
      if (state?.cursor != null && cursor === null) logger.warn('stored cursor unusable, full pass', { sourceId: source.id });
      const outcome = await source.collector.collect({ cursor, logger: logger.child({ sourceId: source.id }) });
      for (const skipped of outcome.skipped) logger.warn('collected item skipped', { sourceId: source.id, reason: skipped.reason, detail: skipped.detail });
      const saved = await store.saveCollected({
        sourceId: source.id,
        type: source.type,
        posts: outcome.items.map((item) => toNewPost({ ...item.input, source: source.id }, source.id, item.raw)),
        cursor: outcome.cursor,
        at,
      });
      if (saved.inserted.length > 0) onStored();
      logger.info('source pass finished', { sourceId: source.id, collected: outcome.items.length, stored: saved.inserted.length, skipped: outcome.skipped.length });
      return { ...base, status: 'ok', collected: outcome.items.length, stored: saved.inserted.length, duplicates: saved.duplicates.length, skipped: outcome.skipped.length };
    } catch (error) {
      const known = error instanceof CollectorError;
      const code = known ? error.code : 'ERR_INTERNAL';
      const message = error instanceof Error ? error.message : String(error);
      const disposition = known ? error.disposition : 'internal';
      await store.recordSourceFailure({ sourceId: source.id, type: source.type, at, code, message, health: known ? healthOf[error.disposition] : 'failing' });
      logger.error('source pass failed', { sourceId: source.id, code, disposition, message });
      return { ...base, status: 'failed', error: { code, message, disposition } };
    }
  }
}
