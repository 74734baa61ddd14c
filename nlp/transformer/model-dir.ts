/**
 * A local transformer model directory, checked before anything is loaded: the files transformers.js
 * needs are there and parse, the ONNX graph has the inputs and output we feed and read. Every problem
 * is a start-up error naming the path and the fix, never a failure on the first post.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { inspectOnnx } from './onnx-inspect.js';

export type ModelTask = 'feature-extraction' | 'token-classification';
export type Pooling = 'mean' | 'cls';

export interface ModelDir {
  /** The directory as configured: relative to the models folder, or absolute. */
  readonly spec: string;
  readonly path: string;
  /** What transformers.js is given: the hub-style id under the models folder, or the absolute path. */
  readonly modelId: string;
  readonly task: ModelTask;
  /** `fp32` loads `onnx/model.onnx`, `q8` loads `onnx/model_quantized.onnx`. */
  readonly dtype: 'fp32' | 'q8';
  readonly onnxFile: string;
  readonly hiddenSize: number;
  /** Longest input in tokens, special tokens included. */
  readonly maxLength: number;
  readonly prompts: { readonly query: string; readonly passage: string };
  readonly pooling: Pooling;
  /** `id2label` of a token-classification model, by id. */
  readonly labels: readonly string[];
  /** Files that make up the model (relative paths), hashed into its identity. */
  readonly files: readonly string[];
}

const configSchema = z
  .object({
    model_type: z.string().min(1),
    hidden_size: z.number().int().positive().optional(),
    dim: z.number().int().positive().optional(),
    d_model: z.number().int().positive().optional(),
    max_position_embeddings: z.number().int().positive().optional(),
    id2label: z.record(z.string(), z.string()).optional(),
    // Sentence-transformers models record which checkpoint they came from; e5 needs prefixes.
    _name_or_path: z.string().optional(),
  })
  .loose();

const tokenizerSchema = z.object({ model: z.object({ type: z.string().optional() }).loose() }).loose();
const tokenizerConfigSchema = z.object({ model_max_length: z.number().optional() }).loose();
const promptsSchema = z.object({ prompts: z.record(z.string(), z.string()).optional() }).loose();
const poolingSchema = z.object({ pooling_mode_cls_token: z.boolean().optional(), pooling_mode_mean_tokens: z.boolean().optional() }).loose();

/** `RADAR_ENCODER=transformer:<dir>`: a relative dir lives in the models folder, like pulled hub ids. */
export const resolveModelPath = (spec: string, modelsDir: string): string => (isAbsolute(spec) ? resolve(spec) : resolve(modelsDir, spec));

/** e5 models were trained with `query: ` / `passage: ` in front of every text and need them. */
const e5Prompts = { query: 'query: ', passage: 'passage: ' };
const noPrompts = { query: '', passage: '' };
const isE5 = (name: string): boolean => /(^|[/_-])(multilingual-)?e5([/_-]|$)/i.test(name);

export interface InspectOptions {
  readonly modelsDir: string;
  readonly task: ModelTask;
  /** What to do about it, appended to every error: e.g. which command fetches a model. */
  readonly fix: string;
  /** A name known for the directory (the hub id it was pulled from): decides e5 prefixes too. */
  readonly knownAs?: string;
}

