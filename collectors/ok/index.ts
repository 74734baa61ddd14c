/**
 * OK (Odnoklassniki) groups through the REST API: `mediatopic.getTopics` per group, newest first,
 * paged with OK's opaque `anchor` (direction FORWARD = older). Each pass walks from the top down to
 * the newest topic it already returned, so only new topics come back; see readme.md for why.
 */
import { CollectorError } from '../base/errors.js';
import { HttpCollector } from '../base/collector.js';
import { createHttp } from '../base/http.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectContext, CollectOutcome, CollectedItem, Collector, SkippedItem } from '../types.js';
import { okErrorToCollectorError } from './errors.js';
import { indexEntities, parseTopic } from './parse.js';
import { okCursorSchema, okErrorSchema, topicsPageSchema, type OkCursor, type OkGroupCursor, type OkSource, type TopicKey, type TopicsPage } from './schema.js';
import { signParams } from './sign.js';
import { zodIssues } from '../../core/zod-issues.js';

export { okCursorSchema, okSourceSchema, type OkCursor, type OkSource } from './schema.js';
export { signParams } from './sign.js';

export const OK_API_URL = 'https://api.ok.ru/fb.do';

const TOPICS_METHOD = 'mediatopic.getTopics';
const FIELDS = 'media_topic.*,group.*,user.*,group_photo.*';

interface Credentials {
  readonly applicationKey: string;
  readonly secretKey: string;
  readonly accessToken: string;
}

interface GroupOutcome {
  readonly items: CollectedItem[];
  readonly skipped: SkippedItem[];
  readonly cursor: OkGroupCursor | undefined;
}

const compareIds = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x > y ? 1 : x < y ? -1 : 0;
};

/** Time first: topic ids are not guaranteed to grow with time. */
const isNewer = (a: TopicKey, b: TopicKey): boolean => a.ms > b.ms || (a.ms === b.ms && compareIds(a.id, b.id) > 0);

const looseKey = (value: unknown): TopicKey | undefined => {
  const v = value as { id?: unknown; created_ms?: unknown } | null;
  if (!v || typeof v.created_ms !== 'number') return undefined;
  const id = String(v.id ?? '');
  return /^\d+$/.test(id) ? { id, ms: v.created_ms } : undefined;
};

export class OkCollector extends HttpCollector<OkCursor> {
  readonly type = 'ok' as const;
  readonly #config: OkSource;
  readonly #env: CollectorDeps['env'];
  readonly #endpoint: string;

  constructor(config: OkSource, deps: CollectorDeps) {
    // No prefixUrl: got would append a slash to ".../fb.do".
    super(config.id, createHttp(deps.http, deps.queues));
    this.#config = config;
    this.#env = deps.env;
    this.#endpoint = config.baseUrl ?? OK_API_URL;
  }

