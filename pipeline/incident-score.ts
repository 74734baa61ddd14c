/**
 * Whether a new report belongs to a candidate incident: a logistic score over what the two share
 * (terms weighted by rarity, house, street, organisation, municipality) and what sets them apart
 * (another house, another numbered organisation, another category, time since the incident was
 * last reported). The weights live in config (`dedup.incidentMerge`); the defaults are fitted by
 * `npm run fit:incidents` on the dev half of `fixtures/incidents`, and the held-out half is only
 * ever used to report.
 */
import type { TermWeighting } from '../nlp/contract.js';
import type { IncidentCandidate } from '../store/contract.js';

export const INCIDENT_FEATURES = [
  'bias',
  /** Share of the report's term weight that the incident's terms cover. */
  'containment',
  /** Share of the incident's term weight that the report covers. */
  'coverage',
  /** Weight of the rarest shared term, over the largest possible weight. */
  'rarestShared',
  /** Rare shared terms (weight above half the maximum), up to four, over four. */
  'rareShared',
  'sameCategory',
  /** Categories citizens mix up for one problem on the ground (roads/urban, housing/energy). */
  'relatedCategory',
  'sharedHouse',
  /** A shared street, or a shared or neighbouring map cell. */
  'sharedStreet',
  /** Both name streets, none in common. */
  'otherStreet',
  'sharedOrganization',
  'otherOrganization',
  'sharedMunicipality',
  /** Hours since the incident's last report over the category's window, 0..1. */
  'age',
  /** The report names no street, house or map cell: it can only be placed by its words. */
  'placeless',
] as const;

export type IncidentFeature = (typeof INCIDENT_FEATURES)[number];
export type IncidentMergeWeights = Readonly<Record<IncidentFeature, number>>;

export interface IncidentMergeSettings {
  /** Probability above which a report joins the best candidate. */
  readonly threshold: number;
  readonly weights: IncidentMergeWeights;
}

/** A report's side of the comparison, computed once per problem rather than once per candidate. */
export interface ReportKeys {
  readonly munis: ReadonlySet<string>;
  readonly areas: ReadonlySet<string>;
  /** Street keys and map cells (with their neighbours). */
  readonly streets: ReadonlySet<string>;
  /** How many of `streets` are streets rather than map cells. */
  readonly streetNames: number;
  readonly addrs: ReadonlySet<string>;
  readonly orgs: ReadonlySet<string>;
  /** `kind:power|water|gas|heat|smell` when the report is about an area-wide problem. */
  readonly kind: string | null;
  /** `term:<term>` key -> the term's weight */
  readonly terms: ReadonlyMap<string, number>;
  readonly termMass: number;
  readonly storyKey: string;
  readonly category: string;
  /** Categories that count as related to `category`. */
  readonly related: readonly string[];
}

export interface CandidateContext {
  readonly weights: TermWeighting;
  /** The merge window in hours of the candidate's category: how long such a problem lasts. */
  readonly windowHours: number;
  /** How long after its last report an area-wide problem still absorbs reports from anywhere in its area. */
  readonly areaWideHours: number;
  readonly seenAt: number;
}

/**
 * The candidate cannot be the report's incident, or is certainly it: a copy of the same story, or
 * the same kind of area-wide problem (an outage, a smell) in the same municipality within the window.
 */
export type Verdict = 'veto' | 'same-story' | 'same-area-wide';

/** Weights by whole `term:` key: a busy incident's keys are judged again for every report. */
const keyWeightCaches = new WeakMap<TermWeighting, Map<string, number>>();
const KEY_WEIGHT_CACHE = 200_000;

const keyWeight = (weights: TermWeighting, key: string): number => {
  let cache = keyWeightCaches.get(weights);
  if (!cache) keyWeightCaches.set(weights, (cache = new Map()));
  let weight = cache.get(key);
  if (weight === undefined) {
    weight = weights.weight(key.slice(5));
    if (cache.size < KEY_WEIGHT_CACHE) cache.set(key, weight);
  }
  return weight;
};

/**
 * The features of a (report, candidate) pair in `INCIDENT_FEATURES` order, or a verdict: two named
 * municipalities that differ (or two source areas with no named municipality in common) veto the
 * merge whatever the words say, and so does an unrelated category without a house, street,
 * organisation or rare word in common; a copy of the same story, or an area-wide problem of the
 * same kind in the same place, joins its incident.
 */
