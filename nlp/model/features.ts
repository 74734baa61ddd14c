/**
 * Sparse features for the linear models: stem unigrams and bigrams (what is said), character
 * 4-grams of the normalised words (robust to typos, slang suffixes and unseen inflections), and
 * the keyword lexicon's category scores (expert knowledge the model learns how far to trust),
 * hashed into a fixed space so no vocabulary has to ship with the model.
 */
import type { NormalizedDoc, Taxonomy } from '../contract.js';
import { categoryLexiconIndex } from '../cues.js';
import { matchesIn } from '../doc-cache.js';
import { TypedSlab } from '../typed-slab.js';

export const FEATURE_BITS = 18;
const MASK = (1 << FEATURE_BITS) - 1;

const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const fnv1a = (s: string, seed: number): number => {
  let h = FNV_BASIS ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
};

/** FNV-1a of `${a} ${b}` without building the string. */
const fnv1aPair = (a: string, b: string, seed: number): number => {
  let h = FNV_BASIS ^ seed;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), FNV_PRIME);
  h = Math.imul(h ^ 32, FNV_PRIME);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
};

/**
 * FNV-1a of every character 4-gram of `<word>`, without allocating substrings. 4-grams alone scored
 * within noise of 3-5-grams on our dev split and cost a third of the features.
 */
