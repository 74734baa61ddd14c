/**
 * A dedup index held in memory, for `radar analyze`: the same candidates as the SQLite store's (the
 * shared contract test proves it), without a database round trip per lookup. It lives as long as
 * the process and holds only what dedup needs: signatures, band and place keys, time ranges.
 */
import type { DedupIndex, IncidentCandidate, IncidentCandidateQuery, IncidentReport, RefutationCandidate, StoryCandidate, StoryMember, StoryStats } from './contract.js';
import { BAND_ROWS, BROAD_KEY_ROWS, byRecency, isBroadKey, KEY_ROWS, MAX_PLACE_KEYS, rankIncidentHits, rankStoryHits } from './dedup-limits.js';

interface StoryState {
  size: number;
  readonly sources: Set<string>;
  firstSeen: string;
  lastSeen: string;
}

interface IncidentState {
  readonly id: string;
  readonly category: string;
  firstSeen: string;
  lastSeen: string;
  placeKeys: string[];
  readonly signature: Uint32Array;
}

/** Inserts keeping the array sorted, as an index would. */
const insertSorted = (list: { postId: string; storyId: string }[], entry: { postId: string; storyId: string }): void => {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as { postId: string }).postId < entry.postId) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo]?.postId === entry.postId) return;
  list.splice(lo, 0, entry);
};

