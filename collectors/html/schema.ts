import { z } from 'zod';
import { commonSourceSchema } from '../common-schema.js';

const selector = z.string().trim().min(1);

/** An IANA zone name that this Node's Intl knows. */
export const timeZoneSchema = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'timeZone must be an IANA zone such as "Europe/Moscow"' },
);

export const htmlSourceSchema = commonSourceSchema.extend({
  type: z.literal('html'),
  /** First page of the news list. */
  listUrl: z.url({ protocol: /^https?$/ }),
  selectors: z.object({
    /** One news entry on the list page. */
    item: selector,
    /** Inside an item: the `<a href>` of the article (the item itself when it is the link). */
    link: selector,
    /** Inside an item; the link's text when absent. */
    title: selector.optional(),
    /** Inside an item, else on the article page; a `datetime`/`content` attribute wins over the text. */
    date: selector.optional(),
    /** On the article page: the article text. Several matches are joined. */
    body: selector,
  }),
  /** Restricts date parsing to one family; `auto` tries ISO, relative, dd.mm.yyyy and month names. */
  dateFormat: z.enum(['auto', 'iso', 'dmy', 'ru']).default('auto'),
  /** Zone of dates printed without one, and of "сегодня"/"вчера". */
  timeZone: timeZoneSchema.default('Europe/Moscow'),
  /** The "next page" link on the list page; without it only the first page is read. */
  nextPage: selector.optional(),
  maxPages: z.number().int().min(1).max(50).default(3),
  /** Article pages fetched per pass; the rest wait for the next pass. */
  maxArticles: z.number().int().min(1).max(500).default(30),
});

export type HtmlSource = z.infer<typeof htmlSourceSchema>;

export const htmlCursorSchema = z.object({
  /** Article URLs already returned (or given up on), newest first. */
  seen: z.array(z.string()).default([]),
  /** Failed article fetches per URL, for URLs not yet in `seen`. */
  attempts: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /** The last pass left known new articles unfetched (maxArticles, or it was stopped): read past seen pages. */
  backlog: z.boolean().default(false),
});

export type HtmlCursor = z.infer<typeof htmlCursorSchema>;

/** What one list item yields before its article is fetched. */
export const listEntrySchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  title: z.string(),
  dateText: z.string().optional(),
  html: z.string(),
});

export type ListEntry = z.infer<typeof listEntrySchema>;
