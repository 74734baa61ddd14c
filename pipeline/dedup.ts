/**
 * Story and incident assignment. Posts are handled one after another, each against what the store
 * already holds, so the same engine gives the same answer in `radar analyze` and in the service.
 * Candidates always come from an index lookup (LSH bands, place keys): no all-pairs comparison.
 */
import { makeId } from '../core/ids.js';
import type { AddressFact, AreaWideKind, IsoDateTime, Problem, Span } from '../core/types.js';
import type { IncidentCandidate } from '../store/contract.js';
import type { Segment, TermWeighting, Token } from '../nlp/contract.js';
import { saysFixed } from '../nlp/resolution.js';
import { areaWideKind, namesLamps, outageEnded, outageReply, saysMeToo } from '../nlp/area-wide.js';
import { troublePersists } from '../nlp/persistence.js';
import { intercityService, problemTopicKeys, routeNumbers, saysSetOnFire, tripService } from '../nlp/topics.js';
import { landmarkKeys } from '../nlp/landmarks.js';
import { semanticBands, semanticBits, semanticCosine } from '../nlp/semantic-hash.js';
import { termOf } from '../nlp/term-weights.js';
import { inside } from '../nlp/facts/span.js';
import { firstSeenMsOf, lastSeenMsOf } from './epoch-cache.js';
import { atOtherOutage, type CandidateContext, endedHours, incidentProbability, openOutageHours, type IncidentMergeSettings, isTroubleTopic, kindHoursOf, rarestTerms, sameThread, sameTroubleThere, ENDED_KEY, LAMPS_KEY, ME_TOO_KEY, PERSISTS_KEY, REPLY_KEY, reportKeysOf, type ReportKeys, sharesAnchor, type WeightedTerm } from './incident-score.js';
import type { ClassifiedItem, DedupedItem, StageContext } from './items.js';
import { placeOf } from './place-keys.js';
import { promisedEnd, UNTIL_PREFIX } from './promised-end.js';

export interface DedupSettings {
  readonly storySimilarity: number;
  readonly storyCosine: number;
  readonly defaultWindowHours: number;
  readonly incidentWindowHours: Readonly<Record<string, number>>;
  /** How long an incident absorbs a report of its trouble anchored to it (`sharesAnchor`): its house, street, route, feed. */
  readonly anchoredWindowHours: number;
  readonly relatedCategories: Readonly<Record<string, readonly string[]>>;
  readonly incidentMerge: IncidentMergeSettings & {
    /** Look candidates up in every category, not only related ones. */
    readonly anyCategory: boolean;
  };
  /** How long an outage or a smell keeps absorbing reports from anywhere in its municipality. */
  readonly areaWideHours: number;
  /** The same per area-wide kind, for those that take longer to mend. */
  readonly areaWideHoursByKind: Readonly<Partial<Record<AreaWideKind, number>>>;
  /** Source id -> the municipality it covers (a city's public group), for reports that name no place. */
  readonly sourceAreas: Readonly<Record<string, string>>;
}

/** The outages a reply in a thread may be about: it names none, so it looks each up. */
const OUTAGE_KEYS: readonly string[] = ['kind:power', 'kind:water', 'kind:heat', 'kind:gas'];

/** Rare words of a report kept as lookup keys: enough to meet its incident, few enough to keep lists short. */
const TERMS_PER_REPORT = 12;
/** Of those, the rarest ones used to look candidates up. */
const LOOKUP_TERMS = 6;

/**
 * A word's `term:` key and weight, by its norm (the stem, and so the term, follows from the norm):
 * the same words come back post after post, and a lookup costs less than stemming, slicing and
 * weighing them again.
 */
const termCaches = new WeakMap<TermWeighting, Map<string, WeightedTerm | null>>();
const TERM_CACHE = 100_000;

const termsOf = (tokens: readonly Token[], weights: TermWeighting): WeightedTerm[] => {
  let cache = termCaches.get(weights);
  if (!cache) termCaches.set(weights, (cache = new Map()));
  const out: WeightedTerm[] = [];
  for (const token of tokens) {
    let entry = cache.get(token.norm);
    if (entry === undefined) {
      const term = termOf(token);
      entry = term === null ? null : { key: `term:${term}`, weight: weights.weight(term) };
      // Cleared rather than evicted one by one: the words of the day come back within a few posts.
      if (cache.size >= TERM_CACHE) cache.clear();
      cache.set(token.norm, entry);
    }
    if (entry !== null) out.push(entry);
  }
  return out;
};