const readJson = <T>(path: string, schema: z.ZodType<T>, fail: (why: string) => never): T => {
  if (!existsSync(path)) fail(`is missing ${path}`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`has an unreadable ${path}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) fail(`has an unexpected ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
};

export const inspectModelDir = (spec: string, options: InspectOptions): ModelDir => {
  const path = resolveModelPath(spec, options.modelsDir);
  const fail = (why: string): never => {
    throw new ConfigError(
      `Transformer model directory ${path} ${why}. A model directory needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (or onnx/model_quantized.onnx). ${options.fix}`,
    );
  };
  if (!existsSync(path)) fail('does not exist');
  if (!statSync(path).isDirectory()) fail('is not a directory');
  const config = readJson(join(path, 'config.json'), configSchema, fail);
  readJson(join(path, 'tokenizer.json'), tokenizerSchema, fail);
  const tokenizerConfig = readJson(join(path, 'tokenizer_config.json'), tokenizerConfigSchema, fail);
  const onnxFile = ['onnx/model.onnx', 'onnx/model_quantized.onnx'].find((f) => existsSync(join(path, f)));
  if (!onnxFile) fail('has no onnx/model.onnx or onnx/model_quantized.onnx');
  const onnxPath = join(path, onnxFile as string);
  let summary;
  try {
    summary = inspectOnnx(onnxPath);
  } catch (error) {
    fail(`has a broken ${onnxPath} (${(error as Error).message})`);
  }
  const needed = options.task === 'token-classification' ? 'logits' : 'last_hidden_state';
  if (!summary?.inputs.includes('input_ids')) fail(`has ${onnxPath} without an input_ids input (inputs: ${summary?.inputs.join(', ')})`);
  if (!summary?.outputs.includes(needed)) fail(`has ${onnxPath} without a ${needed} output (outputs: ${summary?.outputs.join(', ')}); expected a ${options.task} export`);

  const hiddenSize = config.hidden_size ?? config.dim ?? config.d_model;
  if (!hiddenSize) fail(`has a config.json without hidden_size`);
  const labels: string[] = [];
  if (options.task === 'token-classification') {
    if (!config.id2label) fail('has a config.json without id2label (a token-classification model lists its labels there)');
    for (const [id, label] of Object.entries(config.id2label ?? {})) labels[Number(id)] = label;
  }
  // XLM-R style models count two extra positions; 512 is where BERT-family exports stop anyway.
  const limits = [tokenizerConfig.model_max_length, config.max_position_embeddings, 512].filter((n): n is number => typeof n === 'number' && n > 0 && n < 1e6);
  const maxLength = Math.min(...limits);

  const promptsFile = join(path, 'config_sentence_transformers.json');
  const declared = existsSync(promptsFile) ? readJson(promptsFile, promptsSchema, fail).prompts : undefined;
  const name = [options.knownAs ?? '', spec, config._name_or_path ?? ''].join(' ');
  const prompts = declared && (declared.query !== undefined || declared.passage !== undefined)
    ? { query: declared.query ?? '', passage: declared.passage ?? '' }
    : isE5(name.replaceAll(' ', '/'))
      ? e5Prompts
      : noPrompts;
  const poolingFile = join(path, '1_Pooling', 'config.json');
  const poolingConfig = existsSync(poolingFile) ? readJson(poolingFile, poolingSchema, fail) : {};
  const pooling: Pooling = poolingConfig.pooling_mode_cls_token && !poolingConfig.pooling_mode_mean_tokens ? 'cls' : 'mean';

  const optional = ['config_sentence_transformers.json', join('1_Pooling', 'config.json'), `${onnxFile}_data`].filter((f) => existsSync(join(path, f)));
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile as string, ...optional];
  const inside = relative(resolve(options.modelsDir), path);
  const hubLike = !inside.startsWith('..') && !isAbsolute(inside) && /^[\w.-]+(\/[\w.-]+)?$/.test(inside.split(sep).join('/'));
  return {
    spec,
    path,
    modelId: hubLike ? inside.split(sep).join('/') : path,
    task: options.task,
    dtype: onnxFile === 'onnx/model.onnx' ? 'fp32' : 'q8',
    onnxFile: onnxFile as string,
    hiddenSize: hiddenSize as number,
    maxLength,
    prompts,
    pooling,
    labels,
    files,
  };
};

/** sha256 over each file's relative path and bytes, in a fixed order: the model's identity. */
export const hashModelDir = (dir: Pick<ModelDir, 'path' | 'files'>): string => {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (const file of [...dir.files].sort()) {
    hash.update(`${file.split(sep).join('/')}\0`);
    const fd = openSync(join(dir.path, file), 'r');
    try {
      let read: number;
      while ((read = readSync(fd, chunk, 0, chunk.length, null)) > 0) hash.update(chunk.subarray(0, read));
    } finally {
      closeSync(fd);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
};
