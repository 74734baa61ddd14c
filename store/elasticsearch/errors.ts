/**
 * What a failed Elasticsearch call means for Radar. `unavailable` (no connection, timeouts, 429,
 * 5xx) is worth retrying and never the data's fault: the pipeline leaves its posts pending in the
 * local raw store and replays them later. `auth` is a configuration problem, `missing` an index
 * that `radar es migrate` has not created, `tls` a certificate the client does not trust (the CA
 * is missing), `conflict` a concurrent write, `rejected` a request the
 * cluster will refuse however often it is sent (a mapping error).
 */
import { ConfigError, RadarError } from '../../core/errors.js';
import { elasticsearch } from './library.js';

export type FailureKind = 'unavailable' | 'auth' | 'tls' | 'missing' | 'conflict' | 'rejected';

export interface Failure {
  readonly kind: FailureKind;
  readonly status: number | null;
  /** `<status> <type>: <reason>` or the client's message. */
  readonly detail: string;
}

/** The cluster could not be reached or is overloaded: retry later, nothing is lost meanwhile. */
export class StoreUnavailableError extends RadarError {
  override readonly name = 'StoreUnavailableError';
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_STORE_UNAVAILABLE', message, [], options);
  }
}

/** The cluster refused a request or a document for a reason that retrying cannot fix. */
export class StoreRejectedError extends RadarError {
  override readonly name = 'StoreRejectedError';
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_STORE', message, [], options);
  }
}

export const kindOfStatus = (status: number): FailureKind =>
  status === 429 || status >= 500 ? 'unavailable' : status === 401 || status === 403 ? 'auth' : status === 404 ? 'missing' : status === 409 ? 'conflict' : 'rejected';

interface ErrorBody {
  readonly error?: string | { readonly type?: string; readonly reason?: string | null; readonly root_cause?: readonly { readonly type?: string; readonly reason?: string | null }[] };
}

/** `type: reason` of an Elasticsearch error object, or its plain text. */
export const describeErrorBody = (body: unknown): string => {
  const error = (body as ErrorBody | null)?.error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const cause = error.root_cause?.[0];
    const type = error.type ?? cause?.type ?? 'error';
    const reason = error.reason ?? cause?.reason ?? '';
    return reason ? `${type}: ${reason}` : type;
  }
  return typeof body === 'string' && body ? body.slice(0, 300) : 'no error details';
};

export const classify = (error: unknown): Failure => {
  const { errors } = elasticsearch();
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 500;
    return { kind: kindOfStatus(status), status, detail: `${status} ${describeErrorBody(error.body)}` };
  }
  if (error instanceof errors.ConnectionError && /certificate|self[- ]signed/i.test(error.message)) {
    return { kind: 'tls', status: null, detail: error.message };
  }
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
    return { kind: 'unavailable', status: null, detail: error.message };
  }
  if (error instanceof errors.RequestAbortedError) return { kind: 'unavailable', status: null, detail: error.message };
  return { kind: 'rejected', status: null, detail: error instanceof Error ? error.message : String(error) };
};

/** Failures that say nothing about the data at hand: the work must be repeated, not marked failed. */
export const isEnvironmental = (error: unknown): boolean => {
  if (error instanceof StoreUnavailableError || error instanceof ConfigError) return true;
  if (error instanceof RadarError) return false;
  const { kind } = classify(error);
  return kind === 'unavailable' || kind === 'auth' || kind === 'tls' || kind === 'missing';
};

/**
 * A client error as one of ours, saying what was attempted. A missing index or alias points at
 * `radar es migrate`; refused credentials at the variables that hold them.
 */
export const failureError = (failure: Failure, action: string, cause?: unknown): RadarError => {
  switch (failure.kind) {
    case 'unavailable':
      return new StoreUnavailableError(`Elasticsearch is unavailable (${action}): ${failure.detail}. Raw posts stay in the local store and are processed when it is back.`, { cause });
    case 'auth':
      return new ConfigError(
        `Elasticsearch refused the credentials (${action}): ${failure.detail}. Check ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD and the user's privileges on the Radar indices.`,
      );
    case 'tls':
      return new ConfigError(
        `Elasticsearch's TLS certificate is not trusted (${action}): ${failure.detail}. Set ELASTICSEARCH_CA to the PEM file of the CA that signed it.`,
      );
    case 'missing':
      return new StoreRejectedError(`Elasticsearch has no such index (${action}): ${failure.detail}. Run \`radar es migrate\` to create Radar's indices.`, { cause });
    default:
      return new StoreRejectedError(`Elasticsearch rejected the request (${action}): ${failure.detail}`, { cause });
  }
};

/**
 * A client error as one of ours, saying what was attempted. A missing index or alias points at
 * `radar es migrate`; refused credentials at the variables that hold them.
 */
export const toStoreError = (error: unknown, action: string): RadarError => (error instanceof RadarError ? error : failureError(classify(error), action, error));

/** Runs a client call, turning its failure into one of ours. */
export const attempt = async <T>(action: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw toStoreError(error, action);
  }
};
