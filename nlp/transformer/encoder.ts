/**
 * Sentence embeddings from a local transformer model through transformers.js and onnxruntime-node:
 * texts are tokenised once, sorted by length and cut into batches, each padded only to its own
 * longest text (length buckets), then mean-pooled over the attention mask (or the [CLS] vector when
 * the model's pooling config says so) and L2-normalised.
 */
import { ConfigError } from '../../core/errors.js';
import type { Encoder, EncoderRole } from '../contract.js';
import { loadTransformers, sessionOptions } from './env.js';
import { ModelRegistry } from '../model/registry.js';
import { hashModelDir, inspectModelDir, type ModelDir, resolveModelPath } from './model-dir.js';

export interface EncoderOptions {
  readonly modelsDir: string;
  /** Texts per inference call. */
  readonly batchSize: number;
  /** onnxruntime intra-op threads; 0 = its default. */
  readonly intraOpThreads: number;
  /** Appended to every loading error: what the operator can do. */
  readonly fix?: string;
}

export const encoderFix = (spec: string): string =>
  `Run \`radar models pull <hub id>\` (e.g. intfloat/multilingual-e5-small) to fetch a model into the models folder, point RADAR_ENCODER at an existing model directory (now transformer:${spec}), or set RADAR_ENCODER=hashing for the classical path.`;

interface Tokenizer {
  encode(text: string): number[];
  readonly pad_token_id: number;
}
interface Model {
  (inputs: Record<string, unknown>): Promise<Record<string, { readonly dims: number[]; readonly data: unknown }>>;
  dispose(): Promise<unknown>;
}
interface Loaded {
  readonly tokenizer: Tokenizer;
  readonly model: Model;
  readonly tensor: (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
}

/** The hub id a directory was pulled from (`radar models pull` records it), e.g. to know an e5 model under another name. */
export const pulledIdOf = (spec: string, modelsDir: string): string | undefined => {
  const path = resolveModelPath(spec, modelsDir);
  try {
    return new ModelRegistry(modelsDir).encoders().find((e) => resolveModelPath(e.dir, modelsDir) === path)?.id;
  } catch {
    // An unreadable registry is reported where models are loaded from it; here it only means no hint.
    return undefined;
  }
};

export class TransformerEncoder implements Encoder {
  readonly name: string;
  readonly dimension: number;
  readonly dir: ModelDir;
  /** sha256 of the model's files (see `hashModelDir`). */
  readonly hash: string;
  readonly #options: EncoderOptions;
  #loading: Promise<Loaded> | null = null;
  #disposed = false;

  /** Checks the directory and hashes it now; the ONNX session is created by `load` or the first `embed`. */
  constructor(spec: string, options: EncoderOptions) {
    this.#options = options;
    const fix = options.fix ?? encoderFix(spec);
    const knownAs = pulledIdOf(spec, options.modelsDir);
    this.dir = inspectModelDir(spec, { modelsDir: options.modelsDir, task: 'feature-extraction', fix, ...(knownAs ? { knownAs } : {}) });
    this.hash = hashModelDir(this.dir);
    this.name = `transformer:${spec}@${this.hash.slice(0, 12)}`;
    this.dimension = this.dir.hiddenSize;
  }

  /** Loads the tokenizer and the ONNX session now rather than on the first `embed`. */
  async load(): Promise<void> {
    await this.#load();
  }

  /** The tokenizer and the ONNX session, loaded once; a failure names the directory and the fix. */
  #load(): Promise<Loaded> {
    if (this.#disposed) return Promise.reject(new Error(`encoder ${this.name} was disposed`));
    this.#loading ??= (async () => {
      const lib = await loadTransformers({ modelsDir: this.#options.modelsDir });
      try {
        const tokenizer = (await lib.AutoTokenizer.from_pretrained(this.dir.modelId)) as unknown as Tokenizer;
        const model = (await lib.AutoModel.from_pretrained(this.dir.modelId, {
          dtype: this.dir.dtype,
          device: 'cpu',
          session_options: sessionOptions(this.#options.intraOpThreads),
        })) as unknown as Model;
        return { tokenizer, model, tensor: (type, data, dims) => new lib.Tensor(type, data, dims) };
      } catch (error) {
        throw new ConfigError(`Cannot load transformer model ${this.dir.path} (${this.dir.onnxFile}): ${(error as Error).message}. ${this.#options.fix ?? encoderFix(this.dir.spec)}`);
      }
    })();
    return this.#loading;
  }

  async embed(texts: readonly string[], role: EncoderRole): Promise<readonly Float32Array[]> {
    if (texts.length === 0) return [];
    const { tokenizer, model, tensor } = await this.#load();
    const prefix = this.dir.prompts[role];
    // The same text twice (a repost, a one-segment post) is embedded once.
    const unique = new Map<string, number>();
    const slots = texts.map((t) => {
      let at = unique.get(t);
      if (at === undefined) unique.set(t, (at = unique.size));
      return at;
    });
    const ids = [...unique.keys()].map((t) => this.#truncate(tokenizer.encode(`${prefix}${t}`)));
    const order = ids.map((_, i) => i).sort((a, b) => (ids[a] as number[]).length - (ids[b] as number[]).length || a - b);
    const vectors: Float32Array[] = new Array(ids.length);
    for (let from = 0; from < order.length; from += this.#options.batchSize) {
      const batch = order.slice(from, from + this.#options.batchSize);
      const width = Math.max(...batch.map((i) => (ids[i] as number[]).length));
      const inputIds = new BigInt64Array(batch.length * width).fill(BigInt(tokenizer.pad_token_id ?? 0));
      const mask = new BigInt64Array(batch.length * width);
      batch.forEach((i, row) => {
        (ids[i] as number[]).forEach((id, col) => {
          inputIds[row * width + col] = BigInt(id);
          mask[row * width + col] = 1n;
        });
      });
      const dims = [batch.length, width];
      const out = await model({
        input_ids: tensor('int64', inputIds, dims),
        attention_mask: tensor('int64', mask, dims),
        token_type_ids: tensor('int64', new BigInt64Array(batch.length * width), dims),
      });
      const hidden = out.last_hidden_state;
      if (!hidden) throw new Error(`model ${this.dir.path} returned no last_hidden_state (got ${Object.keys(out).join(', ')})`);
      const data = hidden.data as Float32Array;
      batch.forEach((i, row) => {
        vectors[i] = this.#pool(data, row, width, (ids[i] as number[]).length);
      });
    }
    return slots.map((s) => vectors[s] as Float32Array);
  }

  /** Keeps the first tokens and the closing special token. */
  #truncate(ids: number[]): number[] {
    const max = this.dir.maxLength;
    return ids.length <= max ? ids : [...ids.slice(0, max - 1), ids.at(-1) as number];
  }

  #pool(data: Float32Array, row: number, width: number, length: number): Float32Array {
    const h = this.dimension;
    const out = new Float32Array(h);
    const base = row * width * h;
    const count = this.dir.pooling === 'cls' ? 1 : length;
    for (let t = 0; t < count; t++) {
      const at = base + t * h;
      for (let k = 0; k < h; k++) out[k] = (out[k] as number) + (data[at + k] as number);
    }
    let norm = 0;
    for (let k = 0; k < h; k++) norm += (out[k] as number) * (out[k] as number);
    norm = Math.sqrt(norm) || 1;
    // Mean pooling divides by the count; normalising makes that division irrelevant.
    for (let k = 0; k < h; k++) out[k] = (out[k] as number) / norm;
    return out;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const loading = this.#loading;
    this.#loading = null;
    if (loading) await (await loading.catch(() => null))?.model.dispose();
  }
}
