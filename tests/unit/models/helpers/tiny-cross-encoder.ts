import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a tiny, deterministic BERT-style cross-encoder in Transformers.js layout (config.json,
 * tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx) so the real reranker adapter
 * can be exercised without downloading a model. Its single logit is `bias + Σ weight(token)` over
 * the passage segment (token type 1) only, so the query must arrive as segment A and the passage as B.
 */
export interface TinyCrossEncoderSpec {
  /** Lower-case words and their logit weight; unknown words count as [UNK]. */
  weights: Record<string, number>;
  unknownWeight: number;
  bias: number;
  /** Graph output name; anything but "logits" imitates a model without a classification head. */
  outputName?: string;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;

/** Minimal protobuf writer: just the wire types an ONNX model needs. */
class Proto {
  private readonly parts: number[] = [];

  private varint(value: number): void {
    let n = BigInt(value);
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) byte |= 0x80;
      this.parts.push(byte);
    } while (n > 0n);
  }

  int(field: number, value: number): this {
    this.varint(field << 3);
    this.varint(value);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    for (const b of data) this.parts.push(b);
    return this;
  }

  str(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  msg(field: number, inner: Proto): this {
    return this.bytes(field, inner.done());
  }

  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const FLOAT = 1;
const INT64 = 7;

function tensor(name: string, type: number, dims: number[], raw: ArrayBufferView): Proto {
  const t = new Proto();
  for (const d of dims) t.int(1, d);
  return t
    .int(2, type)
    .str(8, name)
    .bytes(9, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
}

function valueInfo(name: string, type: number, dims: Array<number | string>): Proto {
  const shape = new Proto();
  for (const d of dims) shape.msg(1, typeof d === 'number' ? new Proto().int(1, d) : new Proto().str(2, d));
  const tensorType = new Proto().int(1, type).msg(2, shape);
  return new Proto().str(1, name).msg(2, new Proto().msg(1, tensorType));
}

function node(op: string, inputs: string[], outputs: string[], attributes: Proto[] = []): Proto {
  const n = new Proto();
  for (const i of inputs) n.str(1, i);
  for (const o of outputs) n.str(2, o);
  n.str(3, `${op}_${outputs[0]}`).str(4, op);
  for (const a of attributes) n.msg(5, a);
  return n;
}

const intAttribute = (name: string, value: number) => new Proto().str(1, name).int(3, value).int(20, 2);

function onnxModel(tokenWeights: Float32Array, bias: number, outputName: string): Uint8Array {
  const graph = new Proto()
    .msg(1, node('Gather', ['weights', 'input_ids'], ['token_logits']))
    .msg(1, node('Cast', ['token_type_ids'], ['segment'], [intAttribute('to', FLOAT)]))
    .msg(1, node('Cast', ['attention_mask'], ['mask'], [intAttribute('to', FLOAT)]))
    .msg(1, node('Mul', ['segment', 'mask'], ['passage_mask']))
    .msg(1, node('Mul', ['token_logits', 'passage_mask'], ['passage_logits']))
    .msg(1, node('ReduceSum', ['passage_logits', 'sum_axes'], ['summed'], [intAttribute('keepdims', 1)]))
    .msg(1, node('Add', ['summed', 'bias'], [outputName]))
    .str(2, 'tiny_cross_encoder')
    .msg(5, tensor('weights', FLOAT, [tokenWeights.length], tokenWeights))
    .msg(5, tensor('sum_axes', INT64, [1], BigInt64Array.from([1n])))
    .msg(5, tensor('bias', FLOAT, [1], Float32Array.from([bias])))
    .msg(11, valueInfo('input_ids', INT64, ['batch', 'sequence']))
    .msg(11, valueInfo('attention_mask', INT64, ['batch', 'sequence']))
    .msg(11, valueInfo('token_type_ids', INT64, ['batch', 'sequence']))
    .msg(12, valueInfo(outputName, FLOAT, ['batch', 1]));
  return new Proto().int(1, 8).str(2, 'teamkb-tests').msg(7, graph).msg(8, new Proto().str(1, '').int(2, 13)).done();
}

function tokenizerJson(vocab: Record<string, number>) {
  const special = (token: string) => ({ id: token, type_id: 0 });
  const seq = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const tok = (id: string, typeId: number) => ({ SpecialToken: { ...special(id), type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
      pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
      special_tokens: Object.fromEntries((['[CLS]', '[SEP]'] as const).map((t) => [t, { id: t, ids: [vocab[t]], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** Writes the model folder and returns it. */
export function writeTinyCrossEncoder(dir: string, spec: TinyCrossEncoderSpec): string {
  const words = Object.keys(spec.weights);
  const vocab: Record<string, number> = {};
  [...SPECIALS, ...words].forEach((token, id) => {
    vocab[token] = id;
  });
  const weights = new Float32Array(SPECIALS.length + words.length);
  weights[1] = spec.unknownWeight;
  words.forEach((word, i) => {
    weights[SPECIALS.length + i] = spec.weights[word] as number;
  });
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const config = {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    vocab_size: weights.length,
    max_position_embeddings: 512,
    id2label: { 0: 'LABEL_0' },
    label2id: { LABEL_0: 0 },
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    model_max_length: 512,
    do_lower_case: true,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), onnxModel(weights, spec.bias, spec.outputName ?? 'logits'));
  return dir;
}
