/**
 * A Russian NER model (token classification) over the words of normalised docs. Words are Radar's own
 * tokens, so every entity span points into `doc.clean` exactly as rule-based facts do: each word is
 * tokenised on its own, the first piece's label is the word's label, and BIO runs of words become
 * entities. Long docs are cut into windows that fit the model.
 */
import { ConfigError } from '../../core/errors.js';
import type { Span } from '../../core/types.js';
import type { NormalizedDoc } from '../contract.js';
import { softmax } from '../model/softmax-regression.js';
import { loadTransformers, sessionOptions } from './env.js';
import { inspectModelDir, type ModelDir } from './model-dir.js';

export type EntityType = 'PER' | 'ORG' | 'LOC';

export interface Entity {
  readonly type: EntityType;
  readonly text: string;
  readonly span: Span;
  /** Mean probability of the words' labels. */
  readonly score: number;
}

export interface TokenClassifierOptions {
  readonly modelsDir: string;
  readonly batchSize: number;
  readonly intraOpThreads: number;
}

export const nerFix = (spec: string): string =>
  `Point RADAR_NER_MODEL at a token-classification model directory (now ${spec}; \`radar models pull <hub id>\` fetches one), or unset it to use the rule-based facts only.`;

/** `B-PER`, `I-ORG`, `LOC`, `B-PERSON`, `I-GPE` ... -> position and type; other labels are outside. */
const parseLabel = (label: string): { begin: boolean; type: EntityType } | null => {
  const m = /^(?:([BIES])[-_])?([A-Za-z]+)$/.exec(label);
  if (!m) return null;
  const raw = (m[2] as string).toUpperCase();
  const type: EntityType | null = raw === 'PER' || raw === 'PERSON' ? 'PER' : raw === 'ORG' || raw === 'ORGANIZATION' ? 'ORG' : raw === 'LOC' || raw === 'LOCATION' || raw === 'GPE' ? 'LOC' : null;
  return type ? { begin: m[1] === 'B' || m[1] === 'S', type } : null;
};

interface Tokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  readonly pad_token_id: number;
}
interface Model {
  (inputs: Record<string, unknown>): Promise<Record<string, { readonly dims: number[]; readonly data: unknown }>>;
  dispose(): Promise<unknown>;
}

interface Window {
  readonly doc: number;
  /** Indices into the doc's tokens. */
  readonly words: readonly number[];
  /** Token ids with special tokens; `firsts[w]` is where word w's first piece sits. */
  readonly ids: readonly number[];
  readonly firsts: readonly number[];
}

export class TransformerTokenClassifier {
  readonly dir: ModelDir;
  readonly #options: TokenClassifierOptions;
  #loading: Promise<{ tokenizer: Tokenizer; model: Model; tensor: (data: BigInt64Array, dims: number[]) => unknown }> | null = null;

  constructor(readonly spec: string, options: TokenClassifierOptions) {
    this.#options = options;
    this.dir = inspectModelDir(spec, { modelsDir: options.modelsDir, task: 'token-classification', fix: nerFix(spec) });
  }

  /** Loads the tokenizer and the ONNX session now rather than on the first `entities`. */
  async load(): Promise<void> {
    await this.#load();
  }

  #load() {
    this.#loading ??= (async () => {
      const lib = await loadTransformers({ modelsDir: this.#options.modelsDir });
      try {
        const tokenizer = (await lib.AutoTokenizer.from_pretrained(this.dir.modelId)) as unknown as Tokenizer;
        const model = (await lib.AutoModelForTokenClassification.from_pretrained(this.dir.modelId, {
          dtype: this.dir.dtype,
          device: 'cpu',
          session_options: sessionOptions(this.#options.intraOpThreads),
        })) as unknown as Model;
        return { tokenizer, model, tensor: (data: BigInt64Array, dims: number[]) => new lib.Tensor('int64', data, dims) };
      } catch (error) {
        throw new ConfigError(`Cannot load NER model ${this.dir.path} (${this.dir.onnxFile}): ${(error as Error).message}. ${nerFix(this.spec)}`);
      }
    })();
    return this.#loading;
  }

