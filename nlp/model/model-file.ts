/**
 * The on-disk form of the classical models: three softmax heads (relevance, category, urgency) over
 * the same hashed features, pruned to the features that matter and quantised to int8, gzipped JSON.
 */
import { ConfigError } from '../../core/errors.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { FEATURE_BITS } from './features.js';
import type { DenseModel } from './softmax-regression.js';

export const MODEL_FORMAT = 'radar-linear-1';
const DIMS = 1 << FEATURE_BITS;

export const headNames = ['relevance', 'category', 'urgency', 'fake'] as const;
export type HeadName = (typeof headNames)[number];

const headFileSchema = z.object({
  labels: z.array(z.string()).min(2),
  temperature: z.number().positive(),
  /** Feature indices kept after pruning (base64 Int32Array). */
  indices: z.string(),
  /** indices.length x labels.length int8 weights (base64), multiplied by `scale`. */
  weights: z.string(),
  scale: z.number().positive(),
});

export const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  featureBits: z.literal(FEATURE_BITS),
  /** Relevance probability at or above which a segment is a problem. */
  threshold: z.number().min(0).max(1),
  heads: z.object({
    relevance: headFileSchema,
    category: headFileSchema,
    urgency: headFileSchema,
    /** Fake-news likelihood of a post's text; absent in models trained without a fake set. */
    fake: headFileSchema.optional(),
  }),
});

export type ModelFile = z.infer<typeof modelFileSchema>;
export type HeadFile = z.infer<typeof headFileSchema>;

/** Keeps rows whose largest weight is at least `keep` of the largest weight overall. */
export const packHead = (model: DenseModel, labels: readonly string[], temperature: number, keep = 0.004): HeadFile => {
  const { classes, weights } = model;
  let max = 0;
  for (const w of weights) if (Math.abs(w) > max) max = Math.abs(w);
  const scale = (max || 1) / 127;
  const rows: number[] = [];
  for (let index = 0; index < DIMS; index++) {
    let rowMax = 0;
    for (let k = 0; k < classes; k++) rowMax = Math.max(rowMax, Math.abs(weights[index * classes + k] as number));
    if (rowMax >= keep * max && rowMax > 0) rows.push(index);
  }
  const indices = Int32Array.from(rows);
  const packed = new Int8Array(rows.length * classes);
  rows.forEach((index, r) => {
    for (let k = 0; k < classes; k++) packed[r * classes + k] = Math.max(-127, Math.min(127, Math.round((weights[index * classes + k] as number) / scale)));
  });
  return {
    labels: [...labels],
    temperature,
    indices: Buffer.from(indices.buffer).toString('base64'),
    weights: Buffer.from(packed.buffer).toString('base64'),
    scale,
  };
};

/** A loaded head: O(1) weight lookup through a dense row map. */
export interface Head {
  readonly labels: readonly string[];
  readonly temperature: number;
  get(index: number, k: number): number;
}

export const unpackHead = (file: HeadFile): Head => {
  const indicesBuf = Buffer.from(file.indices, 'base64');
  const indices = new Int32Array(indicesBuf.buffer.slice(indicesBuf.byteOffset, indicesBuf.byteOffset + indicesBuf.byteLength));
  const weightsBuf = Buffer.from(file.weights, 'base64');
  const weights = new Int8Array(weightsBuf.buffer.slice(weightsBuf.byteOffset, weightsBuf.byteOffset + weightsBuf.byteLength));
  const classes = file.labels.length;
  if (weights.length !== indices.length * classes) throw new ConfigError(`model head is corrupt: ${weights.length} weights for ${indices.length} rows x ${classes} labels`);
  const rowOf = new Int32Array(DIMS).fill(-1);
  indices.forEach((index, r) => {
    rowOf[index] = r;
  });
  const scale = file.scale;
  return {
    labels: file.labels,
    temperature: file.temperature,
    get: (index, k) => {
      const r = rowOf[index] as number;
      return r < 0 ? 0 : (weights[r * classes + k] as number) * scale;
    },
  };
};

