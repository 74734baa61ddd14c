import type { NormalizedDoc } from './contract.js';
import type { Lexicon, LexiconMatch } from './lexicon.js';

/**
 * Splitter, classifier and problem assembly look at the same doc through the same lexicons;
 * matching once per (doc, lexicon) keeps the pipeline linear in the text length.
 */
const cache = new WeakMap<NormalizedDoc, Map<object, readonly LexiconMatch<unknown>[]>>();

export const matchesIn = <T>(doc: NormalizedDoc, lexicon: Lexicon<T>): readonly LexiconMatch<T>[] => {
  let perDoc = cache.get(doc);
  if (!perDoc) {
    perDoc = new Map();
    cache.set(doc, perDoc);
  }
  const hit = perDoc.get(lexicon);
  if (hit) return hit as readonly LexiconMatch<T>[];
  const found = lexicon.match(doc.tokens);
  perDoc.set(lexicon, found);
  return found;
};

/** Matches lying wholly inside the token range [lo, hi). */
export const matchesWithin = <T>(matches: readonly LexiconMatch<T>[], lo: number, hi: number): LexiconMatch<T>[] =>
  matches.filter((m) => m.start >= lo && m.end <= hi);
