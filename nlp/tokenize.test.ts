import test from 'ava';
import { tokenize } from './normalize.js';

/** The definition of a word that `tokenize` implements by scanning character codes. */
const WORD_RE = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Letters, digits and joiners of several scripts, astral letters, marks, lone surrogates, spaces. */
const PIECES = [
  'а', 'Ж', 'ё', 'z', 'Q', '7', '٣', 'ß', 'Ω', 'ї', '中', '𝐀', '𝟘', '😡', '\u0301', '\u0483', '\ud800', '\udc00',
  "'", '’', '-', '--', ' ', '\n', '.', ',', '!', '«', '»', '_', '\u00a0', '\u2009', 'ул', 'д-р', "д'Артаньян",
];

test('tokenize finds exactly the words of /[\\p{L}\\p{N}]+(?:[\'’-][\\p{L}\\p{N}]+)*/u', (t) => {
  let seed = 7;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const mismatches: string[] = [];
  for (let n = 0; n < 20_000; n++) {
    let text = '';
    const length = Math.floor(random() * 16);
    for (let k = 0; k < length; k++) text += PIECES[Math.floor(random() * PIECES.length)];
    const want = [...text.matchAll(WORD_RE)].map((m) => `${m.index}:${m[0]}`);
    const got = tokenize(text).map((token) => `${token.span.start}:${text.slice(token.span.start, token.span.end)}`);
    if (want.join('|') !== got.join('|')) mismatches.push(JSON.stringify(text));
  }
  t.deepEqual(mismatches.slice(0, 5), []);
});

test('tokens stay the same after the word memo fills up and starts over', (t) => {
  const sample = 'Третий день нет воды, УК-шка молчит; Жильцы пишут в ЖКХ';
  const before = tokenize(sample);
  // 52,000 distinct words: more than the memo holds (50,000), so it empties once.
  for (let chunk = 0; chunk < 52; chunk++) {
    const words = Array.from({ length: 1000 }, (_, i) => `слово${chunk * 1000 + i}ж`);
    const tokens = tokenize(words.join(' '));
    t.is(tokens.length, 1000);
    t.is(tokens[999]?.norm, `слово${chunk * 1000 + 999}ж`);
  }
  t.deepEqual(tokenize(sample), before);
});
