/**
 * People's work: analysts' status decisions and their history, editors' refutations and flags,
 * and the pins that analysts' merges and splits leave. These writes are few and are read right
 * after (the next API call shows them), so each waits for the refresh that makes it searchable.
 */
import { ConflictError } from '../../core/errors.js';
import type { FlagStatus, Incident, IncidentStatus, IsoDateTime, Platform, Refutation, StoryFlag } from '../../core/types.js';
import type { IncidentDecision, RefutationEntry } from '../contract.js';
import { type EsContext, getDocs, search } from './context.js';
import { decisionDocSchema, encodeSignature, flagDocSchema, parseIncidentDoc, parseWith, pinDocSchema, redirectDocSchema, refutationDocSchema, toDecision, toFlag, toIncident, toRefutation } from './docs.js';
import { attempt, classify, toStoreError } from './errors.js';

let lastSeq = 0;

/** Orders decisions made in the same millisecond by this process; `at` orders the rest. */
export const nextSeq = (): number => {
  lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
  return lastSeq;
};

export type DecisionFields = Omit<IncidentDecision, 'fromIds' | 'toId' | 'reports'> & Partial<Pick<IncidentDecision, 'fromIds' | 'toId' | 'reports'>>;

export const decisionDoc = (incidentId: string, d: DecisionFields) => ({
  incident_id: incidentId,
  kind: d.kind,
  status: d.status,
  from_ids: [...(d.fromIds ?? [])],
  to_id: d.toId ?? null,
  reports: (d.reports ?? []).map((r) => ({ post_id: r.postId, problem_index: r.problemIndex })),
  note: d.note,
  at: d.at,
  seq: nextSeq(),
});

export const setIncidentStatus = async (ctx: EsContext, id: string, status: IncidentStatus, note: string | null, at: IsoDateTime): Promise<Incident | null> => {
  const [found] = await getDocs(ctx.client, [{ index: ctx.index.incidents, id }], 'reading an incident');
  if (!found) return null;
  // The decision first: it is what `radar reprocess` replays, so it must not be the part that is lost.
  await attempt('recording a status decision', () =>
    ctx.client.index({ index: ctx.index.decisions, document: decisionDoc(id, { kind: 'status', status, note, at }), refresh: ctx.editorialRefresh }),
  );
  const updated = await attempt('setting an incident status', () =>
    ctx.client.update({ index: ctx.index.incidents, id, doc: { status }, retry_on_conflict: 3, refresh: ctx.editorialRefresh, _source: true }),
  );
  return toIncident(parseIncidentDoc(id, updated.get?._source ?? { ...(found.source as object), status }));
};

export const incidentHistory = async (ctx: EsContext, id: string): Promise<IncidentDecision[]> => {
  const hits = await search(
    ctx.client,
    { index: ctx.index.decisions, size: 10_000, query: { bool: { filter: [{ term: { incident_id: id } }] } }, sort: [{ seq: { order: 'asc' } }] },
    "reading an incident's history",
  );
  return hits.map((hit) => toDecision(parseWith(decisionDocSchema, 'decision', hit.id, hit.source)));
};

export const addRefutation = async (ctx: EsContext, entry: RefutationEntry): Promise<Refutation> => {
  const { refutation: r } = entry;
  try {
    await ctx.client.create({
      index: ctx.index.refutations,
      id: r.id,
      document: {
        id: r.id,
        claim: r.claim,
        text: r.text,
        url: r.url,
        topic: r.topic,
        published_at: r.publishedAt,
        created_at: r.createdAt,
        signature: encodeSignature(entry.signature),
        bands: [...new Set(entry.bandKeys)],
      },
      refresh: ctx.editorialRefresh,
    });
  } catch (error) {
    if (classify(error).kind === 'conflict') throw new ConflictError(`Refutation ${r.id} (the same claim and URL) is registered already`);
    throw toStoreError(error, 'registering a refutation');
  }
  return r;
};

export const getRefutation = async (ctx: EsContext, id: string): Promise<Refutation | null> => {
  const [found] = await getDocs(ctx.client, [{ index: ctx.index.refutations, id }], 'reading a refutation');
  return found ? toRefutation(parseWith(refutationDocSchema, 'refutation', id, found.source)) : null;
};

