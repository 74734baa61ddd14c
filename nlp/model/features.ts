/**
 * Sparse features for the linear models: stem unigrams and bigrams (what is said), character
 * 4-grams of the normalised words (robust to typos, slang suffixes and unseen inflections), and
 * the keyword lexicon's category scores (expert knowledge the model learns how far to trust),
 * hashed into a fixed space so no vocabulary has to ship with the model.
 */
import { BaselineClassifier } from '../baseline-classifier.js';
import type { NormalizedDoc, Taxonomy } from '../contract.js';

export const FEATURE_BITS = 18;
const MASK = (1 << FEATURE_BITS) - 1;

const fnv1a = (s: string, seed: number): number => {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/**
 * FNV-1a of every character 4-gram of a word, without allocating substrings. 4-grams alone scored
 * within noise of 3-5-grams on our dev split and cost a third of the features.
 */
const CHAR_GRAM = 4;
const charGrams = (word: string, seed: number): Int32Array => {
  const out = new Int32Array(Math.max(0, word.length - CHAR_GRAM + 1));
  for (let start = 0; start + CHAR_GRAM <= word.length; start++) {
    let h = 0x811c9dc5 ^ seed;
    for (let i = start; i < start + CHAR_GRAM; i++) {
      h ^= word.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    out[start] = (h >>> 0) & MASK;
  }
  return out;
};

/** Words repeat across posts far more than they vary: their char grams are computed once. */
const GRAM_CACHE_LIMIT = 100_000;

/** Distinct seeds per feature family, so families do not collide by construction. */
const SEED = { word: 0x1f, bigram: 0x2e, char: 0x3d, bias: 0x4c, lexicon: 0x5b } as const;
const BIAS = fnv1a('', SEED.bias) & MASK;

export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

const shared = new WeakMap<Taxonomy, Featurizer>();

export class Featurizer {
  /** One featurizer per taxonomy, so the classifier and the fake head share its caches. */
  static for(taxonomy: Taxonomy): Featurizer {
    let featurizer = shared.get(taxonomy);
    if (!featurizer) shared.set(taxonomy, (featurizer = new Featurizer(taxonomy)));
    return featurizer;
  }

  /** A post's whole-text vector is asked for by the classifier and the fake head: computed once. */
  readonly #vectors = new WeakMap<NormalizedDoc, Map<string, SparseVector>>();
  readonly #lexicon: BaselineClassifier;
  readonly #lexiconIndex: ReadonlyMap<string, number>;
  readonly #grams = new Map<string, Int32Array>();

  constructor(taxonomy: Taxonomy) {
    this.#lexicon = new BaselineClassifier(taxonomy);
    this.#lexiconIndex = new Map(taxonomy.categories.map((c) => [c.id, fnv1a(c.id, SEED.lexicon) & MASK]));
  }

  /** Feature ids of the current vector, reused between calls: counting by sort allocates nothing per token. */
  #scratch = new Int32Array(4096);

  /** Features of tokens [lo, hi) of `doc`: n-grams L2-normalised with sublinear counts, then lexicon scores and a bias. */
  vector(doc: NormalizedDoc, lo = 0, hi = doc.tokens.length): SparseVector {
    let byRange = this.#vectors.get(doc);
    if (!byRange) this.#vectors.set(doc, (byRange = new Map()));
    const key = `${lo}:${hi}`;
    const cached = byRange.get(key);
    if (cached) return cached;
    const vector = this.#compute(doc, lo, hi);
    byRange.set(key, vector);
    return vector;
  }

  #compute(doc: NormalizedDoc, lo: number, hi: number): SparseVector {
    let n = 0;
    const add = (index: number): void => {
      if (n === this.#scratch.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.#scratch);
        this.#scratch = grown;
      }
      this.#scratch[n++] = index;
    };
    let prev: string | null = null;
    for (let t = lo; t < hi; t++) {
      const token = doc.tokens[t];
      if (!token) continue;
      add(fnv1a(token.stem, SEED.word) & MASK);
      if (prev !== null) add(fnv1a(`${prev} ${token.stem}`, SEED.bigram) & MASK);
      prev = token.stem;
      let grams = this.#grams.get(token.norm);
      if (!grams) {
        grams = charGrams(`<${token.norm}>`, SEED.char);
        if (this.#grams.size >= GRAM_CACHE_LIMIT) this.#grams.clear();
        this.#grams.set(token.norm, grams);
      }
      for (const gram of grams) add(gram);
    }
    const ids = this.#scratch.subarray(0, n).sort();
    let unique = 0;
    for (let i = 0; i < n; i++) if (i === 0 || ids[i] !== ids[i - 1]) unique++;
    const scores = this.#lexicon.categorize(doc, lo, hi).scores;
    const size = unique + scores.size + 1;
    const indices = new Int32Array(size);
    const values = new Float32Array(size);
    let norm = 0;
    let k = 0;
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && ids[j] === ids[i]) j++;
      const value = 1 + Math.log(j - i);
      indices[k] = ids[i] as number;
      values[k] = value;
      norm += value * value;
      k++;
      i = j;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < k; i++) values[i] = (values[i] as number) / norm;
    for (const [category, score] of scores) {
      const index = this.#lexiconIndex.get(category);
      if (index === undefined) continue;
      indices[k] = index;
      values[k] = Math.min(score, 4) / 4;
      k++;
    }
    // A constant feature gives every class its own intercept inside the same weight table.
    indices[k] = BIAS;
    values[k] = 1;
    return { indices: indices.subarray(0, k + 1), values: values.subarray(0, k + 1) };
  }
}
