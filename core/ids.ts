/** A post's id is its source id and its id at the source; source ids cannot hold `:` (see post-input). */
export const postIdOf = (source: string, externalId: string): string => `${source}:${externalId}`;

/** Two independent 32-bit FNV-1a hashes: a 64-bit id, deterministic and far cheaper than a digest. */
const hash32 = (key: string, basis: number): string => {
  let h = basis;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
};

/** A deterministic id from a key: the same input (a reprocess, a retried request) gives the same id. */
export const makeId = (prefix: 'sto' | 'inc' | 'ref', key: string): string => `${prefix}_${hash32(key, 0x811c9dc5)}${hash32(key, 0x050c5d1f)}`;
