/**
 * VK collector: community and user walls (`wall.get`) with their comments (`wall.getComments`), or a
 * keyword / geo search over public posts (`newsfeed.search`), through the official API v5.199 with a
 * service token. See readme.md for the cursor and the error table.
 */
import type { Got, OptionsInit } from 'got';
import type { z } from 'zod';
import { zodIssues } from '../../core/zod-issues.js';
import { HttpCollector } from '../base/collector.js';
import { CollectorError } from '../base/errors.js';
import { createHttp } from '../base/http.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectContext, CollectedItem, CollectOutcome, SkippedItem } from '../types.js';
import type { Logger } from '../../core/logger.js';
import { POST_LEVEL_COMMENT_ERRORS, redacted, vkError, VK_TOO_MANY_RPS } from './errors.js';
import { Actors, commentItem, distanceMetres, postExternalId, postItem } from './parse.js';
import {
  VK_API_VERSION,
  VK_DEFAULT_BASE_URL,
  vkCommentSchema,
  vkCommentsResponseSchema,
  vkCursorSchema,
  vkEnvelopeSchema,
  vkPostSchema,
  vkSearchResponseSchema,
  vkTargetOf,
  vkWallResponseSchema,
  type VkCommentTracker,
  type VkCursor,
  type VkPost,
  type VkSearchCursor,
  type VkSource,
  type VkTarget,
  type VkWallCursor,
} from './schema.js';

export {
  vkCursorSchema,
  vkSourceSchema,
  vkTargetOf,
  type VkCursor,
  type VkSearchCursor,
  type VkSource,
  type VkSourceInput,
  type VkTarget,
  type VkWallCursor,
} from './schema.js';

export interface VkCollectorOptions {
  /** Clock in ms (comment window, search start); tests pin it. */
  readonly now?: () => number;
  /** First pause after VK error 6 (too many requests per second); doubled on each retry. */
  readonly floodDelayMs?: number;
  /** Retries of one call after error 6 before the pass fails with ERR_RATE_LIMITED. */
  readonly floodRetries?: number;
}

/** wall.get returns at most 100 posts per call, wall.getComments 100 comments. */
const WALL_MAX_COUNT = 100;
/** Consecutive pages overlap by one post: a post deleted between two calls would otherwise shift the next page past one unread post. */
const PAGE_OVERLAP = 1;
/** Top-level comments re-read before the stored offset, in case some above it were deleted. */
const COMMENT_OVERLAP = 5;
/** Replies returned inline with each top-level comment. */
const THREAD_ITEMS = 10;
/** Search results are indexed with a delay: each pass searches this far behind the newest post it saw. */
const SEARCH_OVERLAP_S = 600;
/** VK's default `start_time` for newsfeed.search when none is given. */
const SEARCH_DEFAULT_SPAN_S = 86_400;
const SEARCH_MAX_COUNT = 200;
const MAX_RECENT_IDS = 5_000;

type Params = Record<string, string | number | undefined>;

/** What one pass accumulates. */
interface Run {
  readonly token: string;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
  readonly actors: Actors;
  readonly items: CollectedItem[];
  readonly skipped: SkippedItem[];
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

const describeIssues = (error: z.ZodError, value: unknown): string =>
  zodIssues(error, value)
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');

const idOf = (raw: unknown): string => {
  const r = raw as { owner_id?: unknown; id?: unknown } | null;
  return typeof r === 'object' && r !== null ? `${String(r.owner_id ?? '?')}_${String(r.id ?? '?')}` : '?';
};

export class VkCollector extends HttpCollector<VkCursor> {
  readonly type = 'vk' as const;
  readonly #config: VkSource;
  readonly #target: VkTarget;
  readonly #env: CollectorDeps['env'];
  readonly #now: () => number;
  readonly #floodDelayMs: number;
  readonly #floodRetries: number;

