/**
 * City news sites without a feed: the list page (and up to `maxPages` "next" pages) gives the links,
 * each new article page gives the text. The article URL is the id.
 */
import * as cheerio from 'cheerio';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { OptionsInit } from 'got';
import { postInputSchema } from '../../core/post-input.js';
import type { PostInput } from '../../core/types.js';
import { HttpCollector } from '../base/collector.js';
import { CollectorError, type CollectorErrorCode } from '../base/errors.js';
import { createHttp } from '../base/http.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectContext, CollectedItem, CollectOutcome, SkippedItem } from '../types.js';
import { parsePageDate } from './dates.js';
import { htmlCursorSchema, htmlSourceSchema, listEntrySchema, type HtmlCursor, type HtmlSource, type ListEntry } from './schema.js';
import { remember, seenLimitFor } from './seen.js';
import { nodesToText } from './text.js';
import { normaliseUrl, pageBase } from './urls.js';

export { htmlCursorSchema, htmlSourceSchema, type HtmlCursor, type HtmlSource };

/** Passes in a row an article may fail before it is given up on (and kept with its list title only). */
export const maxArticleAttempts = 3;
const maxAttemptEntries = 200;

/**
 * Failures that say something about the whole site rather than one article: fetching more articles
 * now would only make it worse, so the pass ends with what it has.
 */
const passStoppers: ReadonlySet<CollectorErrorCode> = new Set(['ERR_CAPTCHA', 'ERR_LOGIN_WALL', 'ERR_RATE_LIMITED', 'ERR_ACCESS_DENIED', 'ERR_AUTH']);

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

const dateValue = (el: Cheerio<AnyNode>): string | undefined => {
  if (el.length === 0) return undefined;
  const value = el.attr('datetime') ?? el.attr('content') ?? el.attr('title') ?? el.text();
  return value.trim() || undefined;
};

interface ListRead {
  readonly entries: ListEntry[];
  readonly skipped: SkippedItem[];
}

export class HtmlCollector extends HttpCollector<HtmlCursor> {
  readonly type = 'html' as const;

  constructor(private readonly config: HtmlSource, deps: CollectorDeps) {
    super(config.id, createHttp(deps.http, deps.queues));
  }


