/**
 * Telegram public channel source config, cursor, and the shape of one message as read from the
 * `t.me/s/<channel>` web preview. The page is HTML, so "the payload" is what `parse.ts` extracts;
 * it is validated here before it becomes an item.
 */
import { z } from 'zod';
import { commonSourceSchema } from '../common-schema.js';

export const defaultTelegramBaseUrl = 'https://t.me/';

/** Public usernames only: private channels have no web preview (see readme). */
export const channelPattern = /^[A-Za-z0-9_]{5,32}$/;

export const telegramSourceSchema = commonSourceSchema.extend({
  type: z.literal('telegram'),
  channel: z
    .string()
    .trim()
    .regex(channelPattern, { message: 'channel must be the public username: 5-32 letters, digits or "_", e.g. nn_zhaloby for https://t.me/s/nn_zhaloby (no "@", no link)' }),
  /** Preview pages (about 20 messages each) per pass; bounds the first pass of a long channel. */
  maxPages: z.number().int().min(1).max(100).default(5),
});

export type TelegramSource = z.infer<typeof telegramSourceSchema>;

const messageId = z.number().int().positive();

/** Ids in (after, before) have not been collected yet; `before` is exclusive. */
const gapSchema = z
  .object({ after: z.number().int().nonnegative(), before: messageId })
  .refine((gap) => gap.before > gap.after + 1, { message: 'gap must contain at least one id' });

/** Bounded so a channel that keeps outrunning `maxPages` cannot grow the cursor without limit. */
export const MAX_GAPS = 20;

export const telegramCursorSchema = z.object({
  /** Newest message id seen (posts and service messages alike): the next pass stops there. */
  lastId: z.number().int().nonnegative(),
  /**
   * Ranges skipped because a pass ran out of pages before reaching the previous `lastId` (a burst of
   * more than `maxPages` pages of posts between two passes). Newest first; later passes fill them.
   */
  gaps: z.array(gapSchema).max(MAX_GAPS).default([]),
});

export type TelegramCursor = z.infer<typeof telegramCursorSchema>;
export type TelegramGap = z.infer<typeof gapSchema>;

export const mediaKindSchema = z.enum(['photo', 'video', 'round_video', 'document', 'audio', 'poll', 'sticker', 'unsupported']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

const httpUrl = z.url({ protocol: /^https?$/ });

/** One channel post as extracted from the preview page; unknown to Telegram's own API vocabulary. */
export const telegramMessageSchema = z.object({
  channel: z.string().regex(channelPattern),
  id: messageId,
  /** Other message ids rendered inside this one (the rest of an album), from the `?single` links. */
  groupedIds: z.array(messageId),
  url: httpUrl,
  /** ISO UTC. */
  date: z.iso.datetime(),
  text: z.string(),
  /** Channel title, or the post's signature when the channel signs posts. */
  author: z.string().min(1),
  signature: z.string().optional(),
  views: z.number().int().nonnegative().optional(),
  forwardedFrom: z.object({ name: z.string(), url: httpUrl.optional() }).optional(),
  links: z.array(z.object({ text: z.string(), href: z.string() })),
  linkPreview: z
    .object({ url: z.string(), siteName: z.string().optional(), title: z.string().optional(), description: z.string().optional() })
    .optional(),
  media: z.array(mediaKindSchema),
  photos: z.array(httpUrl),
  videos: z.array(z.object({ url: httpUrl.optional(), thumb: httpUrl.optional() })),
  documents: z.array(z.object({ title: z.string(), extra: z.string().optional() })),
  poll: z.object({ question: z.string(), type: z.string().optional(), options: z.array(z.string()) }).optional(),
  replyTo: z.string().optional(),
});

export type TelegramMessage = z.infer<typeof telegramMessageSchema>;
