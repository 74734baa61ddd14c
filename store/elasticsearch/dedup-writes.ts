/**
 * The pipeline's writes inside a batch: story members, incident reports, analyses and failures.
 * Each reads the documents it changes by id (real-time gets, so a write acknowledged a moment ago
 * is seen) and records the change in the batch state; nothing reaches the cluster before commit.
 */
import type { PostAnalysis } from '../../core/types.js';
import type { IncidentReport, StoryMember, StoryStats } from '../contract.js';
import type { BatchState, TrackedIncident, TrackedStory } from './batch-state.js';
import { type EsContext, getDocs } from './context.js';
import { attempt, StoreRejectedError } from './errors.js';
import { analysisDoc, encodeSignature, parseIncidentDoc, parsePostDoc, parseWith, postFields, reportDocSchema, reportKeyOf, storyDocSchema, toStoryStats } from './docs.js';
import { applyIncidentOp, applyMember, hasReport, type IncidentOp, type LastDecision, postOfOp, reportDoc } from './incident-docs.js';

const MAX_ERROR_CHARS = 2_000;

/** The last status an analyst set on each incident (status decisions only, as the SQLite store). */
export const lastDecisions = async (ctx: EsContext, ids: readonly string[]): Promise<Map<string, LastDecision>> => {
  const out = new Map<string, LastDecision>();
  if (ids.length === 0) return out;
  const response = await attempt("reading analysts' decisions", () =>
    ctx.client.msearch<{ status: LastDecision['status']; at: string }>({
      index: ctx.index.decisions,
      searches: ids.flatMap((id) => [
        {},
        { size: 1, query: { bool: { filter: [{ term: { incident_id: id } }, { term: { kind: 'status' } }] } }, sort: [{ seq: 'desc' }], _source: ['status', 'at'] },
      ]),
    }),
  );
  response.responses.forEach((item, i) => {
    if ('error' in item) throw new StoreRejectedError(`Elasticsearch refused to read analysts' decisions: ${item.error.type}: ${item.error.reason ?? ''}`);
    const hit = item.hits.hits[0]?._source;
    if (hit) out.set(ids[i] as string, { status: hit.status, at: hit.at });
  });
  return out;
};

/** Loads the incidents not tracked yet, with the decisions their rules need. */
export const trackIncidents = async (ctx: EsContext, state: BatchState, ids: readonly string[]): Promise<void> => {
  const missing = [...new Set(ids)].filter((id) => !state.incidents.has(id));
  if (missing.length === 0) return;
  const found = await getDocs(ctx.client, missing.map((id) => ({ index: ctx.index.incidents, id })), 'reading incidents');
  missing.forEach((id, i) => {
    const got = found[i];
    state.incidents.set(id, {
      id,
      doc: got ? parseIncidentDoc(id, got.source) : null,
      seqNo: got?.seqNo ?? null,
      primaryTerm: got?.primaryTerm ?? null,
      ops: [],
      decided: undefined,
      posts: new Set(),
      dirty: false,
    });
  });
  await loadDecisions(ctx, missing.map((id) => state.incidents.get(id) as TrackedIncident));
};

export const loadDecisions = async (ctx: EsContext, tracked: readonly TrackedIncident[]): Promise<void> => {
  const needed = tracked.filter((t) => t.decided === undefined && (t.doc === null || t.doc.status === 'resolved'));
  const decided = await lastDecisions(ctx, needed.map((t) => t.id));
  for (const t of needed) t.decided = decided.get(t.id) ?? null;
};

export const applyOp = (tracked: TrackedIncident, op: IncidentOp): void => {
  const before = tracked.doc;
  tracked.doc = applyIncidentOp(tracked.doc, op, tracked.decided ?? null);
  if (tracked.doc === before) return;
  tracked.ops.push(op);
  tracked.posts.add(postOfOp(op));
  tracked.dirty = true;
};

/** The raw fields of a post from the local store, when this process holds it. */
const localFields = async (ctx: EsContext, postId: string): Promise<Record<string, unknown>> => {
  const view = await ctx.local.getPost(postId);
  return view ? postFields(view.post) : {};
};

