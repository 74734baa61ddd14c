/**
 * Collector failures with stable codes, and what the runner should do about each one:
 * `retry-later` (transient: the next scheduled pass tries again), `skip-source` (the source is gone,
 * private or walled off: stop polling it until the config changes), `fail-config` (our config is wrong).
 */

export type CollectorErrorCode =
  | 'ERR_HTTP_STATUS'
  | 'ERR_TIMEOUT'
  | 'ERR_NETWORK'
  | 'ERR_INVALID_PAYLOAD'
  | 'ERR_TRUNCATED'
  | 'ERR_CAPTCHA'
  | 'ERR_LOGIN_WALL'
  | 'ERR_SOURCE_GONE'
  | 'ERR_ACCESS_DENIED'
  | 'ERR_RATE_LIMITED'
  | 'ERR_AUTH'
  | 'ERR_PLATFORM'
  | 'ERR_CONFIG';

export type Disposition = 'retry-later' | 'skip-source' | 'fail-config';

export const dispositionOf: Record<CollectorErrorCode, Disposition> = {
  ERR_HTTP_STATUS: 'retry-later',
  ERR_TIMEOUT: 'retry-later',
  ERR_NETWORK: 'retry-later',
  ERR_INVALID_PAYLOAD: 'retry-later',
  ERR_TRUNCATED: 'retry-later',
  ERR_RATE_LIMITED: 'retry-later',
  ERR_PLATFORM: 'retry-later',
  ERR_CAPTCHA: 'skip-source',
  ERR_LOGIN_WALL: 'skip-source',
  ERR_SOURCE_GONE: 'skip-source',
  ERR_ACCESS_DENIED: 'skip-source',
  ERR_AUTH: 'fail-config',
  ERR_CONFIG: 'fail-config',
};

export interface CollectorErrorDetails {
  readonly url?: string;
  readonly status?: number;
  /** Server-requested pause before the next attempt (Retry-After), in ms. */
  readonly retryAfterMs?: number;
  /** Platform error code, e.g. VK's `error_code`. */
  readonly platformCode?: number | string;
  readonly cause?: unknown;
}

export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  readonly disposition: Disposition;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly platformCode: number | string | undefined;

  constructor(
    readonly code: CollectorErrorCode,
    message: string,
    details: CollectorErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.disposition = dispositionOf[code];
    this.url = details.url;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.platformCode = details.platformCode;
  }
}

export const isCollectorError = (error: unknown): error is CollectorError => error instanceof CollectorError;
