/**
 * Drains the store's pending posts through the pipeline. Because raw posts are stored before they
 * are processed, this is also crash recovery: whatever was accepted but not processed is pending.
 */
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/contract.js';
import type { BatchResult, Pipeline } from './pipeline.js';

export interface DrainResult {
  readonly processed: number;
  readonly failed: number;
  readonly problems: number;
}

export class Processor {
  readonly #pipeline: Pipeline;
  readonly #store: Store;
  readonly #batchSize: number;
  readonly #logger: Logger;
  #running: Promise<DrainResult> | null = null;
  #again = false;

  constructor(pipeline: Pipeline, store: Store, batchSize: number, logger: Logger) {
    this.#pipeline = pipeline;
    this.#store = store;
    this.#batchSize = batchSize;
    this.#logger = logger;
  }

  /** Processes every pending post. Calls made while a drain runs are folded into one more pass. */
  drain(): Promise<DrainResult> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Fire-and-forget drain for the service: errors are logged, never thrown. */
  kick(): void {
    this.drain().catch((error: unknown) => this.#logger.error('pending posts drain failed', { error }));
  }

  async #loop(): Promise<DrainResult> {
    const total = { processed: 0, failed: 0, problems: 0 };
    do {
      this.#again = false;
      const pass = await this.#pass();
      total.processed += pass.processed;
      total.failed += pass.failed;
      total.problems += pass.problems;
    } while (this.#again);
    return total;
  }

  async #pass(): Promise<DrainResult> {
    const submissions: Promise<BatchResult>[] = [];
    let cursor: string | null = null;
    for (;;) {
      const batch = await this.#store.pendingPosts(this.#batchSize, cursor);
      if (batch.posts.length === 0) break;
      cursor = batch.cursor;
      submissions.push((await this.#pipeline.submit(batch.posts)).done);
    }
    const results = await Promise.all(submissions);
    const processed = results.reduce((n, r) => n + r.items.length, 0);
    const failed = results.reduce((n, r) => n + r.failed.length, 0);
    const problems = results.reduce((n, r) => n + r.items.filter((i) => i.isProblem).length, 0);
    if (processed + failed > 0) this.#logger.info('pending posts processed', { processed, failed, problems });
    return { processed, failed, problems };
  }
}