/** The `term:` keys a report is stored and scored with, rarest first. */
export const reportTermKeys = (tokens: readonly Token[], weights: TermWeighting): string[] =>
  rarestTerms(termsOf(tokens, weights), weights, TERMS_PER_REPORT).map((term) => term.key);

/** The tokens outside every one of the facts' spans: the same array when none is inside one. */
const outside = <F extends { readonly span: Span }>(tokens: readonly Token[], facts: readonly F[], names: (token: Token, fact: F) => boolean = () => true): readonly Token[] => {
  if (facts.length === 0) return tokens;
  let out: Token[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    let named = false;
    for (const fact of facts) {
      if (inside(token.span, fact.span) && names(token, fact)) {
        named = true;
        break;
      }
    }
    if (named) out ??= tokens.slice(0, i);
    else if (out) out.push(token);
  }
  return out ?? tokens;
};

/** The words an address is said with besides its street's own: its type, its house, the prepositions between. */
const ADDRESS_WORD = /^(\d.*|ул|улиц.*|д|дом.*|кв|корп.*|к|стр|пр|просп.*|пр-т|пер|переул.*|ш|шоссе|бульв.*|б-р|пл|площад[иья]?|наб.*|мкр|микрорайон.*|у|возле|около|напротив|рядом|на|в|во|по|с|со|и|№)$/;

/**
 * Whether a word inside an address's span names the address: "На Ошарской тополь упал прямо на
 * машины у дома 52" is one address, but the fallen poplar between its street and its house is the
 * trouble.
 */
const namesAddress = (token: Token, fact: AddressFact): boolean => {
  if (ADDRESS_WORD.test(token.norm)) return true;
  const stem = token.norm.slice(0, 4);
  return (fact.street ?? fact.text).toLowerCase().split(/[\s.-]+/).some((word) => word.startsWith(stem));
};

/** Posts with fewer tokens carry too little text to call them copies of each other. */
const MIN_STORY_TOKENS = 4;
const STORY_CANDIDATES = 8;
const INCIDENT_CANDIDATES = 20;
/**
 * A copy this close adds nothing to the band index that its twin did not: leaving it out keeps the
 * buckets of a story copied to fifty channels as small as those of a story told once.
 */
const NEAR_EXACT = 0.9;

/** The category itself and those configured as related to it (`dedup.relatedCategories`). */
const relatedCache = new WeakMap<object, Map<string, readonly string[]>>();
export const relatedCategoriesOf = (settings: DedupSettings, category: string): readonly string[] => {
  let byCategory = relatedCache.get(settings.relatedCategories);
  if (!byCategory) relatedCache.set(settings.relatedCategories, (byCategory = new Map()));
  let related = byCategory.get(category);
  if (!related) byCategory.set(category, (related = [category, ...(settings.relatedCategories[category] ?? []).filter((c) => c !== category)]));
  return related;
};

/**
 * The categories a problem may share an incident with: its own, the related ones, and those the
 * classifier gave a fair chance on the problem's segments (`SegmentClassification.alternatives`).
 * Citizens' words often fit two categories ("темно во дворе": urban or energy), and one wrong top
 * choice should not veto a merge that place and words support; the score still weighs the mismatch.
 */
export const categoriesFor = (settings: DedupSettings, item: Pick<ClassifiedItem, 'segments' | 'classifications'>, problem: Pick<Problem, 'category' | 'span'>): readonly string[] => {
  const related = relatedCategoriesOf(settings, problem.category);
  let out: string[] | null = null;
  for (let i = 0; i < item.segments.length; i++) {
    const segment = item.segments[i] as Segment;
    if (segment.span.start < problem.span.start || segment.span.end > problem.span.end) continue;
    for (const category of item.classifications[i]?.alternatives ?? []) {
      if (related.includes(category) || out?.includes(category)) continue;
      (out ??= [...related]).push(category);
    }
  }
  return out ?? related;
};

// Lives in core so that the store derives the ids of split-off incidents the same way.
export { makeId };

/** How long after its last report an incident of this category still absorbs new ones. */
export const windowHours = (settings: DedupSettings, category: string): number =>
  settings.incidentWindowHours[category] ?? settings.defaultWindowHours;

