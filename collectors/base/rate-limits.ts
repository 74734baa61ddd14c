/**
 * Politeness: one queue per host, limits from the first matching row. Each row links the platform's
 * published limit; where a platform publishes none we stay well below anything a person could click.
 */
import PQueue from 'p-queue';

export interface HostLimit {
  readonly match: RegExp;
  /** Requests allowed per `intervalMs`. */
  readonly intervalCap: number;
  readonly intervalMs: number;
  readonly docs: string;
}

export const hostLimits: readonly HostLimit[] = [
  // "3 requests per second" for user and service tokens.
  { match: /(^|\.)api\.vk\.(com|ru)$/, intervalCap: 3, intervalMs: 1_000, docs: 'https://dev.vk.com/ru/api/api-requests#Ограничения' },
  // OK publishes no global number; limits are per application and method, answered with error 8 (FLOOD_BLOCKED) or 11 (LIMIT_REACHED).
  { match: /(^|\.)api\.ok\.ru$/, intervalCap: 2, intervalMs: 1_000, docs: 'https://apiok.ru/dev/methods/' },
  // t.me/s/ is a public web page with no published limit; Telegram answers 429 to bursts.
  { match: /(^|\.)t\.me$/, intervalCap: 1, intervalMs: 2_000, docs: 'https://core.telegram.org/api/obtaining_api_id#using-the-api-responsibly' },
  // City sites: no published limits; one request every two seconds per host, like a careful reader.
  { match: /.*/, intervalCap: 1, intervalMs: 2_000, docs: 'https://www.rfc-editor.org/rfc/rfc9309#section-2.5' },
];

export type LimitOverride = Pick<HostLimit, 'intervalCap' | 'intervalMs'>;

/** Queues shared by every source that talks to the same host. */
export class HostQueues {
  readonly #queues = new Map<string, PQueue>();
  readonly #override: LimitOverride | undefined;

  /** `override` replaces every row (tests and local mirrors). */
  constructor(override?: LimitOverride) {
    this.#override = override;
  }

  limitFor(host: string): LimitOverride {
    return this.#override ?? (hostLimits.find((row) => row.match.test(host)) as HostLimit);
  }

  queueFor(host: string): PQueue {
    let queue = this.#queues.get(host);
    if (!queue) {
      const limit = this.limitFor(host);
      queue = new PQueue({ intervalCap: limit.intervalCap, interval: limit.intervalMs });
      this.#queues.set(host, queue);
    }
    return queue;
  }

  /** Resolves when a request to `host` may start; every attempt (retries too) waits its turn. */
  async wait(host: string): Promise<void> {
    await this.queueFor(host).add(async () => undefined);
  }
}
