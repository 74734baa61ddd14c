import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerStoreContract } from '../contract-suite.js';
import { analyzeQuery } from '../test-fixtures.js';
import { SqliteStore } from './index.js';

registerStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radar-contract-'));
  const store = new SqliteStore({ path: join(dir, 'radar.db'), analyzeQuery });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
