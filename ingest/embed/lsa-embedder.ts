import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { compareCodeUnits } from '../text/code-unit-order.ts';
import type { FittedEmbedder } from './embedder.ts';
import { randomizedSvd } from './randomized-svd.ts';
import type { CsrMatrix } from './sparse-matrix.ts';

/**
 * Latent semantic analysis: TF-IDF over the caller's tokens, reduced by a truncated SVD fitted on the
 * corpus at ingest. Needs no downloaded weights, so it is the offline default. A text is embedded by
 * folding its TF-IDF vector into the concept space (q·V·Σ⁻¹) and L2-normalising.
 *
 * A text with no term of the vocabulary gets the zero vector, not a unit vector: it carries no evidence,
 * and any fixed unit vector would give it an arbitrary similarity to every chunk. Its dot product with
 * every vector is 0, and hnswlib's cosine space leaves zero vectors unnormalised (distance 1, similarity 0).
 */

/** Turns text into terms; supplied by the caller (the shared Chinese tokenizer), so fitting and queries agree. */
export type Tokenize = (text: string) => string[];

export interface LsaOptions {
  /** Concepts kept. Default {@link DEFAULT_LSA_DIMENSIONS}; capped at documents − 1 and vocabulary size. */
  dimensions: number;
  /** Terms in fewer documents are dropped. Default {@link DEFAULT_LSA_MIN_DOC_FREQUENCY}. */
  minDocFrequency: number;
  /** Only this many terms, the most frequent in the corpus, are kept. Default {@link DEFAULT_LSA_MAX_VOCABULARY}. */
  maxVocabulary: number;
  /** Extra random directions in the range finder. Default {@link DEFAULT_LSA_OVERSAMPLING}. */
  oversampling: number;
  /** Power iterations in the range finder. Default {@link DEFAULT_LSA_POWER_ITERATIONS}. */
  powerIterations: number;
  /** Seed of the random test matrix. Default {@link DEFAULT_LSA_SEED}. */
  seed: number;
}

/** 256: the usual LSA size for retrieval; enough concepts for a few thousand clauses, fitted in seconds. */
export const DEFAULT_LSA_DIMENSIONS = 256;
/** 1: a corpus of a handful of documents has many terms in one chunk only, and they identify that chunk. */
export const DEFAULT_LSA_MIN_DOC_FREQUENCY = 1;
/** 50 000: bounds the stored projection (terms × dimensions float32, ≈51 MB at 256) and fitting memory. */
export const DEFAULT_LSA_MAX_VOCABULARY = 50_000;
/** 10: Halko et al. find 5–10 extra directions make the leading singular vectors reliable. */
export const DEFAULT_LSA_OVERSAMPLING = 10;
/** 2: TF-IDF spectra decay slowly; each iteration separates the leading concepts for two sparse products. */
export const DEFAULT_LSA_POWER_ITERATIONS = 2;
/** 42: any fixed seed makes fitting deterministic, so rebuilding an index gives the same vectors. */
export const DEFAULT_LSA_SEED = 42;

export const DEFAULT_LSA_OPTIONS: Readonly<LsaOptions> = {
  dimensions: DEFAULT_LSA_DIMENSIONS,
  minDocFrequency: DEFAULT_LSA_MIN_DOC_FREQUENCY,
  maxVocabulary: DEFAULT_LSA_MAX_VOCABULARY,
  oversampling: DEFAULT_LSA_OVERSAMPLING,
  powerIterations: DEFAULT_LSA_POWER_ITERATIONS,
  seed: DEFAULT_LSA_SEED,
};

/** Version of the algorithm and of {@link LsaState}; part of the embedder id. */
const LSA_VERSION = 1;

export type LsaErrorCode = 'LSA_BAD_OPTIONS' | 'LSA_NO_DOCUMENTS' | 'LSA_NO_TERMS' | 'LSA_BAD_STATE';

