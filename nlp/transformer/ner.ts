/**
 * Facts with an optional NER model: the rule-based facts, plus the model's organisations and places
 * that no rule found. Rules win where both see something (their spans carry more structure: street,
 * house, municipality). Person names are not merged: `Facts` has no place for them, and the names of
 * private people in complaints are personal data Radar does not need to surface.
 */
import type { Facts, LocationFact, OrganizationFact, Span } from '../../core/types.js';
import type { FactExtractor, NormalizedDoc } from '../contract.js';
import type { Entity, TransformerTokenClassifier } from './token-classifier.js';

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
const inside = (inner: Span, outer: Span): boolean => inner.start >= outer.start && inner.end <= outer.end;
const byStart = <T extends { readonly span: Span }>(items: T[]): T[] => items.sort((a, b) => a.span.start - b.span.start);

export const mergeEntities = (facts: Facts, entities: readonly Entity[]): Facts => {
  const organizations: OrganizationFact[] = [...facts.organizations];
  const locations: LocationFact[] = [...facts.locations];
  for (const e of entities) {
    if (e.type === 'ORG' && !organizations.some((o) => overlaps(o.span, e.span))) organizations.push({ text: e.text, span: e.span });
    if (e.type === 'LOC' && !locations.some((l) => overlaps(l.span, e.span)) && !facts.addresses.some((a) => overlaps(a.span, e.span))) locations.push({ text: e.text, span: e.span });
  }
  return { ...facts, organizations: byStart(organizations), locations: byStart(locations) };
};

export class NerFactExtractor implements FactExtractor {
  readonly #entities = new WeakMap<NormalizedDoc, readonly Entity[]>();
  readonly #merged = new WeakMap<NormalizedDoc, Facts>();

  constructor(
    readonly base: FactExtractor,
    readonly model: TransformerTokenClassifier,
  ) {}

  async prepare(docs: readonly NormalizedDoc[]): Promise<void> {
    await this.base.prepare?.(docs);
    const todo = docs.filter((d) => !this.#entities.has(d));
    if (todo.length === 0) return;
    const found = await this.model.entities(todo);
    todo.forEach((doc, i) => this.#entities.set(doc, found[i] ?? []));
  }

  /** A doc that was not prepared gets the rule-based facts only. */
  extract(doc: NormalizedDoc, span?: Span): Facts {
    const entities = this.#entities.get(doc);
    if (!entities) return this.base.extract(doc, span);
    let all = this.#merged.get(doc);
    if (!all) this.#merged.set(doc, (all = mergeEntities(this.base.extract(doc), entities)));
    if (!span) return all;
    return {
      addresses: all.addresses.filter((f) => inside(f.span, span)),
      locations: all.locations.filter((f) => inside(f.span, span)),
      organizations: all.organizations.filter((f) => inside(f.span, span)),
      dates: all.dates.filter((f) => inside(f.span, span)),
      phones: all.phones.filter((f) => inside(f.span, span)),
    };
  }
}
