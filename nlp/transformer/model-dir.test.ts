import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { hashModelDir, inspectModelDir } from './model-dir.js';
import { encodeModel } from './tiny/onnx.js';
import { generateTinyModel } from './tiny/generate.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'radar-model-dir-'));
const fix = 'Run `radar models pull X` or set RADAR_ENCODER=hashing.';
const pristine = generateTinyModel(join(tmp(), 'tiny'));
/** A fresh copy of the tiny model to break. */
const copy = (): string => {
  const dir = join(tmp(), 'tiny');
  cpSync(pristine, dir, { recursive: true });
  return dir;
};
/** A models folder the test models do not lie in: they are loaded by absolute path. */
const elsewhere = tmp();
const inspect = (dir: string, modelsDir = elsewhere) => inspectModelDir(dir, { modelsDir, task: 'feature-extraction', fix });

test('a generated model directory passes and describes itself', (t) => {
  const dir = inspect(pristine);
  t.like(dir, { path: pristine, modelId: pristine, task: 'feature-extraction', dtype: 'fp32', onnxFile: 'onnx/model.onnx', hiddenSize: 64, maxLength: 128, pooling: 'mean' });
  t.deepEqual(dir.prompts, { query: '', passage: '' });
  t.deepEqual([...dir.files], ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']);
});

test('a relative directory lives in the models folder and is loaded by its hub-style id', (t) => {
  const models = tmp();
  cpSync(pristine, join(models, 'radar', 'tiny-bert'), { recursive: true });
  const dir = inspect('radar/tiny-bert', models);
  t.is(dir.path, join(models, 'radar', 'tiny-bert'));
  t.is(dir.modelId, 'radar/tiny-bert');
});

test('a missing directory or file is an error naming the path and the fix', (t) => {
  const missing = join(tmp(), 'nothing-here');
  t.throws(() => inspect(missing), { message: new RegExp(`^Transformer model directory ${missing} does not exist\\..*radar models pull X`) });
  const dir = copy();
  rmSync(join(dir, 'tokenizer.json'));
  t.throws(() => inspect(dir), { code: 'ERR_CONFIG', message: new RegExp(`${dir} is missing ${join(dir, 'tokenizer.json')}.*RADAR_ENCODER=hashing`) } as never);
  const noOnnx = copy();
  rmSync(join(noOnnx, 'onnx'), { recursive: true });
  t.throws(() => inspect(noOnnx), { message: /has no onnx\/model\.onnx or onnx\/model_quantized\.onnx/ });
});

test('unreadable JSON and broken ONNX files are caught before anything loads', (t) => {
  const badJson = copy();
  writeFileSync(join(badJson, 'config.json'), '{"model_type": "bert",');
  t.throws(() => inspect(badJson), { message: new RegExp(`unreadable ${join(badJson, 'config.json')}`) });

  const noType = copy();
  writeFileSync(join(noType, 'config.json'), '{"hidden_size": 64}');
  t.throws(() => inspect(noType), { message: /unexpected .*config\.json: model_type/ });

  const truncated = copy();
  const onnx = join(truncated, 'onnx', 'model.onnx');
  const bytes = readFileSync(onnx);
  writeFileSync(onnx, bytes.subarray(0, bytes.length - 100));
  t.throws(() => inspect(truncated), { message: new RegExp(`broken ${onnx} \\(field of \\d+ bytes at byte \\d+ runs past the end of the file`) });

  const garbage = copy();
  writeFileSync(join(garbage, 'onnx', 'model.onnx'), 'this is not a protobuf at all');
  t.throws(() => inspect(garbage), { message: /broken .*model\.onnx/ });

  const wrongGraph = copy();
  writeFileSync(
    join(wrongGraph, 'onnx', 'model.onnx'),
    encodeModel(
      { name: 'g', nodes: [{ op: 'Identity', inputs: ['input_ids'], outputs: ['logits'] }], initializers: [], inputs: [{ name: 'input_ids', type: 'int64', shape: ['b', 's'] }], outputs: [{ name: 'logits', type: 'int64', shape: ['b', 's'] }] },
      { irVersion: 8, opset: 17, producer: 'test' },
    ),
  );
  t.throws(() => inspect(wrongGraph), { message: /without a last_hidden_state output \(outputs: logits\); expected a feature-extraction export/ });
});

test('only a quantized export is enough, and it is loaded as q8', (t) => {
  const dir = copy();
  rmSync(join(dir, 'onnx', 'model.onnx'));
  t.like(inspect(dir), { dtype: 'q8', onnxFile: 'onnx/model_quantized.onnx' });
});

test('prefixes come from sentence-transformers prompts, or from an e5 model name', (t) => {
  const prompted = generateTinyModel(join(tmp(), 'tiny'), { prompts: true });
  t.deepEqual(inspect(prompted).prompts, { query: 'query: ', passage: 'passage: ' });
  const models = tmp();
  cpSync(pristine, join(models, 'intfloat', 'multilingual-e5-small'), { recursive: true });
  t.deepEqual(inspect('intfloat/multilingual-e5-small', models).prompts, { query: 'query: ', passage: 'passage: ' });
  cpSync(pristine, join(models, 'cointegrated', 'rubert-tiny2'), { recursive: true });
  t.deepEqual(inspect('cointegrated/rubert-tiny2', models).prompts, { query: '', passage: '' });
  t.deepEqual(inspectModelDir(pristine, { modelsDir: models, task: 'feature-extraction', fix, knownAs: 'intfloat/e5-small' }).prompts.query, 'query: ');
});

test('the hash covers every file the model runs on', (t) => {
  const dir = copy();
  const before = hashModelDir(inspect(dir));
  t.is(before, hashModelDir(inspect(pristine)), 'the same files hash the same wherever they lie');
  t.regex(before, /^[0-9a-f]{64}$/);
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, model_max_length: 64 }));
  t.not(hashModelDir(inspect(dir)), before);
});

test('a token-classification model needs labels and a logits output', (t) => {
  const ner = generateTinyModel(join(tmp(), 'ner'), { kind: 'token-classification' });
  const dir = inspectModelDir(ner, { modelsDir: elsewhere, task: 'token-classification', fix });
  t.deepEqual([...dir.labels], ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC']);
  t.throws(() => inspect(ner), { message: /without a last_hidden_state output/ }, 'a NER export is not an encoder');
});
