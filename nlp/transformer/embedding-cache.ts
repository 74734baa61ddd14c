/**
 * Embeddings of training texts, kept on disk between `radar train` runs: retraining a head (new
 * labels, another seed) then costs seconds, not another pass of the transformer over the corpus.
 * One file per encoder (by the hash of its files) and role; each record is the sha256 of the text
 * and the float32 vector. Records are only appended; a torn last record is ignored.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Encoder, EncoderRole } from '../contract.js';

const MAGIC = Buffer.from('RADAR-EMB-1\0', 'latin1');
const HEADER = MAGIC.length + 4;
const KEY = 32;

export interface CachedEncoder extends Encoder {
  /** sha256 of the encoder's files: embeddings are only reused for the very same model. */
  readonly hash: string;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
}

const keyOf = (text: string): string => createHash('sha256').update(text).digest('hex');

export class EmbeddingCache {
  readonly #loaded = new Map<string, Map<string, Float32Array>>();

  constructor(readonly dir: string) {}

  fileOf(encoder: Pick<CachedEncoder, 'hash'>, role: EncoderRole): string {
    return join(this.dir, `${encoder.hash.slice(0, 32)}-${role}.bin`);
  }

  /** Loads a cache file once; a missing one, or one written for another dimension, starts empty. */
  #read(file: string, dimension: number): Map<string, Float32Array> {
    const cached = this.#loaded.get(file);
    if (cached) return cached;
    const map = new Map<string, Float32Array>();
    this.#loaded.set(file, map);
    const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    if (bytes.length < HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC) || bytes.readUInt32LE(MAGIC.length) !== dimension) {
      const header = Buffer.alloc(HEADER);
      MAGIC.copy(header);
      header.writeUInt32LE(dimension, MAGIC.length);
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(file, header);
      return map;
    }
    const record = KEY + 4 * dimension;
    const whole = HEADER + Math.floor((bytes.length - HEADER) / record) * record;
    // A record torn by a crash is cut off, so the next append starts on a record boundary.
    if (whole !== bytes.length) writeFileSync(file, bytes.subarray(0, whole));
    for (let at = HEADER; at + record <= whole; at += record) {
      const vector = new Float32Array(bytes.buffer.slice(bytes.byteOffset + at + KEY, bytes.byteOffset + at + record));
      map.set(bytes.subarray(at, at + KEY).toString('hex'), vector);
    }
    return map;
  }

  /** Embeds `texts` through the cache; only texts never seen with this encoder and role reach the model. */
  async embed(encoder: CachedEncoder, texts: readonly string[], role: EncoderRole): Promise<{ vectors: Float32Array[]; stats: CacheStats }> {
    const file = this.fileOf(encoder, role);
    const known = this.#read(file, encoder.dimension);
    const keys = texts.map(keyOf);
    const absent = texts.filter((_, i) => !known.has(keys[i] as string));
    const missing = [...new Set(absent)];
    if (missing.length > 0) {
      const fresh = await encoder.embed(missing, role);
      const records = missing.map((text, i) => {
        const vector = fresh[i] as Float32Array;
        const key = keyOf(text);
        known.set(key, vector);
        return Buffer.concat([Buffer.from(key, 'hex'), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)]);
      });
      appendFileSync(file, Buffer.concat(records));
    }
    return { vectors: keys.map((k) => known.get(k) as Float32Array), stats: { hits: texts.length - absent.length, misses: absent.length } };
  }
}
