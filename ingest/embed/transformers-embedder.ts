import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Embedder } from './embedder.ts';

/** Default model: small, Chinese, 512 dimensions; ONNX weights published by Xenova. */
export const DEFAULT_TRANSFORMERS_MODEL = 'Xenova/bge-small-zh-v1.5';
/** Default folder holding `<model id>/config.json`, `tokenizer.json`, `onnx/…` (relative to the cwd). */
export const DEFAULT_LOCAL_MODEL_PATH = './models';
/** Weights never download unless asked: the service must run offline. */
export const DEFAULT_ALLOW_REMOTE_MODELS = false;
/** The 8-bit ONNX export is ~4× smaller and close enough in quality for retrieval. */
export const DEFAULT_QUANTIZED = true;
/** Texts per forward pass; bounds memory because a batch is padded to its longest text. */
export const DEFAULT_BATCH_SIZE = 16;
export const DEFAULT_NORMALIZE = true;

export const E5_QUERY_PREFIX = 'query: ';
export const E5_PASSAGE_PREFIX = 'passage: ';
export const BGE_ZH_QUERY_PREFIX = '为这个句子生成表示以用于检索相关文章:';
export const BGE_EN_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

const PROBE_TEXT = '维度探测 dimension probe';

export type Pooling = 'mean' | 'cls';

export interface TransformersEmbedderOptions {
  /** Hugging Face style model id, also the sub-folder of `localModelPath`. Default {@link DEFAULT_TRANSFORMERS_MODEL}. */
  model: string;
  /** Folder containing model folders. Default {@link DEFAULT_LOCAL_MODEL_PATH}. */
  localModelPath: string;
  /** Download missing files from `remoteHost` into `localModelPath`. Default {@link DEFAULT_ALLOW_REMOTE_MODELS}. */
  allowRemoteModels: boolean;
  /** Mirror to download from, e.g. https://hf-mirror.com/. Default: the library's (huggingface.co). */
  remoteHost?: string;
  /** Load `onnx/model_quantized.onnx` instead of `onnx/model.onnx`. Default {@link DEFAULT_QUANTIZED}. */
  quantized: boolean;
  /** Default: from the model family (see {@link modelFamilyDefaults}). */
  pooling?: Pooling;
  /** L2-normalise vectors. Default {@link DEFAULT_NORMALIZE}; the Embedder contract expects unit vectors. */
  normalize?: boolean;
  /** Prepended to queries. Default: from the model family. */
  queryPrefix?: string;
  /** Prepended to passages. Default: from the model family. */
  passagePrefix?: string;
  /** Default {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
}

export const DEFAULT_TRANSFORMERS_OPTIONS: TransformersEmbedderOptions = {
  model: DEFAULT_TRANSFORMERS_MODEL,
  localModelPath: DEFAULT_LOCAL_MODEL_PATH,
  allowRemoteModels: DEFAULT_ALLOW_REMOTE_MODELS,
  quantized: DEFAULT_QUANTIZED,
};

export interface ModelFamilyDefaults {
  pooling: Pooling;
  queryPrefix: string;
  passagePrefix: string;
}

/**
 * Pooling and prefixes each model family was trained with; using others silently degrades retrieval,
 * so they are chosen from the model id unless given explicitly.
 */
export function modelFamilyDefaults(model: string): ModelFamilyDefaults {
  const name = (model.split('/').pop() ?? model).toLowerCase();
  if (/(^|-)e5-/.test(name)) {
    return { pooling: 'mean', queryPrefix: E5_QUERY_PREFIX, passagePrefix: E5_PASSAGE_PREFIX };
  }
  if (name.startsWith('bge-') && /-zh/.test(name)) {
    return { pooling: 'cls', queryPrefix: BGE_ZH_QUERY_PREFIX, passagePrefix: '' };
  }
  if (name.startsWith('bge-')) {
    return { pooling: 'cls', queryPrefix: BGE_EN_QUERY_PREFIX, passagePrefix: '' };
  }
  return { pooling: 'mean', queryPrefix: '', passagePrefix: '' };
}

/** An embedder backed by an ONNX session; `dispose` frees the native session. */
export interface TransformersEmbedder extends Embedder {
  readonly model: string;
  readonly pooling: Pooling;
  dispose(): Promise<void>;
}

/** Files the library reads for a feature-extraction model; all must exist to load offline. */
export function requiredModelFiles(quantized: boolean): string[] {
  return [
    'config.json',
    'tokenizer.json',
    // The library loads this one too (fatal when missing), although it is easy to forget.
    'tokenizer_config.json',
    quantized ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx',
  ];
}

function modelDir(options: Pick<TransformersEmbedderOptions, 'localModelPath' | 'model'>): string {
  return path.resolve(options.localModelPath, options.model);
}

function missingModelFiles(
  options: Pick<TransformersEmbedderOptions, 'localModelPath' | 'model' | 'quantized'>,
) {
  const dir = modelDir(options);
  return requiredModelFiles(options.quantized).filter((file) => !existsSync(path.join(dir, file)));
}

/** True when the model can be loaded without network; `EMBEDDER=auto` uses this to pick an embedder. */
export function isTransformersModelAvailable(
  options: Partial<Pick<TransformersEmbedderOptions, 'localModelPath' | 'model' | 'quantized'>> = {},
): boolean {
  return (
    missingModelFiles({
      model: options.model ?? DEFAULT_TRANSFORMERS_MODEL,
      localModelPath: options.localModelPath ?? DEFAULT_LOCAL_MODEL_PATH,
      quantized: options.quantized ?? DEFAULT_QUANTIZED,
    }).length === 0
  );
}

/** The library's `env` typings declare some settings read-only; these are the ones we write. */
interface LibrarySettings {
  localModelPath: string;
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  remoteHost: string;
  cacheDir: string;
}

/**
 * `env` is process-global and read while a model loads, so loads are serialised: two embedders with
 * different folders must not see each other's settings.
 */
let loadQueue: Promise<unknown> = Promise.resolve();
/**
 * The library's own mirror, read when it is first imported and restored when an embedder gives no mirror,
 * so one embedder's mirror does not leak into the next.
 */
let libraryRemoteHost: string | undefined;

function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(task, task);
  loadQueue = run.catch(() => undefined);
  return run;
}

