/**
 * RSS 2.0, RSS 1.0 (RDF) and Atom read with cheerio in XML mode. The parser is lenient (it never
 * throws on bad markup), so "is this a feed at all" and "was it cut off" are checked explicitly.
 */
import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { CollectorErrorCode } from '../base/errors.js';
import { parseFeedDate } from '../html/dates.js';
import { htmlToText, nodesToText } from '../html/text.js';
import { normaliseUrl } from '../html/urls.js';
import type { SkippedItem } from '../types.js';
import { feedEntrySchema, type FeedEntry, type FeedKind } from './schema.js';

export type FeedParse =
  | { readonly ok: true; readonly kind: FeedKind; readonly entries: readonly (FeedEntry | SkippedItem)[] }
  | { readonly ok: false; readonly code: CollectorErrorCode; readonly message: string };

const kids = (el: Element): Element[] => el.children.filter((node): node is Element => node.type === 'tag');

const named = (el: Element, ...names: string[]): Element[] => kids(el).filter((kid) => names.includes(kid.name.toLowerCase()));

const first = (el: Element, ...names: string[]): Element | undefined => {
  // Preference follows the order of `names`, not document order.
  for (const name of names) {
    const found = named(el, name)[0];
    if (found) return found;
  }
  return undefined;
};

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Atom `type="xhtml"` content is markup in the feed itself; everything else is (escaped) HTML or text. */
const richText = ($: CheerioAPI, el: Element | undefined): string => {
  if (!el) return '';
  if (el.attribs.type?.toLowerCase() === 'xhtml') return nodesToText(el.children);
  return htmlToText($(el).text());
};

const longId = (id: string): string => (id.length <= 256 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`);

/** `editor@site.ru (Иван Петров)` → `Иван Петров`, as RSS 2.0 `author` is an e-mail first. */
const authorName = (value: string): string | undefined => {
  const v = oneLine(value);
  const inParens = /\(([^)]+)\)\s*$/.exec(v)?.[1];
  return (inParens ?? v) || undefined;
};

const mediaUrls = (item: Element, base: string): string[] => {
  const urls: string[] = [];
  const add = (value: string | undefined): void => {
    const url = normaliseUrl(value, base);
    if (url && !urls.includes(url)) urls.push(url);
  };
  for (const el of named(item, 'enclosure', 'media:content', 'media:thumbnail')) add(el.attribs.url);
  for (const group of named(item, 'media:group')) for (const el of named(group, 'media:content', 'media:thumbnail')) add(el.attribs.url);
  for (const el of named(item, 'link', 'atom:link')) if (el.attribs.rel === 'enclosure') add(el.attribs.href);
  return urls;
};

const atomLink = (item: Element): string | undefined => {
  const links = named(item, 'link', 'atom:link').filter((el) => el.attribs.href);
  return (links.find((el) => (el.attribs.rel ?? 'alternate') === 'alternate') ?? links.find((el) => el.attribs.rel !== 'enclosure'))?.attribs.href;
};

const readEntry = ($: CheerioAPI, item: Element, kind: FeedKind, source: string, feedUrl: string, timeZone: string, where: string): FeedEntry | SkippedItem => {
  const text = (...names: string[]): string => {
    const el = first(item, ...names);
    return el ? $(el).text().trim() : '';
  };
  const xml = item.startIndex !== null && item.endIndex !== null ? source.slice(item.startIndex, item.endIndex + 1) : $.xml(item);
  const rawLink = kind === 'atom' ? atomLink(item) : text('link') || atomLink(item);
  const link = normaliseUrl(rawLink, feedUrl);
  const rawId = kind === 'atom' ? text('id') : text('guid') || (item.attribs['rdf:about'] ?? '').trim();
  const id = rawId || link;
  if (!id) return { reason: 'no-id', detail: `${where}: no ${kind === 'atom' ? 'id' : 'guid'} and no link` };
  const title = oneLine(htmlToText(text('title')));
  const body = kind === 'atom' ? richText($, first(item, 'content', 'summary')) : richText($, first(item, 'yandex:full-text', 'content:encoded', 'description'));
  const media = mediaUrls(item, feedUrl);
  if (title === '' && body === '' && media.length === 0) return { reason: 'no-text', detail: `${where} (${id}): no title, no text and no media` };
  const dateText = (kind === 'atom' ? text('published', 'updated') : text('pubdate', 'dc:date', 'atom:published', 'atom:updated')) || undefined;
  const authorEl = kind === 'atom' ? first(item, 'author') : first(item, 'dc:creator', 'author');
  const authorText = authorEl ? (kind === 'atom' ? $(first(authorEl, 'name') ?? authorEl).text() : $(authorEl).text()) : '';
  const candidate = {
    id: longId(id),
    link,
    title,
    body,
    dateText,
    published: parseFeedDate(dateText, timeZone),
    author: authorName(authorText),
    media,
    xml,
  };
  const parsed = feedEntrySchema.safeParse(candidate);
  if (!parsed.success) return { reason: 'invalid-item', detail: `${where} (${id}): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return parsed.data;
};

export const parseFeed = (source: string, feedUrl: string, timeZone: string): FeedParse => {
  const $ = cheerio.load(source, { xml: { xmlMode: true, withStartIndices: true, withEndIndices: true } });
  const root = $.root().children().toArray()[0] as Element | undefined;
  const rootName = root?.name.toLowerCase();
  const kind: FeedKind | undefined =
    rootName === 'rss' ? 'rss' : rootName === 'rdf:rdf' ? 'rdf' : rootName === 'feed' || rootName === 'atom:feed' ? 'atom' : undefined;
  if (!root || !kind) {
    const seenAs = rootName ? `<${rootName}>` : 'no markup';
    return { ok: false, code: 'ERR_INVALID_PAYLOAD', message: `${feedUrl} is not an RSS or Atom feed (found ${seenAs})` };
  }
  // htmlparser2 closes whatever is open at the end of input, so a cut-off feed parses "fine".
  const localName = root.name.replace(/^[\w.-]+:/, '');
  if (!new RegExp(`</(?:[\\w.-]+:)?${localName}\\s*>`, 'i').test(source.slice(-4_096))) {
    return { ok: false, code: 'ERR_TRUNCATED', message: `${feedUrl} ends before </${root.name}>: the feed was cut off` };
  }
  let items: Element[];
  if (kind === 'rss') {
    const channel = first(root, 'channel');
    if (!channel) return { ok: false, code: 'ERR_INVALID_PAYLOAD', message: `${feedUrl}: <rss> without a <channel>` };
    items = named(channel, 'item');
  } else {
    items = named(root, kind === 'atom' ? 'entry' : 'item');
    if (kind === 'atom' && items.length === 0 && named(root, 'id', 'title').length === 0) {
      return { ok: false, code: 'ERR_INVALID_PAYLOAD', message: `${feedUrl}: <feed> with neither entries nor an id/title` };
    }
  }
  const entries = items.map((item, index) => readEntry($, item, kind, source, feedUrl, timeZone, `item ${index + 1}`));
  return { ok: true, kind, entries };
};
