/**
 * Documents as stored in Elasticsearch (snake_case, like the SQLite columns) and their mapping to
 * domain objects. Every `_source` read back is parsed with zod: the cluster is an external system,
 * and a document written by another Radar version must fail with a message, not corrupt a view.
 */
import { z } from 'zod';
import type { Facts, FakeAssessment, Incident, Post, PostAnalysis, Problem, Refutation, StoryFlag } from '../../core/types.js';
import type { IncidentCandidate, IncidentDecision, SourceState, StoredPostView, StoryStats } from '../contract.js';
import type { ReportData, ReportDetail } from '../incident-rebuild.js';
import { bufferToSignature, signatureToBuffer } from '../merge.js';
import { StoreRejectedError } from './errors.js';

export const encodeSignature = (signature: Uint32Array): string => signatureToBuffer(signature).toString('base64');
export const decodeSignature = (base64: string): Uint32Array => bufferToSignature(Buffer.from(base64, 'base64'));

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
const point = z.object({ lat: z.number(), lon: z.number() });
/** Stored verbatim (`enabled: false` in the mapping): shape checked by the domain types that wrote it. */
const opaque = <T>() => z.custom<T>((value) => value !== undefined);

export const storyMemberSchema = z.object({
  id: z.string(),
  source: z.string(),
  seen_at: z.string(),
  signature: z.string(),
  semantic: nullable(z.string()),
  bands: z.array(z.string()).default([]),
});
export type StoryMemberDoc = z.infer<typeof storyMemberSchema>;

export const analysisSchema = z.object({
  clean_text: z.string(),
  is_problem: z.boolean(),
  problems: opaque<Problem[]>(),
  facts: opaque<Facts>(),
  story_id: z.string(),
  categories: z.array(z.string()).default([]),
  incident_ids: z.array(z.string()).default([]),
  fake: opaque<FakeAssessment>(),
  fake_score: z.number(),
  fake_level: z.string(),
  analyzed_at: z.string(),
});
export type AnalysisDoc = z.infer<typeof analysisSchema>;

/** A post document: its raw fields once the pipeline wrote them, its story membership and analysis. */
export const postDocSchema = z.object({
  post_id: z.string(),
  source: z.string().optional(),
  external_id: z.string().optional(),
  text: z.string().optional(),
  author: nullable(z.string()),
  url: nullable(z.string()),
  published_at: nullable(z.string()),
  collected_at: z.string().optional(),
  seen_at: z.string().optional(),
  location: nullable(point),
  location_address: nullable(z.string()),
  raw: z.unknown(),
  status: z.enum(['processed', 'failed']).optional(),
  error: nullable(z.string()),
  story: storyMemberSchema.optional(),
  analysis: analysisSchema.optional(),
});
export type PostDoc = z.input<typeof postDocSchema>;
type ParsedPostDoc = z.infer<typeof postDocSchema>;

/** The raw-post part of a post document. */
export const postFields = (post: Post) => ({
  post_id: post.id,
  source: post.source,
  external_id: post.externalId,
  text: post.text,
  author: post.author,
  url: post.url,
  published_at: post.publishedAt,
  collected_at: post.collectedAt,
  seen_at: post.publishedAt ?? post.collectedAt,
  location: post.location === null ? null : { lat: post.location.lat, lon: post.location.lon },
  location_address: post.location?.address ?? null,
  raw: post.raw ?? null,
});

export const analysisDoc = (a: PostAnalysis): AnalysisDoc => ({
  clean_text: a.cleanText,
  is_problem: a.isProblem,
  problems: [...a.problems],
  facts: a.facts,
  story_id: a.storyId,
  categories: [...new Set(a.problems.map((p) => p.category))],
  incident_ids: [...new Set(a.incidentIds)],
  fake: a.fake,
  fake_score: a.fake.score,
  fake_level: a.fake.level,
  analyzed_at: a.analyzedAt,
});

