/**
 * `npm run bench`: analyze throughput, store insert and query rates, on a generated corpus.
 * Figures are rates (per second) with the machine named; nothing here is asserted.
 * Options: --posts N (default 10000), --db FILE (default: a temp file), --dedup-sizes LIST
 * (stored posts for the dedup scaling figure, default 10000,100000,1000000; the 1M fill takes minutes),
 * --model DIR (a transformer model directory for the encoder throughput, besides the tiny generated one),
 * --only LIST (sections to run, default all: analyze,quality,stories,dedup,store,encoder; `--only analyze`
 * gives the throughput figure in about a minute), --runs N (analyze processes, default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { toNewPost } from '../pipeline/ingest.js';
import { createRuntime, createToolkit, disposeToolkit } from '../pipeline/runtime.js';
import type { Encoder } from '../nlp/contract.js';
import { evaluateFacts, loadFactSet } from '../nlp/model/evaluate-facts.js';
import { evaluate, loadCorpus, splitOf } from '../nlp/model/index.js';
import { generateCorpus } from './corpus.js';
import { runEncoderBench } from './encoder.js';
import { dedupScaling } from './dedup-scaling.js';
import { hasParaphraser, paraphraserPath, rates, readParaphraser, scorePairs, scoreSemanticPairs, semanticRates } from './stories.js';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '10000' },
    db: { type: 'string' },
    'dedup-sizes': { type: 'string', default: '10000,100000,1000000' },
    model: { type: 'string' },
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
  },
});
const count = Number(values.posts);
if (!Number.isInteger(count) || count < 1) throw new Error(`Expected --posts to be a positive integer, got ${values.posts}`);
const runCount = Number(values.runs);
if (!Number.isInteger(runCount) || runCount < 1) throw new Error(`Expected --runs to be a positive integer, got ${values.runs}`);
const execFileAsync = promisify(execFile);
const SECTIONS = ['analyze', 'quality', 'stories', 'dedup', 'store', 'encoder'] as const;
const only = values.only === undefined ? [...SECTIONS] : values.only.split(',').map((s) => s.trim());
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length > 0) throw new Error(`Expected --only to list sections among ${SECTIONS.join(', ')}, got ${unknown.join(', ')}`);
const run = (section: (typeof SECTIONS)[number]): boolean => only.includes(section);

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
const config = loadConfig({ overrides: { logLevel: 'silent' } });
const corpus = generateCorpus(count, 1);

console.log(`Radar bench — ${machine}`);
console.log(`corpus: ${corpus.length} generated posts (seed 1), ${Math.round(corpus.reduce((n, p) => n + p.text.length, 0) / corpus.length)} chars on average`);

// 1. radar analyze end to end (JSON Lines in and out, in-memory store), single thread, each run in a
// fresh process (bench/analyze-run.ts): cold, then warm in the same process. On a shared VM one run
// says as much about the neighbours as about Radar: several, with the host check beside each, say both.
const analyzeRunSchema = z.object({
  classifier: z.string(),
  posts: z.number().int(),
  bytesOut: z.number(),
  coldMs: z.number().positive(),
  warmMs: z.number().positive(),
  hostCheckMs: z.number().positive(),
});

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

if (run('analyze')) {
  const script = fileURLToPath(new URL('./analyze-run.ts', import.meta.url));
  const runs: z.infer<typeof analyzeRunSchema>[] = [];
  for (let i = 0; i < runCount; i++) {
    const { stdout } = await execFileAsync(process.execPath, [...process.execArgv, script, '--posts', String(count)], { maxBuffer: 1 << 20 });
    const parsed = analyzeRunSchema.parse(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
    runs.push(parsed);
    console.log(
      `analyze run ${i + 1}/${runCount}: cold ${rate(parsed.posts, parsed.coldMs)}, warm ${rate(parsed.posts, parsed.warmMs)} (host check ${Math.round(parsed.hostCheckMs)} ms)`,
    );
  }
  const first = runs[0] as z.infer<typeof analyzeRunSchema>;
  const rates = (key: 'coldMs' | 'warmMs') => runs.map((r) => (r.posts / r[key]) * 1000);
  const range = (xs: readonly number[]) => `${Math.round(Math.min(...xs)).toLocaleString('en-US')}–${Math.round(Math.max(...xs)).toLocaleString('en-US')}`;
  console.log(
    `analyze: ${first.posts} posts, classifier ${first.classifier}, ${(first.bytesOut / 1e6).toFixed(1)} MB out; on one core, median of ${runCount} processes: ` +
      `cold ${Math.round(median(rates('coldMs'))).toLocaleString('en-US')}/s (${range(rates('coldMs'))}), warm ${Math.round(median(rates('warmMs'))).toLocaleString('en-US')}/s (${range(rates('warmMs'))}); ` +
      `host check median ${Math.round(median(runs.map((r) => r.hostCheckMs)))} ms (fixed work: higher means a busier host)`,
  );
}

// 2. Quality of the NLP in use, on the held-out split of our corpus and the annotated fact set.
if (run('quality')) {
  const nlp = createToolkit(config);
  const corpus = loadCorpus(['fixtures/corpus']);
  const report = await evaluate(corpus.posts.filter((p) => splitOf(p.id) === 'test'), nlp);
  const facts = evaluateFacts(loadFactSet('fixtures/facts/annotated.jsonl'), nlp);
  console.log(
    `quality (${nlp.classifier.version}, held-out split): category macro-F1 ${report.category.macroF1.toFixed(3)}, is_problem F1 ${report.isProblem.f1.toFixed(3)}, address F1 ${facts.addresses.f1.toFixed(3)} (street + house)`,
  );
}

// 3. Stories on ParaPhraser (public corpus beside the project, when present).
if (run('stories') && hasParaphraser()) {
  const outcomes = scorePairs(readParaphraser(paraphraserPath), createToolkit(config));
  const current = rates(outcomes, config.dedup.storySimilarity);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(
    `stories on ParaPhraser (${outcomes.length} pairs), threshold ${config.dedup.storySimilarity}: strict paraphrases merged ${pct(current.strict)}, loose ${pct(current.loose)}, unrelated (false merges) ${pct(current.unrelated)}`,
  );
  console.log(`  sweep: ${[0.3, 0.4, 0.5, 0.6].map((t) => `${t}: ${pct(rates(outcomes, t).strict)} / ${pct(rates(outcomes, t).unrelated)}`).join('; ')} (strict recall / false merges)`);
  // Paraphrases in other words need an encoder: with --model DIR, the same pairs through its embeddings.
  if (values.model) {
    const nlp = createToolkit({ ...config, encoder: `transformer:${values.model}` });
    const semantic = await scoreSemanticPairs(readParaphraser(paraphraserPath), nlp.encoder as Encoder);
    await disposeToolkit(nlp);
    const at = (t: number) => `${t}: ${pct(semanticRates(semantic, t).strict)} / ${pct(semanticRates(semantic, t).unrelated)}`;
    console.log(`stories on ParaPhraser by embeddings of ${values.model}, cosine ${config.dedup.storyCosine}: ${at(config.dedup.storyCosine)}; sweep ${[0.8, 0.85, 0.9, 0.95].map(at).join('; ')} (strict recall / false merges)`);
  }
} else if (run('stories')) {
  console.log(`stories on ParaPhraser: skipped, ${paraphraserPath} not found`);
}

// 4. Dedup cost per new post as the store grows (SQLite file, one transaction per batch of 100).
if (run('dedup')) {
  const sizes = values['dedup-sizes'].split(',').map(Number);
  for (const r of await dedupScaling(config, createToolkit(config), sizes)) {
    console.log(`dedup with ${r.stored.toLocaleString('en-US')} stored posts: ${r.usPerPost.toFixed(0)} µs per new post (store filled in ${r.fillSeconds.toFixed(0)} s)`);
  }
}

// 5. Store: raw inserts into a file database, then feed queries.
if (run('store')) {
  const dir = values.db ? null : mkdtempSync(join(tmpdir(), 'radar-bench-'));
  const dbPath = values.db ?? join(dir as string, 'bench.db');
  const runtime = createRuntime(config, silentLogger, { dbPath });
  const posts = corpus.map((p) => toNewPost(p, 'bench'));
  let started = performance.now();
  for (let i = 0; i < posts.length; i += 100) await runtime.store.savePosts(posts.slice(i, i + 100));
  let ms = performance.now() - started;
  console.log(`store insert (raw posts, batches of 100, WAL file): ${rate(posts.length, ms)}`);

  started = performance.now();
  const drained = await runtime.processor.drain();
  ms = performance.now() - started;
  console.log(`pipeline from store (pending -> indexed, file DB): ${rate(drained.processed, ms)}`);

  const queries: [string, () => Promise<unknown>][] = [
    ['feed first page', () => runtime.store.listIncidents({}, { limit: 50 })],
    ['feed by category', () => runtime.store.listIncidents({ categories: ['roads'] }, { limit: 50 })],
    ['full-text q', () => runtime.store.listIncidents({ q: 'мусор' }, { limit: 50 })],
  ];
  for (const [name, query] of queries) {
    const n = 200;
    started = performance.now();
    for (let i = 0; i < n; i++) await query();
    ms = performance.now() - started;
    console.log(`store query (${name}): ${rate(n, ms)}`);
  }
  await runtime.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// 6. Transformer encoder throughput: the tiny generated model, and a real one with --model DIR.
if (run('encoder')) await runEncoderBench(values.model ? { model: values.model } : {});
