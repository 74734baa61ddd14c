/** The trained classical models: loading the promoted one, training, evaluating, registry. */
import { ConfigError } from '../../core/errors.js';
import { existsSync } from 'node:fs';
import type { Taxonomy, TextClassifier } from '../contract.js';
import { readModelFile } from './model-file.js';
import { ModelRegistry, refOf } from './registry.js';
import { TrainedClassifier } from './trained-classifier.js';

export { loadCorpus, splitOf, type Corpus, type LabelledPost } from './corpus.js';
export { evaluate, type EvaluationReport } from './evaluate.js';
export { encodeModel, readModelFile, writeModelFile, MODEL_FORMAT, type ModelFile } from './model-file.js';
export { ModelRegistry, refOf, type ModelCard } from './registry.js';
export { trainModel } from './train.js';
export { TrainedClassifier } from './trained-classifier.js';

/**
 * The classifier the registry promotes, or null when nothing is promoted (then the keyword
 * baseline serves). A promoted model whose file is missing is a start-up error, never a silent
 * fallback: the operator chose that model.
 */
export const loadPromotedClassifier = (modelsDir: string, taxonomy: Taxonomy): TextClassifier | null => {
  const registry = new ModelRegistry(modelsDir);
  const card = registry.promoted();
  if (!card) return null;
  const file = registry.fileOf(card);
  if (!existsSync(file)) {
    throw new ConfigError(`Promoted model ${refOf(card)} is missing its file ${file}. Run \`npm run train\` to rebuild it, or \`radar models promote <name@version>\` / \`radar models rollback\` to pick another.`);
  }
  return new TrainedClassifier(readModelFile(file), taxonomy, refOf(card));
};
