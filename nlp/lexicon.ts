import type { Token } from './contract.js';
import { foldWord } from './fold.js';
import { stem } from './stemmer.js';

/**
 * A tiny phrase matcher over tokens. A term is one or more space-separated elements:
 * `слово` matches tokens with the same stem, `преф*` matches tokens whose normalised form starts
 * with the prefix. Elements of a phrase must appear in order, each within `gap` tokens of the
 * previous one, so "не вывозят мусор" also matches "не вывозят у нас мусор".
 */
interface Element {
  readonly value: string;
  readonly prefix: boolean;
}

interface Entry<T> {
  readonly elements: readonly Element[];
  readonly payload: T;
}

export interface LexiconMatch<T> {
  readonly payload: T;
  /** Token indexes, end exclusive. */
  readonly start: number;
  readonly end: number;
}

const parseElement = (raw: string): Element => {
  const prefix = raw.endsWith('*');
  const word = foldWord(prefix ? raw.slice(0, -1) : raw);
  return { value: prefix ? word : stem(word), prefix };
};

const elementMatches = (el: Element, token: Token): boolean =>
  el.prefix ? token.norm.startsWith(el.value) : token.stem === el.value;

/**
 * First-element candidates of every lexicon per normalised word, `[lexicon id]`: posts reuse a small
 * vocabulary, and one lookup per token serves all the lexicons a doc is matched against.
 */
const candidatesByWord = new Map<string, (readonly Entry<unknown>[] | undefined)[]>();
const MAX_WORDS = 50_000;
/** Each token's slot in `candidatesByWord`, per token list: a doc's tokens are looked up once. */
const slotsByTokens = new WeakMap<readonly Token[], (readonly Entry<unknown>[] | undefined)[][]>();

const slotsOf = (tokens: readonly Token[]): (readonly Entry<unknown>[] | undefined)[][] => {
  let slots = slotsByTokens.get(tokens);
  if (slots) return slots;
  slots = new Array<(readonly Entry<unknown>[] | undefined)[]>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const norm = (tokens[i] as Token).norm;
    let slot = candidatesByWord.get(norm);
    if (!slot) {
      if (candidatesByWord.size >= MAX_WORDS) candidatesByWord.clear();
      candidatesByWord.set(norm, (slot = []));
    }
    slots[i] = slot;
  }
  slotsByTokens.set(tokens, slots);
  return slots;
};

let lexicons = 0;

export class Lexicon<T> {
  private readonly byStem = new Map<string, Entry<T>[]>();
  private readonly byPrefix = new Map<string, Entry<T>[]>();
  private readonly prefixLengths: number[];
  /** This lexicon's index into the per-word candidate slots. */
  private readonly id = lexicons++;

  constructor(
    terms: Iterable<readonly [string, T]>,
    private readonly gap = 2,
  ) {
    const lengths = new Set<number>();
    for (const [term, payload] of terms) {
      const elements = term.trim().split(/\s+/).map(parseElement);
      const first = elements[0];
      if (first === undefined || first.value === '') continue;
      const index = first.prefix ? this.byPrefix : this.byStem;
      if (first.prefix) lengths.add(first.value.length);
      const list = index.get(first.value);
      const entry = { elements, payload };
      if (list) list.push(entry);
      else index.set(first.value, [entry]);
    }
    this.prefixLengths = [...lengths].sort((a, b) => a - b);
  }

  /** All matches that start in tokens[from, to) and end by `to`. */
  match(tokens: readonly Token[], from = 0, to = tokens.length): LexiconMatch<T>[] {
    const out: LexiconMatch<T>[] = [];
    const slots = slotsOf(tokens);
    for (let i = from; i < to; i++) {
      const token = tokens[i];
      if (token === undefined) continue;
      const slot = slots[i] as (readonly Entry<unknown>[] | undefined)[];
      let list = slot[this.id] as readonly Entry<T>[] | undefined;
      if (list === undefined) slot[this.id] = list = this.candidatesFor(token);
      if (list.length > 0) this.extend(list, tokens, i, to, out);
    }
    return out;
  }

  private candidatesFor(token: Token): readonly Entry<T>[] {
    const found: Entry<T>[] = [...(this.byStem.get(token.stem) ?? [])];
    for (const len of this.prefixLengths) {
      if (len > token.norm.length) break;
      const list = this.byPrefix.get(token.norm.slice(0, len));
      if (list) found.push(...list);
    }
    return found;
  }

  private extend(entries: readonly Entry<T>[], tokens: readonly Token[], i: number, to: number, out: LexiconMatch<T>[]): void {
    for (const entry of entries) {
      let pos = i;
      let ok = true;
      for (let k = 1; k < entry.elements.length && ok; k++) {
        const el = entry.elements[k] as Element;
        ok = false;
        const limit = Math.min(to, pos + 1 + this.gap + 1);
        for (let j = pos + 1; j < limit; j++) {
          const t = tokens[j];
          if (t !== undefined && elementMatches(el, t)) {
            pos = j;
            ok = true;
            break;
          }
        }
      }
      if (ok) out.push({ payload: entry.payload, start: i, end: pos + 1 });
    }
  }
}

/** Index range of the tokens lying inside [start, end) of the text; tokens are sorted by offset. */
export const tokenRange = (tokens: readonly Token[], start: number, end: number): readonly [number, number] => {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as Token).span.start < start) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last < tokens.length && (tokens[last] as Token).span.end <= end) last++;
  return [lo, last];
};
