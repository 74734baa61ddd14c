/**
 * Bulk indexing with batching by count and bytes, a flush interval, bounded concurrency, per-item
 * retries with backoff for 429 / 5xx / unreachable cluster (only the failed items are sent again),
 * and a bounded buffer: `add` waits while too much is outstanding, which slows the pipeline down
 * instead of growing memory. Mapping errors and other 4xx are never retried: the item settles as
 * failed with the cluster's reason and is logged. Every item settles exactly once with a result;
 * the writer itself never throws for a failed item.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../../core/logger.js';
import { backoffDelay } from './backoff.js';
import { type BulkWriterOptions, validateBulkWriterOptions } from './bulk-options.js';
import { classify, describeErrorBody, type FailureKind, kindOfStatus } from './errors.js';

export type BulkOperation =
  | { readonly op: 'index'; readonly index: string; readonly id: string; readonly doc: object; readonly ifSeqNo?: number; readonly ifPrimaryTerm?: number }
  | { readonly op: 'create'; readonly index: string; readonly id: string; readonly doc: object }
  /** A partial document merged into the stored one, created when missing. */
  | { readonly op: 'update'; readonly index: string; readonly id: string; readonly doc: object }
  | { readonly op: 'delete'; readonly index: string; readonly id: string; readonly ifSeqNo?: number; readonly ifPrimaryTerm?: number };

export type BulkItemResult =
  | { readonly ok: true; readonly status: number; readonly seqNo: number | null; readonly primaryTerm: number | null }
  | { readonly ok: false; readonly status: number | null; readonly kind: FailureKind; readonly detail: string; readonly attempts: number };

export interface BulkTicket {
  /** Settles once the item is acknowledged or has definitely failed. */
  readonly done: Promise<BulkItemResult>;
}

interface Entry {
  readonly op: BulkOperation;
  readonly lines: readonly object[];
  readonly bytes: number;
  attempts: number;
  readonly done: Promise<BulkItemResult>;
  settle(result: BulkItemResult): void;
}

/** Concurrent updates of one document (two workers on one post) are merged by Elasticsearch itself. */
export const UPDATE_CONFLICT_RETRIES = 3;

/** The NDJSON lines of an operation in a bulk body. */
export const linesOf = (op: BulkOperation): object[] => {
  const meta = { _index: op.index, _id: op.id };
  const version = (o: { readonly ifSeqNo?: number; readonly ifPrimaryTerm?: number }) =>
    o.ifSeqNo === undefined ? {} : { if_seq_no: o.ifSeqNo, if_primary_term: o.ifPrimaryTerm };
  switch (op.op) {
    case 'index':
      return [{ index: { ...meta, ...version(op) } }, op.doc];
    case 'create':
      return [{ create: meta }, op.doc];
    case 'update':
      return [{ update: { ...meta, retry_on_conflict: UPDATE_CONFLICT_RETRIES } }, { doc: op.doc, doc_as_upsert: true }];
    case 'delete':
      return [{ delete: { ...meta, ...version(op) } }];
  }
};

interface BulkResponseItem {
  readonly status: number;
  readonly error?: unknown;
  readonly _seq_no?: number;
  readonly _primary_term?: number;
}

export class BulkWriter {
  readonly #client: Client;
  readonly #options: BulkWriterOptions;
  readonly #logger: Logger;
  #buffer: Entry[] = [];
  #bufferBytes = 0;
  readonly #unsettled = new Set<Entry>();
  #inFlight = 0;
  #force = false;
  #timer: NodeJS.Timeout | null = null;
  #spaceWaiters: (() => void)[] = [];
  #closed = false;

  constructor(client: Client, logger: Logger, options: Partial<BulkWriterOptions> = {}) {
    this.#client = client;
    this.#logger = logger;
    this.#options = validateBulkWriterOptions(options);
  }

  get options(): BulkWriterOptions {
    return this.#options;
  }

  /** Operations added and not settled yet. */
  get outstanding(): number {
    return this.#unsettled.size;
  }

