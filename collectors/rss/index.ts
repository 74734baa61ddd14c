/**
 * City news sites with a feed. Feeds cannot be paged and their items get reordered and re-dated, so
 * the cursor remembers recently returned ids and every pass returns the items not among them.
 */
import * as cheerio from 'cheerio';
import type { OptionsInit } from 'got';
import { postInputSchema } from '../../core/post-input.js';
import type { PostInput } from '../../core/types.js';
import { HttpCollector } from '../base/collector.js';
import { CollectorError, type CollectorErrorCode } from '../base/errors.js';
import { createHttp } from '../base/http.js';
import type { CollectorDeps } from '../deps.js';
import { remember, seenLimitFor } from '../html/seen.js';
import { pageBase } from '../html/urls.js';
import { nodesToText } from '../html/text.js';
import type { CollectContext, CollectedItem, CollectOutcome, SkippedItem } from '../types.js';
import { parseFeed } from './parse.js';
import { rssCursorSchema, rssSourceSchema, type FeedEntry, type RssCursor, type RssSource } from './schema.js';

export { rssCursorSchema, rssSourceSchema, type RssCursor, type RssSource };

/** After one of these, more article requests in the same pass would only dig the hole deeper. */
const articleStoppers: ReadonlySet<CollectorErrorCode> = new Set(['ERR_CAPTCHA', 'ERR_LOGIN_WALL', 'ERR_RATE_LIMITED', 'ERR_ACCESS_DENIED', 'ERR_AUTH']);

type ArticleRaw = { url: string; found: boolean; bodyHtml: string | null; charsetFallback: boolean } | { url: string; error: CollectorErrorCode; status: number | null };

export class RssCollector extends HttpCollector<RssCursor> {
  readonly type = 'rss' as const;

  constructor(private readonly config: RssSource, deps: CollectorDeps) {
    // No prefixUrl: the feed URL is absolute, and article links point wherever the feed says.
    super(config.id, createHttp(deps.http, deps.queues));
  }


  parseCursor(value: unknown): RssCursor | null {
    const parsed = rssCursorSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async collect(ctx: CollectContext<RssCursor>): Promise<CollectOutcome<RssCursor>> {
    const cursor = ctx.cursor ?? rssCursorSchema.parse({});
    const options: OptionsInit = ctx.signal ? { signal: ctx.signal } : {};
    const page = await this.fetchText(this.config.url, options);
    if (page.charsetFallback) ctx.logger.warn('rss feed charset mislabelled', { sourceId: this.sourceId, url: page.url });
    const feedUrl = pageBase(this.config.url, page.url);
    const feed = parseFeed(page.text, feedUrl, this.config.timeZone);
    if (!feed.ok) throw new CollectorError(feed.code, `${this.sourceId}: ${feed.message}`, { url: page.url });

    const seen = new Set(cursor.seen);
    const inFeed = new Set<string>();
    const skipped: SkippedItem[] = [];
    const fresh: FeedEntry[] = [];
    for (const entry of feed.entries) {
      if ('reason' in entry) {
        ctx.logger.warn('rss item skipped', { sourceId: this.sourceId, reason: entry.reason, detail: entry.detail });
        skipped.push(entry);
        continue;
      }
      // Some CMSes repeat an item when it is edited; the first (newest) copy wins.
      if (inFeed.has(entry.id)) continue;
      inFeed.add(entry.id);
      if (!seen.has(entry.id)) fresh.push(entry);
    }

    const fetchArticle = this.config.fetchArticle;
    const batch = fetchArticle ? fresh.slice(0, fetchArticle.maxPerPass) : fresh;
    const items: CollectedItem[] = [];
    const done: string[] = [];
    let newest = cursor.newest;
    let articlesStopped = false;
    for (const entry of batch) {
      let body = entry.body;
      let article: ArticleRaw | null = null;
      if (fetchArticle && entry.link && !articlesStopped) {
        const fetched = await this.fetchArticle(ctx, entry.link, fetchArticle.body, options);
        article = fetched.raw;
        if ('error' in fetched.raw && articleStoppers.has(fetched.raw.error)) articlesStopped = true;
        if (fetched.text) body = fetched.text;
      }
      done.push(entry.id);
      const text = body.startsWith(entry.title) ? body : [entry.title, body].filter((part) => part !== '').join('\n\n');
      const input: PostInput = { id: entry.id, text, source: this.sourceId, url: entry.link, author: entry.author, published_at: entry.published };
      const valid = postInputSchema().safeParse(input);
      if (!valid.success) {
        const detail = `${entry.id}: ${valid.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
        ctx.logger.warn('rss item skipped', { sourceId: this.sourceId, reason: 'invalid-item', detail });
        skipped.push({ reason: 'invalid-item', detail });
        continue;
      }
      if (entry.dateText && !entry.published) ctx.logger.debug('rss date unreadable', { sourceId: this.sourceId, id: entry.id, date: entry.dateText });
      if (valid.data.published_at && (!newest || valid.data.published_at > newest)) newest = valid.data.published_at;
      const raw = { xml: entry.xml, feed: { kind: feed.kind, url: feedUrl }, media: entry.media, dateText: entry.dateText ?? null, article };
      items.push({ input: valid.data, raw });
    }

    return { items, cursor: { seen: remember(cursor.seen, done, seenLimitFor(inFeed.size)), newest }, skipped };
  }

  /**
   * The full text of one item from its page. A failure never loses the item: the feed's own text is
   * used instead (and recorded in `raw.article.error`).
   */
  private async fetchArticle(ctx: CollectContext<RssCursor>, url: string, selector: string, options: OptionsInit): Promise<{ text: string; raw: ArticleRaw }> {
    try {
      const page = await this.fetchText(url, options);
      const $ = cheerio.load(page.text);
      const nodes = $(selector);
      const text = nodesToText(nodes.toArray());
      if (text === '') ctx.logger.warn('rss article body not found', { sourceId: this.sourceId, url: page.url, selector });
      const bodyHtml = nodes.length > 0 ? nodes.toArray().map((node) => $.html(node)).join('\n') : null;
      return { text, raw: { url: pageBase(url, page.url), found: text !== '', bodyHtml, charsetFallback: page.charsetFallback } };
    } catch (error) {
      const err = this.normalizeError(error, url);
      if (ctx.signal?.aborted) throw err;
      ctx.logger.warn('rss article fetch failed', { sourceId: this.sourceId, url, code: err.code });
      return { text: '', raw: { url, error: err.code, status: err.status ?? null } };
    }
  }
}

export const createRssCollector = (config: RssSource, deps: CollectorDeps): RssCollector => new RssCollector(rssSourceSchema.parse(config), deps);
