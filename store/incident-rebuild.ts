/**
 * An incident recomputed from its reports, for analysts' merges and splits: the aggregates that
 * `addIncidentReport` grows one report at a time cannot be taken apart again, so an edited incident
 * is rebuilt from what each of its reports brought. Shared by the backends so both give one answer.
 */
import type { FakeAssessment, Incident, IncidentStatus } from '../core/types.js';
import { emptyFacts } from '../core/types.js';
import type { IncidentReport } from './contract.js';
import { MAX_PLACE_KEYS } from './dedup-limits.js';
import { maxUrgency, mergeFacts, noFakeRisk } from './merge.js';

/** What one report brought to its incident; `placeKeys` are every place key of the report, uncapped, like the candidate index. */
export type ReportDetail = Pick<IncidentReport, 'category' | 'title' | 'urgency' | 'municipality' | 'address' | 'location' | 'placeKeys' | 'facts'>;

export interface ReportData extends Pick<IncidentReport, 'postId' | 'problemIndex' | 'source' | 'seenAt' | 'signature'> {
  readonly detail: ReportDetail;
}

export interface RebuiltIncident extends Incident {
  readonly signature: Uint32Array;
  /** Capped at MAX_PLACE_KEYS, as stored on the incident. */
  readonly placeKeys: readonly string[];
  /** Every key, for the candidate index. */
  readonly allPlaceKeys: readonly string[];
}

/** What an incident keeps through an edit: a merge target keeps what the analyst saw; a split half keeps only its status. */
export type IncidentIdentity = Pick<RebuiltIncident, 'title' | 'category' | 'signature' | 'municipality' | 'address' | 'location'>;

/** Kept with each report so that an analyst's split can recompute both halves. */
export const detailOf = (report: IncidentReport): ReportDetail => ({
  category: report.category,
  title: report.title,
  urgency: report.urgency,
  municipality: report.municipality,
  address: report.address,
  location: report.location,
  placeKeys: report.placeKeys,
  facts: report.facts,
});

/**
 * The incident a first report opens, before any other report or fake-risk assessment joins it.
 * Taken as is rather than through `rebuildIncident`: merging the report's facts into empty ones
 * would drop repeated and surplus facts that a new incident keeps.
 */
export const openedIncident = (report: IncidentReport, status: IncidentStatus): RebuiltIncident => ({
  id: report.incidentId,
  title: report.title,
  category: report.category,
  status,
  urgency: report.urgency,
  municipality: report.municipality,
  address: report.address,
  location: report.location,
  firstSeen: report.seenAt,
  lastSeen: report.seenAt,
  reportCount: 1,
  sources: [report.source],
  facts: report.facts,
  fakeRisk: noFakeRisk,
  signature: report.signature,
  placeKeys: report.placeKeys.slice(0, MAX_PLACE_KEYS),
  allPlaceKeys: [...new Set(report.placeKeys)],
});

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
