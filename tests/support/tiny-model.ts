import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * Width of the embedding table. Rows are rows of a Sylvester–Hadamard matrix, so every token's row is
 * orthogonal to every other's: with mean pooling, cosine similarity then depends only on shared tokens,
 * which lets tests assert retrieval order by construction rather than by luck of random weights.
 */
export const TINY_MODEL_DIMENSIONS = 64;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Characters and wordpieces the tests use; anything else becomes [UNK]. */
const VOCAB_TOKENS = [
  ...SPECIAL_TOKENS,
  ...'家庭医生签约服务覆盖率嘉兴西宁托位市年到的和，。',
  'family',
  'doctor',
  'service',
  '##s',
  'child',
  'care',
  'cover',
  '##age',
  'rate',
  'health',
  'query',
  'passage',
  ':',
  '.',
  ',',
  'the',
  'of',
  'for',
  'and',
  'in',
];

function hadamardRow(row: number, width: number): Float32Array {
  const values = new Float32Array(width);
  for (let column = 0; column < width; column++) {
    // Sylvester construction: H[r][c] = (-1)^popcount(r & c).
    let bits = row & column;
    let parity = 0;
    while (bits) {
      parity ^= bits & 1;
      bits >>= 1;
    }
    values[column] = parity ? -1 : 1;
  }
  return values;
}

function embeddingTable(vocabSize: number, width: number): Uint8Array {
  if (vocabSize > width)
    throw new Error(`Hadamard table of width ${width} has too few rows for ${vocabSize}`);
  const bytes = new Uint8Array(vocabSize * width * 4);
  const view = new DataView(bytes.buffer);
  for (let token = 0; token < vocabSize; token++) {
    hadamardRow(token, width).forEach((value, column) => {
      // ONNX raw_data is little-endian regardless of the host.
      view.setFloat32((token * width + column) * 4, value, true);
    });
  }
  return bytes;
}

function int64Input(name: string) {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.INT64,
        shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }] },
      },
    },
  };
}

/** A graph whose "encoder" is a single embedding lookup: last_hidden_state[b, s] = table[input_ids[b, s]]. */
function gatherModel(vocabSize: number, width: number): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'zhengce-tests',
    graph: {
      name: 'tiny-bert',
      // transformers.js feeds exactly the inputs the session declares, as BERT exports have.
      input: [int64Input('input_ids'), int64Input('attention_mask'), int64Input('token_type_ids')],
      initializer: [
        {
          name: 'word_embeddings',
          dims: [vocabSize, width],
          dataType: onnx.TensorProto.DataType.FLOAT,
          rawData: embeddingTable(vocabSize, width),
        },
      ],
      node: [
        {
          name: 'lookup',
          opType: 'Gather',
          input: ['word_embeddings', 'input_ids'],
          output: ['last_hidden_state'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
        },
      ],
      output: [
        {
          name: 'last_hidden_state',
          type: {
            tensorType: {
              elemType: onnx.TensorProto.DataType.FLOAT,
              shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }, { dimValue: width }] },
            },
          },
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function tokenizerJson(vocab: Record<string, number>) {
  const id = (token: string) => vocab[token] ?? 0;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [id(token)], tokens: [token] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

export interface TinyModel {
  /** Pass as `localModelPath`. */
  localModelPath: string;
  /** Pass as `model`; also the sub-folder of `localModelPath`. */
  model: string;
  dimensions: number;
  /** Token → id, for tests that reason about token overlap. */
  vocab: Readonly<Record<string, number>>;
}

/**
 * Writes a loadable BERT-shaped model (config, WordPiece tokenizer, fp32 ONNX) into `<dir>/<modelName>/`,
 * so the real transformers.js pipeline can run offline in tests.
 */
export async function buildTinyModel(dir: string, modelName = 'test/tiny-bert'): Promise<TinyModel> {
  const vocab = Object.fromEntries(VOCAB_TOKENS.map((token, index) => [token, index]));
  const vocabSize = VOCAB_TOKENS.length;
  const width = TINY_MODEL_DIMENSIONS;
  const modelDir = path.join(dir, modelName);
  await mkdir(path.join(modelDir, 'onnx'), { recursive: true });

  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: width,
    vocab_size: vocabSize,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: width,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    pad_token_id: vocab['[PAD]'],
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: 512,
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };

  await Promise.all([
    writeFile(path.join(modelDir, 'config.json'), JSON.stringify(config, null, 2)),
    writeFile(path.join(modelDir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab), null, 2)),
    writeFile(path.join(modelDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2)),
    writeFile(path.join(modelDir, 'onnx', 'model.onnx'), gatherModel(vocabSize, width)),
  ]);
  return { localModelPath: dir, model: modelName, dimensions: width, vocab };
}
