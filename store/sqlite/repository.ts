/** The start every SQLite repository shares: its context, and its statements prepared once on it. */
import type Database from 'better-sqlite3';
import type { SqliteContext } from './connection.js';

export abstract class SqliteRepository<Statements> {
  protected readonly ctx: SqliteContext;
  /** Prepared here once: preparing a statement costs more than running it. */
  protected readonly stmt: Statements;

  protected constructor(ctx: SqliteContext, prepare: (db: Database.Database) => Statements) {
    this.ctx = ctx;
    this.stmt = prepare(ctx.db);
  }
}
