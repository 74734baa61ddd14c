/** `radar serve`: the API plus the background processing of pending posts. */
import { serve as listen, type ServerType } from '@hono/node-server';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/deps.js';
import type { SourcesConfig } from '../collectors/config.js';
import { CollectRunner } from '../pipeline/collect.js';
import { createIngest } from '../pipeline/ingest.js';
import { createRefutationRegistrar } from '../pipeline/refutations.js';
import type { Runtime } from '../pipeline/runtime.js';
import { startScheduler } from '../pipeline/scheduler.js';
import { buildSources, sourceInfos } from '../pipeline/sources.js';

/** Safety net for posts left pending by a failed drain: they are retried on this period. */
const DRAIN_INTERVAL_MS = 30_000;

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export const apiDepsOf = (runtime: Runtime, version: string, sources: SourcesConfig | null = null): ApiDeps => ({
  store: runtime.store,
  ingest: createIngest({ store: runtime.store, schedule: () => runtime.processor.kick() }, 'api'),
  registerRefutation: createRefutationRegistrar(runtime.store, runtime.nlp),
  categories: Object.fromEntries(runtime.nlp.taxonomy.categories.map((c) => [c.id, c.label])),
  sources: sourceInfos(sources),
  logger: runtime.logger,
  limits: runtime.config.ingest,
  version,
});

export const startServer = async (runtime: Runtime, version: string, sources: SourcesConfig | null = null): Promise<RunningServer> => {
  const { config, store, processor, logger } = runtime;
  const app = createApp(apiDepsOf(runtime, version, sources));
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
  const runner = new CollectRunner({ store, logger, onStored: () => processor.kick() });
  const scheduler = sources ? startScheduler(runner, buildSources(sources, process.env, logger), logger) : null;
  return {
    port,
    stop: async () => {
      clearInterval(timer);
      await scheduler?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await processor.drain();
      await runtime.close();
    },
  };
};