export class LsaError extends Error {
  override readonly name = 'LsaError';
  constructor(
    readonly code: LsaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What {@link FittedEmbedder.state} returns for LSA; plain JSON. */
export interface LsaState {
  kind: 'lsa';
  version: typeof LSA_VERSION;
  id: string;
  dimensions: number;
  vocabulary: string[];
  idf: number[];
  /** Base64 of a little-endian Float32Array, `vocabulary.length × dimensions` row-major: V_k·Σ_k⁻¹. */
  projection: string;
}

interface LsaModel {
  id: string;
  dimensions: number;
  vocabulary: readonly string[];
  idf: Float64Array;
  projection: Float32Array;
}

function resolveOptions(options: Partial<LsaOptions>): LsaOptions {
  const resolved = { ...DEFAULT_LSA_OPTIONS, ...options };
  const minimum: Record<keyof LsaOptions, number> = {
    dimensions: 1,
    minDocFrequency: 1,
    maxVocabulary: 1,
    oversampling: 0,
    powerIterations: 0,
    seed: 0,
  };
  for (const key of Object.keys(minimum) as (keyof LsaOptions)[]) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < minimum[key]) {
      throw new LsaError(
        'LSA_BAD_OPTIONS',
        `LSA option ${key} must be an integer ≥ ${minimum[key]}, got ${value}`,
      );
    }
  }
  return resolved;
}

/** Term ids in first-seen order, their document and corpus frequencies, and each text's term counts. */
interface TermCounts {
  terms: string[];
  docFrequency: number[];
  corpusFrequency: number[];
  documents: { ids: Int32Array; counts: Int32Array }[];
}

function countTerms(texts: readonly string[], tokenize: Tokenize): TermCounts {
  const idOf = new Map<string, number>();
  const counts: TermCounts = { terms: [], docFrequency: [], corpusFrequency: [], documents: [] };
  for (const text of texts) {
    const local = new Map<number, number>();
    for (const token of tokenize(text)) {
      let id = idOf.get(token);
      if (id === undefined) {
        id = counts.terms.length;
        idOf.set(token, id);
        counts.terms.push(token);
        counts.docFrequency.push(0);
        counts.corpusFrequency.push(0);
      }
      local.set(id, (local.get(id) ?? 0) + 1);
    }
    const ids = new Int32Array(local.size);
    const tf = new Int32Array(local.size);
    let i = 0;
    for (const [id, count] of local) {
      ids[i] = id;
      tf[i++] = count;
      counts.docFrequency[id]!++;
      counts.corpusFrequency[id]! += count;
    }
    counts.documents.push({ ids, counts: tf });
  }
  return counts;
}

/** Ids of the kept terms, in vocabulary (sorted term) order. */
function selectVocabulary(counts: TermCounts, options: LsaOptions): number[] {
  const { terms, docFrequency, corpusFrequency } = counts;
  let kept = terms.map((_, id) => id).filter((id) => docFrequency[id]! >= options.minDocFrequency);
  if (kept.length > options.maxVocabulary) {
    kept.sort(
      (x, y) =>
        corpusFrequency[y]! - corpusFrequency[x]! ||
        docFrequency[y]! - docFrequency[x]! ||
        compareCodeUnits(terms[x]!, terms[y]!),
    );
    kept = kept.slice(0, options.maxVocabulary);
  }
  return kept.sort((x, y) => compareCodeUnits(terms[x]!, terms[y]!));
}

/** Smooth idf, as in scikit-learn: log((1 + N) / (1 + df)) + 1, never zero, finite for unseen counts. */
function smoothIdf(documents: number, docFrequency: number): number {
  return Math.log((1 + documents) / (1 + docFrequency)) + 1;
}

/** Sublinear tf: the tenth mention of a term says less than the first. */
function sublinearTf(count: number): number {
  return 1 + Math.log(count);
}

function tfidfMatrix(counts: TermCounts, column: Int32Array, idf: Float64Array): CsrMatrix {
  const { documents } = counts;
  const rowStart = new Int32Array(documents.length + 1);
  let nnz = 0;
  documents.forEach((doc, i) => {
    for (const id of doc.ids) if (column[id]! >= 0) nnz++;
    rowStart[i + 1] = nnz;
  });
  const colIndex = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  documents.forEach((doc, i) => {
    const start = rowStart[i]!;
    const entries: [number, number][] = [];
    doc.ids.forEach((id, k) => {
      const c = column[id]!;
      if (c >= 0) entries.push([c, sublinearTf(doc.counts[k]!) * idf[c]!]);
    });
    entries.sort((x, y) => x[0] - y[0]);
    let norm = 0;
    for (const [, w] of entries) norm += w * w;
    norm = Math.sqrt(norm);
    entries.forEach(([c, w], k) => {
      colIndex[start + k] = c;
      values[start + k] = w / norm;
    });
  });
  return { rows: documents.length, cols: idf.length, rowStart, colIndex, values };
}

