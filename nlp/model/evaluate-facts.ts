/** Fact extraction quality on the annotated fact set (fixtures/corpus/facts.jsonl). */
import { z } from 'zod';
import { readJsonl } from '../../core/jsonl.js';
import type { NlpToolkit } from '../contract.js';
import type { ClassMetrics } from './evaluate.js';

const factSetSchema = z.object({
  id: z.string(),
  text: z.string(),
  facts: z.object({
    addresses: z.array(z.object({ text: z.string(), street: z.string().optional(), house: z.string().optional(), settlement: z.string().optional() })).default([]),
    organizations: z.array(z.object({ text: z.string() })).default([]),
    dates: z.array(z.object({ text: z.string() })).default([]),
    phones: z.array(z.object({ text: z.string(), normalized: z.string().optional() })).default([]),
  }),
});

export type AnnotatedPost = z.infer<typeof factSetSchema>;

export const loadFactSet = (path: string): AnnotatedPost[] => readJsonl(path, factSetSchema);

export interface FactReport {
  readonly posts: number;
  /** Street + house pairs, compared in canonical form. */
  readonly addresses: ClassMetrics;
  /** Streets alone (addresses with or without a house). */
  readonly streets: ClassMetrics;
  /** Organisations, dates and phones: a prediction counts when its span overlaps a gold span. */
  readonly organizations: ClassMetrics;
  readonly dates: ClassMetrics;
  readonly phones: ClassMetrics;
}

const key = (s: string): string => s.toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ').trim();

const score = (tp: number, predicted: number, gold: number): ClassMetrics => {
  const precision = predicted === 0 ? 0 : tp / predicted;
  const recall = gold === 0 ? 0 : tp / gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { precision: r(precision), recall: r(recall), f1: r(f1), support: gold };
};

/** Multiset matching: each gold item can be matched once. */
const matchCount = (predicted: readonly string[], gold: readonly string[]): number => {
  const left = new Map<string, number>();
  for (const g of gold) left.set(g, (left.get(g) ?? 0) + 1);
  let tp = 0;
  for (const p of predicted) {
    const n = left.get(p) ?? 0;
    if (n > 0) {
      tp++;
      left.set(p, n - 1);
    }
  }
  return tp;
};

/** Overlap matching on text positions, for facts whose exact borders are a matter of taste. */
const overlapCount = (text: string, predicted: readonly { start: number; end: number }[], gold: readonly string[]): number => {
  const goldSpans: { start: number; end: number; used: boolean }[] = [];
  for (const g of gold) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(g, from);
      if (at < 0) break;
      if (!goldSpans.some((s) => s.start === at)) {
        goldSpans.push({ start: at, end: at + g.length, used: false });
        break;
      }
      from = at + 1;
    }
  }
  let tp = 0;
  for (const p of predicted) {
    const hit = goldSpans.find((g) => !g.used && p.start < g.end && g.start < p.end);
    if (hit) {
      hit.used = true;
      tp++;
    }
  }
  return tp;
};

export const evaluateFacts = (posts: readonly AnnotatedPost[], nlp: NlpToolkit): FactReport => {
  const totals = { addr: [0, 0, 0], street: [0, 0, 0], org: [0, 0, 0], date: [0, 0, 0], phone: [0, 0, 0] } as Record<string, [number, number, number]>;
  const add = (name: string, tp: number, predicted: number, gold: number) => {
    const t = totals[name] as [number, number, number];
    t[0] += tp;
    t[1] += predicted;
    t[2] += gold;
  };
  for (const post of posts) {
    const doc = nlp.normalizer.normalize(post.text);
    const facts = nlp.extractor.extract(doc);
    const predictedAddr = facts.addresses.filter((a) => a.street && a.house).map((a) => `${key(a.street ?? '')}|${key(a.house ?? '')}`);
    const goldAddr = post.facts.addresses.filter((a) => a.street && a.house).map((a) => `${key(a.street ?? '')}|${key(a.house ?? '')}`);
    add('addr', matchCount(predictedAddr, goldAddr), predictedAddr.length, goldAddr.length);
    const predictedStreets = facts.addresses.filter((a) => a.street).map((a) => key(a.street ?? ''));
    const goldStreets = post.facts.addresses.filter((a) => a.street).map((a) => key(a.street ?? ''));
    add('street', matchCount(predictedStreets, goldStreets), predictedStreets.length, goldStreets.length);
    // Spans point into the cleaned text; the fact set's texts are plain, so clean == text in practice.
    add('org', overlapCount(doc.clean, facts.organizations.map((f) => f.span), post.facts.organizations.map((f) => f.text)), facts.organizations.length, post.facts.organizations.length);
    // The fact set annotates calendar dates only; relative mentions and durations are judged elsewhere.
    const calendar = facts.dates.filter((f) => f.kind === 'date');
    add('date', overlapCount(doc.clean, calendar.map((f) => f.span), post.facts.dates.map((f) => f.text)), calendar.length, post.facts.dates.length);
    add('phone', overlapCount(doc.clean, facts.phones.map((f) => f.span), post.facts.phones.map((f) => f.text)), facts.phones.length, post.facts.phones.length);
  }
  const m = (name: string) => score(...(totals[name] as [number, number, number]));
  return { posts: posts.length, addresses: m('addr'), streets: m('street'), organizations: m('org'), dates: m('date'), phones: m('phone') };
};
