import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createBaselineToolkit } from '../index.js';
import { mergeEntities, NerFactExtractor } from './ner.js';
import { generateTinyModel } from './tiny/generate.js';
import { TransformerTokenClassifier } from './token-classifier.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'radar-ner-'));
const nerDir = generateTinyModel(join(tmp(), 'ner'), { kind: 'token-classification' });
const model = new TransformerTokenClassifier(nerDir, { modelsDir: tmp(), batchSize: 4, intraOpThreads: 1 });
test.after.always(() => model.dispose());
const toolkit = createBaselineToolkit();
const doc = (text: string) => toolkit.normalizer.normalize(text);

test('the NER model finds entities with spans into the clean text, BIO runs joined', async (t) => {
  const text = 'В парке у завода опять свалка, Водоканал молчит. Пишу из Нижнего Новгорода, глава района не отвечает';
  const [entities] = await model.entities([doc(text)]);
  t.deepEqual(
    entities?.map((e) => [e.type, e.text]),
    [
      ['LOC', 'парке'],
      ['ORG', 'завода'],
      ['ORG', 'Водоканал'],
      ['LOC', 'Нижнего Новгорода'],
      ['PER', 'глава'],
    ],
  );
  for (const e of entities ?? []) {
    t.is(text.slice(e.span.start, e.span.end), e.text);
    t.true(e.score > 0.9 && e.score <= 1);
  }
});

test('long posts are read in windows that fit the model', async (t) => {
  const text = `${'Вода '.repeat(300)}а в Кстово тоже`;
  const [entities] = await model.entities([doc(text), doc('ничего особенного'), doc('')]).then((all) => [all[0], all[1], all[2]]);
  t.deepEqual(entities?.map((e) => [e.type, e.text]), [['LOC', 'Кстово']]);
});

test('model entities join the rule-based facts where no rule found them; people are not merged', async (t) => {
  const extractor = new NerFactExtractor(toolkit.extractor, model);
  const d = doc('В парке у завода опять свалка, Водоканал молчит, глава района не отвечает. Кстово, ул. Ленина, д. 5');
  t.deepEqual(extractor.extract(d), toolkit.extractor.extract(d), 'before prepare: the rules only');
  await extractor.prepare([d]);
  const facts = extractor.extract(d);
  const rules = toolkit.extractor.extract(d);
  t.deepEqual(facts.organizations.map((o) => o.text), ['завода', 'Водоканал'], 'the factory is new; Водоканал once, from the rules');
  t.is(facts.organizations.find((o) => o.text === 'Водоканал')?.kind, rules.organizations.find((o) => o.text === 'Водоканал')?.kind);
  t.deepEqual(facts.locations.map((l) => l.text), ['парке', 'Кстово']);
  t.is(facts.locations[1]?.municipality, rules.locations[0]?.municipality, 'the gazetteer match keeps its municipality');
  t.deepEqual(facts.addresses, rules.addresses);
  t.false(JSON.stringify(facts).includes('глава'), 'person names stay out of the facts');
  const firstSentence = { start: 0, end: d.clean.indexOf('.') };
  t.deepEqual(extractor.extract(d, firstSentence).locations.map((l) => l.text), ['парке'], 'spans filter merged facts too');
});

test('merging never duplicates what overlaps a rule-based fact', (t) => {
  const facts = {
    addresses: [{ text: 'ул. Ленина, д. 5', span: { start: 20, end: 36 }, street: 'улица Ленина', house: '5' }],
    locations: [],
    organizations: [{ text: 'УК Домком', span: { start: 0, end: 9 }, kind: 'management_company' }],
    dates: [],
    phones: [],
  };
  const merged = mergeEntities(facts, [
    { type: 'ORG', text: 'Домком', span: { start: 3, end: 9 }, score: 0.99 },
    { type: 'LOC', text: 'Ленина', span: { start: 24, end: 30 }, score: 0.99 },
    { type: 'LOC', text: 'Сормово', span: { start: 40, end: 47 }, score: 0.9 },
    { type: 'PER', text: 'Иванов', span: { start: 50, end: 56 }, score: 0.9 },
  ]);
  t.deepEqual(merged.organizations, facts.organizations);
  t.deepEqual(merged.locations, [{ text: 'Сормово', span: { start: 40, end: 47 } }]);
  t.deepEqual(merged.addresses, facts.addresses);
});
