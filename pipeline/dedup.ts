/**
 * Story and incident assignment. Posts are handled one after another, each against what the store
 * already holds, so the same engine gives the same answer in `radar analyze` and in the service.
 * Candidates always come from an index lookup (LSH bands, place keys): no all-pairs comparison.
 */
import type { IsoDateTime, Problem } from '../core/types.js';
import type { IncidentCandidate } from '../store/contract.js';
import type { ClassifiedItem, DedupedItem, StageContext } from './items.js';
import { keysOfKind, type Place, placeOf } from './place-keys.js';

export interface DedupSettings {
  readonly storySimilarity: number;
  readonly defaultWindowHours: number;
  readonly incidentWindowHours: Readonly<Record<string, number>>;
}

/** Posts with fewer tokens carry too little text to call them copies of each other. */
const MIN_STORY_TOKENS = 4;
const STORY_CANDIDATES = 8;
const INCIDENT_CANDIDATES = 20;
/**
 * A copy this close adds nothing to the band index that its twin did not: leaving it out keeps the
 * buckets of a story copied to fifty channels as small as those of a story told once.
 */
const NEAR_EXACT = 0.9;

/** Problems that citizens file under neighbouring categories but that are one problem on the ground. */
const compatible: Readonly<Record<string, readonly string[]>> = {
  roads: ['roads', 'urban'],
  urban: ['urban', 'roads'],
  housing: ['housing', 'energy'],
  energy: ['energy', 'housing'],
};

/** Two independent 32-bit FNV-1a hashes: a 64-bit id, deterministic and far cheaper than a digest. */
const hash32 = (key: string, basis: number): string => {
  let h = basis;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
};

export const makeId = (prefix: 'sto' | 'inc' | 'ref', key: string): string => `${prefix}_${hash32(key, 0x811c9dc5)}${hash32(key, 0x050c5d1f)}`;

const shiftHours = (iso: IsoDateTime, hours: number): IsoDateTime => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

const windowHours = (settings: DedupSettings, category: string): number =>
  settings.incidentWindowHours[category] ?? settings.defaultWindowHours;

/**
 * How strongly a candidate incident matches, or null when it must not be merged. Places that
 * contradict each other (another town, another street) veto the merge even for copies of one text,
 * because templated complaints about different houses read alike. Otherwise a shared story beats a
 * shared house beats a shared street or cell; a municipality alone needs clearly similar text.
 */
export interface OurKeys {
  readonly munis: ReadonlySet<string>;
  readonly streets: ReadonlySet<string>;
  readonly addrs: ReadonlySet<string>;
  /** Street and cell keys to meet candidates by, neighbouring cells included. */
  readonly nearby: ReadonlySet<string>;
}

/** Computed once per problem, not once per candidate. */
export const ourKeys = (place: Place): OurKeys => ({
  munis: new Set(keysOfKind(place.stored, 'muni')),
  streets: new Set(keysOfKind(place.stored, 'street')),
  addrs: new Set(keysOfKind(place.stored, 'addr')),
  nearby: new Set([...keysOfKind(place.query, 'street'), ...keysOfKind(place.query, 'geo')]),
});

export const matchScore = (candidate: IncidentCandidate, ours: OurKeys, storyKey: string, similarity: number): number | null => {
  // One pass over the candidate's keys (up to a hundred on a busy incident), lookups into ours.
  let theirMuni = false;
  let theirStreet = false;
  let theirAddr = false;
  let sharedMuni = false;
  let sharedStreet = false;
  let sharedAddr = false;
  let sharedNearby = false;
  let sharedStory = false;
  for (const key of candidate.placeKeys) {
    if (key.startsWith('muni:')) {
      theirMuni = true;
      if (ours.munis.has(key)) sharedMuni = true;
    } else if (key.startsWith('street:')) {
      theirStreet = true;
      if (ours.streets.has(key)) sharedStreet = true;
      if (ours.nearby.has(key)) sharedNearby = true;
    } else if (key.startsWith('addr:')) {
      theirAddr = true;
      if (ours.addrs.has(key)) sharedAddr = true;
    } else if (key === storyKey) sharedStory = true;
    else if (ours.nearby.has(key)) sharedNearby = true;
  }
  const conflict = (mine: ReadonlySet<string>, theirs: boolean, shared: boolean): boolean => mine.size > 0 && theirs && !shared;
  if (conflict(ours.munis, theirMuni, sharedMuni) || conflict(ours.streets, theirStreet, sharedStreet)) return null;
  // Same street, another house: one outage can cover both, a pothole cannot.
  if (conflict(ours.addrs, theirAddr, sharedAddr)) return similarity >= 0.6 ? 1 + similarity : null;
  if (sharedStory) return 3 + similarity;
  if (sharedAddr) return 2 + similarity;
  if (sharedNearby && similarity >= 0.1) return 1 + similarity;
  if (sharedMuni && similarity >= 0.45) return similarity;
  return null;
};

