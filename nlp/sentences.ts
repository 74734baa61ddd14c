import type { Sentence } from './contract.js';

/** Abbreviations that are followed by a name or number, so their dot never ends a sentence. */
const NEVER_FINAL = new Set([
  'ул', 'д', 'г', 'гор', 'пр', 'просп', 'пр-т', 'пр-кт', 'пос', 'п', 'пгт', 'с', 'дер', 'им', 'кв', 'корп', 'к', 'стр',
  'мкр', 'мкрн', 'р-н', 'пер', 'наб', 'пл', 'ш', 'б-р', 'бул', 'обл', 'р', 'ст', 'тел', 'лит', 'эт', 'оф', 'пом', 'св',
  'тов', 'гр', 'сш', 'ж', 'н', 'т', 'м', 'мин', 'руб', 'коп', 'тыс', 'млн', 'млрд', 'ч', 'см', 'кг', 'уч', 'зд', 'влд',
  'вл', 'пр-д', 'туп', 'ал', 'респ', 'кр', 'х', 'рп', 'р.п', 'т.е', 'т.к', 'т.ч', 'т.н', 'и.о', 'в.т.ч', 'в.т', 'напр',
  'ген', 'зам', 'нач', 'рис', 'илл', 'прим', 'доп', 'дир', 'проф', 'акад', 'ср', 'гл', 'вып',
]);

/** Abbreviations that may also close a sentence ("мусор, пакеты и т.д. Когда уберут?"). */
const MAYBE_FINAL = new Set(['т.д', 'т.п', 'др', 'и.т.д', 'и.т.п', 'гг', 'вв']);

const isLetterCode = (c: number): boolean =>
  (c >= 1072 && c <= 1103) || (c >= 1040 && c <= 1071) || c === 1105 || c === 1025 || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isUpperCode = (c: number): boolean => (c >= 1040 && c <= 1071) || c === 1025 || (c >= 65 && c <= 90);
const isLowerCode = (c: number): boolean => (c >= 1072 && c <= 1103) || c === 1105 || (c >= 97 && c <= 122);
const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
const isSpaceCode = (c: number): boolean => c === 32 || c === 9;

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** Code points that glue emoji together (variation selectors, ZWJ, skin tones, keycaps, tags). */
const isEmojiJoiner = (c: number): boolean =>
  c === 0xfe0f || c === 0xfe0e || c === 0x200d || c === 0x20e3 || (c >= 0xdb40 && c <= 0xdb40);

/** Length of the emoji at `i` (0 when none); a cheap range check avoids running the regex on ordinary text. */
const emojiLengthAt = (text: string, i: number): number => {
  const c = text.charCodeAt(i);
  if (c < 0x2000) return 0;
  const cp = text.codePointAt(i) ?? 0;
  const len = cp > 0xffff ? 2 : 1;
  if (isEmojiJoiner(c)) return len;
  if (c >= 0xdc00 && c <= 0xdfff) return 1;
  // Skin-tone modifiers and regional indicators are not Extended_Pictographic but belong to emoji.
  if ((cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0x1f1e6 && cp <= 0x1f1ff)) return len;
  return PICTOGRAPHIC.test(String.fromCodePoint(cp)) ? len : 0;
};

/** Closing quotes/brackets and emoji that belong to the sentence they follow. */
const absorbClosers = (text: string, from: number): number => {
  let j = from;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 41 || c === 187 || c === 34 || c === 39 || c === 8221 || c === 93) {
      j++;
      continue;
    }
    const e = emojiLengthAt(text, j);
    if (e > 0) {
      j += e;
      continue;
    }
    // Emoji separated by single spaces still close the sentence: "нет воды! 😡 😡".
    if (isSpaceCode(c) && emojiLengthAt(text, j + 1) > 0) {
      j++;
      continue;
    }
    return j;
  }
};

const nextNonSpace = (text: string, from: number): number => {
  let j = from;
  while (j < text.length && isSpaceCode(text.charCodeAt(j))) j++;
  return j;
};

/** The word before a dot at `dot`, including inner dots and hyphens ("т.д", "р-н"), lower-cased. */
const wordBefore = (text: string, dot: number): string => {
  let j = dot;
  while (j > 0) {
    const c = text.charCodeAt(j - 1);
    if (isLetterCode(c) || c === 45 || (c === 46 && j - 1 > 0 && isLetterCode(text.charCodeAt(j - 2)))) j--;
    else break;
  }
  return text.slice(j, dot).toLowerCase().replaceAll('ё', 'е');
};

