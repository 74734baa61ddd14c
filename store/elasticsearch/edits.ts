/**
 * Analysts' merges and splits, with the SQLite store's rules (`store/sqlite/incident-edits.ts`):
 * reports move, the incidents involved are recomputed from their reports (`incident-rebuild.ts`),
 * every report placed is pinned (pins survive `radar reprocess`), merged-away ids redirect, and the
 * decision is recorded in each incident's history. Elasticsearch has no transaction across
 * documents, so the writes are ordered for a safe retry: the incident that receives reports is
 * written first, conditionally on the version read, and a conflict with a concurrent write starts
 * the edit over; incidents are deleted last, also conditionally.
 */
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { FakeAssessment, Incident, IsoDateTime, Problem } from '../../core/types.js';
import type { ReportRef, SplitResult } from '../contract.js';
import { foreignReportError, noMergeSourcesError, noSplitReportsError, planSplit, relabelledProblems, selfMergeError } from '../incident-edit-rules.js';
import { type IncidentIdentity, rebuildIncident, type ReportData } from '../incident-rebuild.js';
import { type BulkOperation, linesOf } from './bulk-writer.js';
import { type EsContext, getDocs, search } from './context.js';
import { candidateEntry, decodeSignature, encodeSignature, type IncidentDoc, parsePostDoc, parseWith, reportDocSchema, reportKeyOf, toIncident, toReportData } from './docs.js';
import { lastDecisions } from './dedup-writes.js';
import { decisionDoc, type DecisionFields } from './editorial.js';
import { attempt, describeErrorBody, failureError, kindOfStatus, StoreRejectedError } from './errors.js';
import { resolveIncident } from './feed.js';
import { incidentDoc } from './incident-docs.js';

const EDIT_ROUNDS = 3;

const identityOf = (doc: IncidentDoc): IncidentIdentity => ({
  title: doc.title,
  category: doc.category,
  signature: decodeSignature(doc.signature),
  municipality: doc.municipality,
  address: doc.address,
  location: doc.location,
});

/** The reports of an incident with what each brought; a lost report document falls back to the incident's values. */
const reportsOf = async (ctx: EsContext, doc: IncidentDoc): Promise<ReportData[]> => {
  const found = await getDocs(ctx.client, doc.report_keys.map((id) => ({ index: ctx.index.reports, id })), 'reading reports');
  return doc.report_keys.map((key, i) => {
    const got = found[i];
    if (got) return toReportData(parseWith(reportDocSchema, 'report', key, got.source));
    const at = key.lastIndexOf('#');
    return {
      postId: key.slice(0, at),
      problemIndex: Number(key.slice(at + 1)),
      source: doc.sources[0] ?? '',
      seenAt: doc.first_seen,
      detail: { category: doc.category, title: doc.title, urgency: doc.urgency, municipality: doc.municipality, address: doc.address, location: doc.location, placeKeys: doc.keys, facts: doc.facts },
      signature: decodeSignature(doc.signature),
    };
  });
};

interface PostsInfo {
  readonly fakes: ReadonlyMap<string, FakeAssessment>;
  readonly texts: ReadonlyMap<string, string>;
  readonly problems: ReadonlyMap<string, readonly Problem[]>;
}

const postsInfo = async (ctx: EsContext, reports: readonly ReportData[]): Promise<PostsInfo> => {
  const ids = [...new Set(reports.map((r) => r.postId))];
  const found = await getDocs(ctx.client, ids.map((id) => ({ index: ctx.index.posts, id })), 'reading posts');
  const fakes = new Map<string, FakeAssessment>();
  const texts = new Map<string, string>();
  const problems = new Map<string, readonly Problem[]>();
  ids.forEach((id, i) => {
    const analysis = found[i] ? parsePostDoc(id, found[i]?.source).analysis : undefined;
    if (!analysis) return;
    fakes.set(id, analysis.fake);
    texts.set(id, analysis.clean_text);
    problems.set(id, analysis.problems);
  });
  return { fakes, texts, problems };
};

const fakesOf = (info: PostsInfo, reports: readonly ReportData[]): FakeAssessment[] =>
  [...new Set(reports.map((r) => r.postId))].flatMap((id) => {
    const fake = info.fakes.get(id);
    return fake ? [fake] : [];
  });

/** Moves reports to an incident and pins them there. */
const placeOps = (ctx: EsContext, incidentId: string, reports: readonly ReportData[]): BulkOperation[] =>
  reports.flatMap((r): BulkOperation[] => {
    const key = reportKeyOf(r.postId, r.problemIndex);
    return [
      { op: 'update', index: ctx.index.reports, id: key, doc: { post_id: r.postId, problem_index: r.problemIndex, incident_id: incidentId, source: r.source, seen_at: r.seenAt, detail: r.detail, signature: encodeSignature(r.signature) } },
      { op: 'index', index: ctx.index.pins, id: key, doc: { post_id: r.postId, problem_index: r.problemIndex, incident_id: incidentId } },
    ];
  });

