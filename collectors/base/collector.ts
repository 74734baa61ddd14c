/**
 * The abstract base of every HTTP collector. It owns the HTTP client, pacing, retries and the
 * translation of every failure into a `CollectorError` with a stable code; subclasses only say what
 * to request and how to read it.
 */
import { decodeBuffer } from 'encoding-sniffer';
import { HTTPError, ReadError, RequestError, TimeoutError, type Got, type OptionsInit } from 'got';
import type { z } from 'zod';
import { zodIssues } from '../../core/zod-issues.js';
import type { CollectContext, CollectOutcome, Collector, CollectorType } from '../types.js';
import { CollectorError } from './errors.js';
import { detectWall } from './walls.js';

export interface FetchedBody {
  /** The final URL after redirects, query included: pass it through `redactUrl` before logging it. */
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const REPLACEMENT = /\uFFFD/g;

/** APIs that authenticate in the query (VK, OK) must not leak tokens into errors and logs. */
export const redactUrl = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
};

/** Node reports a cut-off JSON document as an error at (or just before) its end. */
const isTruncatedJson = (message: string, length: number): boolean => {
  if (/end of (JSON )?input|Unterminated/i.test(message)) return true;
  const position = /at position (\d+)/.exec(message)?.[1];
  return position !== undefined && Number(position) >= length - 1;
};

const retryAfterMs = (value: string | undefined): number | undefined => {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
};

export abstract class HttpCollector<Cursor> implements Collector<Cursor> {
  abstract readonly type: CollectorType;

  constructor(
    readonly sourceId: string,
    protected readonly http: Got,
  ) {}

  abstract collect(ctx: CollectContext<Cursor>): Promise<CollectOutcome<Cursor>>;
  abstract parseCursor(value: unknown): Cursor | null;

  /** Raw bytes of a URL (relative to the client's base URL), or a typed error. */
  protected async fetch(url: string, options: OptionsInit = {}): Promise<FetchedBody> {
    try {
      const response = await this.http(url, { ...options, responseType: 'buffer', resolveBodyOnly: false } as OptionsInit & { responseType: 'buffer' });
      const res = response as unknown as { url: string; statusCode: number; headers: Record<string, string | undefined>; body: Buffer };
      return { url: res.url, status: res.statusCode, contentType: res.headers['content-type'] ?? '', headers: res.headers, body: res.body };
    } catch (error) {
      throw this.normalizeError(error, url);
    }
  }

  /** Text of an HTML or XML page in whatever charset it came in; anti-bot pages become errors. */
  protected async fetchText(url: string, options: OptionsInit = {}): Promise<{ text: string; url: string; charsetFallback: boolean }> {
    const fetched = await this.fetch(url, options);
    const label = /charset=([\w-]+)/i.exec(fetched.contentType)?.[1];
    // Undeclared means UTF-8 here (XML's rule, and what Russian sites without a declaration send),
    // not the WHATWG windows-1252 default, which would turn UTF-8 Cyrillic into silent mojibake.
    let text = decodeBuffer(fetched.body, { defaultEncoding: 'utf-8', ...(label ? { transportLayerEncodingLabel: label } : {}) });
    let charsetFallback = false;
    // A page that declares UTF-8 but is really windows-1251 (common on old Russian CMSes) decodes
    // into replacement characters; re-decode it rather than store mojibake.
    const broken = (text.match(REPLACEMENT) ?? []).length;
    if (broken > 0 && broken > text.length / 200) {
      const cp1251 = decodeBuffer(fetched.body, { transportLayerEncodingLabel: 'windows-1251' });
      if ((cp1251.match(REPLACEMENT) ?? []).length < broken) {
        text = cp1251;
        charsetFallback = true;
      }
    }
    const wall = detectWall(text);
    if (wall === 'captcha') throw new CollectorError('ERR_CAPTCHA', `${this.sourceId}: got an anti-bot challenge page instead of content`, { url: redactUrl(fetched.url) });
    if (wall === 'login') throw new CollectorError('ERR_LOGIN_WALL', `${this.sourceId}: the page asks to log in; the source is not public`, { url: redactUrl(fetched.url) });
    return { text, url: fetched.url, charsetFallback };
  }

  /** JSON validated at the edge with `schema`; a body that is not JSON or not of that shape is an error. */
  protected async fetchJson<S extends z.ZodType>(url: string, schema: S, options: OptionsInit = {}): Promise<z.output<S>> {
    const fetched = await this.fetch(url, options);
    const text = fetched.body.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const truncated = isTruncatedJson((error as Error).message, text.length);
      throw new CollectorError(
        truncated ? 'ERR_TRUNCATED' : 'ERR_INVALID_PAYLOAD',
        `${this.sourceId}: ${truncated ? 'truncated' : 'invalid'} JSON from ${redactUrl(fetched.url)}: ${(error as Error).message}`,
        { url: redactUrl(fetched.url), status: fetched.status },
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error, value).slice(0, 5);
      throw new CollectorError('ERR_INVALID_PAYLOAD', `${this.sourceId}: unexpected payload from ${redactUrl(fetched.url)}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
        url: redactUrl(fetched.url),
        status: fetched.status,
      });
    }
    return parsed.data;
  }

  protected normalizeError(error: unknown, url: string): CollectorError {
    if (error instanceof CollectorError) return error;
    const where = `${this.sourceId}: ${redactUrl(url)}`;
    if (error instanceof HTTPError) {
      const status = error.response.statusCode;
      const details = { url: redactUrl(error.response.url), status };
      if (status === 404 || status === 410) return new CollectorError('ERR_SOURCE_GONE', `${where} answered ${status}: the source no longer exists`, details);
      if (status === 401) return new CollectorError('ERR_AUTH', `${where} answered 401: check the credentials in the config`, details);
      if (status === 403) {
        const body = Buffer.isBuffer(error.response.body) ? error.response.body.toString('utf8') : String(error.response.body ?? '');
        if (detectWall(body) === 'captcha') return new CollectorError('ERR_CAPTCHA', `${where} answered 403 with an anti-bot challenge`, details);
        return new CollectorError('ERR_ACCESS_DENIED', `${where} answered 403: access denied`, details);
      }
      if (status === 429) {
        const wait = retryAfterMs(error.response.headers['retry-after']);
        return new CollectorError('ERR_RATE_LIMITED', `${where} kept answering 429 after retries`, { ...details, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
      }
      return new CollectorError('ERR_HTTP_STATUS', `${where} answered ${status} after retries`, details);
    }
    // got's errors carry the request options, query and token included: they are not kept as causes.
    const safe = redactUrl(url);
    if (error instanceof TimeoutError) return new CollectorError('ERR_TIMEOUT', `${where} timed out after retries`, { url: safe });
    if (error instanceof ReadError) return new CollectorError('ERR_TRUNCATED', `${where}: the response body was cut off (${error.code ?? error.message})`, { url: safe });
    if (error instanceof RequestError) return new CollectorError('ERR_NETWORK', `${where}: ${error.code ?? 'network error'}`, { url: safe });
    return new CollectorError('ERR_NETWORK', `${where}: ${(error as Error)?.message ?? String(error)}`, { url: safe });
  }
}
