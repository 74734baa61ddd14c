/**
 * The transformer path end to end, offline: a tiny BERT-shaped model generated into a temp models
 * folder, heads trained on its embeddings over 300 posts of our corpus and promoted, then
 * `radar analyze`, `radar evaluate`, `radar serve` and the in-process service run on it.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { ModelRegistry } from '../nlp/model/registry.js';
import { startHubServer } from '../nlp/transformer/tiny/hub-server.js';
import { generateTinyModel } from '../nlp/transformer/tiny/generate.js';
import { toNewPost } from '../pipeline/ingest.js';
import { createRuntime, createToolkit } from '../pipeline/runtime.js';
import { runRadar, startServe } from './test-support.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'radar-transformer-'));
const models = tmp();
generateTinyModel(join(models, 'tiny'));
generateTinyModel(join(models, 'ner'), { kind: 'token-classification' });

/** Every 18th labelled post of the corpus: about 300, all categories, fast to train on. */
const corpusFile = join(tmp(), 'subset.jsonl');
const corpusDir = new URL('../fixtures/corpus/', import.meta.url);
const lines = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .flatMap((f) => readFileSync(new URL(f, corpusDir), 'utf8').split('\n').filter(Boolean));
writeFileSync(corpusFile, `${lines.filter((_, i) => i % 18 === 0).join('\n')}\n`);

const env = { RADAR_MODELS_DIR: models, RADAR_LOG_LEVEL: 'warn' };
const run = (args: string[], stdin = '', extra: Record<string, string> = {}) => runRadar(args, { stdin, env: { ...env, ...extra } });

const trained = (async () => {
  const result = await run(['train', '--encoder', 'transformer:tiny', '--data', corpusFile, '--out', join(models, 'radar-tiny'), '--promote', '--cache', join(tmp(), 'cache')]);
  if (result.code !== 0) throw new Error(`radar train failed (${result.code}): ${result.stderr}`);
  return result;
})();

const posts = [
  { id: 'a', text: 'Третий день нет горячей воды на улице Белинского, д. 32. Водоканал не отвечает!', published_at: '2026-11-20T08:00:00Z' },
  { id: 'b', text: 'Третий день нет горячей воды на улице Белинского, д. 32. Водоканал не отвечает!', published_at: '2026-11-20T09:00:00Z' },
  { id: 'c', text: 'Огромная яма на дороге у завода на Московском шоссе, колесо пробил', published_at: '2026-11-20T10:00:00Z' },
  { id: 'd', text: 'Спасибо за концерт в парке!' },
];
const categories = new Set(createToolkit(loadConfig({ env: {} })).taxonomy.categories.map((c) => c.id));
const input = `${posts.map((p) => JSON.stringify(p)).join('\n')}\n`;

test('radar train --encoder trains heads on the tiny model, registers them with the encoder, and promotes them', async (t) => {
  const result = await trained;
  t.regex(result.stdout, /^training heads on transformer:tiny@[0-9a-f]{12} \(64 dimensions\) with \d+ of \d+ posts/m);
  t.regex(result.stdout, /embedded \d+ texts \(0 from the cache/);
  const card = new ModelRegistry(models).promoted();
  t.like(card, { name: 'radar-tiny', format: 'radar-embedding-1' });
  t.regex(card?.encoder ?? '', /^transformer:tiny@[0-9a-f]{12}$/);
  t.true((card?.examples.trainPosts ?? 0) + (card?.examples.testPosts ?? 0) === lines.filter((_, i) => i % 18 === 0).length);
  t.regex(result.stdout, new RegExp(`registered radar-tiny@${card?.version}.*\\n.*promoted radar-tiny@${card?.version}`));

  const evaluated = await run(['evaluate', '--data', corpusFile, '--split', 'test']);
  t.is(evaluated.code, 0, evaluated.stderr);
  t.regex(evaluated.stdout, new RegExp(`^model: radar-tiny@${card?.version}; split: test`, 'm'));
  t.regex(evaluated.stdout, /category \(on gold problem spans\): macro-F1 \d\.\d{3}/);
  const byRef = await run(['evaluate', '--data', corpusFile, '--split', 'test', '--model', `radar-tiny@${card?.version}`, '--json']);
  t.is(byRef.code, 0, byRef.stderr);
  t.is((JSON.parse(byRef.stdout) as { model: string }).model, `radar-tiny@${card?.version}`);
});

test('radar analyze runs the whole pipeline on the transformer path', async (t) => {
  await trained;
  const result = await run(['analyze'], input);
  t.is(result.code, 0, result.stderr);
  const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.deepEqual(out.map((o) => o.id), ['a', 'b', 'c', 'd']);
  for (const o of out) {
    t.deepEqual(Object.keys(o).sort(), ['facts', 'fake_risk', 'id', 'incident_id', 'is_problem', 'problems', 'story_id']);
    t.is(typeof o.is_problem, 'boolean');
    for (const p of o.problems as { category: string; confidence: number }[]) {
      t.true(categories.has(p.category), p.category);
      t.true(p.confidence >= 0 && p.confidence <= 1);
    }
  }
  t.is(out[0]?.story_id, out[1]?.story_id, 'copies are one story');
  t.deepEqual(out[0]?.problems, out[1]?.problems, 'copies get the same classification');

  const withNer = await run(['analyze'], input, { RADAR_NER_MODEL: 'ner' });
  t.is(withNer.code, 0, withNer.stderr);
  const c = withNer.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; facts: { organizations: { text: string }[] } }).find((o) => o.id === 'c');
  t.true(c?.facts.organizations.some((o) => o.text === 'завода'), 'the NER model\'s organisation joined the facts');
});

