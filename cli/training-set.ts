/** The labelled data of one `radar train` run, split alike for classical models and for heads on transformer embeddings. */
import type { NlpToolkit } from '../nlp/contract.js';
import type { LabelledClaim } from '../nlp/model/evaluate-fakes.js';
import { type Corpus, type LabelledPost, loadCorpus, splitOf } from '../nlp/model/index.js';
import { defaultTrainOptions } from '../nlp/model/softmax-regression.js';
import { trainFakeHead } from '../nlp/model/train.js';

export interface TrainingSet {
  readonly corpus: Corpus;
  /** Every post with `--all`, else the train split. */
  readonly train: readonly LabelledPost[];
  /** The held-out split the metrics come from (unused with `--all`). */
  readonly test: readonly LabelledPost[];
  readonly seed: number;
}

export const trainingSet = (options: { readonly data: readonly string[]; readonly all?: boolean; readonly seed: string }): TrainingSet => {
  const corpus = loadCorpus(options.data);
  return {
    corpus,
    train: options.all ? corpus.posts : corpus.posts.filter((p) => splitOf(p.id) === 'train'),
    test: corpus.posts.filter((p) => splitOf(p.id) === 'test'),
    seed: Number(options.seed),
  };
};

/** The fake-news head on the `--fakes` claims (their train split unless `--all`); null without claims. */
export const fakeHeadOf = (claims: readonly LabelledClaim[] | null, all: boolean | undefined, nlp: Pick<NlpToolkit, 'normalizer' | 'taxonomy'>, seed: number) =>
  claims ? trainFakeHead(all ? claims : claims.filter((c) => splitOf(c.id) === 'train'), nlp.normalizer, nlp.taxonomy, { ...defaultTrainOptions, seed }) : null;
