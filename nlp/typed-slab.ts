/**
 * Small typed arrays cut from shared buffers. V8 gives every typed array over 64 bytes its own
 * off-heap buffer, which costs more than filling it (about a microsecond each); feature vectors are
 * made by the thousand per second, so they take views of one 16 KiB buffer instead. A buffer lives
 * as long as any view of it: use this for arrays that die with their batch, not for ones kept for
 * long one by one (each could pin a whole slab).
 */
const SLAB_BYTES = 16 * 1024;

/** Larger arrays gain nothing from sharing and would waste the rest of a slab. */
const LARGE_BYTES = SLAB_BYTES / 8;

export class TypedSlab {
  #buffer = new ArrayBuffer(SLAB_BYTES);
  #offset = 0;

  int32(length: number): Int32Array {
    if (length * 4 > LARGE_BYTES) return new Int32Array(length);
    const offset = this.#take(length * 4);
    return new Int32Array(this.#buffer, offset, length);
  }

  uint32(length: number): Uint32Array {
    if (length * 4 > LARGE_BYTES) return new Uint32Array(length);
    const offset = this.#take(length * 4);
    return new Uint32Array(this.#buffer, offset, length);
  }

  float32(length: number): Float32Array {
    if (length * 4 > LARGE_BYTES) return new Float32Array(length);
    const offset = this.#take(length * 4);
    return new Float32Array(this.#buffer, offset, length);
  }

  /** Offset of `bytes` zeroed bytes in the current buffer: a fresh buffer is zeroed and no region is handed out twice. */
  #take(bytes: number): number {
    if (this.#offset + bytes > SLAB_BYTES) {
      this.#buffer = new ArrayBuffer(SLAB_BYTES);
      this.#offset = 0;
    }
    const offset = this.#offset;
    this.#offset += bytes;
    return offset;
  }
}
