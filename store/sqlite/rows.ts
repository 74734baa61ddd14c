/** Row shapes of the SQLite schema and their mapping to domain objects. */
import type { Facts, FakeAssessment, FlagStatus, GeoPoint, Incident, IncidentStatus, Platform, Post, PostStatus, Problem, Refutation, StoryFlag, Urgency } from '../../core/types.js';
import type { IncidentDecision, IncidentDecisionKind, SourceHealth, SourceState, StoredPostView } from '../contract.js';
import type { RebuiltIncident } from '../incident-rebuild.js';
import { signatureToBuffer } from '../merge.js';
import { nameKey } from './text-keys.js';

export interface PostRow {
  seq: number;
  id: string;
  source: string;
  external_id: string;
  text: string;
  author: string | null;
  url: string | null;
  published_at: string | null;
  collected_at: string;
  location: string | null;
  raw: string;
  status: PostStatus;
  error: string | null;
}

export interface AnalysisRow {
  is_problem: number | null;
  problems: string | null;
  facts: string | null;
  story_id: string | null;
  fake: string | null;
  analyzed_at: string | null;
}

export interface IncidentRow {
  id: string;
  title: string;
  category: string;
  status: IncidentStatus;
  urgency: Urgency;
  municipality: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  first_seen: string;
  last_seen: string;
  report_count: number;
  sources: string;
  facts: string;
  fake: string;
  fake_score: number;
  signature: Buffer;
  place_keys: string;
}

export const toPost = (row: PostRow): Post => ({
  id: row.id,
  source: row.source,
  externalId: row.external_id,
  text: row.text,
  author: row.author,
  url: row.url,
  publishedAt: row.published_at,
  collectedAt: row.collected_at,
  location: row.location === null ? null : (JSON.parse(row.location) as Post['location']),
  raw: JSON.parse(row.raw) as unknown,
});

export const toStoredPostView = (row: PostRow & AnalysisRow): StoredPostView => ({
  post: toPost(row),
  status: row.status,
  error: row.error,
  analysis:
    row.analyzed_at === null
      ? null
      : {
          isProblem: row.is_problem === 1,
          problems: JSON.parse(row.problems ?? '[]') as Problem[],
          facts: JSON.parse(row.facts ?? '{}') as Facts,
          storyId: row.story_id ?? '',
          fake: JSON.parse(row.fake ?? '{}') as FakeAssessment,
          analyzedAt: row.analyzed_at,
        },
});

export const locationOf = (row: Pick<IncidentRow, 'lat' | 'lon'>): GeoPoint | null => (row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon });

export const toIncident = (row: IncidentRow): Incident => ({
  id: row.id,
  title: row.title,
  category: row.category,
  status: row.status,
  urgency: row.urgency,
  municipality: row.municipality,
  address: row.address,
  location: locationOf(row),
  firstSeen: row.first_seen,
  lastSeen: row.last_seen,
  reportCount: row.report_count,
  sources: JSON.parse(row.sources) as string[],
  facts: JSON.parse(row.facts) as Facts,
  fakeRisk: JSON.parse(row.fake) as FakeAssessment,
});

/** The named parameters of a whole incident row, for the statements that write one: one mapping, so a new incident and an edited one are stored alike. */
export const incidentParams = (incident: Omit<RebuiltIncident, 'allPlaceKeys'>) => ({
  id: incident.id,
  title: incident.title,
  category: incident.category,
  status: incident.status,
  urgency: incident.urgency,
  municipality: incident.municipality,
  municipalityKey: nameKey(incident.municipality),
  address: incident.address,
  lat: incident.location?.lat ?? null,
  lon: incident.location?.lon ?? null,
  firstSeen: incident.firstSeen,
  lastSeen: incident.lastSeen,
  reportCount: incident.reportCount,
  sources: JSON.stringify(incident.sources),
  facts: JSON.stringify(incident.facts),
  fake: JSON.stringify(incident.fakeRisk),
  fakeScore: incident.fakeRisk.score,
  signature: signatureToBuffer(incident.signature),
  placeKeys: JSON.stringify(incident.placeKeys),
});

export interface SourceStateRow {
  source_id: string;
  type: string;
  cursor: string | null;
  health: SourceHealth;
  last_run_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_at: string | null;
  consecutive_failures: number;
  posts_collected: number;
  newest_post_at: string | null;
}

export const toSourceState = (row: SourceStateRow): SourceState => ({
  sourceId: row.source_id,
  type: row.type,
  cursor: row.cursor === null ? null : (JSON.parse(row.cursor) as unknown),
  health: row.health,
  lastRunAt: row.last_run_at,
  lastSuccessAt: row.last_success_at,
  lastError: row.last_error,
  lastErrorCode: row.last_error_code,
  lastErrorAt: row.last_error_at,
  consecutiveFailures: row.consecutive_failures,
  postsCollected: row.posts_collected,
  newestPostAt: row.newest_post_at,
});

export interface RefutationRow {
  id: string;
  claim: string;
  text: string | null;
  url: string;
  topic: string | null;
  published_at: string | null;
  created_at: string;
  signature: Buffer;
}

export const toRefutation = (row: RefutationRow): Refutation => ({
  id: row.id,
  claim: row.claim,
  text: row.text,
  url: row.url,
  topic: row.topic,
  publishedAt: row.published_at,
  createdAt: row.created_at,
});

export interface FlagRow {
  story_id: string;
  platform: Platform;
  status: FlagStatus;
  reason: string;
  refutation_id: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  history: string;
}

export const toFlag = (row: FlagRow): StoryFlag => ({
  storyId: row.story_id,
  platform: row.platform,
  status: row.status,
  reason: row.reason,
  refutationId: row.refutation_id,
  note: row.note,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  history: JSON.parse(row.history) as StoryFlag['history'],
});

export interface ReportRow {
  post_id: string;
  problem_index: number;
  incident_id: string;
  source: string;
  seen_at: string;
  /** JSON ReportDetail; null on reports stored before schema version 6. */
  detail: string | null;
  signature: Buffer | null;
}

export interface DecisionRow {
  kind: IncidentDecisionKind;
  value: string;
  note: string | null;
  at: string;
}

/** The JSON `value` of a merge or split decision. */
export interface MoveValue {
  readonly from: readonly string[];
  readonly to: string;
  readonly reports: readonly (readonly [postId: string, problemIndex: number])[];
}

export const toDecision = (row: DecisionRow): IncidentDecision => {
  if (row.kind === 'status') return { kind: 'status', status: row.value as IncidentStatus, fromIds: [], toId: null, reports: [], note: row.note, at: row.at };
  const move = JSON.parse(row.value) as MoveValue;
  return {
    kind: row.kind,
    status: null,
    fromIds: move.from,
    toId: move.to,
    reports: move.reports.map(([postId, problemIndex]) => ({ postId, problemIndex })),
    note: row.note,
    at: row.at,
  };
};
