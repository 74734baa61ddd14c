/**
 * Fake-news risk from the trained head: the model's probability for the text, raised by how widely
 * and fast the story spread, with the cue scorer's human-readable reasons.
 */
import type { FakeAssessment } from '../../core/types.js';
import type { FakeRiskScorer, NormalizedDoc, PropagationSignals, Taxonomy } from '../contract.js';
import { BaselineFakeRiskScorer, levelOf, PROPAGATION_WEIGHT, propagationReason, propagationStrength } from '../fake-risk.js';
import { FakeFeaturizer } from './fake-features.js';
import { type HeadFile, type LoadedHead, type LoadedModel, loadModel } from './model-file.js';
import { softmax } from './softmax-regression.js';

export class TrainedFakeScorer implements FakeRiskScorer {
  readonly #model: LoadedModel;
  readonly #head: LoadedHead;
  readonly #features: FakeFeaturizer;
  readonly #cues = new BaselineFakeRiskScorer();

  /** `model`: a classical model file, or just a fake head (models trained on embeddings carry one). */
  constructor(model: { readonly heads: { readonly fake?: HeadFile } }, taxonomy: Taxonomy) {
    this.#model = loadModel(model, ['fake']);
    const head = this.#model.heads.fake;
    if (!head) throw new Error('this model has no fake-news head; train it with `radar train --fakes FILE`');
    this.#head = head;
    this.#features = new FakeFeaturizer(taxonomy);
  }

  /** Probability that the text alone is fake-style. */
  textProbability(doc: NormalizedDoc): number {
    const z = this.#model.logits(this.#features.vector(doc));
    const p = softmax(z.subarray(this.#head.offset, this.#head.offset + this.#head.labels.length), this.#head.temperature);
    return p[this.#head.labels.indexOf('fake')] as number;
  }

  score(doc: NormalizedDoc, signals: PropagationSignals): FakeAssessment {
    const text = Math.min(0.999, Math.max(0.001, this.textProbability(doc)));
    const spread = propagationStrength(signals);
    const z = Math.log(text / (1 - text)) + PROPAGATION_WEIGHT * spread;
    const score = Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
    const cues = this.#cues.score(doc, { ...signals, storySources: 1 }).reasons;
    const reasons = [
      ...(text >= 0.5 ? [`Текст похож на ложные сообщения из обучающей выборки (${Math.round(text * 100)} %)`] : []),
      ...(spread > 0 ? [propagationReason(signals)] : []),
      ...cues,
    ];
    return { score, level: levelOf(score), reasons };
  }
}