  /** Entities of each doc, in doc order. */
  async entities(docs: readonly NormalizedDoc[]): Promise<Entity[][]> {
    const { tokenizer, model, tensor } = await this.#load();
    const specials = tokenizer.encode('');
    const open = specials.length >= 2 ? specials.slice(0, 1) : [];
    const close = specials.length >= 2 ? specials.slice(-1) : [];
    const room = this.dir.maxLength - open.length - close.length;
    const windows: Window[] = [];
    docs.forEach((doc, d) => {
      let words: number[] = [];
      let pieces: number[][] = [];
      const flush = (): void => {
        if (words.length === 0) return;
        const ids = [...open];
        const firsts: number[] = [];
        for (const p of pieces) {
          firsts.push(ids.length);
          ids.push(...p);
        }
        ids.push(...close);
        windows.push({ doc: d, words, ids, firsts });
        words = [];
        pieces = [];
      };
      let used = 0;
      doc.tokens.forEach((token, w) => {
        const word = doc.clean.slice(token.span.start, token.span.end);
        const p = tokenizer.encode(word, { add_special_tokens: false }).slice(0, room);
        if (p.length === 0) return;
        if (used + p.length > room) {
          flush();
          used = 0;
        }
        words.push(w);
        pieces.push(p);
        used += p.length;
      });
      flush();
    });

    const labelled: { label: string; p: number }[][] = docs.map((doc) => doc.tokens.map(() => ({ label: 'O', p: 1 })));
    const order = windows.map((_, i) => i).sort((a, b) => (windows[a] as Window).ids.length - (windows[b] as Window).ids.length);
    for (let from = 0; from < order.length; from += this.#options.batchSize) {
      const batch = order.slice(from, from + this.#options.batchSize).map((i) => windows[i] as Window);
      const width = Math.max(...batch.map((w) => w.ids.length));
      const ids = new BigInt64Array(batch.length * width).fill(BigInt(tokenizer.pad_token_id ?? 0));
      const mask = new BigInt64Array(batch.length * width);
      batch.forEach((w, row) =>
        w.ids.forEach((id, col) => {
          ids[row * width + col] = BigInt(id);
          mask[row * width + col] = 1n;
        }),
      );
      const dims = [batch.length, width];
      const out = await model({ input_ids: tensor(ids, dims), attention_mask: tensor(mask, dims), token_type_ids: tensor(new BigInt64Array(batch.length * width), dims) });
      const logits = out.logits;
      if (!logits) throw new Error(`NER model ${this.dir.path} returned no logits (got ${Object.keys(out).join(', ')})`);
      const classes = logits.dims.at(-1) as number;
      const data = logits.data as Float32Array;
      batch.forEach((w, row) => {
        w.words.forEach((word, i) => {
          const at = (row * width + (w.firsts[i] as number)) * classes;
          const p = softmax(data.subarray(at, at + classes));
          let best = 0;
          for (let k = 1; k < classes; k++) if ((p[k] as number) > (p[best] as number)) best = k;
          (labelled[w.doc] as { label: string; p: number }[])[word] = { label: this.dir.labels[best] ?? 'O', p: p[best] as number };
        });
      });
    }
    return docs.map((doc, d) => this.#spans(doc, labelled[d] as { label: string; p: number }[]));
  }

  /** BIO runs of words -> entities; an I- label after another type starts a new entity. */
  #spans(doc: NormalizedDoc, labels: readonly { label: string; p: number }[]): Entity[] {
    const out: Entity[] = [];
    let current: { type: EntityType; first: number; last: number; scores: number[] } | null = null;
    const close = (): void => {
      if (!current) return;
      const start = (doc.tokens[current.first] as { span: Span }).span.start;
      const end = (doc.tokens[current.last] as { span: Span }).span.end;
      out.push({ type: current.type, text: doc.clean.slice(start, end), span: { start, end }, score: current.scores.reduce((a, b) => a + b, 0) / current.scores.length });
      current = null;
    };
    labels.forEach(({ label, p }, w) => {
      const parsed = parseLabel(label);
      if (!parsed) return close();
      if (current && !parsed.begin && current.type === parsed.type && current.last === w - 1) {
        current.last = w;
        current.scores.push(p);
        return;
      }
      close();
      current = { type: parsed.type, first: w, last: w, scores: [p] };
    });
    close();
    return out;
  }

  async dispose(): Promise<void> {
    const loading = this.#loading;
    this.#loading = null;
    if (loading) await (await loading.catch(() => null))?.model.dispose();
  }
}
