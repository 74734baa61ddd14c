import { z } from 'zod';
import { commonSourceSchema } from '../common-schema.js';
import { timeZoneSchema } from '../html/schema.js';

export const rssSourceSchema = commonSourceSchema.extend({
  type: z.literal('rss'),
  /** The feed itself (RSS 2.0, RSS 1.0 or Atom). `baseUrl` is not used: the feed URL is already absolute. */
  url: z.url({ protocol: /^https?$/ }),
  /** For feeds that carry only a summary: fetch each new item's page and take the text from `body`. */
  fetchArticle: z
    .object({
      body: z.string().trim().min(1),
      /** Article pages fetched per pass; later items wait for the next pass. */
      maxPerPass: z.number().int().min(1).max(500).default(30),
    })
    .optional(),
  /** Zone of feed dates written without one. */
  timeZone: timeZoneSchema.default('Europe/Moscow'),
});

export type RssSource = z.infer<typeof rssSourceSchema>;

export const rssCursorSchema = z.object({
  /** Ids (guid / Atom id / link) already returned, newest first. */
  seen: z.array(z.string()).default([]),
  /** Latest publication date among returned items, ISO UTC: for monitoring, not for filtering. */
  newest: z.string().nullable().default(null),
});

export type RssCursor = z.infer<typeof rssCursorSchema>;

/** One feed entry as read from the XML, before it becomes a post. */
export const feedEntrySchema = z.object({
  id: z.string().min(1).max(256),
  link: z.url({ protocol: /^https?$/ }).optional(),
  title: z.string(),
  body: z.string(),
  dateText: z.string().optional(),
  published: z.string().optional(),
  author: z.string().max(512).optional(),
  media: z.array(z.string()),
  xml: z.string(),
});

export type FeedEntry = z.infer<typeof feedEntrySchema>;

export type FeedKind = 'rss' | 'rdf' | 'atom';
