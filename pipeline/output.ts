/** The public `radar analyze` output line. Field names and shapes are a stable contract. */
import type { FakeAssessment, Facts, Problem } from '../core/types.js';

export interface AnalysisView {
  readonly isProblem: boolean;
  readonly problems: readonly Problem[];
  readonly facts: Facts;
  readonly storyId: string;
  readonly fake: FakeAssessment;
}

export interface AnalyzeOutput {
  readonly id: string;
  readonly is_problem: boolean;
  readonly problems: readonly {
    readonly text: string;
    readonly category: string;
    readonly confidence: number;
    readonly urgency: string;
    readonly facts: Facts;
    readonly incident_id: string | null;
  }[];
  readonly facts: Facts;
  readonly story_id: string;
  readonly incident_id: string | null;
  readonly fake_risk: FakeAssessment;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export const toAnalyzeOutput = (id: string, view: AnalysisView): AnalyzeOutput => ({
  id,
  is_problem: view.isProblem,
  problems: view.problems.map((p) => ({
    text: p.text,
    category: p.category,
    confidence: round(p.confidence),
    urgency: p.urgency,
    facts: p.facts,
    incident_id: p.incidentId ?? null,
  })),
  facts: view.facts,
  story_id: view.storyId,
  incident_id: view.problems[0]?.incidentId ?? null,
  fake_risk: { score: round(view.fake.score), level: view.fake.level, reasons: view.fake.reasons },
});
