/**
 * The on-disk form of a classifier trained on sentence embeddings: three dense softmax heads
 * (relevance, category, urgency) over standardised embeddings, the encoder they need (name and hash
 * of its files), and optionally the classical fake-news head. Gzipped JSON with stable key order, so
 * the same training run gives the same bytes and version.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { FEATURE_BITS } from '../model/features.js';

export const EMBEDDING_MODEL_FORMAT = 'radar-embedding-1';

const denseHeadSchema = z.object({
  labels: z.array(z.string()).min(2),
  temperature: z.number().positive(),
  /** (dimension + 1) x labels float32 weights (base64), row-major by input; the last row is the bias. */
  weights: z.string(),
});

const classicHeadSchema = z.object({
  labels: z.array(z.string()).min(2),
  temperature: z.number().positive(),
  indices: z.string(),
  weights: z.string(),
  scale: z.number().positive(),
});

export const embeddingModelSchema = z.object({
  format: z.literal(EMBEDDING_MODEL_FORMAT),
  encoder: z.object({
    /** `transformer:<dir>@<hash12>` at training time. */
    name: z.string().min(1),
    /** The directory as configured at training time (relative to the models folder, or absolute). */
    spec: z.string().min(1),
    /** sha256 of the encoder's files (`hashModelDir`); a model only runs on the same files. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    dimension: z.number().int().positive(),
    role: z.enum(['query', 'passage']),
  }),
  /** Relevance probability at or above which a segment is a problem. */
  threshold: z.number().min(0).max(1),
  /** Per-dimension mean and standard deviation of the training embeddings (float32, base64). */
  scaling: z.object({ mean: z.string(), std: z.string() }),
  heads: z.object({ relevance: denseHeadSchema, category: denseHeadSchema, urgency: denseHeadSchema }),
  /** The classical fake-news head (hashed n-grams), when trained with `--fakes`. */
  fake: z.object({ featureBits: z.literal(FEATURE_BITS), head: classicHeadSchema }).optional(),
});

export type EmbeddingModelFile = z.infer<typeof embeddingModelSchema>;
export type DenseHeadFile = z.infer<typeof denseHeadSchema>;

export const floatsToBase64 = (values: Float32Array): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');

export const base64ToFloats = (text: string): Float32Array => {
  const buf = Buffer.from(text, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};

export const encodeEmbeddingModel = (model: EmbeddingModelFile): Buffer => gzipSync(Buffer.from(JSON.stringify(model)), { level: 9 });

export const readEmbeddingModel = (path: string): EmbeddingModelFile => {
  let value: unknown;
  try {
    value = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read model file ${path}: ${(error as Error).message}. Retrain with \`radar train --encoder transformer:<dir>\` or pick another model with \`radar models promote\`.`);
  }
  const parsed = embeddingModelSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Model file ${path} is not a ${EMBEDDING_MODEL_FORMAT} model: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}. Retrain with \`radar train --encoder transformer:<dir>\`.`);
  }
  const { dimension } = parsed.data.encoder;
  for (const [name, head] of Object.entries(parsed.data.heads)) {
    const size = base64ToFloats(head.weights).length;
    if (size !== (dimension + 1) * head.labels.length) throw new ConfigError(`Model file ${path} is corrupt: head ${name} has ${size} weights, expected ${(dimension + 1) * head.labels.length} for ${dimension} dimensions x ${head.labels.length} labels. Retrain it.`);
  }
  return parsed.data;
};
