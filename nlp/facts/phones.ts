import type { PhoneFact } from '../../core/types.js';

/**
 * Russian numbers as people type them: +7 (831) 212-34-56, 8 (8313) 21-23-45, 8-920-123-45-67,
 * 89201234567, (831) 2123456. Ten or eleven digits separated by at most two spaces/dashes or
 * brackets; the digit count and leading digit then decide. Lookarounds keep us off longer runs.
 */
const PHONE_RE = /(?<![\d+])(?:\+\s?)?(?:\(\s?)?\d(?:(?:[\s-]{1,2}|\s?\)\s?|\s?\(\s?)?\d){9,10}(?!\d)/g;

const normalize = (raw: string): string | null => {
  const digits = raw.replace(/\D/g, '');
  const plus = raw.startsWith('+');
  if (digits.length === 11 && (digits[0] === '7' || (digits[0] === '8' && !plus))) {
    return /^[3-9]/.test(digits.slice(1)) ? `+7${digits.slice(1)}` : null;
  }
  // Ten digits without a country prefix: mobile (9xx) or a city code (3xx, 4xx, 8xx).
  if (digits.length === 10 && !plus && /^[3489]/.test(digits)) return `+7${digits}`;
  return null;
};

export const extractPhones = (text: string): PhoneFact[] => {
  const out: PhoneFact[] = [];
  PHONE_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PHONE_RE.exec(text)) !== null) {
    const normalized = normalize(m[0]);
    if (normalized) out.push({ text: m[0], span: { start: m.index, end: m.index + m[0].length }, normalized });
  }
  return out;
};
