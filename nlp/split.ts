import type { NormalizedDoc, ProblemSplitter, Segment, Sentence } from './contract.js';
import { compileOnFirstUse } from './compile-regex.js';
import { complaintIn } from './cues.js';
import { tokenRange } from './lexicon.js';

type ConnectorKind = 'contrast' | 'and' | 'besides' | 'additive' | 'semicolon' | 'list';

/**
 * Clause connectors inside a sentence. Groups: 1 contrast, 2 "and", 3 "мало того что …, так ещё …",
 * 4 additive, 5 semicolon, 6 list marker.
 * Letters are bounded with lookarounds because `\b` does not know Cyrillic.
 */
const CONNECTOR_RE = new RegExp(
  [
    '[,–—]\\s*((?:а|но|однако|зато|при этом|а вот)(?![\\p{L}]))\\s*',
    ',\\s*((?:и|да и)(?![\\p{L}]))\\s*',
    '[,–—]\\s*((?:так ещ[её] и|так ещ[её]|так и ещ[её])(?![\\p{L}]))\\s*',
    '(?:[,;–—]\\s*|\\s)((?:ещ[её] и|а ещ[её]|и ещ[её]|а также|также|кроме того|к тому же|вдобавок|плюс ко всему|плюс к этому|плюс|помимо этого|помимо того|так же)(?![\\p{L}]),?)\\s*',
    '(;)\\s*',
    '(?:^|\\s)((?:\\d{1,2}\\)|[•●▪►✔✅]|\\d{1,2}\\.(?=\\s+[А-ЯЁA-Z])))\\s*',
  ].join('|'),
  'giu',
);

const compilePatterns = compileOnFirstUse([CONNECTOR_RE]);

interface Cut {
  readonly kind: ConnectorKind;
  /** Where the left part ends. */
  readonly leftEnd: number;
  /** Where the right part starts. */
  readonly rightStart: number;
}

const kindOf = (m: RegExpExecArray): ConnectorKind =>
  m[1] !== undefined ? 'contrast' : m[2] !== undefined ? 'and' : m[3] !== undefined ? 'besides' : m[4] !== undefined ? 'additive' : m[5] !== undefined ? 'semicolon' : 'list';

const TRIM_LEFT = /^[\s,;:.–—-]+/;
const TRIM_RIGHT = /[\s,;:–—-]+$/;

const trimmed = (clean: string, start: number, end: number): Segment | null => {
  const raw = clean.slice(start, end);
  const lead = raw.length - raw.replace(TRIM_LEFT, '').length;
  const body = raw.slice(lead).replace(TRIM_RIGHT, '');
  if (body.length === 0) return null;
  return { text: body, span: { start: start + lead, end: start + lead + body.length } };
};

/**
 * Segments are sentences, further cut at clause connectors when both sides read as separate
 * complaints. Contrast and "and" need a complaint cue on both sides; additive connectors and `;`
 * need two words on each side and a cue on the right; "так ещё" two words on each side; list markers
 * always cut. Over-cutting is
 * cheap: problem assembly merges neighbours of the same category back together.
 */
export class BaselineSplitter implements ProblemSplitter {
  split(doc: NormalizedDoc): readonly Segment[] {
    compilePatterns(doc.clean);
    const out: Segment[] = [];
    for (const sentence of doc.sentences) this.splitSentence(doc, sentence, out);
    return out;
  }

  private splitSentence(doc: NormalizedDoc, sentence: Sentence, out: Segment[]): void {
    const base = sentence.span.start;
    const cuts: Cut[] = [];
    CONNECTOR_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CONNECTOR_RE.exec(sentence.text)) !== null) {
      if (m[0].length === 0) {
        CONNECTOR_RE.lastIndex++;
        continue;
      }
      cuts.push({ kind: kindOf(m), leftEnd: base + m.index, rightStart: base + m.index + m[0].length });
    }
    const end = sentence.span.end;
    if (cuts.length === 0) {
      out.push({ text: sentence.text, span: sentence.span });
      return;
    }
    const words = (from: number, to: number): readonly [number, number] => tokenRange(doc.tokens, from, to);
    let segStart = sentence.span.start;
    cuts.forEach((cut, k) => {
      const rightEnd = cuts[k + 1]?.leftEnd ?? end;
      const [ll, lh] = words(segStart, cut.leftEnd);
      const [rl, rh] = words(cut.rightStart, rightEnd);
      const leftWords = lh - ll;
      const rightWords = rh - rl;
      if (cut.kind === 'list' && leftWords === 0) {
        segStart = cut.rightStart;
        return;
      }
      const leftCue = complaintIn(doc, ll, lh) > 0;
      const rightCue = complaintIn(doc, rl, rh) > 0;
      let accept: boolean;
      switch (cut.kind) {
        case 'list':
          accept = rightWords > 0;
          break;
        // The writer says outright that a second trouble comes on top of the first.
        case 'besides':
          accept = leftWords >= 2 && rightWords >= 2;
          break;
        case 'contrast':
        case 'and':
          accept = leftCue && rightCue && leftWords >= 2 && rightWords >= 2;
          break;
        case 'additive':
        case 'semicolon':
          accept = leftWords >= 2 && rightWords >= 2 && (rightCue || rightWords >= 4);
          break;
      }
      if (!accept) return;
      const left = trimmed(doc.clean, segStart, cut.leftEnd);
      if (left) out.push(left);
      segStart = cut.rightStart;
    });
    const last = trimmed(doc.clean, segStart, end);
    if (last) out.push(last);
  }
}
