/**
 * Features of the fake-news head: the shared n-gram features plus the cue scorer's content logit
 * (claim patterns, alarm, caps, numbers without a source), so the model learns from text what the
 * hand-written cues miss and how far to trust them.
 */
import type { NormalizedDoc, Taxonomy } from '../contract.js';
import { BaselineFakeRiskScorer } from '../fake-risk.js';
import { TypedSlab } from '../typed-slab.js';
import { FEATURE_BITS, Featurizer, type SparseVector } from './features.js';

const CUE_INDEX = (0x7fffff ^ 0x5a5a5) & ((1 << FEATURE_BITS) - 1);
const single = { storySize: 1, storySources: 1, storySpanHours: 0 } as const;

export class FakeFeaturizer {
  readonly #features: Featurizer;
  readonly #cues = new BaselineFakeRiskScorer();
  /** Vectors die with their doc, so they are cut from shared buffers (see TypedSlab). */
  readonly #slab = new TypedSlab();

  constructor(taxonomy: Taxonomy) {
    this.#features = Featurizer.for(taxonomy);
  }

  vector(doc: NormalizedDoc): SparseVector {
    const base = this.#features.vector(doc);
    const p = Math.min(0.999, Math.max(0.001, this.#cues.score(doc, single).score));
    const indices = this.#slab.int32(base.indices.length + 1);
    const values = this.#slab.float32(base.values.length + 1);
    indices.set(base.indices);
    values.set(base.values);
    indices[base.indices.length] = CUE_INDEX;
    values[base.values.length] = Math.log(p / (1 - p)) / 4;
    return { indices, values };
  }
}
