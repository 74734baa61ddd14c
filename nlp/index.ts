import { fileURLToPath } from 'node:url';
import type { NlpToolkit, Taxonomy, TermWeighting } from './contract.js';
import { BaselineClassifier } from './baseline-classifier.js';
import { BaselineFactExtractor, loadGazetteer, type Gazetteer } from './facts/index.js';
import { BaselineFakeRiskScorer } from './fake-risk.js';
import { MinHashFingerprinter } from './minhash.js';
import { BaselineNormalizer, searchStems } from './normalize.js';
import { BaselineSplitter } from './split.js';
import { defaultTaxonomy } from './taxonomy.js';
import { TermWeights } from './term-weights.js';

export type * from './contract.js';
export { defaultTaxonomy, loadTaxonomy, parseTaxonomy } from './taxonomy.js';
export { BaselineNormalizer, cleanText, tokenize } from './normalize.js';
export { BaselineSplitter } from './split.js';
export { BaselineClassifier } from './baseline-classifier.js';
export { BaselineFactExtractor, GazetteerIndex, loadGazetteer, parseGazetteer, canonicalHouse } from './facts/index.js';
export type { Gazetteer, Municipality, MunicipalityType, OrganizationKind } from './facts/index.js';
export { assembleProblems, type AssembleOptions } from './problems.js';
export { MinHashFingerprinter, NUM_HASHES, BANDS, ROWS } from './minhash.js';
export { BaselineFakeRiskScorer } from './fake-risk.js';
export { TermWeights, termOf, TERM_PREFIX } from './term-weights.js';
export { stripHtml, decodeEntities } from './html.js';
export { splitSentences } from './sentences.js';

/** The Нижегородская область demo gazetteer shipped with the repository. */
export const defaultGazetteerPath: string = fileURLToPath(new URL('../fixtures/gazetteer/nizhny-novgorod.json', import.meta.url));

export interface BaselineToolkitOptions {
  readonly taxonomy?: Taxonomy;
  /** Gazetteer JSON file; defaults to `defaultGazetteerPath`. */
  readonly gazetteerPath?: string;
  /** An already loaded gazetteer; wins over `gazetteerPath`. */
  readonly gazetteer?: Gazetteer;
  /** Term weights for incident merging; every term weighs the same when omitted. */
  readonly termWeights?: TermWeighting;
}

/** The keyword/rule baseline behind the `NlpToolkit` contract. Loads the gazetteer synchronously. */
export const createBaselineToolkit = (options: BaselineToolkitOptions = {}): NlpToolkit => {
  const taxonomy = options.taxonomy ?? defaultTaxonomy;
  const gazetteer = options.gazetteer ?? loadGazetteer(options.gazetteerPath ?? defaultGazetteerPath);
  return {
    taxonomy,
    normalizer: new BaselineNormalizer(),
    splitter: new BaselineSplitter(),
    extractor: new BaselineFactExtractor(gazetteer),
    classifier: new BaselineClassifier(taxonomy),
    fingerprinter: new MinHashFingerprinter(),
    fakeRisk: new BaselineFakeRiskScorer(),
    encoder: null,
    termWeights: options.termWeights ?? TermWeights.uniform(),
    searchTokens: (text: string): readonly string[] => searchStems(text),
  };
};
