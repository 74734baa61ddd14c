/** `radar serve`: the API plus the background processing of pending posts. */
import { serve as listen, type ServerType } from '@hono/node-server';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/deps.js';
import { createIngest } from '../pipeline/ingest.js';
import type { Runtime } from '../pipeline/runtime.js';

/** Safety net for posts left pending by a failed drain: they are retried on this period. */
const DRAIN_INTERVAL_MS = 30_000;

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export const apiDepsOf = (runtime: Runtime, version: string): ApiDeps => ({
  store: runtime.store,
  ingest: createIngest({ store: runtime.store, schedule: () => runtime.processor.kick() }, 'api'),
  categories: Object.fromEntries(runtime.nlp.taxonomy.categories.map((c) => [c.id, c.label])),
  logger: runtime.logger,
  limits: runtime.config.ingest,
  version,
});

export const startServer = async (runtime: Runtime, version: string): Promise<RunningServer> => {
  const { config, store, processor, logger } = runtime;
  const app = createApp(apiDepsOf(runtime, version));
  const server: ServerType = await new Promise((resolve) => {
    const s = listen({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info('api listening', { url: `http://${config.host}:${port}`, store: store.kind, db: config.db });
  // Posts accepted before a crash are still pending: pick them up now.
  processor.kick();
  const timer = setInterval(() => processor.kick(), DRAIN_INTERVAL_MS);
  timer.unref();
  return {
    port,
    stop: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await processor.drain();
      await runtime.close();
    },
  };
};
