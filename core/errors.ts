/** Typed errors with stable `code`s so that the API, the CLI and tests never match on message text. */

export type ErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_VALIDATION'
  | 'ERR_NOT_FOUND'
  | 'ERR_CONFLICT'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_STORE'
  /** The store is unreachable for now (a cluster down); the same request will work later. */
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_SHUTTING_DOWN';

export interface Issue {
  /** Dotted path of the offending field, e.g. `posts.3.published_at`. */
  readonly path: string;
  readonly message: string;
}

export class RadarError extends Error {
  override readonly name: string = 'RadarError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: readonly Issue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class ConfigError extends RadarError {
  override readonly name = 'ConfigError';
  constructor(message: string, issues: readonly Issue[] = []) {
    super('ERR_CONFIG', message, issues);
  }
}

export class ValidationError extends RadarError {
  override readonly name = 'ValidationError';
  constructor(message: string, issues: readonly Issue[] = []) {
    super('ERR_VALIDATION', message, issues);
  }
}

export class NotFoundError extends RadarError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super('ERR_NOT_FOUND', message);
  }
}

export class ConflictError extends RadarError {
  override readonly name = 'ConflictError';
  constructor(message: string) {
    super('ERR_CONFLICT', message);
  }
}

export class PayloadTooLargeError extends RadarError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string) {
    super('ERR_PAYLOAD_TOO_LARGE', message);
  }
}

export const isRadarError = (error: unknown): error is RadarError => error instanceof RadarError;
