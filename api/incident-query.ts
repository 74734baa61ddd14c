/** The incident filter in the query string, shared by the feed and its facets. */
import type { Context } from 'hono';
import { z } from 'zod';
import { incidentStatuses, type IncidentStatus } from '../core/types.js';
import type { IncidentFilter } from '../store/contract.js';
import { parseOrThrow } from './validate.js';

const isoDate = z
  .string()
  .refine((v) => Number.isFinite(Date.parse(v)), { message: 'expected an ISO-8601 date or date-time, e.g. 2026-11-20 or 2026-11-20T08:00:00Z' })
  .transform((v) => new Date(v).toISOString());

const csvOf = <T extends string>(allowed: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(allowed)).min(1));

export const filterShape = (categoryIds: readonly [string, ...string[]]) => ({
  category: csvOf(categoryIds).optional(),
  status: csvOf(incidentStatuses as unknown as [IncidentStatus, ...IncidentStatus[]]).optional(),
  municipality: z.string().trim().min(1).max(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: z.string().trim().min(1).max(500).optional(),
});

/** The query as one object; repeated parameters (`?category=roads&category=urban`) mean a comma list. */
export const parseQuery = <S extends z.ZodType>(c: Context, schema: S): z.output<S> =>
  parseOrThrow(schema, Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.join(',')])), 'query');

export const filterOf = (query: { category?: string[] | undefined; status?: IncidentStatus[] | undefined; municipality?: string | undefined; from?: string | undefined; to?: string | undefined; q?: string | undefined }): IncidentFilter => ({
  categories: query.category,
  statuses: query.status,
  municipality: query.municipality,
  from: query.from,
  to: query.to,
  q: query.q,
});
