/**
 * `npm run fit:incidents`: fits the incident merge score (`dedup.incidentMerge` in config) on the
 * development sets and reports every set once; the held-out half of `fixtures/incidents/posts.jsonl`
 * and the blind sets never take part in the fit.
 *
 * 1. Each set's reports run through the real pipeline with each report forced into its gold
 *    incident (teacher forcing), and every candidate the index offers becomes a (features, same
 *    incident?) example: the features are exactly those the dedup stage computes.
 * 2. A logistic regression with L2 is fitted on the examples of all sets (classes balanced).
 * 3. The threshold is chosen by running the real merger on every set and pooling their pairs: the
 *    best F-beta (beta 0.5 by default: a false merge hides a problem, a missed one only shows it
 *    twice), or with --floor P the highest recall at precision P when some threshold reaches it.
 * Prints the settings as JSON to paste into config, then each set's figures and, with --explain,
 * where recall goes: every report whose gold incident already had one, judged against it (joined,
 * below the threshold, vetoed and by which rule, not looked up), and the gold-incident posts read as
 * no problem; --list also names each report that did not join, with its outcome and text.
 * Options: --data PATH[:dev|:test] (repeatable; default DEVELOPMENT_SETS), --floor P, --beta B
 * (default 0.5), --l2 X (default 0.0001), --loso (also estimate how the fit generalises: fit on all
 * sets but one and score that one, for each set), --explain (no fit: where recall goes with the
 * configured settings), --list (with --explain: report by report).
 */
import { parseArgs } from 'node:util';
import { loadConfig, type RadarConfig } from '../core/config.js';
import { postIdOf } from '../core/ids.js';
import { silentLogger } from '../core/logger.js';
import { analyzeLines, createAnalyzer } from '../pipeline/analyze.js';
import { relatedCategoriesOf, reportWindow } from '../pipeline/dedup.js';
import { halfOf, loadAreas, loadReports, scoreIncidents, type IncidentScore, type LabelledReport } from '../pipeline/evaluate-incidents.js';
import { INCIDENT_FEATURES, incidentFeatures, incidentProbability, logistic, reportKeysOf, sameThread, type IncidentMergeSettings, type IncidentMergeWeights, type ReportKeys } from '../pipeline/incident-score.js';
import { createToolkit } from '../pipeline/runtime.js';
import type { DedupIndex, IncidentCandidate, IncidentCandidateQuery, IncidentReport } from '../store/contract.js';
import { MemoryDedupIndex } from '../store/memory-dedup.js';
import type { NlpToolkit } from '../nlp/contract.js';

/**
 * The sets read for development (README, "Incidents"): the dev half of the first set and the months
 * read since. The held-out half and the blind sets (spring-2027, winter-2028, summer-2027,
 * autumn-2028, spring-2028) are not here.
 */
const DEVELOPMENT_SETS = [
  'fixtures/incidents/posts.jsonl:dev',
  ...['december', 'october', 'november', 'september', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'autumn-2027', 'august'].map((month) => `fixtures/incidents/${month}/posts.jsonl`),
];

const { values } = parseArgs({
  options: {
    data: { type: 'string', multiple: true },
    floor: { type: 'string' },
    beta: { type: 'string', default: '0.5' },
    l2: { type: 'string', default: '0.0001' },
    loso: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
  },
});
const floor = values.floor === undefined ? Number.POSITIVE_INFINITY : Number(values.floor);
const base = loadConfig({ overrides: { logLevel: 'silent' } });

/** One labelled set (or half of one), with the config and toolkit its sources' areas call for. */
interface LabelledSet {
  readonly name: string;
  readonly reports: readonly LabelledReport[];
  readonly config: RadarConfig;
  readonly nlp: NlpToolkit;
}

const loadSet = (spec: string): LabelledSet => {
  const [path, half] = spec.split(':') as [string, string | undefined];
  if (half !== undefined && half !== 'dev' && half !== 'test') throw new Error(`Expected --data PATH, PATH:dev or PATH:test, got ${spec}`);
  const all = loadReports(path);
  const config: RadarConfig = { ...base, dedup: { ...base.dedup, sourceAreas: { ...loadAreas(path), ...base.dedup.sourceAreas } } };
  return { name: spec, reports: half ? all.filter((r) => halfOf(r) === half) : all, config, nlp: createToolkit(config) };
};
const sets = (values.data ?? DEVELOPMENT_SETS).map(loadSet);
const heldOut = loadSet('fixtures/incidents/posts.jsonl:test');

interface Example {
  readonly x: Float64Array;
  readonly y: 0 | 1;
}

