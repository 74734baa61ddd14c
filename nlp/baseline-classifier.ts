import type { NormalizedDoc, Segment, SegmentClassification, Taxonomy, TextClassifier } from './contract.js';
import { categoryLexiconIndex, complaintIn } from './cues.js';
import { matchesIn, matchesWithin } from './doc-cache.js';
import { tokenRange } from './lexicon.js';
import type { SignalKind } from './signal-lexicon.js';
import { signalLexicon } from './cues.js';
import { urgencyOf } from './urgency.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Weights of the relevance logit; set by hand on example posts, replaced by trained models later. */
const W = { complaint: 1.4, topic: 0.35, nonProblem: 1.1, question: 0.4, bias: -1.9 } as const;

export interface CategoryScores {
  readonly scores: ReadonlyMap<string, number>;
  readonly best: string;
  readonly confidence: number;
}

/**
 * Keyword classifier. Category: the highest summed keyword weight among the taxonomy's categories
 * (ids without a lexicon never win; no evidence → fallback). Confidence: best / (total + 1), so one
 * weak keyword gives ~0.5 and several agreeing keywords approach 1. Relevance: logistic of complaint
 * cues, topical evidence and non-problem cues (ads, thanks, greetings, news wording).
 */
export class BaselineClassifier implements TextClassifier {
  readonly version = 'baseline-lexicon-1';
  private readonly known: ReadonlySet<string>;

  constructor(private readonly taxonomy: Taxonomy) {
    this.known = new Set(taxonomy.categories.map((c) => c.id));
  }

  classify(doc: NormalizedDoc, segments: readonly Segment[]): readonly SegmentClassification[] {
    return segments.map((segment) => this.classifySegment(doc, segment));
  }

  categorize(doc: NormalizedDoc, lo: number, hi: number): CategoryScores {
    const scores = new Map<string, number>();
    for (const m of matchesWithin(matchesIn(doc, categoryLexiconIndex), lo, hi)) {
      if (!this.known.has(m.payload.category)) continue;
      scores.set(m.payload.category, (scores.get(m.payload.category) ?? 0) + m.payload.weight);
    }
    let best = this.taxonomy.fallback;
    let top = 0;
    let total = 0;
    // Taxonomy order breaks ties, so results do not depend on Map insertion order.
    for (const c of this.taxonomy.categories) {
      const s = scores.get(c.id) ?? 0;
      total += s;
      if (s > top) {
        top = s;
        best = c.id;
      }
    }
    const confidence = top > 0 ? top / (total + 1) : 0.5;
    return { scores, best, confidence: Math.min(0.99, Math.max(0.05, confidence)) };
  }

  private classifySegment(doc: NormalizedDoc, segment: Segment): SegmentClassification {
    const [lo, hi] = tokenRange(doc.tokens, segment.span.start, segment.span.end);
    if (hi <= lo) {
      return { isProblem: false, relevance: 0, category: this.taxonomy.fallback, confidence: 0.5, urgency: 'low' };
    }
    const { scores, best, confidence } = this.categorize(doc, lo, hi);
    const complaint = complaintIn(doc, lo, hi);
    const nonProblem = this.nonProblem(doc, lo, hi);
    const topic = scores.get(best) ?? 0;
    const question = segment.text.includes('?') && complaint > 0 ? 1 : 0;
    const z =
      W.complaint * Math.min(complaint, 4) +
      W.topic * Math.min(topic, 4) +
      W.question * question -
      W.nonProblem * Math.min(nonProblem, 4) +
      W.bias;
    const relevance = complaint > 0 ? sigmoid(z) : Math.min(sigmoid(z), 0.3);
    const isProblem = relevance >= 0.5;
    return {
      isProblem,
      relevance: Math.round(relevance * 1000) / 1000,
      category: best,
      confidence: Math.round(confidence * 1000) / 1000,
      urgency: isProblem ? urgencyOf(doc, lo, hi) : 'low',
    };
  }

  private nonProblem(doc: NormalizedDoc, lo: number, hi: number): number {
    const tokens = doc.tokens;
    const sums: Partial<Record<SignalKind, number>> = {};
    for (const m of matchesWithin(matchesIn(doc, signalLexicon), lo, hi)) {
      const kind = m.payload.kind;
      if (kind === 'complaint' || kind === 'negation') continue;
      // "не починили", "не дали" are complaints, not thanks.
      if (tokens[m.start - 1]?.norm === 'не') continue;
      sums[kind] = (sums[kind] ?? 0) + m.payload.weight;
    }
    // Each kind saturates, so a long ad does not outweigh everything by sheer length.
    return Object.values(sums).reduce((acc, v) => acc + Math.min(v ?? 0, 3), 0);
  }
}
