/** The pipeline's conclusions per post, its processing state, and the reset behind `radar reprocess`. */
import type Database from 'better-sqlite3';
import type { PostAnalysis } from '../../core/types.js';
import type { StoreStats } from '../contract.js';
import type { SqliteContext } from './connection.js';
import { SqliteRepository } from './repository.js';

const prepare = (db: Database.Database) => ({
  upsertAnalysis: db.prepare(
    `INSERT OR REPLACE INTO analyses (post_id, clean_text, is_problem, problems, facts, story_id, fake, fake_score, analyzed_at)
     VALUES (@postId, @cleanText, @isProblem, @problems, @facts, @storyId, @fake, @fakeScore, @analyzedAt)`,
  ),
  seqOf: db.prepare('SELECT seq FROM posts WHERE id = ?').pluck(),
  ftsDelete: db.prepare('DELETE FROM posts_fts WHERE rowid = ?'),
  ftsInsert: db.prepare('INSERT INTO posts_fts (rowid, tokens) VALUES (?, ?)'),
  markProcessed: db.prepare(`UPDATE posts SET status = 'processed', error = NULL WHERE id = ?`),
  markFailed: db.prepare(`UPDATE posts SET status = 'failed', error = ? WHERE id = ?`),
  incidentFake: db.prepare('UPDATE incidents SET fake = ?, fake_score = ? WHERE id = ? AND fake_score < ?'),
  stats: db.prepare(
    `SELECT (SELECT COUNT(*) FROM posts) AS posts,
            (SELECT COUNT(*) FROM posts WHERE status = 'pending') AS pending,
            (SELECT COUNT(*) FROM posts WHERE status = 'failed') AS failed,
            (SELECT COUNT(*) FROM incidents) AS incidents,
            (SELECT COUNT(*) FROM stories) AS stories`,
  ),
});

export class AnalysesRepository extends SqliteRepository<ReturnType<typeof prepare>> {
  constructor(ctx: SqliteContext) {
    super(ctx, prepare);
  }

  save(analyses: readonly PostAnalysis[]): void {
    this.ctx.atomic(() => {
      for (const a of analyses) {
        this.stmt.upsertAnalysis.run({
          postId: a.postId,
          cleanText: a.cleanText,
          isProblem: a.isProblem ? 1 : 0,
          problems: JSON.stringify(a.problems),
          facts: JSON.stringify(a.facts),
          storyId: a.storyId,
          fake: JSON.stringify(a.fake),
          fakeScore: a.fake.score,
          analyzedAt: a.analyzedAt,
        });
        const seq = this.stmt.seqOf.get(a.postId) as number | undefined;
        if (seq !== undefined) {
          this.stmt.ftsDelete.run(seq);
          this.stmt.ftsInsert.run(seq, a.searchTokens.join(' '));
        }
        this.stmt.markProcessed.run(a.postId);
        const fake = JSON.stringify(a.fake);
        for (const incidentId of new Set(a.incidentIds)) this.stmt.incidentFake.run(fake, a.fake.score, incidentId, a.fake.score);
      }
    });
  }

  markFailed(id: string, reason: string): void {
    this.stmt.markFailed.run(reason.slice(0, 2000), id);
  }

  /** Drops everything derived; analysts' decisions live in their own tables and stay. */
  reset(): number {
    return this.ctx.atomic(() => {
      this.ctx.db.exec(`
        DELETE FROM analyses; DELETE FROM posts_fts; DELETE FROM stories; DELETE FROM story_members; DELETE FROM story_bands;
        DELETE FROM incidents; DELETE FROM incident_keys; DELETE FROM incident_reports;`);
      return this.ctx.db.prepare(`UPDATE posts SET status = 'pending', error = NULL`).run().changes;
    });
  }

  stats(): StoreStats {
    return this.stmt.stats.get() as StoreStats;
  }
}
