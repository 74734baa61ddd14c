/**
 * The rules of analysts' merges and splits that do not depend on how incidents are kept: which
 * edits are refused and with what errors, which reports a split moves, the new incident's id and
 * how posts' problems follow their reports. Shared by the backends so that the API gives one
 * answer whichever store is behind it.
 */
import { ValidationError } from '../core/errors.js';
import { makeId } from '../core/ids.js';
import type { Problem } from '../core/types.js';
import type { ReportRef } from './contract.js';

/** One report of one post; the Elasticsearch backend also uses it as the report document's id. */
export const reportKeyOf = (postId: string, problemIndex: number): string => `${postId}#${problemIndex}`;

const describe = (r: ReportRef): string => `post ${JSON.stringify(r.postId)} problem ${r.problemIndex}`;

export const noMergeSourcesError = (): ValidationError =>
  new ValidationError('Invalid merge: expected at least one incident id to merge into the target, got none', [{ path: 'incident_ids', message: 'expected at least one incident id' }]);

/** `at` is the position of `id` in the request's list. */
export const selfMergeError = (id: string, at: number, targetId: string): ValidationError =>
  new ValidationError(`Invalid merge: cannot merge incident ${JSON.stringify(id)} into itself`, [
    { path: `incident_ids.${at}`, message: `expected an incident other than the target ${targetId}, got the target itself` },
  ]);

export const noSplitReportsError = (): ValidationError =>
  new ValidationError('Invalid split: expected at least one report to move to a new incident, got none', [{ path: 'reports', message: 'expected at least one report' }]);

/** `owner` is the incident the report belongs to, undefined when it belongs to none; `at` is its position in the request's list. */
export const foreignReportError = (incidentId: string, ref: ReportRef, at: number, owner: string | undefined): ValidationError =>
  new ValidationError(
    `Invalid split: expected reports of incident ${incidentId}, got ${describe(ref)}, ${owner === undefined ? 'which is not a report of any incident' : `a report of ${owner}`}`,
    [{ path: `reports.${at}`, message: `not a report of ${incidentId}` }],
  );

export interface SplitPlan<R> {
  readonly moving: R[];
  readonly staying: R[];
  /** Derived from the incident and the reports moved, so that the same split made again names the same incident. */
  readonly createdId: string;
}

/**
 * Divides an incident's reports by the refs an analyst picked (all of them its own, checked before).
 * Refuses a split that would leave the incident empty: that is a merge into another incident.
 */
export const planSplit = <R extends ReportRef>(incidentId: string, reports: readonly R[], refs: readonly ReportRef[]): SplitPlan<R> => {
  const wanted = new Set(refs.map((r) => reportKeyOf(r.postId, r.problemIndex)));
  const moving = reports.filter((r) => wanted.has(reportKeyOf(r.postId, r.problemIndex)));
  const staying = reports.filter((r) => !wanted.has(reportKeyOf(r.postId, r.problemIndex)));
  if (staying.length === 0) {
    throw new ValidationError(
      `Invalid split: expected to leave at least one of the ${reports.length} reports in incident ${incidentId}, got all of them; merge instead if another incident should hold them`,
      [{ path: 'reports', message: `lists every report of ${incidentId}` }],
    );
  }
  const first = [...wanted].sort()[0] as string;
  return { moving, staying, createdId: makeId('inc', `split:${incidentId}:${first}`) };
};

/**
 * The problems of each post among `reports`, pointed at the incident the reports moved to, so that
 * post views agree with the incident's. `problemsOf` gives a post's stored problems, undefined for
 * a post without an analysis (left alone).
 */
export const relabelledProblems = (
  reports: readonly ReportRef[],
  incidentId: string,
  problemsOf: (postId: string) => readonly Problem[] | undefined,
): [postId: string, problems: Problem[]][] => {
  const byPost = new Map<string, Set<number>>();
  for (const r of reports) byPost.set(r.postId, (byPost.get(r.postId) ?? new Set()).add(r.problemIndex));
  return [...byPost].flatMap(([postId, indexes]): [string, Problem[]][] => {
    const problems = problemsOf(postId);
    return problems ? [[postId, problems.map((p) => (indexes.has(p.index) ? { ...p, incidentId } : p))]] : [];
  });
};
