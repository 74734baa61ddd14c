/**
 * What this process wrote to Elasticsearch in the last moments, for dedup lookups. Search sees a
 * document only after the next refresh (the feed indices refresh every second, never per write),
 * while the next batch may already need an incident or a story member written by the previous one.
 * Entries are kept for `ttlMs` (well past a refresh) and at most `maxEntries` of each kind; they
 * hold only what candidate lookups need, like the in-memory dedup index.
 */
import type { CandidateEntry } from './docs.js';

export interface MemberEntry {
  readonly postId: string;
  readonly storyId: string;
  readonly bands: readonly string[];
  readonly signature: Uint32Array;
  readonly semantic: Uint32Array | null;
}

export interface RecentWritesOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now?: () => number;
}

/** Entries with an index from key to ids, expiring oldest first. */
class Expiring<T> {
  readonly #entries = new Map<string, { value: T; keys: readonly string[]; at: number }>();
  readonly #byKey = new Map<string, Set<string>>();
  readonly #options: Required<RecentWritesOptions>;

  constructor(options: Required<RecentWritesOptions>) {
    this.#options = options;
  }

  put(id: string, value: T, keys: readonly string[]): void {
    this.delete(id);
    this.#entries.set(id, { value, keys, at: this.#options.now() });
    for (const key of keys) {
      let ids = this.#byKey.get(key);
      if (!ids) this.#byKey.set(key, (ids = new Set()));
      ids.add(id);
    }
    this.#expire();
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    for (const key of entry.keys) {
      const ids = this.#byKey.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.#byKey.delete(key);
    }
  }

  get(id: string): T | undefined {
    this.#expire();
    return this.#entries.get(id)?.value;
  }

  withAny(keys: readonly string[]): T[] {
    this.#expire();
    const ids = new Set<string>();
    for (const key of keys) for (const id of this.#byKey.get(key) ?? []) ids.add(id);
    return [...ids].map((id) => (this.#entries.get(id) as { value: T }).value);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#byKey.clear();
  }

  #expire(): void {
    const oldest = this.#options.now() - this.#options.ttlMs;
    // Map iteration is insertion order, and `put` re-inserts: the first entries are the oldest.
    // Strictly younger than the ttl: with a ttl of 0 nothing is kept, even within the same millisecond.
    for (const [id, entry] of this.#entries) {
      if (entry.at > oldest && this.#entries.size <= this.#options.maxEntries) break;
      this.delete(id);
    }
  }
}

export class RecentWrites {
  readonly #members: Expiring<MemberEntry>;
  readonly #incidents: Expiring<CandidateEntry>;
  /** Incidents deleted by a merge: search may still return them until the next refresh. */
  readonly #deleted: Expiring<true>;

  constructor(options: RecentWritesOptions) {
    const full = { now: Date.now, ...options };
    this.#members = new Expiring(full);
    this.#incidents = new Expiring(full);
    this.#deleted = new Expiring(full);
  }

  putMember(member: MemberEntry): void {
    this.#members.put(member.postId, member, member.bands);
  }

  putIncident(entry: CandidateEntry): void {
    this.#deleted.delete(entry.id);
    this.#incidents.put(entry.id, entry, entry.keys);
  }

  deleteIncident(id: string): void {
    this.#incidents.delete(id);
    this.#deleted.put(id, true, []);
  }

  isDeleted(id: string): boolean {
    return this.#deleted.get(id) === true;
  }

  membersSharing(bands: readonly string[]): MemberEntry[] {
    return this.#members.withAny(bands);
  }

  incidentsWith(keys: readonly string[]): CandidateEntry[] {
    return this.#incidents.withAny(keys);
  }

  incident(id: string): CandidateEntry | undefined {
    return this.#incidents.get(id);
  }

  get size(): { readonly members: number; readonly incidents: number } {
    return { members: this.#members.size, incidents: this.#incidents.size };
  }

  clear(): void {
    this.#members.clear();
    this.#incidents.clear();
    this.#deleted.clear();
  }
}
