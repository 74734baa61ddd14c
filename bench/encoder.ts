/**
 * Transformer encoder throughput: texts per second through tokenisation, ONNX inference (length-
 * bucketed batches) and pooling, for the tiny generated model and, with `--model DIR`, a real one.
 * Part of `npm run bench`; alone: `node --import tsx bench/encoder.ts [--model DIR] [--texts N]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TransformerEncoder } from '../nlp/transformer/encoder.js';
import { generateTinyModel } from '../nlp/transformer/tiny/generate.js';
import { generateCorpus } from './corpus.js';

export interface EncoderRate {
  readonly batchSize: number;
  readonly threads: number;
  readonly texts: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export interface EncoderBench {
  readonly name: string;
  readonly dtype: string;
  readonly dimension: number;
  readonly meanChars: number;
  readonly rates: readonly EncoderRate[];
}

/** Embeds `texts` once to warm up, then times each (batch size, threads) setting. */
export const benchEncoder = async (dir: string, texts: readonly string[], settings: readonly { batchSize: number; threads: number }[]): Promise<EncoderBench> => {
  const rates: EncoderRate[] = [];
  let described: Omit<EncoderBench, 'rates' | 'meanChars'> | null = null;
  for (const { batchSize, threads } of settings) {
    const encoder = new TransformerEncoder(resolve(dir), { modelsDir: resolve(dir, '..'), batchSize, intraOpThreads: threads });
    described ??= { name: encoder.name, dtype: encoder.dir.dtype, dimension: encoder.dimension };
    await encoder.embed(texts.slice(0, Math.min(texts.length, 2 * batchSize)), 'passage');
    const started = performance.now();
    await encoder.embed(texts, 'passage');
    const seconds = (performance.now() - started) / 1000;
    rates.push({ batchSize, threads, texts: texts.length, seconds, perSecond: texts.length / seconds });
    await encoder.dispose();
  }
  const meanChars = Math.round(texts.reduce((n, t) => n + t.length, 0) / Math.max(1, texts.length));
  return { ...(described as Omit<EncoderBench, 'rates' | 'meanChars'>), meanChars, rates };
};

const settingsFor = (): { batchSize: number; threads: number }[] => {
  const cores = cpus().length;
  return [
    { batchSize: 1, threads: 1 },
    { batchSize: 32, threads: 1 },
    ...(cores > 1 ? [{ batchSize: 32, threads: 0 }] : []),
  ];
};

const print = (bench: EncoderBench, log: (line: string) => void): void => {
  log(`encoder ${bench.name} (${bench.dtype}, ${bench.dimension} dimensions), ${bench.rates[0]?.texts ?? 0} generated posts of ${bench.meanChars} chars on average:`);
  for (const r of bench.rates) {
    log(`  batch ${String(r.batchSize).padStart(2)}, intra-op threads ${r.threads === 0 ? `default (${cpus().length} cores)` : r.threads}: ${Math.round(r.perSecond).toLocaleString('en-US')} texts/s (${r.seconds.toFixed(2)} s)`);
  }
};

/** The bench section: the tiny model always, a real model directory when given. */
export const runEncoderBench = async (options: { model?: string; texts?: number; log?: (line: string) => void } = {}): Promise<void> => {
  const log = options.log ?? console.log;
  const corpus = generateCorpus(options.texts ?? 2_000, 7).map((p) => p.text);
  const dir = mkdtempSync(join(tmpdir(), 'radar-bench-encoder-'));
  try {
    print(await benchEncoder(generateTinyModel(join(dir, 'tiny')), corpus, settingsFor()), log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (options.model) print(await benchEncoder(options.model, corpus.slice(0, options.texts ?? 500), settingsFor()), log);
  else log('  (pass --model DIR for a real model, e.g. models/intfloat/multilingual-e5-small after `radar models pull`)');
};

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({ options: { model: { type: 'string' }, texts: { type: 'string' } } });
  const texts = values.texts ? Number(values.texts) : undefined;
  if (texts !== undefined && (!Number.isInteger(texts) || texts < 1)) throw new Error(`Expected --texts to be a positive integer, got ${values.texts}`);
  console.log(`Radar encoder bench — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`);
  await runEncoderBench({ ...(values.model ? { model: values.model } : {}), ...(texts ? { texts } : {}) });
}
