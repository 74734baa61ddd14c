import type { NormalizedDoc, Normalizer, Token } from './contract.js';
import { foldWord } from './fold.js';
import { stripHtml } from './html.js';
import { splitSentences } from './sentences.js';
import { stem } from './stemmer.js';

const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
// Control characters are exactly what this strips.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u00AD\u200B\u2060\uFEFF]/g;
const SPACES = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const AROUND_NEWLINES = / ?\n[ \n]*/g;

/**
 * True when none of the four passes of `cleanText` would change `text`: no odd line breaks, no
 * invisible characters, spaces only single and plain, no space or second line break around a `\n`.
 * Most posts are like that, and one scan is cheaper than four regex passes.
 */
const alreadyClean = (text: string): boolean => {
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (prev === 32 || prev === 10) return false;
    } else if (c === 10) {
      if (prev === 32) return false;
      const next = text.charCodeAt(i + 1);
      if (next === 32 || next === 10) return false;
    } else if (c < 32 || c === 0x7f || c === 0x85 || c === 0xa0 || c === 0xad || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff) {
      return false;
    }
    prev = c;
  }
  return true;
};

/** Display text: no markup, one space between words, one `\n` between lines, original case and emoji kept. */
export const cleanText = (original: string): string => {
  const text = stripHtml(original);
  if (alreadyClean(text)) return text.trim();
  return text.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '').replace(SPACES, ' ').replace(AROUND_NEWLINES, '\n').trim();
};

/** Spans that never yield tokens: URLs, e-mails, @mentions and bare domains ("vk.com/nn"). */
const URL_RE = /(?:https?:\/\/|www\.)\S+/g;
const AT_RE = /[\p{L}\p{N}_.+-]*@[\p{L}\p{N}_.-]+/gu;
/** A top-level domain; the bare domain around it is then the surrounding run of non-spaces. */
const TLD_RE = /[\p{L}\p{N}]\.(?:ru|su|com|org|net|info|me|io|рф)(?![\p{L}\p{N}])/giu;
/** What every TLD_RE match contains; it starts with a dot, so V8 scans for it far faster. */
const TLD_HINT = /\.(?:ru|su|com|org|net|info|me|io|рф)(?![\p{L}\p{N}])/iu;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9;

const skipRanges = (clean: string): number[] => {
  const ranges: number[] = [];
  const add = (re: RegExp): void => {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(clean)) !== null) ranges.push(m.index, m.index + m[0].length);
  };
  // Cheap guards first: most posts have no URL, mention or domain, and the full patterns are not free.
  if (clean.includes('http') || clean.includes('www.')) add(URL_RE);
  if (clean.includes('@')) add(AT_RE);
  if (!TLD_HINT.test(clean)) return ranges;
  TLD_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TLD_RE.exec(clean)) !== null) {
    let start = m.index;
    let end = m.index + m[0].length;
    while (start > 0 && !isSpace(clean.charCodeAt(start - 1))) start--;
    while (end < clean.length && !isSpace(clean.charCodeAt(end))) end++;
    ranges.push(start, end);
    TLD_RE.lastIndex = end;
  }
  return ranges;
};

const skipped = (ranges: readonly number[], start: number): boolean => {
  for (let k = 0; k < ranges.length; k += 2) if (start >= (ranges[k] as number) && start < (ranges[k + 1] as number)) return true;
  return false;
};

/** Lower-case letter followed by a capital inside a hashtag: "#НижнийНовгород". */
const CAMEL_BREAK = /(?<=\p{Ll})(?=\p{Lu})/u;

/**
 * `[norm, stem]` of the words seen so far, found by the characters of a word where it stands in the
 * text: a word seen before costs neither a substring nor a string hash, which were most of the time
 * tokenizing took. Open addressing over FNV-1a of the characters; emptied when full (the working
 * vocabulary refills it within a few hundred posts).
 */
const MAX_MEMO = 50_000;
const SLOTS = 1 << 17;
/** Index + 1 into `memoWords`/`memoAnalyses`; 0 is a free slot. */
const memoSlots = new Int32Array(SLOTS);
let memoWords: string[] = [];
let memoAnalyses: (readonly [string, string])[] = [];