export const addToStory = async (ctx: EsContext, state: BatchState, member: StoryMember): Promise<StoryStats> => {
  const needPost = !state.members.has(member.postId);
  const needStory = !state.stories.has(member.storyId);
  if (needPost || needStory) {
    const requests = [...(needPost ? [{ index: ctx.index.posts, id: member.postId }] : []), ...(needStory ? [{ index: ctx.index.stories, id: member.storyId }] : [])];
    const found = await getDocs(ctx.client, requests, 'reading a story');
    if (needPost) {
      const got = found[0];
      state.members.set(member.postId, got ? (parsePostDoc(member.postId, got.source).story ?? null) : null);
    }
    if (needStory) {
      const got = found[needPost ? 1 : 0];
      state.stories.set(member.storyId, {
        id: member.storyId,
        doc: got ? parseWith(storyDocSchema, 'story', member.storyId, got.source) : null,
        seqNo: got?.seqNo ?? null,
        primaryTerm: got?.primaryTerm ?? null,
        members: [],
        posts: new Set(),
        dirty: false,
      });
    }
  }
  const story = state.stories.get(member.storyId) as TrackedStory;
  // A post belongs to one story, once: a replay after a failed write finds it there already.
  if (!state.members.get(member.postId) && !story.doc?.post_ids.includes(member.postId)) {
    story.doc = applyMember(story.doc, member);
    story.members.push(member);
    story.posts.add(member.postId);
    story.dirty = true;
  }
  if (!state.members.get(member.postId)) {
    const doc = {
      id: member.storyId,
      source: member.source,
      seen_at: member.seenAt,
      signature: encodeSignature(member.signature),
      semantic: member.semantic ? encodeSignature(member.semantic) : null,
      bands: [...member.bandKeys],
    };
    state.members.set(member.postId, doc);
    state.patchPost(member.postId, { ...(await localFields(ctx, member.postId)), story: doc });
  }
  return story.doc ? toStoryStats(story.doc) : { storyId: member.storyId, size: 0, sources: 0, firstSeen: member.seenAt, lastSeen: member.seenAt };
};

export const addIncidentReport = async (ctx: EsContext, state: BatchState, report: IncidentReport): Promise<void> => {
  const key = reportKeyOf(report.postId, report.problemIndex);
  if (state.reports.has(key)) return;
  const [[stored]] = await Promise.all([getDocs(ctx.client, [{ index: ctx.index.reports, id: key }], 'reading a report'), trackIncidents(ctx, state, [report.incidentId])]);
  // Attached once, wherever: the incident that holds the report in its keys is the authority (its
  // report document may have been written by a batch whose incident write then failed).
  if (stored) {
    const owner = parseWith(reportDocSchema, 'report', key, stored.source).incident_id;
    if (owner !== report.incidentId) {
      await trackIncidents(ctx, state, [owner]);
      if (hasReport(state.incidents.get(owner)?.doc ?? null, report.postId, report.problemIndex)) return;
    }
  }
  const tracked = state.incidents.get(report.incidentId) as TrackedIncident;
  if (hasReport(tracked.doc, report.postId, report.problemIndex)) {
    // Its report document was lost with a failed batch: an analyst's split needs it back.
    if (!stored) state.reports.set(key, reportDoc(report));
    return;
  }
  applyOp(tracked, { kind: 'report', report });
  state.reports.set(key, reportDoc(report));
};

export const saveAnalyses = async (ctx: EsContext, state: BatchState, analyses: readonly PostAnalysis[]): Promise<void> => {
  await trackIncidents(ctx, state, analyses.flatMap((a) => a.incidentIds));
  for (const a of analyses) {
    state.patchPost(a.postId, { ...(await localFields(ctx, a.postId)), status: 'processed', error: null, analysis: analysisDoc(a) });
    for (const id of new Set(a.incidentIds)) {
      const tracked = state.incidents.get(id) as TrackedIncident;
      applyOp(tracked, { kind: 'fake', postId: a.postId, fake: a.fake });
      applyOp(tracked, { kind: 'text', postId: a.postId, text: a.cleanText });
    }
    state.processed.push(a);
  }
};

export const markFailed = async (ctx: EsContext, state: BatchState, postId: string, reason: string): Promise<void> => {
  const error = reason.slice(0, MAX_ERROR_CHARS);
  state.patchPost(postId, { ...(await localFields(ctx, postId)), status: 'failed', error });
  state.failed.push({ postId, reason: error });
};
