/** The composition root: wires config, store, NLP and pipeline for every command. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RadarConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { NlpToolkit } from '../nlp/contract.js';
import { createBaselineToolkit, loadTaxonomy, TermWeights } from '../nlp/index.js';
import { loadPromoted } from '../nlp/model/index.js';
import { NerFactExtractor } from '../nlp/transformer/ner.js';
import { selectEncoder, warmUpEncoder } from '../nlp/transformer/select.js';
import { nerFix, TransformerTokenClassifier } from '../nlp/transformer/token-classifier.js';
import type { Store } from '../store/contract.js';
import { openStore } from '../store/index.js';
import { Pipeline } from './pipeline.js';
import { Processor } from './processor.js';

export interface Runtime {
  readonly config: RadarConfig;
  readonly logger: Logger;
  readonly nlp: NlpToolkit;
  readonly store: Store;
  readonly pipeline: Pipeline;
  readonly processor: Processor;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Store path override, e.g. `:memory:` for `radar analyze`. */
  readonly dbPath?: string;
  readonly nlp?: NlpToolkit;
}

/** Term weights for incident merging, in the models folder. */
export const TERM_WEIGHTS_FILE = 'term-weights.json.gz';

/** The configured NLP: the baseline toolkit with the promoted trained classifier when there is one. */
export const createToolkit = (config: RadarConfig): NlpToolkit => {
  const termWeightsPath = join(config.modelsDir, TERM_WEIGHTS_FILE);
  const base = createBaselineToolkit({
    // Built by `npm run train` from the corpus; without it every word weighs the same.
    ...(existsSync(termWeightsPath) ? { termWeights: TermWeights.load(termWeightsPath) } : {}),
    ...(config.gazetteer ? { gazetteerPath: config.gazetteer } : {}),
    ...(config.taxonomy ? { taxonomy: loadTaxonomy(config.taxonomy) } : {}),
  });
  const trained = config.classifier === 'promoted' ? loadPromoted(config.modelsDir, base.taxonomy) : null;
  const models = { modelsDir: config.modelsDir, batchSize: config.encoderBatchSize, intraOpThreads: config.intraOpThreads };
  const ner = config.nerModel ? new TransformerTokenClassifier(config.nerModel, models) : null;
  // Last, so that a configuration error above leaves no model loaded.
  const encoder = selectEncoder(config, trained?.encoder ?? null);
  const nlp: NlpToolkit = {
    ...base,
    ...(trained ? { classifier: trained.classifier, fakeRisk: trained.fakeRisk ?? base.fakeRisk } : {}),
    ...(ner ? { extractor: new NerFactExtractor(base.extractor, ner) } : {}),
    encoder,
  };
  if (ner) heldModels.set(nlp, ner);
  // The rule-based parts only: a NER extractor wants its spans prepared first.
  warmUp(base);
  return nlp;
};

/**
 * A complaint of the usual shape (streets, houses, dates, an organisation, a phone), written for this.
 * The fact and splitter patterns are compiled on the first text they see (nlp/compile-regex.ts): this
 * makes that happen at start-up, on Russian complaint text, rather than while the first post waits.
 */
const WARM_UP_TEXT =
  'На улице Ленина у дома 5 третий день не вывозят мусор, контейнеры переполнены, а во дворе на Бекетова 12 ' +
  'с понедельника не горит фонарь. УК «Доверие» не отвечает, в поликлинике № 3 нет талонов на 14 ноября. ' +
  'Звоните 8 (831) 123-45-67, пр. Гагарина 30, г. Дзержинск.';

const warmUp = (nlp: Pick<NlpToolkit, 'normalizer' | 'splitter' | 'extractor'>): void => {
  const doc = nlp.normalizer.normalize(WARM_UP_TEXT);
  nlp.splitter.split(doc);
  nlp.extractor.extract(doc);
};

/** The NER model a toolkit holds besides its encoder, released by `disposeToolkit`. */
const heldModels = new WeakMap<NlpToolkit, TransformerTokenClassifier>();

/**
 * Loads the toolkit's transformer models now and runs a probe text through them, so a model that
 * cannot run stops start-up (naming its directory and the fix) instead of failing every post.
 * Nothing to do on the classical path.
 */
export const warmUpToolkit = async (nlp: NlpToolkit): Promise<void> => {
  await warmUpEncoder(nlp.encoder);
  const ner = heldModels.get(nlp);
  if (!ner) return;
  await ner.load();
  try {
    await ner.entities([nlp.normalizer.normalize('Проверка: Водоканал не отвечает, Кстово')]);
  } catch (error) {
    throw new ConfigError(`NER model ${ner.dir.path} cannot tag a probe text: ${(error as Error).message}. ${nerFix(ner.spec)}`);
  }
};

/** Releases the toolkit's transformer models (ONNX sessions); the classical parts hold nothing. */
export const disposeToolkit = async (nlp: NlpToolkit): Promise<void> => {
  await nlp.encoder?.dispose();
  await heldModels.get(nlp)?.dispose();
};

export const createRuntime = (config: RadarConfig, logger: Logger, options: RuntimeOptions = {}): Runtime => {
  const nlp = options.nlp ?? createToolkit(config);
  logger.info('nlp ready', { classifier: nlp.classifier.version, encoder: nlp.encoder?.name ?? 'hashing' });
  const store = openStore({ path: options.dbPath ?? config.db, analyzeQuery: (text) => nlp.searchTokens(text), elasticsearch: config.elasticsearch, logger });
  const pipeline = new Pipeline({
    nlp,
    sink: store,
    dedupIndex: store,
    dedup: config.dedup,
    logger,
    concurrency: config.pipeline.concurrency,
    maxQueuedBatches: config.pipeline.maxQueuedBatches,
  });
  const processor = new Processor(pipeline, store, config.pipeline.batchSize, logger);
  return {
    config,
    logger,
    nlp,
    store,
    pipeline,
    processor,
    close: async () => {
      await pipeline.idle();
      await store.close();
      // A toolkit passed in belongs to the caller.
      if (!options.nlp) await disposeToolkit(nlp);
    },
  };
};
