import { compileNow } from '../compile-regex.js';

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

/** Runs a global regex, yielding only matches that start at a word boundary. */
export const execAtWordStarts = function* (re: RegExp, text: string, hyphenGlues = false): Generator<RegExpExecArray> {
  compileNow(re);
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
    yield m;
  }
};

/** `isWordCode` as a character class. */
const WORD_CLASS = '0-9A-Za-z\\u0400-\\u04FF';
/**
 * Under the `i` flag a class also matches whatever case-folds to its letters, which would widen it
 * (U+212A KELVIN SIGN folds to `k`, U+1C80 to `в`). This one leaves out the letters that have such
 * look-alikes outside the class (k s в д о с т ъ ѣ and their capitals), so its lookbehind rejects a
 * subset of what `startsWord` rejects, and the check in `execAtWordStarts` catches the rest.
 */
const WORD_CLASS_CASELESS =
  '0-9A-JL-RT-Za-jl-rt-z\\u0400-\\u0411\\u0413\\u0415-\\u041D\\u041F\\u0420\\u0423-\\u0429\\u042B-\\u0431\\u0433\\u0435-\\u043D\\u043F\\u0440\\u0443-\\u0449\\u044B-\\u0461\\u0464-\\u04FF';

/**
 * The word-start check as a lookbehind, for the few patterns that may start at almost any letter
 * (optional leading words, then any name): there the first-character scan finds nothing to skip,
 * and rejecting mid-word starts before the pattern runs is what saves time. `execAtWordStarts`
 * yields the same matches with or without it. `caseInsensitive`: for a pattern with the `i` flag.
 */
export const WORD_START_LOOKBEHIND = (hyphenGlues = false, caseInsensitive = false): string =>
  `(?<![${caseInsensitive ? WORD_CLASS_CASELESS : WORD_CLASS}${hyphenGlues ? '\\-' : ''}])`;