test('radar serve processes ingested posts with the transformer classifier and shuts down cleanly', async (t) => {
  await trained;
  const version = new ModelRegistry(models).promoted()?.version;
  const server = await startServe({ ...env, RADAR_LOG_LEVEL: 'info', RADAR_DB: join(tmp(), 'radar.db') });
  try {
    t.regex(server.logs(), new RegExp(`"msg":"nlp ready".*"classifier":"radar-tiny@${version}".*"encoder":"transformer:tiny@[0-9a-f]{12}"`));
    const accepted = await fetch(`${server.url}/api/v1/posts`, { method: 'POST', body: JSON.stringify(posts), headers: { 'content-type': 'application/json' } });
    t.is(accepted.status, 202);
    let view: { status: string; story_id: string | null; problems: unknown[] } = { status: 'pending', story_id: null, problems: [] };
    for (let i = 0; i < 200 && view.status !== 'processed'; i++) {
      view = (await (await fetch(`${server.url}/api/v1/posts/api:a`)).json()) as typeof view;
      if (view.status !== 'processed') await new Promise((r) => setTimeout(r, 100));
    }
    t.is(view.status, 'processed');
    const b = (await (await fetch(`${server.url}/api/v1/posts/api:b`)).json()) as typeof view;
    t.is(b.story_id, view.story_id);
  } finally {
    server.child.kill('SIGTERM');
  }
  const code = await new Promise((r) => server.child.once('exit', r));
  t.is(code, 0, server.logs());
});

test('the in-process service runs on the promoted transformer model and releases it on close', async (t) => {
  await trained;
  const config = loadConfig({ env: { RADAR_MODELS_DIR: models } });
  const runtime = createRuntime(config, silentLogger, { dbPath: ':memory:' });
  const version = new ModelRegistry(models).promoted()?.version;
  t.is(runtime.pipeline.classifierVersion, `radar-tiny@${version}`);
  t.regex(runtime.nlp.encoder?.name ?? '', /^transformer:tiny@/);
  await runtime.store.savePosts(posts.map((p) => toNewPost(p, 'api')));
  const drained = await runtime.processor.drain();
  t.like(drained, { processed: 4, failed: 0 });
  const a = await runtime.store.getPost('api:a');
  t.is(a?.status, 'processed');
  t.true(a?.analysis?.isProblem === true || a?.analysis?.isProblem === false);
  const encoder = runtime.nlp.encoder;
  await runtime.close();
  t.throws(() => encoder?.name, { message: /was disposed/ }, 'close() released the model');
});

test('without a transformer model everything stays on the classical path', (t) => {
  const nlp = createToolkit(loadConfig({ env: {} }));
  t.is(nlp.encoder, null);
  t.regex(nlp.classifier.version, /^radar-classic@/);
});

test('start-up errors name the model directory and the fix', async (t) => {
  await trained;
  const off = await run(['analyze'], input, { RADAR_ENCODER: 'hashing' });
  t.is(off.code, 2);
  t.regex(off.stderr, /The promoted model radar-tiny@\w+ classifies sentence embeddings of transformer:tiny@\w+, but RADAR_ENCODER=hashing turns the encoder off/);

  const missing = await run(['analyze'], input, { RADAR_ENCODER: 'transformer:not-there' });
  t.is(missing.code, 2);
  t.regex(missing.stderr, new RegExp(`Transformer model directory ${join(models, 'not-there')} does not exist.*radar models pull`));

  const changed = join(tmp(), 'tiny-changed');
  cpSync(join(models, 'tiny'), changed, { recursive: true });
  writeFileSync(join(changed, 'tokenizer_config.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(changed, 'tokenizer_config.json'), 'utf8')), model_max_length: 64 }));
  const other = await run(['analyze'], input, { RADAR_ENCODER: `transformer:${changed}` });
  t.is(other.code, 2);
  t.regex(other.stderr, new RegExp(`Encoder ${changed} \\(files hash \\w{12}\\) is not the one the promoted model radar-tiny@\\w+ was trained on`));
});

test('radar models pull installs a model from a hub endpoint and lists it', async (t) => {
  const source = generateTinyModel(join(tmp(), 'tiny'));
  const hub = await startHubServer([{ id: 'radar/tiny-bert', dir: source }]);
  const modelsDir = tmp();
  try {
    const pulled = await runRadar(['models', 'pull', 'radar/tiny-bert', '--quantized'], { env: { RADAR_MODELS_DIR: modelsDir, HF_ENDPOINT: hub.url, RADAR_LOG_LEVEL: 'warn' } });
    t.is(pulled.code, 0, pulled.stderr);
    t.regex(pulled.stdout, /onnx\/model_quantized\.onnx: 81,\d{3} bytes, verified/);
    t.regex(pulled.stdout, new RegExp(`installed radar/tiny-bert@[0-9a-f]{40} in ${join(modelsDir, 'radar', 'tiny-bert')} \\(4 files`));
    t.regex(pulled.stdout, /use it with RADAR_ENCODER=transformer:radar\/tiny-bert/);
    const listed = await runRadar(['models', 'list'], { env: { RADAR_MODELS_DIR: modelsDir } });
    t.regex(listed.stdout, /pulled radar\/tiny-bert@[0-9a-f]{12} -> radar\/tiny-bert \(feature-extraction, quantized/);
    const analyzed = await runRadar(['analyze'], { stdin: input, env: { RADAR_MODELS_DIR: modelsDir, RADAR_ENCODER: 'transformer:radar/tiny-bert', RADAR_LOG_LEVEL: 'warn' } });
    t.is(analyzed.code, 0, analyzed.stderr);
    t.is(analyzed.stdout.trim().split('\n').length, posts.length, 'the pulled model serves as the encoder (the keyword baseline classifies)');
  } finally {
    await hub.close();
  }
});
