/**
 * The embedded default store: one SQLite file through better-sqlite3, in WAL mode so the API reads
 * while the pipeline writes. better-sqlite3 is synchronous; the async contract costs one microtask.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { postIdOf } from '../../core/ids.js';
import type { FlagStatus, Incident, IncidentStatus, Platform, Post, PostAnalysis, Refutation, StoryFlag } from '../../core/types.js';
import type {
  IncidentCandidate,
  IncidentCandidateQuery,
  IncidentDetail,
  IncidentFilter,
  IncidentReport,
  NewPost,
  Page,
  PageRequest,
  PendingBatch,
  SavePostsResult,
  CollectedBatch,
  RefutationCandidate,
  RefutationEntry,
  SourceFailure,
  SourceState,
  Store,
  StoredPostView,
  StoreStats,
  StoryCandidate,
  StoryMember,
  StoryStats,
} from '../contract.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { bufferToSignature, maxUrgency, mergeFacts, noFakeRisk, signatureToBuffer } from '../merge.js';
import { BAND_ROWS, BROAD_KEY_ROWS, byRecency, isBroadKey, MAX_PLACE_KEYS, rankStoryHits } from '../dedup-limits.js';
import { migrate } from './migrations.js';
import {
  type AnalysisRow,
  type FlagRow,
  type IncidentRow,
  type PostRow,
  type RefutationRow,
  type SourceStateRow,
  toFlag,
  toIncident,
  toPost,
  toRefutation,
  toSourceState,
  toStoredPostView,
} from './rows.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for a throw-away store (used by `radar analyze` and tests). */
  readonly path: string;
  /** Turns a search query into the same stemmed tokens the pipeline indexed. */
  readonly analyzeQuery: (text: string) => readonly string[];
}

/** Case- and ё-insensitive key for Cyrillic names. */
const nameKey = (name: string | null): string | null => (name === null ? null : name.toLowerCase().replaceAll('ё', 'е').trim());


const ftsQuery = (tokens: readonly string[]): string => tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');


