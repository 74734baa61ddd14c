/**
 * The storage contract. The embedded SQLite store and the Elasticsearch store implement it; nothing
 * outside `store/` sees SQL or query DSL. Every method is async so either backend fits.
 */
import type {
  Facts,
  FakeAssessment,
  GeoPoint,
  Incident,
  IncidentStatus,
  IsoDateTime,
  Post,
  PostAnalysis,
  PostStatus,
  FlagStatus,
  Platform,
  Problem,
  Refutation,
  StoryFlag,
  Urgency,
} from '../core/types.js';

export type NewPost = Omit<Post, 'id' | 'collectedAt'> & { readonly collectedAt?: IsoDateTime };

export interface SavePostsResult {
  /** Posts stored by this call, in input order. */
  readonly inserted: readonly Post[];
  /** Ids of posts that were already stored (same source and external id); they are left untouched. */
  readonly duplicates: readonly string[];
}

export interface PendingBatch {
  readonly posts: readonly Post[];
  /** Opaque position after the last returned post; pass it back to continue. */
  readonly cursor: string | null;
}

export interface StoryCandidate {
  readonly storyId: string;
  readonly postId: string;
  readonly signature: Uint32Array;
}

export interface StoryMember {
  readonly storyId: string;
  readonly postId: string;
  readonly source: string;
  readonly seenAt: IsoDateTime;
  readonly signature: Uint32Array;
  readonly bandKeys: readonly string[];
}

export interface StoryStats {
  readonly storyId: string;
  readonly size: number;
  readonly sources: number;
  readonly firstSeen: IsoDateTime;
  readonly lastSeen: IsoDateTime;
}

export interface IncidentCandidateQuery {
  /** Place keys such as `addr:улица ленина|5`, `street:улица ленина`, `muni:дзержинск`, `geo:ucfv0j`, `story:sto_…`. */
  readonly placeKeys: readonly string[];
  readonly categories: readonly string[];
  /** Only incidents seen at or after this time. */
  readonly since: IsoDateTime;
  readonly limit: number;
}

export interface IncidentCandidate {
  readonly id: string;
  readonly category: string;
  readonly status: IncidentStatus;
  readonly placeKeys: readonly string[];
  readonly firstSeen: IsoDateTime;
  readonly lastSeen: IsoDateTime;
  /** MinHash signature of the incident's first report, for text similarity. */
  readonly signature: Uint32Array;
}

/** One problem being attached to an incident (a new one when `id` is not stored yet). */
export interface IncidentReport {
  readonly incidentId: string;
  readonly postId: string;
  readonly problemIndex: number;
  readonly source: string;
  readonly seenAt: IsoDateTime;
  readonly category: string;
  readonly title: string;
  readonly urgency: Urgency;
  readonly municipality: string | null;
  readonly address: string | null;
  readonly location: GeoPoint | null;
  readonly placeKeys: readonly string[];
  readonly signature: Uint32Array;
  readonly facts: Facts;
}

export interface IncidentFilter {
  readonly categories?: readonly string[];
  readonly statuses?: readonly IncidentStatus[];
  readonly municipality?: string;
  /** Incidents active at or after `from` (last seen >= from). */
  readonly from?: IsoDateTime;
  /** Incidents that started at or before `to` (first seen <= to). */
  readonly to?: IsoDateTime;
  /** Full-text query over the texts of the incident's reports. */
  readonly q?: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface StoredPostView {
  readonly post: Post;
  readonly status: PostStatus;
  readonly error: string | null;
  readonly analysis: {
    readonly isProblem: boolean;
    readonly problems: readonly Problem[];
    readonly facts: Facts;
    readonly storyId: string;
    readonly fake: FakeAssessment;
    readonly analyzedAt: IsoDateTime;
  } | null;
}

export interface IncidentDetail extends Incident {
  readonly posts: readonly StoredPostView[];
}

export interface StoreStats {
  readonly posts: number;
  readonly pending: number;
  readonly failed: number;
  readonly incidents: number;
  readonly stories: number;
}

export type SourceHealth = 'ok' | 'failing' | 'skipped' | 'misconfigured';

/** Where a collector stands: its cursor and how its recent passes went. */
export interface SourceState {
  readonly sourceId: string;
  readonly type: string;
  /** The collector's own JSON cursor, opaque to the store. */
  readonly cursor: unknown;
  readonly health: SourceHealth;
  readonly lastRunAt: IsoDateTime | null;
  readonly lastSuccessAt: IsoDateTime | null;
  readonly lastError: string | null;
  readonly lastErrorCode: string | null;
  readonly lastErrorAt: IsoDateTime | null;
  readonly consecutiveFailures: number;
  readonly postsCollected: number;
  /** Publication time of the newest post collected so far. */
  readonly newestPostAt: IsoDateTime | null;
}

export interface CollectedBatch {
  readonly sourceId: string;
  readonly type: string;
  readonly posts: readonly NewPost[];
  readonly cursor: unknown;
  readonly at: IsoDateTime;
}

export interface SourceFailure {
  readonly sourceId: string;
  readonly type: string;
  readonly at: IsoDateTime;
  readonly code: string;
  readonly message: string;
  readonly health: Exclude<SourceHealth, 'ok'>;
}

export type StoreKind = 'sqlite' | 'elasticsearch';

/**
 * The candidate indexes behind story and incident assignment. Every store is one; `radar analyze`
 * may use the in-memory one (`store/memory-dedup.ts`), which keeps the same semantics.
 */
export interface DedupIndex {
  /**
   * Runs `work` (dedup, fake-risk and index of one batch) as one unit of writes: SQLite commits it
   * once instead of once per call. `work` must not wait for I/O, so nothing else writes meanwhile.
   */
  batch<T>(work: () => Promise<T>): Promise<T>;
  /** Stories sharing LSH bands with the keys, one representative member each, most shared bands first. */
  storyCandidates(bandKeys: readonly string[], limit: number): Promise<readonly StoryCandidate[]>;
  /** Adds a post to a story (creating it) and returns the story's spread so far. */
  addToStory(member: StoryMember): Promise<StoryStats>;
  incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]>;
  /** Attaches a report to an incident, creating the incident on its first report. */
  addIncidentReport(report: IncidentReport): Promise<void>;
  /** Registered refutations whose claim shares LSH bands with the keys. */
  refutationCandidates(bandKeys: readonly string[], limit: number): Promise<readonly RefutationCandidate[]>;
}

