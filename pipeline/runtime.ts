/** The composition root: wires config, store, NLP and pipeline for every command. */
import type { RadarConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { NlpToolkit } from '../nlp/contract.js';
import { createBaselineToolkit, loadTaxonomy } from '../nlp/index.js';
import { loadPromoted } from '../nlp/model/index.js';
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

/** The configured NLP: the baseline toolkit with the promoted trained classifier when there is one. */
export const createToolkit = (config: RadarConfig): NlpToolkit => {
  const base = createBaselineToolkit({
    ...(config.gazetteer ? { gazetteerPath: config.gazetteer } : {}),
    ...(config.taxonomy ? { taxonomy: loadTaxonomy(config.taxonomy) } : {}),
  });
  const trained = config.classifier === 'promoted' ? loadPromoted(config.modelsDir, base.taxonomy) : null;
  return trained ? { ...base, classifier: trained.classifier, fakeRisk: trained.fakeRisk ?? base.fakeRisk } : base;
};

export const createRuntime = (config: RadarConfig, logger: Logger, options: RuntimeOptions = {}): Runtime => {
  const nlp = options.nlp ?? createToolkit(config);
  logger.debug('nlp ready', { classifier: nlp.classifier.version });
  const store = openStore({ path: options.dbPath ?? config.db, analyzeQuery: (text) => nlp.searchTokens(text) });
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
    },
  };
};