/** A dot after a 1–2 digit number that opens the sentence is a list marker: "1. Нет воды". */
const isListMarker = (text: string, start: number, dot: number): boolean => {
  const head = nextNonSpace(text, start);
  if (dot - head < 1 || dot - head > 2) return false;
  for (let k = head; k < dot; k++) if (!isDigitCode(text.charCodeAt(k))) return false;
  return true;
};

/** "в 2024 г. Потом…" (a year) may end a sentence; "г. Бор" may not. "пр." is always "проспект" here. */
const isYear = (text: string, dot: number, word: string): boolean => {
  if (word !== 'г') return false;
  let j = dot - 2;
  while (j >= 0 && isSpaceCode(text.charCodeAt(j))) j--;
  return j >= 0 && isDigitCode(text.charCodeAt(j));
};

const dotEndsSentence = (text: string, start: number, i: number): boolean => {
  const prev = text.charCodeAt(i - 1);
  const next = text.charCodeAt(i + 1);
  if (isDigitCode(prev) && isDigitCode(next)) return false;
  if (i + 1 >= text.length || next === 10) return true;
  if (isDigitCode(prev) && isListMarker(text, start, i)) return false;
  const word = wordBefore(text, i);
  const tail = word.includes('.') ? word.slice(word.lastIndexOf('.') + 1) : word;
  const after = nextNonSpace(text, i + 1);
  const afterCode = text.charCodeAt(after);
  const spaced = after > i + 1;
  if (MAYBE_FINAL.has(word) || isYear(text, i, word)) return isUpperCode(afterCode) || afterCode === 10 || after >= text.length;
  if (NEVER_FINAL.has(word) || NEVER_FINAL.has(tail)) return false;
  // A single capital is an initial: "А. С. Пушкина", "Н.Новгород".
  if (word.length === 1 && isUpperCode(text.charCodeAt(i - 1))) return false;
  if (!spaced) return isUpperCode(afterCode) && word.length >= 2;
  return isLetterCode(afterCode) || isDigitCode(afterCode) || afterCode === 34 || afterCode === 171 || emojiLengthAt(text, after) > 0;
};

/**
 * Splits cleaned text into sentences. Boundaries: line breaks, `!`/`?` runs, ellipses followed by a
 * capital, dots that are not abbreviations/initials/numbers, and emoji followed by a capital.
 */
export const splitSentences = (text: string): Sentence[] => {
  const out: Sentence[] = [];
  const push = (from: number, to: number): void => {
    let s = from;
    let e = to;
    while (s < e && (isSpaceCode(text.charCodeAt(s)) || text.charCodeAt(s) === 10)) s++;
    while (e > s && (isSpaceCode(text.charCodeAt(e - 1)) || text.charCodeAt(e - 1) === 10)) e--;
    if (e > s) out.push({ text: text.slice(s, e), span: { start: s, end: e } });
  };
  let start = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      push(start, i);
      start = i + 1;
      i++;
      continue;
    }
    if (c === 33 || c === 63 || c === 8230 || (c === 46 && text.charCodeAt(i + 1) === 46)) {
      let j = i;
      let ellipsisOnly = true;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 33 || d === 63) ellipsisOnly = false;
        else if (d !== 46 && d !== 8230) break;
        j++;
      }
      // "Ну вот... опять нет воды": a trailing ellipsis before a lower-case word is a pause, not an end.
      if (ellipsisOnly && isLowerCode(text.charCodeAt(nextNonSpace(text, j)))) {
        i = j;
        continue;
      }
      const end = absorbClosers(text, j);
      push(start, end);
      start = end;
      i = end;
      continue;
    }
    if (c === 46) {
      if (dotEndsSentence(text, start, i)) {
        const end = absorbClosers(text, i + 1);
        push(start, end);
        start = end;
        i = end;
      } else i++;
      continue;
    }
    const e = emojiLengthAt(text, i);
    if (e > 0) {
      const end = absorbClosers(text, i);
      const after = nextNonSpace(text, end);
      if (after > end && (after >= n || isUpperCode(text.charCodeAt(after)))) {
        push(start, end);
        start = end;
      }
      i = Math.max(end, i + e);
      continue;
    }
    i++;
  }
  push(start, n);
  return out;
};
