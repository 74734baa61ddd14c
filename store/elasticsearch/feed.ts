/**
 * The incident feed, its facets and detail. The feed pages with `search_after` on (last_seen, id),
 * a total order, so pages never repeat or skip; once a first page shows there are more, the next
 * pages are read from a point in time, so that a client paging through sees one snapshot. The full
 * text filter is the Russian analyzer's match of every word within one post of the incident.
 */
import type { estypes } from '@elastic/elasticsearch';
import { ValidationError } from '../../core/errors.js';
import { geohashCenter } from '../../core/geohash.js';
import type { Incident } from '../../core/types.js';
import { FACET_BUCKETS, type FacetCount, type FacetOptions, type IncidentDetail, type IncidentFacets, type IncidentFilter, type Page, type PageRequest, type StoredPostView } from '../contract.js';
import { type EsContext, getDocs, hitsOf } from './context.js';
import { type IncidentDoc, incidentDocSchema, parseIncidentDoc, parsePostDoc, parseWith, redirectDocSchema, toIncident, toStoredPostView } from './docs.js';
import { attempt, toStoreError } from './errors.js';
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor.js';
import { elasticsearch } from './library.js';
import { MAX_LISTED_POSTS, PIT_KEEP_ALIVE } from './limits.js';

/** Fields only lookups and edits need: a feed page leaves them on the cluster. */
const FEED_EXCLUDES = ['keys', 'report_keys', 'post_ids', 'posts', 'signature', 'place_keys'];

export const feedQuery = (filter: IncidentFilter): estypes.QueryDslQueryContainer => {
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (filter.categories?.length) clauses.push({ terms: { category: [...filter.categories] } });
  if (filter.statuses?.length) clauses.push({ terms: { status: [...filter.statuses] } });
  // The folded keyword's normalizer lower-cases and folds ё on both sides.
  if (filter.municipality) clauses.push({ term: { 'municipality.folded': filter.municipality.trim() } });
  if (filter.from) clauses.push({ range: { last_seen: { gte: filter.from } } });
  if (filter.to) clauses.push({ range: { first_seen: { lte: filter.to } } });
  if (filter.q !== undefined) {
    // A query of stop words or punctuation only analyses to nothing and matches nothing, as in SQLite.
    clauses.push({ nested: { path: 'posts', query: { match: { 'posts.text': { query: filter.q, operator: 'and', zero_terms_query: 'none' } } } } });
  }
  return { bool: { filter: clauses } };
};

const FEED_SORT: estypes.Sort = [{ last_seen: { order: 'desc' } }, { id: { order: 'desc' } }];

export const feedSearch = (filter: IncidentFilter, limit: number, after: { readonly lastSeen: string; readonly id: string } | null): estypes.SearchRequest => ({
  size: limit + 1,
  track_total_hits: false,
  query: feedQuery(filter),
  sort: FEED_SORT,
  _source: { excludes: FEED_EXCLUDES },
  ...(after ? { search_after: [Date.parse(after.lastSeen), after.id] } : {}),
});

const feedHit = incidentDocSchema.partial({ signature: true });

const isExpiredPit = (error: unknown): boolean =>
  error instanceof elasticsearch().errors.ResponseError && (error.statusCode === 404 || /search_context_missing|No search context/i.test(JSON.stringify(error.body ?? '')));

