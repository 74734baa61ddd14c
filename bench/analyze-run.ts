/**
 * One `radar analyze` throughput measurement in a process of its own, run by `npm run bench`
 * (section `analyze`) once per `--runs`: a cold run (start-up done, nothing analysed yet: JIT
 * compilation and the word caches fill during it), then a warm run in the same process with a fresh
 * in-memory index. Before them, a loop of fixed work is timed: on a shared VM its time says how busy
 * the host was, which a single throughput figure cannot. Prints one JSON line.
 * Options: --posts N (default 10000).
 */
import { PassThrough, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { analyzeStream, createAnalyzer } from '../pipeline/analyze.js';
import { createToolkit } from '../pipeline/runtime.js';
import { generateCorpus } from './corpus.js';

/**
 * Fixed work, bound by memory access like the pipeline's table and index reads: random updates
 * over 32 MB. Its time on an idle machine is a constant; what it takes beyond that is the host's doing.
 */
const hostCheckMs = (): number => {
  const started = performance.now();
  const table = new Float64Array(1 << 22);
  let sum = 0;
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < table.length; i += 7) {
      const at = Math.imul(i, 0x9e3779b1) & (table.length - 1);
      table[at] = (table[at] as number) + i;
      sum += table[i] as number;
    }
  }
  // Read, so that the loop cannot be dropped as dead code.
  return Number.isFinite(sum) ? performance.now() - started : Number.NaN;
};

const { values } = parseArgs({ options: { posts: { type: 'string', default: '10000' } } });
const count = Number(values.posts);
if (!Number.isInteger(count) || count < 1) throw new Error(`Expected --posts to be a positive integer, got ${values.posts}`);

const config = loadConfig({ overrides: { logLevel: 'silent' } });
const lines = generateCorpus(count, 1).map((post) => `${JSON.stringify(post)}\n`);
const nlp = createToolkit(config);

const analyzeOnce = async (): Promise<{ ms: number; posts: number; bytesOut: number; classifier: string }> => {
  const analyzer = createAnalyzer({ config, nlp, logger: silentLogger });
  const input = new PassThrough();
  let bytesOut = 0;
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytesOut += chunk.length;
      cb();
    },
  });
  const started = performance.now();
  const running = analyzeStream(analyzer, { input, output, report: () => undefined });
  for (const line of lines) input.write(line);
  input.end();
  const summary = await running;
  return { ms: performance.now() - started, posts: summary.analyzed, bytesOut, classifier: analyzer.pipeline.classifierVersion };
};

const check = hostCheckMs();
const cold = await analyzeOnce();
const warm = await analyzeOnce();
// The shape `analyzeRunSchema` in bench/index.ts reads.
console.log(JSON.stringify({ classifier: cold.classifier, posts: cold.posts, bytesOut: cold.bytesOut, coldMs: cold.ms, warmMs: warm.ms, hostCheckMs: check }));
