/** Builders shared by the SQLite store's tests: real files in a temp dir, plain domain objects. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyFacts, type FakeAssessment, type PostAnalysis, type Problem } from '../../core/types.js';
import type { IncidentReport, NewPost } from '../contract.js';
import { SqliteStore } from './index.js';

export const tempDb = (): string => join(mkdtempSync(join(tmpdir(), 'radar-store-')), 'radar.db');

export const analyzeQuery = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(Boolean);

export const openStore = (path = tempDb()): SqliteStore => new SqliteStore({ path, analyzeQuery });

export const newPost = (externalId: string, text = `пост ${externalId}`, source = 'vk-test'): NewPost => ({
  source,
  externalId,
  text,
  author: null,
  url: null,
  publishedAt: '2026-11-20T08:00:00.000Z',
  location: null,
  raw: null,
});

export const problemAt = (index: number, incidentId: string): Problem => ({
  index,
  text: `проблема ${index}`,
  span: { start: 0, end: 10 },
  category: 'roads',
  confidence: 0.9,
  urgency: 'medium',
  facts: emptyFacts(),
  incidentId,
});

/** The analysis of a post whose problems went to `incidentIds`, in problem order. */
export const analysisOf = (postId: string, tokens: readonly string[], incidentIds: readonly string[], fake: FakeAssessment = { score: 0, level: 'low', reasons: [] }): PostAnalysis => ({
  postId,
  cleanText: tokens.join(' '),
  searchTokens: tokens,
  isProblem: incidentIds.length > 0,
  problems: incidentIds.map((id, i) => problemAt(i, id)),
  facts: emptyFacts(),
  storyId: `sto_${postId}`,
  incidentIds,
  fake,
  analyzedAt: '2026-11-25T00:00:00.000Z',
});

export const reportOf = (incidentId: string, postId: string, seenAt: string, extra: Partial<IncidentReport> = {}): IncidentReport => ({
  incidentId,
  postId,
  problemIndex: 0,
  source: 'vk-test',
  seenAt,
  category: 'roads',
  title: `Яма (${postId})`,
  urgency: 'medium',
  municipality: 'Нижний Новгород',
  address: null,
  location: null,
  placeKeys: [`addr:${postId}`],
  signature: new Uint32Array([1, 2, 3, 4]),
  facts: emptyFacts(),
  ...extra,
});
