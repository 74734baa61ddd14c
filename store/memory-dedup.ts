/**
 * A dedup index held in memory, for `radar analyze`: the same candidates as the SQLite store's (the
 * shared contract test proves it), without a database round trip per lookup. It lives as long as
 * the process and holds only what dedup needs: signatures, band and place keys, time ranges.
 */
import type { DedupIndex, IncidentCandidate, IncidentCandidateQuery, IncidentReport, RefutationCandidate, StoryCandidate, StoryMember, StoryStats } from './contract.js';
import { sortSmall } from '../core/sort-small.js';
import { BAND_ROWS, BROAD_KEY_ROWS, isBroadKey, isScoreOnlyKey, KEY_ROWS, MAX_PLACE_KEYS } from './dedup-limits.js';

interface StoryState {
  size: number;
  readonly sources: Set<string>;
  firstSeen: string;
  lastSeen: string;
}

/** A story member, one object for all its bands, with a lookup's scratch counters (see incidents). */
interface MemberState {
  readonly postId: string;
  readonly storyId: string;
  readonly signature: Uint32Array;
  readonly semantic: Uint32Array | null;
  stamp: number;
  count: number;
}

interface IncidentState {
  readonly id: string;
  readonly category: string;
  firstSeen: string;
  lastSeen: string;
  firstSeenMs: number;
  /** `lastSeen` in epoch milliseconds: walks and ranking compare numbers (times are canonical ISO strings). */
  lastSeenMs: number;
  /** Scratch space of one lookup: which lookup last counted this incident, and how many of its keys hit. */
  stamp: number;
  hits: number;
  /** The first MAX_PLACE_KEYS keys; replaced, never mutated, so that views may share it. */
  placeKeys: readonly string[];
  readonly signature: Uint32Array;
  /** What lookups hand out, rebuilt when the incident changes rather than on every lookup. */
  view: IncidentCandidate;
}

const viewOf = (incident: IncidentState): IncidentCandidate => ({
  id: incident.id,
  category: incident.category,
  status: 'open',
  placeKeys: incident.placeKeys,
  firstSeen: incident.firstSeen,
  lastSeen: incident.lastSeen,
  firstSeenMs: incident.firstSeenMs,
  lastSeenMs: incident.lastSeenMs,
  signature: incident.signature,
});

/** The default order of `Array.prototype.sort` for strings: by UTF-16 code units. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order of `rankIncidentHits` (more shared keys, then newer, then the larger id), on numbers. */
const byHitsThenRecency = (a: IncidentState, b: IncidentState): number =>
  b.hits - a.hits || b.lastSeenMs - a.lastSeenMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** One band row of a lookup: counted on the member, listed the first time this lookup meets it. */
const countMember = (member: MemberState, stamp: number, found: MemberState[]): void => {
  if (member.stamp === stamp) member.count++;
  else {
    member.stamp = stamp;
    member.count = 1;
    found.push(member);
  }
};

/** Inserts keeping the array sorted, as an index would. */
const insertSorted = (list: MemberState[], entry: MemberState): void => {
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
  /** The incident's `lastSeenMs` when the entry was made: stale once the incident has moved on. */
  readonly at: number;
  /** The incident itself: a walk checks staleness and category without a map lookup per entry. */
  readonly incident: IncidentState;
}

/** Entries ascending by (time, incident id); `live` counts the (incident, key) pairs, the rest are stale. */
interface RecencyList {
  entries: RecencyEntry[];
  live: number;
}

/**
 * The first `limit` of `items` in `byHitsThenRecency` order. A lookup finds three or four times as
 * many incidents as it returns: inserting into a short sorted head compares far less than sorting
 * all, and allocates nothing but the head.
 */
const topOf = (items: readonly IncidentState[], limit: number): IncidentState[] => {
  const head: IncidentState[] = [];
  for (const item of items) {
    const full = head.length === limit;
    if (full && byHitsThenRecency(item, head[limit - 1] as IncidentState) >= 0) continue;
    let at = full ? limit - 1 : head.length;
    if (!full) head.push(item);
    while (at > 0 && byHitsThenRecency(item, head[at - 1] as IncidentState) < 0) {
      head[at] = head[at - 1] as IncidentState;
      at--;
    }
    head[at] = item;
  }
  return head;
};

/** Whether entry `a` comes before `b` ascending by (time, id). */
const before = (a: RecencyEntry, b: RecencyEntry): boolean => a.at < b.at || (a.at === b.at && a.incident.id < b.incident.id);

