import type { AddressFact, Facts, LocationFact, Problem, Span, Urgency } from '../core/types.js';
import { areaWideKind, outageReply } from './area-wide.js';
import type { FactExtractor, NormalizedDoc, Segment, SegmentClassification, Token } from './contract.js';
import { overlaps } from './facts/span.js';
import { problemTopicKeys } from './topics.js';

const RANK: Readonly<Record<Urgency, number>> = { low: 0, medium: 1, high: 2 };

export interface AssembleOptions {
  /** Fallback category id: such segments join a neighbouring problem instead of standing alone. */
  readonly fallback?: string;
  /** Non-problem segments allowed between two segments that still merge. */
  readonly maxGap?: number;
}

interface Draft {
  start: number;
  end: number;
  category: string;
  confidence: number;
  urgency: Urgency;
  lastSegment: number;
  /** Names no trouble of its own, worked out when a next segment asks. */
  placeOnly?: boolean;
}

const nearest = <T extends { readonly span: Span }>(items: readonly T[], span: Span): T | undefined => {
  let best: T | undefined;
  let bestDistance = Infinity;
  for (const item of items) {
    const d = item.span.end <= span.start ? span.start - item.span.end : Math.max(0, item.span.start - span.end);
    if (d < bestDistance) {
      best = item;
      bestDistance = d;
    }
  }
  return best;
};

/**
 * A segment that names no trouble of its own ("Мончегорская, Лескова — у всех так?", "у нас до сих
 * пор нет") goes on about the problem before it, whatever category its few words suggest.
 */
const namesNoTrouble = (tokens: readonly Token[]): boolean => problemTopicKeys(tokens).length === 0 && areaWideKind(tokens) === null;

const tokensIn = (doc: NormalizedDoc, start: number, end: number): Token[] => doc.tokens.filter((t) => t.span.start >= start && t.span.end <= end);

/** A draft that names no trouble and is no reply in an outage thread either ("Юбилейная нет."). */
const onlyPlace = (doc: NormalizedDoc, draft: Draft): boolean => {
  const tokens = tokensIn(doc, draft.start, draft.end);
  return namesNoTrouble(tokens) && !outageReply(tokens);
};

/**
 * Two neighbours that name the same trouble, one of them filed with little confidence, are one
 * complaint whatever categories the classifier gave them ("Ну и где обещанный отлов? вчера опять
 * эти собаки у пруда"). Two sure ones stay two: a school's cold classrooms are not the district's
 * cold radiators the next sentence reports.
 */
const UNSURE = 0.5;
const sameTrouble = (doc: NormalizedDoc, draft: Draft, segment: Segment): boolean => {
  const before = problemTopicKeys(tokensIn(doc, draft.start, draft.end));
  if (before.length === 0) return false;
  const after = problemTopicKeys(tokensIn(doc, segment.span.start, segment.span.end));
  return after.some((topic) => before.includes(topic));
};

/**
 * Builds problems from classified segments: keeps problem segments, merges neighbours of the same
 * category (and fallback-category segments, which usually continue the previous complaint:
 * "Нет воды третий день. Сколько можно?!"), attaches the facts inside each span and, when a problem
 * names no address or municipality, borrows the post-level one that no other problem claims
 * (a post usually names the place once), else the nearest.
 */
export const assembleProblems = (
  doc: NormalizedDoc,
  segments: readonly Segment[],
  classifications: readonly SegmentClassification[],
  extractor: FactExtractor,
  options: AssembleOptions = {},
): Problem[] => {
  const fallback = options.fallback ?? 'other';
  const maxGap = options.maxGap ?? 2;
  const drafts: Draft[] = [];
  segments.forEach((segment, i) => {
    const c = classifications[i];
    if (!c || !c.isProblem) return;
    const prev = drafts[drafts.length - 1];
    const close = prev !== undefined && i - prev.lastSegment - 1 <= maxGap;
    // Worked out once, and only when the categories alone do not decide.
    let silent: boolean | undefined;
    const segmentSilent = (): boolean => (silent ??= namesNoTrouble(tokensIn(doc, segment.span.start, segment.span.end)));
    // An opening that only names the place ("Мещерка, ул. Карла Маркса 56.") is where the next
    // segment's trouble is, whatever category its few words suggest: it takes the next one's.
    const placeOnly = prev !== undefined && close && prev.category !== c.category && (prev.placeOnly ??= onlyPlace(doc, prev)) && !segmentSilent();
    // One trouble in two segments, the classifier unsure of one: the surer one's category stands.
    // Not across a contrast inside a sentence: "В Нижнем уже топят, а у нас батареи холодные" sets two places apart.
    // Worked out only when nothing else merges them, or the category depends on it.
    let one: boolean | undefined;
    const oneTrouble = (): boolean =>
      (one ??=
        prev !== undefined && close && prev.category !== c.category && Math.min(prev.confidence, c.confidence) < UNSURE && doc.sentences.some((x) => x.span.start === segment.span.start) && sameTrouble(doc, prev, segment));
    if (prev && close && (prev.category === c.category || c.category === fallback || prev.category === fallback || placeOnly || segmentSilent() || oneTrouble())) {
      if (prev.category === fallback || placeOnly || (c.category !== fallback && c.confidence > prev.confidence && oneTrouble())) {
        prev.category = c.category;
        prev.confidence = c.confidence;
      } else if (c.category === prev.category) {
        prev.confidence = Math.max(prev.confidence, c.confidence);
      }
      prev.end = segment.span.end;
      prev.placeOnly = undefined;
      if (RANK[c.urgency] > RANK[prev.urgency]) prev.urgency = c.urgency;
      prev.lastSegment = i;
      return;
    }
    drafts.push({ start: segment.span.start, end: segment.span.end, category: c.category, confidence: c.confidence, urgency: c.urgency, lastSegment: i });
  });
  if (drafts.length === 0) return [];

  const post = extractor.extract(doc);
  const spans: Span[] = drafts.map((d) => ({ start: d.start, end: d.end }));
  const own = spans.map((span) => extractor.extract(doc, span));
  const borrow = <T extends AddressFact | LocationFact>(items: readonly T[], index: number): T[] => {
    if (items.length === 0) return [];
    const span = spans[index] as Span;
    const free = items.filter((f) => !spans.some((s, k) => k !== index && overlaps(f.span, s)));
    if (free.length > 0) return free;
    const near = nearest(items, span);
    return near ? [near] : [];
  };

  return drafts.map((d, index) => {
    const span = spans[index] as Span;
    const facts = own[index] as Facts;
    const merged: Facts = {
      ...facts,
      addresses: facts.addresses.length > 0 ? facts.addresses : borrow(post.addresses, index),
      locations: facts.locations.length > 0 ? facts.locations : borrow(post.locations, index),
    };
    return {
      index,
      text: doc.clean.slice(span.start, span.end),
      span,
      category: d.category,
      confidence: d.confidence,
      urgency: d.urgency,
      facts: merged,
    };
  });
};