/** Points the posts' problems at their new incident, so that post views agree with the incident's. */
const relabelOps = (ctx: EsContext, incidentId: string, reports: readonly ReportData[], info: PostsInfo): BulkOperation[] =>
  relabelledProblems(reports, incidentId, (postId) => info.problems.get(postId)).map(([postId, relabelled]): BulkOperation => {
    const incidentIds = [...new Set(relabelled.flatMap((p) => (p.incidentId ? [p.incidentId] : [])))];
    return { op: 'update', index: ctx.index.posts, id: postId, doc: { analysis: { problems: relabelled, incident_ids: incidentIds } } };
  });

const decisionOps = (ctx: EsContext, incidentIds: readonly string[], decision: DecisionFields): BulkOperation[] =>
  incidentIds.map((id) => {
    const doc = decisionDoc(id, decision);
    return { op: 'index', index: ctx.index.decisions, id: `${decision.kind}:${doc.seq}`, doc };
  });

/** Writes that must all land; a conflict (409) is returned for the caller to start over. */
const write = async (ctx: EsContext, ops: readonly BulkOperation[], action: string): Promise<'ok' | 'conflict'> => {
  if (ops.length === 0) return 'ok';
  const response = await attempt(action, () => ctx.client.bulk({ operations: ops.flatMap(linesOf), refresh: ctx.editorialRefresh }));
  let conflict = false;
  for (const [i, item] of response.items.entries()) {
    const result = Object.values(item)[0];
    const op = ops[i] as BulkOperation;
    if (!result || result.status < 300 || (op.op === 'delete' && result.status === 404)) continue;
    const kind = kindOfStatus(result.status);
    if (kind === 'conflict') conflict = true;
    else throw failureError({ kind, status: result.status, detail: `${result.status} ${describeErrorBody({ error: result.error })}` }, `${action}: ${op.index}/${op.id}`);
  }
  return conflict ? 'conflict' : 'ok';
};

const versioned = (op: BulkOperation & { op: 'index' }, seqNo: number | null, primaryTerm: number | null): BulkOperation =>
  seqNo === null || primaryTerm === null ? op : { ...op, ifSeqNo: seqNo, ifPrimaryTerm: primaryTerm };

const uniqueReports = (reports: readonly ReportData[]): ReportData[] => [...new Map(reports.map((r) => [reportKeyOf(r.postId, r.problemIndex), r])).values()];

const mergeOnce = async (ctx: EsContext, targetId: string, sourceIds: readonly string[], note: string | null, at: IsoDateTime, retrying: boolean): Promise<Incident | 'retry'> => {
  const target = await resolveIncident(ctx, targetId);
  if (!target) throw new NotFoundError(`Incident ${JSON.stringify(targetId)} not found`);
  if (sourceIds.length === 0) throw noMergeSourcesError();
  const sources = new Map<string, NonNullable<Awaited<ReturnType<typeof resolveIncident>>>>();
  for (const [i, id] of sourceIds.entries()) {
    if (id === targetId || id === target.doc.id) throw selfMergeError(id, i, target.doc.id);
    const source = await resolveIncident(ctx, id);
    if (!source) throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
    if (source.doc.id === target.doc.id) {
      // A retry finds the sources the interrupted attempt already merged.
      if (retrying) continue;
      throw new ConflictError(`Incident ${JSON.stringify(id)} was already merged into ${target.doc.id}`);
    }
    sources.set(source.doc.id, source);
  }
  const moved = (await Promise.all([...sources.values()].map((s) => reportsOf(ctx, s.doc)))).flat();
  const all = uniqueReports([...(await reportsOf(ctx, target.doc)), ...moved]);
  const info = await postsInfo(ctx, all);
  const rebuilt = rebuildIncident(target.doc.id, target.doc.status, all, fakesOf(info, all), identityOf(target.doc));
  const doc = incidentDoc(rebuilt, all, info.texts);
  if ((await write(ctx, [versioned({ op: 'index', index: ctx.index.incidents, id: doc.id, doc }, target.seqNo, target.primaryTerm)], 'merging incidents')) === 'conflict') return 'retry';
  const sourceList = [...sources.keys()];
  const pointingAtSources = await search(
    ctx.client,
    { index: ctx.index.redirects, size: 10_000, query: { bool: { filter: [{ terms: { to_id: sourceList } }] } } },
    'reading merge redirects',
  );
  await write(
    ctx,
    [
      ...placeOps(ctx, doc.id, all),
      ...relabelOps(ctx, doc.id, moved, info),
      // Flattened: every old id points at a live incident, one hop away.
      ...pointingAtSources.map((hit): BulkOperation => ({ op: 'update', index: ctx.index.redirects, id: hit.id, doc: { to_id: doc.id } })),
      ...sourceList.map((id): BulkOperation => ({ op: 'index', index: ctx.index.redirects, id, doc: { from_id: id, to_id: doc.id, at } })),
    ],
    'merging incidents',
  );
  // Last, and only if unchanged since read: a source that took a new report meanwhile is merged again.
  const deleted = await write(
    ctx,
    [...sources.values()].map((src): BulkOperation => ({ op: 'delete', index: ctx.index.incidents, id: src.doc.id, ...(src.seqNo === null || src.primaryTerm === null ? {} : { ifSeqNo: src.seqNo, ifPrimaryTerm: src.primaryTerm }) })),
    'deleting merged incidents',
  );
  for (const id of sourceList) ctx.recent.deleteIncident(id);
  ctx.recent.putIncident(candidateEntry(doc));
  if (deleted === 'conflict') return 'retry';
  await write(ctx, decisionOps(ctx, [doc.id, ...sourceList], { kind: 'merge', status: null, fromIds: sourceList, toId: doc.id, reports: [], note, at }), 'recording a merge');
  return toIncident(doc);
};

