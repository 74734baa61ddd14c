/**
 * Picks the backend. SQLite is the default; ELASTICSEARCH_URL selects Elasticsearch, which keeps a
 * local SQLite file (the same `path`) as its raw store: posts and cursors are written there first.
 */
import type { ElasticsearchConfig } from '../core/elasticsearch-config.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type { Store } from './contract.js';
import { clientOptionsOf } from './elasticsearch/client.js';
import { SqliteStore } from './sqlite/index.js';

export interface OpenStoreOptions {
  readonly path: string;
  readonly analyzeQuery: (text: string) => readonly string[];
  /** With a `url`, the Elasticsearch store. */
  readonly elasticsearch?: ElasticsearchConfig;
  readonly logger?: Logger;
}

/**
 * The Elasticsearch store, loaded on its first call: its modules and client library add about a
 * quarter of a second to every command's start, which SQLite deployments should not pay. Settings
 * are checked now (a CA file that cannot be read fails at start-up, not at the first request).
 */
const lazyElasticsearch = (config: ElasticsearchConfig, openLocal: () => Store, logger: Logger): Store => {
  clientOptionsOf(config);
  let opened: Promise<Store> | null = null;
  const open = (): Promise<Store> =>
    (opened ??= import('./elasticsearch/index.js').then(({ openElasticsearchStore }) => openElasticsearchStore({ config, openLocal, logger })));
  return new Proxy({ kind: 'elasticsearch' } as Store, {
    get: (target, prop) => {
      if (prop === 'kind') return target.kind;
      if (prop === 'close') return async () => (opened ? (await opened).close() : undefined);
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return async (...args: unknown[]) => {
        const store = (await open()) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const method = store[prop];
        if (typeof method !== 'function') throw new TypeError(`The Elasticsearch store has no method ${prop}`);
        return method.apply(store, args);
      };
    },
  });
};

export const openStore = (options: OpenStoreOptions): Store => {
  const openLocal = () => new SqliteStore({ path: options.path, analyzeQuery: options.analyzeQuery });
  if (!options.elasticsearch?.url) return openLocal();
  return lazyElasticsearch(options.elasticsearch, openLocal, options.logger ?? silentLogger);
};

export type * from './contract.js';
