/**
 * Small dense linear algebra for linear time-invariant systems: the matrix exponential (exact
 * propagation of compartment models and of a channel's Markov chain at a clamped voltage) and
 * the stationary distribution of a continuous-time Markov chain (binding equilibrium).
 * Matrices are row-major `Float64Array`s.
 */
import { luFactor, luSolve } from '../solve/linalg/dense-lu.js';

/** C = A·B for n×n matrices. */
export function matMul(n: number, a: Float64Array, b: Float64Array, out = new Float64Array(n * n)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
    }
  }
  return out;
}

/** y = A·x. */
export function matVec(n: number, a: Float64Array, x: ArrayLike<number>, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Padé(13) coefficients (Higham 2005, SIAM J Matrix Anal Appl 26:1179, Table 2.3 / eq. 2.4). */
const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
/** θ13 of Higham 2005 Table 2.3: the 1-norm below which Padé(13) is accurate to double precision. */
const THETA13 = 5.371920351148152;

function norm1(n: number, a: Float64Array): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * exp(A) by scaling and squaring with the degree-13 Padé approximant (Higham 2005). Used for
 * small systems (tens of states), where it is exact to rounding for piecewise-constant inputs.
 * @throws RangeError if A holds a non-finite entry.
 */
export function expm(n: number, a: Float64Array): Float64Array {
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(a[i])) throw new RangeError(`matrix exponential of a matrix with a non-finite entry (${a[i]}) at (${Math.floor(i / n)}, ${i % n})`);
  const nrm = norm1(n, a);
  const s = nrm > THETA13 ? Math.max(0, Math.ceil(Math.log2(nrm / THETA13))) : 0;
  const scale = 1 / 2 ** s;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) A[i] = a[i] * scale;
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  const A2 = matMul(n, A, A);
  const A4 = matMul(n, A2, A2);
  const A6 = matMul(n, A4, A2);
  const tmpU = new Float64Array(n * n);
  const tmpV = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    tmpU[i] = B13[13] * A6[i] + B13[11] * A4[i] + B13[9] * A2[i];
    tmpV[i] = B13[12] * A6[i] + B13[10] * A4[i] + B13[8] * A2[i];
  }
  const W1 = matMul(n, A6, tmpU);
  const Z1 = matMul(n, A6, tmpV);
  const W = new Float64Array(n * n);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    W[i] = W1[i] + B13[7] * A6[i] + B13[5] * A4[i] + B13[3] * A2[i] + B13[1] * I[i];
    V[i] = Z1[i] + B13[6] * A6[i] + B13[4] * A4[i] + B13[2] * A2[i] + B13[0] * I[i];
  }
  const U = matMul(n, A, W);
  // Solve (V − U)·R = (V + U) column by column.
  const P = new Float64Array(n * n);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    P[i] = V[i] + U[i];
    Q[i] = V[i] - U[i];
  }
  const piv = new Int32Array(n);
  if (luFactor(n, Q, piv) !== 0) throw new RangeError('matrix exponential: the Padé denominator is singular');
  const R = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) col[i] = P[i * n + j];
    luSolve(n, Q, piv, col);
    for (let i = 0; i < n; i++) R[i * n + j] = col[i];
  }
  let out = R;
  const buf = new Float64Array(n * n);
  for (let k = 0; k < s; k++) {
    matMul(n, out, out, buf);
    out.set(buf);
  }
  out = out.slice();
  return out;
}

/**
 * Solves A·x = b (A is copied, not changed).
 * @throws RangeError when A is singular.
 */
export function solveLinear(n: number, a: Float64Array, b: ArrayLike<number>): Float64Array {
  const m = a.slice();
  const piv = new Int32Array(n);
  if (luFactor(n, m, piv) !== 0) throw new RangeError('singular linear system');
  const x = Float64Array.from(b);
  luSolve(n, m, piv, x);
  return x;
}

/**
 * Stationary distribution π of a continuous-time Markov chain with generator rows `q`
 * (q[i*n+j] = rate i→j for i ≠ j; diagonal ignored): πQ = 0, Σπ = 1. The balance equation of
 * the last state is replaced by the normalisation, which makes the system regular when the
 * chain is irreducible.
 * @throws RangeError when the chain is reducible (no unique stationary distribution).
 */
export function stationaryDistribution(n: number, q: Float64Array): Float64Array {
  // Build Aᵀ with A = Q (diagonal = −row sums), then row n−1 := 1.
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let out = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const r = q[i * n + j];
      out += r;
      m[j * n + i] += r; // inflow into j from i
    }
    m[i * n + i] -= out;
  }
  for (let j = 0; j < n; j++) m[(n - 1) * n + j] = 1;
  const b = new Float64Array(n);
  b[n - 1] = 1;
  const piv = new Int32Array(n);
  if (luFactor(n, m, piv) !== 0) throw new RangeError('the Markov chain has no unique stationary distribution (some states cannot reach each other)');
  luSolve(n, m, piv, b);
  // Round-off can leave tiny negative occupancies; they are noise, not states.
  for (let i = 0; i < n; i++) if (b[i] < 0 && b[i] > -1e-12) b[i] = 0;
  return b;
}