  /** Buffers an operation, waiting first while the buffer is full. */
  async add(op: BulkOperation): Promise<BulkTicket> {
    while (this.#unsettled.size >= this.#options.maxBuffered) {
      if (this.#closed) break;
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    }
    if (this.#closed) throw new Error('bulk writer is closed: no operation can be added after close()');
    const lines = linesOf(op);
    let settle!: (result: BulkItemResult) => void;
    const done = new Promise<BulkItemResult>((resolve) => {
      settle = resolve;
    });
    const entry: Entry = {
      op,
      lines,
      // One newline per line, as the NDJSON body will have.
      bytes: lines.reduce((n, line) => n + Buffer.byteLength(JSON.stringify(line)) + 1, 0),
      attempts: 0,
      done,
      settle: (result) => {
        if (!this.#unsettled.delete(entry)) return;
        settle(result);
        const waiters = this.#spaceWaiters;
        this.#spaceWaiters = [];
        for (const wake of waiters) wake();
      },
    };
    this.#unsettled.add(entry);
    this.#push(entry);
    return { done };
  }

  /** Sends everything buffered now and waits until every operation added so far has settled. */
  async flush(): Promise<void> {
    const waiting = [...this.#unsettled].map((e) => e.done);
    this.#force = true;
    this.#pump();
    await Promise.all(waiting);
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#clearTimer();
    for (const wake of this.#spaceWaiters.splice(0)) wake();
  }

  #push(entry: Entry): void {
    this.#buffer.push(entry);
    this.#bufferBytes += entry.bytes;
    this.#pump();
  }

  #pump(): void {
    while (this.#buffer.length > 0 && this.#inFlight < this.#options.concurrency) {
      const full = this.#buffer.length >= this.#options.maxDocs || this.#bufferBytes >= this.#options.maxBytes;
      if (!full && !this.#force) {
        this.#armTimer();
        return;
      }
      const chunk = this.#take();
      this.#inFlight++;
      void this.#send(chunk).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
    if (this.#buffer.length === 0) {
      this.#force = false;
      this.#clearTimer();
    }
  }

  #take(): Entry[] {
    const chunk: Entry[] = [];
    let bytes = 0;
    while (this.#buffer.length > 0 && chunk.length < this.#options.maxDocs) {
      const next = this.#buffer[0] as Entry;
      if (chunk.length > 0 && bytes + next.bytes > this.#options.maxBytes) break;
      chunk.push(next);
      bytes += next.bytes;
      this.#buffer.shift();
    }
    this.#bufferBytes -= bytes;
    return chunk;
  }

  #armTimer(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#force = true;
      this.#pump();
    }, this.#options.flushIntervalMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #send(chunk: Entry[]): Promise<void> {
    let items: readonly Record<string, BulkResponseItem>[];
    try {
      // Retries are ours (per item, with backoff), not the client's (whole request, at once).
      const response = await this.#client.bulk({ operations: chunk.flatMap((e) => e.lines), refresh: this.#options.refresh }, { maxRetries: 0 });
      items = response.items as readonly Record<string, BulkResponseItem>[];
    } catch (error) {
      const failure = classify(error);
      if (failure.kind === 'unavailable') {
        this.#retry(chunk, failure.status, failure.detail);
      } else {
        this.#logger.error('elasticsearch bulk request refused', { status: failure.status, reason: failure.detail, operations: chunk.length });
        for (const e of chunk) e.settle({ ok: false, status: failure.status, kind: failure.kind, detail: failure.detail, attempts: e.attempts + 1 });
      }
      return;
    }
    const retry: Entry[] = [];
    let retryStatus: number | null = null;
    let retryDetail = '';
    chunk.forEach((entry, i) => {
      const item = items[i] ? Object.values(items[i] as Record<string, BulkResponseItem>)[0] : undefined;
      if (!item) {
        entry.settle({ ok: false, status: null, kind: 'rejected', detail: 'no result for this operation in the bulk response', attempts: entry.attempts + 1 });
        return;
      }
      if (item.status < 300 || (entry.op.op === 'delete' && item.status === 404)) {
        entry.settle({ ok: true, status: item.status, seqNo: item._seq_no ?? null, primaryTerm: item._primary_term ?? null });
        return;
      }
      const kind = kindOfStatus(item.status);
      const detail = `${item.status} ${describeErrorBody({ error: item.error })}`;
      if (kind === 'unavailable') {
        retry.push(entry);
        retryStatus = item.status;
        retryDetail = detail;
        return;
      }
      if (kind !== 'conflict') this.#logger.error('elasticsearch bulk item rejected', { index: entry.op.index, id: entry.op.id, op: entry.op.op, status: item.status, reason: detail });
      entry.settle({ ok: false, status: item.status, kind, detail, attempts: entry.attempts + 1 });
    });
    if (retry.length > 0) this.#retry(retry, retryStatus, retryDetail);
  }

  /** Sends the entries again together after one backoff delay, or settles those out of attempts. */
  #retry(entries: readonly Entry[], status: number | null, detail: string): void {
    const again: Entry[] = [];
    for (const e of entries) {
      e.attempts++;
      if (e.attempts > this.#options.maxRetries) e.settle({ ok: false, status, kind: 'unavailable', detail, attempts: e.attempts });
      else again.push(e);
    }
    if (again.length === 0) {
      this.#logger.warn('elasticsearch bulk retries exhausted', { operations: entries.length, status, reason: detail });
      return;
    }
    const attempt = Math.max(...again.map((e) => e.attempts));
    const delayMs = backoffDelay(attempt, { baseMs: this.#options.retryBaseMs, maxMs: this.#options.retryMaxMs }, this.#options.random);
    this.#logger.warn('elasticsearch bulk items retried', { operations: again.length, status, reason: detail, attempt, delayMs });
    setTimeout(() => {
      // Ahead of newer operations, as they were sent before them.
      this.#buffer.unshift(...again);
      this.#bufferBytes += again.reduce((n, e) => n + e.bytes, 0);
      this.#force = true;
      this.#pump();
    }, delayMs);
  }
}
