import { Hono } from 'hono';
import { z } from 'zod';
import type { Refutation } from '../../core/types.js';
import type { ApiDeps } from '../deps.js';
import { jsonBody, parseOrThrow } from '../validate.js';

const body = z
  .object({
    claim: z.string().trim().min(20).max(5_000),
    url: z.url({ protocol: /^https?$/, message: 'url must be an absolute http(s) URL of the refutation' }),
    text: z.string().max(20_000).optional(),
    topic: z.string().trim().min(1).max(200).optional(),
    published_at: z
      .string()
      .refine((v) => Number.isFinite(Date.parse(v)), { message: 'expected an ISO-8601 date-time' })
      .transform((v) => new Date(v).toISOString())
      .optional(),
  })
  .strict();

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

const view = (r: Refutation) => ({ id: r.id, claim: r.claim, text: r.text, url: r.url, topic: r.topic, published_at: r.publishedAt, created_at: r.createdAt });

/** The refutation registry: editors add official refutations; posts repeating a refuted claim get high risk. */
export const refutationsApp = (deps: ApiDeps) =>
  new Hono()
    .post('/', async (c) => {
      const refutation = await deps.registerRefutation(parseOrThrow(body, await jsonBody(c), 'refutation'));
      return c.json(view(refutation), 201);
    })
    .get('/', async (c) => {
      const { limit } = parseOrThrow(listQuery, c.req.query(), 'query');
      return c.json({ items: (await deps.store.listRefutations(limit)).map(view) });
    });
