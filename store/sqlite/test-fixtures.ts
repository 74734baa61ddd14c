/** What the SQLite store's own tests open: real files in a temp dir. The domain objects they store come from `../test-fixtures.ts`. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeQuery } from '../test-fixtures.js';
import { SqliteStore } from './index.js';

export const tempDb = (): string => join(mkdtempSync(join(tmpdir(), 'radar-store-')), 'radar.db');

export const openStore = (path = tempDb()): SqliteStore => new SqliteStore({ path, analyzeQuery });
