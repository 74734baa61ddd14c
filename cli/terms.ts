/** `radar models terms`: term weights for incident merging, built from a corpus of posts. */
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../core/config.js';
import { BaselineNormalizer, TermWeights } from '../nlp/index.js';
import { loadCorpus } from '../nlp/model/index.js';
import { TERM_WEIGHTS_FILE } from '../pipeline/runtime.js';
import { print } from './print.js';

export const registerTermCommands = (models: Command): void => {
  models
    .command('terms')
    .description(`Build the term weights used to merge reports into incidents (${TERM_WEIGHTS_FILE} in the models folder)`)
    .requiredOption('-d, --data <paths...>', 'labelled .jsonl files or folders of them (every post counts, whatever its labels)')
    .option('-o, --out <file>', 'output file (default: the models folder)')
    .action((options: { data: string[]; out?: string }) => {
      const corpus = loadCorpus(options.data);
      const normalizer = new BaselineNormalizer();
      const weights = TermWeights.build(corpus.posts.map((post) => normalizer.normalize(post.text).tokens));
      const out = options.out ?? join(loadConfig().modelsDir, TERM_WEIGHTS_FILE);
      weights.save(out);
      print(`term weights from ${corpus.posts.length} posts -> ${out}`);
    });
};
