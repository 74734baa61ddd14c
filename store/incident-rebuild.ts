/**
 * An incident recomputed from its reports, for analysts' merges and splits: the aggregates that
 * `addIncidentReport` grows one report at a time cannot be taken apart again, so an edited incident
 * is rebuilt from what each of its reports brought. Shared by the backends so both give one answer.
 */
import type { Facts, FakeAssessment, GeoPoint, IncidentStatus, IsoDateTime, Urgency } from '../core/types.js';
import { emptyFacts } from '../core/types.js';
import { MAX_PLACE_KEYS } from './dedup-limits.js';
import { maxUrgency, mergeFacts, noFakeRisk } from './merge.js';

/** What one report brought to its incident. */
export interface ReportDetail {
  readonly category: string;
  readonly title: string;
  readonly urgency: Urgency;
  readonly municipality: string | null;
  readonly address: string | null;
  readonly location: GeoPoint | null;
  /** Every place key of the report, uncapped, like the candidate index. */
  readonly placeKeys: readonly string[];
  readonly facts: Facts;
}

export interface ReportData {
  readonly postId: string;
  readonly problemIndex: number;
  readonly source: string;
  readonly seenAt: IsoDateTime;
  readonly detail: ReportDetail;
  readonly signature: Uint32Array;
}

/** What an incident keeps through an edit: a merge target keeps what the analyst saw; a split half keeps only its status. */
export interface IncidentIdentity {
  readonly title: string;
  readonly category: string;
  readonly signature: Uint32Array;
  readonly municipality: string | null;
  readonly address: string | null;
  readonly location: GeoPoint | null;
}

export interface RebuiltIncident {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly status: IncidentStatus;
  readonly urgency: Urgency;
  readonly municipality: string | null;
  readonly address: string | null;
  readonly location: GeoPoint | null;
  readonly firstSeen: IsoDateTime;
  readonly lastSeen: IsoDateTime;
  readonly reportCount: number;
  readonly sources: readonly string[];
  readonly facts: Facts;
  readonly fakeRisk: FakeAssessment;
  readonly signature: Uint32Array;
  /** Capped at MAX_PLACE_KEYS, as stored on the incident. */
  readonly placeKeys: readonly string[];
  /** Every key, for the candidate index. */
  readonly allPlaceKeys: readonly string[];
}

/** Oldest first; the report key breaks ties so that both backends pick the same first report. */
export const byReportTime = (a: ReportData, b: ReportData): number =>
  a.seenAt < b.seenAt ? -1 : a.seenAt > b.seenAt ? 1 : a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : a.problemIndex - b.problemIndex;

/**
 * `reports` must not be empty. `fakes` are the fake-risk assessments of the reports' posts: the
 * riskiest one is the incident's, as when reports arrive one by one.
 */
export const rebuildIncident = (
  id: string,
  status: IncidentStatus,
  reports: readonly ReportData[],
  fakes: readonly FakeAssessment[],
  identity: IncidentIdentity | null,
): RebuiltIncident => {
  const ordered = [...reports].sort(byReportTime);
  const first = ordered[0];
  if (!first) throw new Error(`rebuildIncident: expected at least one report for ${id}, got none`);
  let urgency = first.detail.urgency;
  let facts = emptyFacts();
  const sources: string[] = [];
  const posts = new Set<string>();
  const keys = new Set<string>();
  for (const report of ordered) {
    urgency = maxUrgency(urgency, report.detail.urgency);
    facts = mergeFacts(facts, report.detail.facts);
    if (!sources.includes(report.source)) sources.push(report.source);
    posts.add(report.postId);
    for (const key of report.detail.placeKeys) keys.add(key);
  }
  const firstOf = <T>(pick: (d: ReportDetail) => T | null): T | null => {
    for (const report of ordered) {
      const value = pick(report.detail);
      if (value !== null) return value;
    }
    return null;
  };
  let fakeRisk = noFakeRisk;
  // Strictly greater, as the pipeline's update: a zero score leaves "no risk" in place.
  for (const fake of fakes) if (fake.score > fakeRisk.score) fakeRisk = fake;
  const allPlaceKeys = [...keys];
  return {
    id,
    title: identity?.title ?? first.detail.title,
    category: identity?.category ?? first.detail.category,
    status,
    urgency,
    municipality: identity?.municipality ?? firstOf((d) => d.municipality),
    address: identity?.address ?? firstOf((d) => d.address),
    location: identity?.location ?? firstOf((d) => d.location),
    firstSeen: first.seenAt,
    lastSeen: (ordered.at(-1) as ReportData).seenAt,
    reportCount: posts.size,
    sources,
    facts,
    fakeRisk,
    signature: identity?.signature ?? first.signature,
    placeKeys: allPlaceKeys.slice(0, MAX_PLACE_KEYS),
    allPlaceKeys,
  };
};
