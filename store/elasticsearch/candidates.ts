/**
 * Candidate lookups for dedup, with the same answers as the other backends (`dedup-limits.ts`):
 * stories by shared LSH bands, incidents by place keys, category and time window (specific keys up
 * to the limit, broad keys the latest few per category), refutations by shared bands. Elasticsearch
 * answers from what is refreshed; this process's recent writes and the current batch's own writes
 * are merged in, the fresher version of a document winning.
 */
import type { estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import type { IncidentCandidate, IncidentCandidateQuery, RefutationCandidate, StoryCandidate } from '../contract.js';
import { BAND_ROWS, BROAD_KEY_ROWS, byRecency, isBroadKey, KEY_ROWS, rankIncidentHits, rankStoryHits } from '../dedup-limits.js';
import type { BatchState } from './batch-state.js';
import { type EsContext, search } from './context.js';
import { type CandidateEntry, candidateEntry, decodeSignature, incidentDocSchema, parseWith, refutationDocSchema, storyMemberSchema, toCandidate, toRefutation } from './docs.js';
import { attempt, StoreRejectedError } from './errors.js';
import type { MemberEntry } from './recent-writes.js';

/** Each band a clause scoring 1: a hit's score is the number of bands it shares with the query. */
export const sharedBandsQuery = (field: string, bands: readonly string[]): estypes.QueryDslQueryContainer => ({
  bool: { should: bands.map((band) => ({ constant_score: { filter: { term: { [field]: band } } } })), minimum_should_match: 1 },
});

export const storyCandidatesRequest = (index: string, bands: readonly string[]): estypes.SearchRequest => ({
  index,
  size: BAND_ROWS,
  track_total_hits: false,
  query: sharedBandsQuery('story.bands', bands),
  sort: [{ _score: { order: 'desc' } }, { post_id: 'asc' }],
  _source: ['story.id', 'story.bands', 'story.signature', 'story.semantic'],
});

const memberHit = z.object({ story: storyMemberSchema.pick({ id: true, bands: true, signature: true, semantic: true }) });

const memberEntry = (postId: string, story: { readonly id: string; readonly bands: readonly string[]; readonly signature: string; readonly semantic: string | null }): MemberEntry => ({
  postId,
  storyId: story.id,
  bands: story.bands,
  signature: decodeSignature(story.signature),
  semantic: story.semantic === null ? null : decodeSignature(story.semantic),
});

export const storyCandidates = async (ctx: EsContext, state: BatchState | undefined, bandKeys: readonly string[], limit: number): Promise<StoryCandidate[]> => {
  const bands = [...new Set(bandKeys)].sort();
  if (bands.length === 0) return [];
  const members = new Map<string, MemberEntry>();
  for (const hit of await search(ctx.client, storyCandidatesRequest(ctx.index.posts, bands), 'looking up story candidates')) {
    const { story } = parseWith(memberHit, 'post', hit.id, hit.source);
    members.set(hit.id, memberEntry(hit.id, story));
  }
  for (const member of ctx.recent.membersSharing(bands)) members.set(member.postId, member);
  if (state) {
    const wanted = new Set(bands);
    for (const [postId, doc] of state.members) {
      if (doc && doc.bands.some((b) => wanted.has(b))) members.set(postId, memberEntry(postId, doc));
    }
  }
  // The rows the SQLite index would read: (band, post) in order, at most BAND_ROWS of them.
  const wanted = new Set(bands);
  const rows: [string, string, string][] = [];
  for (const m of members.values()) for (const band of m.bands) if (wanted.has(band)) rows.push([band, m.postId, m.storyId]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const hits = rankStoryHits(
    rows.slice(0, BAND_ROWS).map(([, postId, storyId]) => [postId, storyId] as const),
    limit,
  );
  return hits.map((hit) => {
    const member = members.get(hit.postId) as MemberEntry;
    return { ...hit, signature: member.signature, semantic: member.semantic };
  });
};

const candidateSource = ['id', 'category', 'status', 'place_keys', 'first_seen', 'last_seen', 'signature'];

/** One bounded read of the lookup: the newest `size` incidents holding `key` in one of `categories`. */
export interface KeyRead {
  readonly key: string;
  readonly categories: readonly string[];
  readonly size: number;
}

/** The reads of a lookup, as every backend makes them (`dedup-limits.ts`). */
export const keyReads = (query: IncidentCandidateQuery): KeyRead[] =>
  [...new Set(query.placeKeys)].flatMap((key): KeyRead[] =>
    isBroadKey(key)
      ? (query.broadCategories ?? query.categories).map((category) => ({ key, categories: [category], size: BROAD_KEY_ROWS }))
      : query.categories.length > 0
        ? [{ key, categories: query.categories, size: KEY_ROWS }]
        : [],
  );

export const keyReadSearch = (read: KeyRead, since: string): estypes.MsearchMultisearchBody => ({
  size: read.size,
  track_total_hits: false,
  query: { bool: { filter: [{ term: { keys: read.key } }, { terms: { category: [...read.categories] } }, { range: { last_seen: { gte: since } } }] } },
  sort: [{ last_seen: 'desc' }, { id: 'desc' }],
  _source: candidateSource,
});

const candidateHit = incidentDocSchema.pick({ id: true, category: true, status: true, place_keys: true, first_seen: true, last_seen: true, signature: true });

const inRead = (entry: CandidateEntry, read: KeyRead, since: string): boolean => read.categories.includes(entry.category) && entry.lastSeen >= since && entry.keys.includes(read.key);

export const incidentCandidates = async (ctx: EsContext, state: BatchState | undefined, query: IncidentCandidateQuery): Promise<IncidentCandidate[]> => {
  const reads = keyReads(query);
  if (reads.length === 0) return [];
  const response = await attempt('looking up incident candidates', () =>
    ctx.client.msearch({ index: ctx.index.incidents, searches: reads.flatMap((read) => [{}, keyReadSearch(read, query.since)]) }),
  );
  // Local versions (this batch's, then recent writes) are fresher than what search returns.
  const local = new Map<string, CandidateEntry>();
  for (const entry of ctx.recent.incidentsWith(query.placeKeys)) local.set(entry.id, entry);
  if (state) for (const t of state.incidents.values()) if (t.doc) local.set(t.id, candidateEntry(t.doc));
  const locals = [...local.values()];
  const hits: CandidateEntry[] = [];
  response.responses.forEach((item, i) => {
    if ('error' in item) throw new StoreRejectedError(`Elasticsearch refused an incident candidate search: ${item.error.type}: ${item.error.reason ?? ''}`);
    const read = reads[i] as KeyRead;
    const merged = new Map<string, CandidateEntry>();
    for (const hit of item.hits.hits) {
      if (ctx.recent.isDeleted(hit._id ?? '')) continue;
      const doc = parseWith(candidateHit, 'incident', hit._id ?? '', hit._source);
      merged.set(doc.id, local.get(doc.id) ?? { id: doc.id, category: doc.category, status: doc.status, placeKeys: doc.place_keys, keys: [], firstSeen: doc.first_seen, lastSeen: doc.last_seen, signature: decodeSignature(doc.signature) });
    }
    for (const entry of locals) if (inRead(entry, read, query.since)) merged.set(entry.id, entry);
    // The read's own bound, now over what the cluster and this process know together.
    hits.push(...[...merged.values()].sort(byRecency).slice(0, read.size));
  });
  return rankIncidentHits(hits, query.limit).map(toCandidate);
};

export const refutationCandidatesRequest = (index: string, bands: readonly string[], limit: number): estypes.SearchRequest => ({
  index,
  size: limit,
  track_total_hits: false,
  query: sharedBandsQuery('bands', bands),
  sort: [{ _score: { order: 'desc' } }, { id: 'asc' }],
  _source: { excludes: ['bands'] },
});

/** Refutations are written with a refresh (editors' actions), so search alone sees them all. */
export const refutationCandidates = async (ctx: EsContext, bandKeys: readonly string[], limit: number): Promise<RefutationCandidate[]> => {
  const bands = [...new Set(bandKeys)].sort();
  if (bands.length === 0) return [];
  const hits = await search(ctx.client, refutationCandidatesRequest(ctx.index.refutations, bands, limit), 'looking up refutations');
  return hits.map((hit) => {
    const doc = parseWith(refutationDocSchema, 'refutation', hit.id, hit.source);
    return { refutation: toRefutation(doc), signature: decodeSignature(doc.signature) };
  });
};
