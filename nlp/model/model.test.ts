import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { BaselineNormalizer } from '../normalize.js';
import { defaultTaxonomy } from '../taxonomy.js';
import type { LabelledPost } from './corpus.js';
import { loadCorpus, splitOf } from './corpus.js';
import { evaluate } from './evaluate.js';
import { Featurizer } from './features.js';
import { loadPromoted } from './index.js';
import { encodeModel, readModelFile, writeModelFile } from './model-file.js';
import { ModelRegistry } from './registry.js';
import { bestThresholdOf, trainFakeHead, trainModel } from './train.js';
import { TrainedFakeScorer } from './trained-fake-scorer.js';
import { TrainedClassifier } from './trained-classifier.js';
import { createBaselineToolkit } from '../index.js';

const normalizer = new BaselineNormalizer();
const tmp = () => mkdtempSync(join(tmpdir(), 'radar-model-'));

/** A tiny corpus of our own: enough signal for a linear model to separate three topics. */
const posts: LabelledPost[] = [];
const add = (id: string, text: string, category?: string, urgency: 'low' | 'medium' | 'high' = 'medium') =>
  posts.push({ id, text, is_problem: Boolean(category), problems: category ? [{ text, category, urgency }] : [] });
const streets = ['Ленина', 'Горького', 'Белинского', 'Чкалова', 'Мира', 'Гагарина', 'Советской', 'Пушкина'];
streets.forEach((s, i) => {
  add(`h${i}`, `на ${s} ${i + 3} опять нет горячей воды, батареи холодные, УК не отвечает`, 'housing');
  add(`r${i}`, `яма на дороге на ${s}, асфальт разбит, колесо пробил`, 'roads');
  add(`w${i}`, `у дома ${i + 1} на ${s} мусор не вывозят, контейнеры переполнены`, 'waste');
  add(`n${i}`, `Спасибо за концерт на площади ${s}, было здорово!`);
  add(`a${i}`, `Продам велосипед, недорого, звоните, район ${s}`);
});

test('features are deterministic, L2-normalised and carry a bias feature', (t) => {
  const features = new Featurizer(defaultTaxonomy);
  const a = features.vector(normalizer.normalize('Нет горячей воды третий день'));
  const b = features.vector(normalizer.normalize('Нет горячей воды третий день'));
  t.deepEqual([...a.indices], [...b.indices]);
  t.is(a.values.at(-1), 1, 'the last feature is the bias');
  t.true(a.indices.length > 20, 'words, bigrams and char grams');
  t.true([...a.values].every((v) => v > 0 && v <= 1), 'normalised n-grams and lexicon scores all lie in (0, 1]');
});

test('training is reproducible and separates the topics of a small corpus', (t) => {
  const one = trainModel(posts, normalizer, defaultTaxonomy, { epochs: 8, learningRate: 0.4, l2: 1e-6, seed: 7 });
  const two = trainModel(posts, normalizer, defaultTaxonomy, { epochs: 8, learningRate: 0.4, l2: 1e-6, seed: 7 });
  t.true(encodeModel(one.model).equals(encodeModel(two.model)), 'same data and seed give the same bytes');
  const classifier = new TrainedClassifier(one.model, defaultTaxonomy, 'test@1');
  const check = (text: string) => {
    const doc = normalizer.normalize(text);
    return classifier.classify(doc, [{ text: doc.clean, span: { start: 0, end: doc.clean.length } }])[0];
  };
  t.like(check('на Садовой нет горячей воды и батареи холодные'), { isProblem: true, category: 'housing' });
  t.like(check('огромная яма на дороге, разбит асфальт'), { isProblem: true, category: 'roads' });
  t.like(check('контейнеры переполнены, мусор не вывозят'), { isProblem: true, category: 'waste' });
  t.like(check('Продам диван, недорого'), { isProblem: false });
  const p = check('мусор не вывозят');
  t.true((p?.confidence ?? 0) > 0 && (p?.confidence ?? 0) <= 1);
});

