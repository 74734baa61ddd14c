/**
 * The embedded default store: one SQLite file through better-sqlite3, in WAL mode so the API reads
 * while the pipeline writes. better-sqlite3 is synchronous; the async contract costs one microtask.
 * Each concern lives in its own repository (posts, sources, analyses, dedup, incidents, analysts'
 * edits of incidents, editorial); this class composes them behind the `Store` contract and owns the
 * transaction of a pipeline batch.
 */
import type { FlagStatus, Incident, IncidentStatus, Platform, Post, PostAnalysis, Refutation, StoryFlag } from '../../core/types.js';
import type {
  CollectedBatch,
  FacetOptions,
  IncidentCandidate,
  IncidentCandidateQuery,
  IncidentDecision,
  IncidentDetail,
  IncidentFacets,
  IncidentFilter,
  IncidentReport,
  NewPost,
  Page,
  PageRequest,
  PendingBatch,
  RefutationCandidate,
  RefutationEntry,
  ReportRef,
  SavePostsResult,
  SplitResult,
  SourceFailure,
  SourceState,
  Store,
  StoredPostView,
  StoreStats,
  StoryCandidate,
  StoryMember,
  StoryStats,
} from '../contract.js';
import { AnalysesRepository } from './analyses.js';
import { openDatabase, type SqliteContext } from './connection.js';
import { DedupRepository } from './dedup.js';
import { EditorialRepository } from './editorial.js';
import { IncidentEditsRepository } from './incident-edits.js';
import { IncidentsRepository } from './incidents.js';
import { PostsRepository } from './posts.js';
import { SourcesRepository } from './sources.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for a throw-away store (used by `radar analyze` and tests). */
  readonly path: string;
  /** Turns a search query into the same stemmed tokens the pipeline indexed. */
  readonly analyzeQuery: (text: string) => readonly string[];
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly schemaVersion: number;
  readonly #ctx: SqliteContext;
  readonly #posts: PostsRepository;
  readonly #sources: SourcesRepository;
  readonly #analyses: AnalysesRepository;
  readonly #dedup: DedupRepository;
  readonly #incidents: IncidentsRepository;
  readonly #editorial: EditorialRepository;
  readonly #edits: IncidentEditsRepository;

  constructor(options: SqliteStoreOptions) {
    const { schemaVersion, ...ctx } = openDatabase(options.path);
    this.schemaVersion = schemaVersion;
    this.#ctx = ctx;
    this.#posts = new PostsRepository(ctx);
    this.#sources = new SourcesRepository(ctx);
    this.#analyses = new AnalysesRepository(ctx);
    this.#dedup = new DedupRepository(ctx);
    this.#incidents = new IncidentsRepository(ctx, options.analyzeQuery);
    this.#editorial = new EditorialRepository(ctx);
    this.#edits = new IncidentEditsRepository(ctx);
  }

  /** True while a pipeline batch holds the write transaction. */
  #batching = false;

  async batch<T>(work: () => Promise<T>): Promise<T> {
    const { db } = this.#ctx;
    if (db.inTransaction) return work();
    db.exec('BEGIN IMMEDIATE');
    this.#batching = true;
    try {
      const result = await work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#batching = false;
    }
  }

  /**
   * Raw posts are acknowledged to their senders once stored, so they must never ride in a pipeline
   * batch's transaction (a crash before its commit would lose them). A batch never waits for I/O and
   * the pipeline starts each one on a macrotask of its own, so nothing else runs while it is open;
   * the check keeps it that way.
   */
  #assertOwnCommit(): void {
    if (this.#batching) throw new Error('raw posts written inside a pipeline batch: a batch must not wait for I/O (see DedupIndex.batch)');
  }

  async savePosts(posts: readonly NewPost[]): Promise<SavePostsResult> {
    this.#assertOwnCommit();
    return this.#ctx.atomic(() => this.#posts.insert(posts));
  }

  async saveCollected(batch: CollectedBatch): Promise<SavePostsResult> {
    this.#assertOwnCommit();
    return this.#ctx.atomic(() => {
      const result = this.#posts.insert(batch.posts);
      this.#sources.recordSuccess(batch, result);
      return result;
    });
  }

  async recordSourceFailure(failure: SourceFailure): Promise<void> {
    this.#sources.recordFailure(failure);
  }

  async getSourceState(sourceId: string): Promise<SourceState | null> {
    return this.#sources.get(sourceId);
  }

  async listSourceStates(): Promise<readonly SourceState[]> {
    return this.#sources.list();
  }

  async exportPosts(limit: number, after?: string | null, source?: string): Promise<PendingBatch> {
    return this.#posts.export(limit, after, source);
  }

  async pendingPosts(limit: number, after?: string | null): Promise<PendingBatch> {
    return this.#posts.pending(limit, after);
  }

  async resetAnalyses(): Promise<number> {
    return this.#analyses.reset();
  }

  async saveAnalyses(analyses: readonly PostAnalysis[]): Promise<void> {
    this.#analyses.save(analyses);
  }

  async markFailed(id: string, reason: string): Promise<void> {
    this.#analyses.markFailed(id, reason);
  }

  async storyCandidates(bandKeys: readonly string[], limit: number): Promise<readonly StoryCandidate[]> {
    return this.#dedup.storyCandidates(bandKeys, limit);
  }

  async addToStory(member: StoryMember): Promise<StoryStats> {
    return this.#dedup.addToStory(member);
  }

  async incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]> {
    return this.#dedup.incidentCandidates(query);
  }

  async addIncidentReport(report: IncidentReport): Promise<void> {
    this.#dedup.addIncidentReport(report);
  }

  async refutationCandidates(bandKeys: readonly string[], limit: number): Promise<readonly RefutationCandidate[]> {
    return this.#dedup.refutationCandidates(bandKeys, limit);
  }

  async addRefutation(entry: RefutationEntry): Promise<Refutation> {
    return this.#editorial.addRefutation(entry);
  }

  async getRefutation(id: string): Promise<Refutation | null> {
    return this.#editorial.getRefutation(id);
  }

  async listRefutations(limit: number): Promise<readonly Refutation[]> {
    return this.#editorial.listRefutations(limit);
  }

  async storyPosts(storyId: string): Promise<readonly Post[]> {
    return this.#posts.ofStory(storyId);
  }

  async flagStory(flag: { readonly storyId: string; readonly platform: Platform; readonly reason: string; readonly refutationId: string | null; readonly at: string }): Promise<StoryFlag> {
    return this.#editorial.flagStory(flag);
  }

  async updateFlag(storyId: string, platform: Platform, status: FlagStatus, note: string | null, at: string): Promise<StoryFlag | null> {
    return this.#editorial.updateFlag(storyId, platform, status, note, at);
  }

  async storyFlags(storyId: string): Promise<readonly StoryFlag[]> {
    return this.#editorial.flags(storyId);
  }

  async setIncidentStatus(id: string, status: IncidentStatus, note: string | null, at: string): Promise<Incident | null> {
    return this.#incidents.setStatus(id, status, note, at);
  }

  async incidentHistory(id: string): Promise<readonly IncidentDecision[]> {
    return this.#incidents.history(id);
  }

  async mergeIncidents(targetId: string, sourceIds: readonly string[], note: string | null, at: string): Promise<Incident> {
    return this.#edits.merge(targetId, sourceIds, note, at);
  }

  async splitIncident(id: string, reports: readonly ReportRef[], note: string | null, at: string): Promise<SplitResult> {
    return this.#edits.split(id, reports, note, at);
  }

  async incidentPins(postId: string): Promise<ReadonlyMap<number, string>> {
    return this.#dedup.incidentPins(postId);
  }

  async incidentFacets(filter: IncidentFilter, options: FacetOptions): Promise<IncidentFacets> {
    return this.#incidents.facets(filter, options);
  }

  async listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>> {
    return this.#incidents.list(filter, page);
  }

  async getIncident(id: string): Promise<IncidentDetail | null> {
    return this.#incidents.get(id);
  }

  async getPost(id: string): Promise<StoredPostView | null> {
    return this.#posts.view(id);
  }

  async stats(): Promise<StoreStats> {
    return this.#analyses.stats();
  }

  async close(): Promise<void> {
    if (this.#ctx.db.open) this.#ctx.db.close();
  }
}
