import type { Urgency } from '../core/types.js';
import type { NormalizedDoc } from './contract.js';
import { matchesIn, matchesWithin } from './doc-cache.js';
import { Lexicon } from './lexicon.js';
import { frostTerms, heatingFailureTerms, urgencyTerms, type UrgencyLevel } from './signal-lexicon.js';

const urgencyLexicon = new Lexicon<UrgencyLevel>(urgencyTerms);
const frostLexicon = new Lexicon<true>(frostTerms.map((t) => [t, true] as const));
const heatingLexicon = new Lexicon<true>(heatingFailureTerms.map((t) => [t, true] as const));

/** Sub-zero temperatures written as numbers: "-25", "−30°", "минус 20". */
const FROST_NUMBER = /(?:^|[\s(:])[-−–]\s?([1-9]\d?)(?:\s?°|\s?градус|\s|$)/;

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
    if (m.payload === 'high') return 'high';
    level = 'medium';
  }
  if (matchesWithin(matchesIn(doc, heatingLexicon), lo, hi).length > 0) {
    if (matchesIn(doc, frostLexicon).length > 0 || FROST_NUMBER.test(doc.clean)) return 'high';
    level = 'medium';
  }
  return level;
};
