/**
 * How telling a word is for "the same real-world problem": inverse document frequency over a corpus
 * of complaints. "яма", "мусор" and "двор" appear in thousands of posts and say little; "Ошарская",
 * "Мыза" or "сваебой" appear in a handful and tie two reports together.
 *
 * Terms are the first letters of stems, so that colloquial forms meet their official names
 * ("Ошарка" and "Ошарской", "Ковалиха" and "Ковалихинская"); numbers of two or more digits (routes,
 * school and house numbers) are kept whole, without ordinal endings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { Token } from './contract.js';

/** Long enough to keep "Белинского" and "Беляева" apart, short enough for "Белинка" to meet the first. */
export const TERM_PREFIX = 4;

/** Words every complaint uses, whatever its place or subject. */
const FUNCTION_WORDS = new Set(
  (
    'и в во на с со у к ко по о об от до из за для при а но что как это то же ли бы уже уж так вот там тут все всех мы я ' +
    'вы он она они нас вас их его ее наш наши еще даже просто очень когда не нет да ни опять снова кто где который которые ' +
    'этот эта эти этом сегодня вчера утром вечером ночью день дня дней неделю неделя будет было был была были есть ну'
  ).split(' '),
);

/** Route, school and house numbers, with the ordinal endings citizens add ("45й", "22-я"). */
const NUMBER = /^(\d{2,})(?:-?[а-я]{1,3})?$/;

/** The term of a token, or null for function words, single letters and single digits. */
export const termOf = (token: Pick<Token, 'norm' | 'stem'>): string | null => {
  if (token.norm.length < 2 || FUNCTION_WORDS.has(token.norm)) return null;
  const number = NUMBER.exec(token.norm);
  if (number) return number[1] as string;
  if (/^\d/.test(token.norm)) return null;
  return token.stem.slice(0, TERM_PREFIX);
};

const fileSchema = z.object({
  format: z.literal('radar-term-weights-1'),
  documents: z.number().int().positive(),
  /** Document frequency of every term seen at least twice; rarer terms get the maximum weight. */
  df: z.record(z.string(), z.number().int().positive()),
});

export class TermWeights {
  readonly #documents: number;
  readonly #df: ReadonlyMap<string, number>;
  readonly #max: number;

  constructor(documents: number, df: ReadonlyMap<string, number>) {
    this.#documents = documents;
    this.#df = df;
    this.#max = Math.log(documents + 1);
  }

  /** Every term weighs the same: used when no weights file is installed (tests, the keyword baseline). */
  static uniform(): TermWeights {
    return new TermWeights(1, new Map());
  }

  static build(documents: Iterable<readonly Token[]>): TermWeights {
    const df = new Map<string, number>();
    let count = 0;
    for (const tokens of documents) {
      count++;
      const seen = new Set<string>();
      for (const token of tokens) {
        const term = termOf(token);
        if (term !== null) seen.add(term);
      }
      for (const term of seen) df.set(term, (df.get(term) ?? 0) + 1);
    }
    return new TermWeights(Math.max(count, 1), df);
  }

  static load(path: string): TermWeights {
    let raw: unknown;
    try {
      raw = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
    } catch (error) {
      throw new ConfigError(`Cannot read term weights ${path}: ${(error as Error).message}. Rebuild them with \`npm run train\`.`, []);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) throw new ConfigError(`Term weights ${path} are not a radar-term-weights-1 file: ${parsed.error.issues[0]?.message ?? 'invalid'}. Rebuild them with \`npm run train\`.`);
    return new TermWeights(parsed.data.documents, new Map(Object.entries(parsed.data.df)));
  }

  save(path: string): void {
    // Terms seen once add most of the file and carry the same weight as unseen ones.
    const df = Object.fromEntries([...this.#df].filter(([, n]) => n >= 2).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    writeFileSync(path, gzipSync(JSON.stringify({ format: 'radar-term-weights-1', documents: this.#documents, df }), { level: 9 }));
  }

  /** Inverse document frequency, 0 (every document) .. ln(N + 1) (never seen). */
  weight(term: string): number {
    const df = this.#df.get(term);
    return df === undefined ? this.#max : Math.log((this.#documents + 1) / (df + 1));
  }

  /** The largest weight a term can have: a term never seen in the corpus. */
  get maxWeight(): number {
    return this.#max;
  }
}
