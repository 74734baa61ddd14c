import porterRu from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';

/** Big enough to hold the working vocabulary of a region, small enough to never matter for memory. */
const MAX_ENTRIES = 50_000;
const memo = new Map<string, string>();
const CYRILLIC = /[а-я]/;

/**
 * Russian Porter stem of an already normalised token (lower-case, `ё`→`е`).
 * The stemmer compiles its regexes on every call, so results are memoised; the map is evicted
 * in insertion order once full, which keeps hot words cached without unbounded growth.
 */
export const stem = (norm: string): string => {
  const hit = memo.get(norm);
  if (hit !== undefined) return hit;
  // Numbers, Latin words and one-letter tokens have nothing to strip.
  const out = norm.length < 3 || !CYRILLIC.test(norm) ? norm : porterRu.stem(norm);
  if (memo.size >= MAX_ENTRIES) {
    const oldest = memo.keys().next();
    if (!oldest.done) memo.delete(oldest.value);
  }
  memo.set(norm, out);
  return out;
};
