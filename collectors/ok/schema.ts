/**
 * OK (Odnoklassniki) source config, cursor, and the shapes of the REST answers we read. Everything
 * OK sends is validated here before it is used; unknown fields pass through into `raw`.
 */
import { z } from 'zod';
import { commonSourceSchema } from '../common-schema.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name such as OK_ACCESS_TOKEN' });

/** Group ids are long decimal numbers; YAML reads them as numbers unless quoted, so both are accepted. */
const groupId = z
  .union([z.string().regex(/^\d{1,20}$/, { message: 'group id must be the numeric id from the group URL, e.g. "53038939046008"' }), z.number().int().positive()])
  .transform(String);

export const okSourceSchema = commonSourceSchema.extend({
  type: z.literal('ok'),
  /** One source may poll several groups; each keeps its own cursor. */
  groupIds: z.array(groupId).min(1, { message: 'list at least one OK group id' }),
  /** Pages per group per pass; bounds the first pass of a large group. */
  maxPages: z.number().int().min(1).max(100).default(5),
  /** Topics per page. OK does not publish the maximum for mediatopic.getTopics; 100 is our ceiling. */
  count: z.number().int().min(1).max(100).default(20),
  applicationKeyEnv: envName.default('OK_APPLICATION_KEY'),
  secretKeyEnv: envName.default('OK_APPLICATION_SECRET_KEY'),
  accessTokenEnv: envName.default('OK_ACCESS_TOKEN'),
});

export type OkSource = z.infer<typeof okSourceSchema>;

const topicKey = z.object({
  id: z.string().min(1),
  /** created_ms of that topic; ids alone are not ordered by time across OK's shards. */
  ms: z.number().int().nonnegative(),
});

export const okGroupCursorSchema = z.object({
  /** Newest topic returned so far: the next pass returns only topics newer than this. */
  newest: topicKey,
  /**
   * Set when a walk from the top hit `maxPages` before reaching `newest`: the next pass continues
   * from `anchor` (direction FORWARD, i.e. older) down to `newest`, then moves `newest` to `walkNewest`.
   */
  backlog: z.object({ anchor: z.string().min(1), walkNewest: topicKey }).optional(),
});

export const okCursorSchema = z.object({
  groups: z.record(z.string(), okGroupCursorSchema),
});

export type OkGroupCursor = z.infer<typeof okGroupCursorSchema>;
export type OkCursor = z.infer<typeof okCursorSchema>;
export type TopicKey = z.infer<typeof topicKey>;

/** OK answers errors with HTTP 200 and this body (https://apiok.ru/en/dev/errors). */
export const okErrorSchema = z.looseObject({
  error_code: z.coerce.number().int(),
  error_msg: z.string().optional(),
  error_data: z.unknown().optional(),
});

export type OkError = z.infer<typeof okErrorSchema>;

/**
 * mediatopic.getTopics answer. Topics stay `unknown` here so that one malformed topic is skipped
 * on its own instead of failing the page.
 */
export const topicsPageSchema = z.looseObject({
  media_topics: z.array(z.unknown()).nullish().transform((v) => v ?? []),
  entities: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
  anchor: z.string().nullish(),
  has_more: z.boolean().nullish(),
});

export type TopicsPage = z.infer<typeof topicsPageSchema>;

const mediaItemSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  url: z.string().nullish(),
  photo_refs: z.array(z.string()).nullish(),
});

/** One media topic (`media_topic.*` fields, as in mediatopic.getByIds). */
export const topicSchema = z.looseObject({
  id: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String),
  created_ms: z.number().int().nonnegative(),
  author_ref: z.string().nullish(),
  owner_ref: z.string().nullish(),
  media: z.array(mediaItemSchema).default([]),
});

export type Topic = z.infer<typeof topicSchema>;

/** Entities referenced from topics; only the fields we read are checked. */
export const entitySchema = z.looseObject({
  ref: z.string().nullish(),
  uid: z.union([z.string(), z.number()]).nullish(),
  id: z.union([z.string(), z.number()]).nullish(),
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  pic_max: z.string().nullish(),
  pic640x480: z.string().nullish(),
  standard_url: z.string().nullish(),
});

export type Entity = z.infer<typeof entitySchema>;