  constructor(config: VkSource, deps: CollectorDeps, http: Got, options: VkCollectorOptions = {}) {
    super(config.id, http);
    this.#config = config;
    this.#target = vkTargetOf(config);
    this.#env = deps.env;
    this.#now = options.now ?? Date.now;
    this.#floodDelayMs = options.floodDelayMs ?? 1_000;
    this.#floodRetries = options.floodRetries ?? 3;
  }

  /** A cursor of another wall or query (the config changed) is unusable: a full pass runs. */
  parseCursor(value: unknown): VkCursor | null {
    const parsed = vkCursorSchema.safeParse(value);
    if (!parsed.success) return null;
    const cursor = parsed.data;
    if (this.#target.kind === 'wall') return cursor.kind === 'wall' && cursor.wall === this.#target.key ? cursor : null;
    return cursor.kind === 'search' && cursor.query === this.#target.key ? cursor : null;
  }

  async collect(ctx: CollectContext<VkCursor>): Promise<CollectOutcome<VkCursor>> {
    const { tokenEnv } = this.#config;
    const token = this.#env[tokenEnv]?.trim();
    if (!token) {
      throw new CollectorError('ERR_CONFIG', `${this.sourceId}: no VK service token: the environment variable ${tokenEnv} is not set; put the app's service token there (dev.vk.com → your app → keys) or name another variable in tokenEnv`);
    }
    const run: Run = { token, logger: ctx.logger, signal: ctx.signal, actors: new Actors(), items: [], skipped: [] };
    const cursor = ctx.cursor === null ? null : this.parseCursor(ctx.cursor);
    const next =
      this.#target.kind === 'wall'
        ? await this.#wallPass(run, this.#target.params, cursor?.kind === 'wall' ? cursor : null)
        : await this.#searchPass(run, this.#target.search, cursor?.kind === 'search' ? cursor : null);
    return { items: run.items, cursor: next, skipped: run.skipped };
  }

  /** One API call: VK errors become `CollectorError`s; error 6 is waited out a few times first. */
  async #call<S extends z.ZodType>(run: Run, method: string, params: Params, schema: S): Promise<z.output<S>> {
    const searchParams: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(params)) if (value !== undefined) searchParams[key] = value;
    searchParams.access_token = run.token;
    searchParams.v = VK_API_VERSION;
    const options: OptionsInit = run.signal ? { searchParams, signal: run.signal } : { searchParams };
    for (let attempt = 1; ; attempt++) {
      let envelope: z.output<typeof vkEnvelopeSchema>;
      try {
        envelope = await this.fetchJson(method, vkEnvelopeSchema, options);
      } catch (error) {
        throw redacted(this.normalizeError(error, method), run.token);
      }
      if (envelope.error) {
        const { error_code: code, error_msg: message } = envelope.error;
        if (code === VK_TOO_MANY_RPS && attempt <= this.#floodRetries) {
          run.logger.debug('vk too many requests per second, waiting', { sourceId: this.sourceId, method, attempt });
          await sleep(this.#floodDelayMs * 2 ** (attempt - 1), run.signal);
          continue;
        }
        throw redacted(vkError({ sourceId: this.sourceId, method, tokenEnv: this.#config.tokenEnv, code, message, attempts: attempt }), run.token);
      }
      const parsed = schema.safeParse(envelope.response);
      if (!parsed.success) {
        throw new CollectorError('ERR_INVALID_PAYLOAD', `${this.sourceId}: unexpected VK ${method} response: ${describeIssues(parsed.error, envelope.response)}`);
      }
      return parsed.data;
    }
  }

  #skip(run: Run, reason: string, detail: string): void {
    run.skipped.push({ reason, detail });
    run.logger.warn('vk item skipped', { sourceId: this.sourceId, reason, detail });
  }

  // --- walls ------------------------------------------------------------------------------------

  /**
   * Pages the wall newest first. The first pass reads `maxPages` pages; later passes read until they
   * reach the newest post of the previous pass (the pinned post, always first, is not a stop sign).
   * If a later pass runs out of `maxCatchUpPages` first, the unread id range is kept in the cursor
   * and read on the next passes, so a long outage costs time, never posts.
   */
  async #wallPass(run: Run, wall: { owner_id: number } | { domain: string }, cursor: VkWallCursor | null): Promise<VkWallCursor> {
    const cfg = this.#config;
    const first = cursor === null;
    const prevNewest = cursor?.newestId ?? 0;
    const pending = cursor?.pending ?? null;
    const budget = first ? cfg.maxPages : cfg.maxCatchUpPages;
    const count = Math.min(cfg.pageSize, WALL_MAX_COUNT);
    const windowStart = Math.floor(this.#now() / 1000) - cfg.comments.windowHours * 3600;
    const trackers: Record<string, VkCommentTracker> = {};
    if (cfg.comments.enabled) for (const [id, t] of Object.entries(cursor?.comments ?? {})) if (t.date >= windowStart) trackers[id] = t;

    const collected = new Set<number>();
    const newPosts: VkPost[] = [];
    const commentCounts = new Map<number, number>();
    let ownerId = cursor?.ownerId ?? ('owner_id' in wall ? wall.owner_id : null);
    const wanted = (id: number): boolean => first || id > prevNewest || (pending !== null && pending.afterId < id && id < pending.beforeId);
    let pages = 0;

    const readPage = async (offset: number) => {
      pages++;
      const page = await this.#call(run, 'wall.get', { ...wall, offset, count, extended: 1 }, vkWallResponseSchema);
      run.actors.add(page.profiles, page.groups);
      const posts: { post: VkPost; pinned: boolean }[] = [];
      for (const raw of page.items) {
        const parsed = vkPostSchema.safeParse(raw);
        if (!parsed.success) {
          this.#skip(run, 'invalid-post', `post ${idOf(raw)} at offset ${offset}: ${describeIssues(parsed.error, raw)}`);
          continue;
        }
        const post = parsed.data;
        ownerId ??= post.owner_id;
        if (post.comments) commentCounts.set(post.id, post.comments.count);
        if (wanted(post.id) && !collected.has(post.id)) {
          collected.add(post.id);
          newPosts.push(post);
          run.items.push(postItem(post, raw, this.sourceId, run.actors));
        }
        posts.push({ post, pinned: post.is_pinned === true });
      }
      const end = offset + page.items.length;
      return { posts, total: page.count, ended: page.items.length === 0 || end >= page.count, next: end - (page.items.length > PAGE_OVERLAP ? PAGE_OVERLAP : 0) };
    };

    // Phase 1: from the top down to the previous pass's newest post.
    let offset = 0;
    let total = 0;
    let lowest = Number.POSITIVE_INFINITY;
    let oldestDate = Number.POSITIVE_INFINITY;
    let newest = prevNewest;
    let reached = false;
    let ended = false;
    // Past the cursor, keep paging while unseen posts in the comment window remain: their
    // `comments.count` tells which ones have new comments, one wall.get instead of a call per post.
    const scanForComments = (): boolean => oldestDate >= windowStart && Object.keys(trackers).some((id) => Number(id) < lowest && !commentCounts.has(Number(id)));
    while (pages < budget) {
      const page = await readPage(offset);
      total = page.total;
      offset = page.next;
      for (const { post, pinned } of page.posts) {
        newest = Math.max(newest, post.id);
        // The pinned post comes first whatever its age: it says nothing about where the cursor is.
        if (pinned) continue;
        lowest = Math.min(lowest, post.id);
        oldestDate = Math.min(oldestDate, post.date);
        if (!first && post.id <= prevNewest) reached = true;
      }
      if (page.ended) {
        ended = true;
        break;
      }
      if (reached && !scanForComments()) break;
    }

    let nextPending = pending;
    if (ended) nextPending = null;
    else if (first) run.logger.info('vk first pass stopped at maxPages', { sourceId: this.sourceId, pages, total });
    else if (!reached) {
      // Out of pages before reaching the cursor: remember what is still unread.
      const afterId = pending ? Math.min(pending.afterId, prevNewest) : prevNewest;
      const beforeId = Number.isFinite(lowest) ? lowest : newest + 1;
      nextPending = beforeId > afterId + 1 ? { afterId, beforeId, offset, total } : null;
      run.logger.warn('vk catch-up ran out of pages, rest kept for next pass', { sourceId: this.sourceId, afterId, beforeId, pages });
    } else if (pending) {
      nextPending = await this.#fillPending(pending, { offset, total, budget: budget - pages, count }, readPage);
    }

    return {
      version: 1,
      kind: 'wall',
      wall: this.#target.key,
      ownerId,
      newestId: newest,
      pending: nextPending,
      comments: cfg.comments.enabled && ownerId !== null ? await this.#comments(run, ownerId, trackers, newPosts, commentCounts, windowStart) : {},
    };
  }

  /**
   * Reads an id range left unread by an earlier pass. It sits about `pending.offset` posts down,
   * shifted by the posts added since (`total` grew); the first page must land at or above its upper
   * edge, or we step back, so nothing between is jumped over.
   */
  async #fillPending(
    pending: NonNullable<VkWallCursor['pending']>,
    at: { offset: number; total: number; budget: number; count: number },
    readPage: (offset: number) => Promise<{ posts: { post: VkPost; pinned: boolean }[]; total: number; ended: boolean; next: number }>,
  ): Promise<VkWallCursor['pending']> {
    const margin = Math.min(10, Math.floor(at.count / 4));
    let offset = Math.max(at.offset, pending.offset + (at.total - pending.total) - margin);
    let total = at.total;
    let low = pending.beforeId;
    let aligned = offset === at.offset;
    for (let pages = 0; pages < at.budget; pages++) {
      const page = await readPage(offset);
      total = page.total;
      const ids = page.posts.filter((p) => !p.pinned).map((p) => p.post.id);
      if (!aligned && (ids[0] ?? 0) < pending.beforeId && offset > at.offset) {
        offset = Math.max(at.offset, offset - at.count);
        continue;
      }
      aligned = true;
      low = Math.min(low, ...ids);
      if (page.ended || ids.some((id) => id <= pending.afterId)) return null;
      offset = page.next;
    }
    return low > pending.afterId + 1 ? { afterId: pending.afterId, beforeId: low, offset, total } : null;
  }

  // --- comments ---------------------------------------------------------------------------------

  /**
   * Polls comments of posts published within the window. A post whose `comments.count` has not
   * changed since everything was read is not asked again. Trouble with one post (deleted, comments
   * closed) drops that post; a quota or transient error stops the comments for this pass and keeps
   * the posts: their trackers stay where they were, so the comments are read on a later pass.
   */
  async #comments(
    run: Run,
    ownerId: number,
    previous: Record<string, VkCommentTracker>,
    newPosts: readonly VkPost[],
    counts: ReadonlyMap<number, number>,
    windowStart: number,
  ): Promise<Record<string, VkCommentTracker>> {
    const trackers = { ...previous };
    for (const post of newPosts) {
      if (post.date >= windowStart && trackers[post.id] === undefined) trackers[post.id] = { date: post.date, lastId: 0, read: 0, count: -1 };
    }
    const order = Object.keys(trackers).sort((a, b) => Number(b) - Number(a));
    for (const key of order) {
      const tracker = trackers[key] as VkCommentTracker;
      const seen = counts.get(Number(key));
      if (seen !== undefined && (seen === 0 || seen === tracker.count)) {
        trackers[key] = { ...tracker, count: seen };
        continue;
      }
      try {
        const { items, tracker: next } = await this.#pollPost(run, ownerId, Number(key), tracker, seen);
        run.items.push(...items);
        trackers[key] = next;
      } catch (error) {
        if (!(error instanceof CollectorError)) throw error;
        if (typeof error.platformCode === 'number' && POST_LEVEL_COMMENT_ERRORS.has(error.platformCode)) {
          run.logger.info('vk comments unavailable for post, dropped', { sourceId: this.sourceId, postId: Number(key), code: error.platformCode });
          delete trackers[key];
          continue;
        }
        if (error.disposition !== 'retry-later') throw error;
        run.logger.warn('vk comments stopped for this pass', { sourceId: this.sourceId, postId: Number(key), code: error.code, message: error.message });
        break;
      }
    }
    return trackers;
  }

