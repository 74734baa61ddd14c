import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createBaselineToolkit } from '../nlp/index.js';
import { rates, readParaphraser, scorePairs } from './stories.js';

const pair = (t1: string, t2: string, label: number) =>
  `<paraphrase><value name="text_1">${t1}</value><value name="text_2">${t2}</value><value name="class">${label}</value></paraphrase>`;

test('ParaPhraser pairs are read and judged by the engine rule', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'radar-pp-')), 'p.xml');
  writeFileSync(
    file,
    `<?xml version='1.0' encoding='UTF8'?><data><corpus>${[
      pair('В Нижнем Новгороде отремонтируют мост через Оку в следующем году', 'В Нижнем Новгороде отремонтируют мост через Оку в следующем году!', 1),
      pair('Власти пообещали снизить тарифы на воду', 'На Марсе нашли следы древнего океана учёные довольны', -1),
      pair('Коротко', 'Коротко', 0),
    ].join('')}</corpus></data>`,
  );
  const pairs = readParaphraser(file);
  t.deepEqual(pairs.map((p) => p.label), [1, -1, 0]);
  const outcomes = scorePairs(pairs, createBaselineToolkit());
  t.false(outcomes[2]?.comparable, 'one-word texts are never compared');
  t.deepEqual(rates(outcomes, 0.5), { strict: 1, loose: 0, unrelated: 0 });
});
