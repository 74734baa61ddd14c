/**
 * Writes a tiny BERT-shaped model directory in the layout transformers.js loads: `config.json`,
 * `tokenizer.json` (WordPiece over a small Russian vocabulary), `tokenizer_config.json`,
 * `onnx/model.onnx` and `onnx/model_quantized.onnx` (int8 weights behind DequantizeLinear).
 * Deterministic: the same options give the same bytes. Tests generate it into a temp folder; nothing
 * binary is committed.
 *
 * The graph is a real one-layer encoder (embeddings, LayerNorm, single-head self-attention with the
 * attention mask, feed-forward, residuals). Token embedding rows are seeded by the token's text, and
 * the layer's weights are small, so texts sharing words get close mean-pooled embeddings: tests can
 * assert that copies agree and unrelated texts do not.
 *
 * Usage: npx tsx nlp/transformer/tiny/generate.ts --out DIR [--ner] [--prompts]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fnv1a } from '../../minhash.js';
import { mulberry32 } from '../../model/softmax-regression.js';
import { attr, encodeModel, type Graph, type Node, type Tensor, type ValueInfo } from './onnx.js';
import { buildVocab, specialTokens } from './vocab.js';

export type TinyKind = 'feature-extraction' | 'token-classification';

export interface TinyModelOptions {
  readonly hidden?: number;
  readonly maxPositions?: number;
  readonly kind?: TinyKind;
  /** Write sentence-transformers prompts (`query: `, `passage: `) like e5 models need. */
  readonly prompts?: boolean;
  /** Also write `onnx/model_quantized.onnx`. */
  readonly quantized?: boolean;
}

/** Labels of the tiny NER model, in the usual BIO scheme. */
export const nerLabels = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC'] as const;
/**
 * Words the tiny NER model tags (by their first WordPiece): some the rule-based extractors find too
 * (Водоканал, Кстово), some they do not (a factory, a park), and a person, so tests see every case
 * of the merge.
 */
const nerTags: Readonly<Record<string, (typeof nerLabels)[number]>> = {
  водоканал: 'B-ORG', администрац: 'B-ORG', мчс: 'B-ORG', прокуратур: 'B-ORG', полици: 'B-ORG', завод: 'B-ORG',
  кстов: 'B-LOC', арзамас: 'B-LOC', дзержинск: 'B-LOC', балахн: 'B-LOC', выкс: 'B-LOC', нижн: 'B-LOC', новгород: 'I-LOC',
  парк: 'B-LOC', сквер: 'B-LOC', глав: 'B-PER',
};

/** Standard normal numbers from a seeded generator (Box-Muller). */
const gaussian = (seed: number) => {
  const random = mulberry32(seed);
  return (): number => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
};

const floats = (name: string, dims: readonly number[], fill: (i: number) => number): Tensor => {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = fill(i);
  return { name, dims, type: 'float', data };
};

const random = (name: string, dims: readonly number[], std: number): Tensor => {
  const g = gaussian(fnv1a(name));
  return floats(name, dims, () => g() * std);
};

const int64 = (name: string, values: readonly number[], dims: readonly number[] = [values.length]): Tensor => ({
  name,
  dims,
  type: 'int64',
  data: BigInt64Array.from(values.map((v) => BigInt(v))),
});

const scalar = (name: string, value: number): Tensor => ({ name, dims: [], type: 'float', data: Float32Array.of(value) });

/** Each token's embedding row comes from its own text, so the rows do not depend on vocabulary order. */
const tokenEmbeddings = (vocab: ReadonlyMap<string, number>, hidden: number): Tensor => {
  const data = new Float32Array(vocab.size * hidden);
  for (const [token, id] of vocab) {
    const g = gaussian(fnv1a(`token:${token}`));
    for (let k = 0; k < hidden; k++) data[id * hidden + k] = g();
  }
  return { name: 'embeddings.word_embeddings.weight', dims: [vocab.size, hidden], type: 'float', data };
};

const io = (name: string, type: ValueInfo['type'], shape: ValueInfo['shape']): ValueInfo => ({ name, type, shape });

