/** Quality figures of a toolkit on labelled posts: what `radar evaluate` prints. */
import type { NlpToolkit } from '../contract.js';
import { assembleProblems } from '../problems.js';
import type { LabelledPost } from './corpus.js';

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly confidence: number;
  readonly accuracy: number;
}

export interface EvaluationReport {
  readonly posts: number;
  readonly isProblem: ClassMetrics;
  readonly category: {
    readonly perClass: Readonly<Record<string, ClassMetrics>>;
    readonly macroF1: number;
    readonly accuracy: number;
    /** gold -> predicted -> count */
    readonly confusion: Readonly<Record<string, Readonly<Record<string, number>>>>;
    /** Expected calibration error of the category confidence, 10 bins. */
    readonly ece: number;
    readonly calibration: readonly CalibrationBin[];
  };
  readonly urgency: { readonly accuracy: number; readonly high: ClassMetrics };
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

const metrics = (tp: number, fp: number, fn: number): ClassMetrics => {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: r3(precision), recall: r3(recall), f1: r3(f1), support: tp + fn };
};

/**
 * With an encoder, every segment and gold span is embedded first in one call (length buckets across
 * posts), then classified with its embedding; the classical path classifies as it goes.
 */
export const evaluate = async (posts: readonly LabelledPost[], nlp: NlpToolkit): Promise<EvaluationReport> => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const gold: string[] = [];
  const predicted: string[] = [];
  const confidences: number[] = [];
  let urgencyHits = 0;
  let urgencyTotal = 0;
  const high = { tp: 0, fp: 0, fn: 0 };
  const analysed = posts.map((post) => {
    const doc = nlp.normalizer.normalize(post.text);
    // The category classifier judged on the gold span, so splitting errors do not blur it.
    return { post, doc, segments: nlp.splitter.split(doc), spans: post.problems.map((p) => ({ problem: p, doc: nlp.normalizer.normalize(p.text) })) };
  });
  await nlp.extractor.prepare?.(analysed.map((a) => a.doc));
  const embedded = new Map<string, Float32Array>();
  if (nlp.encoder) {
    const texts = [...new Set(analysed.flatMap((a) => [...a.segments.map((s) => s.text), ...a.spans.map((s) => s.doc.clean)]))];
    const vectors = await nlp.encoder.embed(texts, 'query');
    texts.forEach((t, i) => embedded.set(t, vectors[i] as Float32Array));
  }
  const vectorsOf = (texts: readonly string[]): Float32Array[] | undefined => (nlp.encoder ? texts.map((t) => embedded.get(t) as Float32Array) : undefined);
  for (const { post, doc, segments, spans } of analysed) {
    const classified = nlp.classifier.classify(doc, segments, vectorsOf(segments.map((s) => s.text)));
    const problems = assembleProblems(doc, segments, classified, nlp.extractor);
    const said = problems.length > 0;
    if (said && post.is_problem) tp++;
    else if (said) fp++;
    else if (post.is_problem) fn++;
    for (const { problem, doc: span } of spans) {
      const [c] = nlp.classifier.classify(span, [{ text: span.clean, span: { start: 0, end: span.clean.length } }], vectorsOf([span.clean]));
      if (!c) continue;
      gold.push(problem.category);
      predicted.push(c.category);
      confidences.push(c.confidence);
      urgencyTotal++;
      if (c.urgency === problem.urgency) urgencyHits++;
      if (c.urgency === 'high' && problem.urgency === 'high') high.tp++;
      else if (c.urgency === 'high') high.fp++;
      else if (problem.urgency === 'high') high.fn++;
    }
  }
  const labels = nlp.taxonomy.categories.map((c) => c.id);
  const perClass: Record<string, ClassMetrics> = {};
  const confusion: Record<string, Record<string, number>> = {};
  for (const label of labels) {
    let ctp = 0;
    let cfp = 0;
    let cfn = 0;
    gold.forEach((g, i) => {
      const p = predicted[i];
      if (g === label && p === label) ctp++;
      else if (p === label) cfp++;
      else if (g === label) cfn++;
    });
    perClass[label] = metrics(ctp, cfp, cfn);
  }
  gold.forEach((g, i) => {
    const row = (confusion[g] ??= {});
    const p = predicted[i] as string;
    row[p] = (row[p] ?? 0) + 1;
  });
  const present = labels.filter((l) => (perClass[l]?.support ?? 0) > 0);
  const macroF1 = present.reduce((s, l) => s + (perClass[l]?.f1 ?? 0), 0) / Math.max(1, present.length);
  const bins: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < 10; b++) {
    const from = b / 10;
    const to = (b + 1) / 10;
    const members = confidences.map((c, i) => ({ c, ok: gold[i] === predicted[i] })).filter((m) => m.c >= from && (m.c < to || (b === 9 && m.c <= 1)));
    if (members.length === 0) continue;
    const confidence = members.reduce((s, m) => s + m.c, 0) / members.length;
    const accuracy = members.filter((m) => m.ok).length / members.length;
    ece += (members.length / confidences.length) * Math.abs(confidence - accuracy);
    bins.push({ from, to, count: members.length, confidence: r3(confidence), accuracy: r3(accuracy) });
  }
  return {
    posts: posts.length,
    isProblem: metrics(tp, fp, fn),
    category: {
      perClass,
      macroF1: r3(macroF1),
      accuracy: r3(gold.filter((g, i) => g === predicted[i]).length / Math.max(1, gold.length)),
      confusion,
      ece: r3(ece),
      calibration: bins,
    },
    urgency: { accuracy: r3(urgencyHits / Math.max(1, urgencyTotal)), high: metrics(high.tp, high.fp, high.fn) },
  };
};
