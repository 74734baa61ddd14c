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
  /** Sign bits of the member's embedding (nlp/semantic-hash.ts), null when it was stored without an encoder. */
  readonly semantic: Uint32Array | null;
}

export interface StoryMember {
  readonly storyId: string;
  readonly postId: string;
  readonly source: string;
  readonly seenAt: IsoDateTime;
  readonly signature: Uint32Array;
  /** Sign bits of the post's embedding when an encoder is configured; its band keys are in `bandKeys`. */
  readonly semantic?: Uint32Array | null;
  readonly bandKeys: readonly string[];
}

export interface StoryStats {
  readonly storyId: string;
  readonly size: number;
  readonly sources: number;
  readonly firstSeen: IsoDateTime;
  readonly lastSeen: IsoDateTime;
}

/**
 * Every backend answers it the same way (see store/dedup-limits.ts): each specific key yields its
 * `KEY_ROWS` most recently active incidents in `categories`; each broad key (`muni:`, `area:`) its
 * `BROAD_KEY_ROWS` most recent per category of `broadCategories`; the union is ranked by how many
 * of the query's keys an incident holds, then by recency, and cut at `limit`. Every read is bounded,
 * however many incidents share a key.
 */
export interface IncidentCandidateQuery {
  /** Keys such as `addr:ленин|5`, `street:ленин`, `muni:дзержинск`, `area:бор`, `geo:ucfv0j`, `term:ошар`, `kind:outage`, `story:sto_…`. */
  readonly placeKeys: readonly string[];
  readonly categories: readonly string[];
  /** Categories for broad keys; defaults to `categories`. */
  readonly broadCategories?: readonly string[];
  /** Only incidents seen at or after this time. */
  readonly since: IsoDateTime;
  readonly limit: number;
}

export interface IncidentCandidate {
  readonly id: string;
  readonly category: string;
  readonly status: IncidentStatus;
  /**
   * The incident's first MAX_PLACE_KEYS keys. Never mutated once handed out: a backend that keeps
   * candidates replaces the array when the incident gains keys, and the merge scorer caches its
   * view of an incident by this array.
   */
  readonly placeKeys: readonly string[];
  readonly firstSeen: IsoDateTime;
  readonly lastSeen: IsoDateTime;
  /** `firstSeen` and `lastSeen` in epoch milliseconds, where the backend holds them as numbers (saves a parse per candidate). */
  readonly firstSeenMs?: number;
  readonly lastSeenMs?: number;
  /** MinHash signature of the post behind the incident's first report (kept for splits; the merge score reads terms instead). */
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
  /**
   * Set when the id asked for was merged away by an analyst: this is the incident it was merged
   * into, and `redirectedFrom` is the id asked for (the API answers it with a redirect).
   */
  readonly redirectedFrom?: string;
}

/** One problem of one post: a report of an incident. */
export interface ReportRef {
  readonly postId: string;
  readonly problemIndex: number;
}

export type IncidentDecisionKind = 'status' | 'merge' | 'split';

/**
 * One analyst's decision in an incident's history. A merge or a split appears in the history of
 * every incident it involved, with the same fields.
 */
export interface IncidentDecision {
  readonly kind: IncidentDecisionKind;
  /** `status`: the status set; null for merges and splits. */
  readonly status: IncidentStatus | null;
  /** `merge`: the incidents merged away; `split`: the incident split. Empty for `status`. */
  readonly fromIds: readonly string[];
  /** `merge`: the incident merged into; `split`: the incident created. Null for `status`. */
  readonly toId: string | null;
  /** `split`: the reports moved to the new incident. Empty otherwise (a merge moves every report). */
  readonly reports: readonly ReportRef[];
  readonly note: string | null;
  readonly at: IsoDateTime;
}

export interface SplitResult {
  /** The incident split, with the reports it kept. */
  readonly original: Incident;
  /** The new incident holding the moved reports. */
  readonly created: Incident;
}

