/** Bounds shared by every dedup index, so that all backends return the same candidates. */

/** Band rows read per story lookup, however busy the buckets are (a viral story, a stock phrase). */
export const BAND_ROWS = 200;
/** Recent incidents read per broad key (a whole municipality) and category. */
export const BROAD_KEY_ROWS = 20;
/** Recent incidents read per specific key (a house, a street, a rare word), whatever their category. */
export const KEY_ROWS = 10;
/** Place keys kept per incident. */
export const MAX_PLACE_KEYS = 100;

/**
 * Keys that cover a whole area (a named municipality, the area a source covers) or a whole feed (the
 * reporting source): looked up by recency, never exhaustively. A city district's chat says "лифт
 * опять встал" without a house; among the city's many incidents, its own recent ones are the few
 * worth reading.
 */
export const isBroadKey = (key: string): boolean => key.startsWith('muni:') || key.startsWith('area:') || key.startsWith('src:');

/**
 * Keys the merge score reads but no lookup asks for: a problem topic (`topic:`), a category the
 * classifier also gave a report (`cat:`), a reply in an outage thread or an outage's end (`reply:`),
 * the day an outage was promised to end (`until:`).
 * They stay on the incident (its place keys) and are never indexed: `topic:road-damage` would list
 * every pothole of the region.
 */
export const isScoreOnlyKey = (key: string): boolean => key.startsWith('topic:') || key.startsWith('cat:') || key.startsWith('reply:') || key.startsWith('until:');

/** Feed order for candidates: most recently active first, id as the tie-break. */
export const byRecency = (a: { readonly lastSeen: string; readonly id: string }, b: { readonly lastSeen: string; readonly id: string }): number =>
  a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * From band rows (band order, then post id), one representative per story: the member sharing the
 * most bands (the first one on a tie); stories sharing the most bands first (first seen on a tie).
 */
export const rankStoryHits = (rows: Iterable<readonly [postId: string, storyId: string]>, limit: number): { postId: string; storyId: string }[] => {
  const shared = new Map<string, { storyId: string; count: number }>();
  for (const [postId, storyId] of rows) {
    const hit = shared.get(postId);
    if (hit) hit.count++;
    else shared.set(postId, { storyId, count: 1 });
  }
  const best = new Map<string, { postId: string; count: number }>();
  for (const [postId, hit] of shared) {
    const current = best.get(hit.storyId);
    if (!current || hit.count > current.count) best.set(hit.storyId, { postId, count: hit.count });
  }
  return [...best.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, limit)
    .map(([storyId, hit]) => ({ storyId, postId: hit.postId }));
};

/**
 * The candidates of an incident lookup from its per-key reads: incidents holding more of the query's
 * keys first, the most recently active first on a tie.
 */
export const rankIncidentHits = <T extends { readonly lastSeen: string; readonly id: string }>(hits: Iterable<T>, limit: number): T[] => {
  const counted = new Map<string, { hit: T; count: number }>();
  for (const hit of hits) {
    const seen = counted.get(hit.id);
    if (seen) seen.count++;
    else counted.set(hit.id, { hit, count: 1 });
  }
  return [...counted.values()]
    .sort((a, b) => b.count - a.count || byRecency(a.hit, b.hit))
    .slice(0, limit)
    .map((entry) => entry.hit);
};