/** Stable key order and no timestamps: the same training run gives the same bytes. */
export const encodeModel = (model: ModelFile): Buffer => gzipSync(Buffer.from(JSON.stringify(model)), { level: 9 });

export const writeModelFile = (path: string, model: ModelFile): void => {
  writeFileSync(path, encodeModel(model));
};

export const readModelFile = (path: string): ModelFile => {
  let value: unknown;
  try {
    value = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read model file ${path}: ${(error as Error).message}. Retrain with \`npm run train\` or pick another model with \`radar models promote\`.`);
  }
  const parsed = modelFileSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`Model file ${path} is not a ${MODEL_FORMAT} model: ${parsed.error.issues[0]?.message ?? 'invalid'}. Retrain with \`npm run train\`.`);
  return parsed.data;
};

export interface LoadedHead {
  readonly labels: readonly string[];
  readonly temperature: number;
  /** Where this head's logits start in the combined logit vector. */
  readonly offset: number;
}

/**
 * All heads in one table: one row lookup per feature yields every head's weights, contiguous and
 * already scaled, which is what keeps classification cheap next to the rest of the pipeline.
 */
export interface LoadedModel {
  readonly heads: Readonly<Record<Exclude<HeadName, 'fake'>, LoadedHead>> & { readonly fake?: LoadedHead };
  readonly width: number;
  /**
   * Combined logits of `x`; into `out` (length `width`) when given: a typed array this size gets its
   * own off-heap buffer, which cost a third of the call on the classification path.
   */
  logits(x: { readonly indices: Int32Array; readonly values: Float32Array }, out?: Float64Array): Float64Array;
}

/**
 * Loads the given heads (all present ones by default). Weights stay int8 as stored, one scale per
 * head applied to the sums: the table is a quarter of the float size, and memory traffic, not
 * arithmetic, is what classification costs.
 */
export const loadModel = (file: { readonly heads: Partial<Readonly<Record<HeadName, HeadFile>>> }, only: readonly HeadName[] = headNames): LoadedModel => {
  const parts = only.flatMap((name) => {
    const headFile = file.heads[name];
    return headFile ? [{ name, head: unpackHead(headFile), file: headFile }] : [];
  });
  const heads = {} as Record<HeadName, LoadedHead>;
  let width = 0;
  for (const part of parts) {
    heads[part.name] = { labels: part.head.labels, temperature: part.head.temperature, offset: width };
    width += part.head.labels.length;
  }
  const scales = new Float64Array(width);
  for (const part of parts) scales.fill(part.file.scale, (heads[part.name] as LoadedHead).offset, (heads[part.name] as LoadedHead).offset + part.head.labels.length);
  // Every feature id has its row, zeros where no head kept one: a vector's ids (sorted ascending)
  // then read one table in order, without a lookup through a row map before each row.
  const table = new Int8Array(DIMS * width);
  for (const part of parts) {
    const offset = (heads[part.name] as LoadedHead).offset;
    const buf = Buffer.from(part.file.indices, 'base64');
    for (const index of new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))) {
      for (let k = 0; k < part.head.labels.length; k++) table[index * width + offset + k] = Math.round(part.head.get(index, k) / part.file.scale);
    }
  }
  return {
    heads,
    width,
    logits: (x, out) => {
      const z = out ? out.fill(0) : new Float64Array(width);
      const { indices, values } = x;
      for (let i = 0; i < indices.length; i++) {
        const value = values[i] as number;
        const base = (indices[i] as number) * width;
        for (let k = 0; k < width; k++) z[k] = (z[k] as number) + (table[base + k] as number) * value;
      }
      for (let k = 0; k < width; k++) z[k] = (z[k] as number) * (scales[k] as number);
      return z;
    },
  };
};