function describeId(
  model: string,
  pooling: Pooling,
  normalize: boolean,
  quantized: boolean,
  queryPrefix: string,
  passagePrefix: string,
): string {
  const parts = ['transformers', model, pooling, quantized ? 'q8' : 'fp32'];
  if (!normalize) parts.push('unnormalised');
  // JSON quoting keeps trailing spaces ("query: ") visible and comparable.
  if (queryPrefix) parts.push(`query=${JSON.stringify(queryPrefix)}`);
  if (passagePrefix) parts.push(`passage=${JSON.stringify(passagePrefix)}`);
  return parts.join(':');
}

export async function createTransformersEmbedder(
  options: Partial<TransformersEmbedderOptions> = {},
): Promise<TransformersEmbedder> {
  const resolved: TransformersEmbedderOptions = { ...DEFAULT_TRANSFORMERS_OPTIONS, ...options };
  const { model, quantized, allowRemoteModels } = resolved;
  const family = modelFamilyDefaults(model);
  const pooling = resolved.pooling ?? family.pooling;
  const normalize = resolved.normalize ?? DEFAULT_NORMALIZE;
  const queryPrefix = resolved.queryPrefix ?? family.queryPrefix;
  const passagePrefix = resolved.passagePrefix ?? family.passagePrefix;
  const batchSize = resolved.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const localModelPath = path.resolve(resolved.localModelPath);

  const missing = missingModelFiles({ model, localModelPath, quantized });
  if (missing.length > 0 && !allowRemoteModels) {
    throw new Error(
      `Embedding model "${model}" is not available locally: missing ${missing.join(', ')} in ` +
        `${modelDir({ model, localModelPath })}. Put the model folder there (with config.json, ` +
        `tokenizer.json, tokenizer_config.json and ${requiredModelFiles(quantized)[3]}), ` +
        'or set ALLOW_REMOTE_MODELS=true to download it once into that folder ' +
        '(a mirror such as https://hf-mirror.com/ can be given as remoteHost).',
    );
  }

  const extractor = await serialised(async () => {
    // Imported here, not at the top: a server without a model never loads onnxruntime and the library.
    const { env, pipeline } = await import('@xenova/transformers');
    const settings = env as unknown as LibrarySettings;
    libraryRemoteHost ??= settings.remoteHost;
    settings.localModelPath = localModelPath;
    settings.allowLocalModels = true;
    settings.allowRemoteModels = allowRemoteModels;
    settings.remoteHost = resolved.remoteHost ?? libraryRemoteHost ?? settings.remoteHost;
    // The library's file cache is keyed `<model>/<file>`; pointing it at the model folder makes a
    // download land where `isTransformersModelAvailable` looks, so the next start is offline.
    settings.cacheDir = localModelPath;
    try {
      return await pipeline('feature-extraction', model, { quantized });
    } catch (error) {
      throw new Error(
        `Could not load embedding model "${model}" from ${modelDir({ model, localModelPath })}`,
        {
          cause: error,
        },
      );
    }
  });

  async function embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    const output = await extractor([...texts], { pooling, normalize });
    const [rows, width] = output.dims;
    if (rows !== texts.length || width === undefined) {
      throw new Error(`Unexpected embedding shape [${output.dims.join(', ')}] for ${texts.length} texts`);
    }
    const data = output.data as Float32Array;
    const vectors: Float32Array[] = [];
    for (let row = 0; row < rows; row++) {
      // A copy, so one kept vector does not pin the whole batch's buffer.
      vectors.push(Float32Array.from(data.subarray(row * width, (row + 1) * width)));
    }
    return vectors;
  }

  async function embedAll(texts: readonly string[], prefix: string): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const batch = texts.slice(start, start + batchSize).map((text) => prefix + text);
      vectors.push(...(await embedBatch(batch)));
    }
    return vectors;
  }

  const [probe] = await embedBatch([PROBE_TEXT]);
  const dimensions = probe?.length ?? 0;
  if (dimensions === 0) throw new Error(`Embedding model "${model}" produced an empty vector`);

  return {
    id: describeId(model, pooling, normalize, quantized, queryPrefix, passagePrefix),
    dimensions,
    model,
    pooling,
    embedDocuments: (texts) => embedAll(texts, passagePrefix),
    async embedQuery(text) {
      const [vector] = await embedAll([text], queryPrefix);
      if (!vector) throw new Error('Embedding model returned no vector for the query');
      return vector;
    },
    dispose: () => extractor.dispose(),
  };
}
