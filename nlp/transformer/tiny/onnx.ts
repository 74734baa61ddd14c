/**
 * ONNX messages (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto) encoded with the
 * field numbers of onnx/onnx.proto. Only what a small BERT-shaped graph needs.
 */
import { type Bytes, concat, float, int, message, string, bytes } from './protobuf.js';

export type ElementType = 'float' | 'int8' | 'int64';

const elementCode: Readonly<Record<ElementType, number>> = { float: 1, int8: 3, int64: 7 };

export interface Tensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: ElementType;
  readonly data: Float32Array | Int8Array | BigInt64Array;
}

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian). */
const tensorFields = (t: Tensor): Bytes[] => [
  ...t.dims.map((d) => int(1, d)),
  int(2, elementCode[t.type]),
  string(8, t.name),
  bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
];

export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: Tensor };

export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  tensor: (value: Tensor): Attribute => ({ kind: 'tensor', value }),
};

/** AttributeProto: name = 1, f = 2, i = 3, t = 5, ints = 8, type = 20 (FLOAT 1, INT 2, TENSOR 4, INTS 7). */
const attributeFields = (name: string, a: Attribute): Bytes[] => {
  switch (a.kind) {
    case 'int':
      return [string(1, name), int(3, a.value), int(20, 2)];
    case 'float':
      return [string(1, name), float(2, a.value), int(20, 1)];
    case 'ints':
      return [string(1, name), ...a.value.map((v) => int(8, v)), int(20, 7)];
    case 'tensor':
      return [string(1, name), message(5, tensorFields(a.value)), int(20, 4)];
  }
};

export interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, Attribute>>;
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
const nodeFields = (n: Node, index: number): Bytes[] => [
  ...n.inputs.map((i) => string(1, i)),
  ...n.outputs.map((o) => string(2, o)),
  string(3, `${n.op.toLowerCase()}_${index}`),
  string(4, n.op),
  ...Object.entries(n.attributes ?? {}).map(([name, a]) => message(5, attributeFields(name, a))),
];

/** A graph input or output; a string dimension is symbolic (`batch`, `sequence`). */
export interface ValueInfo {
  readonly name: string;
  readonly type: ElementType;
  readonly shape: readonly (number | string)[];
}

/** ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1, shape = 2 { dim = 1 { dim_value = 1 | dim_param = 2 } } } } }. */
const valueInfoFields = (v: ValueInfo): Bytes[] => [
  string(1, v.name),
  message(2, [
    message(1, [int(1, elementCode[v.type]), message(2, v.shape.map((d) => message(1, [typeof d === 'number' ? int(1, d) : string(2, d)])))]),
  ]),
];

export interface Graph {
  readonly name: string;
  readonly nodes: readonly Node[];
  readonly initializers: readonly Tensor[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
}

export interface ModelOptions {
  readonly irVersion: number;
  readonly opset: number;
  readonly producer: string;
}

/**
 * ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 { domain = 1, version = 2 };
 * GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
 */
export const encodeModel = (graph: Graph, options: ModelOptions): Bytes =>
  concat([
    int(1, options.irVersion),
    string(2, options.producer),
    message(7, [
      ...graph.nodes.map((n, i) => message(1, nodeFields(n, i))),
      string(2, graph.name),
      ...graph.initializers.map((t) => message(5, tensorFields(t))),
      ...graph.inputs.map((v) => message(11, valueInfoFields(v))),
      ...graph.outputs.map((v) => message(12, valueInfoFields(v))),
    ]),
    message(8, [string(1, ''), int(2, options.opset)]),
  ]);
