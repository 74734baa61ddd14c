/**
 * Incident merging quality on a labelled set (fixtures/incidents/posts.jsonl): the posts go through
 * the same analyzer as `radar analyze`, in publication order, and every pair of problem posts is
 * judged: same predicted incident vs same gold incident.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { splitOf } from '../nlp/model/corpus.js';
import { readJsonl } from '../core/jsonl.js';
import type { RadarConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import type { NlpToolkit } from '../nlp/contract.js';
import { analyzeLines, createAnalyzer } from './analyze.js';

const labelledSchema = z
  .object({ id: z.string(), text: z.string(), source: z.string(), published_at: z.string(), incident: z.string().nullable() })
  .passthrough();
export type LabelledReport = z.infer<typeof labelledSchema>;

export const loadReports = (path: string): LabelledReport[] => readJsonl(path, labelledSchema);

const areasSchema = z.record(z.string(), z.string().min(1));

/**
 * The municipality each source of a labelled set covers (`areas.json` beside the set), as a
 * deployment's sources file would say; empty when the set has none.
 */
export const loadAreas = (setPath: string): Record<string, string> => {
  const path = join(dirname(setPath), 'areas.json');
  if (!existsSync(path)) return {};
  const parsed = areasSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ConfigError(`Expected ${path} to map source ids to municipality names, got: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
};

/**
 * Which half of the set a report is in, by incident, so that every report of one incident is on
 * the same side: weights are fitted on `dev` and only reported on `test`.
 */
export const halfOf = (report: LabelledReport): 'dev' | 'test' =>
  splitOf(report.incident ? `incident:${report.incident}` : report.id, 0.5) === 'train' ? 'dev' : 'test';

export interface IncidentScore {
  readonly posts: number;
  readonly goldPairs: number;
  readonly predictedPairs: number;
  readonly precision: number;
  readonly recall: number;
}

const pairs = (groups: Map<string, string[]>): Set<string> => {
  const out = new Set<string>();
  for (const members of groups.values()) {
    const sorted = [...members].sort();
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) out.add(`${sorted[i]}\u0000${sorted[j]}`);
  }
  return out;
};

const groupBy = (entries: Iterable<[string, string | null]>): Map<string, string[]> => {
  const groups = new Map<string, string[]>();
  for (const [id, key] of entries) {
    if (key === null) continue;
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  return groups;
};

export interface IncidentReport extends IncidentScore {
  /** The half the merge weights were fitted on, and the held-out half. */
  readonly dev: IncidentScore;
  readonly test: IncidentScore;
}

export const evaluateIncidents = async (reports: readonly LabelledReport[], config: RadarConfig, nlp: NlpToolkit): Promise<IncidentReport> => ({
  ...(await scoreIncidents(reports, config, nlp)),
  dev: await scoreIncidents(reports.filter((r) => halfOf(r) === 'dev'), config, nlp),
  test: await scoreIncidents(reports.filter((r) => halfOf(r) === 'test'), config, nlp),
});

export const scoreIncidents = async (reports: readonly LabelledReport[], config: RadarConfig, nlp: NlpToolkit): Promise<IncidentScore> => {
  const ordered = [...reports].sort((a, b) => a.published_at.localeCompare(b.published_at));
  const analyzer = createAnalyzer({ config, nlp, logger: silentLogger });
  const outputs = await analyzeLines(
    analyzer,
    ordered.map(({ incident: _gold, ...post }) => JSON.stringify(post)),
  );
  const predicted = new Map<string, string | null>(outputs.map((out) => [out.id, out.incident_id]));
  const gold = pairs(groupBy(reports.map((r) => [r.id, r.incident])));
  const said = pairs(groupBy(predicted));
  let hits = 0;
  for (const pair of said) if (gold.has(pair)) hits++;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { posts: reports.length, goldPairs: gold.size, predictedPairs: said.size, precision: r(said.size ? hits / said.size : 0), recall: r(gold.size ? hits / gold.size : 0) };
};
