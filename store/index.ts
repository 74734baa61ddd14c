/** Picks the backend. SQLite is the default; Elasticsearch is selected by ELASTICSEARCH_URL (later). */
import type { Store } from './contract.js';
import { SqliteStore } from './sqlite/index.js';

export interface OpenStoreOptions {
  readonly path: string;
  readonly analyzeQuery: (text: string) => readonly string[];
}

export const openStore = (options: OpenStoreOptions): Store => new SqliteStore(options);

export type * from './contract.js';
