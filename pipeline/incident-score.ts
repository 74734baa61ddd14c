/**
 * Whether a new report belongs to a candidate incident: a logistic score over what the two share
 * (terms weighted by rarity, house, street, organisation, municipality) and what sets them apart
 * (another house, another numbered organisation, another category, time since the incident was
 * last reported). The weights live in config (`dedup.incidentMerge`); the defaults are fitted by
 * `npm run fit:incidents` on the dev half of `fixtures/incidents`, and the held-out half is only
 * ever used to report.
 */
import { sortSmall } from '../core/sort-small.js';
import type { TermWeighting } from '../nlp/contract.js';
import type { IncidentCandidate } from '../store/contract.js';
import { lastSeenMsOf } from './epoch-cache.js';
import { promisedEndMs, UNTIL_PREFIX } from './promised-end.js';

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
  /** A problem topic in common (`nlp/topics.ts`): a pothole, a cold radiator, stray dogs. */
  'sharedTopic',
  /** A transport route number in common ("автобус 40", "40й"). */
  'sharedRoute',
  /** The report comes from a source that already reported the incident: a thread of one community. */
  'sameSource',
  /** A shared topic within a day of the incident's last report: the same trouble, still being talked about. */
  'recentTopic',
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
  // Arrays rather than sets: a report has a handful of each, looked up in the candidate's sets.
  readonly munis: readonly string[];
  readonly areas: readonly string[];
  /** `district:` keys: the city districts named, or those of the streets named. */
  readonly districts: readonly string[];
  /** Street keys, then map cells (with their neighbours). */
  readonly streets: readonly string[];
  /** How many of `streets` are streets rather than map cells. */
  readonly streetNames: number;
  readonly addrs: readonly string[];
  readonly orgs: readonly string[];
  /** `topic:` and `route:` keys. */
  readonly topics: readonly string[];
  readonly routes: readonly string[];
  /** `site:` keys: landmarks named (`nlp/landmarks.ts`). */
  readonly sites: readonly string[];
  /** `src:<source id>`. */
  readonly sourceKey: string;
  /** `kind:power|water|gas|heat|smell` when the report is about an area-wide problem. */
  readonly kind: string | null;
  /** A reply in an outage thread that names no utility ("Кирова тоже тьма", `nlp/area-wide.ts`). */
  readonly reply: boolean;
  /** An outage report that says "me too" ("Берёзовская 90 тоже без газа", `nlp/area-wide.ts` saysMeToo). */
  readonly meToo: boolean;
  /** The report tells an outage's end ("дали свет"). */
  readonly ended: boolean;
  /** The report says its trouble goes on ("так и не починили", "опять", `nlp/persistence.ts`). */
  readonly persists: boolean;
  /** A power outage report that names street lights too: it may be about the lamps alone. */
  readonly lamps: boolean;
  /** `term:<term>` keys, and their weights at the same index. */
  readonly terms: readonly string[];
  readonly termWeights: readonly number[];
  readonly termMass: number;
  readonly storyKey: string;
  readonly category: string;
  /** `cat:<category>`: an incident whose reports had this category as a fair alternative holds it. */
  readonly categoryKey: string;
  /** Categories that count as related to `category`. */
  readonly related: readonly string[];
}

