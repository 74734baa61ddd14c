/** How `radar train` and `radar evaluate` print a classifier's evaluation, whichever encoder is behind it. */
import type { NlpToolkit } from '../nlp/contract.js';
import type { EvaluationReport } from '../nlp/model/index.js';
import { print } from './print.js';

export const pct = (x: number): string => x.toFixed(3);

/** Category ids to their labels, to name the classes in the report. */
export const labelsOf = (nlp: NlpToolkit): Record<string, string> => Object.fromEntries(nlp.taxonomy.categories.map((c) => [c.id, c.label]));

export const printReport = (report: EvaluationReport, labels: Readonly<Record<string, string>>): void => {
  print(`posts: ${report.posts}`);
  const ip = report.isProblem;
  print(`is_problem: precision ${pct(ip.precision)}  recall ${pct(ip.recall)}  F1 ${pct(ip.f1)}  (support ${ip.support})`);
  print(`category (on gold problem spans): macro-F1 ${pct(report.category.macroF1)}  accuracy ${pct(report.category.accuracy)}  ECE ${pct(report.category.ece)}`);
  print('  class          precision recall  F1     support');
  for (const [id, m] of Object.entries(report.category.perClass)) {
    print(`  ${`${id} (${labels[id] ?? id})`.padEnd(30).slice(0, 30)} ${pct(m.precision)}   ${pct(m.recall)}  ${pct(m.f1)}  ${m.support}`);
  }
  const ids = Object.keys(report.category.perClass);
  print(`confusion (rows gold, columns predicted): ${ids.map((id) => id.slice(0, 5)).join(' ')}`);
  for (const g of ids) {
    const row = report.category.confusion[g] ?? {};
    print(`  ${g.slice(0, 9).padEnd(9)} ${ids.map((p) => String(row[p] ?? 0).padStart(5)).join(' ')}`);
  }
  print('calibration (confidence bin: mean confidence -> accuracy, count):');
  for (const bin of report.category.calibration) print(`  ${bin.from.toFixed(1)}-${bin.to.toFixed(1)}: ${pct(bin.confidence)} -> ${pct(bin.accuracy)} (${bin.count})`);
  print(`urgency: accuracy ${pct(report.urgency.accuracy)}; high: precision ${pct(report.urgency.high.precision)} recall ${pct(report.urgency.high.recall)} F1 ${pct(report.urgency.high.f1)}`);
};
