/**
 * Error weights and the weighted root-mean-square norm that every step-size controller here
 * uses (Hindmarsh et al. 2005, SUNDIALS, eq. (2.7)): ‖v‖ = sqrt(Σ (v_i·w_i)² / n) with
 * w_i = 1 / (rtol·|y_i| + atol_i), so a norm of 1 is "exactly at tolerance".
 */

/**
 * Writes w_i = 1 / (rtol·|y_i| + atol_i) into `ewt`.
 * @returns the index of the first component whose weight is not positive and finite
 * (y_i = 0 with atol_i = 0, or a non-finite y_i), or −1 when all weights are valid.
 */
export function setErrorWeights(
  n: number, rtol: number, atol: Float64Array, y: Float64Array, ewt: Float64Array,
): number {
  for (let i = 0; i < n; i++) {
    const s = rtol * Math.abs(y[i]) + atol[i];
    // `!(s > 0)` rejects NaN too; `s === Infinity` would make the weight 0 and hide errors.
    if (!(s > 0) || s === Infinity) return i;
    ewt[i] = 1 / s;
  }
  return -1;
}

/** Weighted RMS norm sqrt(Σ (v_i·w_i)² / n). */
export function wrmsNorm(n: number, v: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] * w[i];
    s += x * x;
  }
  return Math.sqrt(s / n);
}

/** True when every entry of `v[0..n)` is finite. */
export function allFinite(n: number, v: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    // v − v is 0 for finite v and NaN for ±Inf and NaN.
    if (v[i] - v[i] !== 0) return false;
  }
  return true;
}

/** Copies v[0..n) into `out` when every entry is finite; returns false (`out` partly written) otherwise. */
export function copyIfFinite(n: number, v: Float64Array, out: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x - x !== 0) return false;
    out[i] = x;
  }
  return true;
}
