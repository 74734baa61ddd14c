/**
 * Token folding shared by the normaliser and every lexicon, so that a dictionary word and a word
 * typed in a post meet in the same form.
 */

/** Latin letters that render like Cyrillic ones; spammers and phone keyboards mix them in. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у',
  u: 'и', n: 'п', r: 'г',
};

const HAS_LATIN = /[a-z]/;
const HAS_CYRILLIC = /[а-яё]/;
const LATIN_LETTER_G = /[a-z]/g;
const TRIPLE = /(\p{L})\1\1/u;
const RUNS = /(\p{L})\1{2,}/gu;

/** Lower-case, `ё`→`е`, Latin look-alikes inside Cyrillic words folded, 3+ repeated letters squeezed. */
export const foldWord = (raw: string): string => {
  let w = raw.toLowerCase();
  if (w.includes('ё')) w = w.replaceAll('ё', 'е');
  if (HAS_LATIN.test(w) && HAS_CYRILLIC.test(w)) {
    w = w.replace(LATIN_LETTER_G, (ch) => LOOKALIKES[ch] ?? ch);
  }
  if (TRIPLE.test(w)) w = w.replace(RUNS, '$1');
  return w;
};
