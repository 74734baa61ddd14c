/**
 * What `radar train` does once a model's bytes exist, for classical models and for heads on
 * transformer embeddings alike: file it under its own hash, evaluate it on the held-out split,
 * register it with its metrics and promote it when asked.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { NlpToolkit } from '../nlp/contract.js';
import { evaluateFakes, type LabelledClaim } from '../nlp/model/evaluate-fakes.js';
import { evaluate, ModelRegistry, refOf, splitOf } from '../nlp/model/index.js';
import { labelsOf, pct, printReport } from './evaluation-report.js';
import { print } from './print.js';
import type { TrainingSet } from './training-set.js';

export interface TrainedModel {
  /** The model folder (its name is the model name) and the `radar train` options that shape the run. */
  readonly options: { readonly out: string; readonly all?: boolean; readonly promote?: boolean; readonly fakes?: string };
  readonly bytes: Buffer;
  readonly format: string;
  /** `hashing`, or the transformer encoder the heads were trained on. */
  readonly encoder: string;
  readonly set: TrainingSet;
  readonly claims: readonly LabelledClaim[] | null;
  readonly examples: Readonly<Record<string, number>>;
  /** The toolkit running the model just written to `file`, named `ref`. */
  readonly load: (file: string, ref: string) => NlpToolkit;
}

export const registerTrainedModel = async (model: TrainedModel): Promise<void> => {
  const { options, claims } = model;
  const { corpus, train, test, seed } = model.set;
  const registry = new ModelRegistry(dirname(resolve(options.out)));
  const name = basename(options.out);
  mkdirSync(resolve(options.out), { recursive: true });
  // The version is the model's own hash: retraining on the same data reproduces the same version.
  const version = createHash('sha256').update(model.bytes).digest('hex').slice(0, 12);
  const file = join(resolve(options.out), `${version}.json.gz`);
  writeFileSync(file, model.bytes);
  const trained = model.load(file, `${name}@${version}`);
  const report = await evaluate(options.all ? corpus.posts : test, trained);
  printReport(report, labelsOf(trained));
  const fakeReport = claims ? evaluateFakes(options.all ? claims : claims.filter((c) => splitOf(c.id) === 'test'), trained) : null;
  if (fakeReport) print(`fake-news risk (held-out ${fakeReport.posts} posts): ROC AUC ${pct(fakeReport.rocAuc)}; high: precision ${pct(fakeReport.high.precision)} recall ${pct(fakeReport.high.recall)}`);
  const card = registry.register({
    name,
    version,
    created: new Date().toISOString(),
    file: relative(registry.dir, file),
    format: model.format,
    encoder: model.encoder,
    // Everything the model learnt from: the corpus files and, when given, the fake set.
    dataHash: options.fakes ? createHash('sha256').update(corpus.hash).update(readFileSync(options.fakes)).digest('hex') : corpus.hash,
    seed,
    examples: { ...model.examples, trainPosts: train.length, testPosts: options.all ? 0 : test.length, ...(claims ? { fakeClaims: claims.length } : {}) },
    metrics: {
      isProblemF1: report.isProblem.f1,
      categoryMacroF1: report.category.macroF1,
      categoryEce: report.category.ece,
      urgencyAccuracy: report.urgency.accuracy,
      ...(fakeReport ? { fakeRocAuc: fakeReport.rocAuc, fakeHighPrecision: fakeReport.high.precision } : {}),
    },
  });
  print(`registered ${refOf(card)} in ${registry.path}`);
  if (options.promote) print(`promoted ${refOf(registry.promote(refOf(card)))}`);
};
