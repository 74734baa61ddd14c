/** Builders of the plain domain objects that store tests feed to a store, shared by the contract suite and the backends' own tests. */
import { emptyFacts, type FakeAssessment, type PostAnalysis, type Problem } from '../core/types.js';
import type { IncidentReport, NewPost } from './contract.js';

/** A stand-in for the NLP normaliser's query analysis: lower-cased words. */
export const analyzeQuery = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(Boolean);

export const newPost = (externalId: string, text = `пост ${externalId}`, source = 'vk-test', publishedAt: string | null = '2026-11-20T08:00:00.000Z'): NewPost => ({
  source,
  externalId,
  text,
  author: 'Житель',
  url: `https://vk.com/wall-1_${externalId}`,
  publishedAt,
  location: null,
  // Nested values and an emoji: the raw payload must come back verbatim.
  raw: { id: externalId, text, extra: { nested: [1, 2], emoji: '🚧' } },
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

export const noRisk: FakeAssessment = { score: 0, level: 'low', reasons: [] };

/** The analysis of a post whose problems went to `incidentIds`, in problem order. */
export const analysisOf = (postId: string, words: readonly string[], incidentIds: readonly string[] = [], fake: FakeAssessment = noRisk): PostAnalysis => ({
  postId,
  cleanText: words.join(' '),
  searchTokens: [...words],
  isProblem: incidentIds.length > 0,
  problems: incidentIds.map((id, i) => problemAt(i, id)),
  facts: emptyFacts(),
  storyId: `sto_${postId}`,
  incidentIds: [...incidentIds],
  fake,
  analyzedAt: '2026-11-25T00:00:00.000Z',
});

/** A report with a place key of its own post: reports meet in the candidate index only where `extra` says so. */
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
  address: 'улица Ленина, 5',
  location: null,
  placeKeys: [`addr:${postId}`],
  signature: new Uint32Array([1, 2, 3, 4]),
  facts: emptyFacts(),
  ...extra,
});
