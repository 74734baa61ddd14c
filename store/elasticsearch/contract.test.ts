/**
 * The shared store contract on a real Elasticsearch cluster, when ELASTICSEARCH_URL (and its auth
 * variables) point at one. Each test gets its own index prefix and removes its indices afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { loadConfig } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { registerStoreContract } from '../contract-suite.js';
import { analyzeQuery } from '../test-fixtures.js';
import { SqliteStore } from '../sqlite/index.js';
import { createClient } from './client.js';
import { readAliases } from './migrate.js';
import { indexKeys } from './names.js';
import { ElasticsearchStore } from './store.js';

let next = 0;

if (process.env.ELASTICSEARCH_URL) {
  const config = loadConfig().elasticsearch;
  registerStoreContract('elasticsearch', async () => {
    const prefix = `radar-contract-${process.pid}-${Date.now().toString(36)}-${next++}-`;
    const dir = mkdtempSync(join(tmpdir(), 'radar-es-contract-'));
    const store = new ElasticsearchStore({
      client: createClient(config),
      local: new SqliteStore({ path: join(dir, 'raw.db'), analyzeQuery }),
      indexPrefix: prefix,
      logger: silentLogger,
      // The suite reads right after writing: every write is refreshed at once (never in production).
      refresh: true,
    });
    return {
      store,
      dispose: async () => {
        await store.close();
        const admin = createClient(config);
        try {
          const indices = [...(await readAliases(admin, prefix)).keys()];
          if (indices.length > 0) await admin.indices.delete({ index: indices });
          for (const key of indexKeys) await admin.indices.deleteIndexTemplate({ name: `${prefix}${key}` }, { ignore: [404] });
        } finally {
          await admin.close();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  });
} else {
  test('elasticsearch contract suite: not run, ELASTICSEARCH_URL is not set', (t) => {
    t.log('NOT RUN: the shared store contract was not checked against Elasticsearch. Set ELASTICSEARCH_URL (and ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, ELASTICSEARCH_CA) to run it on a cluster.');
    t.pass();
  });
}
