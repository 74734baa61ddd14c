/**
 * The Elasticsearch store. Raw input never depends on the cluster: posts, collectors' cursors and
 * the processing queue live in a local SQLite raw store (an outbox), written before anything else.
 * Everything derived (analyses, stories, incidents, reports) and people's work (decisions, flags,
 * refutations, merges) live in Elasticsearch, and reads come from there. A post is marked processed
 * locally only once the cluster acknowledged its documents, so an outage only delays processing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../../core/logger.js';
import type { FlagStatus, Incident, IncidentStatus, IsoDateTime, Platform, Post, PostAnalysis, Refutation, StoryFlag } from '../../core/types.js';
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
  SourceFailure,
  SourceState,
  SplitResult,
  Store,
  StoredPostView,
  StoreStats,
  StoryCandidate,
  StoryMember,
  StoryStats,
} from '../contract.js';
import { BatchState } from './batch-state.js';
import type { BulkWriterOptions } from './bulk-options.js';
import { BulkWriter } from './bulk-writer.js';
import * as candidates from './candidates.js';
import { commitBatch } from './commit.js';
import type { EsContext } from './context.js';
import * as writes from './dedup-writes.js';
import * as edits from './edits.js';
import * as editorial from './editorial.js';
import { isEnvironmental } from './errors.js';
import * as feed from './feed.js';
import { ensureIndices } from './migrate.js';
import { aliasesFor } from './names.js';
import * as posts from './posts.js';
import { RecentWrites } from './recent-writes.js';
import { resetAnalyses } from './reset.js';
import * as sources from './sources.js';

export interface ElasticsearchStoreOptions {
  readonly client: Client;
  /** The local raw store (a SqliteStore). */
  readonly local: Store;
  readonly indexPrefix: string;
  readonly logger: Logger;
  readonly bulk?: Partial<BulkWriterOptions>;
  /**
   * `wait_for` or `true` makes every write visible to search before it returns: for the contract
   * tests, which read right after writing. The service leaves it off: the feed indices refresh
   * every second.
   */
  readonly refresh?: boolean | 'wait_for';
  /** How long this process's recent writes stay visible to its own dedup lookups (default 30 s). */
  readonly recentWritesMs?: number;
  /** Create missing indices on first use (default true); `radar es migrate` does it explicitly. */
  readonly createIndices?: boolean;
}

export class ElasticsearchStore implements Store {
  readonly kind = 'elasticsearch' as const;
  readonly #ctx: EsContext;
  readonly #batches = new AsyncLocalStorage<BatchState>();
  readonly #options: ElasticsearchStoreOptions;
  #ready: Promise<void> | null = null;
  readonly #mirrors = new Set<Promise<void>>();

