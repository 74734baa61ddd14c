import { Hono } from 'hono';
import { isRadarError } from '../../core/errors.js';
import type { ApiDeps } from '../deps.js';

export const healthApp = (deps: ApiDeps) =>
  new Hono().get('/', async (c) => {
    try {
      const stats = await deps.store.stats();
      return c.json({ status: 'ok', version: deps.version, store: deps.store.kind, ...stats });
    } catch (error) {
      // Monitoring must tell "up but its store is down" from "down": answer, with 503.
      if (!isRadarError(error) || error.code !== 'ERR_STORE_UNAVAILABLE') throw error;
      return c.json({ status: 'degraded', version: deps.version, store: deps.store.kind, error: error.message }, 503);
    }
  });
