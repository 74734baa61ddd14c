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

interface RecencyEntry {
  readonly lastSeen: string;
  readonly id: string;
  readonly category: string;
}

/** Entries ascending by (lastSeen, id); `live` counts the (incident, key) pairs, the rest are stale. */
interface RecencyList {
  entries: RecencyEntry[];
  live: number;
}

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
  readonly #recent = new Map<string, RecencyList>();
  /** Per key, whatever the category (the SQLite index on key, last_seen): specific keys read it. */
  readonly #byKey = new Map<string, RecencyList>();
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

  /**
   * Newest first from one recency list, skipping entries left behind when their incident moved on
   * (and other categories when `allowed` is given), stopping at `since` or after `limit` incidents.
   */
  #walk(list: RecencyList | undefined, since: string, limit: number, allowed: ReadonlySet<string> | null, out: IncidentState[]): void {
    if (!list) return;
    const { entries } = list;
    let taken = 0;
    for (let i = entries.length - 1; i >= 0 && taken < limit; i--) {
      const entry = entries[i] as RecencyEntry;
      if (entry.lastSeen < since) break;
      const incident = this.#incidents.get(entry.id) as IncidentState;
      if (incident.lastSeen !== entry.lastSeen) continue;
      if (allowed && !allowed.has(entry.category)) continue;
      out.push(incident);
      taken++;
    }
  }

  async incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]> {
    const hits: IncidentState[] = [];
    const allowed = new Set(query.categories);
    for (const key of query.placeKeys) {
      if (isBroadKey(key)) {
        for (const category of query.broadCategories ?? query.categories) this.#walk(this.#recent.get(`${key}\u0000${category}`), query.since, BROAD_KEY_ROWS, null, hits);
      } else {
        this.#walk(this.#byKey.get(key), query.since, KEY_ROWS, allowed, hits);
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
    const after: RecencyEntry = { lastSeen: incident.lastSeen, id: incident.id, category: incident.category };
    // When the incident's last activity moves, its new entry goes in (at the end, for a stream in
    // time order) and the old one stays behind, skipped on read: no array shifting per report.
    const moved = before === null || before.lastSeen !== after.lastSeen;
    const isNew = new Set(added);
    for (const key of moved ? keys : added) {
      // Broad keys are read per category, specific ones across categories: each list serves one.
      const broad = isBroadKey(key);
      const listKey = broad ? `${key}\u0000${incident.category}` : key;
      const lists = broad ? this.#recent : this.#byKey;
      let list = lists.get(listKey);
      if (!list) lists.set(listKey, (list = { entries: [], live: 0 }));
      if (isNew.has(key)) list.live++;
      list.entries.splice(position(list.entries, after), 0, after);
      if (list.entries.length > 2 * list.live + 16) list.entries = list.entries.filter((e) => (this.#incidents.get(e.id) as IncidentState).lastSeen === e.lastSeen);
    }
  }
}
