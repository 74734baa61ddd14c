/**
 * The end of a batch: its writes go out as bulk requests, and only once Elasticsearch acknowledged
 * them are the posts marked processed in the local raw store. When the cluster is down the batch
 * fails with `StoreUnavailableError`, the posts stay pending locally and are processed again later;
 * every write is idempotent (ids, report keys, story members), so a batch half written before the
 * failure is completed, not doubled, by the replay. A write refused because another worker changed
 * the incident or story meanwhile (409) is redone on the fresh document. A document the cluster
 * rejects (a mapping error) fails the posts that wrote it, with the cluster's reason.
 */
import type { BatchState, TrackedIncident, TrackedStory } from './batch-state.js';
import type { BulkItemResult, BulkOperation } from './bulk-writer.js';
import { type EsContext, getDocs } from './context.js';
import { candidateEntry, decodeSignature, parseIncidentDoc, parseWith, storyDocSchema, type StoryMemberDoc } from './docs.js';
import { applyOp, loadDecisions } from './dedup-writes.js';
import { failureError, type FailureKind, StoreUnavailableError, toStoreError } from './errors.js';
import { applyMember } from './incident-docs.js';
import { CONFLICT_ROUNDS } from './limits.js';

interface Write {
  readonly op: BulkOperation;
  /** Posts that fail when this write is rejected. */
  readonly posts: readonly string[];
  readonly what: string;
  readonly versioned?: TrackedIncident | TrackedStory;
  /** The story membership a post document carries, for this process's own lookups once written. */
  readonly member?: StoryMemberDoc;
}

/**
 * What the cluster acknowledged is there, even when the rest of the batch failed: this process's
 * next lookups must find it before search does, or a replay would start a second story or incident.
 */
const remember = (ctx: EsContext, write: Write): void => {
  if (write.versioned && 'ops' in write.versioned && write.versioned.doc) ctx.recent.putIncident(candidateEntry(write.versioned.doc));
  const m = write.member;
  if (m && m.bands.length > 0) {
    ctx.recent.putMember({ postId: write.op.id, storyId: m.id, bands: m.bands, signature: decodeSignature(m.signature), semantic: m.semantic === null ? null : decodeSignature(m.semantic) });
  }
};

const versionedWrite = (index: string, tracked: TrackedIncident | TrackedStory, what: string): Write => {
  const doc = tracked.doc as object;
  const op: BulkOperation =
    tracked.seqNo === null || tracked.primaryTerm === null
      ? { op: 'create', index, id: tracked.id, doc }
      : { op: 'index', index, id: tracked.id, doc, ifSeqNo: tracked.seqNo, ifPrimaryTerm: tracked.primaryTerm };
  return { op, posts: [...tracked.posts], what: `${what} ${tracked.id}`, versioned: tracked };
};

const send = async (ctx: EsContext, writes: readonly Write[]): Promise<BulkItemResult[]> => {
  const tickets = [];
  // One at a time: `add` waits while the writer's buffer is full, which is the pipeline's backpressure.
  for (const write of writes) tickets.push(await ctx.writer.add(write.op));
  await ctx.writer.flush();
  return Promise.all(tickets.map((t) => t.done));
};

/** Re-reads documents whose write conflicted and applies this batch's operations to them again. */
const redo = async (ctx: EsContext, conflicts: readonly Write[]): Promise<void> => {
  const incidents = conflicts.map((w) => w.versioned).filter((v): v is TrackedIncident => v !== undefined && 'ops' in v);
  const stories = conflicts.map((w) => w.versioned).filter((v): v is TrackedStory => v !== undefined && 'members' in v);
  const found = await getDocs(
    ctx.client,
    [...incidents.map((t) => ({ index: ctx.index.incidents, id: t.id })), ...stories.map((t) => ({ index: ctx.index.stories, id: t.id }))],
    'reading documents changed by another writer',
  );
  incidents.forEach((t, i) => {
    const got = found[i];
    t.doc = got ? parseIncidentDoc(t.id, got.source) : null;
    t.seqNo = got?.seqNo ?? null;
    t.primaryTerm = got?.primaryTerm ?? null;
    t.decided = undefined;
  });
  await loadDecisions(ctx, incidents);
  for (const t of incidents) {
    t.dirty = false;
    for (const op of t.ops.splice(0)) applyOp(t, op);
  }
  stories.forEach((t, i) => {
    const got = found[incidents.length + i];
    t.doc = got ? parseWith(storyDocSchema, 'story', t.id, got.source) : null;
    t.seqNo = got?.seqNo ?? null;
    t.primaryTerm = got?.primaryTerm ?? null;
    const before = t.doc;
    for (const member of t.members) t.doc = applyMember(t.doc, member);
    t.dirty = t.doc !== before;
  });
};