  parseCursor(value: unknown): HtmlCursor | null {
    const parsed = htmlCursorSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async collect(ctx: CollectContext<HtmlCursor>): Promise<CollectOutcome<HtmlCursor>> {
    const cursor = ctx.cursor ?? htmlCursorSchema.parse({});
    const seen = new Set(cursor.seen);
    const options: OptionsInit = ctx.signal ? { signal: ctx.signal } : {};
    const { entries, skipped } = await this.readList(ctx, seen, cursor.backlog, options);
    const fresh = entries.filter((entry) => !seen.has(entry.url));
    const batch = fresh.slice(0, this.config.maxArticles);
    const items: CollectedItem[] = [];
    const done: string[] = [];
    const attempts: Record<string, number> = { ...cursor.attempts };
    let stopped = false;

    for (const entry of batch) {
      const now = new Date();
      let page: { text: string; url: string; charsetFallback: boolean };
      try {
        page = await this.fetchText(entry.url, options);
      } catch (error) {
        const err = this.normalizeError(error, entry.url);
        if (ctx.signal?.aborted) throw err;
        if (passStoppers.has(err.code)) {
          // Nothing to show for the pass: let the runner see the code and apply its disposition.
          if (done.length === 0) throw err;
          ctx.logger.warn('html pass stopped early', { sourceId: this.sourceId, url: entry.url, code: err.code, collected: items.length });
          stopped = true;
          break;
        }
        const attempt = (attempts[entry.url] ?? 0) + 1;
        if (attempt < maxArticleAttempts) {
          attempts[entry.url] = attempt;
          ctx.logger.warn('html article skipped', { sourceId: this.sourceId, url: entry.url, code: err.code, attempt });
          skipped.push({ reason: 'article-unavailable', detail: `${entry.url}: ${err.code} (attempt ${attempt} of ${maxArticleAttempts}, retried next pass)` });
          continue;
        }
        delete attempts[entry.url];
        done.push(entry.url);
        ctx.logger.warn('html article given up', { sourceId: this.sourceId, url: entry.url, code: err.code, attempt });
        const titleOnly = this.toItem(ctx, entry, undefined, now, { error: err.code, status: err.status ?? null });
        if ('reason' in titleOnly) skipped.push({ reason: 'article-gave-up', detail: `${entry.url}: ${err.code} after ${attempt} passes, and the list gives no title` });
        else items.push(titleOnly);
        continue;
      }
      delete attempts[entry.url];
      done.push(entry.url);
      if (page.charsetFallback) ctx.logger.warn('html page charset mislabelled', { sourceId: this.sourceId, url: entry.url });
      const result = this.toItem(ctx, entry, page, now, null);
      if ('reason' in result) {
        ctx.logger.warn('html item skipped', { sourceId: this.sourceId, reason: result.reason, detail: result.detail });
        skipped.push(result);
      } else {
        items.push(result);
      }
    }

    const next: HtmlCursor = {
      seen: remember(cursor.seen, done, seenLimitFor(entries.length)),
      attempts: Object.fromEntries(Object.entries(attempts).slice(-maxAttemptEntries)),
      backlog: stopped || fresh.length > batch.length,
    };
    return { items, cursor: next, skipped };
  }

  /** List entries from the first page and as many next pages as are useful, deduplicated by URL. */
  private async readList(ctx: CollectContext<HtmlCursor>, seen: ReadonlySet<string>, backlog: boolean, options: OptionsInit): Promise<ListRead> {
    const { selectors, maxPages, maxArticles, nextPage } = this.config;
    const entries: ListEntry[] = [];
    const skipped: SkippedItem[] = [];
    const known = new Set<string>();
    const visited = new Set<string>();
    let url: string | undefined = this.config.listUrl;
    let fresh = 0;

    for (let pageNo = 1; url && pageNo <= maxPages; pageNo += 1) {
      visited.add(url);
      let page: { text: string; url: string };
      try {
        page = await this.fetchText(url, options);
      } catch (error) {
        // The first page decides the pass; a later one failing only shortens it.
        if (pageNo === 1 || ctx.signal?.aborted) throw error;
        ctx.logger.warn('html list page failed', { sourceId: this.sourceId, url, code: (error as CollectorError).code });
        break;
      }
      const base = pageBase(url, page.url);
      const $ = cheerio.load(page.text);
      const nodes = $(selectors.item);
      if (nodes.length === 0) {
        if (pageNo === 1) {
          throw new CollectorError('ERR_INVALID_PAYLOAD', `${this.sourceId}: "${selectors.item}" matched nothing on ${base}; the site layout may have changed`, { url: page.url });
        }
        break;
      }
      let freshOnPage = 0;
      let lastSeen = false;
      nodes.each((index, node) => {
        const entry = this.readEntry($, $(node), base, `item ${index + 1} on ${base}`);
        if ('reason' in entry) {
          ctx.logger.warn('html item skipped', { sourceId: this.sourceId, reason: entry.reason, detail: entry.detail });
          skipped.push(entry);
          return;
        }
        lastSeen = seen.has(entry.url);
        if (known.has(entry.url)) return;
        known.add(entry.url);
        entries.push(entry);
        if (!lastSeen) freshOnPage += 1;
      });
      fresh += freshOnPage;
      if (!nextPage || fresh >= maxArticles) break;
      // Lists run newest first: once the page ends on a known article, the next pages hold only older,
      // known ones (pinned items sit at the top, so the end of the page is the reliable boundary).
      // A backlog left by the last pass is the exception: its articles are further down.
      if (!backlog && (freshOnPage === 0 || lastSeen)) break;
      const href = normaliseUrl($(nextPage).first().attr('href'), base);
      url = href && !visited.has(href) ? href : undefined;
    }
    return { entries, skipped };
  }

  private readEntry($: CheerioAPI, item: Cheerio<AnyNode>, pageUrl: string, where: string): ListEntry | SkippedItem {
    const { selectors } = this.config;
    const link = item.is(selectors.link) ? item : item.find(selectors.link).first();
    const href = link.attr('href');
    if (!href) return { reason: 'no-link', detail: `${where}: no "${selectors.link}" with an href` };
    const url = normaliseUrl(href, pageUrl);
    if (!url) return { reason: 'bad-link', detail: `${where}: "${href}" is not an http(s) link` };
    const titleNode = selectors.title ? item.find(selectors.title).first() : link;
    const title = oneLine(nodesToText(titleNode.toArray())) || oneLine(nodesToText(link.toArray()));
    const dateText = selectors.date ? dateValue(item.find(selectors.date).first()) : undefined;
    const parsed = listEntrySchema.safeParse({ url, title, dateText, html: $.html(item) });
    if (!parsed.success) return { reason: 'invalid-item', detail: `${where}: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
    return parsed.data;
  }

  private toItem(
    ctx: CollectContext<HtmlCursor>,
    entry: ListEntry,
    page: { text: string; url: string; charsetFallback: boolean } | undefined,
    now: Date,
    failure: { error: CollectorErrorCode; status: number | null } | null,
  ): CollectedItem | SkippedItem {
    const { selectors, timeZone, dateFormat } = this.config;
    let body = '';
    let bodyHtml: string | null = null;
    let title = entry.title;
    let published = parsePageDate(entry.dateText, { now, timeZone, format: dateFormat });
    let author: string | undefined;
    if (page) {
      const $ = cheerio.load(page.text);
      const bodyNodes = $(selectors.body);
      body = nodesToText(bodyNodes.toArray());
      bodyHtml = bodyNodes.length > 0 ? bodyNodes.toArray().map((node) => $.html(node)).join('\n') : null;
      // Kept with its title: a changed layout should show up in the logs, not as lost posts.
      if (body === '') ctx.logger.warn('html article body not found', { sourceId: this.sourceId, url: page.url, selector: selectors.body });
      title ||= oneLine(nodesToText($('h1').first().toArray())) || ($('meta[property="og:title"]').attr('content') ?? '').trim();
      if (!published && selectors.date) published = parsePageDate(dateValue($(selectors.date).first()), { now, timeZone, format: dateFormat });
      published ??= parsePageDate($('meta[property="article:published_time"]').attr('content') ?? $('time[datetime]').first().attr('datetime'), { now, timeZone, format: 'iso' });
      author = ($('meta[name="author"]').attr('content') ?? $('[itemprop="author"]').first().text()).trim() || undefined;
    }
    const text = body.startsWith(title) ? body : [title, body].filter((part) => part !== '').join('\n\n');
    if (text === '') return { reason: 'no-text', detail: `${entry.url}: neither a title nor any text in "${selectors.body}"` };
    const input: PostInput = { id: entry.url, text, source: this.sourceId, url: entry.url, author, published_at: published };
    const valid = postInputSchema().safeParse(input);
    if (!valid.success) return { reason: 'invalid-item', detail: `${entry.url}: ${valid.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    const raw = {
      listItemHtml: entry.html,
      extracted: { url: entry.url, title: entry.title, dateText: entry.dateText ?? null },
      article: page ? { url: pageBase(entry.url, page.url), bodyHtml, charsetFallback: page.charsetFallback } : failure,
    };
    return { input: valid.data, raw };
  }
}

export const createHtmlCollector = (config: HtmlSource, deps: CollectorDeps): HtmlCollector => new HtmlCollector(htmlSourceSchema.parse(config), deps);