/**
 * The candidate's window in hours when a report at `at` falls inside it, else null. How long a
 * problem lasts is the incident's matter: an outage is over in hours, a pothole stays for weeks.
 * A report anchored to the incident (`anchored`, `sharesAnchor`: its trouble at the incident's house,
 * organisation, route or street, said to go on, or told again in its feed) may come later: a broken
 * lift, a clinic's queue or a thinned-out route is complained about for weeks ("лифт на Фаворского 3
 * так и не починили", "в 14м садике опять холодно").
 */
export const candidateWindow = (
  settings: DedupSettings,
  candidate: Pick<IncidentCandidate, 'category' | 'firstSeen' | 'lastSeen' | 'firstSeenMs' | 'lastSeenMs'>,
  at: number,
  anchored = false,
  /** An outage's own hours (`areaWideHoursByKind`) when the report names the candidate's outage. */
  outageHours = 0,
): number | null => {
  const own = Math.max(windowHours(settings, candidate.category), outageHours);
  const hours = anchored ? Math.max(own, settings.anchoredWindowHours) : own;
  return firstSeenMsOf(candidate) > at + hours * 3_600_000 || lastSeenMsOf(candidate) < at - hours * 3_600_000 ? null : hours;
};

/**
 * The hours of the candidate's outage when the report names it (`kind:gas`), else 0: a gas cut
 * lasts two days (every flat is checked before the gas comes back), longer than an energy
 * problem's window.
 */
export const outageWindowHours = (settings: Pick<DedupSettings, 'areaWideHoursByKind'>, kindKey: string | null, candidate: Pick<IncidentCandidate, 'placeKeys'>): number =>
  kindKey !== null && candidate.placeKeys.includes(kindKey) ? (kindHoursOf(settings.areaWideHoursByKind, kindKey) ?? 0) : 0;

/**
 * The hours within which the report may join the candidate, or null: its category's window, longer
 * for a problem anchored at its place (`sharesAnchor`), for the outage the report names, and up to
 * the day a late outage was promised to end (`openOutageHours`). The dedup stage and the weight
 * fitter read it alike.
 */
export const reportWindow = (settings: DedupSettings, candidate: IncidentCandidate, ours: ReportKeys, at: number, weights: TermWeighting): number | null => {
  // An outage's end is told when it comes, up to a day after its last complaint ("Свет дали в 3 ночи").
  const endHours = ours.ended && outageWindowHours(settings, ours.kind, candidate) > 0 ? endedHours(settings.areaWideHours) : 0;
  const outageHours = Math.max(outageWindowHours(settings, ours.kind, candidate), openOutageHours(candidate, ours, at, weights), endHours);
  // An outage report at an incident of another outage keeps to its own category's window, not the
  // incident's: "на Зайцева опять нет горячей воды" is no news, a fortnight on, of a heat main burst
  // filed as roadworks (two weeks).
  if (atOtherOutage(candidate, ours, weights)) return candidateWindow(settings, { ...candidate, category: ours.category }, at, false, outageHours);
  return candidateWindow(settings, candidate, at, sharesAnchor(candidate, ours, weights), outageHours);
};

/** The categories a lookup reads and the longest of their windows, worked out once per taxonomy and settings. */
const everyCategory = new WeakMap<object, { categories: readonly string[]; windowHours: number }>();
const lookupOf = (ctx: StageContext, related: readonly string[]): { categories: readonly string[]; windowHours: number } => {
  if (!ctx.dedup.incidentMerge.anyCategory) return { categories: related, windowHours: Math.max(...related.map((c) => windowHours(ctx.dedup, c))) };
  let all = everyCategory.get(ctx.dedup);
  if (!all) {
    const categories = ctx.nlp.taxonomy.categories.map((c) => c.id);
    everyCategory.set(ctx.dedup, (all = { categories, windowHours: Math.max(...categories.map((c) => windowHours(ctx.dedup, c))) }));
  }
  return all;
};

