/** `radar train`, `radar evaluate`, `radar models`: the data scientists' loop. */
import type { Command } from 'commander';
import { loadConfig } from '../core/config.js';
import type { NlpToolkit } from '../nlp/contract.js';
import { evaluate, loadCorpus, ModelRegistry, MODEL_FORMAT, encodeModel, readModelFile, refOf, splitOf, trainModel, TrainedClassifier, TrainedFakeScorer } from '../nlp/model/index.js';
import { ConfigError } from '../core/errors.js';
import { evaluateFacts, loadFactSet } from '../nlp/model/evaluate-facts.js';
import { evaluateFakes, loadClaims } from '../nlp/model/evaluate-fakes.js';
import { evaluateIncidents, type IncidentScore, loadAreas, loadReports, scoreIncidents } from '../pipeline/evaluate-incidents.js';
import { defaultTrainOptions } from '../nlp/model/softmax-regression.js';
import { createToolkit } from '../pipeline/runtime.js';
import { labelsOf, pct, printReport } from './evaluation-report.js';
import { print } from './print.js';
import { registerTrainedModel } from './register-model.js';
import { fakeHeadOf, trainingSet } from './training-set.js';
import { DEFAULT_EMBEDDING_CACHE, registerPullCommand, toolkitForCard, trainOnEmbeddings } from './transformer.js';
import { registerTermCommands } from './terms.js';

