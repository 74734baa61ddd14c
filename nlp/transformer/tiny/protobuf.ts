/**
 * The few protobuf wire-format primitives needed to write an ONNX file: varints (int64 as two's
 * complement, so `axis = -1` works), length-delimited fields, fixed32 floats. Writing, never parsing.
 */

export type Bytes = Uint8Array;

const varint = (value: bigint | number): Bytes => {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(out);
};

const key = (field: number, wire: 0 | 1 | 2 | 5): Bytes => varint((field << 3) | wire);

export const concat = (parts: readonly Bytes[]): Bytes => {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A varint field (int32, int64, enum). */
export const int = (field: number, value: bigint | number): Bytes => concat([key(field, 0), varint(value)]);

/** A length-delimited field: bytes, a string or an embedded message. */
export const bytes = (field: number, value: Bytes): Bytes => concat([key(field, 2), varint(value.length), value]);

export const string = (field: number, value: string): Bytes => bytes(field, new TextEncoder().encode(value));

export const float = (field: number, value: number): Bytes => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, value, true);
  return concat([key(field, 5), out]);
};

/** An embedded message built from its fields. */
export const message = (field: number, fields: readonly Bytes[]): Bytes => bytes(field, concat(fields));
