import type { Fingerprinter, NormalizedDoc } from './contract.js';

export const NUM_HASHES = 64;
export const BANDS = 16;
export const ROWS = 4;

/** Function words shared by unrelated posts; they would only inflate similarity of short texts. */
const STOP = new Set([
  'и', 'в', 'во', 'на', 'с', 'со', 'у', 'к', 'ко', 'по', 'о', 'об', 'от', 'до', 'из', 'за', 'для', 'при', 'а', 'но', 'что',
  'как', 'это', 'то', 'же', 'ли', 'бы', 'уже', 'уж', 'так', 'вот', 'там', 'тут', 'все', 'всех', 'мы', 'я', 'вы', 'он',
  'она', 'они', 'нас', 'вас', 'их', 'его', 'ее', 'наш', 'наши', 'нашем', 'нашего', 'еще', 'даже', 'просто', 'очень', 'когда',
]);

/** 32-bit FNV-1a of a string: cheap, stable across processes and versions. */
export const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** murmur3 finaliser: cheap, well-mixed permutation of 32-bit values. */
const fmix = (x: number): number => {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** Fixed seeds so signatures are stable across processes and versions of this module. */
const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(NUM_HASHES);
  let x = 0x9e3779b9;
  for (let i = 0; i < NUM_HASHES; i++) {
    x = fmix((x + 0x6d2b79f5) >>> 0);
    seeds[i] = x;
  }
  return seeds;
})();

const EMPTY = 0xffffffff;

/** Lower-case hex of every byte: band keys are built from four table lookups instead of `toString(16)`. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const BAND_PREFIX: readonly string[] = Array.from({ length: BANDS }, (_, b) => `b${b}:`);

/**
 * MinHash over word unigrams and bigrams of stems. Hashtag words, URLs, mentions and emoji never
 * reach the shingles, so a repost that adds "#ЖКХ 😡" keeps the same signature. Unigrams make short
 * posts comparable; bigrams keep long posts with the same vocabulary apart.
 */
export class MinHashFingerprinter implements Fingerprinter {
  /** Shingles of the current signature, reused between calls. */
  #scratch = new Uint32Array(1024);

  shingles(doc: NormalizedDoc): Set<number> {
    const n = this.#collect(doc);
    return new Set(this.#scratch.subarray(0, n));
  }

  /**
   * Writes the doc's shingles into the scratch buffer and returns how many; a shingle may repeat
   * there, which no minimum cares about, so no set is built.
   */
  #collect(doc: NormalizedDoc): number {
    let out = this.#scratch;
    let n = 0;
    let prevEnd = -1;
    let prevInTag = false;
    let prev = -1;
    for (const t of doc.tokens) {
      // Camel-case hashtags are split into several tokens; the later parts touch the previous one.
      const inTag: boolean = (t.span.start > 0 && doc.clean.charCodeAt(t.span.start - 1) === 35) || (prevInTag && prevEnd === t.span.start);
      prevEnd = t.span.end;
      prevInTag = inTag;
      if (inTag || STOP.has(t.norm)) continue;
      if (n + 2 > out.length) {
        const grown = new Uint32Array(out.length * 2);
        grown.set(out);
        this.#scratch = out = grown;
      }
      const h = fnv1a(t.stem);
      out[n++] = h;
      // Bigrams from the two word hashes: no string per pair.
      if (prev >= 0) out[n++] = fmix((Math.imul(prev, 0x9e3779b1) ^ h) >>> 0);
      prev = h;
    }
    return n;
  }

  signature(doc: NormalizedDoc): Uint32Array {
    const n = this.#collect(doc);
    const shingles = this.#scratch;
    const sig = new Uint32Array(NUM_HASHES);
    for (let i = 0; i < NUM_HASHES; i++) {
      const seed = SEEDS[i] as number;
      let min = EMPTY;
      for (let s = 0; s < n; s++) {
        // fmix inlined: this loop is the hottest in dedup.
        let v = ((shingles[s] as number) ^ seed) >>> 0;
        v ^= v >>> 16;
        v = Math.imul(v, 0x85ebca6b);
        v ^= v >>> 13;
        v = Math.imul(v, 0xc2b2ae35);
        v ^= v >>> 16;
        v >>>= 0;
        if (v < min) min = v;
      }
      sig[i] = min;
    }
    return sig;
  }

  bands(signature: Uint32Array): readonly string[] {
    // Empty texts share the all-ones signature; banding them would cluster every empty post together.
    if (signature.every((v) => v === EMPTY)) return [];
    const keys: string[] = [];
    for (let b = 0; b < BANDS; b++) {
      let h = 0x811c9dc5 ^ b;
      for (let r = 0; r < ROWS; r++) {
        h = Math.imul(h ^ (signature[b * ROWS + r] ?? 0), 0x01000193);
        h = fmix(h >>> 0);
      }
      keys.push(`${BAND_PREFIX[b] as string}${HEX[h >>> 24] as string}${HEX[(h >>> 16) & 255] as string}${HEX[(h >>> 8) & 255] as string}${HEX[h & 255] as string}`);
    }
    return keys;
  }

  similarity(a: Uint32Array, b: Uint32Array): number {
    const n = Math.min(a.length, b.length);
    if (n === 0) return 0;
    let same = 0;
    for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
    return same / n;
  }
}
