/**
 * Random-hyperplane LSH (SimHash) over sentence embeddings: 240 sign bits per post, stored with the
 * story member, in 24 bands of 10 bits used as index keys. Two posts whose embeddings are at cosine
 * 0.9 share a band with probability 0.997, unrelated ones (cosine 0.3) with probability 0.13, and
 * the cosine is then estimated from the bits alone: cos(pi * differing bits / 240). So story lookup
 * by meaning stays an index lookup, and the store keeps 30 bytes per post, not the vector.
 */
// Deterministic, so that every process and every restart draws the same hyperplanes.
import { mulberry32 } from './model/softmax-regression.js';

export const SEMANTIC_BITS = 240;
const BANDS = 24;
const BITS_PER_BAND = SEMANTIC_BITS / BANDS;
const WORDS = Math.ceil(SEMANTIC_BITS / 32);

const planesByDimension = new Map<number, Float32Array>();

/** Gaussian hyperplanes (Box-Muller), one row of `dimension` numbers per bit. */
const planesFor = (dimension: number): Float32Array => {
  let planes = planesByDimension.get(dimension);
  if (planes) return planes;
  const random = mulberry32(0x5eed_0000 + dimension);
  planes = new Float32Array(SEMANTIC_BITS * dimension);
  for (let i = 0; i < planes.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const phi = 2 * Math.PI * random();
    planes[i] = r * Math.cos(phi);
    if (i + 1 < planes.length) planes[i + 1] = r * Math.sin(phi);
  }
  planesByDimension.set(dimension, planes);
  return planes;
};

/** The sign bits of `vector` against the hyperplanes. */
export const semanticBits = (vector: Float32Array): Uint32Array => {
  const dimension = vector.length;
  const planes = planesFor(dimension);
  const bits = new Uint32Array(WORDS);
  for (let b = 0; b < SEMANTIC_BITS; b++) {
    let dot = 0;
    const row = b * dimension;
    for (let i = 0; i < dimension; i++) dot += (planes[row + i] as number) * (vector[i] as number);
    if (dot >= 0) bits[b >>> 5] = (bits[b >>> 5] as number) | (1 << (b & 31));
  }
  return bits;
};

const bitAt = (bits: Uint32Array, b: number): number => ((bits[b >>> 5] as number) >>> (b & 31)) & 1;

/** Index keys: `e<band>:<value>`, disjoint from the MinHash band keys. */
export const semanticBands = (bits: Uint32Array): string[] => {
  const keys: string[] = [];
  for (let band = 0; band < BANDS; band++) {
    let value = 0;
    for (let j = 0; j < BITS_PER_BAND; j++) value = (value << 1) | bitAt(bits, band * BITS_PER_BAND + j);
    keys.push(`e${band}:${value.toString(36)}`);
  }
  return keys;
};

const popcount = (x: number): number => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
};

/** Estimated cosine of the two embeddings behind the bits, -1..1. */
export const semanticCosine = (a: Uint32Array, b: Uint32Array): number => {
  let differing = 0;
  for (let i = 0; i < WORDS; i++) differing += popcount(((a[i] as number) ^ (b[i] as number)) >>> 0);
  return Math.cos((Math.PI * differing) / SEMANTIC_BITS);
};
