/**
 * One loaded model per directory and settings in a process: every toolkit built for the same encoder
 * (the service's, `radar evaluate`'s baseline and trained ones) shares its ONNX session. Each holder
 * gets its own handle; the session is released when the last handle is disposed.
 */
import type { Encoder, EncoderRole } from '../contract.js';
import { type EncoderOptions, TransformerEncoder } from './encoder.js';
import { resolveModelPath } from './model-dir.js';

interface Entry {
  readonly encoder: TransformerEncoder;
  refs: number;
}

const open = new Map<string, Entry>();

/** A holder's view of a shared encoder; `dispose` releases this holder only. */
export class EncoderHandle implements Encoder {
  #entry: Entry | null;
  constructor(
    entry: Entry,
    readonly key: string,
  ) {
    this.#entry = entry;
  }

  get #encoder(): TransformerEncoder {
    if (!this.#entry) throw new Error(`encoder ${this.key} was disposed`);
    return this.#entry.encoder;
  }
  get name(): string {
    return this.#encoder.name;
  }
  get dimension(): number {
    return this.#encoder.dimension;
  }
  get hash(): string {
    return this.#encoder.hash;
  }
  get path(): string {
    return this.#encoder.dir.path;
  }

  /** Creates the ONNX session now instead of on the first `embed`. */
  async load(): Promise<void> {
    await this.#encoder.load();
  }

  async embed(texts: readonly string[], role: EncoderRole): Promise<readonly Float32Array[]> {
    return this.#encoder.embed(texts, role);
  }

  async dispose(): Promise<void> {
    const entry = this.#entry;
    if (!entry) return;
    this.#entry = null;
    entry.refs--;
    if (entry.refs === 0) {
      open.delete(this.key);
      await entry.encoder.dispose();
    }
  }
}

export const acquireEncoder = (spec: string, options: EncoderOptions): EncoderHandle => {
  const key = `${resolveModelPath(spec, options.modelsDir)}|batch=${options.batchSize}|threads=${options.intraOpThreads}`;
  let entry = open.get(key);
  if (!entry) {
    entry = { encoder: new TransformerEncoder(spec, options), refs: 0 };
    open.set(key, entry);
  }
  entry.refs++;
  return new EncoderHandle(entry, key);
};
