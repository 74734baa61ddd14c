import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerStoreContract } from '../contract-suite.js';
import { SqliteStore } from './index.js';

const analyzeQuery = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(Boolean);

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