export const registerModelCommands = (program: Command): void => {
  program
    .command('train')
    .description('Train the relevance, category and urgency models on labelled JSON Lines and register them: classical (hashed features) or heads on a transformer\'s sentence embeddings (--encoder)')
    .requiredOption('-d, --data <paths...>', 'labelled .jsonl files or folders of them')
    .requiredOption('-o, --out <dir>', 'model folder, e.g. models/radar-classic (its name is the model name)')
    .option('--seed <n>', 'random seed', '42')
    .option('--all', 'train on every post (default: hold out the test split for the metrics)')
    .option('--promote', 'make the new model the one the service uses')
    .option('--fakes <file>', 'fake/ordinary labelled posts: adds the fake-news head (trained on the file\'s train split)')
    .option('--encoder <encoder>', '"hashing" (classical) or "transformer:<model dir>": train heads on that model\'s frozen embeddings', 'hashing')
    .option('--cache <dir>', 'where embeddings of training texts are kept between runs (with --encoder transformer:...)', DEFAULT_EMBEDDING_CACHE)
    .action(async (options: { data: string[]; out: string; seed: string; all?: boolean; promote?: boolean; fakes?: string; encoder: string; cache: string }) => {
      if (options.encoder !== 'hashing') return trainOnEmbeddings(options);
      const config = loadConfig();
      const base = createToolkit({ ...config, classifier: 'baseline' });
      const set = trainingSet(options);
      const { corpus, train, seed } = set;
      print(`training on ${train.length} of ${corpus.posts.length} posts (${corpus.files.length} files, data ${corpus.hash.slice(0, 12)}), seed ${seed}`);
      const started = performance.now();
      const result = trainModel(train, base.normalizer, base.taxonomy, { ...defaultTrainOptions, seed });
      const claims = options.fakes ? loadClaims(options.fakes) : null;
      const fake = fakeHeadOf(claims, options.all, base, seed);
      const model = fake ? { ...result.model, heads: { ...result.model.heads, fake } } : result.model;
      print(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s on ${JSON.stringify(result.examples)} examples`);
      await registerTrainedModel({
        options,
        bytes: encodeModel(model),
        format: MODEL_FORMAT,
        encoder: 'hashing',
        set,
        claims,
        examples: result.examples,
        load: (file, ref) => {
          const loaded = readModelFile(file);
          return { ...base, classifier: new TrainedClassifier(loaded, base.taxonomy, ref), ...(loaded.heads.fake ? { fakeRisk: new TrainedFakeScorer(loaded, base.taxonomy) } : {}) };
        },
      });
    });

  program
    .command('evaluate')
    .description('Per-class precision/recall/F1, macro-F1, confusion matrix and calibration on labelled posts')
    .requiredOption('-d, --data <paths...>', 'labelled .jsonl files or folders of them')
    .option('-m, --model <ref>', 'model name or name@version (default: the promoted one; "baseline" for the keyword baseline)')
    .option('--split <split>', 'all | test (the held-out side of our corpus)', 'all')
    .option('--facts <file>', 'annotated fact set (JSON Lines) for address, organisation, date and phone extraction')
    .option('--fakes <file>', 'fake/ordinary labelled posts (JSON Lines) for the fake-news risk score')
    .option('--incidents <file>', 'posts labelled with their real-world incident (JSON Lines) for incident merging')
    .option('--incidents-check <files...>', 'more incident sets, written apart from the first and each scored whole (no halves)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { data: string[]; model?: string; split: string; facts?: string; fakes?: string; incidents?: string; incidentsCheck?: string[]; json?: boolean }) => {
      if (options.split !== 'all' && options.split !== 'test') throw new ConfigError(`Expected --split to be "all" or "test", got "${options.split}"`);
      const config = loadConfig();
      const base = createToolkit({ ...config, classifier: 'baseline' });
      let nlp: NlpToolkit = createToolkit(config);
      if (options.model === 'baseline') nlp = base;
      else if (options.model) {
        const registry = new ModelRegistry(config.modelsDir);
        nlp = toolkitForCard(config, base, registry, registry.find(options.model));
      }
      const corpus = loadCorpus(options.data);
      const posts = options.split === 'test' ? corpus.posts.filter((p) => splitOf(p.id) === 'test') : corpus.posts;
      const report = await evaluate(posts, nlp);
      const facts = options.facts ? evaluateFacts(loadFactSet(options.facts), nlp) : null;
      const fakes = options.fakes ? evaluateFakes(loadClaims(options.fakes).filter((c) => options.split === 'all' || splitOf(c.id) === 'test'), nlp) : null;
      // A labelled set's sources cover the towns its areas.json names; the deployment's own areas win.
      const withAreasOf = (file: string) => ({ ...config, dedup: { ...config.dedup, sourceAreas: { ...loadAreas(file), ...config.dedup.sourceAreas } } });
      const incidents = options.incidents ? await evaluateIncidents(loadReports(options.incidents), withAreasOf(options.incidents), nlp) : null;
      const incidentsCheck: (IncidentScore & { file: string })[] = [];
      for (const file of options.incidentsCheck ?? []) incidentsCheck.push({ file, ...(await scoreIncidents(loadReports(file), withAreasOf(file), nlp)) });
      if (options.json) print(JSON.stringify({ model: nlp.classifier.version, split: options.split, ...report, facts, fakes, incidents, incidentsCheck }, null, 2));
      else {
        print(`model: ${nlp.classifier.version}; split: ${options.split}`);
        printReport(report, labelsOf(nlp));
        if (facts) {
          print(`facts (${facts.posts} annotated posts):`);
          for (const [name, m] of Object.entries(facts).filter(([k]) => k !== 'posts') as [string, { precision: number; recall: number; f1: number; support: number }][]) {
            print(`  ${name.padEnd(13)} precision ${pct(m.precision)}  recall ${pct(m.recall)}  F1 ${pct(m.f1)}  (support ${m.support})`);
          }
        }
        if (fakes) {
          print(`fake-news risk (${fakes.posts} labelled posts, each scored alone): ROC AUC ${pct(fakes.rocAuc)}`);
          print(`  level high:            precision ${pct(fakes.high.precision)}  recall ${pct(fakes.high.recall)}  (${fakes.high.count} posts)`);
          print(`  level medium or high:  precision ${pct(fakes.medium.precision)}  recall ${pct(fakes.medium.recall)}  (${fakes.medium.count} posts)`);
        }
        if (incidents) {
          print(`incident merging (${incidents.posts} posts, ${incidents.goldPairs} gold pairs): pairwise precision ${pct(incidents.precision)}  recall ${pct(incidents.recall)}  (${incidents.predictedPairs} predicted pairs)`);
          for (const half of ['dev', 'test'] as const) {
            const h = incidents[half];
            print(`  ${half === 'dev' ? 'dev half (among the sets the weights were fitted on)' : 'test half (held out)'}: ${h.posts} posts, ${h.goldPairs} gold pairs: precision ${pct(h.precision)}  recall ${pct(h.recall)}`);
          }
        }
        for (const check of incidentsCheck) {
          print(`incident merging, ${check.file} (${check.posts} posts, ${check.goldPairs} gold pairs): pairwise precision ${pct(check.precision)}  recall ${pct(check.recall)}  (${check.predictedPairs} predicted pairs)`);
        }
      }
    });

  const models = program.command('models').description('The model registry (models/registry.json)');
  models
    .command('list')
    .description('List registered models; * marks the promoted one')
    .action(() => {
      const registry = new ModelRegistry(loadConfig().modelsDir);
      const data = registry.read();
      if (data.models.length === 0) print('no models registered; the keyword baseline is in use (train one with `npm run train`)');
      for (const m of data.models) {
        const star = data.promoted === refOf(m) ? '*' : ' ';
        print(`${star} ${refOf(m)}  created ${m.created}  data ${m.dataHash.slice(0, 12)}${m.encoder === 'hashing' ? '' : `  encoder ${m.encoder}`}  ${Object.entries(m.metrics).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      }
      for (const e of registry.encoders()) print(`  pulled ${e.id}@${e.sha?.slice(0, 12) ?? e.revision} -> ${e.dir} (${e.task}${e.quantized ? ', quantized' : ''}, ${(e.files.reduce((n, f) => n + f.size, 0) / 1e6).toFixed(1)} MB, hash ${e.hash.slice(0, 12)})`);
    });
  models
    .command('promote <ref>')
    .description('Make a model (name or name@version) the one the service uses')
    .action((ref: string) => {
      print(`promoted ${refOf(new ModelRegistry(loadConfig().modelsDir).promote(ref))}`);
    });
  models
    .command('rollback')
    .description('Go back to the previously promoted model')
    .action(() => {
      print(`promoted ${refOf(new ModelRegistry(loadConfig().modelsDir).rollback())}`);
    });
  registerTermCommands(models);
  registerPullCommand(models);
};
