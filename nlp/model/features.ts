/**
 * Sparse features for the linear models: stem unigrams and bigrams (what is said) and character
 * 3-5-grams of the normalised words (robust to typos, slang suffixes and unseen inflections),
 * hashed into a fixed space so no vocabulary has to ship with the model.
 */
import type { Token } from '../contract.js';

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

/** Distinct seeds per feature family, so a stem never collides with the same letters as a char gram by construction. */
const SEED = { word: 0x1f, bigram: 0x2e, char: 0x3d, bias: 0x4c } as const;

export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Features of `tokens`, L2-normalised, with sublinear term frequency. */
export const featurize = (tokens: readonly Token[]): SparseVector => {
  const counts = new Map<number, number>();
  const add = (index: number, weight = 1): void => {
    counts.set(index, (counts.get(index) ?? 0) + weight);
  };
  let prev: string | null = null;
  for (const token of tokens) {
    const stem = token.stem;
    add(fnv1a(stem, SEED.word) & MASK);
    if (prev !== null) add(fnv1a(`${prev} ${stem}`, SEED.bigram) & MASK);
    prev = stem;
    const word = `<${token.norm}>`;
    // Char grams weigh less: there are many of them per word and each says little alone.
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= word.length; i++) add(fnv1a(word.slice(i, i + n), SEED.char) & MASK, 0.3);
  }
  const indices = new Int32Array(counts.size + 1);
  const values = new Float32Array(counts.size + 1);
  let norm = 0;
  let k = 0;
  for (const [index, count] of counts) {
    const value = 1 + Math.log(count);
    indices[k] = index;
    values[k] = value;
    norm += value * value;
    k++;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < k; i++) values[i] = (values[i] as number) / norm;
  // A constant feature gives every class its own intercept inside the same weight table.
  indices[k] = fnv1a('', SEED.bias) & MASK;
  values[k] = 1;
  return { indices, values };
};
