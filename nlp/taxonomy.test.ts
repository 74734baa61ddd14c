import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBaselineToolkit, defaultGazetteerPath, defaultTaxonomy, loadGazetteer, loadTaxonomy } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'radar-nlp-'));
const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

test('default taxonomy has the expected ids, Russian labels and fallback', (t) => {
  t.deepEqual(defaultTaxonomy.categories.map((c) => c.id), [
    'housing', 'roads', 'waste', 'urban', 'transport', 'health', 'education', 'social', 'energy', 'ecology', 'safety', 'other',
  ]);
  t.is(defaultTaxonomy.categories.find((c) => c.id === 'housing')?.label, 'ЖКХ');
  t.is(defaultTaxonomy.fallback, 'other');
});

test('loadTaxonomy reads a valid file', (t) => {
  const path = write('ok.json', { categories: [{ id: 'roads', label: 'Дороги' }, { id: 'other', label: 'Прочее' }], fallback: 'other' });
  t.deepEqual(loadTaxonomy(path).categories.map((c) => c.id), ['roads', 'other']);
});

test('loadTaxonomy errors name the field, expected and received', (t) => {
  const bad = write('bad.json', { categories: [{ id: 'roads', label: 5 }], fallback: 'other' });
  const e = t.throws(() => loadTaxonomy(bad));
  t.regex(e?.message ?? '', /categories\.0\.label/);
  t.regex(e?.message ?? '', /expected string, received number/);
  const wrongFallback = write('fallback.json', { categories: [{ id: 'roads', label: 'Дороги' }], fallback: 'other' });
  t.throws(() => loadTaxonomy(wrongFallback), { message: /fallback: expected one of the category ids, received "other"/ });
  t.throws(() => loadTaxonomy(write('broken.json', '{ not json')), { message: /Invalid JSON/ });
  t.throws(() => loadTaxonomy(join(dir, 'missing.json')), { message: /Cannot read taxonomy file/ });
});

test('the shipped gazetteer loads and validates', (t) => {
  const g = loadGazetteer(defaultGazetteerPath);
  t.is(g.region, 'Нижегородская область');
  const names = g.municipalities.map((m) => m.name);
  for (const name of ['Нижний Новгород', 'Сормовский район', 'Дзержинск', 'Арзамас', 'Саров', 'Чкаловск']) t.true(names.includes(name), name);
});

test('loadGazetteer errors name the field', (t) => {
  const bad = write('gaz.json', { region: 'X', municipalities: [{ name: 'A', type: 'village', forms: [] }] });
  const e = t.throws(() => loadGazetteer(bad));
  t.regex(e?.message ?? '', /municipalities\.0\.type/);
});

test('a custom gazetteer path is honoured by the toolkit', (t) => {
  const path = write('custom.json', { region: 'Тест', municipalities: [{ name: 'Урюпинск', type: 'city', forms: ['Урюпинск', 'Урюпинске'] }] });
  const toolkit = createBaselineToolkit({ gazetteerPath: path });
  const doc = toolkit.normalizer.normalize('В Урюпинске и Дзержинске нет воды');
  t.deepEqual(toolkit.extractor.extract(doc).locations.map((l) => l.municipality), ['Урюпинск']);
});

test('searchTokens returns the same stems as Token.stem', (t) => {
  const toolkit = createBaselineToolkit();
  const text = 'Нeт горячей ВОДЫ на ул. Ленина!!! #ЖКХ https://vk.com/x';
  t.deepEqual([...toolkit.searchTokens(text)], toolkit.normalizer.normalize(text).tokens.map((x) => x.stem));
  t.deepEqual([...toolkit.searchTokens('вода')], [...toolkit.searchTokens('воды')]);
});