export interface FacetCount {
  /** Category id, municipality name (one of its spellings when reports differ in case or ё), or UTC date `YYYY-MM-DD`. */
  readonly key: string;
  readonly count: number;
}

export interface GeoCell {
  /** Geohash of the cell at the requested precision. */
  readonly geohash: string;
  readonly count: number;
  /** Centre of the cell (not of the incidents in it), for placing a heat-map marker. */
  readonly center: GeoPoint;
}

/** Buckets kept per facet: a heat map or a chart has no use for more. */
export const FACET_BUCKETS = 1_000;

/**
 * Counts of the incidents matching a filter, for charts and the heat map. `total` counts every
 * matching incident; incidents without a municipality or a location are left out of those facets.
 */
export interface IncidentFacets {
  readonly total: number;
  /** Largest first, then by key; every category with at least one incident. */
  readonly categories: readonly FacetCount[];
  /** Largest first, then by key; municipalities compared case- and ё-insensitively; at most FACET_BUCKETS. */
  readonly municipalities: readonly FacetCount[];
  /** By UTC date of first seen, oldest first; only days with incidents; at most FACET_BUCKETS (the latest). */
  readonly days: readonly FacetCount[];
  /** Geohash cells of incident locations, largest first, then by geohash; at most FACET_BUCKETS. */
  readonly geo: readonly GeoCell[];
}

export interface FacetOptions {
  /** Geohash precision of the grid, an integer from 1 (continents) to 8 (about 40 m); 5 is about 5 km. Else `ERR_VALIDATION`. */
  readonly geoPrecision: number;
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
  /**
   * The incidents analysts placed this post's problems in (problem index -> incident id), by merging
   * or splitting; dedup puts a pinned problem there instead of searching candidates. Pins survive
   * `resetAnalyses`, so `radar reprocess` rebuilds the analysts' incidents. Empty when none.
   */
  incidentPins(postId: string): Promise<ReadonlyMap<number, string>>;
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
  /** Analysts' status decisions, merges and splits involving the incident, oldest first. */
  incidentHistory(id: string): Promise<readonly IncidentDecision[]>;
  /**
   * An analyst merges incidents: every report of `sourceIds` moves to `targetId` (its time range,
   * counts, sources, facts, urgency, fake risk and place keys are recomputed), every report of all of
   * them is pinned to the target, and each source id redirects to it from now on (`getIncident`).
   * Ids that were merged away already are followed to their incident. Errors: `ERR_NOT_FOUND` for an
   * unknown id; `ERR_VALIDATION` for no sources or the target among them; `ERR_CONFLICT` for a
   * source already merged into the target. The target keeps its title, category and status.
   */
  mergeIncidents(targetId: string, sourceIds: readonly string[], note: string | null, at: IsoDateTime): Promise<Incident>;
  /**
   * An analyst splits the listed reports off an incident into a new one, with a deterministic id
   * (`makeId('inc', 'split:<id>:<first report>')`, the first of the reports as `<postId>#<index>` in
   * sorted order). The moved reports are pinned to the new incident, the others to the original;
   * both are recomputed from their reports. A merged-away id is followed. Errors: `ERR_NOT_FOUND`
   * for an unknown id; `ERR_VALIDATION` for an empty list, a report not in the incident, or every
   * report of it.
   */
  splitIncident(id: string, reports: readonly ReportRef[], note: string | null, at: IsoDateTime): Promise<SplitResult>;
  /** Counts by category, municipality, day and geohash cell of the incidents matching the filter. */
  incidentFacets(filter: IncidentFilter, options: FacetOptions): Promise<IncidentFacets>;

  listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>>;
  /** An incident with its posts; for an id merged away, the incident it was merged into (see `redirectedFrom`). */
  getIncident(id: string): Promise<IncidentDetail | null>;
  getPost(id: string): Promise<StoredPostView | null>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