const CHAR_GRAM = 4;
const charGrams = (word: string, seed: number): Int32Array => {
  const out = new Int32Array(Math.max(0, word.length - CHAR_GRAM + 1));
  for (let start = 0; start + CHAR_GRAM <= word.length; start++) {
    let h = FNV_BASIS ^ seed;
    for (let i = start; i < start + CHAR_GRAM; i++) {
      h ^= word.charCodeAt(i);
      h = Math.imul(h, FNV_PRIME);
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

/**
 * Feature ids of every token of a doc, computed once: the classifier asks for each segment and the
 * fake head for the whole text, and those ranges cover the same tokens.
 */
interface DocFeatures {
  /** Unigram id of token t. */
  readonly words: Int32Array;
  /** Id of the bigram (t - 1, t); unused at t = 0. */
  readonly bigrams: Int32Array;
  readonly grams: readonly Int32Array[];
  /** Vectors by token range (lo * RANGE_KEY + hi). */
  readonly vectors: Map<number, SparseVector>;
}

/**
 * Sorts ids[0, n) ascending (ids are below 2^FEATURE_BITS): one counting pass on the top log2(n)
 * bits, then an insertion pass that only has to order ids sharing a bucket. Hashed ids spread
 * evenly, so that is linear; V8's typed array sort costs several times more at these sizes.
 */
const sortIds = (ids: Int32Array, n: number, scratch: { counts: Int32Array; tmp: Int32Array }): void => {
  if (n < 2) return;
  let bits = 1;
  while (1 << bits < n && bits < FEATURE_BITS) bits++;
  const shift = FEATURE_BITS - bits;
  const buckets = 1 << bits;
  if (scratch.counts.length < buckets + 1) scratch.counts = new Int32Array(buckets + 1);
  if (scratch.tmp.length < n) scratch.tmp = new Int32Array(n * 2);
  const { counts, tmp } = scratch;
  counts.fill(0, 0, buckets + 1);
  for (let i = 0; i < n; i++) {
    const b = ((ids[i] as number) >>> shift) + 1;
    counts[b] = (counts[b] as number) + 1;
  }
  for (let b = 0; b < buckets; b++) counts[b + 1] = (counts[b + 1] as number) + (counts[b] as number);
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    const b = v >>> shift;
    const at = counts[b] as number;
    tmp[at] = v;
    counts[b] = at + 1;
  }
  ids[0] = tmp[0] as number;
  for (let i = 1; i < n; i++) {
    const v = tmp[i] as number;
    let j = i - 1;
    while (j >= 0 && (ids[j] as number) > v) {
      ids[j + 1] = ids[j] as number;
      j--;
    }
    ids[j + 1] = v;
  }
};

/** Posts are capped far below sixteen million tokens, so lo * RANGE_KEY + hi is a unique, exact key. */
const RANGE_KEY = 1 << 24;

const shared = new WeakMap<Taxonomy, Featurizer>();

export class Featurizer {
  /** One featurizer per taxonomy, so the classifier and the fake head share its caches. */
  static for(taxonomy: Taxonomy): Featurizer {
    let featurizer = shared.get(taxonomy);
    if (!featurizer) shared.set(taxonomy, (featurizer = new Featurizer(taxonomy)));
    return featurizer;
  }

  readonly #docs = new WeakMap<NormalizedDoc, DocFeatures>();
  /** Feature index of each taxonomy category's lexicon score; categories outside the taxonomy have none. */
  readonly #lexiconIndex: ReadonlyMap<string, number>;
  readonly #grams = new Map<string, Int32Array>();
  /** Feature ids of the current vector, reused between calls: counting by sort allocates nothing per token. */
  #scratch = new Int32Array(4096);
  /** Lexicon score per category of the current vector, in order of first match. */
  readonly #categories: string[] = [];
  readonly #scores: number[] = [];
  readonly #sorting = { counts: new Int32Array(1024), tmp: new Int32Array(4096) };
  /** Vectors die with their doc, so they are cut from shared buffers (see TypedSlab). */
  readonly #slab = new TypedSlab();

  constructor(taxonomy: Taxonomy) {
    this.#lexiconIndex = new Map(taxonomy.categories.map((c) => [c.id, fnv1a(c.id, SEED.lexicon) & MASK]));
  }

  /** Features of tokens [lo, hi) of `doc`: n-grams L2-normalised with sublinear counts, then lexicon scores and a bias. */
  vector(doc: NormalizedDoc, lo = 0, hi = doc.tokens.length): SparseVector {
    const features = this.#featuresOf(doc);
    const key = lo * RANGE_KEY + hi;
    const cached = features.vectors.get(key);
    if (cached) return cached;
    const vector = this.#compute(doc, features, lo, hi);
    features.vectors.set(key, vector);
    return vector;
  }

  #featuresOf(doc: NormalizedDoc): DocFeatures {
    const hit = this.#docs.get(doc);
    if (hit) return hit;
    const tokens = doc.tokens;
    const words = this.#slab.int32(tokens.length);
    const bigrams = this.#slab.int32(tokens.length);
    const grams: Int32Array[] = [];
    let prev = '';
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as { readonly norm: string; readonly stem: string };
      words[t] = fnv1a(token.stem, SEED.word) & MASK;
      if (t > 0) bigrams[t] = fnv1aPair(prev, token.stem, SEED.bigram) & MASK;
      prev = token.stem;
      let g = this.#grams.get(token.norm);
      if (!g) {
        g = charGrams(`<${token.norm}>`, SEED.char);
        if (this.#grams.size >= GRAM_CACHE_LIMIT) this.#grams.clear();
        this.#grams.set(token.norm, g);
      }
      grams.push(g);
    }
    const features = { words, bigrams, grams, vectors: new Map<number, SparseVector>() };
    this.#docs.set(doc, features);
    return features;
  }

  #compute(doc: NormalizedDoc, features: DocFeatures, lo: number, hi: number): SparseVector {
    let ids = this.#scratch;
    let n = 0;
    for (let t = lo; t < hi; t++) {
      const grams = features.grams[t] as Int32Array;
      if (n + 2 + grams.length > ids.length) {
        const grown = new Int32Array(Math.max(ids.length * 2, n + 2 + grams.length));
        grown.set(ids.subarray(0, n));
        this.#scratch = ids = grown;
      }
      ids[n++] = features.words[t] as number;
      if (t > lo) ids[n++] = features.bigrams[t] as number;
      for (let g = 0; g < grams.length; g++) ids[n++] = grams[g] as number;
    }
    sortIds(ids, n, this.#sorting);
    let unique = 0;
    for (let i = 0; i < n; i++) if (i === 0 || ids[i] !== ids[i - 1]) unique++;
    const lexicon = this.#lexiconScores(doc, lo, hi);
    const size = unique + lexicon + 1;
    const indices = this.#slab.int32(size);
    const values = this.#slab.float32(size);
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
    for (let c = 0; c < lexicon; c++) {
      indices[k] = this.#lexiconIndex.get(this.#categories[c] as string) as number;
      values[k] = Math.min(this.#scores[c] as number, 4) / 4;
      k++;
    }
    // A constant feature gives every class its own intercept inside the same weight table.
    indices[k] = BIAS;
    values[k] = 1;
    return { indices, values };
  }

  /**
   * Sums the category lexicon's weights per taxonomy category over matches inside [lo, hi), into
   * #categories/#scores in order of first match (the order the features are laid out in); returns their count.
   */
  #lexiconScores(doc: NormalizedDoc, lo: number, hi: number): number {
    const categories = this.#categories;
    const scores = this.#scores;
    categories.length = 0;
    scores.length = 0;
    for (const m of matchesIn(doc, categoryLexiconIndex)) {
      if (m.start < lo || m.end > hi) continue;
      const category = m.payload.category;
      if (!this.#lexiconIndex.has(category)) continue;
      const at = categories.indexOf(category);
      if (at === -1) {
        categories.push(category);
        scores.push(m.payload.weight);
      } else scores[at] = (scores[at] as number) + m.payload.weight;
    }
    return categories.length;
  }
}
