/** The Elasticsearch backend of the store contract (selected by ELASTICSEARCH_URL). */
import type { ElasticsearchConfig } from '../../core/elasticsearch-config.js';
import type { Logger } from '../../core/logger.js';
import type { Store } from '../contract.js';
import { createClient } from './client.js';
import { ElasticsearchStore } from './store.js';

export { ElasticsearchStore, type ElasticsearchStoreOptions } from './store.js';
export { createClient } from './client.js';
export { ensureIndices, migrateIndices, type MigrationStep } from './migrate.js';
export { StoreRejectedError, StoreUnavailableError } from './errors.js';

export interface OpenElasticsearchStoreOptions {
  readonly config: ElasticsearchConfig;
  /** Opens the local raw store, where posts wait until the cluster has their analyses; called once the client is configured. */
  readonly openLocal: () => Store;
  readonly logger: Logger;
}

export const openElasticsearchStore = (options: OpenElasticsearchStoreOptions): ElasticsearchStore => {
  // The client first: a wrong TLS or auth setting fails before any file is opened.
  const client = createClient(options.config);
  return new ElasticsearchStore({ client, local: options.openLocal(), indexPrefix: options.config.indexPrefix, logger: options.logger.child({ store: 'elasticsearch' }) });
};