test('a model survives the file round trip and keeps its predictions', (t) => {
  const { model } = trainModel(posts, normalizer, defaultTaxonomy, { epochs: 8, learningRate: 0.4, l2: 1e-6, seed: 7 });
  const file = join(tmp(), 'm.json.gz');
  writeModelFile(file, model);
  const loaded = readModelFile(file);
  const a = new TrainedClassifier(model, defaultTaxonomy, 'a');
  const b = new TrainedClassifier(loaded, defaultTaxonomy, 'b');
  const doc = normalizer.normalize('яма на дороге');
  const seg = [{ text: doc.clean, span: { start: 0, end: doc.clean.length } }];
  t.deepEqual(a.classify(doc, seg), b.classify(doc, seg));
});

test('a broken model file is an error naming the path and the fix', (t) => {
  const file = join(tmp(), 'broken.json.gz');
  writeFileSync(file, 'not gzip');
  t.throws(() => readModelFile(file), { message: new RegExp(`Cannot read model file ${file}.*npm run train`) });
});

test('the registry registers, promotes and rolls back; the service loads what is promoted', (t) => {
  const dir = tmp();
  const registry = new ModelRegistry(dir);
  t.is(loadPromoted(dir, defaultTaxonomy), null, 'nothing promoted: the baseline serves');
  const { model } = trainModel(posts, normalizer, defaultTaxonomy, { epochs: 4, learningRate: 0.4, l2: 1e-6, seed: 1 });
  writeModelFile(join(dir, 'm1.json.gz'), model);
  const card = (version: string, file: string) => ({
    name: 'classic',
    version,
    created: '2026-11-22T00:00:00.000Z',
    file,
    format: 'radar-linear-1',
    encoder: 'hashing',
    dataHash: 'abc',
    seed: 1,
    examples: {},
    metrics: { categoryMacroF1: 0.9 },
  });
  registry.register(card('v1', 'm1.json.gz'));
  registry.register(card('v2', 'missing.json.gz'));
  t.is(registry.register(card('v1', 'other.json.gz')).file, 'm1.json.gz', 're-registering keeps the first card');
  registry.promote('classic@v1');
  t.is(loadPromoted(dir, defaultTaxonomy)?.classifier.version, 'classic@v1');
  registry.promote('classic@v2');
  t.throws(() => loadPromoted(dir, defaultTaxonomy), { message: /classic@v2 is missing its file .*missing\.json\.gz.*npm run train/ });
  t.is(registry.rollback().version, 'v1');
  t.is(registry.read().promoted, 'classic@v1');
  t.throws(() => registry.rollback(), { message: /Nothing to roll back to/ });
  t.throws(() => registry.promote('classic@v9'), { message: /No model classic@v9/ });
});

test('corpus files are validated line by line and split deterministically', (t) => {
  const dir = tmp();
  writeFileSync(join(dir, 'a.jsonl'), `${JSON.stringify(posts[0])}\n${JSON.stringify({ id: 'x', text: 'abc', is_problem: true, problems: [{ text: 'zzz', category: 'roads', urgency: 'low' }] })}\n`);
  t.throws(() => loadCorpus([dir]), { message: /a\.jsonl:2: .*substring/ });
  writeFileSync(join(dir, 'a.jsonl'), `${JSON.stringify(posts[0])}\n`);
  const corpus = loadCorpus([dir]);
  t.is(corpus.posts.length, 1);
  t.is(corpus.hash.length, 64);
  t.is(splitOf('he-0001'), splitOf('he-0001'));
  const share = Array.from({ length: 2000 }, (_, i) => splitOf(`id-${i}`)).filter((s) => s === 'test').length / 2000;
  t.true(share > 0.15 && share < 0.25);
});

test('evaluate reports per-class metrics, macro-F1, confusion and calibration', async (t) => {
  const { model } = trainModel(posts, normalizer, defaultTaxonomy, { epochs: 8, learningRate: 0.4, l2: 1e-6, seed: 7 });
  const nlp = { ...createBaselineToolkit(), classifier: new TrainedClassifier(model, defaultTaxonomy, 'x') };
  const report = await evaluate(posts, nlp);
  t.is(report.posts, posts.length);
  t.true(report.category.macroF1 > 0.9);
  t.true(report.isProblem.f1 > 0.9);
  t.is(report.category.perClass.housing?.support, streets.length);
  t.is(Object.values(report.category.confusion.roads ?? {}).reduce((a, b) => a + b, 0), streets.length);
  t.true(report.category.calibration.length > 0);
});