export const commitBatch = async (ctx: EsContext, state: BatchState): Promise<void> => {
  if (state.abort) throw toStoreError(state.abort, 'processing a batch');
  const rejected = new Map<string, string>();
  const once: Write[] = [
    ...[...state.posts].map(([id, doc]): Write => ({ op: { op: 'update', index: ctx.index.posts, id, doc }, posts: [id], what: `post ${id}`, member: doc.story as StoryMemberDoc | undefined })),
    ...[...state.reports].map(([key, doc]): Write => ({ op: { op: 'index', index: ctx.index.reports, id: key, doc }, posts: [doc.post_id], what: `report ${key}` })),
  ];
  const versioned = (): Write[] => [
    ...[...state.incidents.values()].filter((t) => t.dirty && t.doc).map((t) => versionedWrite(ctx.index.incidents, t, 'incident')),
    ...[...state.stories.values()].filter((t) => t.dirty && t.doc).map((t) => versionedWrite(ctx.index.stories, t, 'story')),
  ];
  let writes = [...once, ...versioned()];
  for (let round = 1; writes.length > 0; round++) {
    const results = await send(ctx, writes);
    const conflicts: Write[] = [];
    let environmental: { readonly kind: FailureKind; readonly detail: string; readonly what: string } | null = null;
    results.forEach((result, i) => {
      const write = writes[i] as Write;
      if (result.ok) {
        if (write.versioned) {
          write.versioned.seqNo = result.seqNo;
          write.versioned.primaryTerm = result.primaryTerm;
          write.versioned.dirty = false;
        }
        remember(ctx, write);
      } else if (result.kind === 'conflict' && write.versioned) {
        conflicts.push(write);
      } else if (result.kind === 'rejected' || result.kind === 'conflict') {
        for (const post of write.posts) rejected.set(post, `index: Elasticsearch rejected ${write.what}: ${result.detail}`);
      } else {
        environmental ??= { kind: result.kind, detail: result.detail, what: write.what };
      }
    });
    if (environmental) {
      const { kind, detail, what } = environmental as { readonly kind: FailureKind; readonly detail: string; readonly what: string };
      throw failureError({ kind, status: null, detail }, `writing ${what} and the rest of a batch`);
    }
    if (conflicts.length === 0) break;
    if (round >= CONFLICT_ROUNDS) {
      throw new StoreUnavailableError(`Elasticsearch writes kept conflicting with other writers after ${round} rounds (${conflicts.map((w) => w.what).join(', ')}); the batch will be processed again.`);
    }
    ctx.logger.info('elasticsearch writes redone after concurrent changes', { documents: conflicts.length, round });
    await redo(ctx, conflicts);
    writes = versioned();
  }
  await finishLocally(ctx, state, rejected);
};

/** Marks the posts in the local raw store: processed, or failed with the reason. */
const finishLocally = async (ctx: EsContext, state: BatchState, rejected: ReadonlyMap<string, string>): Promise<void> => {
  // Full-text search is Elasticsearch's: the local copy of an analysis needs no search tokens.
  const processed = state.processed.filter((a) => !rejected.has(a.postId)).map((a) => ({ ...a, searchTokens: [] }));
  if (processed.length > 0) await ctx.local.saveAnalyses(processed);
  for (const f of state.failed) if (!rejected.has(f.postId)) await ctx.local.markFailed(f.postId, f.reason);
  if (rejected.size === 0) return;
  const tickets = [];
  for (const [postId, reason] of rejected) {
    ctx.logger.error('post failed: elasticsearch rejected its documents', { postId, reason });
    await ctx.local.markFailed(postId, reason);
    tickets.push(await ctx.writer.add({ op: 'update', index: ctx.index.posts, id: postId, doc: { post_id: postId, status: 'failed', error: reason.slice(0, 2_000) } }));
  }
  await ctx.writer.flush();
  // Best effort: the local store holds the failure either way.
  await Promise.all(tickets.map((t) => t.done));
};