export const listRefutations = async (ctx: EsContext, limit: number): Promise<Refutation[]> => {
  const hits = await search(
    ctx.client,
    { index: ctx.index.refutations, size: limit, sort: [{ created_at: { order: 'desc' } }, { id: { order: 'desc' } }], _source: { excludes: ['bands', 'signature'] } },
    'listing refutations',
  );
  return hits.map((hit) => toRefutation(parseWith(refutationDocSchema.omit({ signature: true, bands: true }), 'refutation', hit.id, hit.source)));
};

const flagId = (storyId: string, platform: Platform): string => `${storyId}|${platform}`;

export const flagStory = async (
  ctx: EsContext,
  flag: { readonly storyId: string; readonly platform: Platform; readonly reason: string; readonly refutationId: string | null; readonly at: IsoDateTime },
): Promise<StoryFlag> => {
  const id = flagId(flag.storyId, flag.platform);
  const doc = {
    story_id: flag.storyId,
    platform: flag.platform,
    status: 'flagged' as const,
    reason: flag.reason,
    refutation_id: flag.refutationId,
    note: null,
    created_at: flag.at,
    updated_at: flag.at,
    history: [{ status: 'flagged' as const, at: flag.at, note: null }],
  };
  try {
    await ctx.client.create({ index: ctx.index.flags, id, document: doc, refresh: ctx.editorialRefresh });
    return toFlag(doc);
  } catch (error) {
    if (classify(error).kind !== 'conflict') throw toStoreError(error, 'flagging a story');
  }
  // An existing flag is returned unchanged.
  const [found] = await getDocs(ctx.client, [{ index: ctx.index.flags, id }], 'reading a flag');
  return toFlag(parseWith(flagDocSchema, 'flag', id, found?.source));
};

export const updateFlag = async (ctx: EsContext, storyId: string, platform: Platform, status: FlagStatus, note: string | null, at: IsoDateTime): Promise<StoryFlag | null> => {
  const id = flagId(storyId, platform);
  for (let round = 1; ; round++) {
    const [found] = await getDocs(ctx.client, [{ index: ctx.index.flags, id }], 'reading a flag');
    if (!found) return null;
    const current = parseWith(flagDocSchema, 'flag', id, found.source);
    const next = { ...current, status, note, updated_at: at, history: [...current.history, { status, at, note }] };
    try {
      await ctx.client.index({
        index: ctx.index.flags,
        id,
        document: next,
        if_seq_no: found.seqNo ?? undefined,
        if_primary_term: found.primaryTerm ?? undefined,
        refresh: ctx.editorialRefresh,
      });
      return toFlag(next);
    } catch (error) {
      // Two editors at once: apply this change on top of the other one.
      if (classify(error).kind !== 'conflict' || round >= 3) throw toStoreError(error, 'updating a flag');
    }
  }
};

export const storyFlags = async (ctx: EsContext, storyId: string): Promise<StoryFlag[]> => {
  const hits = await search(ctx.client, { index: ctx.index.flags, size: 100, query: { bool: { filter: [{ term: { story_id: storyId } }] } }, sort: [{ platform: { order: 'asc' } }] }, "reading a story's flags");
  return hits.map((hit) => toFlag(parseWith(flagDocSchema, 'flag', hit.id, hit.source)));
};

/** Problem index -> incident, for the problems of a post that analysts placed; redirects followed. */
export const incidentPins = async (ctx: EsContext, postId: string): Promise<Map<number, string>> => {
  const hits = await search(ctx.client, { index: ctx.index.pins, size: 1_000, query: { bool: { filter: [{ term: { post_id: postId } }] } } }, "reading a post's pins");
  const pins = hits.map((hit) => parseWith(pinDocSchema, 'pin', hit.id, hit.source));
  if (pins.length === 0) return new Map();
  const targets = [...new Set(pins.map((p) => p.incident_id))];
  const redirects = await getDocs(ctx.client, targets.map((id) => ({ index: ctx.index.redirects, id })), 'reading merge redirects');
  // Redirects are flattened on every merge, so one hop reaches a live incident.
  const live = new Map(targets.map((id, i) => [id, redirects[i] ? parseWith(redirectDocSchema, 'redirect', id, redirects[i]?.source).to_id : id]));
  return new Map(pins.map((p) => [p.problem_index, live.get(p.incident_id) ?? p.incident_id]));
};
