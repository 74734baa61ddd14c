/**
 * The public post input (`radar analyze` lines, `POST /api/v1/posts`, bundled demo files), validated
 * at the edge. Unknown fields are allowed and kept in the raw payload.
 */
import { z } from 'zod';
import type { Issue } from './errors.js';
import { describeReceived, zodIssues } from './zod-issues.js';
import type { PostInput } from './types.js';

export const MAX_TEXT_CHARS = 100_000;

export const sourceIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const optionalString = (max: number) => z.string().max(max).nullish().transform((v) => v ?? undefined);

const buildSchema = (maxTextChars: number) =>
  z.object({
    id: z
      .union([z.string().trim().min(1).max(256), z.number().int().nonnegative()])
      .transform(String),
    text: z.string().max(maxTextChars, { message: `text longer than ${maxTextChars} characters; split the post or raise ingest.maxTextChars` }),
    source: z
      .string()
      .regex(sourceIdPattern, { message: 'source must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit' })
      .nullish()
      .transform((v) => v ?? undefined),
    url: z
      .url({ protocol: /^https?$/, message: 'url must be an absolute http(s) URL' })
      .nullish()
      .transform((v) => v ?? undefined),
    author: optionalString(512),
    published_at: z
      .string()
      .refine((v) => Number.isFinite(Date.parse(v)), { message: 'published_at must be an ISO-8601 date-time, e.g. 2026-11-20T08:15:00Z' })
      .nullish()
      .transform((v) => (v ? new Date(v).toISOString() : undefined)),
    location: z
      .object({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        address: optionalString(1_000),
      })
      .nullish()
      .transform((v) => v ?? undefined),
  });

const schemas = new Map<number, ReturnType<typeof buildSchema>>();

/** Building a zod schema costs far more than using one: one per text limit, built once. */
export const postInputSchema = (maxTextChars = MAX_TEXT_CHARS): ReturnType<typeof buildSchema> => {
  let schema = schemas.get(maxTextChars);
  if (!schema) {
    schema = buildSchema(maxTextChars);
    schemas.set(maxTextChars, schema);
  }
  return schema;
};

export type PostInputResult = { ok: true; value: PostInput } | { ok: false; issues: Issue[] };

export const parsePostInput = (value: unknown, maxTextChars = MAX_TEXT_CHARS): PostInputResult => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, issues: [{ path: '(root)', message: `expected a JSON object with "id" and "text", got ${describeReceived(value)}` }] };
  }
  const result = postInputSchema(maxTextChars).safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: zodIssues(result.error, value) };
};
