import { orthonormalizeColumns, symmetricEigen, timesSmall, transposeTimes } from './dense-linear-algebra.ts';
import {
  type CsrMatrix,
  multiply,
  multiplyGram,
  multiplyTransposedRows,
  nonZeros,
  projectedGram,
  transpose,
} from './sparse-matrix.ts';

/**
 * Singular values at or below this fraction of the largest are treated as zero: they come from
 * eigenvalues of B·Bᵀ, which carry absolute errors of a few ε·σ₁², so a σ this small has no correct
 * digits, and dividing by it (as fold-in does) would only amplify rounding noise.
 */
export const SINGULAR_VALUE_TOLERANCE = 1e-6;

export interface RandomizedSvdOptions {
  /** Number of singular triplets wanted, 1 … min(rows, cols). */
  rank: number;
  /** Extra random directions beyond `rank`; more makes the leading triplets more accurate. */
  oversampling: number;
  /** Applications of A·Aᵀ that sharpen the range when the spectrum decays slowly. */
  powerIterations: number;
  /** Seed of the Gaussian test matrix; the result is a deterministic function of matrix and options. */
  seed: number;
}

export interface TruncatedSvd {
  rank: number;
  /** Largest first; zero where below {@link SINGULAR_VALUE_TOLERANCE}. */
  singularValues: Float64Array;
  /** Right singular vectors, `cols × rank` row-major: column i belongs to singularValues[i] (zero if it is 0). */
  rightVectors: Float64Array;
}

/** splitmix32: spreads a small integer seed over all 32 bits to start the generator. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Standard normal numbers from sfc32 and the polar method; same seed, same sequence, everywhere. */
export function gaussianSource(seed: number): () => number {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    // Marsaglia's polar method: Box-Muller without the sine and cosine; rejects about 21% of pairs.
    for (;;) {
      const u = next() / 2147483648 - 1;
      const v = next() / 2147483648 - 1;
      const r = u * u + v * v;
      if (r >= 1 || r === 0) continue;
      const scale = Math.sqrt((-2 * Math.log(r)) / r);
      spare = v * scale;
      return u * scale;
    }
  };
}

function singularValuesOf(eigenvalues: Float64Array, rank: number): Float64Array {
  const sigma = new Float64Array(rank);
  const largest = Math.sqrt(Math.max(0, eigenvalues[0] ?? 0));
  for (let i = 0; i < rank; i++) {
    const s = Math.sqrt(Math.max(0, eigenvalues[i]!));
    sigma[i] = s > largest * SINGULAR_VALUE_TOLERANCE ? s : 0;
  }
  return sigma;
}

/**
 * B·Bᵀ = Qᵀ·Tᵀ·T·Q (`width × width`) by the cheaper of two routes: summing (T·Q)ᵢᵀ(T·Q)ᵢ over the rows
 * of T, or Qᵀ·(Tᵀ·T·Q), which is cheaper when T has many more rows than columns.
 */
function projectedCovariance(t: CsrMatrix, q: Float64Array, width: number): Float64Array {
  const nnz = nonZeros(t);
  if (nnz + (t.rows * width) / 2 <= 2 * nnz + t.cols * width) return projectedGram(t, q, width);
  const g = transposeTimes(q, multiplyGram(t, q, width), t.cols, width);
  // Rounding makes this route slightly asymmetric.
  for (let r = 0; r < width; r++) {
    for (let c = r + 1; c < width; c++) {
      const m = (g[r * width + c]! + g[c * width + r]!) / 2;
      g[r * width + c] = m;
      g[c * width + r] = m;
    }
  }
  return g;
}

/**
 * Truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson and Tropp (2011):
 * Y = M·Ω for a Gaussian Ω, power iterations Y ← M·Mᵀ·Q with re-orthonormalisation, Q = qr(Y),
 * B = Qᵀ·M, and the SVD of the small B from the eigen-decomposition of B·Bᵀ (Jacobi).
 *
 * M is the shorter of A and Aᵀ, so the dense blocks are min(rows, cols) × (rank + oversampling). Every
 * product streams the rows of T, the taller of A and Aᵀ, once, reading and writing only those small
 * blocks (cache-friendly), and Ω is drawn row by row as T is streamed, so it is never stored.
 */
export function randomizedSvd(a: CsrMatrix, options: RandomizedSvdOptions): TruncatedSvd {
  const small = Math.min(a.rows, a.cols);
  const { rank, oversampling, powerIterations, seed } = options;
  if (!Number.isInteger(rank) || rank < 1 || rank > small) {
    throw new RangeError(`randomizedSvd: rank must be an integer in 1…${small}, got ${rank}`);
  }
  const width = Math.min(rank + Math.max(0, Math.floor(oversampling)), small);
  const gaussian = gaussianSource(seed);
  const t = a.rows >= a.cols ? a : transpose(a);
  const row = new Float64Array(width);
  let q = multiplyTransposedRows(t, width, () => {
    for (let c = 0; c < width; c++) row[c] = gaussian();
    return row;
  });
  orthonormalizeColumns(q, small, width);
  for (let it = 0; it < powerIterations; it++) {
    q = multiplyGram(t, q, width);
    orthonormalizeColumns(q, small, width);
  }
  const { values, vectors } = symmetricEigen(projectedCovariance(t, q, width), width);
  const singularValues = singularValuesOf(values, rank);
  const leading = new Float64Array(width * rank);
  for (let r = 0; r < width; r++) {
    for (let c = 0; c < rank; c++) {
      if (singularValues[c]! > 0) leading[r * rank + c] = vectors[r * width + c]!;
    }
  }
  if (t === a) {
    // Q spans A's row space: Aᵀ ≈ (Q·Û)·Σ·V̂ᵀ, so A's right singular vectors are Q·Û.
    return { rank, singularValues, rightVectors: timesSmall(q, small, width, leading, rank) };
  }
  // Q spans A's column space: A ≈ (Q·Û)·Σ·Vᵀ, so V = Aᵀ·Q·Û·Σ⁻¹ = T·(Q·Û·Σ⁻¹).
  for (let r = 0; r < width; r++) {
    for (let c = 0; c < rank; c++) {
      const sigma = singularValues[c]!;
      if (sigma > 0) leading[r * rank + c]! /= sigma;
    }
  }
  return {
    rank,
    singularValues,
    rightVectors: multiply(t, timesSmall(q, small, width, leading, rank), rank),
  };
}