/**
 * Fits LSA on `texts` (the corpus chunks). Dimensions are capped at `texts.length - 1` (at least 1) and at
 * the vocabulary size; the embedder's `dimensions` says what was used.
 */
export function fitLsaEmbedder(
  texts: readonly string[],
  tokenize: Tokenize,
  options: Partial<LsaOptions> = {},
): FittedEmbedder {
  const opts = resolveOptions(options);
  if (texts.length === 0) throw new LsaError('LSA_NO_DOCUMENTS', 'Cannot fit LSA: no texts were given');
  const counts = countTerms(texts, tokenize);
  const kept = selectVocabulary(counts, opts);
  if (kept.length === 0) {
    throw new LsaError(
      'LSA_NO_TERMS',
      `Cannot fit LSA: no term occurs in at least ${opts.minDocFrequency} of the ${texts.length} texts`,
    );
  }
  const column = new Int32Array(counts.terms.length).fill(-1);
  kept.forEach((id, c) => {
    column[id] = c;
  });
  const vocabulary = kept.map((id) => counts.terms[id]!);
  const idf = Float64Array.from(kept, (id) => smoothIdf(texts.length, counts.docFrequency[id]!));
  const matrix = tfidfMatrix(counts, column, idf);
  const dimensions = Math.min(opts.dimensions, Math.max(1, texts.length - 1), vocabulary.length);
  const svd = randomizedSvd(matrix, {
    rank: dimensions,
    oversampling: opts.oversampling,
    powerIterations: opts.powerIterations,
    seed: opts.seed,
  });
  // Fold-in projection V_k·Σ_k⁻¹, rounded to float32 now so fitted and reloaded embedders agree exactly.
  const projection = new Float32Array(vocabulary.length * dimensions);
  for (let j = 0; j < vocabulary.length; j++) {
    for (let c = 0; c < dimensions; c++) {
      const sigma = svd.singularValues[c]!;
      projection[j * dimensions + c] = sigma > 0 ? svd.rightVectors[j * dimensions + c]! / sigma : 0;
    }
  }
  const model = { dimensions, vocabulary, idf, projection };
  return createLsaEmbedder({ ...model, id: lsaId(model) }, tokenize);
}

/**
 * `lsa:v1:d<dimensions>:<hash>`. The hash covers vocabulary, idf and projection, so an index fitted on
 * another corpus (or a re-chunked one with the same vocabulary) does not match. It cannot cover the
 * tokenizer: callers must pass the same one at ingest and at query time.
 */
function lsaId(model: Omit<LsaModel, 'id'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(model.vocabulary));
  hash.update(new Uint8Array(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength));
  hash.update(encodeFloat32(model.projection));
  return `lsa:v${LSA_VERSION}:d${model.dimensions}:${hash.digest('hex').slice(0, 12)}`;
}

const BIG_ENDIAN = endianness() === 'BE';

/** Little-endian bytes of `values`, whatever the host's byte order. */
function encodeFloat32(values: Float32Array): Buffer {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return BIG_ENDIAN ? Buffer.from(bytes).swap32() : bytes;
}

/** Inverse of {@link encodeFloat32}; `bytes.length` must be a multiple of 4. */
function decodeFloat32(bytes: Buffer): Float32Array {
  const values = new Float32Array(bytes.length / 4);
  const view = new Uint8Array(values.buffer);
  view.set(bytes);
  if (BIG_ENDIAN) Buffer.from(values.buffer).swap32();
  return values;
}

