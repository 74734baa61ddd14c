/**
 * Reads just enough of an ONNX file to tell a model from a broken file at start-up: the top-level
 * ModelProto fields, and the names of the graph's inputs and outputs. Field contents are skipped by
 * length with positional reads, so a 500 MB model costs a few hundred small reads, not a full load.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface OnnxSummary {
  readonly irVersion: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

class FileReader {
  readonly size: number;
  constructor(
    readonly fd: number,
    public at = 0,
  ) {
    this.size = fstatSync(fd).size;
  }

  #byte(): number {
    if (this.at >= this.size) throw new Error(`unexpected end of file at byte ${this.at}`);
    const one = Buffer.alloc(1);
    readSync(this.fd, one, 0, 1, this.at++);
    return one[0] as number;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      const byte = this.#byte();
      if (shift < 53) result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error(`varint longer than 10 bytes at byte ${this.at}`);
  }

  bytes(length: number): Buffer {
    if (this.at + length > this.size) throw new Error(`field of ${length} bytes at byte ${this.at} runs past the end of the file (${this.size} bytes)`);
    const out = Buffer.alloc(length);
    readSync(this.fd, out, 0, length, this.at);
    this.at += length;
    return out;
  }

  /** Skips a field's value; returns [start, end) of a length-delimited one. */
  skip(wire: number): [number, number] | null {
    switch (wire) {
      case 0:
        this.varint();
        return null;
      case 1:
        this.at += 8;
        return null;
      case 2: {
        const length = this.varint();
        const start = this.at;
        if (start + length > this.size) throw new Error(`field of ${length} bytes at byte ${start} runs past the end of the file (${this.size} bytes)`);
        this.at += length;
        return [start, this.at];
      }
      case 5:
        this.at += 4;
        return null;
      default:
        throw new Error(`unknown protobuf wire type ${wire} at byte ${this.at}`);
    }
  }

  /** Visits the fields in [start, end). */
  fields(start: number, end: number, visit: (field: number, wire: number) => void): void {
    this.at = start;
    while (this.at < end) {
      const key = this.varint();
      const before = this.at;
      visit(Math.floor(key / 8), key % 8);
      if (this.at === before) this.skip(key % 8);
    }
    if (this.at !== end) throw new Error(`message overruns its length (${this.at} > ${end})`);
  }
}

/** ValueInfoProto.name is field 1. */
const nameOf = (reader: FileReader, start: number, end: number): string => {
  let name = '';
  const resume = reader.at;
  reader.fields(start, end, (field, wire) => {
    if (field === 1 && wire === 2) name = reader.bytes(reader.varint()).toString('utf8');
  });
  reader.at = resume;
  return name;
};

/** Throws with the reason when the file is not an ONNX model with a graph. */
export const inspectOnnx = (path: string): OnnxSummary => {
  const fd = openSync(path, 'r');
  try {
    const reader = new FileReader(fd);
    if (reader.size === 0) throw new Error('the file is empty');
    const top: { irVersion: number; graph: [number, number] | null } = { irVersion: 0, graph: null };
    reader.fields(0, reader.size, (field, wire) => {
      if (field === 1 && wire === 0) top.irVersion = reader.varint();
      else if (field === 7 && wire === 2) top.graph = reader.skip(2);
    });
    const { irVersion, graph } = top;
    if (irVersion === 0) throw new Error('no ir_version: not an ONNX ModelProto');
    if (!graph) throw new Error('no graph in the model');
    const inputs: string[] = [];
    const outputs: string[] = [];
    const [gStart, gEnd] = graph;
    reader.fields(gStart, gEnd, (field, wire) => {
      if ((field === 11 || field === 12) && wire === 2) {
        const span = reader.skip(2) as [number, number];
        (field === 11 ? inputs : outputs).push(nameOf(reader, span[0], span[1]));
      }
    });
    return { irVersion, inputs, outputs };
  } finally {
    closeSync(fd);
  }
};
