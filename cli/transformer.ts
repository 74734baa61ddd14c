/** The transformer side of the data scientists' loop: heads on embeddings, and `radar models pull`. */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type RadarConfig } from '../core/config.js';
import type { NlpToolkit } from '../nlp/contract.js';
import { loadClaims } from '../nlp/model/evaluate-fakes.js';
import { FEATURE_BITS } from '../nlp/model/features.js';
import { type ModelCard, type ModelRegistry, readModelFile, refOf, TrainedClassifier, TrainedFakeScorer } from '../nlp/model/index.js';
import { EmbeddingCache } from '../nlp/transformer/embedding-cache.js';
import { EMBEDDING_MODEL_FORMAT, encodeEmbeddingModel, readEmbeddingModel } from '../nlp/transformer/head-file.js';
import { denseTrainDefaults, trainEmbeddingModel } from '../nlp/transformer/head-train.js';
import { EmbeddingClassifier } from '../nlp/transformer/head.js';
import { pullModel } from '../nlp/transformer/pull.js';
import { encoderSpecOf, selectEncoder, warmUpEncoder } from '../nlp/transformer/select.js';
import { createToolkit, disposeToolkit } from '../pipeline/runtime.js';
import { print } from './print.js';
import { registerTrainedModel } from './register-model.js';
import { fakeHeadOf, trainingSet } from './training-set.js';

/** Embeddings of training texts live here between runs (git-ignored). */
export const DEFAULT_EMBEDDING_CACHE = '.cache/embeddings';

export interface EmbeddingTrainOptions {
  readonly data: string[];
  readonly out: string;
  readonly seed: string;
  readonly all?: boolean;
  readonly promote?: boolean;
  readonly fakes?: string;
  readonly encoder: string;
  readonly cache?: string;
}

/** `radar train --encoder transformer:<dir>`: heads on frozen embeddings, registered like classical models. */
export const trainOnEmbeddings = async (options: EmbeddingTrainOptions): Promise<void> => {
  const config = loadConfig();
  const spec = encoderSpecOf(options.encoder) as string;
  const base = createToolkit({ ...config, classifier: 'baseline', encoder: 'hashing' });
  const encoder = selectEncoder({ ...config, encoder: options.encoder }, null);
  if (!encoder) throw new Error('unreachable: a transformer encoder was asked for');
  try {
    await warmUpEncoder(encoder);
    const set = trainingSet(options);
    const { corpus, train, seed } = set;
    print(`training heads on ${encoder.name} (${encoder.dimension} dimensions) with ${train.length} of ${corpus.posts.length} posts (${corpus.files.length} files, data ${corpus.hash.slice(0, 12)}), seed ${seed}`);
    const started = performance.now();
    const cache = new EmbeddingCache(resolve(options.cache ?? DEFAULT_EMBEDDING_CACHE));
    const result = await trainEmbeddingModel({ posts: train, normalizer: base.normalizer, taxonomy: base.taxonomy, encoder, encoderSpec: spec, cache, options: { ...denseTrainDefaults, seed } });
    const claims = options.fakes ? loadClaims(options.fakes) : null;
    const fake = fakeHeadOf(claims, options.all, base, seed);
    const model = { ...result.model, ...(fake ? { fake: { featureBits: FEATURE_BITS as typeof FEATURE_BITS, head: fake } } : {}) };
    print(`embedded ${result.embedded.hits + result.embedded.misses} texts (${result.embedded.hits} from the cache in ${cache.dir}); trained in ${((performance.now() - started) / 1000).toFixed(1)} s on ${JSON.stringify(result.examples)} examples`);
    await registerTrainedModel({
      options,
      bytes: encodeEmbeddingModel(model),
      format: EMBEDDING_MODEL_FORMAT,
      encoder: encoder.name,
      set,
      claims,
      examples: result.examples,
      load: (file, ref): NlpToolkit => {
        const loaded = readEmbeddingModel(file);
        return {
          ...base,
          encoder,
          classifier: new EmbeddingClassifier(loaded, base.taxonomy, ref),
          ...(loaded.fake ? { fakeRisk: new TrainedFakeScorer({ heads: { fake: loaded.fake.head } }, base.taxonomy) } : {}),
        };
      },
    });
  } finally {
    await encoder.dispose();
    await disposeToolkit(base);
  }
};

/** `radar evaluate --model <ref>`: the toolkit with that model's classifier, and its encoder when it needs one. */
export const toolkitForCard = (config: RadarConfig, base: NlpToolkit, registry: ModelRegistry, card: ModelCard): NlpToolkit => {
  if (card.format !== EMBEDDING_MODEL_FORMAT) return { ...base, classifier: new TrainedClassifier(readModelFile(registry.fileOf(card)), base.taxonomy, refOf(card)) };
  const model = readEmbeddingModel(registry.fileOf(card));
  const encoder = selectEncoder(config, { ref: refOf(card), name: model.encoder.name, spec: model.encoder.spec, hash: model.encoder.hash });
  return { ...base, encoder, classifier: new EmbeddingClassifier(model, base.taxonomy, refOf(card)) };
};

export const registerPullCommand = (models: Command): void => {
  models
    .command('pull <id>')
    .description('Download a transformer model (ONNX export) from the Hugging Face Hub into the models folder, verify every file and record it (honours HF_ENDPOINT, HF_TOKEN, HTTPS_PROXY, NO_PROXY)')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--quantized', 'fetch onnx/model_quantized.onnx (int8, about a quarter of the size) instead of onnx/model.onnx')
    .option('--out <dir>', 'target directory (default: <models folder>/<id>)')
    .action(async (id: string, options: { revision: string; quantized?: boolean; out?: string }) => {
      const config = loadConfig();
      print(`pulling ${id}@${options.revision}${options.quantized ? ' (quantized)' : ''} from ${process.env.HF_ENDPOINT || 'https://huggingface.co'}`);
      const result = await pullModel({ id, revision: options.revision, quantized: options.quantized ?? false, modelsDir: config.modelsDir, ...(options.out ? { out: options.out } : {}), log: print });
      const size = result.card.files.reduce((n, f) => n + f.size, 0);
      print(`installed ${id}@${result.card.sha ?? options.revision} in ${result.dir} (${result.card.files.length} files, ${(size / 1e6).toFixed(1)} MB, ${result.card.task})`);
      const setting = result.card.task === 'token-classification' ? `RADAR_NER_MODEL=${result.spec}` : `RADAR_ENCODER=transformer:${result.spec}`;
      print(`use it with ${setting}${result.card.task === 'feature-extraction' ? `, or train heads on it: radar train --encoder transformer:${result.spec} --data fixtures/corpus --out ${join(config.modelsDir, 'radar-embedding')}` : ''}`);
    });
};
