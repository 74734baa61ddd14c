import test from 'ava';
import { SEMANTIC_BITS, semanticBands, semanticBits, semanticCosine } from './semantic-hash.js';

const random = (seed: number, n: number): Float32Array => {
  let x = seed;
  return Float32Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32 - 0.5;
  });
};
const normalise = (v: Float32Array): Float32Array => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

test('the cosine estimated from 240 sign bits follows the true cosine', (t) => {
  const a = normalise(random(1, 384));
  const noise = normalise(random(2, 384));
  for (const mix of [0, 0.3, 0.6, 1]) {
    const b = normalise(a.map((x, i) => (1 - mix) * x + mix * (noise[i] as number)));
    const estimate = semanticCosine(semanticBits(a), semanticBits(b));
    t.true(Math.abs(estimate - cosine(a, b)) < 0.2, `mix ${mix}: true ${cosine(a, b).toFixed(2)}, estimated ${estimate.toFixed(2)}`);
  }
  t.is(semanticCosine(semanticBits(a), semanticBits(a)), 1);
});

test('near vectors share bands, unrelated ones rarely do; bits are the same in every process', (t) => {
  const a = normalise(random(3, 312));
  const noise = normalise(random(4, 312));
  const near = normalise(a.map((x, i) => x + 0.15 * (noise[i] as number)));
  const far = normalise(random(5, 312));
  const shared = (x: Float32Array, y: Float32Array) => {
    const bx = new Set(semanticBands(semanticBits(x)));
    return semanticBands(semanticBits(y)).filter((k) => bx.has(k)).length;
  };
  t.true(shared(a, near) >= 3, `near shares ${shared(a, near)} bands`);
  t.true(shared(a, far) <= 2, `far shares ${shared(a, far)} bands`);
  t.is(semanticBands(semanticBits(a)).length, 24);
  t.deepEqual(semanticBits(a), semanticBits(Float32Array.from(a)));
  t.is(SEMANTIC_BITS, 240);
});
