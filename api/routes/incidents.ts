import { Hono } from 'hono';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors.js';
import { type IncidentStatus, incidentStatuses } from '../../core/types.js';
import type { ApiDeps } from '../deps.js';
import { jsonBody, parseOrThrow } from '../validate.js';
import { incidentDetailView, incidentView } from '../views.js';

const isoDate = z
  .string()
  .refine((v) => Number.isFinite(Date.parse(v)), { message: 'expected an ISO-8601 date or date-time, e.g. 2026-11-20 or 2026-11-20T08:00:00Z' })
  .transform((v) => new Date(v).toISOString());

const csvOf = <T extends string>(allowed: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(allowed)).min(1));

const statusBody = z.object({ status: z.enum(incidentStatuses as unknown as [string, ...string[]]), note: z.string().trim().max(2_000).optional() }).strict();

export const incidentsApp = (deps: ApiDeps) => {
  const categoryIds = Object.keys(deps.categories) as [string, ...string[]];
  const listQuery = z
    .object({
      category: csvOf(categoryIds).optional(),
      status: csvOf(incidentStatuses as unknown as [string, ...string[]]).optional(),
      municipality: z.string().trim().min(1).max(200).optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      q: z.string().trim().min(1).max(500).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().min(1).max(1000).optional(),
    })
    .strict();

  return new Hono()
    .get('/', async (c) => {
      // Repeated parameters (`?category=roads&category=urban`) mean the same as a comma list.
      const raw = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.join(',')]));
      const query = parseOrThrow(listQuery, raw, 'query');
      const page = await deps.store.listIncidents(
        {
          categories: query.category,
          statuses: query.status as (typeof incidentStatuses)[number][] | undefined,
          municipality: query.municipality,
          from: query.from,
          to: query.to,
          q: query.q,
        },
        { limit: query.limit, cursor: query.cursor ?? null },
      );
      return c.json({ items: page.items.map((i) => incidentView(i, deps.categories)), next_cursor: page.nextCursor });
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const detail = await deps.store.getIncident(id);
      if (!detail) throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
      return c.json({ ...incidentDetailView(detail, deps.categories), history: await deps.store.incidentHistory(id) });
    })
    .patch('/:id', async (c) => {
      const id = c.req.param('id');
      const body = parseOrThrow(statusBody, await jsonBody(c), 'status change');
      const incident = await deps.store.setIncidentStatus(id, body.status as IncidentStatus, body.note ?? null, new Date().toISOString());
      if (!incident) throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
      return c.json({ ...incidentView(incident, deps.categories), history: await deps.store.incidentHistory(id) });
    });
};
