/**
 * The small dense steps of a randomized SVD: orthonormalising a tall block, products with small matrices,
 * and the eigen-decomposition of a small symmetric matrix. Matrices are row-major Float64Arrays.
 */

/**
 * A column whose norm falls below this fraction during Gram-Schmidt has lost most of its digits to
 * cancellation and is projected once more ("twice is enough", Kahan and Parlett); if it shrinks as much
 * again it lies in the span of the previous columns and is set to zero.
 */
const REORTHOGONALIZE_RATIO = 0.7;
/**
 * Jacobi stops when the off-diagonal part is this small relative to the whole matrix (Frobenius norms):
 * eigenvalues then move by less than rounding would move them, and the last sweeps that would only
 * polish off-diagonal dust (a quarter of the work) are skipped.
 */
const JACOBI_TOLERANCE = 1e-15;
/** Sweeps after which the cyclic Jacobi method gives up; it converges quadratically, in well under 20. */
const MAX_JACOBI_SWEEPS = 60;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Orthonormalises the columns of the `rows × width` block `x` in place by modified Gram-Schmidt with
 * re-orthogonalisation. Columns that are (numerically) combinations of earlier ones become zero, so the
 * result has orthonormal or zero columns.
 */
export function orthonormalizeColumns(x: Float64Array, rows: number, width: number): void {
  // Column-major copy so that every dot product and update runs over contiguous memory.
  const cols = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) cols[c * rows + r] = x[r * width + c]!;
  }
  for (let j = 0; j < width; j++) {
    const v = cols.subarray(j * rows, (j + 1) * rows);
    let before = Math.sqrt(dot(v, v));
    if (before === 0) continue;
    let independent = false;
    for (let pass = 0; pass < 2 && !independent; pass++) {
      for (let i = 0; i < j; i++) {
        const q = cols.subarray(i * rows, (i + 1) * rows);
        const r = dot(q, v);
        if (r !== 0) for (let t = 0; t < rows; t++) v[t]! -= r * q[t]!;
      }
      const after = Math.sqrt(dot(v, v));
      independent = after > 0 && after >= REORTHOGONALIZE_RATIO * before;
      before = after;
    }
    if (independent) {
      const inv = 1 / before;
      for (let t = 0; t < rows; t++) v[t]! *= inv;
    } else {
      v.fill(0);
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) x[r * width + c] = cols[c * rows + r]!;
  }
}

/** Xᵀ·Y for two `rows × width` blocks; returns `width × width`. */
export function transposeTimes(x: Float64Array, y: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(width * width);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let a = 0; a < width; a++) {
      const xa = x[o + a]!;
      if (xa === 0) continue;
      const oa = a * width;
      for (let b = 0; b < width; b++) out[oa + b]! += xa * y[o + b]!;
    }
  }
  return out;
}

/** X·M for X `rows × width` and M `width × k`; returns `rows × k`. */
export function timesSmall(
  x: Float64Array,
  rows: number,
  width: number,
  m: Float64Array,
  k: number,
): Float64Array {
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let a = 0; a < width; a++) {
      const xa = x[r * width + a]!;
      if (xa === 0) continue;
      const oa = a * k;
      for (let c = 0; c < k; c++) out[o + c]! += xa * m[oa + c]!;
    }
  }
  return out;
}

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** `n × n`, row-major; column j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of the symmetric `n × n` matrix `matrix` (row-major; only symmetric input is
 * meaningful) by the cyclic Jacobi method, which is accurate to rounding for every eigenvalue size.
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  // Rows of vt are the eigenvectors, so each rotation updates two contiguous rows.
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < MAX_JACOBI_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off <= JACOBI_TOLERANCE * JACOBI_TOLERANCE * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const g = 100 * Math.abs(apq);
        // Late in the iteration an element this small next to both diagonals no longer changes them.
        if (sweep > 3 && Math.abs(app) + g === Math.abs(app) && Math.abs(aqq) + g === Math.abs(aqq)) {
          a[p * n + q] = 0;
          a[q * n + p] = 0;
          continue;
        }
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = a[r * n + p]!;
          const arq = a[r * n + q]!;
          const np = c * arp - s * arq;
          const nq = s * arp + c * arq;
          a[r * n + p] = np;
          a[p * n + r] = np;
          a[r * n + q] = nq;
          a[q * n + r] = nq;
        }
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        const rowP = p * n;
        const rowQ = q * n;
        for (let r = 0; r < n; r++) {
          const vp = vt[rowP + r]!;
          const vq = vt[rowQ + r]!;
          vt[rowP + r] = c * vp - s * vq;
          vt[rowQ + r] = s * vp + c * vq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]! || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = a[from * n + from]!;
    for (let r = 0; r < n; r++) vectors[r * n + to] = vt[from * n + r]!;
  });
  return { values, vectors };
}