/** What became of a report whose gold incident already existed, under given merge settings. */
type Outcome =
  | 'joined: score'
  | 'joined: same story or area-wide rule'
  | 'joined: the one incident of its trouble in its feed'
  | 'score below threshold'
  | 'veto: unrelated category'
  | 'veto: another house'
  | 'veto: no topic in common'
  | 'veto: another route'
  | 'veto: another municipality or area'
  | 'outside the time window'
  | 'not among the candidates';

/** A dedup index that files every report under its gold incident and records the candidates it was offered. */
class TeacherIndex implements DedupIndex {
  readonly examples: Example[] = [];
  /** Reports whose gold incident already existed, and how many of those the lookup offered it for. */
  readonly retrieval = { due: 0, offered: 0 };
  /** With `settings`: per outcome, how many reports whose gold incident already existed met it. */
  readonly outcomes = new Map<Outcome, number>();
  /** With `settings`: each such report's outcome, in publication order (for --list). */
  readonly log: { postId: string; gold: string; outcome: Outcome }[] = [];
  /** Posts that became reports (some problem of theirs reached the index). */
  readonly reported = new Set<string>();
  readonly #seen = new Set<string>();
  readonly #inner = new MemoryDedupIndex();
  readonly #gold: ReadonlyMap<string, string | null>;
  readonly #nlp: NlpToolkit;
  readonly #config: RadarConfig;
  readonly #settings: IncidentMergeSettings | null;
  #last: { query: IncidentCandidateQuery; candidates: readonly IncidentCandidate[] } | null = null;

  constructor(gold: ReadonlyMap<string, string | null>, set: LabelledSet, settings: IncidentMergeSettings | null = null) {
    this.#gold = gold;
    this.#nlp = set.nlp;
    this.#config = set.config;
    this.#settings = settings;
  }

