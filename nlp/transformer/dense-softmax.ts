/**
 * Multinomial logistic regression on dense inputs (standardised sentence embeddings), trained like
 * the classical heads (AdaGrad, L2, class weights, seeded shuffle) but with plain array loops: the
 * sparse trainer's per-weight lookups would cost ten times more on 300-800 dense dimensions.
 */
import { mulberry32, shuffle, softmax, type TrainOptions } from '../model/softmax-regression.js';

/** (dimension + 1) x classes weights, row-major by input; the last row is the bias. */
export interface DenseWeights {
  readonly dimension: number;
  readonly classes: number;
  readonly weights: Float32Array;
}

export const denseLogits = (model: DenseWeights, x: Float32Array): Float64Array => {
  const { dimension, classes, weights } = model;
  const z = new Float64Array(classes);
  for (let k = 0; k < classes; k++) z[k] = weights[dimension * classes + k] as number;
  for (let i = 0; i < dimension; i++) {
    const value = x[i] as number;
    if (value === 0) continue;
    const base = i * classes;
    for (let k = 0; k < classes; k++) z[k] = (z[k] as number) + (weights[base + k] as number) * value;
  }
  return z;
};

export const trainDenseSoftmax = (xs: readonly Float32Array[], ys: readonly number[], classes: number, options: TrainOptions): DenseWeights => {
  const dimension = xs[0]?.length ?? 0;
  const rows = dimension + 1;
  const model: DenseWeights = { dimension, classes, weights: new Float32Array(rows * classes) };
  const { weights } = model;
  const grads = new Float32Array(rows * classes).fill(1e-8);
  const order = xs.map((_, i) => i);
  const random = mulberry32(options.seed);
  const g = new Float64Array(classes);
  const step = (row: number, value: number): void => {
    const base = row * classes;
    for (let k = 0; k < classes; k++) {
      const w = weights[base + k] as number;
      const grad = (g[k] as number) * value + options.l2 * w;
      const acc = (grads[base + k] as number) + grad * grad;
      grads[base + k] = acc;
      weights[base + k] = w - (options.learningRate * grad) / Math.sqrt(acc);
    }
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const n of order) {
      const x = xs[n] as Float32Array;
      const y = ys[n] as number;
      const p = softmax(denseLogits(model, x));
      const cw = options.classWeights?.[y] ?? 1;
      for (let k = 0; k < classes; k++) g[k] = cw * ((p[k] as number) - (k === y ? 1 : 0));
      for (let i = 0; i < dimension; i++) step(i, x[i] as number);
      step(dimension, 1);
    }
  }
  return model;
};