test('the fake-news head ranks fake-style posts above ordinary ones, and spread raises the risk', (t) => {
  const claims = [
    ...['в водопроводе холера', 'завтра отключат интернет', 'в школах начнут проверять телефоны', 'власти скрывают выброс', 'бесплатные деньги всем пенсионерам'].flatMap((topic, i) => [
      { id: `f${i}a`, text: `СРОЧНО перешлите всем! Знакомый врач сказал: ${topic}, СМИ молчат!!!`, label: 'fake' as const },
      { id: `f${i}b`, text: `Говорят, ${topic}. По секрету от сестры из администрации, разошлите родным`, label: 'fake' as const },
    ]),
    ...['отключение воды на Ленина', 'ремонт дороги на Горького', 'гололёд на выходных', 'прививки в поликлинике № 3', 'концерт на площади'].flatMap((topic, i) => [
      { id: `o${i}a`, text: `По данным администрации города, ${topic} пройдёт по графику, справки по телефону 112`, label: 'ordinary' as const },
      { id: `o${i}b`, text: `Пресс-служба Водоканала сообщает: ${topic}, подробности на официальном сайте`, label: 'ordinary' as const },
    ]),
  ];
  const head = trainFakeHead(claims, normalizer, defaultTaxonomy, { epochs: 10, learningRate: 0.4, l2: 1e-6, seed: 3 });
  const { model } = trainModel(posts, normalizer, defaultTaxonomy, { epochs: 2, learningRate: 0.4, l2: 1e-6, seed: 3 });
  const scorer = new TrainedFakeScorer({ ...model, heads: { ...model.heads, fake: head } }, defaultTaxonomy);
  const fake = normalizer.normalize('СРОЧНО перешлите! Знакомый сказал, что в магазинах отравленный хлеб, власти скрывают!!!');
  const plain = normalizer.normalize('По данным администрации, ремонт моста пройдёт по графику, подробности на сайте');
  const alone = scorer.score(fake, { storySize: 1, storySources: 1, storySpanHours: 0 });
  t.true(alone.score > scorer.score(plain, { storySize: 1, storySources: 1, storySpanHours: 0 }).score);
  const spread = scorer.score(fake, { storySize: 30, storySources: 16, storySpanHours: 2 });
  t.true(spread.score > alone.score, 'a story copied to 16 channels within 2 hours is riskier');
  t.true(spread.reasons.some((r) => r.startsWith('Быстрое распространение')));
  t.true(alone.reasons.length > 0 && alone.reasons.every((r) => /[а-я]/i.test(r)), 'reasons are in Russian');
});

test('the relevance threshold is the best F1, and on a flat stretch of F1 the one nearest even odds', (t) => {
  t.is(bestThresholdOf([]), 0.5);
  // Positives above 0.3, negatives below: every threshold from 0.22 to 0.3 separates them perfectly,
  // and 0.3 is the one of those nearest 0.5.
  const separable = [0.1, 0.15, 0.2].map((p) => ({ p, y: 0 })).concat([0.31, 0.6, 0.9].map((p) => ({ p, y: 1 })));
  t.is(bestThresholdOf(separable), 0.3);
  // Negatives up to 0.45, positives from 0.6: every threshold from 0.46 to 0.6 is perfect; the
  // lowest of them would be chance, even odds is not.
  const wide = [0.05, 0.2, 0.45].map((p) => ({ p, y: 0 })).concat([0.6, 0.7, 0.99].map((p) => ({ p, y: 1 })));
  t.is(bestThresholdOf(wide), 0.5);
  // One example's worth of F1 is a tie: 0.5 loses one positive of 300 to the best, and is kept.
  const near = [
    ...Array.from({ length: 299 }, (_, i) => ({ p: 0.55 + (0.4 * i) / 298, y: 1 })),
    { p: 0.45, y: 1 },
    ...Array.from({ length: 30 }, (_, i) => ({ p: 0.05 + (0.3 * i) / 29, y: 0 })),
  ];
  t.is(bestThresholdOf(near), 0.5);
  // A clearly better threshold still wins over even odds.
  const skewed = [0.1, 0.2, 0.3, 0.4, 0.5, 0.55].map((p) => ({ p, y: 0 })).concat([0.7, 0.75, 0.8, 0.85].map((p) => ({ p, y: 1 })));
  t.true(bestThresholdOf(skewed) > 0.55);
});
