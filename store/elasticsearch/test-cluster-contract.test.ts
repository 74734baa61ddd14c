/**
 * The shared store contract run by the Elasticsearch store against the in-memory test cluster
 * (`test-cluster.ts`): this checks the store's own logic in every `npm test` (batches, real-time
 * gets against searches that only see refreshed documents, conflicts, edits, paging). It does not
 * check Elasticsearch itself; `contract.test.ts` does that on a real cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { registerStoreContract } from '../contract-suite.js';
import { analyzeQuery } from '../test-fixtures.js';
import { SqliteStore } from '../sqlite/index.js';
import { ElasticsearchStore } from './store.js';
import { testCluster } from './test-cluster.js';

registerStoreContract('elasticsearch (in-memory test cluster, store logic only)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radar-es-logic-'));
  const { client } = testCluster();
  const store = new ElasticsearchStore({
    client,
    local: new SqliteStore({ path: join(dir, 'raw.db'), analyzeQuery }),
    indexPrefix: 'radar-',
    logger: silentLogger,
    refresh: 'wait_for',
  });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
