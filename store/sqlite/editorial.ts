/** Editors' tools: the refutation registry and per-platform flags on stories. */
import type Database from 'better-sqlite3';
import type { FlagStatus, Platform, Refutation, StoryFlag } from '../../core/types.js';
import type { RefutationEntry } from '../contract.js';
import { signatureToBuffer } from '../merge.js';
import type { SqliteContext } from './connection.js';
import { SqliteRepository } from './repository.js';
import { type FlagRow, type RefutationRow, toFlag, toRefutation } from './rows.js';

const prepare = (db: Database.Database) => ({
  insertRefutation: db.prepare(
    `INSERT INTO refutations (id, claim, text, url, topic, published_at, created_at, signature)
     VALUES (@id, @claim, @text, @url, @topic, @publishedAt, @createdAt, @signature)`,
  ),
  insertRefutationBand: db.prepare('INSERT OR IGNORE INTO refutation_bands (band, refutation_id) VALUES (?, ?)'),
  listRefutations: db.prepare('SELECT * FROM refutations ORDER BY created_at DESC, id DESC LIMIT ?'),
  refutationById: db.prepare('SELECT * FROM refutations WHERE id = ?'),
  insertFlag: db.prepare(
    `INSERT OR IGNORE INTO story_flags (story_id, platform, status, reason, refutation_id, note, created_at, updated_at, history)
     VALUES (@storyId, @platform, 'flagged', @reason, @refutationId, NULL, @at, @at, @history)`,
  ),
  flag: db.prepare('SELECT * FROM story_flags WHERE story_id = ? AND platform = ?'),
  flags: db.prepare('SELECT * FROM story_flags WHERE story_id = ? ORDER BY platform'),
  updateFlag: db.prepare('UPDATE story_flags SET status = @status, note = @note, updated_at = @at, history = @history WHERE story_id = @storyId AND platform = @platform'),
});

export class EditorialRepository extends SqliteRepository<ReturnType<typeof prepare>> {
  constructor(ctx: SqliteContext) {
    super(ctx, prepare);
  }

  addRefutation(entry: RefutationEntry): Refutation {
    const { refutation } = entry;
    this.ctx.atomic(() => {
      this.stmt.insertRefutation.run({ ...refutation, signature: signatureToBuffer(entry.signature) });
      for (const band of entry.bandKeys) this.stmt.insertRefutationBand.run(band, refutation.id);
    });
    return refutation;
  }

  getRefutation(id: string): Refutation | null {
    const row = this.stmt.refutationById.get(id) as RefutationRow | undefined;
    return row ? toRefutation(row) : null;
  }

  listRefutations(limit: number): readonly Refutation[] {
    return (this.stmt.listRefutations.all(limit) as RefutationRow[]).map(toRefutation);
  }

  flagStory(flag: { readonly storyId: string; readonly platform: Platform; readonly reason: string; readonly refutationId: string | null; readonly at: string }): StoryFlag {
    return this.ctx.atomic(() => {
      this.stmt.insertFlag.run({ ...flag, history: JSON.stringify([{ status: 'flagged', at: flag.at, note: null }]) });
      return toFlag(this.stmt.flag.get(flag.storyId, flag.platform) as FlagRow);
    });
  }

  updateFlag(storyId: string, platform: Platform, status: FlagStatus, note: string | null, at: string): StoryFlag | null {
    return this.ctx.atomic(() => {
      const row = this.stmt.flag.get(storyId, platform) as FlagRow | undefined;
      if (!row) return null;
      const history = [...(JSON.parse(row.history) as StoryFlag['history']), { status, at, note }];
      this.stmt.updateFlag.run({ storyId, platform, status, note, at, history: JSON.stringify(history) });
      return toFlag(this.stmt.flag.get(storyId, platform) as FlagRow);
    });
  }

  flags(storyId: string): readonly StoryFlag[] {
    return (this.stmt.flags.all(storyId) as FlagRow[]).map(toFlag);
  }
}