const assignStory = async (item: ClassifiedItem, ctx: StageContext, seenAt: IsoDateTime) => {
  const { fingerprinter } = ctx.nlp;
  const signature = fingerprinter.signature(item.doc);
  const enough = item.doc.tokens.length >= MIN_STORY_TOKENS;
  const bandKeys = enough ? fingerprinter.bands(signature) : [];
  // With an encoder, retellings in other words meet through the sign bits of their embeddings.
  const semantic = enough && item.embedding ? semanticBits(item.embedding) : null;
  const lookupKeys = semantic ? [...bandKeys, ...semanticBands(semantic)] : bandKeys;
  let best: { storyId: string; similarity: number; copy: boolean } | null = null;
  for (const candidate of await ctx.dedupIndex.storyCandidates(lookupKeys, STORY_CANDIDATES)) {
    if (candidate.postId === item.post.id) continue;
    const lexical = fingerprinter.similarity(signature, candidate.signature);
    const cosine = semantic && candidate.semantic ? semanticCosine(semantic, candidate.semantic) : -1;
    // Either measure may say "same story"; rank by how far past its own threshold each one is.
    const margin = Math.max(lexical - ctx.dedup.storySimilarity, cosine - ctx.dedup.storyCosine);
    if (margin >= 0 && (!best || margin > best.similarity)) best = { storyId: candidate.storyId, similarity: margin, copy: lexical >= NEAR_EXACT };
  }
  const storyId = best?.storyId ?? makeId('sto', item.post.id);
  const indexed = best?.copy ? [] : lookupKeys;
  const story = await ctx.dedupIndex.addToStory({ storyId, postId: item.post.id, source: item.post.source, seenAt, signature, semantic, bandKeys: indexed });
  return { storyId, story, signature, bandKeys };
};

/** Topics of a service that runs on numbered routes. */
const TRANSIT_TOPICS: ReadonlySet<string> = new Set(['topic:bus-service', 'topic:tram', 'topic:metro']);