/** Where `entry` sits in a list sorted ascending by (time, id). */
const position = (list: readonly RecencyEntry[], entry: RecencyEntry): number => {
  // A stream in time order appends: check the end before searching.
  const last = list[list.length - 1];
  if (last === undefined || before(last, entry)) return list.length;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid] as RecencyEntry, entry)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export class MemoryDedupIndex implements DedupIndex {
  /**
   * Per band, its members by post id (the SQLite index's order). Most bands hold one member, kept
   * bare: an array only from the second spares sixteen small arrays per post, most never read again.
   */
  readonly #bands = new Map<string, MemberState | MemberState[]>();
  readonly #members = new Map<string, MemberState>();
  readonly #stories = new Map<string, StoryState>();
  readonly #incidents = new Map<string, IncidentState>();
  /**
   * Per broad key, then category, incidents in recency order (the SQLite index on key, category,
   * last_seen): a lookup reads the newest few instead of sorting every incident of a busy town.
   */
  readonly #recent = new Map<string, Map<string, RecencyList>>();
  /** The category filter of a lookup, by the caller's array: the dedup stage passes the same few. */
  readonly #allowed = new WeakMap<readonly string[], ReadonlySet<string>>();
  /** Per key, whatever the category (the SQLite index on key, last_seen): specific keys read it. */
  readonly #byKey = new Map<string, RecencyList>();
  /** Every key of an incident (uncapped, like incident_keys), to move it in the recency lists. */
  readonly #keysOf = new Map<string, { readonly set: Set<string>; readonly list: string[] }>();
  readonly #reports = new Set<string>();
  #lookups = 0;
  readonly #found: IncidentState[] = [];

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
    // The rows of rankStoryHits, counted on the members themselves: band order, then post id (the
    // SQLite query's ORDER BY), each band once, at most BAND_ROWS rows.
    const stamp = ++this.#lookups;
    const found: MemberState[] = [];
    const bands = sortSmall(bandKeys.slice(), byCodeUnits);
    let rows = 0;
    for (let b = 0; b < bands.length && rows < BAND_ROWS; b++) {
      if (b > 0 && bands[b] === bands[b - 1]) continue;
      const entry = this.#bands.get(bands[b] as string);
      if (!entry) continue;
      if (!Array.isArray(entry)) {
        rows++;
        countMember(entry, stamp, found);
        continue;
      }
      for (let m = 0; m < entry.length && rows < BAND_ROWS; m++, rows++) countMember(entry[m] as MemberState, stamp, found);
    }
    // Then as rankStoryHits ranks them: per story the member sharing the most bands (the first found
    // on a tie), stories sharing the most first (the first found on a tie).
    const best = new Map<string, MemberState>();
    for (const member of found) {
      const current = best.get(member.storyId);
      if (!current || member.count > current.count) best.set(member.storyId, member);
    }
    return sortSmall([...best.values()], (a, b) => b.count - a.count)
      .slice(0, limit)
      .map((m) => ({ postId: m.postId, storyId: m.storyId, signature: m.signature, semantic: m.semantic }));
  }

  async addToStory(member: StoryMember): Promise<StoryStats> {
    if (!this.#members.has(member.postId)) {
      const state: MemberState = { postId: member.postId, storyId: member.storyId, signature: member.signature, semantic: member.semantic ?? null, stamp: 0, count: 0 };
      this.#members.set(member.postId, state);
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
        const entry = this.#bands.get(band);
        if (!entry) this.#bands.set(band, state);
        else if (Array.isArray(entry)) insertSorted(entry, state);
        else if (entry.postId !== state.postId) this.#bands.set(band, entry.postId < state.postId ? [entry, state] : [state, entry]);
      }
    }
    const story = this.#stories.get(member.storyId) as StoryState;
    return { storyId: member.storyId, size: story.size, sources: story.sources.size, firstSeen: story.firstSeen, lastSeen: story.lastSeen };
  }

  /**
   * Newest first from one recency list, skipping entries left behind when their incident moved on
   * (and other categories when `allowed` is given), stopping at `since` or after `limit` incidents.
   * Hits are counted on the incidents themselves (stamped with the lookup), not in a map.
   */
  #walk(list: RecencyList | undefined, since: number, limit: number, allowed: ReadonlySet<string> | null, stamp: number, out: IncidentState[]): void {
    if (!list) return;
    const { entries } = list;
    let taken = 0;
    for (let i = entries.length - 1; i >= 0 && taken < limit; i--) {
      const entry = entries[i] as RecencyEntry;
      if (entry.at < since) break;
      const { incident } = entry;
      if (incident.lastSeenMs !== entry.at) continue;
      if (allowed && !allowed.has(incident.category)) continue;
      if (incident.stamp === stamp) incident.hits++;
      else {
        incident.stamp = stamp;
        incident.hits = 1;
        out.push(incident);
      }
      taken++;
    }
  }

  async incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]> {
    // Scratch, emptied per lookup: only the returned head is new.
    const found = this.#found;
    found.length = 0;
    const stamp = ++this.#lookups;
    const since = Date.parse(query.since);
    let allowed = this.#allowed.get(query.categories);
    if (!allowed) this.#allowed.set(query.categories, (allowed = new Set(query.categories)));
    for (const key of query.placeKeys) {
      if (isBroadKey(key)) {
        const byCategory = this.#recent.get(key);
        if (byCategory) for (const category of query.broadCategories ?? query.categories) this.#walk(byCategory.get(category), since, BROAD_KEY_ROWS, null, stamp, found);
      } else {
        this.#walk(this.#byKey.get(key), since, KEY_ROWS, allowed, stamp, found);
      }
    }
    // The order of rankIncidentHits, which the other backends use; the contract test holds them together.
    return topOf(found, query.limit).map((incident) => incident.view);
  }

  #list(key: string, category: string): RecencyList {
    // Broad keys are read per category, specific ones across categories: each list serves one.
    let lists = this.#byKey;
    if (isBroadKey(key)) {
      let byCategory = this.#recent.get(key);
      if (!byCategory) this.#recent.set(key, (byCategory = new Map()));
      lists = byCategory;
      key = category;
    }
    let list = lists.get(key);
    if (!list) lists.set(key, (list = { entries: [], live: 0 }));
    return list;
  }

  async addIncidentReport(report: IncidentReport): Promise<void> {
    const reportKey = `${report.postId}#${report.problemIndex}`;
    if (this.#reports.has(reportKey)) return;
    this.#reports.add(reportKey);
    let incident = this.#incidents.get(report.incidentId);
    const previous = incident ? incident.lastSeen : null;
    let keys = this.#keysOf.get(report.incidentId);
    // A list beside the set: moving an incident walks its keys, and arrays walk without iterators.
    if (!keys) this.#keysOf.set(report.incidentId, (keys = { set: new Set(), list: [] }));
    const added: string[] = [];
    // Of those, the keys lookups ask for: only they get a recency list.
    const indexed: string[] = [];
    for (const key of report.placeKeys) {
      if (keys.set.has(key)) continue;
      keys.set.add(key);
      added.push(key);
      if (isScoreOnlyKey(key)) continue;
      keys.list.push(key);
      indexed.push(key);
    }
    if (!incident) {
      incident = {
        id: report.incidentId,
        category: report.category,
        firstSeen: report.seenAt,
        lastSeen: report.seenAt,
        firstSeenMs: Date.parse(report.seenAt),
        lastSeenMs: Date.parse(report.seenAt),
        stamp: 0,
        hits: 0,
        placeKeys: added.slice(0, MAX_PLACE_KEYS),
        signature: report.signature,
        view: undefined as unknown as IncidentCandidate,
      };
      this.#incidents.set(incident.id, incident);
    } else {
      if (report.seenAt < incident.firstSeen) {
        incident.firstSeen = report.seenAt;
        incident.firstSeenMs = Date.parse(report.seenAt);
      }
      if (report.seenAt > incident.lastSeen) {
        incident.lastSeen = report.seenAt;
        incident.lastSeenMs = Date.parse(report.seenAt);
      }
      // The kept keys are the first MAX_PLACE_KEYS the incident was given, in that order.
      if (added.length > 0 && incident.placeKeys.length < MAX_PLACE_KEYS) incident.placeKeys = incident.placeKeys.concat(added).slice(0, MAX_PLACE_KEYS);
    }
    incident.view = viewOf(incident);
    const after: RecencyEntry = { at: incident.lastSeenMs, incident };
    // When the incident's last activity moves, its new entry goes in (at the end, for a stream in
    // time order) and the old one stays behind, skipped on read: no array shifting per report.
    const moved = previous !== incident.lastSeen;
    // The added keys come last in the set's insertion order.
    const walked = moved ? keys.list : indexed;
    const firstNew = moved ? walked.length - indexed.length : 0;
    for (let i = 0; i < walked.length; i++) {
      const list = this.#list(walked[i] as string, incident.category);
      if (i >= firstNew) list.live++;
      const at = position(list.entries, after);
      if (at === list.entries.length) list.entries.push(after);
      else list.entries.splice(at, 0, after);
      if (list.entries.length > 2 * list.live + 16) list.entries = list.entries.filter((e) => e.incident.lastSeenMs === e.at);
    }
  }
}
