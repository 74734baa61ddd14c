/** The trained classical models: loading the promoted one, training, evaluating, registry. */
import { ConfigError } from '../../core/errors.js';
import { existsSync } from 'node:fs';
import type { FakeRiskScorer, Taxonomy, TextClassifier } from '../contract.js';
import { EMBEDDING_MODEL_FORMAT, readEmbeddingModel } from '../transformer/head-file.js';
import { EmbeddingClassifier } from '../transformer/head.js';
import type { EncoderRequirement } from '../transformer/select.js';
import { readModelFile } from './model-file.js';
import { ModelRegistry, refOf } from './registry.js';
import { TrainedClassifier } from './trained-classifier.js';
import { TrainedFakeScorer } from './trained-fake-scorer.js';

export { loadCorpus, splitOf, type Corpus, type LabelledPost } from './corpus.js';
export { evaluate, type EvaluationReport } from './evaluate.js';
export { encodeModel, readModelFile, writeModelFile, MODEL_FORMAT, type ModelFile } from './model-file.js';
export { ModelRegistry, refOf, type ModelCard } from './registry.js';
export { trainModel } from './train.js';
export { TrainedClassifier } from './trained-classifier.js';
export { TrainedFakeScorer } from './trained-fake-scorer.js';

/**
 * The classifier the registry promotes, or null when nothing is promoted (then the keyword
 * baseline serves). A promoted model whose file is missing is a start-up error, never a silent
 * fallback: the operator chose that model.
 */
export interface PromotedModels {
  readonly classifier: TextClassifier;
  /** Present when the promoted model was trained with a fake set. */
  readonly fakeRisk: FakeRiskScorer | null;
  /** The encoder a model trained on sentence embeddings needs; null for a classical model. */
  readonly encoder: EncoderRequirement | null;
}

export const loadPromoted = (modelsDir: string, taxonomy: Taxonomy): PromotedModels | null => {
  const registry = new ModelRegistry(modelsDir);
  const card = registry.promoted();
  if (!card) return null;
  const file = registry.fileOf(card);
  if (!existsSync(file)) {
    throw new ConfigError(`Promoted model ${refOf(card)} is missing its file ${file}. Run \`npm run train\` to rebuild it, or \`radar models promote <name@version>\` / \`radar models rollback\` to pick another.`);
  }
  if (card.format === EMBEDDING_MODEL_FORMAT) {
    const model = readEmbeddingModel(file);
    return {
      classifier: new EmbeddingClassifier(model, taxonomy, refOf(card)),
      fakeRisk: model.fake ? new TrainedFakeScorer({ heads: { fake: model.fake.head } }, taxonomy) : null,
      encoder: { ref: refOf(card), name: model.encoder.name, spec: model.encoder.spec, hash: model.encoder.hash },
    };
  }
  const model = readModelFile(file);
  return { classifier: new TrainedClassifier(model, taxonomy, refOf(card)), fakeRisk: model.heads.fake ? new TrainedFakeScorer(model, taxonomy) : null, encoder: null };
};

