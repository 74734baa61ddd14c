import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors.js';
import { type IncidentStatus, incidentStatuses } from '../../core/types.js';
import type { ApiDeps } from '../deps.js';
import { filterOf, filterShape, parseQuery } from '../incident-query.js';
import { jsonBody, parseOrThrow } from '../validate.js';
import { decisionView, facetsView, incidentDetailView, incidentView } from '../views.js';

const note = z.string().trim().max(2_000).optional();
const statusBody = z.object({ status: z.enum(incidentStatuses as unknown as [IncidentStatus, ...IncidentStatus[]]), note }).strict();
const mergeBody = z.object({ incident_ids: z.array(z.string().trim().min(1).max(200)).min(1).max(100), note }).strict();
const splitBody = z
  .object({
    reports: z.array(z.object({ post_id: z.string().min(1).max(1_000), problem_index: z.number().int().min(0) }).strict()).min(1).max(1_000),
    note,
  })
  .strict();

const pathOf = (id: string): string => `/api/v1/incidents/${encodeURIComponent(id)}`;

/** An id merged away answers with a permanent redirect to the incident it was merged into (308 keeps the method). */
const redirect = (c: Context, from: string, to: string): Response =>
  c.json({ id: from, merged_into: to, location: pathOf(to) }, 308, { location: pathOf(to) });

export const incidentsApp = (deps: ApiDeps) => {
  const categoryIds = Object.keys(deps.categories) as [string, ...string[]];
  const listQuery = z
    .object({ ...filterShape(categoryIds), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().min(1).max(1000).optional() })
    .strict();
  const facetsQuery = z.object({ ...filterShape(categoryIds), geo_precision: z.coerce.number().int().min(1).max(8).default(5) }).strict();

  const historyOf = async (id: string) => (await deps.store.incidentHistory(id)).map(decisionView);

  return new Hono()
    .get('/', async (c) => {
      const query = parseQuery(c, listQuery);
      const page = await deps.store.listIncidents(filterOf(query), { limit: query.limit, cursor: query.cursor ?? null });
      return c.json({ items: page.items.map((i) => incidentView(i, deps.categories)), next_cursor: page.nextCursor });
    })
    // Registered before `/:id` so that `facets` is never read as an incident id.
    .get('/facets', async (c) => {
      const query = parseQuery(c, facetsQuery);
      const facets = await deps.store.incidentFacets(filterOf(query), { geoPrecision: query.geo_precision });
      return c.json(facetsView(facets, query.geo_precision, deps.categories));
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const detail = await deps.store.getIncident(id);
      if (!detail) throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
      if (detail.redirectedFrom !== undefined) return redirect(c, id, detail.id);
      return c.json({ ...incidentDetailView(detail, deps.categories), history: await historyOf(id) });
    })
    .patch('/:id', async (c) => {
      const id = c.req.param('id');
      const body = parseOrThrow(statusBody, await jsonBody(c), 'status change');
      const incident = await deps.store.setIncidentStatus(id, body.status, body.note ?? null, new Date().toISOString());
      if (!incident) {
        const merged = await deps.store.getIncident(id);
        if (merged) return redirect(c, id, merged.id);
        throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
      }
      return c.json({ ...incidentView(incident, deps.categories), history: await historyOf(id) });
    })
    .post('/:id/merge', async (c) => {
      const body = parseOrThrow(mergeBody, await jsonBody(c), 'merge');
      const target = await deps.store.mergeIncidents(c.req.param('id'), body.incident_ids, body.note ?? null, new Date().toISOString());
      return c.json({ ...incidentView(target, deps.categories), history: await historyOf(target.id) });
    })
    .post('/:id/split', async (c) => {
      const body = parseOrThrow(splitBody, await jsonBody(c), 'split');
      const reports = body.reports.map((r) => ({ postId: r.post_id, problemIndex: r.problem_index }));
      const { original, created } = await deps.store.splitIncident(c.req.param('id'), reports, body.note ?? null, new Date().toISOString());
      return c.json({ original: incidentView(original, deps.categories), created: incidentView(created, deps.categories) }, 201);
    });
};
