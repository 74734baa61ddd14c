import { emptyFacts, type AddressFact, type Facts, type Span } from '../../core/types.js';
import type { FactExtractor, NormalizedDoc } from '../contract.js';
import { extractAddresses } from './addresses.js';
import { extractDates } from './dates.js';
import { GazetteerIndex, type Gazetteer } from './gazetteer.js';
import { extractLocations } from './locations.js';
import { extractOrganizations } from './organizations.js';
import { extractPhones } from './phones.js';
import { dropOverlaps, inside, overlaps } from './span.js';

/** A month's name, which a listed street may share ("с октября" is no проспект Октября). */
const MONTH = /^(январ|феврал|март|апрел|ма[яй]$|июн|июл|август|сентябр|октябр|ноябр|декабр)/;
/** Prepositions that put a bare lower-case street name where the trouble is. */
const PLACE_PREP = /^(на|по|у|возле|около|напротив|с|со)$/;
/** A house number after a bare street name: "коминтерна 41", "мончегорская 15а". */
const HOUSE = /^\d{1,3}[а-я]?$/;

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

  /** The street's city district, unless the address names another settlement ("Бор, ул. Лескова"). */
  private withDistrict(address: AddressFact): AddressFact {
    if (address.street === undefined) return address;
    const district = this.index.districtOf(address.street);
    if (district === undefined || (address.settlement !== undefined && address.settlement !== district.city)) return address;
    return { ...address, district };
  }

  /**
   * A street of the gazetteer's lists written bare, with no type and no preposition ("Дали свет!!
   * Мончегорская", "Строкина тоже без света"): the list says it is a street where the patterns
   * cannot. Capitalised words, or lower-case ones with their house or where a street opens a
   * clause or follows a preposition of place; outside other facts.
   */
  private listedStreets(doc: NormalizedDoc, taken: readonly { readonly span: Span }[]): AddressFact[] {
    const found: AddressFact[] = [];
    doc.tokens.forEach((token, i) => {
      const written = doc.clean.slice(token.span.start, token.span.end);
      // In lower case only with its house ("коминтерна 41 подтверждаю"): "дом культуры" is no street.
      const next = doc.tokens[i + 1];
      const house = next !== undefined && next.span.start - token.span.end === 1 && HOUSE.test(next.norm) ? next : undefined;
      // Or opening the post, a sentence or a clause, as chats write a street before its trouble
      // ("краснодонцев поликлиника: к лору не записаться", "Автозавод, мончегорская, без лифта").
      // Or after a preposition of place ("поликлиника на краснодонцев").
      if (!/^[А-ЯЁ][а-яё]{3,}$/.test(written)) {
        if (!/^[а-яё]{4,}$/.test(written)) return;
        const opens = i === 0 || /[.!?\n,]\s*$/.test(doc.clean.slice(Math.max(0, token.span.start - 3), token.span.start)) || PLACE_PREP.test(doc.tokens[i - 1]?.norm ?? '');
        if (!house && !(opens && !MONTH.test(written))) return;
      }
      if (taken.some((f) => overlaps(token.span, f.span))) return;
      const district = this.index.districtOf(written);
      if (district === undefined) return;
      const span = house ? { start: token.span.start, end: house.span.end } : token.span;
      found.push({ text: doc.clean.slice(span.start, span.end), span, street: written, ...(house ? { house: house.norm } : {}), district });
    });
    return found;
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
      items.filter((f) => !phones.some((p) => overlaps(f.span, p.span)));
    const organizations = dropOverlaps(extractOrganizations(text));
    // A street without a house that is an organisation's name ("из Энергосбыта") is the organisation.
    const named = (a: { readonly house?: string; readonly span: Span }) =>
      a.house !== undefined || !organizations.some((o) => overlaps(a.span, o.span));
    const addresses = clear(extractAddresses(text, (name) => this.index.resolve(name)))
      .filter(named)
      .map((a) => this.withDistrict(a));
    const locations = extractLocations(doc, this.index);
    const facts: Facts = {
      addresses: [...addresses, ...this.listedStreets(doc, [...addresses, ...locations, ...organizations])].sort((a, b) => a.span.start - b.span.start),
      locations,
      organizations,
      dates: clear(dropOverlaps(extractDates(text))),
      phones,
    };
    this.cache.set(doc, facts);
    return facts;
  }
}
