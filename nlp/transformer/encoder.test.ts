import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { TransformerEncoder } from './encoder.js';
import { warmUpEncoder } from './select.js';
import { acquireEncoder } from './shared.js';
import { encodeModel } from './tiny/onnx.js';
import { generateTinyModel } from './tiny/generate.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'radar-encoder-'));
const modelsDir = tmp();
const plain = generateTinyModel(join(tmp(), 'tiny'));
const prompted = generateTinyModel(join(tmp(), 'tiny-e5'), { prompts: true });
const open = (dir: string, batchSize = 4) => new TransformerEncoder(dir, { modelsDir, batchSize, intraOpThreads: 1 });

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const norm = (a: Float32Array): number => Math.sqrt(cosine(a, a));
const maxDiff = (a: readonly Float32Array[], b: readonly Float32Array[]): number =>
  Math.max(...a.flatMap((x, i) => [...x].map((y, k) => Math.abs(y - ((b[i] as Float32Array)[k] as number)))));

const texts = [
  'Третий день нет горячей воды на улице Белинского, д. 32',
  'нет горячей воды',
  'Огромная яма на дороге у дома 5, колесо пробил',
  'Третий день нет горячей воды на улице Белинского, д. 32',
  'Спасибо за концерт!',
  'На остановке автобус 45 не ходит с утра, люди мёрзнут',
  '',
];

test('the tiny model loads through transformers.js and gives one normalised vector per text, in order', async (t) => {
  const encoder = open(plain);
  t.regex(encoder.name, /^transformer:.*tiny@[0-9a-f]{12}$/);
  t.is(encoder.dimension, 64);
  const vectors = await encoder.embed(texts, 'query');
  t.is(vectors.length, texts.length);
  for (const v of vectors) {
    t.is(v.length, 64);
    t.true(Math.abs(norm(v) - 1) < 1e-5);
  }
  const [copy1, short, pothole, copy2, thanks] = vectors as Float32Array[];
  t.true(cosine(copy1 as Float32Array, copy2 as Float32Array) > 0.9999, 'copies of one text embed the same');
  t.true(cosine(copy1 as Float32Array, short as Float32Array) > cosine(copy1 as Float32Array, pothole as Float32Array), 'shared words bring texts closer');
  t.true(cosine(short as Float32Array, thanks as Float32Array) < 0.9);
  t.deepEqual(await encoder.embed([], 'query'), []);
  await encoder.dispose();
});

test('length-bucketed batches give the same vectors as one text at a time', async (t) => {
  const batched = open(plain, 3);
  const single = open(plain, 1);
  const many = [...texts, ...texts.map((x) => `${x} ${x}`), 'вода '.repeat(300)];
  const a = await batched.embed(many, 'passage');
  const b: Float32Array[] = [];
  for (const text of many) b.push(...(await single.embed([text], 'passage')));
  t.true(maxDiff(a, b) < 1e-5, `max difference ${maxDiff(a, b)}`);
  await batched.dispose();
  await single.dispose();
});

test('query and passage prefixes are added where the model needs them', async (t) => {
  const withPrompts = open(prompted);
  const without = open(plain);
  t.deepEqual(withPrompts.dir.prompts, { query: 'query: ', passage: 'passage: ' });
  const [q] = await withPrompts.embed(['нет горячей воды'], 'query');
  const [p] = await withPrompts.embed(['нет горячей воды'], 'passage');
  const [manual] = await without.embed(['query: нет горячей воды'], 'query');
  t.true(maxDiff([q as Float32Array], [manual as Float32Array]) < 1e-6, 'the query prefix is exactly "query: "');
  t.true(cosine(q as Float32Array, p as Float32Array) < 0.9999, 'roles differ');
  const [noRole] = await without.embed(['нет горячей воды'], 'query');
  const [noRole2] = await without.embed(['нет горячей воды'], 'passage');
  t.true(maxDiff([noRole as Float32Array], [noRole2 as Float32Array]) < 1e-6, 'a model without prompts ignores the role');
  await withPrompts.dispose();
  await without.dispose();
});

test('a quantized-only model loads as q8 and stays close to fp32', async (t) => {
  const dir = join(tmp(), 'tiny-q8');
  cpSync(plain, dir, { recursive: true });
  rmSync(join(dir, 'onnx', 'model.onnx'));
  const q8 = open(dir);
  const fp32 = open(plain);
  t.is(q8.dir.dtype, 'q8');
  const a = await q8.embed(texts.slice(0, 3), 'query');
  const b = await fp32.embed(texts.slice(0, 3), 'query');
  a.forEach((v, i) => t.true(cosine(v, b[i] as Float32Array) > 0.99));
  await q8.dispose();
  await fp32.dispose();
});

test('a model onnxruntime cannot run fails at warm-up, naming the directory and the fix', async (t) => {
  const dir = join(tmp(), 'tiny-bad-op');
  cpSync(plain, dir, { recursive: true });
  const ids = { name: 'input_ids', type: 'int64' as const, shape: ['b', 's'] };
  writeFileSync(
    join(dir, 'onnx', 'model.onnx'),
    encodeModel(
      { name: 'g', nodes: [{ op: 'RadarNoSuchOperator', inputs: ['input_ids'], outputs: ['last_hidden_state'] }], initializers: [], inputs: [ids], outputs: [{ name: 'last_hidden_state', type: 'float', shape: ['b', 's', 64] }] },
      { irVersion: 8, opset: 17, producer: 'test' },
    ),
  );
  const handle = acquireEncoder(dir, { modelsDir, batchSize: 4, intraOpThreads: 1 });
  const error = await t.throwsAsync(warmUpEncoder(handle), { message: new RegExp(`Cannot load transformer model ${dir} \\(onnx/model.onnx\\): .*RadarNoSuchOperator.*radar models pull`) });
  t.is((error as { code?: string }).code, 'ERR_CONFIG');
  await handle.dispose();
});

test('encoders are shared per directory and released with their last holder', async (t) => {
  const a = acquireEncoder(plain, { modelsDir, batchSize: 4, intraOpThreads: 1 });
  const b = acquireEncoder(plain, { modelsDir, batchSize: 4, intraOpThreads: 1 });
  t.is(a.name, b.name);
  const [before] = await a.embed(['нет воды'], 'query');
  await a.dispose();
  const [after] = await b.embed(['нет воды'], 'query');
  t.true(maxDiff([before as Float32Array], [after as Float32Array]) === 0, 'the other holder keeps working');
  await b.dispose();
  t.throws(() => b.name, { message: /was disposed/ });
  const c = acquireEncoder(plain, { modelsDir, batchSize: 4, intraOpThreads: 1 });
  t.is((await c.embed(['нет воды'], 'query'))[0]?.length, 64, 'a new holder loads it again');
  await c.dispose();
});

test('a disposed encoder refuses to embed', async (t) => {
  const encoder = open(plain);
  await encoder.embed(['вода'], 'query');
  await encoder.dispose();
  await t.throwsAsync(encoder.embed(['вода'], 'query'), { message: /was disposed/ });
});