function createLsaEmbedder(model: LsaModel, tokenize: Tokenize): FittedEmbedder {
  const { dimensions, idf, projection } = model;
  const columnOf = new Map(model.vocabulary.map((term, c) => [term, c]));
  const whole = dimensions - (dimensions % 4);

  const embed = (text: string): Float32Array => {
    const tf = new Map<number, number>();
    for (const token of tokenize(text)) {
      const c = columnOf.get(token);
      if (c !== undefined) tf.set(c, (tf.get(c) ?? 0) + 1);
    }
    // The TF-IDF row is not normalised first: the final normalisation makes that scale irrelevant.
    const v = new Float64Array(dimensions);
    for (const [c, count] of tf) {
      const w = sublinearTf(count) * idf[c]!;
      const row = c * dimensions;
      // Unrolled by four, like the fitting kernels: embedding every chunk at ingest runs this loop most.
      let d = 0;
      for (; d < whole; d += 4) {
        v[d]! += w * projection[row + d]!;
        v[d + 1]! += w * projection[row + d + 1]!;
        v[d + 2]! += w * projection[row + d + 2]!;
        v[d + 3]! += w * projection[row + d + 3]!;
      }
      for (; d < dimensions; d++) v[d]! += w * projection[row + d]!;
    }
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += v[d]! * v[d]!;
    const out = new Float32Array(dimensions);
    if (norm === 0) return out;
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dimensions; d++) out[d] = v[d]! * inv;
    return out;
  };

  return {
    id: model.id,
    dimensions,
    embedDocuments: async (texts) => texts.map(embed),
    embedQuery: async (text) => embed(text),
    state: (): LsaState => ({
      kind: 'lsa',
      version: LSA_VERSION,
      id: model.id,
      dimensions,
      vocabulary: [...model.vocabulary],
      idf: Array.from(idf),
      projection: encodeFloat32(projection).toString('base64'),
    }),
  };
}

function badState(problem: string): LsaError {
  return new LsaError('LSA_BAD_STATE', `Invalid LSA embedder state: ${problem}`);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Restores an embedder from {@link FittedEmbedder.state}; it gives the same vectors as the fitted one. */
export function loadLsaEmbedder(state: unknown, tokenize: Tokenize): FittedEmbedder {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw badState(
      `expected an object, got ${state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state}`,
    );
  }
  const s = state as Record<string, unknown>;
  if (s.kind !== 'lsa') throw badState(`kind must be "lsa", got ${JSON.stringify(s.kind)}`);
  if (s.version !== LSA_VERSION) {
    throw badState(`version ${JSON.stringify(s.version)} is not supported (this build reads ${LSA_VERSION})`);
  }
  const { id, dimensions, vocabulary, idf, projection } = s;
  if (typeof id !== 'string') throw badState('id must be a string');
  if (typeof dimensions !== 'number' || !Number.isSafeInteger(dimensions) || dimensions < 1) {
    throw badState(`dimensions must be a positive integer, got ${JSON.stringify(dimensions)}`);
  }
  if (
    !Array.isArray(vocabulary) ||
    vocabulary.length === 0 ||
    !vocabulary.every((t) => typeof t === 'string')
  ) {
    throw badState('vocabulary must be a non-empty array of strings');
  }
  if (new Set(vocabulary).size !== vocabulary.length) throw badState('vocabulary has duplicate terms');
  if (!Array.isArray(idf) || idf.length !== vocabulary.length) {
    throw badState(`idf must be an array of ${vocabulary.length} numbers (one per vocabulary term)`);
  }
  if (!idf.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
    throw badState('idf must hold positive finite numbers');
  }
  if (typeof projection !== 'string' || !BASE64.test(projection)) {
    throw badState('projection must be a base64 string');
  }
  const bytes = Buffer.from(projection, 'base64');
  if (bytes.length % 4 !== 0) throw badState('projection is not a whole number of float32 values');
  const values = decodeFloat32(bytes);
  if (values.length !== vocabulary.length * dimensions) {
    throw badState(
      `projection holds ${values.length} numbers, expected vocabulary × dimensions = ${vocabulary.length * dimensions}`,
    );
  }
  if (!values.every(Number.isFinite)) throw badState('projection holds non-finite numbers');
  const model = {
    dimensions,
    vocabulary: vocabulary as string[],
    idf: Float64Array.from(idf),
    projection: values,
  };
  const expected = lsaId(model);
  if (id !== expected) {
    throw badState(`id ${id} does not match its contents (${expected}); the state was edited or corrupted`);
  }
  return createLsaEmbedder({ ...model, id }, tokenize);
}
