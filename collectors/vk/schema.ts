/**
 * VK source config, the cursor, and the VK API v5.199 payloads we read. Payload schemas are lenient
 * about what we only copy into `raw` (geo, attachments, reposts): a strange attachment must not cost
 * us the complaint it is attached to.
 */
import { z } from 'zod';
import { commonSourceSchema } from '../common-schema.js';

export const VK_API_VERSION = '5.199';
export const VK_DEFAULT_BASE_URL = 'https://api.vk.com/method/';

const int = () => z.number().int();

export const vkCommentsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Comments are polled for posts published within this many hours. */
    windowHours: z.number().positive().max(24 * 30).default(72),
    /** New comments read per post per pass; the rest are read on the next pass. */
    maxPerPost: int().min(1).max(1_000).default(100),
  })
  .strict();

export const vkSearchConfigSchema = z
  .object({
    q: z.string().trim().min(1, { message: 'search.q must be a non-empty search query' }),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    /** Metres from the point. VK's newsfeed.search has no radius parameter: posts with geo farther away are dropped here. */
    radius: z.number().positive().optional(),
  })
  .strict()
  .refine((s) => (s.latitude === undefined) === (s.longitude === undefined), { message: 'search.latitude and search.longitude go together: give both or neither' })
  .refine((s) => s.radius === undefined || s.latitude !== undefined, { message: 'search.radius needs search.latitude and search.longitude' });

/** `https://vk.com/podslushano_nn` and `@podslushano_nn` are accepted and reduced to the screen name. */
const domainSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/^(?:https?:\/\/)?(?:m\.)?vk\.(?:com|ru)\//i, '').replace(/^@/, '').replace(/\/+$/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_.]{2,64}$/, { message: 'domain must be a VK screen name such as "podslushano_nn"' }));

export const vkSourceSchema = commonSourceSchema
  .extend({
    type: z.literal('vk'),
    /** Wall owner: negative for communities (`-123456`), positive for user pages. */
    ownerId: int()
      .refine((v) => v !== 0, { message: 'ownerId must not be 0 (communities are negative, users positive)' })
      .optional(),
    /** Wall by screen name, instead of ownerId. */
    domain: domainSchema.optional(),
    /** Keyword (and optionally geo) search over all public posts, instead of one wall. */
    search: vkSearchConfigSchema.optional(),
    /** Name of the environment variable holding the VK service token. */
    tokenEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'tokenEnv must be an environment variable name such as VK_SERVICE_TOKEN' })
      .default('VK_SERVICE_TOKEN'),
    /** Page budget of the first pass (how deep the initial backfill goes). */
    maxPages: int().min(1).max(1_000).default(5),
    /** Page budget of later passes, which page back until they reach the cursor. */
    maxCatchUpPages: int().min(1).max(5_000).default(50),
    /** Posts per request: wall.get allows 100, newsfeed.search 200. */
    pageSize: int().min(1).max(200).default(100),
    comments: vkCommentsConfigSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const given = (['ownerId', 'domain', 'search'] as const).filter((key) => config[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: given.length === 0 ? [] : [given[1] ?? given[0] ?? 'ownerId'],
        message: `a vk source reads exactly one of: a wall by "ownerId" (e.g. -123456) or "domain" (e.g. podslushano_nn), or a "search"; got ${given.length === 0 ? 'none' : given.join(' and ')}`,
      });
    }
  });

export type VkSource = z.infer<typeof vkSourceSchema>;
export type VkSourceInput = z.input<typeof vkSourceSchema>;

/** What one source reads: one wall, or a search. */
export type VkTarget =
  | { readonly kind: 'wall'; readonly key: string; readonly params: { readonly owner_id: number } | { readonly domain: string } }
  | { readonly kind: 'search'; readonly key: string; readonly search: NonNullable<VkSource['search']> };

export const vkTargetOf = (config: VkSource): VkTarget => {
  if (config.search) {
    const { q, latitude, longitude } = config.search;
    return { kind: 'search', key: JSON.stringify([q, latitude ?? null, longitude ?? null]), search: config.search };
  }
  if (config.ownerId !== undefined) return { kind: 'wall', key: `owner:${config.ownerId}`, params: { owner_id: config.ownerId } };
  return { kind: 'wall', key: `domain:${(config.domain ?? '').toLowerCase()}`, params: { domain: config.domain ?? '' } };
};

// --- cursor -------------------------------------------------------------------------------------

/** Post ids of one wall still to collect after a catch-up ran out of pages: `afterId < id < beforeId`. */
const pendingSchema = z.object({
  afterId: int().nonnegative(),
  beforeId: int().positive(),
  /** wall.get offset of the first unread post and the wall's `count` at that moment (to find it again). */
  offset: int().nonnegative(),
  total: int().nonnegative(),
});

const commentTrackerSchema = z.object({
  /** Publication time of the post (unix), to drop it once it leaves the window. */
  date: int().nonnegative(),
  /** Newest comment id returned so far. */
  lastId: int().nonnegative(),
  /** Top-level comments consumed so far (wall.getComments offset, oldest first). */
  read: int().nonnegative(),
  /** The post's `comments.count` when everything was read; -1 when more is waiting. */
  count: int().min(-1),
});