export interface RefutationEntry {
  readonly refutation: Refutation;
  readonly signature: Uint32Array;
  readonly bandKeys: readonly string[];
}

export interface RefutationCandidate {
  readonly refutation: Refutation;
  readonly signature: Uint32Array;
}

/** Where the pipeline leaves its conclusions. */
export interface AnalysisSink {
  /** Records the pipeline's conclusions and marks the posts processed. */
  saveAnalyses(analyses: readonly PostAnalysis[]): Promise<void>;
  markFailed(postId: string, reason: string): Promise<void>;
}

export interface Store extends DedupIndex, AnalysisSink {
  readonly kind: StoreKind;

  /** Stores raw posts before any processing; idempotent on (source, externalId). */
  savePosts(posts: readonly NewPost[]): Promise<SavePostsResult>;
  /**
   * Stores a collector pass: its posts and its new cursor in one transaction, so a crash can
   * neither lose posts behind an advanced cursor nor advance the cursor without the posts.
   */
  saveCollected(batch: CollectedBatch): Promise<SavePostsResult>;
  recordSourceFailure(failure: SourceFailure): Promise<void>;
  getSourceState(sourceId: string): Promise<SourceState | null>;
  listSourceStates(): Promise<readonly SourceState[]>;
  /** Stored posts in collection order, for exports; `after` is the cursor of the previous page. */
  exportPosts(limit: number, after?: string | null, source?: string): Promise<PendingBatch>;
  /** Posts waiting for the pipeline, oldest first. */
  pendingPosts(limit: number, after?: string | null): Promise<PendingBatch>;
  /** Drops everything derived by the pipeline and marks every stored post pending again. */
  resetAnalyses(): Promise<number>;

  addRefutation(entry: RefutationEntry): Promise<Refutation>;
  getRefutation(id: string): Promise<Refutation | null>;

  /** Posts of a story, oldest first (at most 1,000). */
  storyPosts(storyId: string): Promise<readonly Post[]>;
  /** Creates the flag of a story on a platform; an existing flag is returned unchanged. */
  flagStory(flag: { readonly storyId: string; readonly platform: Platform; readonly reason: string; readonly refutationId: string | null; readonly at: IsoDateTime }): Promise<StoryFlag>;
  /** Moves a flag to a new status; the caller has checked the transition. */
  updateFlag(storyId: string, platform: Platform, status: FlagStatus, note: string | null, at: IsoDateTime): Promise<StoryFlag | null>;
  storyFlags(storyId: string): Promise<readonly StoryFlag[]>;
  /** Newest first. */
  listRefutations(limit: number): Promise<readonly Refutation[]>;

  /** An analyst's status decision; kept in the incident's history and replayed after `radar reprocess`. */
  setIncidentStatus(id: string, status: IncidentStatus, note: string | null, at: IsoDateTime): Promise<Incident | null>;
  incidentHistory(id: string): Promise<readonly { readonly status: IncidentStatus; readonly note: string | null; readonly at: IsoDateTime }[]>;

  listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>>;
  getIncident(id: string): Promise<IncidentDetail | null>;
  getPost(id: string): Promise<StoredPostView | null>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
