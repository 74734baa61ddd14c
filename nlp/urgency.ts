import type { Urgency } from '../core/types.js';
import type { NormalizedDoc } from './contract.js';
import { matchesIn, matchesWithin } from './doc-cache.js';
import { Lexicon } from './lexicon.js';
import { frostTerms, glowContextPrefixes, heatingFailureTerms, urgencyTerms, type UrgencyLevel } from './signal-lexicon.js';

const urgencyLexicon = new Lexicon<UrgencyLevel>(urgencyTerms);
const frostLexicon = new Lexicon<true>(frostTerms.map((t) => [t, true] as const));
const heatingLexicon = new Lexicon<true>(heatingFailureTerms.map((t) => [t, true] as const));

/** Sub-zero temperatures written as numbers: "-25", "−30°", "минус 20". */
const FROST_NUMBER = /(?:^|[\s(:])[-−–]\s?([1-9]\d?)(?:\s?°|\s?градус|\s|$)/;

const GLOW_VERBS = new Set(['горит', 'горят']);
/** How far from the verb a light or a flame may be named: "на перекрёстке светофор всё время горит". */
const GLOW_WINDOW = 3;

/** Whether the match at tokens [start, end) is "горит"/"горят" said of a light or a flame, not of a fire. */
const isGlow = (tokens: NormalizedDoc['tokens'], start: number, end: number): boolean => {
  const verb = tokens[start];
  if (end - start !== 1 || verb === undefined || !GLOW_VERBS.has(verb.norm)) return false;
  for (let i = Math.max(0, start - GLOW_WINDOW); i < Math.min(tokens.length, end + GLOW_WINDOW); i++) {
    const norm = (tokens[i] as { readonly norm: string }).norm;
    if (glowContextPrefixes.some((p) => norm.startsWith(p))) return true;
  }
  return false;
};

/**
 * Urgency of the token range [lo, hi) of a doc. Frost is looked for in the whole doc because
 * people state the temperature in a separate sentence ("Нет отопления. На улице -25!").
 */
export const urgencyOf = (doc: NormalizedDoc, lo: number, hi: number): Urgency => {
  const tokens = doc.tokens;
  let level: Urgency = 'low';
  for (const m of matchesWithin(matchesIn(doc, urgencyLexicon), lo, hi)) {
    // "не горит фонарь" is an outage, not a fire.
    const prev = tokens[m.start - 1];
    if (prev !== undefined && prev.norm === 'не' && m.payload === 'high') {
      level = 'medium';
      continue;
    }
    if (m.payload === 'high' && isGlow(tokens, m.start, m.end)) continue;
    if (m.payload === 'high') return 'high';
    level = 'medium';
  }
  if (matchesWithin(matchesIn(doc, heatingLexicon), lo, hi).length > 0) {
    if (matchesIn(doc, frostLexicon).length > 0 || FROST_NUMBER.test(doc.clean)) return 'high';
    level = 'medium';
  }
  return level;
};
