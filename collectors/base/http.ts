/**
 * One configured got instance per source type: timeouts, retries with exponential backoff and
 * jitter (got's own), Retry-After honoured, a real User-Agent, a configurable base URL, and every
 * attempt paced by the per-host queue.
 */
import got, { type Got } from 'got';
import type { HostQueues } from './rate-limits.js';

export interface HttpSettings {
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Upper bound of one backoff pause; tests set it low. */
  readonly backoffLimitMs: number;
  /** A Retry-After longer than this is not waited out in-process: the pass fails and is retried later. */
  readonly maxRetryAfterMs: number;
}

export const defaultHttpSettings: HttpSettings = {
  userAgent: 'RadarBot/0.1 (+https://github.com/radar-cur/radar; incident monitoring for regional situation centres)',
  timeoutMs: 20_000,
  retries: 3,
  backoffLimitMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export const createHttp = (settings: HttpSettings, queues: HostQueues, prefixUrl?: string): Got =>
  got.extend({
    ...(prefixUrl ? { prefixUrl } : {}),
    headers: { 'user-agent': settings.userAgent, 'accept-language': 'ru,en;q=0.5' },
    timeout: { request: settings.timeoutMs },
    retry: {
      limit: settings.retries,
      methods: ['GET', 'POST'],
      statusCodes: [408, 429, 500, 502, 503, 504, 521, 522, 524],
      backoffLimit: settings.backoffLimitMs,
      // got allows at most ±100 ms of noise; the proportional jitter below spreads retries further.
      noise: Math.min(100, settings.backoffLimitMs),
      maxRetryAfter: settings.maxRetryAfterMs,
      // got has already applied the retry rules and Retry-After; a server-given pause is kept exact,
      // our own exponential pause is jittered by ±50 % so that many sources do not retry in step.
      calculateDelay: ({ computedValue, retryAfter }) => (computedValue === 0 || retryAfter ? computedValue : computedValue * (0.5 + Math.random())),
    },
    throwHttpErrors: true,
    decompress: true,
    hooks: {
      beforeRequest: [
        async (options) => {
          const url = options.url instanceof URL ? options.url : new URL(String(options.url));
          await queues.wait(url.host);
        },
      ],
    },
  });
