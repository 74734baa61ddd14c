/**
 * `radar analyze`: JSON Lines in, one JSON line per post out, in input order. Runs the service's
 * own stages and dedup engine; story and incident candidates come from an in-memory index (the
 * same semantics as the store's, see store/memory-dedup.ts) and nothing is written to disk, so story
 * and incident ids are computed across the whole input exactly as the service would.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, Writable } from 'node:stream';
import type { RadarConfig } from '../core/config.js';
import { postIdOf } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { parsePostInput } from '../core/post-input.js';
import type { Post, PostInput } from '../core/types.js';
import type { NlpToolkit } from '../nlp/contract.js';
import type { AnalysisSink, DedupIndex } from '../store/contract.js';
import { MemoryDedupIndex } from '../store/memory-dedup.js';
import { type AnalyzeOutput, toAnalyzeOutput } from './output.js';
import { Pipeline, type BatchResult } from './pipeline.js';

export const ANALYZE_SOURCE = 'input';

export interface AnalyzeIo {
  readonly input: Readable;
  readonly output: Writable;
  /** Receives one human-readable line per bad input line or failed post. */
  readonly report: (line: string) => void;
}

export interface AnalyzeSummary {
  readonly lines: number;
  readonly analyzed: number;
  readonly malformed: number;
  readonly failed: number;
}

/** Results are printed, not kept. */
const discard: AnalysisSink = { saveAnalyses: async () => undefined, markFailed: async () => undefined };

export interface AnalyzerOptions {
  readonly config: RadarConfig;
  readonly nlp: NlpToolkit;
  readonly logger: Logger;
  /** Defaults to a fresh in-memory index and no sink; tests pass a store to compare backends. */
  readonly dedupIndex?: DedupIndex;
  readonly sink?: AnalysisSink;
}

export interface Analyzer {
  readonly config: RadarConfig;
  readonly pipeline: Pipeline;
}

export const createAnalyzer = (options: AnalyzerOptions): Analyzer => ({
  config: options.config,
  pipeline: new Pipeline({
    nlp: options.nlp,
    sink: options.sink ?? discard,
    dedupIndex: options.dedupIndex ?? new MemoryDedupIndex(),
    dedup: options.config.dedup,
    logger: options.logger,
    concurrency: options.config.pipeline.concurrency,
    maxQueuedBatches: options.config.pipeline.maxQueuedBatches,
  }),
});

type Entry = { readonly line: number; readonly input: PostInput; readonly post: Post };

/**
 * A repeated id is analysed again: the dedup index already holds that post, so it lands in the
 * same story and incident without being counted twice.
 */
const toPost = (input: PostInput, collectedAt: string): Post => {
  const source = input.source ?? ANALYZE_SOURCE;
  return {
    id: postIdOf(source, input.id),
    source,
    externalId: input.id,
    text: input.text,
    author: input.author ?? null,
    url: input.url ?? null,
    publishedAt: input.published_at ?? null,
    collectedAt,
    location: input.location ?? null,
    raw: input,
  };
};

export const analyzeStream = async ({ pipeline, config }: Analyzer, io: AnalyzeIo): Promise<AnalyzeSummary> => {
  const summary = { lines: 0, analyzed: 0, malformed: 0, failed: 0 };
  const inFlight: Promise<void>[] = [];
  let writing: Promise<void> = Promise.resolve();
  // One collection time for the run: posts without a date are "now", all the same now.
  const collectedAt = new Date().toISOString();

  const write = async (text: string): Promise<void> => {
    if (!io.output.write(text)) await once(io.output, 'drain');
  };

  const emit = async (chunk: readonly Entry[], done: Promise<BatchResult>): Promise<void> => {
    const result = await done;
    const failed = new Map(result.failed.map((f) => [f.postId, f]));
    const items = [...result.items];
    let out = '';
    let next = 0;
    for (const entry of chunk) {
      const failure = failed.get(entry.post.id);
      const item = items[next];
      if (item && item.post === entry.post) {
        next++;
        summary.analyzed++;
        out += `${JSON.stringify(toAnalyzeOutput(entry.input.id, item))}\n`;
      } else {
        summary.failed++;
        io.report(`line ${entry.line}: post ${JSON.stringify(entry.input.id)} failed${failure ? ` in stage ${failure.stage}: ${failure.reason}` : ''}`);
      }
    }
    await write(out);
  };

  const flush = async (chunk: Entry[]): Promise<void> => {
    if (chunk.length === 0) return;
    const { done } = await pipeline.submit(chunk.map((e) => e.post));
    writing = writing.then(() => emit(chunk, done));
    inFlight.push(writing);
    // Bound what waits to be written: the pipeline's own backpressure covers analysis only.
    if (inFlight.length > config.pipeline.maxQueuedBatches) await inFlight.shift();
  };

  let chunk: Entry[] = [];
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  for await (const raw of lines) {
    summary.lines++;
    const lineNo = summary.lines;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      summary.malformed++;
      io.report(`line ${lineNo}: invalid JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = parsePostInput(value, config.ingest.maxTextChars);
    if (!parsed.ok) {
      summary.malformed++;
      io.report(`line ${lineNo}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
      continue;
    }
    chunk.push({ line: lineNo, input: parsed.value, post: toPost(parsed.value, collectedAt) });
    if (chunk.length >= config.pipeline.batchSize) {
      await flush(chunk);
      chunk = [];
    }
  }
  await flush(chunk);
  await writing;
  return summary;
};

/** Analyses in-memory lines and returns the parsed output lines (evaluations and tests). */
export const analyzeLines = async (analyzer: Analyzer, lines: readonly string[]): Promise<AnalyzeOutput[]> => {
  const input = new PassThrough();
  const out: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString());
      cb();
    },
  });
  const run = analyzeStream(analyzer, { input, output, report: () => undefined });
  input.end(`${lines.join('\n')}\n`);
  await run;
  return out
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AnalyzeOutput);
};
