/** Collectors' cursors and the health of their recent passes. */
import type { CollectedBatch, SavePostsResult, SourceFailure, SourceState } from '../contract.js';
import type { SqliteContext } from './connection.js';
import { type SourceStateRow, toSourceState } from './rows.js';

export class SourcesRepository {
  readonly #stmt;

  constructor({ db }: SqliteContext) {
    this.#stmt = {
      sourceSuccess: db.prepare(
        `INSERT INTO source_states (source_id, type, cursor, health, last_run_at, last_success_at, consecutive_failures, posts_collected, newest_post_at)
         VALUES (@sourceId, @type, @cursor, 'ok', @at, @at, 0, @inserted, @newest)
         ON CONFLICT (source_id) DO UPDATE SET type = @type, cursor = @cursor, health = 'ok', last_run_at = @at, last_success_at = @at,
           consecutive_failures = 0, posts_collected = posts_collected + @inserted,
           newest_post_at = CASE WHEN @newest IS NOT NULL AND (newest_post_at IS NULL OR @newest > newest_post_at) THEN @newest ELSE newest_post_at END`,
      ),
      sourceFailure: db.prepare(
        `INSERT INTO source_states (source_id, type, health, last_run_at, last_error, last_error_code, last_error_at, consecutive_failures)
         VALUES (@sourceId, @type, @health, @at, @message, @code, @at, 1)
         ON CONFLICT (source_id) DO UPDATE SET type = @type, health = @health, last_run_at = @at, last_error = @message,
           last_error_code = @code, last_error_at = @at, consecutive_failures = consecutive_failures + 1`,
      ),
      sourceState: db.prepare('SELECT * FROM source_states WHERE source_id = ?'),
      sourceStates: db.prepare('SELECT * FROM source_states ORDER BY source_id'),
    };
  }

  /** Records a successful pass with the posts it stored; runs inside the transaction that stored them. */
  recordSuccess(batch: CollectedBatch, result: SavePostsResult): void {
    let newest: string | null = null;
    for (const post of result.inserted) if (post.publishedAt && (!newest || post.publishedAt > newest)) newest = post.publishedAt;
    this.#stmt.sourceSuccess.run({
      sourceId: batch.sourceId,
      type: batch.type,
      cursor: JSON.stringify(batch.cursor ?? null),
      at: batch.at,
      inserted: result.inserted.length,
      newest,
    });
  }

  recordFailure(failure: SourceFailure): void {
    this.#stmt.sourceFailure.run({ ...failure, message: failure.message.slice(0, 2000) });
  }

  get(sourceId: string): SourceState | null {
    const row = this.#stmt.sourceState.get(sourceId) as SourceStateRow | undefined;
    return row ? toSourceState(row) : null;
  }

  list(): readonly SourceState[] {
    return (this.#stmt.sourceStates.all() as SourceStateRow[]).map(toSourceState);
  }
}