export const incidentFeatures = (candidate: IncidentCandidate, ours: ReportKeys, context: CandidateContext): Float64Array | Verdict => {
  let theirMuni = false;
  let theirArea = false;
  let theirAddr = false;
  let theirOrg = false;
  let theirStreet = false;
  let sharedMuni = false;
  let sharedArea = false;
  let sharedAddr = false;
  let sharedStreet = false;
  let sharedOrg = false;
  let sharedStory = false;
  let sharedKind = false;
  let sharedMass = 0;
  let theirMass = 0;
  let rarest = 0;
  let rare = 0;
  const rareLine = context.weights.maxWeight / 2;
  // One pass over the candidate's keys (up to a hundred on a busy incident), lookups into ours.
  for (const key of candidate.placeKeys) {
    // startsWith, not a sliced prefix: a busy incident has a hundred keys and this runs per candidate.
    if (key.startsWith('term:')) {
      const weight = ours.terms.get(key);
      if (weight === undefined) {
        theirMass += keyWeight(context.weights, key);
      } else {
        theirMass += weight;
        sharedMass += weight;
        if (weight > rarest) rarest = weight;
        if (weight > rareLine) rare++;
      }
    } else if (key.startsWith('muni:')) {
      theirMuni = true;
      if (ours.munis.has(key)) sharedMuni = true;
    } else if (key.startsWith('area:')) {
      theirArea = true;
      if (ours.areas.has(key)) sharedArea = true;
    } else if (key.startsWith('addr:')) {
      theirAddr = true;
      if (ours.addrs.has(key)) sharedAddr = true;
    } else if (key.startsWith('street:')) {
      theirStreet = true;
      if (ours.streets.has(key)) sharedStreet = true;
    } else if (key.startsWith('geo:')) {
      if (ours.streets.has(key)) sharedStreet = true;
    } else if (key.startsWith('org:')) {
      theirOrg = true;
      if (ours.orgs.has(key)) sharedOrg = true;
    } else if (key.startsWith('story:')) {
      if (key === ours.storyKey) sharedStory = true;
    } else if (key.startsWith('kind:')) {
      if (key === ours.kind) sharedKind = true;
    }
  }
  if (ours.munis.size > 0 && theirMuni && !sharedMuni) return 'veto';
  if (ours.areas.size > 0 && theirArea && !sharedArea && !sharedMuni) return 'veto';
  // Another house is another problem: a pothole, a leak, a dump each have one. Even an outage: two
  // houses without hot water are as often two broken pipes as one. Templated complaints about
  // different houses read alike, so this holds for copies of one text too.
  if (ours.addrs.size > 0 && theirAddr && !sharedAddr) return 'veto';
  const otherStreet = ours.streetNames > 0 && theirStreet && !sharedStreet;
  if (sharedStory && !otherStreet) return 'same-story';
  // The rule for area-wide problems: one municipality, one outage at a time. Few labelled
  // examples of it fall in the dev half, so it is a rule rather than a fitted weight.
  if (sharedKind && (sharedMuni || sharedArea) && context.seenAt - Date.parse(candidate.lastSeen) <= context.areaWideHours * 3_600_000) return 'same-area-wide';
  const sameCategory = candidate.category === ours.category;
  const relatedCategory = !sameCategory && ours.related.includes(candidate.category);
  // The classifier and citizens disagree on categories, but an unrelated one needs a place in common.
  if (!sameCategory && !relatedCategory && !sharedAddr && !sharedStreet && !sharedOrg && rare === 0) return 'veto';
  const ageHours = (context.seenAt - Date.parse(candidate.lastSeen)) / 3_600_000;
  return Float64Array.of(
    1,
    ours.termMass > 0 ? sharedMass / ours.termMass : 0,
    theirMass > 0 ? sharedMass / theirMass : 0,
    rarest / context.weights.maxWeight,
    Math.min(rare, 4) / 4,
    sameCategory ? 1 : 0,
    relatedCategory ? 1 : 0,
    sharedAddr ? 1 : 0,
    sharedStreet ? 1 : 0,
    otherStreet ? 1 : 0,
    sharedOrg ? 1 : 0,
    ours.orgs.size > 0 && theirOrg && !sharedOrg ? 1 : 0,
    sharedMuni ? 1 : 0,
    Math.min(Math.max(ageHours / context.windowHours, 0), 1),
    ours.addrs.size === 0 && ours.streets.size === 0 ? 1 : 0,
  );
};

/** Terms weighing less than this share of the maximum (in more than ~10 % of posts) are left out. */
const COMMON_TERM_SHARE = 0.25;

export const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

/** The probability that the report and the candidate describe one problem, or null for a veto. */
export const incidentProbability = (candidate: IncidentCandidate, ours: ReportKeys, context: CandidateContext, settings: IncidentMergeSettings): number | null => {
  const features = incidentFeatures(candidate, ours, context);
  if (features === 'veto') return null;
  if (features === 'same-story' || features === 'same-area-wide') return 1;
  let z = 0;
  for (let i = 0; i < INCIDENT_FEATURES.length; i++) z += (features[i] as number) * settings.weights[INCIDENT_FEATURES[i] as IncidentFeature];
  return logistic(z);
};

/**
 * The report's most telling terms, rarest first: rare words tie reports together, common ones only
 * add noise and, as lookup keys, would gather every short complaint of the region under one key ("яма").
 */
export const reportTerms = (terms: Iterable<string>, weights: TermWeighting, limit: number): Map<string, number> => {
  const floor = weights.maxWeight * COMMON_TERM_SHARE;
  const unique = new Map<string, number>();
  for (const term of terms) {
    if (unique.has(term)) continue;
    const weight = weights.weight(term);
    if (weight >= floor) unique.set(term, weight);
  }
  // Rarest first, so that callers may take the head as the most telling few.
  return new Map([...unique].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit));
};

/**
 * A report's keys as the store keeps them (`IncidentReport.placeKeys`) plus its neighbouring map
 * cells: the same view whether it is built in the dedup stage or read back by the weight fitter.
 */
export const reportKeysOf = (storedKeys: readonly string[], queryKeys: readonly string[], weights: TermWeighting, category: string, related: readonly string[]): ReportKeys => {
  const set = (keys: readonly string[], ...prefixes: string[]) => new Set(keys.filter((k) => prefixes.some((p) => k.startsWith(p))));
  const terms = new Map<string, number>();
  let termMass = 0;
  for (const key of storedKeys) {
    if (!key.startsWith('term:')) continue;
    const weight = keyWeight(weights, key);
    terms.set(key, weight);
    termMass += weight;
  }
  return {
    munis: set(storedKeys, 'muni:'),
    areas: set(storedKeys, 'area:'),
    streets: set(queryKeys, 'street:', 'geo:'),
    streetNames: set(queryKeys, 'street:').size,
    addrs: set(storedKeys, 'addr:'),
    orgs: set(storedKeys, 'org:'),
    kind: storedKeys.find((k) => k.startsWith('kind:')) ?? null,
    terms,
    termMass,
    storyKey: storedKeys.find((k) => k.startsWith('story:')) ?? '',
    category,
    related,
  };
};
