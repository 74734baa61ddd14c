import test from 'ava';
import type { NormalizedDoc } from '../contract.js';
import { BaselineNormalizer } from '../normalize.js';
import { defaultTaxonomy } from '../taxonomy.js';
import { Featurizer } from './features.js';

const normalizer = new BaselineNormalizer();

/** The tokens [lo, hi) of a doc as a doc of their own: what a range's vector must equal. */
const slice = (doc: NormalizedDoc, lo: number, hi: number): NormalizedDoc => ({ ...doc, tokens: doc.tokens.slice(lo, hi) });

test('a token range gives the same vector as a doc of just those tokens, computed before or after the whole doc', (t) => {
  const text = 'Третий день нет горячей воды на Белинского 32, батареи холодные. А ещё во дворе яма, машины бьют колёса! УК молчит.';
  const doc = normalizer.normalize(text);
  const n = doc.tokens.length;
  const ranges: [number, number][] = [[0, n], [0, 7], [3, 12], [7, n], [n - 1, n]];
  const features = new Featurizer(defaultTaxonomy);
  const first = features.vector(doc, 3, 12);
  for (const [lo, hi] of ranges) {
    const got = features.vector(doc, lo, hi);
    const want = new Featurizer(defaultTaxonomy).vector(slice(doc, lo, hi));
    t.deepEqual([...got.indices], [...want.indices], `indices of [${lo}, ${hi})`);
    t.deepEqual([...got.values], [...want.values], `values of [${lo}, ${hi})`);
  }
  t.is(features.vector(doc, 3, 12), first, 'a range is computed once per doc');
});

test('n-gram ids come sorted and unique with unit length, also for a long post', (t) => {
  // Latin made-up words: no category keyword, so everything before the bias is an n-gram.
  const text = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 1000}x${'abcdefgh'.charAt(i % 8)}`).join(' ');
  const doc = normalizer.normalize(text);
  const features = new Featurizer(defaultTaxonomy);
  for (const [lo, hi] of [[0, doc.tokens.length], [0, 40], [100, 2100]] as const) {
    const { indices, values } = features.vector(doc, lo, hi);
    const ids = [...indices.subarray(0, -1)];
    t.true(ids.length > hi - lo, `[${lo}, ${hi}) has word, bigram and character features`);
    t.true(ids.every((v, i) => i === 0 || v > (ids[i - 1] as number)), `n-gram ids of [${lo}, ${hi}) ascend strictly`);
    const norm = Math.sqrt([...values.subarray(0, -1)].reduce((sum, v) => sum + v * v, 0));
    t.true(Math.abs(norm - 1) < 1e-5, `n-gram part of [${lo}, ${hi}) has unit length, got ${norm}`);
    t.is(values.at(-1), 1, 'the bias comes last');
    const alone = new Featurizer(defaultTaxonomy).vector(slice(doc, lo, hi));
    t.deepEqual([...indices], [...alone.indices], `[${lo}, ${hi}) equals a doc of just those tokens`);
  }
});
