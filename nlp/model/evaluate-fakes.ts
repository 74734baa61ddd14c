/** Fake-news risk quality on a labelled set (fixtures/fakes/posts.jsonl): ROC AUC and the "high" level's precision. */
import { z } from 'zod';
import { readJsonl } from '../../core/jsonl.js';
import type { NlpToolkit } from '../contract.js';

const labelledSchema = z.object({ id: z.string(), text: z.string(), label: z.enum(['fake', 'ordinary']), kind: z.string().optional() });
export type LabelledClaim = z.infer<typeof labelledSchema>;

export const loadClaims = (path: string): LabelledClaim[] => readJsonl(path, labelledSchema);

export interface FakeReport {
  readonly posts: number;
  readonly rocAuc: number;
  /** Of the posts scored "high", the share that are fakes; and the share of fakes scored "high". */
  readonly high: { readonly precision: number; readonly recall: number; readonly count: number };
  readonly medium: { readonly precision: number; readonly recall: number; readonly count: number };
}

/** ROC AUC as the probability that a random fake outscores a random ordinary post (ties count half). */
export const rocAuc = (scores: readonly { score: number; positive: boolean }[]): number => {
  const sorted = [...scores].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && (sorted[j] as { score: number }).score === (sorted[i] as { score: number }).score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if ((sorted[k] as { positive: boolean }).positive) {
        rankSum += averageRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
};

/** Scores each post alone (no propagation signals: a story of one post from one source). */
export const evaluateFakes = (claims: readonly LabelledClaim[], nlp: NlpToolkit): FakeReport => {
  const scored = claims.map((c) => {
    const fake = nlp.fakeRisk.score(nlp.normalizer.normalize(c.text), { storySize: 1, storySources: 1, storySpanHours: 0 });
    return { score: fake.score, level: fake.level, positive: c.label === 'fake' };
  });
  const at = (levels: readonly string[]) => {
    const flagged = scored.filter((s) => levels.includes(s.level));
    const hits = flagged.filter((s) => s.positive).length;
    const fakes = scored.filter((s) => s.positive).length;
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return { precision: r(flagged.length ? hits / flagged.length : 0), recall: r(fakes ? hits / fakes : 0), count: flagged.length };
  };
  return { posts: claims.length, rocAuc: Math.round(rocAuc(scored) * 1000) / 1000, high: at(['high']), medium: at(['medium', 'high']) };
};
