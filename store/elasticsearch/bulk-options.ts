/** The bulk writer's options, checked in one place with messages that name the option and the value. */

export interface BulkWriterOptions {
  /** Operations per bulk request. */
  readonly maxDocs: number;
  /** Bytes of NDJSON per bulk request (one larger operation still goes alone). */
  readonly maxBytes: number;
  /** Longest time an operation waits in the buffer for more to share its request. */
  readonly flushIntervalMs: number;
  /** Operations buffered, in flight or waiting for a retry before `add` makes the caller wait. */
  readonly maxBuffered: number;
  /** Bulk requests in flight at once. */
  readonly concurrency: number;
  /** Retries of an operation refused with 429 or 5xx, or sent while the cluster was unreachable. */
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /**
   * `false` for the pipeline (the index refreshes on its own schedule); `wait_for` or `true` (an
   * immediate refresh, for tests on a real cluster) where a read must follow at once.
   */
  readonly refresh: boolean | 'wait_for';
  readonly random: () => number;
}

export const defaultBulkWriterOptions: BulkWriterOptions = {
  maxDocs: 1_000,
  maxBytes: 5 * 1024 * 1024,
  flushIntervalMs: 1_000,
  maxBuffered: 10_000,
  concurrency: 2,
  maxRetries: 6,
  retryBaseMs: 250,
  retryMaxMs: 15_000,
  refresh: false,
  random: Math.random,
};

const shown = (value: unknown): string => `\`${typeof value === 'function' ? 'function' : String(value)}\` (${typeof value})`;

const check = (ok: boolean, name: string, expected: string, value: unknown): void => {
  if (!ok) throw new TypeError(`Expected \`${name}\` to be ${expected}, got ${shown(value)}`);
};

const isCount = (value: unknown, min: number): boolean => typeof value === 'number' && Number.isInteger(value) && value >= min;
const isPositive = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;

export const validateBulkWriterOptions = (options: Partial<BulkWriterOptions> = {}): BulkWriterOptions => {
  const o = { ...defaultBulkWriterOptions, ...options };
  check(isCount(o.maxDocs, 1), 'maxDocs', 'an integer >= 1', o.maxDocs);
  check(isPositive(o.maxBytes), 'maxBytes', 'a finite number > 0', o.maxBytes);
  check(isPositive(o.flushIntervalMs), 'flushIntervalMs', 'a finite number > 0', o.flushIntervalMs);
  check(isCount(o.maxBuffered, 1), 'maxBuffered', 'an integer >= 1', o.maxBuffered);
  check(isCount(o.concurrency, 1), 'concurrency', 'an integer >= 1', o.concurrency);
  check(isCount(o.maxRetries, 0), 'maxRetries', 'an integer >= 0', o.maxRetries);
  check(typeof o.retryBaseMs === 'number' && Number.isFinite(o.retryBaseMs) && o.retryBaseMs >= 0, 'retryBaseMs', 'a finite number >= 0', o.retryBaseMs);
  check(typeof o.retryMaxMs === 'number' && Number.isFinite(o.retryMaxMs) && o.retryMaxMs >= o.retryBaseMs, 'retryMaxMs', `a finite number >= retryBaseMs (${o.retryBaseMs})`, o.retryMaxMs);
  check(typeof o.refresh === 'boolean' || o.refresh === 'wait_for', 'refresh', "a boolean or 'wait_for'", o.refresh);
  check(typeof o.random === 'function', 'random', 'a function returning a number in [0, 1)', o.random);
  return o;
};