  parseCursor(value: unknown): OkCursor | null {
    const parsed = okCursorSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async collect(ctx: CollectContext<OkCursor>): Promise<CollectOutcome<OkCursor>> {
    const credentials = this.#credentials();
    const groups: Record<string, OkGroupCursor> = {};
    const items: CollectedItem[] = [];
    const skipped: SkippedItem[] = [];
    const unavailable: CollectorError[] = [];
    for (const groupId of this.#config.groupIds) {
      const previous = ctx.cursor?.groups[groupId];
      try {
        const outcome = await this.#collectGroupOrRestart(groupId, previous, credentials, ctx);
        items.push(...outcome.items);
        skipped.push(...outcome.skipped);
        if (outcome.cursor) groups[groupId] = outcome.cursor;
      } catch (error) {
        const failure = error instanceof CollectorError ? error : this.normalizeError(error, this.#endpoint);
        // One closed or deleted group must not stop the other groups of the same source.
        if (failure.disposition !== 'skip-source' || this.#config.groupIds.length === 1) throw failure;
        unavailable.push(failure);
        skipped.push({ reason: 'group-unavailable', detail: failure.message });
        ctx.logger.warn('ok group unavailable', { sourceId: this.sourceId, groupId, code: failure.code, platformCode: failure.platformCode });
        if (previous) groups[groupId] = previous;
      }
    }
    if (unavailable.length === this.#config.groupIds.length) throw unavailable[0] as CollectorError;
    return { items, cursor: { groups }, skipped };
  }

  #credentials(): Credentials {
    const { applicationKeyEnv, secretKeyEnv, accessTokenEnv } = this.#config;
    const read = (name: string): string | undefined => this.#env[name]?.trim() || undefined;
    const applicationKey = read(applicationKeyEnv);
    const secretKey = read(secretKeyEnv);
    const accessToken = read(accessTokenEnv);
    if (!applicationKey || !secretKey || !accessToken) {
      const missing = [!applicationKey && applicationKeyEnv, !secretKey && secretKeyEnv, !accessToken && accessTokenEnv].filter(Boolean);
      throw new CollectorError(
        'ERR_CONFIG',
        `${this.sourceId}: environment variable${missing.length > 1 ? `s ${missing.join(', ')} are` : ` ${missing[0]} is`} not set; put the OK application key, application secret key and access token from ok.ru/app/setup there`,
      );
    }
    return { applicationKey, secretKey, accessToken };
  }

  /** An anchor kept in `backlog` may have expired; OK then answers 100 (PARAM). */
  async #collectGroupOrRestart(groupId: string, state: OkGroupCursor | undefined, credentials: Credentials, ctx: CollectContext<OkCursor>): Promise<GroupOutcome> {
    try {
      return await this.#collectGroup(groupId, state, credentials, ctx);
    } catch (error) {
      if (!state?.backlog || !(error instanceof CollectorError) || error.platformCode !== 100) throw error;
      ctx.logger.warn('ok backlog anchor rejected', { sourceId: this.sourceId, groupId, message: error.message });
      // Walk again from the top down to the old watermark: some topics come back twice, none are lost.
      const restarted = await this.#collectGroup(groupId, { newest: state.newest }, credentials, ctx);
      return { ...restarted, skipped: [{ reason: 'backlog-restarted', detail: `group ${groupId}: ${error.message}` }, ...restarted.skipped] };
    }
  }

  async #collectGroup(groupId: string, state: OkGroupCursor | undefined, credentials: Credentials, ctx: CollectContext<OkCursor>): Promise<GroupOutcome> {
    const items: CollectedItem[] = [];
    const skipped: SkippedItem[] = [];
    const seen = new Set<string>();
    const watermark = state?.newest;
    let walkNewest = state?.backlog?.walkNewest;
    let anchor = state?.backlog?.anchor;
    let reached = false;

    for (let page = 0; page < this.#config.maxPages && !reached; page++) {
      const params: Record<string, string> = { gid: groupId, count: String(this.#config.count), fields: FIELDS };
      if (anchor) Object.assign(params, { anchor, direction: 'FORWARD' });
      const answer = await this.#call(TOPICS_METHOD, params, credentials, ctx, groupId);
      const entities = indexEntities(answer.entities);
      let last: TopicKey | undefined;
      for (const value of answer.media_topics) {
        const parsed = parseTopic(value, groupId, this.sourceId, entities);
        if (!parsed.ok) {
          const key = looseKey(value);
          // Already behind the watermark: it was reported when it was new, do not repeat every pass.
          if (key && watermark && !isNewer(key, watermark)) continue;
          skipped.push(parsed.skipped);
          ctx.logger.warn('ok item skipped', { sourceId: this.sourceId, groupId, topicId: parsed.topicId, reason: parsed.skipped.reason, detail: parsed.skipped.detail });
          continue;
        }
        const key = { id: parsed.topic.id, ms: parsed.topic.created_ms };
        last = key;
        if (seen.has(key.id)) continue;
        seen.add(key.id);
        if (watermark && !isNewer(key, watermark)) continue;
        items.push(parsed.item);
        if (!walkNewest || isNewer(key, walkNewest)) walkNewest = key;
      }
      // The last topic of the page, not the first: a pinned old topic may head the list.
      if (watermark && last && !isNewer(last, watermark)) reached = true;
      if (!answer.anchor || answer.media_topics.length === 0 || answer.has_more === false) reached = true;
      anchor = answer.anchor ?? undefined;
    }

    ctx.logger.debug('ok group collected', { sourceId: this.sourceId, groupId, items: items.length, reached });
    const newest = walkNewest && (!watermark || isNewer(walkNewest, watermark)) ? walkNewest : watermark;
    if (!newest) return { items, skipped, cursor: undefined };
    // First pass: bounded by maxPages, older history is left alone (see readme, "Backfill").
    if (reached || !watermark || !anchor) return { items, skipped, cursor: { newest } };
    // Stopped by maxPages above the watermark: keep it and finish the walk next pass.
    return { items, skipped, cursor: { newest: watermark, backlog: { anchor, walkNewest: walkNewest ?? watermark } } };
  }

  async #call(method: string, params: Record<string, string>, credentials: Credentials, ctx: CollectContext<OkCursor>, groupId: string): Promise<TopicsPage> {
    const signed: Record<string, string> = { application_key: credentials.applicationKey, format: 'json', method, ...params };
    const searchParams = { ...signed, sig: signParams(signed, credentials.secretKey, credentials.accessToken), access_token: credentials.accessToken };
    const where = `${this.sourceId}: ${method} for group ${groupId}`;
    let body: Buffer;
    try {
      const fetched = await this.fetch(this.#endpoint, { searchParams, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      body = fetched.body;
    } catch (error) {
      throw this.#withoutSecrets(error instanceof CollectorError ? error : this.normalizeError(error, this.#endpoint));
    }
    const text = body.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      // V8 names the end of input only sometimes ("Expected ',' ... at position N" when N is the end).
      const position = Number(/at position (\d+)/.exec(message)?.[1] ?? Number.NaN);
      const truncated = /end of (JSON )?input|Unterminated/i.test(message) || position >= text.trimEnd().length;
      throw new CollectorError(truncated ? 'ERR_TRUNCATED' : 'ERR_INVALID_PAYLOAD', `${where}: ${truncated ? 'truncated' : 'invalid'} JSON from OK (${message}); the next pass retries`, {
        url: this.#endpoint,
      });
    }
    const error = okErrorSchema.safeParse(value);
    if (error.success) throw okErrorToCollectorError(error.data, where, this.#endpoint);
    const page = topicsPageSchema.safeParse(value);
    if (!page.success) {
      const issues = zodIssues(page.error, value).slice(0, 5);
      throw new CollectorError('ERR_INVALID_PAYLOAD', `${where}: unexpected answer from OK: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { url: this.#endpoint });
    }
    return page.data;
  }

  /** got reports the full URL, which carries the access token and signature: drop the query. */
  #withoutSecrets(error: CollectorError): CollectorError {
    if (!error.url?.includes('?')) return error;
    return new CollectorError(error.code, error.message, {
      url: error.url.split('?')[0] as string,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.platformCode === undefined ? {} : { platformCode: error.platformCode }),
    });
  }
}

export const createOkCollector = (config: OkSource, deps: CollectorDeps): Collector<OkCursor> => new OkCollector(config, deps);
