/**
 * The one place that touches transformers.js's global `env`: local files only, models under the
 * models folder, ONNX on CPU. The library is imported on first use, so the classical path never
 * loads it (and never pays its start-up time).
 */
import { resolve } from 'node:path';
import type * as TransformersModule from '@huggingface/transformers';

export type Transformers = typeof TransformersModule;

let loaded: Promise<Transformers> | null = null;

export interface TransformersSettings {
  /** `env.localModelPath`: hub ids (`org/name`) resolve under it. */
  readonly modelsDir: string;
}

/**
 * Loads the library and applies the settings. Every call applies them again (they are global), which
 * is harmless: all callers in one process use the same models folder.
 */
export const loadTransformers = async (settings: TransformersSettings): Promise<Transformers> => {
  loaded ??= import('@huggingface/transformers');
  const lib = await loaded;
  const { env } = lib;
  // Never a network request at run time: `radar models pull` is the only way models arrive.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${resolve(settings.modelsDir)}/`;
  // Local files are read in place; no copies into the library's own cache folder.
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.logLevel = lib.LogLevel.ERROR;
  return lib;
};

/**
 * onnxruntime-node session options for CPU inference. `intraOpThreads` 0 keeps onnxruntime's default
 * (one thread per physical core); pipeline batches already run side by side, so one inter-op thread.
 */
export const sessionOptions = (intraOpThreads: number) => ({
  executionProviders: ['cpu'],
  interOpNumThreads: 1,
  ...(intraOpThreads > 0 ? { intraOpNumThreads: intraOpThreads } : {}),
});