export interface CandidateContext {
  readonly weights: TermWeighting;
  /** The merge window in hours of the candidate's category: how long such a problem lasts. */
  readonly windowHours: number;
  /** How long after its last report an area-wide problem still absorbs reports from anywhere in its area. */
  readonly areaWideHours: number;
  /** The same for the kinds that last longer than a power cut, by `AreaWideKind`. */
  readonly areaWideHoursByKind: Readonly<Partial<Record<string, number>>>;
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

/** A candidate's side of the comparison, sorted by kind once per version of its key list. */
interface TheirKeys {
  readonly terms: ReadonlySet<string>;
  readonly termMass: number;
  readonly munis: ReadonlySet<string>;
  readonly areas: ReadonlySet<string>;
  readonly districts: ReadonlySet<string>;
  readonly addrs: ReadonlySet<string>;
  /** Street keys and map cells. */
  readonly places: ReadonlySet<string>;
  /** How many named streets: more than one makes an outage's incident area-wide already. */
  readonly streets: number;
  readonly orgs: ReadonlySet<string>;
  readonly topics: ReadonlySet<string>;
  readonly routes: ReadonlySet<string>;
  readonly sites: ReadonlySet<string>;
  /** An area-wide kind among the keys: the incident is (or took in) an outage or a smell. */
  readonly outage: boolean;
  /** The end of the latest day a report promised the outage's end (`pipeline/promised-end.ts`), in ms; 0 when none did. */
  readonly openUntil: number;
  readonly others: ReadonlySet<string>;
}

/**
 * By key list, which stores replace rather than mutate: the in-memory index hands out the same array
 * until the incident gains keys, so a busy incident, judged again for every report that finds it,
 * is sorted once rather than each time.
 */
const theirKeysCaches = new WeakMap<TermWeighting, WeakMap<readonly string[], TheirKeys>>();

const theirKeysOf = (candidate: IncidentCandidate, weights: TermWeighting): TheirKeys => {
  let cache = theirKeysCaches.get(weights);
  if (!cache) theirKeysCaches.set(weights, (cache = new WeakMap()));
  const cached = cache.get(candidate.placeKeys);
  if (cached) return cached;
  const terms = new Set<string>();
  const munis = new Set<string>();
  const areas = new Set<string>();
  const districts = new Set<string>();
  const addrs = new Set<string>();
  const places = new Set<string>();
  const orgs = new Set<string>();
  const topics = new Set<string>();
  const routes = new Set<string>();
  const sites = new Set<string>();
  const others = new Set<string>();
  let termMass = 0;
  let streets = 0;
  let outage = false;
  let openUntil = 0;
  for (const key of candidate.placeKeys) {
    // startsWith, not a sliced prefix: a busy incident has a hundred keys.
    if (key.startsWith('term:')) {
      terms.add(key);
      termMass += keyWeight(weights, key);
    } else if (key.startsWith('muni:')) munis.add(key);
    else if (key.startsWith('area:')) areas.add(key);
    else if (key.startsWith('district:')) districts.add(key);
    else if (key.startsWith('addr:')) addrs.add(key);
    else if (key.startsWith('street:')) {
      if (!places.has(key)) streets++;
      places.add(key);
    } else if (key.startsWith('geo:')) places.add(key);
    else if (key.startsWith('org:')) orgs.add(key);
    else if (key.startsWith('topic:')) topics.add(key);
    else if (key.startsWith('route:')) routes.add(key);
    else if (key.startsWith('site:')) sites.add(key);
    else {
      if (key.startsWith('kind:')) outage = true;
      else if (key.startsWith(UNTIL_PREFIX)) openUntil = Math.max(openUntil, promisedEndMs(key));
      others.add(key);
    }
  }
  const keys = { terms, termMass, munis, areas, districts, addrs, places, streets, orgs, topics, routes, sites, outage, openUntil, others };
  cache.set(candidate.placeKeys, keys);
  return keys;
};

/** Whether one of the first `count` of ours is among theirs. */
const sharesAny = (ours: readonly string[], theirs: ReadonlySet<string>, count = ours.length): boolean => {
  if (theirs.size === 0) return false;
  for (let i = 0; i < count; i++) if (theirs.has(ours[i] as string)) return true;
  return false;
};

/** Topics that name a place rather than a trouble at it: a beach's litter and its oil slick are two troubles. */
const PLACE_TOPICS: ReadonlySet<string> = new Set(['topic:school', 'topic:kindergarten', 'topic:clinic', 'topic:bus-stop', 'topic:public-office', 'topic:beach']);

/**
 * Troubles that are one on the ground as often as not: a road dug up and left is the road's damage,
 * muddy water is the supply coming back, water standing under a bridge waits for a pump
 * ("откачка"), smoke and a smell are one emission, and cold radiators and no hot water are one
 * heat main broken ("коминтерна 41 подтверждаю холодные. и горячей воды нет"): both come from it.
 * A traffic light gone dark in a power cut is the cut's ("Баумана 44 тоже нет, и светофор погас").
 */
const KINDRED: readonly (readonly string[])[] = [
  ['topic:construction', 'topic:road-damage'],
  ['topic:water-supply', 'topic:water-quality'],
  ['topic:flooding', 'topic:sewer'],
  ['topic:burning', 'topic:smell', 'topic:emission'],
  ['topic:heating', 'topic:water-supply'],
  ['topic:power', 'topic:traffic-light'],
  // A yard not cleared: its snow ruts one day, its ice the next.
  ['topic:snow', 'topic:ice'],
  // Rats come to rubbish left unremoved ("мусор не вывозят неделю … крысы").
  ['topic:garbage', 'topic:vermin'],
];
const KIN = new Map<string, readonly string[]>();
for (const family of KINDRED) for (const topic of family) KIN.set(topic, [...new Set([...(KIN.get(topic) ?? []), ...family])]);

/** The outage a trouble topic is one house's share of: cold radiators in a district's heat outage. */
const OUTAGE_OF: ReadonlyMap<string, string> = new Map([['topic:heating', 'kind:heat'], ['topic:water-supply', 'kind:water'], ['topic:power', 'kind:power'], ['topic:gas', 'kind:gas']]);
const namesOutageOf = (topics: readonly string[], others: ReadonlySet<string>): boolean =>
  topics.some((topic) => {
    const kind = OUTAGE_OF.get(topic);
    return kind !== undefined && others.has(kind);
  });

/** Whether the topics hold the trouble of the outage kind, or a kindred one (a heat main's burst gives both). */
const namesKindTroubleOf = (kind: string, topics: ReadonlySet<string>): boolean => {
  for (const [topic, outage] of OUTAGE_OF) if (outage === kind && kinAmong(topic, topics)) return true;
  return false;
};

/**
 * What a reply in an outage thread may name besides the outage: the lift or the traffic lights it
 * stopped, the street lamps, the tap water, a smell, the tree that brought the wires down.
 * "третью неделю нет инсулина" in a city feed the morning after a burst main is no reply to it,
 * though the thread had a pensioner in it.
 */
const OUTAGE_SYMPTOMS: ReadonlySet<string> = new Set([...OUTAGE_OF.keys(), 'topic:water-quality', 'topic:street-light', 'topic:traffic-light', 'topic:elevator', 'topic:intercom', 'topic:smell', 'topic:burning', 'topic:emission', 'topic:sewer', 'topic:flooding', 'topic:trees']);
const isOutageSymptom = (topic: string): boolean => !isTroubleTopic(topic) || OUTAGE_SYMPTOMS.has(topic);

/** A `topic:` key naming a trouble rather than a place ("topic:school" is where, not what). */
export const isTroubleTopic = (topic: string): boolean => !PLACE_TOPICS.has(topic);

const namesTrouble = (topics: Iterable<string>): boolean => {
  for (const topic of topics) if (isTroubleTopic(topic)) return true;
  return false;
};
const sharesTrouble = (ours: readonly string[], theirs: ReadonlySet<string>): boolean => ours.some((topic) => isTroubleTopic(topic) && theirs.has(topic));
/** The topic, or a kindred one (`KINDRED`), is among theirs. */
const kinAmong = (topic: string, theirs: ReadonlySet<string>): boolean => theirs.has(topic) || (KIN.get(topic)?.some((kin) => theirs.has(kin)) ?? false);
/** A trouble in common, or a kindred one. */
const sharesKin = (ours: readonly string[], theirs: ReadonlySet<string>): boolean => ours.some((topic) => isTroubleTopic(topic) && kinAmong(topic, theirs));

/**
 * Whether the report tells again a trouble the incident is about: said to go on in the feed that
 * reported it, naming no place of its own ("собаки у вокзала так и живут", "в ЦРБ так и нет второго
 * терапевта"), or on its route or at its numbered organisation, from any feed, said to go on or not
 * ("по 7ке что-нибудь изменилось?? опять 50 мин ждали на Шохина", "Автобус А-68 — это
 * издевательство. Интервал 35–45 минут", "Управление образования: в МБОУ СОШ № 4 выявлена
 * неисправность" after "в четвертой школе холодно"): a route or a school's number is as precise a
 * place as a house. Such a report shares few words with
 * the first one, but it can only mean the one incident of that trouble there (`dedup.ts` joins it
 * only when exactly one candidate qualifies). An outage has its own rules.
 */
export const sameThread = (candidate: IncidentCandidate, ours: ReportKeys, weights: TermWeighting): boolean => {
  if (ours.kind !== null || !ours.related.includes(candidate.category)) return false;
  const theirs = theirKeysOf(candidate, weights);
  if (theirs.outage || !sharesTrouble(ours.topics, theirs.topics)) return false;
  if (sharesAny(ours.orgs, theirs.orgs)) return true;
  if (candidate.category !== ours.category) return false;
  // A district named that the incident lacks is a place of its own: in a city-wide feed, "Автозавод,
  // … почти две недели без лифта" is not the lift on Белинского it reported last week. The feed's
  // own town named ("дворники в Бору вообще есть?") is none.
  const ownDistrict = ours.munis.some((muni) => !theirs.munis.has(muni) && !theirs.areas.has(`area:${muni.slice('muni:'.length)}`));
  return (ours.persists && namesNoPlace(ours) && !ownDistrict && theirs.others.has(ours.sourceKey)) || sharesAny(ours.routes, theirs.routes);
};

/**
 * How long an outage said to go on at its own house or street stays open: "газа так и нет на
 * Федосеенко, третий день" (a gas cut for a leak lasts until every flat is checked). Longer, and
 * "пятый день нет горячей" at one house is its own riser, not the district's outage of last week.
 */
const LINGERING_OUTAGE_HOURS = 96;
/**
 * The same at its own house: a gas cut for a leak in one entrance, or one house's riser, is
 * complained about for weeks ("Краснодонцев 5 — газа так и нет, уже 10-й день").
 */
const LINGERING_HOUSE_HOURS = 21 * 24;

/** An outage report at an incident of another outage: hot water gone at a heat main's burst. */
export const atOtherOutage = (candidate: IncidentCandidate, ours: ReportKeys, weights: TermWeighting): boolean => {
  if (ours.kind === null) return false;
  const theirs = theirKeysOf(candidate, weights);
  return theirs.outage && !theirs.others.has(ours.kind);
};

/** The report says the candidate's outage goes on at one of its houses or streets. */
const lingers = (theirs: TheirKeys, ours: ReportKeys): boolean =>
  ours.kind !== null && ours.persists && theirs.others.has(ours.kind) && (sharesAny(ours.addrs, theirs.addrs) || sharesAny(ours.streets, theirs.places, ours.streetNames));

/** How long the candidate's outage may linger for this report: 0 unless the report says it goes on at one of its houses or streets. */
const lingeringHours = (theirs: TheirKeys, ours: ReportKeys): number =>
  // A district's outage reported from several streets is over in days (one house then without hot
  // water is its own riser), and one whose end was told is over: "снова свет отключили" at its
  // house a week on is the next one.
  !lingers(theirs, ours) ? 0 : theirs.streets <= 1 && !theirs.others.has(ENDED_KEY) && sharesAny(ours.addrs, theirs.addrs) ? LINGERING_HOUSE_HOURS : LINGERING_OUTAGE_HOURS;

/**
 * Hours from the candidate's last report to the end of the day its outage was promised to end,
 * when the report may be news of that outage (its kind, a thread reply, or its trouble at one
 * house: "горячей нет"); or `lingeringHours` for a report of its kind that says it goes
 * on at one of its houses or streets; else 0. A planned shutdown that runs late is complained about
 * for days.
 */
export const openOutageHours = (candidate: IncidentCandidate, ours: ReportKeys, at: number, weights: TermWeighting): number => {
  const theirs = theirKeysOf(candidate, weights);
  if (lingers(theirs, ours))
    return Math.max(lingeringHours(theirs, ours), stillOpen(theirs, ours, at) ? (theirs.openUntil - lastSeenMsOf(candidate)) / 3_600_000 : 0);
  if (!stillOpen(theirs, ours, at)) return 0;
  const relates = (ours.kind !== null && theirs.others.has(ours.kind)) || ours.reply || namesOutageOf(ours.topics, theirs.others);
  return relates ? (theirs.openUntil - lastSeenMsOf(candidate)) / 3_600_000 : 0;
};

/**
 * Whether the outage's promised day has not passed, for a report from its own place: its district
 * or town named, one of its streets, or the feed that reported it. A city's whole area is not
 * enough: days on, another water outage there is as likely.
 */
const stillOpen = (theirs: TheirKeys, ours: ReportKeys, at: number): boolean =>
  at <= theirs.openUntil && (sharesAny(ours.munis, theirs.munis) || sharesAny(ours.streets, theirs.places, ours.streetNames) || theirs.others.has(ours.sourceKey));

/**
 * Whether the report names a house or a numbered organisation the candidate has, and no trouble
 * that the candidate lacks (nor a kindred one): more words on the same trouble there, not a second
 * trouble of the same building (its canteen after its cold classrooms).
 */
export const sameTroubleThere = (candidate: IncidentCandidate, ours: ReportKeys, weights: TermWeighting): boolean => {
  const theirs = theirKeysOf(candidate, weights);
  if (!sharesAny(ours.addrs, theirs.addrs) && !sharesAny(ours.orgs, theirs.orgs)) return false;
  return ours.topics.every((topic) => !isTroubleTopic(topic) || kinAmong(topic, theirs.topics));
};

/** The report names no house, street, map cell, numbered organisation or route. */
const namesNoPlace = (ours: ReportKeys): boolean => ours.addrs.length === 0 && ours.streets.length === 0 && ours.orgs.length === 0 && ours.routes.length === 0;

/**
 * Whether the report may join the candidate later than its category's window: a problem anchored
 * at a house, a numbered organisation or a route, or one that its community keeps reporting, is
 * complained about for weeks ("лифт на Фаворского 3 так и не починили", "собаки у восьмой школы
 * так и бегают"). The topic keeps a house's next, other trouble (the intercom after the hot water)
 * out; an outage is no such problem.
 */
export const sharesAnchor = (candidate: IncidentCandidate, ours: ReportKeys, weights: TermWeighting): boolean => {
  // An outage is over in hours: "снова свет отключили" a week on is the next one.
  if (ours.kind !== null) return false;
  const theirs = theirKeysOf(candidate, weights);
  // Nor does one whose end was told, unless the report says it goes on ("так и нет горячей"): the
  // boiler that fails again a week after "тепло пошло" is a new episode.
  if (theirs.outage && theirs.others.has(ENDED_KEY) && !ours.persists) return false;
  const anchored = sharesAny(ours.addrs, theirs.addrs) || sharesAny(ours.orgs, theirs.orgs) || sharesAny(ours.routes, theirs.routes);
  // The trouble, not the place: a school's fence and its cold gym both say "школа". Days after an
  // outage, only the utility itself is its trouble still: a dark park is its lamps ("в парке до сих
  // пор темнота на аллеях"), a lift stopped a week on is the lift ("мончегорская, почти две недели
  // без лифта" after a power cut that had stopped one).
  if (sharesTrouble(theirs.outage ? ours.topics.filter((topic) => OUTAGE_OF.has(topic)) : ours.topics, theirs.topics)) {
    // The same trouble at the same house, organisation, route or street ("на фаворского свалка
    // растёт"); or said to go on ("яма у проходной, две недели уже"); or, naming no place of its
    // own, told again in its category (or one an earlier report of it had a fair chance of: a dump
    // is waste or ecology) by the feed that reported it (a town's group, a district's chat: "собаки
    // у школы так и бегают"). A place of its own the incident lacks says another one.
    return (
      anchored ||
      ours.persists ||
      sharesAny(ours.streets, theirs.places, ours.streetNames) ||
      (namesNoPlace(ours) && (candidate.category === ours.category || theirs.others.has(ours.categoryKey)) && theirs.others.has(ours.sourceKey))
    );
  }
  // With the place alone and no topic the first report named, only a report that says its trouble
  // goes on ("школа 2 — плиту так и не починили", "сорок третий опять нет").
  return ours.persists && anchored;
};

/**
 * The features of a (report, candidate) pair in `INCIDENT_FEATURES` order, or a verdict: two named
 * municipalities that differ (or two source areas with no named municipality in common) veto the
 * merge whatever the words say, and so does a category that is neither the report's nor related to
 * it; a copy of the same story, or an area-wide problem of the same kind in the same place, joins
 * its incident.
 */
export const incidentFeatures = (candidate: IncidentCandidate, ours: ReportKeys, context: CandidateContext, out = new Float64Array(INCIDENT_FEATURES.length)): Float64Array | Verdict => {
  const theirs = theirKeysOf(candidate, context.weights);
  const sameCategory = candidate.category === ours.category;
  // Related by configuration or by the classifier's second choices, the report's (ours.related) or
  // those an earlier report left with the incident (`cat:` keys).
  // A follow-up is short ("коминтерна 39 холодно", "канатка стоит, кабинки висят") and the
  // classifier often files it elsewhere; the same trouble at the same named place, or told again in
  // the same community's feed within two days, says more.
  const sharedTopic = sharesAny(ours.topics, theirs.topics);
  const relatedCategory =
    !sameCategory &&
    (ours.related.includes(candidate.category) ||
      theirs.others.has(ours.categoryKey) ||
      // A route number is only read next to transport words: "кто ездит на 43-м?" is about route 43
      // whatever category the classifier gave the question.
      sharesAny(ours.routes, theirs.routes) ||
      (sharedTopic &&
        (sharesAny(ours.streets, theirs.places, ours.streetNames) ||
          sharesAny(ours.addrs, theirs.addrs) ||
          sharesAny(ours.orgs, theirs.orgs) ||
          sharesAny(ours.routes, theirs.routes) ||
          // Told again in the same feed within two days, or later in words that say it goes on
          // ("рейс на 5.50 так и не вернули" after a cancelled bus the classifier filed as urban).
          (theirs.others.has(ours.sourceKey) && (ours.persists || context.seenAt - lastSeenMsOf(candidate) <= THREAD_HOURS * 3_600_000)))));
  // An unrelated category is vetoed below unless a rule joins it first (same story, same outage);
  // without their keys no rule can, and the other checks need not run. Lookups in every category
  // make this the common case.
  // A reply in the thread of an outage names no utility, and the classifier files it anywhere.
  const threadReply = ours.reply && theirs.outage && theirs.others.has(ours.sourceKey);
  if (!sameCategory && !relatedCategory && !threadReply && !theirs.others.has(ours.storyKey) && (ours.kind === null || !theirs.others.has(ours.kind))) return 'veto';
  const sharedMuni = sharesAny(ours.munis, theirs.munis);
  const sharedArea = sharesAny(ours.areas, theirs.areas);
  const sinceLast = context.seenAt - lastSeenMsOf(candidate);
  // Smoke drifts over district lines: the burning tyres behind Бурнаковка were smelt in Сормово,
  // Канавино and the Московский district the same evening. Pipes and cables do not.
  // So is a reply in its thread ("Московский район — то же самое").
  const drift = (ours.kind === SMELL_KEY || threadReply) && theirs.others.has(SMELL_KEY) && sharedArea && sinceLast <= context.areaWideHours * 3_600_000;
  if (ours.munis.length > 0 && theirs.munis.size > 0 && !sharedMuni && !drift) return 'veto';
  if (ours.areas.length > 0 && theirs.areas.size > 0 && !sharedMuni && !sharedArea) return 'veto';
  // Two districts of one city, named or read off the streets: the outage on Лескова and the one on
  // Сахарова the same evening are two. A bus route runs through several.
  if (ours.districts.length > 0 && theirs.districts.size > 0 && !sharesAny(ours.districts, theirs.districts) && !sharesAny(ours.routes, theirs.routes) && !drift) return 'veto';
  // The rule for area-wide problems: one municipality, one outage at a time. Few labelled
  // examples of it fall in the dev half, so it is a rule rather than a fitted weight.
  // An outage's end is told when it comes, hours after its last complaint.
  // A burst main or a heating break takes a day to mend; a power cut, hours. A thread reply, which
  // names no utility, keeps to the hours: a day on, "тоже нет" is as often the next outage.
  const hours = (ours.kind !== null ? kindHoursOf(context.areaWideHoursByKind, ours.kind) : undefined) ?? context.areaWideHours;
  // A planned shutdown promised to end on a day runs until that day, however long ago its last report;
  // an outage said to go on at its house or street, `lingeringHours`.
  const recent =
    (sharedMuni || sharedArea || drift) &&
    (sinceLast <= Math.max(hours, ours.ended ? endedHours(context.areaWideHours) : 0, lingeringHours(theirs, ours)) * 3_600_000 || stillOpen(theirs, ours, context.seenAt));
  const sameKind = ours.kind !== null && theirs.others.has(ours.kind);
  // A smell of petrol over an oil spill on the canal is the spill's, not the evening's burning
  // smell elsewhere in town: a smell report that names a trouble of its own is about that trouble.
  // What burns is no trouble of its own: "горит сухая трава и мусор на пустыре" is the smoke's cause.
  const burns = ours.topics.includes(BURNING_TOPIC);
  const ownTrouble =
    ours.kind === SMELL_KEY && ours.topics.some((topic) => isTroubleTopic(topic) && !KIN.get(SMELL_TOPIC)?.includes(topic) && !theirs.topics.has(topic) && !(burns && FUEL.has(topic)));
  // A report that names no outage but the trouble of one ("у Культуры 6 пар валит", "батареи
  // ледяные") is one more house of an outage already reported from several streets.
  // Naming only the trouble, it must be in the outage's district or town, or on one of its streets:
  // a cold classroom somewhere in a city the size of Нижний is no house of Сормово's heat outage.
  const atOutage = sharedMuni || sharesAny(ours.streets, theirs.places, ours.streetNames) || (ours.districts.length === 0 && theirs.districts.size === 0);
  // A street of no known district, in a city whose outage is in one: "пр Ленина 93 без света" (the
  // avenue crosses two districts) from another feed is as likely the next district's outage that
  // stormy evening.
  const elsewhere = ours.kind !== SMELL_KEY && !sharedMuni && theirs.districts.size > 0 && ours.districts.length === 0 && ours.streetNames > 0 && !sharesAny(ours.streets, theirs.places, ours.streetNames) && !theirs.others.has(ours.sourceKey);
  const areaWide = (ours.kind !== null ? sameKind && !ownTrouble && !elsewhere : theirs.streets > 1 && namesOutageOf(ours.topics, theirs.others) && atOutage) && recent;
  // Both name troubles, none in common nor kindred: vetoed below, and no thread reply either. A place
  // in common is no trouble in common: a street light out "от остановки" and a bus that skips the
  // stop both say "остановка", a clinic's queue and its roof both say "поликлиника".
  const otherTrouble =
    ours.topics.length > 0 &&
    theirs.topics.size > 0 &&
    !sharesKin(ours.topics, theirs.topics) &&
    (!sharedTopic || (namesTrouble(ours.topics) && namesTrouble(theirs.topics)));
  // "Дзержинского 35 тоже нет" is one more house of the outage its thread is about, unless it names
  // a trouble the outage does not have.
  // A reply that names a numbered building ("в 151й школе в кабинетах холодно") must be at the
  // outage too: a city-wide feed's thread is the whole city's.
  const outageReply = threadReply && recent && !otherTrouble && (ours.orgs.length === 0 || atOutage) && ours.topics.every(isOutageSymptom);
  // Another house is another problem: a pothole, a leak, a dump each have one. Even an outage: two
  // houses without hot water are as often two broken pipes as one, until the same outage has been
  // reported from several streets within hours ("Кирова 10 тоже", "Львовская, Южное шоссе — нет
  // отопления"): then one more house is one more house of it. Templated complaints about different
  // houses read alike, so the rule holds for copies of one text too.
  const sharedAddr = sharesAny(ours.addrs, theirs.addrs);
  // "Берёзовская 90 тоже без газа" a quarter of an hour after "газ отключили на Березовской 88", in
  // the same feed: one more house of that outage, though it was reported from one street so far.
  const meToo = ours.meToo && areaWide && theirs.others.has(ours.sourceKey);
  // A street in common, or else a map cell in common. Two named streets that differ are two places
  // even when their cells touch: cells come from a street's centre in the gazetteer, and one street
  // a kilometre long neighbours many others.
  const sharedStreetName = ours.streetNames > 0 && sharesAny(ours.streets, theirs.places, ours.streetNames);
  // Its end told at another house of its street ("батареи потеплели ночью, Калинина 12" after
  // "Калинина 8 тоже холодно") is the same outage ending, however many streets reported it.
  const outageStreet = sameKind && (theirs.streets > 1 || ours.ended) && sharedStreetName;
  // A main that burst on a street ("на Коминтерна у 139 из-под асфальта бьёт кипяток") takes the
  // outage it causes at another house of that street within the outage's hours ("коминтерна 141
  // батареи ледяные"): the burst is the cause, not a second broken pipe.
  const burstStreet = ours.kind !== null && !theirs.outage && namesKindTroubleOf(ours.kind, theirs.topics) && sharedStreetName && recent;
  if (ours.addrs.length > 0 && theirs.addrs.size > 0 && !sharedAddr && !(areaWide && theirs.streets > 1) && !outageReply && !outageStreet && !meToo && !burstStreet) return 'veto';
  // A route runs along many streets: the stop a rider names is no other place of the route's trouble.
  const sharedRoute = sharesAny(ours.routes, theirs.routes);
  // Two crossings of one avenue are two places: the lights at Ванеева/Бекетова and at Ванеева/Лопатина.
  const otherCrossing = ours.streetNames === 2 && theirs.streets === 2 && theirs.places.has(ours.streets[0] as string) !== theirs.places.has(ours.streets[1] as string);
  const otherStreet = ours.streetNames > 0 && theirs.streets > 0 && (!sharedStreetName || otherCrossing) && !sharedRoute;
  // A landmark in common ("у вокзала", "на привокзальной площади") places two reports as a street does.
  const sharedStreet = sharedStreetName || (!otherStreet && (sharesAny(ours.streets, theirs.places) || sharesAny(ours.sites, theirs.sites)));
  if (!otherStreet && theirs.others.has(ours.storyKey)) return 'same-story';
  // A house's own trouble (its lift, its roof) told by a feed that never names the house, and a
  // report from elsewhere that names one: any house of the town is as likely ("Молодежный 86, лифт
  // не работает" is no news of "лифт во втором подъезде стоит" in one block's group).
  if (ours.addrs.length > 0 && theirs.addrs.size === 0 && theirs.places.size === 0 && !theirs.others.has(ours.sourceKey) && ours.topics.some((topic) => HOUSE_TROUBLES.has(topic)) && !theirs.outage) return 'veto';
  if (areaWide || outageReply || burstStreet || (outageStreet && (!theirs.others.has(ENDED_KEY) || ours.persists))) return 'same-area-wide';
  let sharedMass = 0;
  let rarest = 0;
  let rare = 0;
  const rareLine = context.weights.maxWeight / 2;
  for (let i = 0; i < ours.terms.length; i++) {
    if (!theirs.terms.has(ours.terms[i] as string)) continue;
    const weight = ours.termWeights[i] as number;
    sharedMass += weight;
    if (weight > rarest) rarest = weight;
    if (weight > rareLine) rare++;
  }
  const sharedOrg = sharesAny(ours.orgs, theirs.orgs);
  // The rule: one problem has one category, or two that citizens and the classifier mix up
  // (relatedCategories). One address is not enough: a yard flooded and its bins overflowing are
  // two problems of one house.
  if (!sameCategory && !relatedCategory) return 'veto';
  // Likewise within a category: two named troubles with none in common are two problems, even at
  // one house (a broken lift and no hot water at Белинского 32, a dead traffic light and a dark
  // street on one avenue).
  if (otherTrouble) return 'veto';
  // An outage is no news of a trouble that is none: "свет пропал" on a street whose lamps are out.
  if (ours.kind === 'kind:power' && !ours.lamps && !theirs.outage && !theirs.others.has(ours.storyKey)) return 'veto';
  // Route 68 not running and route 40 not running are two services, like two houses.
  if (!sharedRoute && ours.routes.length > 0 && theirs.routes.size > 0) return 'veto';
  const ageHours = sinceLast / 3_600_000;
  // Written into `out`: the score reuses one buffer for every candidate instead of allocating each time.
  out[0] = 1;
  out[1] = ours.termMass > 0 ? sharedMass / ours.termMass : 0;
  out[2] = theirs.termMass > 0 ? sharedMass / theirs.termMass : 0;
  out[3] = rarest / context.weights.maxWeight;
  out[4] = Math.min(rare, 4) / 4;
  out[5] = sameCategory ? 1 : 0;
  out[6] = relatedCategory ? 1 : 0;
  out[7] = sharedAddr ? 1 : 0;
  // A route's streets are its stops: a report naming none of its routes meets it there by chance.
  out[8] = sharedStreet && (theirs.routes.size === 0 || ours.routes.length > 0) ? 1 : 0;
  out[9] = otherStreet ? 1 : 0;
  out[10] = sharedOrg ? 1 : 0;
  out[11] = ours.orgs.length > 0 && theirs.orgs.size > 0 && !sharedOrg ? 1 : 0;
  out[12] = sharedMuni ? 1 : 0;
  out[13] = Math.min(Math.max(ageHours / context.windowHours, 0), 1);
  out[14] = ours.addrs.length === 0 && ours.streets.length === 0 ? 1 : 0;
  out[15] = sharedTopic ? 1 : 0;
  out[16] = sharedRoute ? 1 : 0;
  out[17] = theirs.others.has(ours.sourceKey) ? 1 : 0;
  out[18] = sharedTopic && ageHours <= 24 ? 1 : 0;
  return out;
};

/** A stored key of a report that reads as a reply in an outage thread (`nlp/area-wide.ts` outageReply). */
export const REPLY_KEY = 'reply:outage';
/** A stored key of an outage report that says "me too" (`nlp/area-wide.ts` saysMeToo). */
export const ME_TOO_KEY = 'reply:me-too';
/** A stored key of a report that tells an outage's end (`nlp/area-wide.ts` outageEnded). */
export const ENDED_KEY = 'reply:ended';
/** Stored with a report that says its trouble goes on: score-only, like the reply keys. */
export const PERSISTS_KEY = 'reply:persists';
/** A stored key of a power outage report that names street lights as well (`nlp/area-wide.ts` namesLamps). */
export const LAMPS_KEY = 'reply:lamps';
/** The hours `areaWideHoursByKind` gives the outage of a `kind:` key, if it lists that kind. */
export const kindHoursOf = (byKind: Readonly<Partial<Record<string, number>>>, kindKey: string): number | undefined => byKind[kindKey.slice(KIND_PREFIX.length)];

const KIND_PREFIX = 'kind:';
/** The area-wide kind of a smell or smoke (`nlp/area-wide.ts`), and its topic. */
const SMELL_KEY = 'kind:smell';
const SMELL_TOPIC = 'topic:smell';
const BURNING_TOPIC = 'topic:burning';
/** Troubles of one building. */
const HOUSE_TROUBLES: ReadonlySet<string> = new Set(['topic:elevator', 'topic:intercom', 'topic:roof-leak']);
/** What a fire on waste ground burns: rubbish, grass, a dump. */
const FUEL: ReadonlySet<string> = new Set(['topic:garbage', 'topic:grass', 'topic:dump']);
/** How many times `areaWideHours` an outage's end may come after its last complaint: a day by default. */
const ENDED_WINDOW_FACTOR = 4;
/** How long after an outage's last complaint its end may still be told ("Свет дали в 3 ночи"). */
export const endedHours = (areaWideHours: number): number => areaWideHours * ENDED_WINDOW_FACTOR;

/** How long a community's feed keeps talking about one trouble: a follow-up there bridges categories. */
const THREAD_HOURS = 48;

/** Terms weighing less than this share of the maximum (in more than ~10 % of posts) are left out. */
const COMMON_TERM_SHARE = 0.25;

export const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

const scratch = new Float64Array(INCIDENT_FEATURES.length);

/** The weights in feature order, once per settings object rather than a keyed read per feature and candidate. */
const weightVectors = new WeakMap<IncidentMergeWeights, Float64Array>();
const weightVector = (weights: IncidentMergeWeights): Float64Array => {
  let vector = weightVectors.get(weights);
  if (!vector) weightVectors.set(weights, (vector = Float64Array.from(INCIDENT_FEATURES, (name) => weights[name])));
  return vector;
};

/** The probability that the report and the candidate describe one problem, or null for a veto. */
export const incidentProbability = (candidate: IncidentCandidate, ours: ReportKeys, context: CandidateContext, settings: IncidentMergeSettings): number | null => {
  const features = incidentFeatures(candidate, ours, context, scratch);
  if (features === 'veto') return null;
  if (features === 'same-story' || features === 'same-area-wide') return 1;
  const weights = weightVector(settings.weights);
  let z = 0;
  for (let i = 0; i < weights.length; i++) z += (features[i] as number) * (weights[i] as number);
  return logistic(z);
};

/** A term (or its `term:` key) with its weight. */
export interface WeightedTerm {
  readonly key: string;
  readonly weight: number;
}

/**
 * The report's most telling terms, rarest first: rare words tie reports together, common ones only
 * add noise and, as lookup keys, would gather every short complaint of the region under one key ("яма").
 */
export const rarestTerms = <T extends WeightedTerm>(terms: Iterable<T>, weights: TermWeighting, limit: number): T[] => {
  const floor = weights.maxWeight * COMMON_TERM_SHARE;
  const kept: T[] = [];
  // A few dozen words per report: a scan of what is kept costs less than a set.
  for (const term of terms) {
    if (term.weight < floor || kept.some((k) => k.key === term.key)) continue;
    kept.push(term);
  }
  // Rarest first, so that callers may take the head as the most telling few.
  return sortSmall(kept, (a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1)).slice(0, limit);
};

/**
 * A report's keys as the store keeps them (`IncidentReport.placeKeys`) plus its neighbouring map
 * cells: the same view whether it is built in the dedup stage or read back by the weight fitter.
 */
export const reportKeysOf = (storedKeys: readonly string[], queryKeys: readonly string[], weights: TermWeighting, category: string, related: readonly string[]): ReportKeys => {
  const munis: string[] = [];
  const areas: string[] = [];
  const districts: string[] = [];
  const addrs: string[] = [];
  const orgs: string[] = [];
  const topics: string[] = [];
  const routes: string[] = [];
  const sites: string[] = [];
  let sourceKey = '';
  const terms: string[] = [];
  const termWeights: number[] = [];
  let termMass = 0;
  let kind: string | null = null;
  let storyKey: string | null = null;
  let reply = false;
  let ended = false;
  let persists = false;
  let lamps = false;
  let meToo = false;
  const add = (list: string[], key: string) => {
    if (!list.includes(key)) list.push(key);
  };
  for (const key of storedKeys) {
    if (key.startsWith('term:')) {
      if (terms.includes(key)) continue;
      const weight = keyWeight(weights, key);
      terms.push(key);
      termWeights.push(weight);
      termMass += weight;
    } else if (key.startsWith('muni:')) add(munis, key);
    else if (key.startsWith('area:')) add(areas, key);
    else if (key.startsWith('district:')) add(districts, key);
    else if (key.startsWith('addr:')) add(addrs, key);
    else if (key.startsWith('org:')) add(orgs, key);
    else if (key.startsWith('topic:')) add(topics, key);
    else if (key.startsWith('route:')) add(routes, key);
    else if (key.startsWith('site:')) add(sites, key);
    else if (sourceKey === '' && key.startsWith('src:')) sourceKey = key;
    else if (kind === null && key.startsWith('kind:')) kind = key;
    else if (storyKey === null && key.startsWith('story:')) storyKey = key;
    else if (key === REPLY_KEY) reply = true;
    else if (key === ENDED_KEY) ended = true;
    else if (key === PERSISTS_KEY) persists = true;
    else if (key === LAMPS_KEY) lamps = true;
    else if (key === ME_TOO_KEY) meToo = true;
  }
  // Street names first, then map cells: the score reads the first `streetNames` as names.
  const streets: string[] = [];
  for (const key of queryKeys) if (key.startsWith('street:') && !streets.includes(key)) streets.push(key);
  const streetNames = streets.length;
  for (const key of queryKeys) if (key.startsWith('geo:') && !streets.includes(key)) streets.push(key);
  return { munis, areas, districts, streets, streetNames, addrs, orgs, topics, routes, sites, sourceKey, kind, reply, meToo, ended, persists, lamps, terms, termWeights, termMass, storyKey: storyKey ?? '', category, categoryKey: `cat:${category}`, related };
};