const analyseAt = (text: string, start: number, end: number): readonly [string, string] => {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let slot = h & (SLOTS - 1);
  for (let entry = memoSlots[slot] as number; entry !== 0; entry = memoSlots[slot] as number) {
    const word = memoWords[entry - 1] as string;
    if (word.length === end - start && text.startsWith(word, start)) return memoAnalyses[entry - 1] as readonly [string, string];
    slot = (slot + 1) & (SLOTS - 1);
  }
  if (memoWords.length >= MAX_MEMO) {
    memoSlots.fill(0);
    memoWords = [];
    memoAnalyses = [];
    slot = h & (SLOTS - 1);
  }
  const raw = text.slice(start, end);
  const norm = foldWord(raw);
  const out = [norm, stem(norm)] as const;
  memoWords.push(raw);
  memoAnalyses.push(out);
  memoSlots[slot] = memoWords.length;
  return out;
};

/** Per BMP code unit: 0 not classified yet, 1 a letter or number (`[\p{L}\p{N}]`), 2 not. */
const LETTER_OR_NUMBER = new Uint8Array(0x10000);
const LETTER_OR_NUMBER_RE = /^[\p{L}\p{N}]$/u;

const isLetterOrNumber = (cp: number): boolean => {
  if (cp > 0xffff) return LETTER_OR_NUMBER_RE.test(String.fromCodePoint(cp));
  let known = LETTER_OR_NUMBER[cp] as number;
  if (known === 0) {
    known = LETTER_OR_NUMBER_RE.test(String.fromCharCode(cp)) ? 1 : 2;
    LETTER_OR_NUMBER[cp] = known;
  }
  return known === 1;
};

/** Code units of the code point at `i` (a lone surrogate is a code point of its own, as in a `u` regex). */
const width = (cp: number): number => (cp > 0xffff ? 2 : 1);

/**
 * End of the word starting at `start` (a letter or number): what `/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*\/u`
 * matches there, letters and numbers joined by single apostrophes or hyphens. Scanned by
 * character codes instead of that regex: the same words, without a match object per word.
 */
const wordEnd = (text: string, start: number): number => {
  let i = start;
  for (;;) {
    while (i < text.length) {
      const cp = text.codePointAt(i) as number;
      if (!isLetterOrNumber(cp)) break;
      i += width(cp);
    }
    const c = text.charCodeAt(i);
    if ((c === 39 || c === 0x2019 || c === 45) && i + 1 < text.length) {
      const next = text.codePointAt(i + 1) as number;
      if (isLetterOrNumber(next)) {
        i += 1 + width(next);
        continue;
      }
    }
    return i;
  }
};

/** Tokens of a cleaned text, each with its span in that text. */
export const tokenize = (clean: string): Token[] => {
  const tokens: Token[] = [];
  const ranges = skipRanges(clean);
  for (let i = 0; i < clean.length; ) {
    const cp = clean.codePointAt(i) as number;
    if (!isLetterOrNumber(cp)) {
      i += width(cp);
      continue;
    }
    const start = i;
    i = wordEnd(clean, start);
    if (ranges.length > 0 && skipped(ranges, start)) continue;
    if (start > 0 && clean.charCodeAt(start - 1) === 35) {
      const word = clean.slice(start, i);
      if (CAMEL_BREAK.test(word)) {
        let offset = start;
        for (const part of word.split(CAMEL_BREAK)) {
          const [norm, st] = analyseAt(clean, offset, offset + part.length);
          tokens.push({ norm, stem: st, span: { start: offset, end: offset + part.length } });
          offset += part.length;
        }
        continue;
      }
    }
    const [norm, st] = analyseAt(clean, start, i);
    tokens.push({ norm, stem: st, span: { start, end: i } });
  }
  return tokens;
};

export class BaselineNormalizer implements Normalizer {
  normalize(text: string): NormalizedDoc {
    const original = typeof text === 'string' ? text : '';
    const clean = cleanText(original);
    return { original, clean, sentences: splitSentences(clean), tokens: tokenize(clean) };
  }
}

/** Query-side analysis: the same stems a document would get, without sentence splitting. */
export const searchStems = (text: string): string[] => tokenize(cleanText(text)).map((t) => t.stem);
