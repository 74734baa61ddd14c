/**
 * Word-start check done in code instead of a leading `(?<![\p{L}\d])` lookbehind: a regex that
 * starts with a lookbehind cannot use V8's first-character scan, which made fact extraction the
 * slowest stage of the pipeline.
 */
const isWordCode = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 1024 && c <= 1279);

export const startsWord = (text: string, index: number, hyphenGlues = false): boolean => {
  if (index === 0) return true;
  const c = text.charCodeAt(index - 1);
  return !(isWordCode(c) || (hyphenGlues && c === 45));
};

/**
 * Runs a global regex over `text`, calling `fn` with each match that starts at a word boundary, in
 * order. `fn` may move `re.lastIndex` to go on from elsewhere. A callback, not a generator: the fact
 * patterns run forty times per post, and a generator with its result objects cost more than the
 * loop around it.
 */
export const eachAtWordStart = (re: RegExp, text: string, hyphenGlues: boolean, fn: (m: RegExpExecArray) => void): void => {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (!startsWord(text, m.index, hyphenGlues)) {
      re.lastIndex = m.index + 1;
      continue;
    }
    fn(m);
  }
};

/**
 * The word-start check as a lookbehind, for the few patterns that may start at almost any letter
 * (an optional preposition, then any name): there the first-character scan finds nothing to skip,
 * and rejecting mid-word starts before the pattern runs is what saves time. The class is exactly
 * `isWordCode` (plus `-` when hyphens glue), so `eachAtWordStart` gives the same matches with or
 * without it. Not for patterns with the `i` flag: case folding would widen the class (U+212A
 * KELVIN SIGN folds to `k`).
 */
export const WORD_START_LOOKBEHIND = (hyphenGlues = false): string => `(?<![0-9A-Za-z\\u0400-\\u04FF${hyphenGlues ? '\\-' : ''}])`;