/** Where `entry` sits in a list sorted ascending by (lastSeen, id). */
const position = (list: readonly { lastSeen: string; id: string }[], entry: { lastSeen: string; id: string }): number => {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // byRecency sorts newest first, so "mid before entry in ascending order" is byRecency(mid, entry) > 0.
    if (byRecency(list[mid] as { lastSeen: string; id: string }, entry) > 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export class MemoryDedupIndex implements DedupIndex {
  readonly #bands = new Map<string, { postId: string; storyId: string }[]>();
  readonly #members = new Map<string, { storyId: string; signature: Uint32Array; semantic: Uint32Array | null }>();
  readonly #stories = new Map<string, StoryState>();
  readonly #incidents = new Map<string, IncidentState>();
  /**
   * Per broad key and category, incidents in recency order (the SQLite index on key, category,
   * last_seen): a lookup reads the newest few instead of sorting every incident of a busy town.
   */
  readonly #recent = new Map<string, { lastSeen: string; id: string; category: string }[]>();
  /** Per key, whatever the category (the SQLite index on key, last_seen): specific keys read it. */
  readonly #byKey = new Map<string, { lastSeen: string; id: string; category: string }[]>();
  /** Every key of an incident (uncapped, like incident_keys), to move it in the recency lists. */
  readonly #keysOf = new Map<string, Set<string>>();
  readonly #reports = new Set<string>();

  async batch<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  /** `radar analyze` has no analysts: no problem is pinned to an incident. */
  async incidentPins(): Promise<ReadonlyMap<number, string>> {
    return new Map();
  }

  /** `radar analyze` has no refutation registry: nothing to match. */
  async refutationCandidates(): Promise<readonly RefutationCandidate[]> {
    return [];
  }

  async storyCandidates(bandKeys: readonly string[], limit: number): Promise<readonly StoryCandidate[]> {
    const rows: [string, string][] = [];
    for (const band of [...new Set(bandKeys)].sort()) {
      for (const member of this.#bands.get(band) ?? []) {
        if (rows.length >= BAND_ROWS) break;
        rows.push([member.postId, member.storyId]);
      }
    }
    return rankStoryHits(rows, limit).map((hit) => {
      const member = this.#members.get(hit.postId) as { signature: Uint32Array; semantic: Uint32Array | null };
      return { ...hit, signature: member.signature, semantic: member.semantic };
    });
  }

  async addToStory(member: StoryMember): Promise<StoryStats> {
    if (!this.#members.has(member.postId)) {
      this.#members.set(member.postId, { storyId: member.storyId, signature: member.signature, semantic: member.semantic ?? null });
      const story = this.#stories.get(member.storyId);
      if (story) {
        story.size++;
        story.sources.add(member.source);
        if (member.seenAt < story.firstSeen) story.firstSeen = member.seenAt;
        if (member.seenAt > story.lastSeen) story.lastSeen = member.seenAt;
      } else {
        this.#stories.set(member.storyId, { size: 1, sources: new Set([member.source]), firstSeen: member.seenAt, lastSeen: member.seenAt });
      }
      for (const band of member.bandKeys) {
        let list = this.#bands.get(band);
        if (!list) this.#bands.set(band, (list = []));
        insertSorted(list, { postId: member.postId, storyId: member.storyId });
      }
    }
    const story = this.#stories.get(member.storyId) as StoryState;
    return { storyId: member.storyId, size: story.size, sources: story.sources.size, firstSeen: story.firstSeen, lastSeen: story.lastSeen };
  }

  /** Newest first across several recency lists, stopping at `since` or after `limit` distinct incidents. */
  #newest(lists: readonly (readonly { lastSeen: string; id: string }[])[], since: string, limit: number): Map<string, IncidentState> {
    const out = new Map<string, IncidentState>();
    if (lists.length === 0) return out;
    const heads = lists.map((list) => list.length - 1);
    while (out.size < limit) {
      let pick = -1;
      for (let l = 0; l < lists.length; l++) {
        const head = heads[l] as number;
        if (head < 0) continue;
        const entry = (lists[l] as { lastSeen: string; id: string }[])[head] as { lastSeen: string; id: string };
        if (entry.lastSeen < since) continue;
        if (pick < 0 || byRecency(entry, (lists[pick] as { lastSeen: string; id: string }[])[heads[pick] as number] as { lastSeen: string; id: string }) < 0) pick = l;
      }
      if (pick < 0) break;
      const entry = (lists[pick] as { lastSeen: string; id: string }[])[heads[pick] as number] as { lastSeen: string; id: string };
      heads[pick] = (heads[pick] as number) - 1;
      if (!out.has(entry.id)) out.set(entry.id, this.#incidents.get(entry.id) as IncidentState);
    }
    return out;
  }

  /** The non-empty recency lists of these keys and categories. */
  #listsOf(keys: readonly string[], categories: readonly string[]): { lastSeen: string; id: string }[][] {
    const lists: { lastSeen: string; id: string }[][] = [];
    for (const key of keys) {
      for (const category of categories) {
        const list = this.#recent.get(`${key}\u0000${category}`);
        if (list && list.length > 0) lists.push(list);
      }
    }
    return lists;
  }

  async incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]> {
    const hits: IncidentState[] = [];
    const allowed = new Set(query.categories);
    for (const key of query.placeKeys) {
      if (isBroadKey(key)) {
        for (const category of query.broadCategories ?? query.categories) {
          hits.push(...this.#newest(this.#listsOf([key], [category]), query.since, BROAD_KEY_ROWS).values());
        }
      } else {
        // Newest first (the end of the ascending list), skipping other categories, at most KEY_ROWS.
        const list = this.#byKey.get(key);
        if (!list) continue;
        let taken = 0;
        for (let i = list.length - 1; i >= 0 && taken < KEY_ROWS; i--) {
          const entry = list[i] as { lastSeen: string; id: string; category: string };
          if (entry.lastSeen < query.since) break;
          if (!allowed.has(entry.category)) continue;
          hits.push(this.#incidents.get(entry.id) as IncidentState);
          taken++;
        }
      }
    }
    return (
      rankIncidentHits(hits, query.limit)
        // placeKeys is replaced, never mutated, on update: sharing it is safe.
        .map((i) => ({ id: i.id, category: i.category, status: 'open', placeKeys: i.placeKeys, firstSeen: i.firstSeen, lastSeen: i.lastSeen, signature: i.signature }))
    );
  }

  async addIncidentReport(report: IncidentReport): Promise<void> {
    const reportKey = `${report.postId}#${report.problemIndex}`;
    if (this.#reports.has(reportKey)) return;
    this.#reports.add(reportKey);
    let incident = this.#incidents.get(report.incidentId);
    const before = incident ? { lastSeen: incident.lastSeen, id: incident.id } : null;
    if (!incident) {
      incident = {
        id: report.incidentId,
        category: report.category,
        firstSeen: report.seenAt,
        lastSeen: report.seenAt,
        placeKeys: report.placeKeys.slice(0, MAX_PLACE_KEYS),
        signature: report.signature,
      };
      this.#incidents.set(incident.id, incident);
    } else {
      if (report.seenAt < incident.firstSeen) incident.firstSeen = report.seenAt;
      if (report.seenAt > incident.lastSeen) incident.lastSeen = report.seenAt;
      incident.placeKeys = [...new Set([...incident.placeKeys, ...report.placeKeys])].slice(0, MAX_PLACE_KEYS);
    }
    let keys = this.#keysOf.get(incident.id);
    if (!keys) this.#keysOf.set(incident.id, (keys = new Set()));
    const added: string[] = [];
    for (const key of report.placeKeys) {
      if (keys.has(key)) continue;
      keys.add(key);
      added.push(key);
    }
    const after = { lastSeen: incident.lastSeen, id: incident.id };
    // Entries only move when the incident's last activity does; otherwise only new keys go in.
    const moved = before === null || before.lastSeen !== after.lastSeen;
    for (const key of moved ? keys : added) {
      // Broad keys are read per category, specific ones across categories: each list serves one.
      const listKey = isBroadKey(key) ? `${key}\u0000${incident.category}` : key;
      const lists = isBroadKey(key) ? this.#recent : this.#byKey;
      let list = lists.get(listKey);
      if (!list) lists.set(listKey, (list = []));
      if (before && moved) {
        const at = position(list, before);
        if (list[at]?.id === before.id && list[at]?.lastSeen === before.lastSeen) list.splice(at, 1);
      }
      list.splice(position(list, after), 0, { ...after, category: incident.category });
    }
  }
}