export const parseWith = <T extends z.ZodType>(schema: T, what: string, id: string, source: unknown): z.infer<T> => {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StoreRejectedError(`Elasticsearch ${what} ${id} does not have the expected shape: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
};

export const parsePostDoc = (id: string, source: unknown): ParsedPostDoc => parseWith(postDocSchema, 'post', id, source);

/** The post, when the document carries its raw fields (a post the pipeline has written). */
export const toPost = (doc: ParsedPostDoc): Post | null => {
  if (doc.source === undefined || doc.external_id === undefined || doc.text === undefined || doc.collected_at === undefined) return null;
  return {
    id: doc.post_id,
    source: doc.source,
    externalId: doc.external_id,
    text: doc.text,
    author: doc.author,
    url: doc.url,
    publishedAt: doc.published_at,
    collectedAt: doc.collected_at,
    location: doc.location === null ? null : { ...doc.location, ...(doc.location_address === null ? {} : { address: doc.location_address }) },
    raw: doc.raw ?? null,
  };
};

/** The view of a processed or failed post; null while the pipeline has not finished with it. */
export const toStoredPostView = (doc: ParsedPostDoc): StoredPostView | null => {
  const post = toPost(doc);
  if (!post || doc.status === undefined) return null;
  const a = doc.analysis;
  return {
    post,
    status: doc.status,
    error: doc.error,
    analysis: a
      ? { isProblem: a.is_problem, problems: a.problems, facts: a.facts, storyId: a.story_id, fake: a.fake, analyzedAt: a.analyzed_at }
      : null,
  };
};

export const incidentDocSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  status: z.enum(['open', 'in_progress', 'resolved', 'rejected']),
  urgency: z.enum(['low', 'medium', 'high']),
  municipality: nullable(z.string()),
  address: nullable(z.string()),
  location: nullable(point),
  first_seen: z.string(),
  last_seen: z.string(),
  report_count: z.number().int(),
  sources: z.array(z.string()),
  facts: opaque<Facts>(),
  fake: opaque<FakeAssessment>(),
  fake_score: z.number(),
  signature: z.string(),
  place_keys: z.array(z.string()).default([]),
  keys: z.array(z.string()).default([]),
  report_keys: z.array(z.string()).default([]),
  post_ids: z.array(z.string()).default([]),
  posts: z.array(z.object({ post_id: z.string(), text: z.string() })).default([]),
});
export type IncidentDoc = z.infer<typeof incidentDocSchema>;

export const parseIncidentDoc = (id: string, source: unknown): IncidentDoc => parseWith(incidentDocSchema, 'incident', id, source);

export const toIncident = (doc: IncidentDoc): Incident => ({
  id: doc.id,
  title: doc.title,
  category: doc.category,
  status: doc.status,
  urgency: doc.urgency,
  municipality: doc.municipality,
  address: doc.address,
  location: doc.location,
  firstSeen: doc.first_seen,
  lastSeen: doc.last_seen,
  reportCount: doc.report_count,
  sources: doc.sources,
  facts: doc.facts,
  fakeRisk: doc.fake,
});

/** What dedup needs of an incident: also what the store keeps of its own recent writes. */
export interface CandidateEntry {
  readonly id: string;
  readonly category: string;
  readonly status: IncidentDoc['status'];
  readonly placeKeys: readonly string[];
  /** Every key, for matching. */
  readonly keys: readonly string[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly signature: Uint32Array;
}

export const candidateEntry = (doc: IncidentDoc): CandidateEntry => ({
  id: doc.id,
  category: doc.category,
  status: doc.status,
  placeKeys: doc.place_keys,
  keys: doc.keys,
  firstSeen: doc.first_seen,
  lastSeen: doc.last_seen,
  signature: decodeSignature(doc.signature),
});

export const toCandidate = (entry: CandidateEntry): IncidentCandidate => ({
  id: entry.id,
  category: entry.category,
  status: entry.status,
  placeKeys: entry.placeKeys,
  firstSeen: entry.firstSeen,
  lastSeen: entry.lastSeen,
  signature: entry.signature,
});

/** Report documents are keyed like the reports a split picks. */
export { reportKeyOf } from '../incident-edit-rules.js';

export const reportDocSchema = z.object({
  post_id: z.string(),
  problem_index: z.number().int(),
  incident_id: z.string(),
  source: z.string(),
  seen_at: z.string(),
  detail: opaque<ReportDetail>(),
  signature: z.string(),
});
export type ReportDoc = z.infer<typeof reportDocSchema>;

export const toReportData = (doc: ReportDoc): ReportData => ({
  postId: doc.post_id,
  problemIndex: doc.problem_index,
  source: doc.source,
  seenAt: doc.seen_at,
  detail: doc.detail,
  signature: decodeSignature(doc.signature),
});

export const storyDocSchema = z.object({
  id: z.string(),
  size: z.number().int(),
  sources: z.array(z.string()),
  first_seen: z.string(),
  last_seen: z.string(),
  /** Members, so that a post replayed after a failed write is not counted twice. */
  post_ids: z.array(z.string()).default([]),
});
export type StoryDoc = z.infer<typeof storyDocSchema>;

export const toStoryStats = (doc: StoryDoc): StoryStats => ({
  storyId: doc.id,
  size: doc.size,
  sources: doc.sources.length,
  firstSeen: doc.first_seen,
  lastSeen: doc.last_seen,
});

export const sourceDocSchema = z.object({
  source_id: z.string(),
  type: z.string(),
  cursor: z.unknown(),
  health: z.enum(['ok', 'failing', 'skipped', 'misconfigured']),
  last_run_at: nullable(z.string()),
  last_success_at: nullable(z.string()),
  last_error: nullable(z.string()),
  last_error_code: nullable(z.string()),
  last_error_at: nullable(z.string()),
  consecutive_failures: z.number().int(),
  posts_collected: z.number().int(),
  newest_post_at: nullable(z.string()),
});

export const sourceDoc = (state: SourceState) => ({
  source_id: state.sourceId,
  type: state.type,
  cursor: state.cursor ?? null,
  health: state.health,
  last_run_at: state.lastRunAt,
  last_success_at: state.lastSuccessAt,
  last_error: state.lastError,
  last_error_code: state.lastErrorCode,
  last_error_at: state.lastErrorAt,
  consecutive_failures: state.consecutiveFailures,
  posts_collected: state.postsCollected,
  newest_post_at: state.newestPostAt,
});

export const toSourceState = (doc: z.infer<typeof sourceDocSchema>): SourceState => ({
  sourceId: doc.source_id,
  type: doc.type,
  cursor: doc.cursor ?? null,
  health: doc.health,
  lastRunAt: doc.last_run_at,
  lastSuccessAt: doc.last_success_at,
  lastError: doc.last_error,
  lastErrorCode: doc.last_error_code,
  lastErrorAt: doc.last_error_at,
  consecutiveFailures: doc.consecutive_failures,
  postsCollected: doc.posts_collected,
  newestPostAt: doc.newest_post_at,
});

export const refutationDocSchema = z.object({
  id: z.string(),
  claim: z.string(),
  text: nullable(z.string()),
  url: z.string(),
  topic: nullable(z.string()),
  published_at: nullable(z.string()),
  created_at: z.string(),
  signature: z.string(),
  bands: z.array(z.string()).default([]),
});

export const toRefutation = (doc: Omit<z.infer<typeof refutationDocSchema>, 'signature' | 'bands'>): Refutation => ({
  id: doc.id,
  claim: doc.claim,
  text: doc.text,
  url: doc.url,
  topic: doc.topic,
  publishedAt: doc.published_at,
  createdAt: doc.created_at,
});

export const flagDocSchema = z.object({
  story_id: z.string(),
  platform: z.enum(['vk', 'ok', 'telegram']),
  status: z.enum(['flagged', 'reported', 'labelled', 'removed', 'rejected']),
  reason: z.string(),
  refutation_id: nullable(z.string()),
  note: nullable(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  history: opaque<StoryFlag['history']>(),
});

export const toFlag = (doc: z.infer<typeof flagDocSchema>): StoryFlag => ({
  storyId: doc.story_id,
  platform: doc.platform,
  status: doc.status,
  reason: doc.reason,
  refutationId: doc.refutation_id,
  note: doc.note,
  createdAt: doc.created_at,
  updatedAt: doc.updated_at,
  history: doc.history,
});

export const decisionDocSchema = z.object({
  incident_id: z.string(),
  kind: z.enum(['status', 'merge', 'split']),
  status: nullable(z.enum(['open', 'in_progress', 'resolved', 'rejected'])),
  from_ids: z.array(z.string()).default([]),
  to_id: nullable(z.string()),
  reports: z.array(z.object({ post_id: z.string(), problem_index: z.number().int() })).default([]),
  note: nullable(z.string()),
  at: z.string(),
  seq: z.number(),
});
export type DecisionDoc = z.infer<typeof decisionDocSchema>;

export const toDecision = (doc: DecisionDoc): IncidentDecision => ({
  kind: doc.kind,
  status: doc.status,
  fromIds: doc.from_ids,
  toId: doc.to_id,
  reports: doc.reports.map((r) => ({ postId: r.post_id, problemIndex: r.problem_index })),
  note: doc.note,
  at: doc.at,
});

export const pinDocSchema = z.object({ post_id: z.string(), problem_index: z.number().int(), incident_id: z.string() });
export const redirectDocSchema = z.object({ from_id: z.string(), to_id: z.string(), at: z.string() });
