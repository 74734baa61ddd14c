/**
 * Multinomial logistic regression on hashed sparse features, trained with AdaGrad and L2 on a
 * seeded shuffle: the same data and seed give the same weights, byte for byte.
 */
import { FEATURE_BITS, type SparseVector } from './features.js';

const DIMS = 1 << FEATURE_BITS;

export interface TrainOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** Per-class weights for imbalanced data (default 1). */
  readonly classWeights?: readonly number[];
}

export const defaultTrainOptions: TrainOptions = { epochs: 30, learningRate: 0.2, l2: 1e-6, seed: 42 };

/** Trained weights, dense in the hashed space while training; see `pruneWeights` for storage. */
export interface DenseModel {
  readonly classes: number;
  /** DIMS x classes, row-major by feature. */
  readonly weights: Float32Array;
}

export const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Fisher–Yates in place, from the end, drawing from `random`: the epoch order of both trainers. */
export const shuffle = (order: number[], random: () => number): void => {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
};

export const logits = (weights: { get(index: number, k: number): number }, x: SparseVector, classes: number): Float64Array => {
  const z = new Float64Array(classes);
  for (let i = 0; i < x.indices.length; i++) {
    const index = x.indices[i] as number;
    const value = x.values[i] as number;
    for (let k = 0; k < classes; k++) z[k] = (z[k] as number) + weights.get(index, k) * value;
  }
  return z;
};

export const softmax = (z: ArrayLike<number>, temperature = 1): Float64Array => softmaxInto(z, 0, z.length, temperature, new Float64Array(z.length));

/** `softmax` of z[from, from + length) written into out[0, length): classification reuses one buffer per head. */
export const softmaxInto = (z: ArrayLike<number>, from: number, length: number, temperature: number, out: Float64Array): Float64Array => {
  let max = -Infinity;
  for (let k = from; k < from + length; k++) if ((z[k] as number) > max) max = z[k] as number;
  let sum = 0;
  for (let k = 0; k < length; k++) {
    const e = Math.exp(((z[from + k] as number) - max) / temperature);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < length; k++) out[k] = (out[k] as number) / sum;
  return out;
};

export const trainSoftmax = (xs: readonly SparseVector[], ys: readonly number[], classes: number, options: TrainOptions = defaultTrainOptions): DenseModel => {
  const weights = new Float32Array(DIMS * classes);
  const grads = new Float32Array(DIMS * classes).fill(1e-8);
  const dense = { get: (index: number, k: number) => weights[index * classes + k] as number };
  const order = xs.map((_, i) => i);
  const random = mulberry32(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const n of order) {
      const x = xs[n] as SparseVector;
      const y = ys[n] as number;
      const p = softmax(logits(dense, x, classes));
      const cw = options.classWeights?.[y] ?? 1;
      for (let i = 0; i < x.indices.length; i++) {
        const base = (x.indices[i] as number) * classes;
        const value = x.values[i] as number;
        for (let k = 0; k < classes; k++) {
          const w = weights[base + k] as number;
          const g = cw * ((p[k] as number) - (k === y ? 1 : 0)) * value + options.l2 * w;
          const acc = (grads[base + k] as number) + g * g;
          grads[base + k] = acc;
          weights[base + k] = w - (options.learningRate * g) / Math.sqrt(acc);
        }
      }
    }
  }
  return { classes, weights };
};

/** Fits a softmax temperature on held-out data (lowest negative log-likelihood on a grid). */
export const fitTemperature = (zs: readonly Float64Array[], ys: readonly number[]): number => {
  if (zs.length === 0) return 1;
  let best = { t: 1, nll: Infinity };
  for (let t = 0.25; t <= 4.0001; t += 0.05) {
    let nll = 0;
    zs.forEach((z, i) => {
      nll -= Math.log(Math.max(1e-12, softmax(z, t)[ys[i] as number] as number));
    });
    if (nll < best.nll) best = { t: Math.round(t * 100) / 100, nll };
  }
  return best.t;
};
