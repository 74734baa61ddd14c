/**
 * `radar analyze`: JSON Lines in, one JSON line per post out, in input order. Runs the service's
 * own pipeline and dedup engine over a throw-away store, so story and incident ids are computed
 * across the whole input exactly as the service would.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { postIdOf } from '../core/ids.js';
import { parsePostInput } from '../core/post-input.js';
import type { PostInput } from '../core/types.js';
import { toNewPost } from './ingest.js';
import { toAnalyzeOutput } from './output.js';
import type { BatchResult } from './pipeline.js';
import type { Runtime } from './runtime.js';

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

type Entry = { readonly line: number; readonly input: PostInput; readonly postId: string };

export const analyzeStream = async (runtime: Runtime, io: AnalyzeIo): Promise<AnalyzeSummary> => {
  const { store, pipeline, config } = runtime;
  const summary = { lines: 0, analyzed: 0, malformed: 0, failed: 0 };
  const inFlight: Promise<void>[] = [];
  let writing: Promise<void> = Promise.resolve();

  const write = async (text: string): Promise<void> => {
    if (!io.output.write(text)) await once(io.output, 'drain');
  };

  const emit = async (chunk: readonly Entry[], done: Promise<BatchResult>): Promise<void> => {
    const result = await done;
    const byId = new Map(result.items.map((item) => [item.post.id, item]));
    const failed = new Map(result.failed.map((f) => [f.postId, f]));
    let out = '';
    for (const entry of chunk) {
      const failure = failed.get(entry.postId);
      if (failure) {
        summary.failed++;
        io.report(`line ${entry.line}: post ${JSON.stringify(entry.input.id)} failed in stage ${failure.stage}: ${failure.reason}`);
        continue;
      }
      const item = byId.get(entry.postId);
      const analysis = item
        ? { ...item, problems: item.problems.map((p, i) => ({ ...p, incidentId: item.incidentIds[i] })) }
        : (await store.getPost(entry.postId))?.analysis;
      if (!analysis) {
        summary.failed++;
        io.report(`line ${entry.line}: post ${JSON.stringify(entry.input.id)} was not analysed`);
        continue;
      }
      summary.analyzed++;
      out += `${JSON.stringify(toAnalyzeOutput(entry.input.id, analysis))}\n`;
    }
    await write(out);
  };

  const flush = async (chunk: Entry[]): Promise<void> => {
    if (chunk.length === 0) return;
    const saved = await store.savePosts(chunk.map((e) => toNewPost(e.input, ANALYZE_SOURCE)));
    const { done } = await pipeline.submit(saved.inserted);
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
    chunk.push({ line: lineNo, input: parsed.value, postId: postIdOf(parsed.value.source ?? ANALYZE_SOURCE, parsed.value.id) });
    if (chunk.length >= config.pipeline.batchSize) {
      await flush(chunk);
      chunk = [];
    }
  }
  await flush(chunk);
  await writing;
  return summary;
};