  constructor(options: ElasticsearchStoreOptions) {
    this.#options = options;
    const refresh = options.refresh ?? false;
    this.#ctx = {
      client: options.client,
      index: aliasesFor(options.indexPrefix),
      writer: new BulkWriter(options.client, options.logger, { ...options.bulk, refresh }),
      logger: options.logger,
      local: options.local,
      recent: new RecentWrites({ ttlMs: options.recentWritesMs ?? 30_000, maxEntries: 100_000 }),
      editorialRefresh: refresh === true ? true : 'wait_for',
    };
  }

  /** Checks (and on a fresh cluster creates) the indices once, before the first request. */
  async #ensureReady(): Promise<void> {
    if (this.#options.createIndices === false) return;
    this.#ready ??= ensureIndices(this.#ctx.client, this.#options.indexPrefix, this.#ctx.logger).catch((error: unknown) => {
      // Not cached: the next call tries again (the cluster may be back).
      this.#ready = null;
      throw error;
    });
    await this.#ready;
  }

  /** A cluster call: inside a batch, a failure of the cluster dooms the batch, whatever the caller does with it. */
  async #call<T>(fn: (ctx: EsContext, state: BatchState | undefined) => Promise<T>): Promise<T> {
    const state = this.#batches.getStore();
    try {
      await this.#ensureReady();
      return await fn(this.#ctx, state);
    } catch (error) {
      if (state && isEnvironmental(error)) state.abort ??= error;
      throw error;
    }
  }

  /** A pipeline write: part of the current batch, or a batch of its own. */
  async #write<T>(fn: (ctx: EsContext, state: BatchState) => Promise<T>): Promise<T> {
    if (!this.#batches.getStore()) return this.batch(() => this.#write(fn));
    return this.#call((ctx, state) => fn(ctx, state as BatchState));
  }

  async batch<T>(work: () => Promise<T>): Promise<T> {
    if (this.#batches.getStore()) return work();
    await this.#ensureReady();
    const state = new BatchState();
    const result = await this.#batches.run(state, work);
    await commitBatch(this.#ctx, state);
    return result;
  }

  // Raw input: local only, never waiting for the cluster.

  async savePosts(input: readonly NewPost[]): Promise<SavePostsResult> {
    return this.#ctx.local.savePosts(input);
  }

  async saveCollected(batch: CollectedBatch): Promise<SavePostsResult> {
    const result = await this.#ctx.local.saveCollected(batch);
    this.#mirror(batch.sourceId);
    return result;
  }

  async recordSourceFailure(failure: SourceFailure): Promise<void> {
    await this.#ctx.local.recordSourceFailure(failure);
    this.#mirror(failure.sourceId);
  }

  #mirror(sourceId: string): void {
    const done = this.#ensureReady()
      .then(() => sources.mirrorSource(this.#ctx, sourceId))
      .catch((error: unknown) => this.#ctx.logger.warn('source state not copied to elasticsearch', { sourceId, error }))
      .finally(() => this.#mirrors.delete(done));
    this.#mirrors.add(done);
  }

  /** A collector's cursor comes from the local store, so collecting never waits for the cluster. */
  async getSourceState(sourceId: string): Promise<SourceState | null> {
    const local = await this.#ctx.local.getSourceState(sourceId);
    return local ?? this.#call((ctx) => sources.copiedSourceState(ctx, sourceId));
  }

  async listSourceStates(): Promise<readonly SourceState[]> {
    try {
      await this.#ensureReady();
    } catch (error) {
      this.#ctx.logger.warn('source states of other processes unavailable', { error });
      return this.#ctx.local.listSourceStates();
    }
    return sources.listSourceStates(this.#ctx);
  }

  async exportPosts(limit: number, after?: string | null, source?: string): Promise<PendingBatch> {
    return this.#ctx.local.exportPosts(limit, after, source);
  }

  async pendingPosts(limit: number, after?: string | null): Promise<PendingBatch> {
    return this.#ctx.local.pendingPosts(limit, after);
  }

  async resetAnalyses(): Promise<number> {
    return this.#call((ctx) => resetAnalyses(ctx));
  }

  // The pipeline's writes and lookups.

  async saveAnalyses(analyses: readonly PostAnalysis[]): Promise<void> {
    return this.#write((ctx, state) => writes.saveAnalyses(ctx, state, analyses));
  }

  async markFailed(postId: string, reason: string): Promise<void> {
    return this.#write((ctx, state) => writes.markFailed(ctx, state, postId, reason));
  }

  async storyCandidates(bandKeys: readonly string[], limit: number): Promise<readonly StoryCandidate[]> {
    return this.#call((ctx, state) => candidates.storyCandidates(ctx, state, bandKeys, limit));
  }

  async addToStory(member: StoryMember): Promise<StoryStats> {
    return this.#write((ctx, state) => writes.addToStory(ctx, state, member));
  }

  async incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]> {
    return this.#call((ctx, state) => candidates.incidentCandidates(ctx, state, query));
  }

  async addIncidentReport(report: IncidentReport): Promise<void> {
    return this.#write((ctx, state) => writes.addIncidentReport(ctx, state, report));
  }

  async refutationCandidates(bandKeys: readonly string[], limit: number): Promise<readonly RefutationCandidate[]> {
    return this.#call((ctx) => candidates.refutationCandidates(ctx, bandKeys, limit));
  }

  async incidentPins(postId: string): Promise<ReadonlyMap<number, string>> {
    return this.#call((ctx) => editorial.incidentPins(ctx, postId));
  }

  // People's work.

  async addRefutation(entry: RefutationEntry): Promise<Refutation> {
    return this.#call((ctx) => editorial.addRefutation(ctx, entry));
  }

  async getRefutation(id: string): Promise<Refutation | null> {
    return this.#call((ctx) => editorial.getRefutation(ctx, id));
  }

  async listRefutations(limit: number): Promise<readonly Refutation[]> {
    return this.#call((ctx) => editorial.listRefutations(ctx, limit));
  }

  async storyPosts(storyId: string): Promise<readonly Post[]> {
    return this.#call((ctx) => posts.storyPosts(ctx, storyId));
  }

  async flagStory(flag: { readonly storyId: string; readonly platform: Platform; readonly reason: string; readonly refutationId: string | null; readonly at: IsoDateTime }): Promise<StoryFlag> {
    return this.#call((ctx) => editorial.flagStory(ctx, flag));
  }

  async updateFlag(storyId: string, platform: Platform, status: FlagStatus, note: string | null, at: IsoDateTime): Promise<StoryFlag | null> {
    return this.#call((ctx) => editorial.updateFlag(ctx, storyId, platform, status, note, at));
  }

  async storyFlags(storyId: string): Promise<readonly StoryFlag[]> {
    return this.#call((ctx) => editorial.storyFlags(ctx, storyId));
  }

  async setIncidentStatus(id: string, status: IncidentStatus, note: string | null, at: IsoDateTime): Promise<Incident | null> {
    return this.#call((ctx) => editorial.setIncidentStatus(ctx, id, status, note, at));
  }

  async incidentHistory(id: string): Promise<readonly IncidentDecision[]> {
    return this.#call((ctx) => editorial.incidentHistory(ctx, id));
  }

  async mergeIncidents(targetId: string, sourceIds: readonly string[], note: string | null, at: IsoDateTime): Promise<Incident> {
    return this.#call((ctx) => edits.mergeIncidents(ctx, targetId, sourceIds, note, at));
  }

  async splitIncident(id: string, reports: readonly ReportRef[], note: string | null, at: IsoDateTime): Promise<SplitResult> {
    return this.#call((ctx) => edits.splitIncident(ctx, id, reports, note, at));
  }

  // Reads.

  async incidentFacets(filter: IncidentFilter, options: FacetOptions): Promise<IncidentFacets> {
    return this.#call((ctx) => feed.incidentFacets(ctx, filter, options));
  }

  async listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>> {
    return this.#call((ctx) => feed.listIncidents(ctx, filter, page));
  }

  async getIncident(id: string): Promise<IncidentDetail | null> {
    return this.#call((ctx) => feed.getIncident(ctx, id));
  }

  async getPost(id: string): Promise<StoredPostView | null> {
    return this.#call((ctx) => posts.getPost(ctx, id));
  }

  async stats(): Promise<StoreStats> {
    return this.#call((ctx) => posts.stats(ctx));
  }

  /** Resolves once the background copies of source states started so far are done. */
  async settled(): Promise<void> {
    await Promise.all([...this.#mirrors]);
  }

  async close(): Promise<void> {
    await this.settled();
    await this.#ctx.writer.close();
    await this.#ctx.client.close();
    await this.#ctx.local.close();
  }
}