export const listIncidents = async (ctx: EsContext, filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>> => {
  const cursor = page.cursor ? decodeFeedCursor(page.cursor) : null;
  const request = feedSearch(filter, page.limit, cursor);
  let response: estypes.SearchResponse<unknown> | null = null;
  if (cursor?.pit) {
    try {
      response = await ctx.client.search<unknown>({ ...request, pit: { id: cursor.pit, keep_alive: PIT_KEEP_ALIVE } });
    } catch (error) {
      // An expired point in time: the position alone still continues the feed, without the snapshot.
      if (!isExpiredPit(error)) throw toStoreError(error, 'reading the feed');
      ctx.logger.info('feed point in time expired', {});
    }
  }
  response ??= await attempt('reading the feed', () => ctx.client.search<unknown>({ index: ctx.index.incidents, ...request }));
  const hits = hitsOf(response);
  const items = hits.slice(0, page.limit).map((hit) => toIncident(parseWith(feedHit, 'incident', hit.id, hit.source) as IncidentDoc));
  const last = items.at(-1);
  if (hits.length <= page.limit || !last) {
    if (cursor?.pit) void ctx.client.closePointInTime({ id: response.pit_id ?? cursor.pit }).catch(() => undefined);
    return { items, nextCursor: null };
  }
  const pit = response.pit_id ?? (await attempt('opening a point in time for the feed', () => ctx.client.openPointInTime({ index: ctx.index.incidents, keep_alive: PIT_KEEP_ALIVE }))).id;
  return { items, nextCursor: encodeFeedCursor({ lastSeen: last.lastSeen, id: last.id, pit }) };
};

export const facetsSearch = (filter: IncidentFilter, geoPrecision: number): estypes.SearchRequest => ({
  size: 0,
  track_total_hits: true,
  query: feedQuery(filter),
  aggs: {
    categories: { terms: { field: 'category', size: FACET_BUCKETS, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
    municipalities: {
      terms: { field: 'municipality.folded', size: FACET_BUCKETS, order: [{ _count: 'desc' }, { _key: 'asc' }] },
      // One spelling per folded name, the first in sort order, as SQLite's MIN(municipality).
      aggs: { spelling: { terms: { field: 'municipality.keyword', size: 1, order: { _key: 'asc' } } } },
    },
    days: { date_histogram: { field: 'first_seen', calendar_interval: 'day', time_zone: 'UTC', min_doc_count: 1, format: 'yyyy-MM-dd' } },
    geo: { geohash_grid: { field: 'location', precision: geoPrecision, size: FACET_BUCKETS } },
  },
});

interface Bucket {
  readonly key: string | number;
  readonly key_as_string?: string;
  readonly doc_count: number;
  readonly spelling?: { readonly buckets: readonly Bucket[] };
}

const bucketsOf = (aggregations: Record<string, unknown> | undefined, name: string): readonly Bucket[] =>
  ((aggregations?.[name] as { buckets?: readonly Bucket[] } | undefined)?.buckets ?? []);

const byCountThenKey = (a: FacetCount, b: FacetCount): number => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export const incidentFacets = async (ctx: EsContext, filter: IncidentFilter, options: FacetOptions): Promise<IncidentFacets> => {
  const precision = options.geoPrecision;
  if (!Number.isInteger(precision) || precision < 1 || precision > 8) {
    throw new ValidationError(`Invalid geo precision: expected an integer from 1 to 8, got ${precision}`, [{ path: 'geo_precision', message: 'expected an integer from 1 to 8' }]);
  }
  const response = await attempt('counting incidents for facets', () => ctx.client.search({ index: ctx.index.incidents, ...facetsSearch(filter, precision) }));
  const aggs = response.aggregations as Record<string, unknown> | undefined;
  const total = typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
  return {
    total,
    categories: bucketsOf(aggs, 'categories').map((b) => ({ key: String(b.key), count: b.doc_count })).sort(byCountThenKey),
    municipalities: bucketsOf(aggs, 'municipalities')
      .map((b) => ({ key: String(b.spelling?.buckets[0]?.key ?? b.key), count: b.doc_count }))
      .sort(byCountThenKey),
    // The latest days when there are more than fit, oldest first.
    days: bucketsOf(aggs, 'days').map((b) => ({ key: b.key_as_string ?? new Date(Number(b.key)).toISOString().slice(0, 10), count: b.doc_count })).slice(-FACET_BUCKETS),
    geo: bucketsOf(aggs, 'geo')
      .map((b) => ({ key: String(b.key), count: b.doc_count }))
      .sort(byCountThenKey)
      .map(({ key, count }) => ({ geohash: key, count, center: geohashCenter(key) })),
  };
};

/** Views of posts by id: the cluster's for posts it has processed, the local store's for the others. */
export const postViews = async (ctx: EsContext, ids: readonly string[]): Promise<StoredPostView[]> => {
  const found = await getDocs(ctx.client, ids.map((id) => ({ index: ctx.index.posts, id })), 'reading posts');
  const views: StoredPostView[] = [];
  for (const [i, id] of ids.entries()) {
    const got = found[i];
    const view = (got ? toStoredPostView(parsePostDoc(id, got.source)) : null) ?? (await ctx.local.getPost(id));
    if (view) views.push(view);
  }
  return views;
};

const seenOf = (view: StoredPostView): string => view.post.publishedAt ?? view.post.collectedAt;

const detailOf = async (ctx: EsContext, doc: IncidentDoc): Promise<IncidentDetail> => {
  const posts = (await postViews(ctx, doc.post_ids)).sort(
    (a, b) => (seenOf(a) < seenOf(b) ? -1 : seenOf(a) > seenOf(b) ? 1 : a.post.collectedAt < b.post.collectedAt ? -1 : a.post.collectedAt > b.post.collectedAt ? 1 : a.post.id < b.post.id ? -1 : 1),
  );
  return { ...toIncident(doc), posts: posts.slice(0, MAX_LISTED_POSTS) };
};

/** The incident behind an id, following a merge's redirect; null when neither exists. */
export const resolveIncident = async (ctx: EsContext, id: string): Promise<{ readonly doc: IncidentDoc; readonly seqNo: number | null; readonly primaryTerm: number | null; readonly redirected: boolean } | null> => {
  const [own, redirect] = await getDocs(ctx.client, [{ index: ctx.index.incidents, id }, { index: ctx.index.redirects, id }], 'reading an incident');
  if (own) return { doc: parseIncidentDoc(id, own.source), seqNo: own.seqNo, primaryTerm: own.primaryTerm, redirected: false };
  if (!redirect) return null;
  const target = parseWith(redirectDocSchema, 'redirect', id, redirect.source).to_id;
  const [live] = await getDocs(ctx.client, [{ index: ctx.index.incidents, id: target }], 'reading a merged incident');
  return live ? { doc: parseIncidentDoc(target, live.source), seqNo: live.seqNo, primaryTerm: live.primaryTerm, redirected: true } : null;
};

export const getIncident = async (ctx: EsContext, id: string): Promise<IncidentDetail | null> => {
  const found = await resolveIncident(ctx, id);
  if (!found) return null;
  const detail = await detailOf(ctx, found.doc);
  return found.redirected ? { ...detail, redirectedFrom: id } : detail;
};