const assignStory = async (item: ClassifiedItem, ctx: StageContext, seenAt: IsoDateTime) => {
  const { fingerprinter } = ctx.nlp;
  const signature = fingerprinter.signature(item.doc);
  const bandKeys = item.doc.tokens.length >= MIN_STORY_TOKENS ? fingerprinter.bands(signature) : [];
  let best: { storyId: string; similarity: number } | null = null;
  for (const candidate of await ctx.dedupIndex.storyCandidates(bandKeys, STORY_CANDIDATES)) {
    if (candidate.postId === item.post.id) continue;
    const similarity = fingerprinter.similarity(signature, candidate.signature);
    if (similarity >= ctx.dedup.storySimilarity && (!best || similarity > best.similarity)) best = { storyId: candidate.storyId, similarity };
  }
  const storyId = best?.storyId ?? makeId('sto', item.post.id);
  const indexed = best && best.similarity >= NEAR_EXACT ? [] : bandKeys;
  const story = await ctx.dedupIndex.addToStory({ storyId, postId: item.post.id, source: item.post.source, seenAt, signature, bandKeys: indexed });
  return { storyId, story, signature, bandKeys };
};

const assignIncident = async (item: ClassifiedItem, problem: Problem, storyId: string, postSignature: Uint32Array, ctx: StageContext, seenAt: IsoDateTime) => {
  const place = placeOf(problem.facts, item.facts, item.post.location);
  const storyKey = `story:${storyId}`;
  const hours = windowHours(ctx.dedup, problem.category);
  // The problem's own words, without re-normalising its text.
  const tokens = item.doc.tokens.filter((t) => t.span.start >= problem.span.start && t.span.end <= problem.span.end);
  const signature = tokens.length === item.doc.tokens.length ? postSignature : ctx.nlp.fingerprinter.signature({ ...item.doc, tokens });
  const candidates = await ctx.dedupIndex.incidentCandidates({
    placeKeys: [...place.query, storyKey],
    categories: compatible[problem.category] ?? [problem.category],
    since: shiftHours(seenAt, -hours),
    limit: INCIDENT_CANDIDATES,
  });
  let best: { id: string; score: number } | null = null;
  const latestStart = shiftHours(seenAt, hours);
  const ours = ourKeys(place);
  for (const candidate of candidates) {
    if (candidate.firstSeen > latestStart) continue;
    const score = matchScore(candidate, ours, storyKey, ctx.nlp.fingerprinter.similarity(signature, candidate.signature));
    if (score !== null && (!best || score > best.score)) best = { id: candidate.id, score };
  }
  const incidentId = best?.id ?? makeId('inc', `${item.post.id}#${problem.index}`);
  await ctx.dedupIndex.addIncidentReport({
    incidentId,
    postId: item.post.id,
    problemIndex: problem.index,
    source: item.post.source,
    seenAt,
    category: problem.category,
    title: titleOf(problem.text),
    urgency: problem.urgency,
    municipality: place.municipality,
    address: place.address,
    location: item.post.location ? { lat: item.post.location.lat, lon: item.post.location.lon } : null,
    placeKeys: [...place.stored, storyKey],
    signature,
    facts: problem.facts,
  });
  return incidentId;
};

const TITLE_CHARS = 140;

export const titleOf = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= TITLE_CHARS) return flat;
  const cut = flat.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
};

export const dedupOne = async (item: ClassifiedItem, ctx: StageContext): Promise<DedupedItem> => {
  const seenAt = item.post.publishedAt ?? item.post.collectedAt;
  const { storyId, story, signature, bandKeys } = await assignStory(item, ctx, seenAt);
  const incidentIds: string[] = [];
  for (const problem of item.problems) incidentIds.push(await assignIncident(item, problem, storyId, signature, ctx, seenAt));
  // Each problem carries its incident from here on: the index stage and `radar analyze` read it there.
  const problems = item.problems.map((problem, i) => ({ ...problem, incidentId: incidentIds[i] as string }));
  return { ...item, problems, storyId, story, incidentIds, signature, bandKeys };
};
