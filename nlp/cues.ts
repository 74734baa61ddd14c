import type { NormalizedDoc } from './contract.js';
import { categoryLexicon } from './category-lexicon.js';
import { matchesIn } from './doc-cache.js';
import { Lexicon } from './lexicon.js';
import { serviceVerbs, signalTerms, type Signal } from './signal-lexicon.js';

/** Shared lexicons, built once per process: stemming the dictionaries is the expensive part. */
export const signalLexicon = new Lexicon<Signal>(signalTerms);
export const serviceLexicon = new Lexicon<true>(serviceVerbs.map((v) => [v, true] as const));

export interface CategoryHit {
  readonly category: string;
  readonly weight: number;
}

export const categoryLexiconIndex = new Lexicon<CategoryHit>(
  Object.entries(categoryLexicon).flatMap(([category, terms]) => terms.map(([term, weight]) => [term, { category, weight }] as const)),
);

const NEGATIONS = new Set(['не', 'нет', 'нету', 'без', 'ни']);

export const isNegation = (norm: string): boolean => NEGATIONS.has(norm);

/**
 * Per-token flags of a doc: does the token carry a complaint cue, and is it a service/category word.
 * A negation counts as a cue only near a service verb or category word ("нет воды", "не вывозят",
 * "воды нет"), so "не знаю" or "нет слов" alone do not make a complaint.
 */
export interface CueMap {
  readonly complaint: Float32Array;
  readonly topical: Uint8Array;
}

const cueCache = new WeakMap<NormalizedDoc, CueMap>();

export const cueMap = (doc: NormalizedDoc): CueMap => {
  const hit = cueCache.get(doc);
  if (hit) return hit;
  const n = doc.tokens.length;
  const complaint = new Float32Array(n);
  const topical = new Uint8Array(n);
  for (const m of matchesIn(doc, categoryLexiconIndex)) for (let k = m.start; k < m.end; k++) topical[k] = 1;
  for (const m of matchesIn(doc, serviceLexicon)) for (let k = m.start; k < m.end; k++) topical[k] = 2;
  for (const m of matchesIn(doc, signalLexicon)) {
    if (m.payload.kind === 'complaint') complaint[m.start] = Math.max(complaint[m.start] ?? 0, m.payload.weight);
  }
  for (let i = 0; i < n; i++) {
    if (!isNegation((doc.tokens[i] as { norm: string }).norm)) continue;
    let found = false;
    for (let j = i + 1; j <= i + 3 && j < n && !found; j++) found = (topical[j] ?? 0) > 0;
    for (let j = i - 1; j >= i - 2 && j >= 0 && !found; j--) found = (topical[j] ?? 0) === 1;
    if (found) complaint[i] = Math.max(complaint[i] ?? 0, 1.5);
  }
  const out = { complaint, topical };
  cueCache.set(doc, out);
  return out;
};

export const complaintIn = (doc: NormalizedDoc, lo: number, hi: number): number => {
  const { complaint } = cueMap(doc);
  let sum = 0;
  for (let i = lo; i < hi; i++) sum += complaint[i] ?? 0;
  return sum;
};
