/**
 * Public Telegram channels through the web preview `t.me/s/<channel>`: no account, no API keys.
 * Pages run newest first; `?before=<id>` gives the ~20 messages below an id. Each pass walks back
 * from the newest page to the cursor (the newest id already seen), at most `maxPages` pages.
 */
import type { Got } from 'got';
import type { PostInput } from '../../core/types.js';
import { zodIssues } from '../../core/zod-issues.js';
import { HttpCollector } from '../base/collector.js';
import { CollectorError } from '../base/errors.js';
import { createHttp } from '../base/http.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectContext, CollectOutcome, CollectedItem, Collector, SkippedItem } from '../types.js';
import { parsePage, type ParsedPage } from './parse.js';
import {
  defaultTelegramBaseUrl,
  MAX_GAPS,
  telegramCursorSchema,
  telegramMessageSchema,
  type TelegramCursor,
  type TelegramGap,
  type TelegramSource,
} from './schema.js';

export { telegramCursorSchema, telegramSourceSchema, type TelegramCursor, type TelegramSource } from './schema.js';

/** Ids in (after, before); `before: null` means "from the newest message". */
interface Range {
  readonly after: number;
  readonly before: number | null;
}

/** What one pass accumulates across the ranges it walks. */
interface PassState {
  readonly ctx: CollectContext<TelegramCursor>;
  readonly items: Map<number, CollectedItem>;
  readonly skipped: SkippedItem[];
  newest: number;
}

type ChannelPage = Extract<ParsedPage, { kind: 'channel' }>;

class TelegramCollector extends HttpCollector<TelegramCursor> {
  readonly type = 'telegram' as const;

  constructor(
    private readonly config: TelegramSource,
    http: Got,
  ) {
    super(config.id, http);
  }