  /** New comments of one post, oldest first, up to `maxPerPost`; replies come inline with their new top-level comment. */
  async #pollPost(run: Run, ownerId: number, postId: number, tracker: VkCommentTracker, seenCount: number | undefined) {
    const max = this.#config.comments.maxPerPost;
    const items: CollectedItem[] = [];
    let offset = Math.max(0, tracker.read - COMMENT_OVERLAP);
    let { lastId, read } = tracker;
    let taken = 0;
    let complete = false;
    while (taken < max) {
      const want = Math.min(WALL_MAX_COUNT, max - taken + COMMENT_OVERLAP);
      const page = await this.#call(
        run,
        'wall.getComments',
        { owner_id: ownerId, post_id: postId, offset, count: want, sort: 'asc', extended: 1, need_likes: 0, preview_length: 0, thread_items_count: THREAD_ITEMS },
        vkCommentsResponseSchema,
      );
      run.actors.add(page.profiles, page.groups);
      let i = 0;
      for (; i < page.items.length && taken < max; i++) {
        const raw = page.items[i];
        const parsed = vkCommentSchema.safeParse(raw);
        if (!parsed.success) {
          this.#skip(run, 'invalid-comment', `comment ${idOf(raw)} on post ${ownerId}_${postId}: ${describeIssues(parsed.error, raw)}`);
          continue;
        }
        const comment = parsed.data;
        if (comment.id <= tracker.lastId) continue;
        lastId = Math.max(lastId, comment.id);
        if (!comment.deleted) {
          items.push(commentItem(comment, raw, { ownerId, postId }, this.sourceId, run.actors));
          taken++;
        }
        for (const rawReply of comment.thread?.items ?? []) {
          const reply = vkCommentSchema.safeParse(rawReply);
          if (!reply.success) {
            this.#skip(run, 'invalid-comment', `reply ${idOf(rawReply)} on post ${ownerId}_${postId}: ${describeIssues(reply.error, rawReply)}`);
            continue;
          }
          if (reply.data.deleted) continue;
          items.push(commentItem(reply.data, rawReply, { ownerId, postId, threadOf: comment.id }, this.sourceId, run.actors));
          taken++;
        }
      }
      read = Math.max(read, offset + i);
      if (i === page.items.length && page.items.length < want) {
        complete = true;
        break;
      }
      offset += i;
      if (page.items.length === 0) break;
    }
    const next: VkCommentTracker = { date: tracker.date, lastId, read, count: complete ? (seenCount ?? -1) : -1 };
    return { items, tracker: next };
  }

  // --- search -----------------------------------------------------------------------------------

  /**
   * newsfeed.search from the newest post of the previous pass (minus an overlap for the index lag),
   * newest first, paged with `next_from`. A later pass that runs out of pages keeps the unread time
   * range as a backlog, searched with `end_time` on the next passes.
   */
  async #searchPass(run: Run, search: NonNullable<VkSource['search']>, cursor: VkSearchCursor | null): Promise<VkSearchCursor> {
    const cfg = this.#config;
    const first = cursor === null;
    const budget = first ? cfg.maxPages : cfg.maxCatchUpPages;
    const nowS = Math.floor(this.#now() / 1000);
    const recent: Record<string, number> = { ...(cursor?.recent ?? {}) };
    const center = search.latitude !== undefined && search.longitude !== undefined ? { lat: search.latitude, lon: search.longitude } : null;
    let pages = 0;

    const searchWindow = async (startTime: number | undefined, endTime: number | undefined) => {
      let from: string | undefined;
      let minDate = Number.POSITIVE_INFINITY;
      let maxDate = 0;
      while (pages < budget) {
        pages++;
        const page = await this.#call(
          run,
          'newsfeed.search',
          { q: search.q, latitude: search.latitude, longitude: search.longitude, start_time: startTime, end_time: endTime, start_from: from, count: Math.min(cfg.pageSize * 2, SEARCH_MAX_COUNT), extended: 1 },
          vkSearchResponseSchema,
        );
        run.actors.add(page.profiles, page.groups);
        for (const raw of page.items) {
          const parsed = vkPostSchema.safeParse(raw);
          if (!parsed.success) {
            this.#skip(run, 'invalid-post', `search result ${idOf(raw)}: ${describeIssues(parsed.error, raw)}`);
            continue;
          }
          const post = parsed.data;
          minDate = Math.min(minDate, post.date);
          maxDate = Math.max(maxDate, post.date);
          const id = postExternalId(post.owner_id, post.id);
          if (recent[id] !== undefined) continue;
          recent[id] = post.date;
          const item = postItem(post, raw, this.sourceId, run.actors);
          const where = item.input.location;
          if (center && search.radius !== undefined && where && distanceMetres(center, where) > search.radius) {
            run.logger.debug('vk search result outside radius', { sourceId: this.sourceId, id });
            continue;
          }
          run.items.push(item);
        }
        from = page.next_from;
        if (!from || page.items.length === 0) return { done: true, minDate, maxDate };
      }
      return { done: false, minDate, maxDate };
    };

    const fresh = await searchWindow(first ? undefined : Math.max(0, cursor.startTime - SEARCH_OVERLAP_S), undefined);
    let backlog = cursor?.backlog ?? null;
    if (!fresh.done) {
      if (first) run.logger.info('vk first search pass stopped at maxPages', { sourceId: this.sourceId, pages });
      else {
        const startTime = Math.min(backlog?.startTime ?? Number.POSITIVE_INFINITY, Math.max(0, cursor.startTime - SEARCH_OVERLAP_S));
        backlog = { startTime, endTime: Number.isFinite(fresh.minDate) ? fresh.minDate : nowS };
        run.logger.warn('vk search ran out of pages, rest kept for next pass', { sourceId: this.sourceId, ...backlog });
      }
    } else if (backlog && pages < budget) {
      const old = await searchWindow(backlog.startTime, backlog.endTime);
      backlog = old.done ? null : { startTime: backlog.startTime, endTime: Number.isFinite(old.minDate) ? old.minDate : backlog.endTime };
    }

    const startTime = Math.max(cursor?.startTime ?? nowS - SEARCH_DEFAULT_SPAN_S, fresh.maxDate);
    const keepFrom = startTime - SEARCH_OVERLAP_S;
    const kept = Object.entries(recent)
      // The backlog is searched up to its end second inclusive: posts of that second were already returned.
      .filter(([, date]) => date >= keepFrom || date === backlog?.endTime)
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_RECENT_IDS);
    return { version: 1, kind: 'search', query: this.#target.key, startTime, backlog, recent: Object.fromEntries(kept) };
  }
}

export const createVkCollector = (config: VkSource, deps: CollectorDeps, options: VkCollectorOptions = {}): VkCollector => {
  const base = config.baseUrl ?? VK_DEFAULT_BASE_URL;
  const http = createHttp(deps.http, deps.queues, base.endsWith('/') ? base : `${base}/`);
  return new VkCollector(config, deps, http, options);
};