export const vkWallCursorSchema = z.object({
  version: z.literal(1),
  kind: z.literal('wall'),
  /** The wall this cursor belongs to (`owner:-123` or `domain:name`); another wall means a full pass. */
  wall: z.string(),
  /** The wall's owner id as VK reports it (a `domain` wall learns it from the first answer). */
  ownerId: int().nullable(),
  /** Newest post id seen; every newer post is new. */
  newestId: int().nonnegative(),
  pending: pendingSchema.nullable(),
  /** Per post id, for posts within the comment window. */
  comments: z.record(z.string().regex(/^\d+$/), commentTrackerSchema),
});

export const vkSearchCursorSchema = z.object({
  version: z.literal(1),
  kind: z.literal('search'),
  /** The query this cursor belongs to; another query means a full pass. */
  query: z.string(),
  /** Next pass searches from here (unix, minus a small overlap for the search index lag). */
  startTime: int().nonnegative(),
  /** A time range still to search after a pass ran out of pages (unix, inclusive). */
  backlog: z.object({ startTime: int().nonnegative(), endTime: int().nonnegative() }).nullable(),
  /** Ids returned in the overlap window, with their dates, so the overlap does not return them again. */
  recent: z.record(z.string(), int().nonnegative()),
});

export const vkCursorSchema = z.discriminatedUnion('kind', [vkWallCursorSchema, vkSearchCursorSchema]);

export type VkWallCursor = z.infer<typeof vkWallCursorSchema>;
export type VkSearchCursor = z.infer<typeof vkSearchCursorSchema>;
export type VkCursor = z.infer<typeof vkCursorSchema>;
export type VkCommentTracker = z.infer<typeof commentTrackerSchema>;

// --- API payloads -------------------------------------------------------------------------------

export const vkErrorSchema = z
  .object({
    error_code: int(),
    error_msg: z.string().default(''),
  })
  .loose();

/** Every answer is HTTP 200 with either `response` or `error`. */
export const vkEnvelopeSchema = z
  .object({ response: z.unknown().optional(), error: vkErrorSchema.optional() })
  .loose()
  .refine((e) => e.response !== undefined || e.error !== undefined, { message: 'neither "response" nor "error" in the answer' });

/** `"56.3269 44.0059"` in wall posts; an object in some other methods. */
const coordinatesSchema = z.union([z.string(), z.object({ latitude: z.number(), longitude: z.number() }).loose()]);

export const vkGeoSchema = z
  .object({
    type: z.string().optional(),
    coordinates: coordinatesSchema.optional(),
    place: z
      .object({
        title: z.string().optional(),
        address: z.string().optional(),
        city: z.string().optional(),
        latitude: z.number().optional(),
        longitude: z.number().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const flag = z.union([z.number(), z.boolean()]).transform((v) => v === true || v === 1);

export const vkCopySchema = z
  .object({
    id: int(),
    owner_id: int(),
    from_id: int().optional(),
    signer_id: int().optional(),
    date: int().optional(),
    text: z.string().default(''),
    attachments: z.array(z.unknown()).optional().catch(undefined),
    geo: vkGeoSchema.optional().catch(undefined),
  })
  .loose();

export const vkPostSchema = z
  .object({
    id: int().positive(),
    owner_id: int(),
    from_id: int().optional(),
    signer_id: int().optional(),
    date: int().nonnegative(),
    text: z.string().default(''),
    is_pinned: flag.optional(),
    attachments: z.array(z.unknown()).optional().catch(undefined),
    copy_history: z.array(z.unknown()).optional().catch(undefined),
    geo: vkGeoSchema.optional().catch(undefined),
    comments: z.object({ count: int().nonnegative() }).loose().optional().catch(undefined),
  })
  .loose();

export const vkCommentSchema = z
  .object({
    id: int().positive(),
    from_id: int().optional(),
    date: int().nonnegative(),
    text: z.string().default(''),
    deleted: flag.optional(),
    attachments: z.array(z.unknown()).optional().catch(undefined),
    thread: z.object({ count: int().nonnegative().optional(), items: z.array(z.unknown()).default([]) }).loose().optional().catch(undefined),
  })
  .loose();

const profileSchema = z.object({ id: int(), first_name: z.string().default(''), last_name: z.string().default('') }).loose();
const groupSchema = z.object({ id: int(), name: z.string().default('') }).loose();

/** `extended=1` people and communities, used only for author names: a bad entry is dropped, not fatal. */
const actors = {
  profiles: z.array(z.unknown()).optional().transform((list) => (list ?? []).flatMap((p) => {
    const parsed = profileSchema.safeParse(p);
    return parsed.success ? [parsed.data] : [];
  })),
  groups: z.array(z.unknown()).optional().transform((list) => (list ?? []).flatMap((g) => {
    const parsed = groupSchema.safeParse(g);
    return parsed.success ? [parsed.data] : [];
  })),
};

export const vkWallResponseSchema = z.object({ count: int().nonnegative(), items: z.array(z.unknown()), ...actors }).loose();

export const vkCommentsResponseSchema = z
  .object({ count: int().nonnegative(), current_level_count: int().nonnegative().optional(), items: z.array(z.unknown()), ...actors })
  .loose();

export const vkSearchResponseSchema = z
  .object({ items: z.array(z.unknown()), next_from: z.string().optional(), count: int().optional(), total_count: int().optional(), ...actors })
  .loose();

export type VkPost = z.infer<typeof vkPostSchema>;
export type VkCopy = z.infer<typeof vkCopySchema>;
export type VkComment = z.infer<typeof vkCommentSchema>;
export type VkGeo = z.infer<typeof vkGeoSchema>;
export type VkProfile = z.infer<typeof profileSchema>;
export type VkGroup = z.infer<typeof groupSchema>;
