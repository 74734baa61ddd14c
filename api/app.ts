/** The HTTP API: small sub-apps per resource, one error mapping for all of them. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, isRadarError, PayloadTooLargeError } from '../core/errors.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { healthApp } from './routes/health.js';
import { incidentsApp } from './routes/incidents.js';
import { postsApp } from './routes/posts.js';
import { refutationsApp } from './routes/refutations.js';
import { storiesApp } from './routes/stories.js';
import { sourcesApp } from './routes/sources.js';

/** The pipeline retries pending posts every 30 s while the store is down; clients may do the same. */
const STORE_RETRY_AFTER_SECONDS = 30;

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  ERR_VALIDATION: 400,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_SHUTTING_DOWN: 503,
  ERR_CONFIG: 500,
  ERR_STORE: 500,
  ERR_STORE_UNAVAILABLE: 503,
};

const titles: Record<ErrorCode, string> = {
  ERR_VALIDATION: 'Invalid request',
  ERR_NOT_FOUND: 'Not found',
  ERR_CONFLICT: 'Conflict',
  ERR_PAYLOAD_TOO_LARGE: 'Payload too large',
  ERR_SHUTTING_DOWN: 'Shutting down',
  ERR_CONFIG: 'Server misconfigured',
  ERR_STORE: 'Storage error',
  ERR_STORE_UNAVAILABLE: 'Storage unavailable',
};

export const createApp = (deps: ApiDeps) => {
  const app = new Hono();
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: deps.limits.maxBodyBytes,
      onError: () => {
        throw new PayloadTooLargeError(`Request body exceeds ${deps.limits.maxBodyBytes} bytes; send smaller batches`);
      },
    }),
  );
  app.route('/health', healthApp(deps));
  app.route('/api/v1/incidents', incidentsApp(deps));
  app.route('/api/v1/posts', postsApp(deps));
  app.route('/api/v1/sources', sourcesApp(deps));
  app.route('/api/v1/refutations', refutationsApp(deps));
  app.route('/api/v1/stories', storiesApp(deps));
  app.notFound((c) => problem(c, 404, { title: 'Not found', code: 'ERR_ROUTE', detail: `No route for ${c.req.method} ${c.req.path}` }));
  app.onError((error, c) => {
    if (isRadarError(error)) {
      const status = statusOf[error.code];
      if (status >= 500) deps.logger.error('request failed', { path: c.req.path, error });
      // Clients and load balancers back off instead of hammering a store that is coming back.
      if (error.code === 'ERR_STORE_UNAVAILABLE') c.header('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
      return problem(c, status, {
        title: titles[error.code],
        code: error.code,
        detail: error.message,
        ...(error.issues.length > 0 ? { errors: error.issues } : {}),
      });
    }
    deps.logger.error('unhandled request error', { path: c.req.path, method: c.req.method, error });
    return problem(c, 500, { title: 'Internal error', code: 'ERR_INTERNAL', detail: 'The server failed to handle the request; it has been logged.' });
  });
  return app;
};
