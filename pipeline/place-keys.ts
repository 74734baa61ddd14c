/**
 * Candidate keys that say "this problem is at this place": an exact house, a street, a geohash cell
 * or a municipality. Incidents are looked up by shared keys, never by scanning all incidents.
 */
import type { Facts, PostLocation } from '../core/types.js';
import { ordinalValue } from '../nlp/facts/organizations.js';
import { inside } from '../nlp/facts/span.js';
import { normName as norm, streetKey } from '../nlp/facts/street-key.js';
import { geohash, geohashNeighbourhood } from './geohash.js';

/** ~1.2 km x 0.6 km cells; with neighbours a query covers roughly a 1 km radius. */
const GEO_PRECISION = 6;

export interface Place {
  /** Keys stored with the incident report. */
  readonly stored: readonly string[];
  /** Keys to look candidates up by (stored keys plus neighbouring cells). */
  readonly query: readonly string[];
  readonly municipality: string | null;
  readonly address: string | null;
  /** The normalised name of the town or city the report is in (its `area:` key), if known. */
  readonly where: string | null;
}

/** A city district's name ("Сормовский район"), as against a town's. */
const CITY_DISTRICT = /\sрайон$/i;

/** A range of houses longer than this is a stretch of street, not a list of houses. */
const MAX_HOUSE_RANGE = 20;

const RANGE_END = /^\s?[-–]\s?(\d{1,3})(?!\d)/;
const DIGIT_DASH_DIGIT = /\d\s?[-–]\s?\d/;

/**
 * The house, or every house of a range written after it ("Циолковского 21-29 нет света" is houses
 * 21 to 29, so a report from house 25 is no other house).
 */
const housesOf = (house: string, text: string): string[] => {
  const first = norm(house);
  // Most mentions have no number-dash-number at all: no search for a range then.
  if (!/^\d+$/.test(first) || !DIGIT_DASH_DIGIT.test(text)) return [first];
  let at = text.indexOf(first);
  // The house as a whole number: not the "1" of "21".
  while (at > 0 && /\d/.test(text[at - 1] as string)) at = text.indexOf(first, at + 1);
  const range = at < 0 ? null : RANGE_END.exec(text.slice(at + first.length));
  const last = range ? Number(range[1]) : NaN;
  const from = Number(first);
  if (!(last > from && last - from <= MAX_HOUSE_RANGE)) return [first];
  return Array.from({ length: last - from + 1 }, (_, i) => String(from + i));
};

/** Organisations that a number identifies: "школа № 73", "детский сад 12", "поликлиника 7". */
const NUMBER = /\d+/;

/**
 * `area` is the municipality the source covers (a city's public group): where a report is when it
 * names no place itself. It is looked up like a municipality; two areas that differ part reports
 * only when neither names a municipality they share.
 */
export const placeOf = (facts: Facts, postFacts: Facts, location: PostLocation | null, area: string | null = null): Place => {
  const stored = new Set<string>();
  const query = new Set<string>();
  const add = (key: string): void => {
    stored.add(key);
    query.add(key);
  };
  // A problem usually names its place once; fall back to the post's facts when its own span has none.
  const addresses = facts.addresses.length > 0 ? facts.addresses : postFacts.addresses;
  const locations = facts.locations.length > 0 ? facts.locations : postFacts.locations;
  let address: string | null = null;
  for (const fact of addresses) {
    // "Все едут через Сормовское, там пробка": the way round, not where the water stands.
    if (!fact.street || fact.detour) continue;
    const street = streetKey(fact.street);
    add(`street:${street}`);
    if (fact.house) for (const house of housesOf(fact.house, fact.text)) add(`addr:${street}|${house}`);
    address ??= fact.house ? `${fact.street}, ${fact.house}` : fact.street;
  }
  let municipality: string | null = null;
  for (const fact of locations) {
    if (!fact.municipality) continue;
    // "Автобус на Нижний не пришёл" in Чкаловск's group is in Чкаловск; in the city's own feed a
    // trip there says no more than the feed does.
    if ((fact.trip || fact.cause) && area !== null && norm(area) !== norm(fact.municipality)) continue;
    // "АО «Газпром газораспределение Нижний Новгород»" in Городец's group is the company's home, not
    // where the pipe broke; with no source area it is the best guess there is.
    if (area !== null && postFacts.organizations.some((o) => inside(fact.span, o.span))) continue;
    add(`muni:${norm(fact.municipality)}`);
    municipality ??= fact.municipality;
  }
  for (const fact of facts.organizations.length > 0 ? facts.organizations : postFacts.organizations) {
    // "в четвёртой школе" is school 4 as much as "школа №4".
    const number = NUMBER.exec(fact.text)?.[0] ?? ordinalValue(fact.text.split(/\s/)[0] ?? '');
    if (fact.kind && number !== undefined) add(`org:${fact.kind}|${number}`);
  }
  // A town the report names is where it is, whichever town's group it was posted in; a city
  // district ("Сормовский район") is inside the source's city, so the source's area stands.
  const named = municipality !== null && !CITY_DISTRICT.test(municipality) ? municipality : null;
  const where = named ?? area;
  const whereName = where ? norm(where) : null;
  if (whereName) add(`area:${whereName}`);
  // A street's district, for a report from its city: two outages the same evening on Лескова and on
  // Сахарова are two districts' outages, even when nobody names a district.
  // Only a veto (`district:`), never a likeness: one district holds a great many troubles. Every
  // district the post names counts, so that a post about two districts is vetoed by neither.
  for (const fact of [...addresses, ...postFacts.addresses]) {
    if (fact.detour) continue;
    if (fact.district && where !== null && norm(where) === norm(fact.district.city)) stored.add(`district:${norm(fact.district.name)}`);
  }
  // Not a trip's: "ребенка к бабушке в Канавино отвезли" is told from Сормово.
  for (const fact of [...locations, ...postFacts.locations]) if (fact.municipality && !fact.trip && !fact.cause && CITY_DISTRICT.test(fact.municipality)) stored.add(`district:${norm(fact.municipality)}`);
  if (location) {
    stored.add(`geo:${geohash(location.lat, location.lon, GEO_PRECISION)}`);
    for (const cell of geohashNeighbourhood(location.lat, location.lon, GEO_PRECISION)) query.add(`geo:${cell}`);
    address ??= location.address ?? null;
  }
  return { stored: [...stored], query: [...query], municipality, address, where: whereName };
};

export const keysOfKind = (keys: readonly string[], kind: 'addr' | 'street' | 'muni' | 'geo' | 'story' | 'org' | 'area' | 'district' | 'term'): string[] =>
  keys.filter((key) => key.startsWith(`${kind}:`));
