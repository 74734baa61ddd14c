import { emptyFacts, type Facts, type Span } from '../../core/types.js';
import type { FactExtractor, NormalizedDoc } from '../contract.js';
import { extractAddresses } from './addresses.js';
import { extractDates } from './dates.js';
import { GazetteerIndex, type Gazetteer } from './gazetteer.js';
import { extractLocations } from './locations.js';
import { extractOrganizations } from './organizations.js';
import { extractPhones } from './phones.js';
import { dropOverlaps, inside } from './span.js';

export { loadGazetteer, parseGazetteer, GazetteerIndex, type Gazetteer, type Municipality, type MunicipalityType } from './gazetteer.js';
export { canonicalHouse } from './addresses.js';
export type { OrganizationKind } from './organizations.js';

const within = <T extends { readonly span: Span }>(items: readonly T[], span: Span): T[] => items.filter((f) => inside(f.span, span));

/**
 * Runs every fact extractor once per doc (results are cached, since problem assembly asks for many
 * spans of the same doc) and filters by span. Phone digits are removed from the date and address
 * candidates by overlap, so "212-34-56" never becomes a house number.
 */
export class BaselineFactExtractor implements FactExtractor {
  private readonly index: GazetteerIndex;
  private readonly cache = new WeakMap<NormalizedDoc, Facts>();

  constructor(gazetteer: Gazetteer) {
    this.index = new GazetteerIndex(gazetteer);
  }

  extract(doc: NormalizedDoc, span?: Span): Facts {
    const all = this.all(doc);
    if (!span) return all;
    return {
      addresses: within(all.addresses, span),
      locations: within(all.locations, span),
      organizations: within(all.organizations, span),
      dates: within(all.dates, span),
      phones: within(all.phones, span),
    };
  }

  private all(doc: NormalizedDoc): Facts {
    const hit = this.cache.get(doc);
    if (hit) return hit;
    const text = doc.clean;
    if (text.length === 0) {
      const empty = emptyFacts();
      this.cache.set(doc, empty);
      return empty;
    }
    const phones = extractPhones(text);
    const clear = <T extends { readonly span: Span }>(items: readonly T[]): T[] =>
      items.filter((f) => !phones.some((p) => f.span.start < p.span.end && p.span.start < f.span.end));
    const organizations = dropOverlaps(extractOrganizations(text));
    // A street without a house that is an organisation's name ("из Энергосбыта") is the organisation.
    const named = (a: { readonly house?: string; readonly span: Span }) =>
      a.house !== undefined || !organizations.some((o) => a.span.start < o.span.end && o.span.start < a.span.end);
    const facts: Facts = {
      addresses: clear(extractAddresses(text, (name) => this.index.resolve(name))).filter(named),
      locations: extractLocations(doc, this.index),
      organizations,
      dates: clear(dropOverlaps(extractDates(text))),
      phones,
    };
    this.cache.set(doc, facts);
    return facts;
  }
}