  parseCursor(value: unknown): TelegramCursor | null {
    const parsed = telegramCursorSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async collect(ctx: CollectContext<TelegramCursor>): Promise<CollectOutcome<TelegramCursor>> {
    const previous = ctx.cursor;
    const state: PassState = { ctx, items: new Map(), skipped: [], newest: previous?.lastId ?? 0 };
    const gaps: TelegramGap[] = [];

    const fresh = await this.walk({ after: previous?.lastId ?? 0, before: null }, this.config.maxPages, state);
    if (fresh.left && previous) {
      gaps.push(fresh.left);
      ctx.logger.warn('telegram pass left a gap', { sourceId: this.sourceId, ...fresh.left, maxPages: this.config.maxPages });
    } else if (fresh.left) {
      // First pass: the window is the newest `maxPages` pages; older history is not backfilled.
      ctx.logger.info('telegram first pass window', { sourceId: this.sourceId, oldestId: fresh.left.before, maxPages: this.config.maxPages });
    }

    // Earlier gaps get their own page budget, so a busy channel cannot starve them forever.
    let budget = this.config.maxPages;
    for (const gap of previous?.gaps ?? []) {
      if (budget === 0) {
        gaps.push(gap);
        continue;
      }
      const result = await this.walk(gap, budget, state);
      budget -= result.pages;
      if (result.left) gaps.push(result.left);
    }
    if (gaps.length > MAX_GAPS) {
      ctx.logger.warn('telegram gaps dropped', { sourceId: this.sourceId, dropped: gaps.slice(MAX_GAPS) });
      gaps.length = MAX_GAPS;
    }

    const items = [...state.items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
    return { items, cursor: { lastId: state.newest, gaps }, skipped: state.skipped };
  }

  /** Walks back from `range.before` until `range.after` is reached, the channel starts or the budget ends. */
  private async walk(range: Range, budget: number, state: PassState): Promise<{ pages: number; left?: TelegramGap }> {
    let before = range.before;
    let pages = 0;
    for (;;) {
      if (pages === budget) return before === null ? { pages } : { pages, left: { after: range.after, before } };
      const page = await this.fetchPage(before, state.ctx);
      pages += 1;
      this.take(page, { after: range.after, before }, state);
      if (page.minId === undefined || !page.hasMore || page.minId <= range.after + 1) return { pages };
      if (before !== null && page.minId >= before) {
        throw new CollectorError('ERR_INVALID_PAYLOAD', `${this.sourceId}: ?before=${before} answered messages from ${page.minId} up: the page did not move back`, {
          url: this.pageUrl(before),
        });
      }
      before = page.minId;
    }
  }

  private take(page: ChannelPage, range: Range, state: PassState): void {
    const { logger } = state.ctx;
    const inRange = (id: number): boolean => id > range.after && (range.before === null || id < range.before);
    for (const entry of page.entries) {
      if (entry.id !== undefined) state.newest = Math.max(state.newest, entry.id, ...(entry.kind === 'post' ? entry.groupedIds : []));
      if (entry.kind === 'service') {
        if (inRange(entry.id)) logger.debug('telegram service message skipped', { sourceId: this.sourceId, id: entry.id, text: entry.text });
        continue;
      }
      if (entry.kind === 'invalid') {
        // An entry without an id cannot be placed in a range; it is reported wherever it shows up.
        if (entry.id !== undefined && !inRange(entry.id)) continue;
        logger.warn('telegram item skipped', { sourceId: this.sourceId, id: entry.id, reason: entry.reason });
        state.skipped.push({ reason: entry.reason, detail: entry.detail });
        continue;
      }
      if (!inRange(entry.id) || state.items.has(entry.id)) continue;
      const parsed = telegramMessageSchema.safeParse(entry.message);
      if (!parsed.success) {
        const detail = zodIssues(parsed.error, entry.message)
          .slice(0, 5)
          .map((i) => `${i.path}: ${i.message}`)
          .join('; ');
        logger.warn('telegram item skipped', { sourceId: this.sourceId, id: entry.id, reason: 'invalid message' });
        state.skipped.push({ reason: 'invalid message', detail: `message ${entry.id}: ${detail}` });
        continue;
      }
      const message = parsed.data;
      const input: PostInput = {
        id: String(message.id),
        text: message.text,
        source: this.sourceId,
        url: message.url,
        author: message.author,
        published_at: message.date,
      };
      state.items.set(entry.id, { input, raw: { ...message, html: entry.html } });
    }
  }

  private pageUrl(before: number | null): string {
    return `s/${this.config.channel}${before === null ? '' : `?before=${before}`}`;
  }

  private async fetchPage(before: number | null, ctx: CollectContext<TelegramCursor>): Promise<ChannelPage> {
    const url = this.pageUrl(before);
    const fetched = await this.fetchText(`s/${this.config.channel}`, {
      ...(before === null ? {} : { searchParams: { before } }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (fetched.charsetFallback) ctx.logger.warn('telegram page charset fallback', { sourceId: this.sourceId, url: fetched.url });
    const page = parsePage(fetched.text);
    if (page.kind === 'channel') return page;
    // t.me answers /s/<name> with a redirect to /<name> when there is no public preview to show.
    const redirected = !new URL(fetched.url).pathname.startsWith('/s/');
    const details = { url: fetched.url };
    const channel = `@${this.config.channel}`;
    if (page.kind === 'profile') {
      throw new CollectorError(
        'ERR_ACCESS_DENIED',
        `${this.sourceId}: ${channel} exists${page.title ? ` ("${page.title}")` : ''} but has no public web preview: a private channel, a group, a user or a bot`,
        details,
      );
    }
    if (page.kind === 'not-found' || redirected) {
      throw new CollectorError('ERR_SOURCE_GONE', `${this.sourceId}: ${channel} does not exist on Telegram (t.me offers to "contact" a free username)`, details);
    }
    throw new CollectorError('ERR_INVALID_PAYLOAD', `${this.sourceId}: ${url} is neither a channel preview nor a t.me profile page; has the markup changed?`, details);
  }
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

export const createTelegramCollector = (config: TelegramSource, deps: CollectorDeps): Collector<TelegramCursor> =>
  new TelegramCollector(config, createHttp(deps.http, deps.queues, withSlash(config.baseUrl ?? defaultTelegramBaseUrl)));