  batch<T>(work: () => Promise<T>): Promise<T> {
    return this.#inner.batch(work);
  }
  storyCandidates(...args: Parameters<DedupIndex['storyCandidates']>) {
    return this.#inner.storyCandidates(...args);
  }
  addToStory(...args: Parameters<DedupIndex['addToStory']>) {
    return this.#inner.addToStory(...args);
  }
  // No refutations and no analysts' pins in a labelled set.
  refutationCandidates() {
    return this.#inner.refutationCandidates();
  }
  incidentPins() {
    return this.#inner.incidentPins();
  }
  async incidentCandidates(query: IncidentCandidateQuery): Promise<readonly IncidentCandidate[]> {
    const candidates = await this.#inner.incidentCandidates(query);
    this.#last = { query, candidates };
    return candidates;
  }
  async addIncidentReport(report: IncidentReport): Promise<void> {
    const gold = this.#gold.get(report.postId);
    const incidentId = gold ? `gold:${gold}` : report.incidentId;
    const seenAt = Date.parse(report.seenAt);
    // The categories the dedup stage read for this report (its alternatives included), else the related ones.
    const related = this.#last?.query.broadCategories ?? relatedCategoriesOf(this.#config.dedup, report.category);
    const ours = reportKeysOf(report.placeKeys, this.#last?.query.placeKeys ?? [], this.#nlp.termWeights, report.category, related);
    for (const candidate of this.#last?.candidates ?? []) {
      const window = reportWindow(this.#config.dedup, candidate, ours, seenAt, this.#nlp.termWeights);
      if (window === null) continue;
      const x = incidentFeatures(candidate, ours, { weights: this.#nlp.termWeights, windowHours: window, areaWideHours: this.#config.dedup.areaWideHours, areaWideHoursByKind: this.#config.dedup.areaWideHoursByKind, seenAt });
      if (typeof x !== 'string') this.examples.push({ x, y: candidate.id === incidentId ? 1 : 0 });
    }
    if (this.#seen.has(incidentId)) {
      this.retrieval.due++;
      if (this.#last?.candidates.some((c) => c.id === incidentId)) this.retrieval.offered++;
      if (this.#settings) {
        const outcome = this.#outcome(this.#last?.candidates ?? [], incidentId, ours, seenAt, this.#settings);
        this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
        this.log.push({ postId: report.postId, gold: incidentId, outcome });
      }
    }
    this.reported.add(report.postId);
    this.#seen.add(incidentId);
    this.#last = null;
    await this.#inner.addIncidentReport({ ...report, incidentId });
  }

  /**
   * Why the report would or would not join its gold incident. A veto's cause is found by lifting one
   * rule at a time (categories, then houses, topics and routes) and asking the score again, so it
   * follows the score's own rules rather than restating them.
   */
  #outcome(candidates: readonly IncidentCandidate[], goldId: string, ours: ReportKeys, seenAt: number, settings: IncidentMergeSettings): Outcome {
    const gold = candidates.find((c) => c.id === goldId);
    if (!gold) return 'not among the candidates';
    const contextOf = (candidate: IncidentCandidate) => {
      const window = reportWindow(this.#config.dedup, candidate, ours, seenAt, this.#nlp.termWeights);
      return window === null ? null : { weights: this.#nlp.termWeights, windowHours: window, areaWideHours: this.#config.dedup.areaWideHours, areaWideHoursByKind: this.#config.dedup.areaWideHoursByKind, seenAt };
    };
    const context = contextOf(gold);
    if (context === null) return 'outside the time window';
    const verdict = incidentFeatures(gold, ours, context);
    if (verdict === 'same-story' || verdict === 'same-area-wide') return 'joined: same story or area-wide rule';
    if (verdict !== 'veto') {
      if ((incidentProbability(gold, ours, context, settings) ?? 0) >= settings.threshold) return 'joined: score';
      // As the dedup stage does: the feed's one incident of the trouble, when it is the only one.
      const threads = candidates.filter((c) => {
        const own = contextOf(c);
        return own !== null && incidentProbability(c, ours, own, settings) !== null && sameThread(c, ours, this.#nlp.termWeights);
      });
      return threads.length === 1 && threads[0] === gold ? 'joined: the one incident of its trouble in its feed' : 'score below threshold';
    }
    const anyCategory = { ...ours, related: this.#nlp.taxonomy.categories.map((c) => c.id) };
    if (incidentFeatures(gold, anyCategory, context) !== 'veto') return 'veto: unrelated category';
    if (incidentFeatures(gold, { ...anyCategory, addrs: [] }, context) !== 'veto') return 'veto: another house';
    if (incidentFeatures(gold, { ...anyCategory, addrs: [], topics: [] }, context) !== 'veto') return 'veto: no topic in common';
    if (incidentFeatures(gold, { ...anyCategory, addrs: [], topics: [], routes: [] }, context) !== 'veto') return 'veto: another route';
    return 'veto: another municipality or area';
  }
}

/** Runs the set through the pipeline with every report filed under its gold incident. */
const teach = async (set: LabelledSet, settings: IncidentMergeSettings | null = null): Promise<TeacherIndex> => {
  const gold = new Map(set.reports.map((r) => [postIdOf(r.source, r.id), r.incident]));
  const index = new TeacherIndex(gold, set, settings);
  const ordered = [...set.reports].sort((a, b) => a.published_at.localeCompare(b.published_at));
  await analyzeLines(
    createAnalyzer({ config: set.config, nlp: set.nlp, logger: silentLogger, dedupIndex: index }),
    ordered.map(({ incident: _gold, ...post }) => JSON.stringify(post)),
  );
  return index;
};

const collectExamples = async (set: LabelledSet): Promise<Example[]> => {
  const index = await teach(set);
  console.log(`${set.name}: candidate lookup offered the gold incident to ${index.retrieval.offered} of ${index.retrieval.due} reports that had one`);
  return index.examples;
};

/**
 * Where recall goes, with the settings: each report whose gold incident already had a report,
 * judged against that incident alone (as if every earlier report had been filed right), and the
 * posts of gold incidents that the pipeline read as no problem at all.
 */
const printOutcomes = async (set: LabelledSet, settings: IncidentMergeSettings): Promise<void> => {
  const index = await teach(set, settings);
  const members = set.reports.filter((r) => r.incident !== null);
  const unreported = members.filter((r) => !index.reported.has(postIdOf(r.source, r.id))).length;
  const total = [...index.outcomes.values()].reduce((a, b) => a + b, 0);
  console.log(`${set.name}: ${total} reports whose gold incident already had one; ${unreported} of ${members.length} gold-incident posts read as no problem`);
  for (const [outcome, n] of [...index.outcomes].sort((a, b) => b[1] - a[1])) console.log(`  ${outcome}: ${n}`);
  if (!values.list) return;
  const texts = new Map(set.reports.map((r) => [postIdOf(r.source, r.id), r]));
  for (const { postId, gold, outcome } of index.log) {
    if (outcome.startsWith('joined')) continue;
    const r = texts.get(postId);
    console.log(`    ${r?.id ?? postId} ${gold.replace(/^gold:/, '')}: ${outcome}\n      ${(r?.text ?? '').slice(0, 140).replace(/\s+/g, ' ')}`);
  }
};

/** Batch gradient descent on the balanced log loss; a handful of dense features, so plain is enough. */
const fitLogistic = (examples: readonly Example[], l2: number): Float64Array => {
  const d = INCIDENT_FEATURES.length;
  const w = new Float64Array(d);
  const positives = examples.filter((e) => e.y === 1).length;
  const weightOf = (y: number): number => (y === 1 ? examples.length / (2 * positives) : examples.length / (2 * (examples.length - positives)));
  for (let epoch = 0; epoch < 5_000; epoch++) {
    const grad = new Float64Array(d);
    for (const { x, y } of examples) {
      let z = 0;
      for (let i = 0; i < d; i++) z += (w[i] as number) * (x[i] as number);
      const error = (logistic(z) - y) * weightOf(y);
      for (let i = 0; i < d; i++) grad[i] = (grad[i] as number) + error * (x[i] as number);
    }
    // The bias is not shrunk.
    for (let i = 0; i < d; i++) w[i] = (w[i] as number) - 0.5 * ((grad[i] as number) / examples.length + (i === 0 ? 0 : l2 * (w[i] as number)));
  }
  return w;
};

const objective = (s: Pick<IncidentScore, 'precision' | 'recall'>): number => {
  if (s.precision >= floor) return 1 + s.recall;
  const b2 = Number(values.beta) ** 2;
  return s.precision + s.recall === 0 ? 0 : ((1 + b2) * s.precision * s.recall) / (b2 * s.precision + s.recall);
};

const scoreWith = (set: LabelledSet, settings: IncidentMergeSettings): Promise<IncidentScore> =>
  scoreIncidents(set.reports, { ...set.config, dedup: { ...set.config.dedup, incidentMerge: { ...set.config.dedup.incidentMerge, ...settings } } }, set.nlp);

/** Pairs pooled over sets: a big set counts for more than a small one. */
const pooled = (scores: readonly IncidentScore[]): Pick<IncidentScore, 'precision' | 'recall'> => {
  let hits = 0;
  let predicted = 0;
  let gold = 0;
  for (const s of scores) {
    hits += s.recall * s.goldPairs;
    predicted += s.predictedPairs;
    gold += s.goldPairs;
  }
  return { precision: predicted === 0 ? 1 : hits / predicted, recall: gold === 0 ? 1 : hits / gold };
};
const figures = (s: Pick<IncidentScore, 'precision' | 'recall'>): string => `precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)}`;

// Finer near the top, where a precision floor usually puts the threshold.
const GRID = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99];

/** Fits weights on the examples and picks the threshold on the sets' pooled pairs. */
const fit = async (examples: readonly Example[], on: readonly LabelledSet[], log: boolean): Promise<IncidentMergeSettings> => {
  const fitted = fitLogistic(examples, Number(values.l2));
  const weights = Object.fromEntries(INCIDENT_FEATURES.map((name, i) => [name, Math.round((fitted[i] as number) * 100) / 100])) as unknown as IncidentMergeWeights;
  let best: { threshold: number; score: Pick<IncidentScore, 'precision' | 'recall'> } | null = null;
  for (const threshold of GRID) {
    const each = [];
    for (const set of on) each.push(await scoreWith(set, { threshold, weights }));
    const score = pooled(each);
    if (log) console.log(`threshold ${threshold.toFixed(2)}: pooled ${figures(score)}`);
    if (!best || objective(score) > objective(best.score)) best = { threshold, score };
  }
  return { threshold: (best as { threshold: number }).threshold, weights };
};

if (values.explain) {
  for (const set of [...sets, heldOut]) await printOutcomes(set, base.dedup.incidentMerge);
  process.exit(0);
}

const examplesBySet = [];
for (const set of sets) examplesBySet.push(await collectExamples(set));
const examples = examplesBySet.flat();
console.log(`examples: ${examples.length} (report, candidate) pairs, ${examples.filter((e) => e.y === 1).length} of one incident`);
const settings = await fit(examples, sets, true);
console.log(`chosen threshold ${settings.threshold}`);
const scores = [];
for (const set of sets) {
  const score = await scoreWith(set, settings);
  scores.push(score);
  console.log(`${set.name}: ${figures(score)} (${score.goldPairs} gold pairs)`);
}
console.log(`pooled over the fitted sets: ${figures(pooled(scores))}`);
console.log(`${heldOut.name} (held out, reported only): ${figures(await scoreWith(heldOut, settings))}`);
if (values.loso) {
  // Each set scored by a fit that never saw it: how the fit itself generalises (the rules were still
  // written from these sets, so this is an upper bound for texts nobody has read).
  const left = [];
  for (let k = 0; k < sets.length; k++) {
    const own = await fit(examplesBySet.flatMap((e, i) => (i === k ? [] : e)), sets.filter((_, i) => i !== k), false);
    const score = await scoreWith(sets[k] as LabelledSet, own);
    left.push(score);
    console.log(`left out ${(sets[k] as LabelledSet).name}: threshold ${own.threshold}, ${figures(score)}`);
  }
  console.log(`leave-one-set-out, pooled: ${figures(pooled(left))}`);
}
console.log(JSON.stringify({ threshold: settings.threshold, anyCategory: base.dedup.incidentMerge.anyCategory, weights: settings.weights }, null, 2));
