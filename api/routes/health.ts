import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';

export const healthApp = (deps: ApiDeps) =>
  new Hono().get('/', async (c) => {
    const stats = await deps.store.stats();
    return c.json({ status: 'ok', version: deps.version, store: deps.store.kind, ...stats });
  });