export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly schemaVersion: number;
  readonly #db: Database.Database;
  readonly #analyzeQuery: (text: string) => readonly string[];
  readonly #stmt;
  /** Created once: better-sqlite3 builds a wrapper per `transaction()` call, which costs more than the work. */
  readonly #atomic: <T>(fn: () => T) => T;
  readonly #bandInserts = new Map<number, Database.Statement>();

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.#db = new Database(options.path);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a killed process; only an OS crash can drop the last commits.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    // The dedup indexes are read and written on every post; with SQLite's 2 MB default cache their
    // B-tree pages would come from the OS on nearly every lookup. 256 MB holds about a million posts' bands.
    this.#db.pragma('cache_size = -262144');
    this.schemaVersion = migrate(this.#db);
    this.#analyzeQuery = options.analyzeQuery;
    const db = this.#db;
    const transaction = db.transaction((fn: () => unknown) => fn());
    this.#atomic = <T>(fn: () => T): T => transaction(fn) as T;
    this.#stmt = {
      insertPost: db.prepare(
        `INSERT INTO posts (id, source, external_id, text, author, url, published_at, collected_at, location, raw)
         VALUES (@id, @source, @externalId, @text, @author, @url, @publishedAt, @collectedAt, @location, @raw)
         ON CONFLICT DO NOTHING`,
      ),
      pending: db.prepare(`SELECT * FROM posts WHERE status = 'pending' AND seq > ? ORDER BY seq LIMIT ?`),
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
      // A bounded read however busy the buckets are (a viral story, a stock phrase): members sharing
      // the most bands come first after counting, and a true copy shares most of them.
      bandMembers: db
        .prepare(`SELECT post_id, story_id FROM story_bands WHERE band IN (SELECT value FROM json_each(?)) ORDER BY band, post_id LIMIT ${BAND_ROWS}`)
        .raw(),
      memberSignature: db.prepare('SELECT signature FROM story_members WHERE post_id = ?').pluck(),
      insertMember: db.prepare('INSERT OR IGNORE INTO story_members (post_id, story_id, source, seen_at, signature) VALUES (?, ?, ?, ?, ?)'),
      sourceInStory: db.prepare('SELECT 1 FROM story_members WHERE story_id = ? AND source = ? LIMIT 1').pluck(),
      upsertStory: db.prepare(
        `INSERT INTO stories (id, size, sources, first_seen, last_seen) VALUES (@id, 1, 1, @seenAt, @seenAt)
         ON CONFLICT (id) DO UPDATE SET size = size + 1, sources = sources + @newSource,
           first_seen = MIN(first_seen, @seenAt), last_seen = MAX(last_seen, @seenAt)`,
      ),
      storyStats: db.prepare(
        'SELECT id AS storyId, size, sources, first_seen AS firstSeen, last_seen AS lastSeen FROM stories WHERE id = ?',
      ),
      // Every key row of an incident carries the incident's last_seen (see touchKeys).
      specificCandidates: db.prepare(
        `SELECT incident_id FROM incident_keys
         WHERE key IN (SELECT value FROM json_each(?)) AND category IN (SELECT value FROM json_each(?)) AND last_seen >= ?
         GROUP BY incident_id ORDER BY MAX(last_seen) DESC, incident_id DESC LIMIT ?`,
      ).pluck(),
      broadCandidates: db.prepare(
        `SELECT incident_id FROM incident_keys WHERE key = ? AND category = ? AND last_seen >= ?
         ORDER BY last_seen DESC, incident_id DESC LIMIT ${BROAD_KEY_ROWS}`,
      ).pluck(),
      incidentsByIds: db.prepare(
        'SELECT id, category, status, first_seen, last_seen, signature, place_keys FROM incidents WHERE id IN (SELECT value FROM json_each(?))',
      ),
      touchKeys: db.prepare('UPDATE incident_keys SET last_seen = ? WHERE incident_id = ? AND last_seen < ?'),
      incidentById: db.prepare('SELECT * FROM incidents WHERE id = ?'),
      reportExists: db.prepare('SELECT 1 FROM incident_reports WHERE post_id = ? AND problem_index = ?').pluck(),
      postInIncident: db.prepare('SELECT 1 FROM incident_reports WHERE post_id = ? AND incident_id = ?').pluck(),
      insertReport: db.prepare('INSERT INTO incident_reports (post_id, problem_index, incident_id, source, seen_at) VALUES (?, ?, ?, ?, ?)'),
      insertKey: db.prepare('INSERT OR IGNORE INTO incident_keys (key, incident_id, category, last_seen) VALUES (?, ?, ?, ?)'),
      insertIncident: db.prepare(
        `INSERT INTO incidents (id, title, category, status, urgency, municipality, municipality_key, address, lat, lon, first_seen,
                                last_seen, report_count, sources, facts, fake, fake_score, signature, place_keys)
         VALUES (@id, @title, @category, 'open', @urgency, @municipality, @municipalityKey, @address, @lat, @lon, @seenAt, @seenAt,
                 1, @sources, @facts, @fake, 0, @signature, @placeKeys)`,
      ),
      updateIncident: db.prepare(
        `UPDATE incidents SET status = @status, urgency = @urgency, municipality = @municipality, municipality_key = @municipalityKey,
                address = @address, lat = @lat,
                lon = @lon, first_seen = @firstSeen, last_seen = @lastSeen, report_count = @reportCount, sources = @sources, facts = @facts,
                place_keys = @placeKeys
         WHERE id = @id`,
      ),
      postView: db.prepare(
        `SELECT p.*, a.is_problem, a.problems, a.facts, a.story_id, a.fake, a.analyzed_at
         FROM posts p LEFT JOIN analyses a ON a.post_id = p.id WHERE p.id = ?`,
      ),
      incidentPosts: db.prepare(
        `SELECT p.*, a.is_problem, a.problems, a.facts, a.story_id, a.fake, a.analyzed_at
         FROM posts p LEFT JOIN analyses a ON a.post_id = p.id
         WHERE p.id IN (SELECT post_id FROM incident_reports WHERE incident_id = ?)
         ORDER BY COALESCE(p.published_at, p.collected_at), p.seq LIMIT 1000`,
      ),
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
      exportAll: db.prepare('SELECT * FROM posts WHERE seq > ? ORDER BY seq LIMIT ?'),
      exportBySource: db.prepare('SELECT * FROM posts WHERE seq > ? AND source = ? ORDER BY seq LIMIT ?'),
      insertRefutation: db.prepare(
        `INSERT INTO refutations (id, claim, text, url, topic, published_at, created_at, signature)
         VALUES (@id, @claim, @text, @url, @topic, @publishedAt, @createdAt, @signature)`,
      ),
      insertRefutationBand: db.prepare('INSERT OR IGNORE INTO refutation_bands (band, refutation_id) VALUES (?, ?)'),
      refutationCandidates: db.prepare(
        `SELECT r.* FROM refutations r WHERE r.id IN (
           SELECT refutation_id FROM refutation_bands WHERE band IN (SELECT value FROM json_each(?)) GROUP BY refutation_id ORDER BY COUNT(*) DESC LIMIT ?)`,
      ),
      listRefutations: db.prepare('SELECT * FROM refutations ORDER BY created_at DESC, id DESC LIMIT ?'),
      refutationById: db.prepare('SELECT * FROM refutations WHERE id = ?'),
      storyPosts: db.prepare(
        `SELECT p.* FROM posts p JOIN story_members m ON m.post_id = p.id WHERE m.story_id = ?
         ORDER BY COALESCE(p.published_at, p.collected_at), p.seq LIMIT 1000`,
      ),
      insertFlag: db.prepare(
        `INSERT OR IGNORE INTO story_flags (story_id, platform, status, reason, refutation_id, note, created_at, updated_at, history)
         VALUES (@storyId, @platform, 'flagged', @reason, @refutationId, NULL, @at, @at, @history)`,
      ),
      flag: db.prepare('SELECT * FROM story_flags WHERE story_id = ? AND platform = ?'),
      flags: db.prepare('SELECT * FROM story_flags WHERE story_id = ? ORDER BY platform'),
      updateFlag: db.prepare('UPDATE story_flags SET status = @status, note = @note, updated_at = @at, history = @history WHERE story_id = @storyId AND platform = @platform'),
      setStatus: db.prepare('UPDATE incidents SET status = ? WHERE id = ?'),
      insertDecision: db.prepare(`INSERT INTO incident_decisions (incident_id, kind, value, note, at) VALUES (?, 'status', ?, ?, ?)`),
      decisions: db.prepare(`SELECT value AS status, note, at FROM incident_decisions WHERE incident_id = ? AND kind = 'status' ORDER BY seq`),
      lastDecision: db.prepare(`SELECT value, at FROM incident_decisions WHERE incident_id = ? AND kind = 'status' ORDER BY seq DESC LIMIT 1`),
      stats: db.prepare(
        `SELECT (SELECT COUNT(*) FROM posts) AS posts,
                (SELECT COUNT(*) FROM posts WHERE status = 'pending') AS pending,
                (SELECT COUNT(*) FROM posts WHERE status = 'failed') AS failed,
                (SELECT COUNT(*) FROM incidents) AS incidents,
                (SELECT COUNT(*) FROM stories) AS stories`,
      ),
    };
  }

  /** True while a pipeline batch holds the write transaction. */
  #batching = false;

  async batch<T>(work: () => Promise<T>): Promise<T> {
    if (this.#db.inTransaction) return work();
    this.#db.exec('BEGIN IMMEDIATE');
    this.#batching = true;
    try {
      const result = await work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#batching = false;
    }
  }

  /**
   * Raw posts are acknowledged to their senders once stored, so they must never ride in a pipeline
   * batch's transaction (a crash before its commit would lose them). A batch never waits for I/O,
   * so this cannot happen; the check keeps it that way.
   */
  #assertOwnCommit(): void {
    if (this.#batching) throw new Error('raw posts written inside a pipeline batch: a batch must not wait for I/O (see DedupIndex.batch)');
  }

  async savePosts(posts: readonly NewPost[]): Promise<SavePostsResult> {
    this.#assertOwnCommit();
    return this.#atomic(() => this.#insertPosts(posts));
  }

  /** Must run inside a transaction. */
  #insertPosts(posts: readonly NewPost[]): SavePostsResult {
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

  async saveCollected(batch: CollectedBatch): Promise<SavePostsResult> {
    this.#assertOwnCommit();
    return this.#atomic(() => {
      const result = this.#insertPosts(batch.posts);
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
      return result;
    });
  }

  async recordSourceFailure(failure: SourceFailure): Promise<void> {
    this.#stmt.sourceFailure.run({ ...failure, message: failure.message.slice(0, 2000) });
  }

  async getSourceState(sourceId: string): Promise<SourceState | null> {
    const row = this.#stmt.sourceState.get(sourceId) as SourceStateRow | undefined;
    return row ? toSourceState(row) : null;
  }

  async listSourceStates(): Promise<readonly SourceState[]> {
    return (this.#stmt.sourceStates.all() as SourceStateRow[]).map(toSourceState);
  }

  async exportPosts(limit: number, after?: string | null, source?: string): Promise<PendingBatch> {
    const rows = (source ? this.#stmt.exportBySource.all(after ? Number(after) : 0, source, limit) : this.#stmt.exportAll.all(after ? Number(after) : 0, limit)) as PostRow[];
    const last = rows.at(-1);
    return { posts: rows.map(toPost), cursor: last ? String(last.seq) : null };
  }

  async pendingPosts(limit: number, after?: string | null): Promise<PendingBatch> {
    const rows = this.#stmt.pending.all(after ? Number(after) : 0, limit) as PostRow[];
    const last = rows.at(-1);
    return { posts: rows.map(toPost), cursor: last ? String(last.seq) : (after ?? null) };
  }

  async resetAnalyses(): Promise<number> {
    return this.#atomic(() => {
      this.#db.exec(`
        DELETE FROM analyses; DELETE FROM posts_fts; DELETE FROM stories; DELETE FROM story_members; DELETE FROM story_bands;
        DELETE FROM incidents; DELETE FROM incident_keys; DELETE FROM incident_reports;`);
      return this.#db.prepare(`UPDATE posts SET status = 'pending', error = NULL`).run().changes;
    });
  }

  async saveAnalyses(analyses: readonly PostAnalysis[]): Promise<void> {
    this.#atomic(() => {
      for (const a of analyses) {
        this.#stmt.upsertAnalysis.run({
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
        const seq = this.#stmt.seqOf.get(a.postId) as number | undefined;
        if (seq !== undefined) {
          this.#stmt.ftsDelete.run(seq);
          this.#stmt.ftsInsert.run(seq, a.searchTokens.join(' '));
        }
        this.#stmt.markProcessed.run(a.postId);
        const fake = JSON.stringify(a.fake);
        for (const incidentId of new Set(a.incidentIds)) this.#stmt.incidentFake.run(fake, a.fake.score, incidentId, a.fake.score);
      }
    });
  }

  async markFailed(id: string, reason: string): Promise<void> {
    this.#stmt.markFailed.run(reason.slice(0, 2000), id);
  }

  async storyCandidates(bandKeys: readonly string[], limit: number): Promise<readonly StoryCandidate[]> {
    if (bandKeys.length === 0) return [];
    const rows = this.#stmt.bandMembers.all(JSON.stringify(bandKeys)) as [string, string][];
    return rankStoryHits(rows, limit).map((hit) => ({ ...hit, signature: bufferToSignature(this.#stmt.memberSignature.get(hit.postId) as Buffer) }));
  }

  #bandInsert(bands: number): Database.Statement {
    let stmt = this.#bandInserts.get(bands);
    if (!stmt) {
      stmt = this.#db.prepare(`INSERT OR IGNORE INTO story_bands (band, post_id, story_id) VALUES ${Array.from({ length: bands }, () => '(?, ?, ?)').join(', ')}`);
      this.#bandInserts.set(bands, stmt);
    }
    return stmt;
  }

  async addToStory(member: StoryMember): Promise<StoryStats> {
    return this.#atomic(() => {
      const newSource = this.#stmt.sourceInStory.get(member.storyId, member.source) ? 0 : 1;
      const added = this.#stmt.insertMember.run(member.postId, member.storyId, member.source, member.seenAt, signatureToBuffer(member.signature));
      if (added.changes === 1) {
        this.#stmt.upsertStory.run({ id: member.storyId, seenAt: member.seenAt, newSource });
        if (member.bandKeys.length > 0) {
          this.#bandInsert(member.bandKeys.length).run(...member.bandKeys.flatMap((band) => [band, member.postId, member.storyId]));
        }
      }
      return this.#stmt.storyStats.get(member.storyId) as StoryStats;
    });
  }

  async incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]> {
    const specific = query.placeKeys.filter((key) => !isBroadKey(key));
    const broad = query.placeKeys.filter(isBroadKey);
    const ids = new Set<string>();
    if (specific.length > 0 && query.categories.length > 0) {
      const rows = this.#stmt.specificCandidates.all(JSON.stringify(specific), JSON.stringify(query.categories), query.since, query.limit) as string[];
      for (const id of rows) ids.add(id);
    }
    for (const key of broad) {
      for (const category of query.categories) {
        for (const id of this.#stmt.broadCandidates.all(key, category, query.since) as string[]) ids.add(id);
      }
    }
    if (ids.size === 0) return [];
    type CandidateRow = Pick<IncidentRow, 'id' | 'category' | 'status' | 'first_seen' | 'last_seen' | 'signature' | 'place_keys'>;
    const rows = this.#stmt.incidentsByIds.all(JSON.stringify([...ids])) as CandidateRow[];
    rows.sort((a, b) => byRecency({ lastSeen: a.last_seen, id: a.id }, { lastSeen: b.last_seen, id: b.id }));
    return rows.slice(0, query.limit).map((row) => ({
      id: row.id,
      category: row.category,
      status: row.status,
      placeKeys: JSON.parse(row.place_keys) as string[],
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      signature: bufferToSignature(row.signature),
    }));
  }

  async addIncidentReport(report: IncidentReport): Promise<void> {
    this.#atomic(() => {
      if (this.#stmt.reportExists.get(report.postId, report.problemIndex)) return;
      const row = this.#stmt.incidentById.get(report.incidentId) as IncidentRow | undefined;
      if (!row) {
        const decided = this.#stmt.lastDecision.get(report.incidentId) as { value: IncidentStatus; at: string } | undefined;
        this.#stmt.insertIncident.run({
          id: report.incidentId,
          title: report.title,
          category: report.category,
          urgency: report.urgency,
          municipality: report.municipality,
          municipalityKey: nameKey(report.municipality),
          address: report.address,
          lat: report.location?.lat ?? null,
          lon: report.location?.lon ?? null,
          seenAt: report.seenAt,
          sources: JSON.stringify([report.source]),
          facts: JSON.stringify(report.facts),
          fake: JSON.stringify(noFakeRisk),
          signature: signatureToBuffer(report.signature),
          placeKeys: JSON.stringify(report.placeKeys.slice(0, MAX_PLACE_KEYS)),
        });
        // `radar reprocess` rebuilds incidents with the same ids: analysts' decisions come back with them.
        if (decided) this.#stmt.setStatus.run(decided.value, report.incidentId);
      } else {
        const newPost = !this.#stmt.postInIncident.get(report.postId, report.incidentId);
        const sources = JSON.parse(row.sources) as string[];
        if (!sources.includes(report.source)) sources.push(report.source);
        this.#stmt.updateIncident.run({
          id: row.id,
          // A report published after the problem was marked resolved means it is back: reopen instead
          // of spawning a twin. Reports from before the decision (replayed by `radar reprocess`) do not.
          status: row.status === 'resolved' && report.seenAt > ((this.#stmt.lastDecision.get(row.id) as { at: string } | undefined)?.at ?? '') ? 'open' : row.status,
          urgency: maxUrgency(row.urgency, report.urgency),
          municipality: row.municipality ?? report.municipality,
          municipalityKey: nameKey(row.municipality ?? report.municipality),
          address: row.address ?? report.address,
          lat: row.lat ?? report.location?.lat ?? null,
          lon: row.lon ?? report.location?.lon ?? null,
          firstSeen: report.seenAt < row.first_seen ? report.seenAt : row.first_seen,
          lastSeen: report.seenAt > row.last_seen ? report.seenAt : row.last_seen,
          reportCount: row.report_count + (newPost ? 1 : 0),
          sources: JSON.stringify(sources),
          facts: JSON.stringify(mergeFacts(JSON.parse(row.facts), report.facts)),
          placeKeys: JSON.stringify([...new Set([...(JSON.parse(row.place_keys) as string[]), ...report.placeKeys])].slice(0, MAX_PLACE_KEYS)),
        });
      }
      this.#stmt.insertReport.run(report.postId, report.problemIndex, report.incidentId, report.source, report.seenAt);
      const category = row?.category ?? report.category;
      const lastSeen = row && row.last_seen > report.seenAt ? row.last_seen : report.seenAt;
      this.#stmt.touchKeys.run(lastSeen, report.incidentId, lastSeen);
      for (const key of report.placeKeys) this.#stmt.insertKey.run(key, report.incidentId, category, lastSeen);
    });
  }

  async addRefutation(entry: RefutationEntry): Promise<Refutation> {
    const { refutation } = entry;
    this.#atomic(() => {
      this.#stmt.insertRefutation.run({ ...refutation, signature: signatureToBuffer(entry.signature) });
      for (const band of entry.bandKeys) this.#stmt.insertRefutationBand.run(band, refutation.id);
    });
    return refutation;
  }

  async getRefutation(id: string): Promise<Refutation | null> {
    const row = this.#stmt.refutationById.get(id) as RefutationRow | undefined;
    return row ? toRefutation(row) : null;
  }

  async storyPosts(storyId: string): Promise<readonly Post[]> {
    return (this.#stmt.storyPosts.all(storyId) as PostRow[]).map(toPost);
  }

  async flagStory(flag: { readonly storyId: string; readonly platform: Platform; readonly reason: string; readonly refutationId: string | null; readonly at: string }): Promise<StoryFlag> {
    return this.#atomic(() => {
      this.#stmt.insertFlag.run({ ...flag, history: JSON.stringify([{ status: 'flagged', at: flag.at, note: null }]) });
      return toFlag(this.#stmt.flag.get(flag.storyId, flag.platform) as FlagRow);
    });
  }

  async updateFlag(storyId: string, platform: Platform, status: FlagStatus, note: string | null, at: string): Promise<StoryFlag | null> {
    return this.#atomic(() => {
      const row = this.#stmt.flag.get(storyId, platform) as FlagRow | undefined;
      if (!row) return null;
      const history = [...(JSON.parse(row.history) as StoryFlag['history']), { status, at, note }];
      this.#stmt.updateFlag.run({ storyId, platform, status, note, at, history: JSON.stringify(history) });
      return toFlag(this.#stmt.flag.get(storyId, platform) as FlagRow);
    });
  }

  async storyFlags(storyId: string): Promise<readonly StoryFlag[]> {
    return (this.#stmt.flags.all(storyId) as FlagRow[]).map(toFlag);
  }

  async listRefutations(limit: number): Promise<readonly Refutation[]> {
    return (this.#stmt.listRefutations.all(limit) as RefutationRow[]).map(toRefutation);
  }

  async refutationCandidates(bandKeys: readonly string[], limit: number): Promise<readonly RefutationCandidate[]> {
    if (bandKeys.length === 0) return [];
    const rows = this.#stmt.refutationCandidates.all(JSON.stringify(bandKeys), limit) as RefutationRow[];
    return rows.map((row) => ({ refutation: toRefutation(row), signature: bufferToSignature(row.signature) }));
  }

  async setIncidentStatus(id: string, status: IncidentStatus, note: string | null, at: string): Promise<Incident | null> {
    return this.#atomic(() => {
      if (this.#stmt.setStatus.run(status, id).changes === 0) return null;
      this.#stmt.insertDecision.run(id, status, note, at);
      return toIncident(this.#stmt.incidentById.get(id) as IncidentRow);
    });
  }

  async incidentHistory(id: string): Promise<readonly { status: IncidentStatus; note: string | null; at: string }[]> {
    return this.#stmt.decisions.all(id) as { status: IncidentStatus; note: string | null; at: string }[];
  }

  async listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: page.limit + 1 };
    if (filter.categories?.length) {
      where.push('category IN (SELECT value FROM json_each(@categories))');
      params.categories = JSON.stringify(filter.categories);
    }
    if (filter.statuses?.length) {
      where.push('status IN (SELECT value FROM json_each(@statuses))');
      params.statuses = JSON.stringify(filter.statuses);
    }
    if (filter.municipality) {
      where.push('municipality_key = @municipality');
      params.municipality = nameKey(filter.municipality);
    }
    if (filter.from) {
      where.push('last_seen >= @from');
      params.from = filter.from;
    }
    if (filter.to) {
      where.push('first_seen <= @to');
      params.to = filter.to;
    }
    if (filter.q !== undefined) {
      const tokens = this.#analyzeQuery(filter.q);
      if (tokens.length === 0) return { items: [], nextCursor: null };
      where.push(`id IN (SELECT r.incident_id FROM incident_reports r JOIN posts p ON p.id = r.post_id
                         WHERE p.seq IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH @match))`);
      params.match = ftsQuery(tokens);
    }
    if (page.cursor) {
      const position = decodeCursor(page.cursor);
      where.push('(last_seen < @cursorSeen OR (last_seen = @cursorSeen AND id < @cursorId))');
      params.cursorSeen = position.lastSeen;
      params.cursorId = position.id;
    }
    const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen DESC, id DESC LIMIT @limit`;
    const rows = this.#db.prepare(sql).all(params) as IncidentRow[];
    const items = rows.slice(0, page.limit).map(toIncident);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ lastSeen: last.lastSeen, id: last.id }) : null };
  }

  async getIncident(id: string): Promise<IncidentDetail | null> {
    const row = this.#stmt.incidentById.get(id) as IncidentRow | undefined;
    if (!row) return null;
    const posts = (this.#stmt.incidentPosts.all(id) as (PostRow & AnalysisRow)[]).map(toStoredPostView);
    return { ...toIncident(row), posts };
  }

  async getPost(id: string): Promise<StoredPostView | null> {
    const row = this.#stmt.postView.get(id) as (PostRow & AnalysisRow) | undefined;
    return row ? toStoredPostView(row) : null;
  }

  async stats(): Promise<StoreStats> {
    return this.#stmt.stats.get() as StoreStats;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