export const mergeIncidents = async (ctx: EsContext, targetId: string, sourceIds: readonly string[], note: string | null, at: IsoDateTime): Promise<Incident> => {
  for (let round = 1; ; round++) {
    const result = await mergeOnce(ctx, targetId, sourceIds, note, at, round > 1);
    if (result !== 'retry') return result;
    if (round >= EDIT_ROUNDS) throw new StoreRejectedError(`Merging into ${targetId} kept conflicting with concurrent changes of the incidents; try again.`);
  }
};

const splitOnce = async (ctx: EsContext, id: string, refs: readonly ReportRef[], note: string | null, at: IsoDateTime): Promise<SplitResult | 'retry'> => {
  const original = await resolveIncident(ctx, id);
  if (!original) throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
  if (refs.length === 0) throw noSplitReportsError();
  const doc = original.doc;
  const strays = refs.filter((ref) => !doc.report_keys.includes(reportKeyOf(ref.postId, ref.problemIndex)));
  if (strays.length > 0) {
    const stray = strays[0] as ReportRef;
    const [owned] = await getDocs(ctx.client, [{ index: ctx.index.reports, id: reportKeyOf(stray.postId, stray.problemIndex) }], 'reading a report');
    const owner = owned ? parseWith(reportDocSchema, 'report', reportKeyOf(stray.postId, stray.problemIndex), owned.source).incident_id : undefined;
    throw foreignReportError(doc.id, stray, refs.indexOf(stray), owner);
  }
  const reports = await reportsOf(ctx, doc);
  const { moving, staying, createdId } = planSplit(doc.id, reports, refs);
  const [existing] = await getDocs(ctx.client, [{ index: ctx.index.incidents, id: createdId }], 'reading an incident');
  if (existing) throw new ConflictError(`Incident ${createdId}, the split of these reports, exists already`);
  const info = await postsInfo(ctx, reports);
  const decided = (await lastDecisions(ctx, [createdId])).get(createdId)?.status ?? 'open';
  const created = incidentDoc(rebuildIncident(createdId, decided, moving, fakesOf(info, moving), null), moving, info.texts);
  const kept = incidentDoc(rebuildIncident(doc.id, doc.status, staying, fakesOf(info, staying), null), staying, info.texts);
  // The original shrinks first, on the version read; the new incident can then only add what left it.
  if ((await write(ctx, [versioned({ op: 'index', index: ctx.index.incidents, id: kept.id, doc: kept }, original.seqNo, original.primaryTerm)], 'splitting an incident')) === 'conflict') return 'retry';
  await write(
    ctx,
    [
      { op: 'index', index: ctx.index.incidents, id: created.id, doc: created },
      // The same split made again after merging it back revives the id: it no longer redirects.
      { op: 'delete', index: ctx.index.redirects, id: createdId },
      ...placeOps(ctx, createdId, moving),
      ...placeOps(ctx, doc.id, staying),
      ...relabelOps(ctx, createdId, moving, info),
      ...decisionOps(ctx, [doc.id, createdId], { kind: 'split', status: null, fromIds: [doc.id], toId: createdId, reports: moving.map((r) => ({ postId: r.postId, problemIndex: r.problemIndex })), note, at }),
    ],
    'splitting an incident',
  );
  ctx.recent.putIncident(candidateEntry(kept));
  ctx.recent.putIncident(candidateEntry(created));
  return { original: toIncident(kept), created: toIncident(created) };
};

export const splitIncident = async (ctx: EsContext, id: string, refs: readonly ReportRef[], note: string | null, at: IsoDateTime): Promise<SplitResult> => {
  for (let round = 1; ; round++) {
    const result = await splitOnce(ctx, id, refs, note, at);
    if (result !== 'retry') return result;
    if (round >= EDIT_ROUNDS) throw new StoreRejectedError(`Splitting ${id} kept conflicting with concurrent changes of the incident; try again.`);
  }
};
