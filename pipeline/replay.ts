/** Feeds the bundled recorded sources through the whole pipeline into the store (the offline demo). */
import { readRecordedSources } from '../collectors/replay/index.js';
import type { DrainResult } from './processor.js';
import { toNewPost } from './ingest.js';
import type { Runtime } from './runtime.js';

export interface ReplaySummary {
  readonly sources: readonly { readonly id: string; readonly stored: number; readonly duplicates: number; readonly rejected: number }[];
  readonly drained: DrainResult;
}

export const replay = async (runtime: Runtime, dir: string): Promise<ReplaySummary> => {
  const sources = [];
  for (const recorded of await readRecordedSources(dir)) {
    for (const rejected of recorded.rejected) {
      runtime.logger.warn('recorded post rejected', { source: recorded.source.id, line: rejected.line, issues: rejected.issues });
    }
    const saved = await runtime.store.savePosts(recorded.items.map((item) => toNewPost(item.input, recorded.source.id, item.raw)));
    sources.push({ id: recorded.source.id, stored: saved.inserted.length, duplicates: saved.duplicates.length, rejected: recorded.rejected.length });
  }
  return { sources, drained: await runtime.processor.drain() };
};
