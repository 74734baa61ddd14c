/** Opens the SQLite file with the settings every repository relies on, and migrates it. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { geohash } from '../../core/geohash.js';
import { migrate } from './migrations.js';

/** What every repository gets: the connection and one way to make a unit of writes. */
export interface SqliteContext {
  readonly db: Database.Database;
  /** Runs `fn` in a transaction, or in a savepoint of the one already open (a pipeline batch). */
  readonly atomic: <T>(fn: () => T) => T;
}

export const openDatabase = (path: string): SqliteContext & { readonly schemaVersion: number } => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a killed process; only an OS crash can drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // The dedup indexes are read and written on every post; with SQLite's 2 MB default cache their
  // B-tree pages would come from the OS on nearly every lookup. 256 MB holds about a million posts' bands.
  db.pragma('cache_size = -262144');
  const schemaVersion = migrate(db);
  // The heat-map grid groups incidents by cell at the precision the request asks for.
  db.function('radar_geohash', { deterministic: true }, (lat: unknown, lon: unknown, precision: unknown) => geohash(Number(lat), Number(lon), Number(precision)));
  // Created once: better-sqlite3 builds a wrapper per `transaction()` call, which costs more than the work.
  const transaction = db.transaction((fn: () => unknown) => fn());
  return { db, schemaVersion, atomic: <T>(fn: () => T): T => transaction(fn) as T };
};
