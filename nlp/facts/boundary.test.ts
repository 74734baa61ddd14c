import test from 'ava';
import { eachAtWordStart, startsWord, WORD_START_LOOKBEHIND } from './boundary.js';

for (const hyphenGlues of [false, true]) {
  test(`the word-start lookbehind rejects exactly what startsWord rejects (hyphens glue: ${hyphenGlues})`, (t) => {
    const re = new RegExp(`${WORD_START_LOOKBEHIND(hyphenGlues)}@`, 'u');
    const disagree: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const text = `${String.fromCodePoint(cp)}@`;
      const at = text.length - 1;
      if (re.test(text) !== startsWord(text, at, hyphenGlues)) disagree.push(`U+${cp.toString(16)}`);
    }
    t.deepEqual(disagree, []);
  });
}

test('a pattern with the lookbehind gives the same matches through eachAtWordStart as without it', (t) => {
  const body = '[Нн]а\\s+\\p{L}+';
  const plain = new RegExp(body, 'gu');
  const guarded = new RegExp(`${WORD_START_LOOKBEHIND(true)}${body}`, 'gu');
  const text = 'Сена Ленина, на Ленина, сна-на Горького, 5на улице, на\u00a0Мира, 😡на Заре';
  const spans = (re: RegExp) => {
    const out: [number, string][] = [];
    eachAtWordStart(re, text, true, (m) => out.push([m.index, m[0]]));
    return out;
  };
  t.deepEqual(spans(guarded), spans(plain));
  t.deepEqual(spans(plain).map(([, s]) => s), ['на Ленина', 'на\u00a0Мира', 'на Заре']);
});