/** Nodes and weights of the encoder: embeddings -> LayerNorm -> attention block -> feed-forward block. */
const encoderGraph = (vocab: ReadonlyMap<string, number>, hidden: number, maxPositions: number) => {
  const h = hidden;
  const ffn = 2 * h;
  const init: Tensor[] = [
    tokenEmbeddings(vocab, h),
    random('embeddings.position_embeddings.weight', [maxPositions, h], 0.1),
    random('embeddings.token_type_embeddings.weight', [2, h], 0.1),
    floats('embeddings.LayerNorm.weight', [h], () => 1),
    floats('embeddings.LayerNorm.bias', [h], () => 0),
    random('attention.query.weight', [h, h], 0.05),
    random('attention.key.weight', [h, h], 0.05),
    random('attention.value.weight', [h, h], 0.05),
    random('attention.output.weight', [h, h], 0.05),
    floats('attention.output.bias', [h], () => 0),
    floats('attention.LayerNorm.weight', [h], () => 1),
    floats('attention.LayerNorm.bias', [h], () => 0),
    random('intermediate.weight', [h, ffn], 0.05),
    floats('intermediate.bias', [ffn], () => 0),
    random('output.weight', [ffn, h], 0.05),
    floats('output.bias', [h], () => 0),
    floats('output.LayerNorm.weight', [h], () => 1),
    floats('output.LayerNorm.bias', [h], () => 0),
    int64('const.zero', [0], []),
    int64('const.one', [1], []),
    int64('const.axes1', [1]),
    scalar('const.one_f', 1),
    scalar('const.mask_min', -10000),
    scalar('const.scale', 1 / Math.sqrt(h)),
  ];
  const ln = (x: string, prefix: string, out: string): Node => ({
    op: 'LayerNormalization',
    inputs: [x, `${prefix}.weight`, `${prefix}.bias`],
    outputs: [out],
    attributes: { axis: attr.int(-1), epsilon: attr.float(1e-12) },
  });
  const nodes: Node[] = [
    { op: 'Gather', inputs: ['embeddings.word_embeddings.weight', 'input_ids'], outputs: ['words'], attributes: { axis: attr.int(0) } },
    { op: 'Shape', inputs: ['input_ids'], outputs: ['input_shape'] },
    { op: 'Gather', inputs: ['input_shape', 'const.one'], outputs: ['seq_len'], attributes: { axis: attr.int(0) } },
    { op: 'Range', inputs: ['const.zero', 'seq_len', 'const.one'], outputs: ['position_ids'] },
    { op: 'Gather', inputs: ['embeddings.position_embeddings.weight', 'position_ids'], outputs: ['positions'], attributes: { axis: attr.int(0) } },
    { op: 'Gather', inputs: ['embeddings.token_type_embeddings.weight', 'token_type_ids'], outputs: ['types'], attributes: { axis: attr.int(0) } },
    { op: 'Add', inputs: ['words', 'positions'], outputs: ['sum1'] },
    { op: 'Add', inputs: ['sum1', 'types'], outputs: ['sum2'] },
    ln('sum2', 'embeddings.LayerNorm', 'x0'),
    // Attention: padded positions get a large negative score through the mask.
    { op: 'MatMul', inputs: ['x0', 'attention.query.weight'], outputs: ['q'] },
    { op: 'MatMul', inputs: ['x0', 'attention.key.weight'], outputs: ['k'] },
    { op: 'MatMul', inputs: ['x0', 'attention.value.weight'], outputs: ['v'] },
    { op: 'Transpose', inputs: ['k'], outputs: ['kt'], attributes: { perm: attr.ints([0, 2, 1]) } },
    { op: 'MatMul', inputs: ['q', 'kt'], outputs: ['scores_raw'] },
    { op: 'Mul', inputs: ['scores_raw', 'const.scale'], outputs: ['scores'] },
    { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attributes: { to: attr.int(1) } },
    { op: 'Sub', inputs: ['const.one_f', 'mask_f'], outputs: ['mask_inv'] },
    { op: 'Mul', inputs: ['mask_inv', 'const.mask_min'], outputs: ['mask_bias2'] },
    { op: 'Unsqueeze', inputs: ['mask_bias2', 'const.axes1'], outputs: ['mask_bias'] },
    { op: 'Add', inputs: ['scores', 'mask_bias'], outputs: ['scores_masked'] },
    { op: 'Softmax', inputs: ['scores_masked'], outputs: ['probs'], attributes: { axis: attr.int(-1) } },
    { op: 'MatMul', inputs: ['probs', 'v'], outputs: ['context'] },
    { op: 'MatMul', inputs: ['context', 'attention.output.weight'], outputs: ['attn_proj'] },
    { op: 'Add', inputs: ['attn_proj', 'attention.output.bias'], outputs: ['attn_out'] },
    { op: 'Add', inputs: ['x0', 'attn_out'], outputs: ['res1'] },
    ln('res1', 'attention.LayerNorm', 'x1'),
    { op: 'MatMul', inputs: ['x1', 'intermediate.weight'], outputs: ['ff_in'] },
    { op: 'Add', inputs: ['ff_in', 'intermediate.bias'], outputs: ['ff_pre'] },
    { op: 'Relu', inputs: ['ff_pre'], outputs: ['ff_act'] },
    { op: 'MatMul', inputs: ['ff_act', 'output.weight'], outputs: ['ff_out_raw'] },
    { op: 'Add', inputs: ['ff_out_raw', 'output.bias'], outputs: ['ff_out'] },
    { op: 'Add', inputs: ['x1', 'ff_out'], outputs: ['res2'] },
    ln('res2', 'output.LayerNorm', 'last_hidden_state'),
  ];
  return { nodes, init };
};