const assignIncident = async (
  item: ClassifiedItem,
  problem: Problem,
  storyId: string,
  postSignature: Uint32Array,
  ctx: StageContext,
  seenAt: IsoDateTime,
  pinned: string | undefined,
  /** Incidents of this post's earlier problems: the splitter already said this one is another problem. */
  siblings: readonly string[],
  /** Attach to an existing incident or to nothing: a follow-up never opens an incident. */
  joinOnly = false,
): Promise<string | null> => {
  const place = placeOf(problem.facts, item.facts, item.post.location, ctx.dedup.sourceAreas[item.post.source] ?? null);
  const at = Date.parse(seenAt);
  const storyKey = `story:${storyId}`;
  // The words that describe the problem, without re-normalising its text. A post's only problem is
  // what the whole post is about: the splitter may leave its opening outside the span ("В Кстове
  // пропал свет!!!" reads like chatter alone), and that opening is what names the outage. Of several
  // problems, each has its own words (all of them when its span covers the post).
  const all = item.doc.tokens;
  const first = all[0];
  const last = all[all.length - 1];
  const tokens =
    item.problems.length === 1 || first === undefined || last === undefined || (problem.span.start <= first.span.start && problem.span.end >= last.span.end)
      ? all
      : all.filter((t) => t.span.start >= problem.span.start && t.span.end <= problem.span.end);
  // The post's signature stands for each of its problems: the merge score reads terms, not MinHash.
  const signature = postSignature;
  // A town's name is a place key already (`muni:`); as a rare word it would tie every post of a
  // small town's group together ("Кстово, кто пойдёт на турнир?" with the town's outage).
  // A microdistrict stays a word as well: its `muni:` key is its whole district, and the word tells
  // two neighbourhoods of one district apart.
  const towns = item.facts.locations.length === 0 ? item.facts.locations : item.facts.locations.filter((l) => l.municipality !== undefined && l.part === undefined);
  const unnamed = outside(tokens, towns);
  const termKeys = reportTermKeys(unnamed, ctx.nlp.termWeights);
  const kind = areaWideKind(tokens, item.doc.clean);
  // "Дзержинского 35 тоже нет": only the thread it was posted in says which outage.
  // A route named is the service's trouble: "40-ка опять пропала" is no reply in an outage thread.
  // An intercity bus is named by where it goes ("Автобус Починки — Арзамас в 7:00 отменили",
  // "утренний на Арзамас правда убрали?"): its trip's end is its route.
  // A train there is another service ("электричка на Нижний" is not the bus to Нижний).
  const service = intercityService(tokens);
  const trips = service === null ? [] : item.facts.locations.filter((l) => l.trip === true && (tokens === all || inside(l.span, problem.span)));
  const routes = [...routeNumbers(tokens).map((n) => `route:${n}`), ...trips.map((l) => `route:${tripService(tokens, l.span.start, service) === 'train' ? 'train ' : ''}${(l.municipality ?? l.text).toLowerCase()}`)];
  const reply = kind === null && routes.length === 0 && outageReply(tokens);
  const ended = (kind !== null || reply) && outageEnded(tokens);
  // Not from names: "Школьная 7" is a street, "Садовая" no kindergarten.
  const described = outside(unnamed, item.facts.addresses, namesAddress);
  const found = problemTopicKeys(described);
  // "у вокзала": where people in a town place a trouble when they give no address.
  const sites = landmarkKeys(described, place.where);
  // In an outage thread "тоже горит" is the light or the gas back, not a fire.
  // Plastic being burnt ("пластик жгут") is a fire whoever says it.
  const named = reply && !saysSetOnFire(tokens) ? found.filter((topic) => topic !== 'topic:burning') : found;
  // A follow-up must be about an incident's trouble, not only at its place or in its group ("на
  // Южном шоссе открылся новый ТЦ" is no news of the pothole there): without one, nothing to look up.
  if (joinOnly && pinned === undefined && named.length === 0 && kind === null && !reply) return null;
  // A route number is only read beside transport words, so a report naming one is about the
  // service even when no service word says so ("шестьдесят восьмой походу сократили", "по 7ке
  // что-нибудь изменилось?"); a follow-up must name its trouble itself ("поблагодарить водителя
  // 58-го" is no complaint).
  const topics = !joinOnly && !reply && routes.length > 0 && !named.some((topic) => TRANSIT_TOPICS.has(topic)) ? [...named, 'topic:bus-service'] : named;
  const related = categoriesFor(ctx.dedup, item, problem);
  // Citizens and the classifier disagree on categories; the score weighs a mismatch instead.
  const lookup = lookupOf(ctx, related);
  const categories = lookup.categories;
  // An analyst placed this problem (merge or split): no automatic choice can undo that.
  // The outage a report names, or every outage a thread reply may be about.
  const outageKeys = kind ? [`kind:${kind}`] : reply ? OUTAGE_KEYS : [];
  const candidates = pinned !== undefined ? [] : await ctx.dedupIndex.incidentCandidates({
    // The rarest words find the incident; the rest only weigh in the score. Fewer reads per report.
    placeKeys: [...place.query, ...sites, ...routes, ...termKeys.slice(0, LOOKUP_TERMS), ...outageKeys, storyKey, `src:${item.post.source}`],
    categories,
    // A whole town's recent incidents are only worth reading in the report's own and related
    // categories: an unrelated one needs a specific key in common anyway.
    broadCategories: related,
    since: new Date(at - lookup.windowHours * 3_600_000).toISOString(),
    limit: INCIDENT_CANDIDATES,
  });
  let best: { id: string; score: number; own: boolean } | null = null;
  // The categories the classifier also gave this problem a fair chance stay with the incident, so
  // that a later report filed under one of them still counts as related (the other side of categoriesFor).
  const configured = relatedCategoriesOf(ctx.dedup, problem.category);
  const alternatives = related === configured ? [] : related.filter((c) => !configured.includes(c)).map((c) => `cat:${c}`);
  // "Вернут не раньше 8 сентября": the outage runs until the day it was promised to end.
  const until = kind !== null ? promisedEnd(item.facts.dates, item.doc.clean, at) : null;
  const storedKeys = [...place.stored, ...sites, ...routes, ...termKeys, ...(kind ? [`kind:${kind}`] : []), storyKey, ...alternatives, ...topics, `src:${item.post.source}`, ...(reply ? [REPLY_KEY] : []), ...(ended ? [ENDED_KEY] : []), ...(troublePersists(tokens, kind === null) ? [PERSISTS_KEY] : []), ...(kind === 'power' && namesLamps(tokens) ? [LAMPS_KEY] : []), ...(kind !== null && saysMeToo(tokens) ? [ME_TOO_KEY] : []), ...(until ? [`${UNTIL_PREFIX}${until}`] : [])];
  const ours = reportKeysOf(storedKeys, place.query, ctx.nlp.termWeights, problem.category, related);
  // One context for all candidates, its window set per candidate: the score does not keep it.
  const context: { -readonly [K in keyof CandidateContext]: CandidateContext[K] } = { weights: ctx.nlp.termWeights, windowHours: 0, areaWideHours: ctx.dedup.areaWideHours, areaWideHoursByKind: ctx.dedup.areaWideHoursByKind, seenAt: at };
  // What a follow-up must share with its incident: its trouble (a topic, an area-wide kind) or its story.
  // A place topic is no evidence: thanks to a clinic's surgeons is no news of its queues.
  const evidence = joinOnly ? [...topics.filter(isTroubleTopic), ...outageKeys, storyKey] : null;
  const threads: string[] = [];
  // The incident an earlier problem of this post joined is no choice for this one: the splitter said
  // it is another problem. Unless it names the outage that incident is about, or its house or
  // numbered organisation with no other trouble, and nothing else takes it: "пар валит … это из-за
  // этого батареи холодные?" is the heating break's symptom and the break, "в школе №4 сидят в
  // куртках … в кабинете 15 градусов" one school's cold; a second incident of it would draw its
  // later reports away.
  let sibling: string | null = null;
  const placeless = ours.munis.length === 0 && ours.districts.length === 0 && ours.streets.length === 0 && ours.addrs.length === 0 && ours.sites.length === 0;
  for (const candidate of candidates) {
    const isSibling = siblings.includes(candidate.id);
    const hours = reportWindow(ctx.dedup, candidate, ours, at, ctx.nlp.termWeights);
    if (hours === null) continue;
    context.windowHours = hours;
    const score = incidentProbability(candidate, ours, context, ctx.dedup.incidentMerge);
    if (score === null) continue;
    const shown = !evidence || evidence.some((key) => candidate.placeKeys.includes(key));
    if (isSibling) {
      const sameOutage = ours.kind !== null && candidate.placeKeys.includes(ours.kind);
      if (score >= ctx.dedup.incidentMerge.threshold && shown && (sameOutage || sameTroubleThere(candidate, ours, ctx.nlp.termWeights))) sibling = candidate.id;
      continue;
    }
    if (shown && sameThread(candidate, ours, ctx.nlp.termWeights)) threads.push(candidate.id);
    if (score < ctx.dedup.incidentMerge.threshold || !shown) continue;
    // Two outages the rules both join for a report that names no place ("четвертый час сидим при
    // свечах" on a stormy evening): the one its own feed has been reporting is its thread.
    const own = placeless && candidate.placeKeys.includes(ours.sourceKey);
    if (best && (score < best.score || (score === best.score && (best.own || !own)))) continue;
    best = { id: candidate.id, score, own };
  }
  // "Собаки у вокзала так и живут" in the group that reported the pack: its one incident of that
  // trouble, however few words the two share, when the score joins it to none. Two such incidents
  // there, and the score decides; so it does when it has chosen: a copy of another report's story
  // that names a school joins that story's incident, not the school's.
  if (threads.length === 1 && best === null) best = { id: threads[0] as string, score: 1, own: true };
  if (best === null && sibling !== null) best = { id: sibling, score: 0, own: false };
  if (joinOnly && pinned === undefined && best === null) return null;
  const incidentId = pinned ?? best?.id ?? makeId('inc', `${item.post.id}#${problem.index}`);
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
    placeKeys: storedKeys,
    signature,
    facts: problem.facts,
  });
  return incidentId;
};

