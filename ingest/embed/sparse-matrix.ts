/**
 * Compressed sparse row matrix and the products the randomized SVD needs. Dense blocks are row-major
 * `rows × width` Float64Arrays, so each product is a run of contiguous axpys of length `width`. Every
 * product streams through the rows of A once; dense blocks indexed by column should be the small ones.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row i holds entries rowStart[i] … rowStart[i + 1] - 1; length rows + 1. */
  readonly rowStart: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

export function nonZeros(a: CsrMatrix): number {
  return a.rowStart[a.rows] ?? 0;
}

/** Aᵀ as a CSR matrix (that is, A in compressed sparse column form), column indices ascending. */
export function transpose(a: CsrMatrix): CsrMatrix {
  const nnz = nonZeros(a);
  const rowStart = new Int32Array(a.cols + 1);
  for (let p = 0; p < nnz; p++) rowStart[a.colIndex[p]! + 1]!++;
  for (let j = 0; j < a.cols; j++) rowStart[j + 1]! += rowStart[j]!;
  const next = rowStart.slice(0, a.cols);
  const colIndex = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let i = 0; i < a.rows; i++) {
    for (let p = a.rowStart[i]!; p < a.rowStart[i + 1]!; p++) {
      const at = next[a.colIndex[p]!]!++;
      colIndex[at] = i;
      values[at] = a.values[p]!;
    }
  }
  return { rows: a.cols, cols: a.rows, rowStart, colIndex, values };
}

/**
 * out[o … o+width) += v · x[s … s+width). Unrolled by four: these loops are nearly all of the fitting time,
 * and V8 runs the unrolled form about a quarter faster.
 */
function axpy(out: Float64Array, o: number, v: number, x: Float64Array, s: number, width: number): void {
  const w4 = width - (width & 3);
  let c = 0;
  for (; c < w4; c += 4) {
    out[o + c]! += v * x[s + c]!;
    out[o + c + 1]! += v * x[s + c + 1]!;
    out[o + c + 2]! += v * x[s + c + 2]!;
    out[o + c + 3]! += v * x[s + c + 3]!;
  }
  for (; c < width; c++) out[o + c]! += v * x[s + c]!;
}

/** A·X, with X `a.cols × width`; returns `a.rows × width`. */
export function multiply(a: CsrMatrix, x: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.rows * width);
  const { rowStart, colIndex, values } = a;
  for (let i = 0; i < a.rows; i++) {
    const o = i * width;
    const end = rowStart[i + 1]!;
    for (let p = rowStart[i]!; p < end; p++) axpy(out, o, values[p]!, x, colIndex[p]! * width, width);
  }
  return out;
}

/**
 * Aᵀ·X, with X `a.rows × width` given row by row through `rowOf` (so a random test matrix over the
 * rows never has to be stored); returns `a.cols × width`.
 */
export function multiplyTransposedRows(
  a: CsrMatrix,
  width: number,
  rowOf: (i: number) => Float64Array,
): Float64Array {
  const out = new Float64Array(a.cols * width);
  const { rowStart, colIndex, values } = a;
  for (let i = 0; i < a.rows; i++) {
    const start = rowStart[i]!;
    const end = rowStart[i + 1]!;
    if (start === end) continue;
    const xi = rowOf(i);
    for (let p = start; p < end; p++) {
      axpy(out, colIndex[p]! * width, values[p]!, xi, 0, width);
    }
  }
  return out;
}

/**
 * AᵀA·X, with X `a.cols × width`, one row of A at a time: t = aᵢ·X, then out += aᵢᵀ·t. Never holds the
 * `a.rows × width` intermediate, which matters when there are many more documents than terms.
 */
export function multiplyGram(a: CsrMatrix, x: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.cols * width);
  const t = new Float64Array(width);
  const { rowStart, colIndex, values } = a;
  for (let i = 0; i < a.rows; i++) {
    const start = rowStart[i]!;
    const end = rowStart[i + 1]!;
    if (start === end) continue;
    t.fill(0);
    for (let p = start; p < end; p++) {
      axpy(t, 0, values[p]!, x, colIndex[p]! * width, width);
    }
    for (let p = start; p < end; p++) {
      axpy(out, colIndex[p]! * width, values[p]!, t, 0, width);
    }
  }
  return out;
}

/**
 * (A·X)ᵀ(A·X), with X `a.cols × width`, accumulated one row of A at a time; returns the symmetric
 * `width × width` matrix, row-major.
 */
export function projectedGram(a: CsrMatrix, x: Float64Array, width: number): Float64Array {
  const out = new Float64Array(width * width);
  const t = new Float64Array(width);
  const { rowStart, colIndex, values } = a;
  for (let i = 0; i < a.rows; i++) {
    const start = rowStart[i]!;
    const end = rowStart[i + 1]!;
    if (start === end) continue;
    t.fill(0);
    for (let p = start; p < end; p++) {
      axpy(t, 0, values[p]!, x, colIndex[p]! * width, width);
    }
    for (let r = 0; r < width; r++) {
      const tr = t[r]!;
      if (tr === 0) continue;
      const o = r * width;
      for (let c = r; c < width; c++) out[o + c]! += tr * t[c]!;
    }
  }
  for (let r = 0; r < width; r++) {
    for (let c = r + 1; c < width; c++) out[c * width + r] = out[r * width + c]!;
  }
  return out;
}
