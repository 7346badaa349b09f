/**
 * Dense LU factorisation with partial pivoting on a row-major n×n `Float64Array`, in place,
 * with no allocation: the kernel behind the Newton iteration matrix M = I − γJ of the implicit
 * methods for small and medium systems.
 *
 * Algorithm: right-looking Gaussian elimination with partial pivoting (Golub & Van Loan,
 * "Matrix Computations", 4th ed., Alg. 3.4.1), with whole-row interchanges as in LAPACK
 * `dgetrf`/`dgetrs`, in row-major order so that the inner update runs along contiguous rows.
 * After `luFactor`, the strict lower triangle holds the multipliers of L (unit diagonal
 * implied) and the upper triangle holds U; `piv[k]` is the row swapped with row k at step k.
 */

/**
 * Factorises `a` (row-major, n×n) in place as P·A = L·U.
 * @returns 0 on success, or k + 1 when the pivot of column k is exactly zero (the matrix is
 * singular to working precision); the factors are then incomplete and must not be used.
 */
export function luFactor(n: number, a: Float64Array, piv: Int32Array): number {
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    // Pivot: the largest magnitude in column k on or below the diagonal.
    let p = k;
    let big = Math.abs(a[rowK + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > big) {
        big = v;
        p = i;
      }
    }
    piv[k] = p;
    // `!(big > 0)` also catches NaN, which would otherwise spread silently through the factors.
    if (!(big > 0)) return k + 1;
    if (p !== k) {
      const rowP = p * n;
      for (let j = 0; j < n; j++) {
        const tmp = a[rowK + j];
        a[rowK + j] = a[rowP + j];
        a[rowP + j] = tmp;
      }
    }
    const inv = 1 / a[rowK + k];
    for (let i = k + 1; i < n; i++) {
      const rowI = i * n;
      const m = a[rowI + k] * inv;
      a[rowI + k] = m;
      if (m !== 0) {
        for (let j = k + 1; j < n; j++) a[rowI + j] -= m * a[rowK + j];
      }
    }
  }
  return 0;
}

/** Solves A·x = b in place in `b`, using the factors from {@link luFactor}. */
export function luSolve(n: number, a: Float64Array, piv: Int32Array, b: Float64Array): void {
  // The factorisation swapped whole rows (multipliers included), so all interchanges are
  // applied to b first (as LAPACK dgetrs), then L is applied by forward substitution.
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p !== k) {
      const tmp = b[p];
      b[p] = b[k];
      b[k] = tmp;
    }
  }
  for (let k = 0; k < n; k++) {
    const bk = b[k];
    if (bk !== 0) {
      for (let i = k + 1; i < n; i++) b[i] -= a[i * n + k] * bk;
    }
  }
  // Back substitution with U.
  for (let i = n - 1; i >= 0; i--) {
    const rowI = i * n;
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[rowI + j] * b[j];
    b[i] = s / a[rowI + i];
  }
}