const TITLE_CHARS = 140;

export const titleOf = (text: string): string => {
  // Most problem texts have no run of spaces nor other whitespace: no new string for them.
  const flat = (/\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  if (flat.length <= TITLE_CHARS) return flat;
  const cut = flat.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
};

/**
 * Below this relevance a post is chatter, an advert or a greeting, and is not even looked up as a
 * follow-up. Posts reporting on an incident sit between it and the classifier's threshold.
 */
const FOLLOW_UP_RELEVANCE = 0.15;

/**
 * An authority's notice reads as no complaint ("Администрация округа информирует: по обращениям
 * жителей проведён отлов безнадзорных животных"), yet it is news of the incident it names: a post of
 * some length that names an authority and a trouble. Chatter names a trouble too ("всем тепла в
 * декабре", "потеряна папка пенсионера в автобусе").
 */
const NOTICE_TOKENS = 12;
/** Who gives notice and how it says so: "администрация сообщает", "по информации МЧС". */
const AUTHORITY = /^(администрац|сообща|сообщил|информирует|пресс-служб|министерств|минздрав|минтранс|прокуратур|роспотребнадзор|мчс$|рэс$|водоканал|теплоэнерго|россети|перевозчик|управлени)/;
const officialNotice = (tokens: ClassifiedItem['doc']['tokens']): boolean =>
  tokens.length >= NOTICE_TOKENS && tokens.some((t) => AUTHORITY.test(t.norm)) && problemTopicKeys(tokens).some(isTroubleTopic);

/**
 * A post the classifier reads as no problem may still report on an incident: "Ленина у ДК — яма так
 * и есть", a news item on the same outage, "дали воду, но ржавая". It becomes a report of the
 * incident it matches as surely as any report must (the merge threshold), with the whole post as its
 * text and its most relevant segment's category; matching none, it stays no problem.
 */
const followUpOf = (item: ClassifiedItem): Problem | null => {
  let best: ClassifiedItem['classifications'][number] | undefined;
  for (const c of item.classifications) if (!best || c.relevance > best.relevance) best = c;
  // An outage named ("отключение электроэнергии", "дали свет") is no chatter however the classifier
  // reads a news item's neutral wording, nor is an authority's notice of a trouble, nor a trouble said
  // to go on ("Ул. Советская, частный сектор — четвёртый день без чистки") or said to be fixed
  // ("Ямочный ремонт на Советской сделали 👍"), the incident's last report; each still joins only an
  // incident of its trouble and place.
  if (!best || (best.relevance < FOLLOW_UP_RELEVANCE && areaWideKind(item.doc.tokens, item.doc.clean) === null && !outageReply(item.doc.tokens) && !officialNotice(item.doc.tokens) && !((troublePersists(item.doc.tokens) || saysFixed(item.doc.tokens)) && problemTopicKeys(item.doc.tokens).some(isTroubleTopic)))) return null;
  const { clean } = item.doc;
  return { index: 0, text: clean, span: { start: 0, end: clean.length }, category: best.category, confidence: best.confidence, urgency: best.urgency, facts: item.facts };
};

export const dedupOne = async (item: ClassifiedItem, ctx: StageContext): Promise<DedupedItem> => {
  const seenAt = item.post.publishedAt ?? item.post.collectedAt;
  const { storyId, story, signature, bandKeys } = await assignStory(item, ctx, seenAt);
  const incidentIds: string[] = [];
  const pins = await ctx.dedupIndex.incidentPins(item.post.id);
  // Not join-only: every problem gets an incident, an existing one or its own.
  for (const problem of item.problems) incidentIds.push((await assignIncident(item, problem, storyId, signature, ctx, seenAt, pins.get(problem.index), incidentIds)) as string);
  if (item.problems.length === 0) {
    const followUp = followUpOf(item);
    const incidentId = followUp && (await assignIncident(item, followUp, storyId, signature, ctx, seenAt, pins.get(0), [], true));
    if (followUp && incidentId) return dedupedOf(item, [{ ...followUp, incidentId }], true, { storyId, story, incidentIds: [incidentId], signature, bandKeys });
  }
  // Each problem carries its incident from here on: the index stage and `radar analyze` read it there.
  const problems = item.problems.map((problem, i) => ({ ...problem, incidentId: incidentIds[i] as string }));
  return dedupedOf(item, problems, item.isProblem, { storyId, story, incidentIds, signature, bandKeys });
};

/**
 * Field by field rather than `{ ...item }`: one object shape for every post, and a spread of an
 * item was the costliest line of the stage in a profile (a new field of the item types is a type
 * error here, not a field silently dropped).
 */
const dedupedOf = (
  item: ClassifiedItem,
  problems: readonly Problem[],
  isProblem: boolean,
  found: Pick<DedupedItem, 'storyId' | 'story' | 'incidentIds' | 'signature' | 'bandKeys'>,
): DedupedItem => ({
  post: item.post,
  doc: item.doc,
  segments: item.segments,
  embedding: item.embedding,
  segmentEmbeddings: item.segmentEmbeddings,
  facts: item.facts,
  classifications: item.classifications,
  problems,
  isProblem,
  storyId: found.storyId,
  story: found.story,
  incidentIds: found.incidentIds,
  signature: found.signature,
  bandKeys: found.bandKeys,
});
