/**
 * How a report, a post's fake risk and a post's text change an incident document, and how a story
 * grows by a member: the same rules as the SQLite store (`store/sqlite/dedup.ts`), as pure
 * functions, so that a write refused because someone else changed the document (409) is redone by
 * applying the same operations to the fresh document.
 */
import type { FakeAssessment, IncidentStatus, IsoDateTime } from '../../core/types.js';
import type { IncidentReport, ReportRef, StoryMember } from '../contract.js';
import { MAX_PLACE_KEYS } from '../dedup-limits.js';
import { detailOf, openedIncident, type RebuiltIncident } from '../incident-rebuild.js';
import { maxUrgency, mergeFacts } from '../merge.js';
import { encodeSignature, type IncidentDoc, reportKeyOf, type ReportDoc, type StoryDoc } from './docs.js';
import { MAX_SEARCHABLE_POSTS } from './limits.js';

export type IncidentOp =
  | { readonly kind: 'report'; readonly report: IncidentReport }
  | { readonly kind: 'fake'; readonly postId: string; readonly fake: FakeAssessment }
  | { readonly kind: 'text'; readonly postId: string; readonly text: string };

/** The last status an analyst set on an incident, which a rebuilt incident takes back. */
export interface LastDecision {
  readonly status: IncidentStatus;
  readonly at: IsoDateTime;
}

const unique = (values: Iterable<string>): string[] => [...new Set(values)];

export const reportDoc = (report: IncidentReport): ReportDoc => ({
  post_id: report.postId,
  problem_index: report.problemIndex,
  incident_id: report.incidentId,
  source: report.source,
  seen_at: report.seenAt,
  detail: detailOf(report),
  signature: encodeSignature(report.signature),
});

export const hasReport = (doc: IncidentDoc | null, postId: string, problemIndex: number): boolean =>
  doc !== null && doc.report_keys.includes(reportKeyOf(postId, problemIndex));

const applyReport = (doc: IncidentDoc | null, report: IncidentReport, decided: LastDecision | null): IncidentDoc => {
  // `radar reprocess` rebuilds incidents with the same ids: analysts' decisions come back with them.
  if (!doc) return incidentDoc(openedIncident(report, decided?.status ?? 'open'), [report], new Map());
  const key = reportKeyOf(report.postId, report.problemIndex);
  if (doc.report_keys.includes(key)) return doc;
  const newPost = !doc.post_ids.includes(report.postId);
  return {
    ...doc,
    // A report published after the problem was marked resolved means it is back: reopen instead of
    // spawning a twin. Reports from before the decision (replayed by `radar reprocess`) do not.
    status: doc.status === 'resolved' && report.seenAt > (decided?.at ?? '') ? 'open' : doc.status,
    urgency: maxUrgency(doc.urgency, report.urgency),
    municipality: doc.municipality ?? report.municipality,
    address: doc.address ?? report.address,
    location: doc.location ?? report.location,
    first_seen: report.seenAt < doc.first_seen ? report.seenAt : doc.first_seen,
    last_seen: report.seenAt > doc.last_seen ? report.seenAt : doc.last_seen,
    report_count: doc.report_count + (newPost ? 1 : 0),
    sources: doc.sources.includes(report.source) ? doc.sources : [...doc.sources, report.source],
    facts: mergeFacts(doc.facts, report.facts),
    place_keys: unique([...doc.place_keys, ...report.placeKeys]).slice(0, MAX_PLACE_KEYS),
    keys: unique([...doc.keys, ...report.placeKeys]),
    report_keys: [...doc.report_keys, key],
    post_ids: newPost ? [...doc.post_ids, report.postId] : doc.post_ids,
  };
};

/** The searchable text of a post of the incident (its clean text), while there is room. */
const applyText = (doc: IncidentDoc, postId: string, text: string): IncidentDoc => {
  const at = doc.posts.findIndex((p) => p.post_id === postId);
  if (at >= 0) return { ...doc, posts: doc.posts.map((p, i) => (i === at ? { post_id: postId, text } : p)) };
  if (doc.posts.length >= MAX_SEARCHABLE_POSTS) return doc;
  return { ...doc, posts: [...doc.posts, { post_id: postId, text }] };
};

/** The riskiest report sets the incident's risk. */
const applyFake = (doc: IncidentDoc, fake: FakeAssessment): IncidentDoc => (fake.score > doc.fake_score ? { ...doc, fake, fake_score: fake.score } : doc);

export const postOfOp = (op: IncidentOp): string => (op.kind === 'report' ? op.report.postId : op.postId);

export const applyIncidentOp = (doc: IncidentDoc | null, op: IncidentOp, decided: LastDecision | null): IncidentDoc | null => {
  switch (op.kind) {
    case 'report':
      return applyReport(doc, op.report, decided);
    case 'fake':
      return doc && applyFake(doc, op.fake);
    case 'text':
      return doc && (doc.post_ids.includes(op.postId) ? applyText(doc, op.postId, op.text) : doc);
  }
};

export const applyMember = (doc: StoryDoc | null, member: StoryMember): StoryDoc => {
  if (!doc) return { id: member.storyId, size: 1, sources: [member.source], first_seen: member.seenAt, last_seen: member.seenAt, post_ids: [member.postId] };
  if (doc.post_ids.includes(member.postId)) return doc;
  return {
    ...doc,
    size: doc.size + 1,
    sources: doc.sources.includes(member.source) ? doc.sources : [...doc.sources, member.source],
    first_seen: member.seenAt < doc.first_seen ? member.seenAt : doc.first_seen,
    last_seen: member.seenAt > doc.last_seen ? member.seenAt : doc.last_seen,
    post_ids: [...doc.post_ids, member.postId],
  };
};

/** An incident document as a whole: opened by its first report, or recomputed from its reports by an analyst's edit. */
export const incidentDoc = (incident: RebuiltIncident, reports: readonly ReportRef[], texts: ReadonlyMap<string, string>): IncidentDoc => {
  const postIds = unique(reports.map((r) => r.postId));
  return {
    id: incident.id,
    title: incident.title,
    category: incident.category,
    status: incident.status,
    urgency: incident.urgency,
    municipality: incident.municipality,
    address: incident.address,
    location: incident.location,
    first_seen: incident.firstSeen,
    last_seen: incident.lastSeen,
    report_count: incident.reportCount,
    sources: [...incident.sources],
    facts: incident.facts,
    fake: incident.fakeRisk,
    fake_score: incident.fakeRisk.score,
    signature: encodeSignature(incident.signature),
    place_keys: [...incident.placeKeys],
    keys: [...incident.allPlaceKeys],
    report_keys: reports.map((r) => reportKeyOf(r.postId, r.problemIndex)),
    post_ids: postIds,
    posts: postIds.flatMap((id) => {
      const text = texts.get(id);
      return text === undefined ? [] : [{ post_id: id, text }];
    }).slice(0, MAX_SEARCHABLE_POSTS),
  };
};
