/** Raw posts: stored once on (source, external id), paged for the pipeline and for exports. */
import { postIdOf } from '../../core/ids.js';
import type { Post } from '../../core/types.js';
import type { NewPost, PendingBatch, SavePostsResult, StoredPostView } from '../contract.js';
import type { SqliteContext } from './connection.js';
import { type AnalysisRow, type PostRow, toPost, toStoredPostView } from './rows.js';

export class PostsRepository {
  readonly #stmt;

  constructor({ db }: SqliteContext) {
    this.#stmt = {
      insertPost: db.prepare(
        `INSERT INTO posts (id, source, external_id, text, author, url, published_at, collected_at, location, raw)
         VALUES (@id, @source, @externalId, @text, @author, @url, @publishedAt, @collectedAt, @location, @raw)
         ON CONFLICT DO NOTHING`,
      ),
      pending: db.prepare(`SELECT * FROM posts WHERE status = 'pending' AND seq > ? ORDER BY seq LIMIT ?`),
      exportAll: db.prepare('SELECT * FROM posts WHERE seq > ? ORDER BY seq LIMIT ?'),
      exportBySource: db.prepare('SELECT * FROM posts WHERE seq > ? AND source = ? ORDER BY seq LIMIT ?'),
      postView: db.prepare(
        `SELECT p.*, a.is_problem, a.problems, a.facts, a.story_id, a.fake, a.analyzed_at
         FROM posts p LEFT JOIN analyses a ON a.post_id = p.id WHERE p.id = ?`,
      ),
      storyPosts: db.prepare(
        `SELECT p.* FROM posts p JOIN story_members m ON m.post_id = p.id WHERE m.story_id = ?
         ORDER BY COALESCE(p.published_at, p.collected_at), p.seq LIMIT 1000`,
      ),
    };
  }

  /** Must run inside a transaction. */
  insert(posts: readonly NewPost[]): SavePostsResult {
    const inserted: Post[] = [];
    const duplicates: string[] = [];
    const now = new Date().toISOString();
    for (const { collectedAt, ...fields } of posts) {
      const post: Post = { ...fields, id: postIdOf(fields.source, fields.externalId), collectedAt: collectedAt ?? now };
      const info = this.#stmt.insertPost.run({
        ...post,
        location: post.location === null ? null : JSON.stringify(post.location),
        raw: JSON.stringify(post.raw ?? null),
      });
      if (info.changes === 1) inserted.push(post);
      else duplicates.push(post.id);
    }
    return { inserted, duplicates };
  }

  export(limit: number, after?: string | null, source?: string): PendingBatch {
    const rows = (source ? this.#stmt.exportBySource.all(after ? Number(after) : 0, source, limit) : this.#stmt.exportAll.all(after ? Number(after) : 0, limit)) as PostRow[];
    const last = rows.at(-1);
    return { posts: rows.map(toPost), cursor: last ? String(last.seq) : null };
  }

  pending(limit: number, after?: string | null): PendingBatch {
    const rows = this.#stmt.pending.all(after ? Number(after) : 0, limit) as PostRow[];
    const last = rows.at(-1);
    return { posts: rows.map(toPost), cursor: last ? String(last.seq) : (after ?? null) };
  }

  view(id: string): StoredPostView | null {
    const row = this.#stmt.postView.get(id) as (PostRow & AnalysisRow) | undefined;
    return row ? toStoredPostView(row) : null;
  }

  ofStory(storyId: string): readonly Post[] {
    return (this.#stmt.storyPosts.all(storyId) as PostRow[]).map(toPost);
  }
}
