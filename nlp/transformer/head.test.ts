import { mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import test from 'ava';
import { createBaselineToolkit } from '../index.js';
import type { LabelledPost } from '../model/corpus.js';
import { evaluate } from '../model/evaluate.js';
import { BaselineNormalizer } from '../normalize.js';
import { defaultTaxonomy } from '../taxonomy.js';
import { EmbeddingCache } from './embedding-cache.js';
import { encodeEmbeddingModel, readEmbeddingModel } from './head-file.js';
import { trainEmbeddingModel } from './head-train.js';
import { EmbeddingClassifier } from './head.js';
import { acquireEncoder } from './shared.js';
import { generateTinyModel } from './tiny/generate.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'radar-head-'));
const normalizer = new BaselineNormalizer();
const modelDir = generateTinyModel(join(tmp(), 'tiny'));
const encoder = acquireEncoder(modelDir, { modelsDir: tmp(), batchSize: 16, intraOpThreads: 1 });
test.after.always(() => encoder.dispose());

/** Three topics in words the tiny model's vocabulary knows, and chatter. */
const posts: LabelledPost[] = [];
const add = (id: string, text: string, category?: string, urgency: 'low' | 'medium' | 'high' = 'medium') =>
  posts.push({ id, text, is_problem: Boolean(category), problems: category ? [{ text, category, urgency }] : [] });
['Ленина', 'Горького', 'Белинского', 'Чкалова', 'Мира', 'Гагарина', 'Советской', 'Пушкина', 'Садовой', 'Лесной'].forEach((s, i) => {
  add(`h${i}`, `на ${s} ${i + 3} опять нет горячей воды, батареи холодные, отопления нет`, 'housing');
  add(`r${i}`, `яма на дороге на ${s}, асфальт разбит, выбоины на дороге`, 'roads');
  add(`w${i}`, `у дома ${i + 1} на ${s} мусор не вывозят, контейнеры и баки переполнены мусором`, 'waste');
  add(`n${i}`, `Спасибо за концерт и праздник на площади ${s}, было здорово!`);
  add(`a${i}`, `Продам велосипед недорого, скидки, звоните, район ${s}`);
});

const options = { epochs: 40, learningRate: 0.05, l2: 1e-4, seed: 7 };
const whole = (text: string) => {
  const doc = normalizer.normalize(text);
  return { doc, segments: [{ text: doc.clean, span: { start: 0, end: doc.clean.length } }] };
};

test('heads trained on tiny-model embeddings separate the topics, reproducibly', async (t) => {
  const input = { posts, normalizer, taxonomy: defaultTaxonomy, encoder, encoderSpec: modelDir, cache: null, options };
  const one = await trainEmbeddingModel(input);
  const two = await trainEmbeddingModel(input);
  t.true(encodeEmbeddingModel(one.model).equals(encodeEmbeddingModel(two.model)), 'same embeddings, data and seed give the same bytes');
  t.is(one.model.encoder.name, encoder.name);
  t.is(one.model.encoder.hash, encoder.hash);
  t.deepEqual(one.examples, { relevance: 50, category: 30, urgency: 30 });
  const classifier = new EmbeddingClassifier(one.model, defaultTaxonomy, 'tiny-head@1');
  const check = async (text: string) => {
    const { doc, segments } = whole(text);
    return classifier.classify(doc, segments, await encoder.embed([doc.clean], 'query'))[0];
  };
  t.like(await check('на Садовой нет горячей воды и батареи холодные'), { isProblem: true, category: 'housing' });
  t.like(await check('огромная яма на дороге, асфальт разбит'), { isProblem: true, category: 'roads' });
  t.like(await check('мусор не вывозят, контейнеры переполнены'), { isProblem: true, category: 'waste' });
  t.like(await check('Продам велосипед, недорого'), { isProblem: false });
  const p = await check('нет горячей воды');
  t.true((p?.confidence ?? 0) > 0 && (p?.confidence ?? 0) <= 1);
  t.is((await check('пожар в подъезде, угроза жизни'))?.urgency, 'high', 'the danger-to-life rule still wins');
});

test('a head on embeddings refuses to classify without them', async (t) => {
  const { model } = await trainEmbeddingModel({ posts, normalizer, taxonomy: defaultTaxonomy, encoder, encoderSpec: modelDir, cache: null, options });
  const classifier = new EmbeddingClassifier(model, defaultTaxonomy, 'tiny-head@1');
  const { doc, segments } = whole('нет горячей воды');
  t.throws(() => classifier.classify(doc, segments), { message: /classifier tiny-head@1 reads sentence embeddings from transformer:.*, but got none.*RADAR_ENCODER/ });
  t.throws(() => classifier.classify(doc, segments, [new Float32Array(8)]), { message: /expects 64-dimensional embeddings, got 8/ });
});

test('the model file round-trips and a corrupt one is an error naming the path', async (t) => {
  const { model } = await trainEmbeddingModel({ posts, normalizer, taxonomy: defaultTaxonomy, encoder, encoderSpec: modelDir, cache: null, options });
  const file = join(tmp(), 'm.json.gz');
  writeFileSync(file, encodeEmbeddingModel(model));
  t.deepEqual(readEmbeddingModel(file), model);
  const broken = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { heads: { category: { weights: string } } };
  broken.heads.category.weights = Buffer.from(new Float32Array(3).buffer).toString('base64');
  writeFileSync(file, gzipSync(JSON.stringify(broken)));
  t.throws(() => readEmbeddingModel(file), { message: new RegExp(`Model file ${file} is corrupt: head category has 3 weights, expected 780`) });
  writeFileSync(file, 'not gzip');
  t.throws(() => readEmbeddingModel(file), { message: new RegExp(`Cannot read model file ${file}.*radar train --encoder`) });
});

test('training embeddings are cached on disk by encoder and text, and reused', async (t) => {
  const dir = tmp();
  const input = { posts, normalizer, taxonomy: defaultTaxonomy, encoder, encoderSpec: modelDir, options };
  const first = await trainEmbeddingModel({ ...input, cache: new EmbeddingCache(dir) });
  t.deepEqual(first.embedded, { hits: 0, misses: 50 });
  const file = new EmbeddingCache(dir).fileOf(encoder, 'query');
  t.is(statSync(file).size, 16 + 50 * (32 + 64 * 4));
  const second = await trainEmbeddingModel({ ...input, cache: new EmbeddingCache(dir) });
  t.deepEqual(second.embedded, { hits: 50, misses: 0 }, 'a second run reads every embedding from disk');
  t.true(encodeEmbeddingModel(first.model).equals(encodeEmbeddingModel(second.model)), 'cached embeddings train the same model');
  // A record torn by a crash is dropped; the rest is kept.
  appendFileSync(file, Buffer.alloc(100));
  const third = await new EmbeddingCache(dir).embed(encoder, ['нет горячей воды', 'совсем новый текст'], 'query');
  t.deepEqual(third.stats, { hits: 0, misses: 2 });
  t.is(statSync(file).size, 16 + 52 * (32 + 64 * 4));
  const fourth = await new EmbeddingCache(dir).embed(encoder, ['совсем новый текст'], 'query');
  t.deepEqual(fourth.stats, { hits: 1, misses: 0 });
  const [direct] = await encoder.embed(['совсем новый текст'], 'query');
  t.deepEqual([...(fourth.vectors[0] as Float32Array)], [...(direct as Float32Array)]);
});

test('evaluate embeds segments and gold spans through the toolkit encoder', async (t) => {
  const { model } = await trainEmbeddingModel({ posts, normalizer, taxonomy: defaultTaxonomy, encoder, encoderSpec: modelDir, cache: null, options });
  const nlp = { ...createBaselineToolkit(), encoder, classifier: new EmbeddingClassifier(model, defaultTaxonomy, 'tiny-head@1') };
  const report = await evaluate(posts, nlp);
  t.is(report.posts, posts.length);
  t.true(report.category.macroF1 > 0.9, `macro-F1 ${report.category.macroF1}`);
  t.true(report.isProblem.f1 > 0.9, `is_problem F1 ${report.isProblem.f1}`);
  await t.throwsAsync(evaluate(posts, { ...nlp, encoder: null }), { message: /reads sentence embeddings/ }, 'without an encoder the head says why');
});
