/**
 * Candidate keys that say "this problem is at this place": an exact house, a street, a geohash cell
 * or a municipality. Incidents are looked up by shared keys, never by scanning all incidents.
 */
import type { Facts, PostLocation } from '../core/types.js';
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
}

const norm = (text: string): string => text.toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ').trim();

/** Citizens drop or confuse the street type ("Циолковского 45" for "проспект Циолковского"): key on the name. */
const STREET_TYPES = /^(улица|проспект|переулок|бульвар|шоссе|площадь|набережная|проезд|микрорайон|тупик|аллея)\s+|\s+(улица|проспект|переулок|бульвар|шоссе|площадь|набережная|проезд|микрорайон|тупик|аллея)$/g;

const streetKey = (street: string): string => norm(street).replace(STREET_TYPES, '').trim();

export const placeOf = (facts: Facts, postFacts: Facts, location: PostLocation | null): Place => {
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
    if (!fact.street) continue;
    const street = streetKey(fact.street);
    add(`street:${street}`);
    if (fact.house) add(`addr:${street}|${norm(fact.house)}`);
    address ??= fact.house ? `${fact.street}, ${fact.house}` : fact.street;
  }
  let municipality: string | null = null;
  for (const fact of locations) {
    if (!fact.municipality) continue;
    add(`muni:${norm(fact.municipality)}`);
    municipality ??= fact.municipality;
  }
  if (location) {
    stored.add(`geo:${geohash(location.lat, location.lon, GEO_PRECISION)}`);
    for (const cell of geohashNeighbourhood(location.lat, location.lon, GEO_PRECISION)) query.add(`geo:${cell}`);
    address ??= location.address ?? null;
  }
  return { stored: [...stored], query: [...query], municipality, address };
};

export const keysOfKind = (keys: readonly string[], kind: 'addr' | 'street' | 'muni' | 'geo' | 'story'): string[] =>
  keys.filter((key) => key.startsWith(`${kind}:`));
