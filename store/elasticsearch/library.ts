/**
 * The Elasticsearch client library, loaded on first use: it takes about 170 ms to load, which every
 * `radar` command would pay while the default SQLite store never needs it. Elsewhere only its types
 * are imported.
 */
import { createRequire } from 'node:module';
import type * as Elasticsearch from '@elastic/elasticsearch';

let loaded: typeof Elasticsearch | null = null;

export const elasticsearch = (): typeof Elasticsearch => (loaded ??= createRequire(import.meta.url)('@elastic/elasticsearch') as typeof Elasticsearch);
