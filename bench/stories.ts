/**
 * Story clustering on the ParaPhraser corpus (../shared/data/paraphraser, not part of the project):
 * for each headline pair, would the dedup engine put the second into the first one's story? That is
 * the engine's rule for two posts: they share an LSH band and their MinHash similarity reaches the
 * threshold (and both have enough words to be compared at all).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import type { Encoder, NlpToolkit } from '../nlp/contract.js';
import { semanticBands, semanticBits, semanticCosine } from '../nlp/semantic-hash.js';

export interface PairOutcome {
  readonly label: -1 | 0 | 1;
  readonly similarity: number;
  readonly shareBand: boolean;
  readonly comparable: boolean;
}

/** Same bound as pipeline/dedup.ts: shorter texts never form stories. */
const MIN_STORY_TOKENS = 4;

export const readParaphraser = (path: string): { text1: string; text2: string; label: -1 | 0 | 1 }[] => {
  const $ = cheerio.load(readFileSync(path, 'utf8'), { xml: true });
  return $('paraphrase')
    .toArray()
    .map((el) => {
      const value = (name: string) => $(el).find(`value[name="${name}"]`).text();
      return { text1: value('text_1'), text2: value('text_2'), label: Number(value('class')) as -1 | 0 | 1 };
    });
};

export const scorePairs = (pairs: ReturnType<typeof readParaphraser>, nlp: NlpToolkit): PairOutcome[] =>
  pairs.map(({ text1, text2, label }) => {
    const [a, b] = [nlp.normalizer.normalize(text1), nlp.normalizer.normalize(text2)];
    const [sa, sb] = [nlp.fingerprinter.signature(a), nlp.fingerprinter.signature(b)];
    const bands = new Set(nlp.fingerprinter.bands(sa));
    return {
      label,
      similarity: nlp.fingerprinter.similarity(sa, sb),
      shareBand: nlp.fingerprinter.bands(sb).some((k) => bands.has(k)),
      comparable: a.tokens.length >= MIN_STORY_TOKENS && b.tokens.length >= MIN_STORY_TOKENS,
    };
  });

export const rates = (outcomes: readonly PairOutcome[], threshold: number) => {
  const merged = (o: PairOutcome) => o.comparable && o.shareBand && o.similarity >= threshold;
  const share = (label: -1 | 0 | 1) => {
    const of = outcomes.filter((o) => o.label === label);
    return of.length === 0 ? 0 : of.filter(merged).length / of.length;
  };
  return { strict: share(1), loose: share(0), unrelated: share(-1) };
};

export const paraphraserPath = new URL('../../shared/data/paraphraser/paraphrases.xml', import.meta.url).pathname;
export const hasParaphraser = (): boolean => existsSync(paraphraserPath);

export interface SemanticOutcome {
  readonly label: -1 | 0 | 1;
  readonly cosine: number;
  readonly shareBand: boolean;
}

/** The same pairs judged by the encoder path: a shared SimHash band, then the estimated cosine. */
export const scoreSemanticPairs = async (pairs: ReturnType<typeof readParaphraser>, encoder: Encoder, batch = 256): Promise<SemanticOutcome[]> => {
  const out: SemanticOutcome[] = [];
  for (let i = 0; i < pairs.length; i += batch) {
    const slice = pairs.slice(i, i + batch);
    const vectors = await encoder.embed(slice.flatMap((p) => [p.text1, p.text2]), 'query');
    slice.forEach((pair, j) => {
      const [a, b] = [semanticBits(vectors[2 * j] as Float32Array), semanticBits(vectors[2 * j + 1] as Float32Array)];
      const bands = new Set(semanticBands(a));
      out.push({ label: pair.label, cosine: semanticCosine(a, b), shareBand: semanticBands(b).some((k) => bands.has(k)) });
    });
  }
  return out;
};

export const semanticRates = (outcomes: readonly SemanticOutcome[], threshold: number) => {
  const share = (label: -1 | 0 | 1) => {
    const of = outcomes.filter((o) => o.label === label);
    return of.length === 0 ? 0 : of.filter((o) => o.shareBand && o.cosine >= threshold).length / of.length;
  };
  return { strict: share(1), loose: share(0), unrelated: share(-1) };
};