/** Token classification: the encoder, then per-token logits; tagged words get a decisive logit. */
const classifierGraph = (vocab: ReadonlyMap<string, number>, hidden: number, maxPositions: number) => {
  const { nodes, init } = encoderGraph(vocab, hidden, maxPositions);
  const labels = nerLabels.length;
  const table = new Float32Array(vocab.size * labels);
  for (const [token, id] of vocab) {
    const tag = nerTags[token];
    table[id * labels + (tag ? nerLabels.indexOf(tag) : 0)] = 8;
  }
  init.push({ name: 'classifier.token_logits', dims: [vocab.size, labels], type: 'float', data: table });
  init.push(random('classifier.weight', [hidden, labels], 0.01));
  nodes.push(
    { op: 'MatMul', inputs: ['last_hidden_state', 'classifier.weight'], outputs: ['hidden_logits'] },
    { op: 'Gather', inputs: ['classifier.token_logits', 'input_ids'], outputs: ['token_logits'], attributes: { axis: attr.int(0) } },
    { op: 'Add', inputs: ['hidden_logits', 'token_logits'], outputs: ['logits'] },
  );
  return { nodes, init };
};

/** Weight-only int8: each 2-D float weight is stored as int8 with a scale and dequantised in the graph. */
const quantize = (graph: Graph): Graph => {
  const nodes: Node[] = [];
  const initializers: Tensor[] = [];
  for (const t of graph.initializers) {
    if (t.type !== 'float' || t.dims.length !== 2) {
      initializers.push(t);
      continue;
    }
    const data = t.data as Float32Array;
    let max = 0;
    for (const v of data) max = Math.max(max, Math.abs(v));
    const scale = (max || 1) / 127;
    const q = new Int8Array(data.length);
    for (let i = 0; i < data.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round((data[i] as number) / scale)));
    initializers.push({ name: `${t.name}_quantized`, dims: t.dims, type: 'int8', data: q });
    initializers.push(scalar(`${t.name}_scale`, scale));
    initializers.push({ name: `${t.name}_zero_point`, dims: [], type: 'int8', data: Int8Array.of(0) });
    nodes.push({ op: 'DequantizeLinear', inputs: [`${t.name}_quantized`, `${t.name}_scale`, `${t.name}_zero_point`], outputs: [t.name] });
  }
  return { ...graph, nodes: [...nodes, ...graph.nodes], initializers };
};

const tokenizerJson = (vocab: ReadonlyMap<string, number>) => {
  const id = (token: string): number => vocab.get(token) as number;
  const special = (token: string) => ({ id: token, type_id: 0 });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content) => ({ id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: special('[CLS]') }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: special('[SEP]') }],
      pair: [{ SpecialToken: special('[CLS]') }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: special('[SEP]') }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
};

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the model directory and returns its path. */
export const generateTinyModel = (out: string, options: TinyModelOptions = {}): string => {
  const hidden = options.hidden ?? 64;
  const maxPositions = options.maxPositions ?? 128;
  const kind = options.kind ?? 'feature-extraction';
  const vocab = buildVocab();
  const { nodes, init } = kind === 'token-classification' ? classifierGraph(vocab, hidden, maxPositions) : encoderGraph(vocab, hidden, maxPositions);
  const ids = (name: string) => io(name, 'int64', ['batch_size', 'sequence_length']);
  const graph: Graph = {
    name: 'radar_tiny_bert',
    nodes,
    initializers: init,
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [
      kind === 'token-classification'
        ? io('logits', 'float', ['batch_size', 'sequence_length', nerLabels.length])
        : io('last_hidden_state', 'float', ['batch_size', 'sequence_length', hidden]),
    ],
  };
  const dir = resolve(out);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const modelOptions = { irVersion: 8, opset: 17, producer: 'radar-tiny' };
  writeFileSync(join(dir, 'onnx', 'model.onnx'), encodeModel(graph, modelOptions));
  if (options.quantized ?? true) writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), encodeModel(quantize(graph), modelOptions));
  const labels = kind === 'token-classification' ? { id2label: Object.fromEntries(nerLabels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(nerLabels.map((l, i) => [l, i])) } : {};
  writeFileSync(
    join(dir, 'config.json'),
    json({
      architectures: [kind === 'token-classification' ? 'BertForTokenClassification' : 'BertModel'],
      model_type: 'bert',
      hidden_size: hidden,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      intermediate_size: 2 * hidden,
      hidden_act: 'relu',
      max_position_embeddings: maxPositions,
      type_vocab_size: 2,
      vocab_size: vocab.size,
      layer_norm_eps: 1e-12,
      pad_token_id: 0,
      ...labels,
    }),
  );
  writeFileSync(join(dir, 'tokenizer.json'), json(tokenizerJson(vocab)));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    json({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: maxPositions,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
  if (options.prompts) writeFileSync(join(dir, 'config_sentence_transformers.json'), json({ prompts: { query: 'query: ', passage: 'passage: ' }, default_prompt_name: null }));
  return dir;
};

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = at >= 0 ? args[at + 1] : undefined;
  if (!out) {
    process.stderr.write('usage: npx tsx nlp/transformer/tiny/generate.ts --out DIR [--ner] [--prompts]\n');
    process.exit(2);
  }
  const dir = generateTinyModel(out, { kind: args.includes('--ner') ? 'token-classification' : 'feature-extraction', prompts: args.includes('--prompts') });
  process.stdout.write(`wrote ${dir}\n`);
}
