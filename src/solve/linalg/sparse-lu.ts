/**
 * Sparse LU factorisation for the Newton matrices M = I − γJ of large sparse systems (hundreds
 * to thousands of states), split into a symbolic phase done once per pattern and a numeric
 * phase repeated whenever γ or J changes.
 *
 * Symbolic phase: a fill-reducing symmetric ordering by minimum degree on the graph of A + Aᵀ
 * (Rose 1972; George & Liu, "The evolution of the minimum degree ordering algorithm", SIAM
 * Review 31 (1989) 1–19), computed on an explicit elimination graph. Eliminating a vertex makes
 * its remaining neighbours a clique, so the elimination graph is also the symbolic
 * factorisation: the neighbours of the k-th vertex when it is eliminated are the off-diagonal
 * pattern of row k of U and column k of L (Rose, Tarjan & Lueker 1976).
 *
 * Numeric phase: row-by-row (up-looking, "IKJ") Doolittle elimination on the fixed filled
 * pattern with diagonal pivots, no allocation. M = I − γJ is close to the identity for small γ
 * and diagonally dominant in the stiff regime, which is why diagonal pivoting is the standard
 * choice for BDF iteration matrices; a pivot smaller than `pivotTolerance` times the largest
 * entry of its row is reported so that the caller can fall back to a dense factorisation with
 * partial pivoting ({@link SparseLU.factor} does so itself when `denseFallback` is on).
 *
 * The pattern being fixed, every position the numeric phase touches is known after the
 * symbolic phase. For factors of up to about a thousand entries the factorisation and the solves
 * run as straight-line code generated for the pattern (`sparse-lu-kernels.ts`); larger ones run
 * the loops below, which take the targets of the elimination updates from a list made once
 * instead of scattering each row into a work vector. Both do the same operations in the same
 * order.
 */
import { luFactor, luSolve } from './dense-lu.js';
import {
  patternKernels, patternRecord, type FactorKernel, type FilledPattern, type PatternRecord, type SolveKernel,
} from './sparse-lu-kernels.js';

export interface CsrPattern {
  readonly n: number;
  /** n + 1 row starts into `colIdx`. */
  readonly rowPtr: Int32Array;
  /** Column indices, ascending within each row; the diagonal must be present. */
  readonly colIdx: Int32Array;
}

/**
 * Outcome of a numeric factorisation: `Sparse` — the sparse factors with diagonal pivots are
 * valid; `Dense` — a diagonal pivot was too small and the dense fallback is in use; `Singular`
 * — the matrix is singular (also with partial pivoting).
 */
export const FactorStatus = { Sparse: 0, Dense: 1, Singular: 2 } as const;
export type FactorStatus = (typeof FactorStatus)[keyof typeof FactorStatus];

/** Options of {@link SparseLU}. */
export interface SparseLUOptions {
  /**
   * Run the numeric phase as code generated for the pattern when it is small enough (default
   * true); false keeps the loops. The results are the same bit for bit.
   */
  generateCode?: boolean;
  /**
   * Factorisations plus solves with the loops on this pattern (counted over all SparseLUs of the
   * same pattern) before the code is generated (default {@link GENERATE_AFTER}); 0 generates it
   * at once.
   */
  generateAfter?: number;
}

/**
 * Default of {@link SparseLUOptions.generateAfter}: about the number of solves whose savings pay
 * for generating, compiling and warming up the code of a pattern of a few hundred entries.
 */
export const GENERATE_AFTER = 20000;

/** Computes a minimum-degree elimination order of the symmetrised pattern. Returns perm (new → old). */
export function minimumDegreeOrder(p: CsrPattern): Int32Array {
  const n = p.n;
  const adj: Set<number>[] = [];
  for (let i = 0; i < n; i++) adj.push(new Set<number>());
  for (let i = 0; i < n; i++) {
    for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) {
      const j = p.colIdx[k];
      if (j !== i) {
        adj[i].add(j);
        adj[j].add(i);
      }
    }
  }
  const perm = new Int32Array(n);
  const done = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    // The vertex of least current degree (ties: lowest index, which keeps the order deterministic).
    let best = -1;
    let bestDeg = Infinity;
    for (let v = 0; v < n; v++) {
      if (done[v] === 0 && adj[v].size < bestDeg) {
        bestDeg = adj[v].size;
        best = v;
      }
    }
    perm[k] = best;
    done[best] = 1;
    const nb = Array.from(adj[best]);
    for (const u of nb) adj[u].delete(best);
    // Its neighbours become a clique (the fill of this elimination step).
    for (let a = 0; a < nb.length; a++) {
      const sa = adj[nb[a]];
      for (let b = a + 1; b < nb.length; b++) {
        if (!sa.has(nb[b])) {
          sa.add(nb[b]);
          adj[nb[b]].add(nb[a]);
        }
      }
    }
    adj[best].clear();
  }
  return perm;
}

/** Sparse LU with a fixed fill pattern; see the file header. */
export class SparseLU {
  readonly n: number;
  /** perm[k] = original index of the k-th pivot. */
  readonly perm: Int32Array;
  /** iperm[original] = pivot position. */
  readonly iperm: Int32Array;
  /** Filled pattern (permuted indices), CSR with ascending columns. */
  readonly fRowPtr: Int32Array;
  readonly fColIdx: Int32Array;
  /** Position of the diagonal of each row in the filled pattern. */
  readonly fDiag: Int32Array;
  /** Factor values on the filled pattern: L strictly below the diagonal (unit diagonal implied), U on and above. */
  readonly lu: Float64Array;
  /** For each entry of the input pattern (CSR order), its position in the filled pattern. */
  readonly map: Int32Array;
  /** Relative pivot size below which the sparse factors are not trusted. */
  pivotTolerance = 1e-10;
  /** Fall back to dense LU with partial pivoting when a diagonal pivot is too small. */
  denseFallback = true;

  private readonly inPattern: CsrPattern;
  /**
   * Targets of the elimination updates: for row i, each L entry (i, j) in ascending j, each U
   * entry (j, k) of row j in ascending k, the position of (i, k) in the filled pattern.
   */
  private readonly updateTarget: Int32Array;
  private readonly rowMax: Float64Array;
  private readonly x: Float64Array;
  /** Generated numeric phase for this pattern, or null for the loops. */
  private factorCode: FactorKernel | null = null;
  private solveCode: SolveKernel | null = null;
  /** Use count of the pattern until its code is adopted (null: not generating code). */
  private record: PatternRecord | null = null;
  private readonly generateAfter: number;
  private readonly filled: FilledPattern;
  private dense: { a: Float64Array; piv: Int32Array } | null = null;
  private usingDense = false;

  constructor(pattern: CsrPattern, perm?: Int32Array, options: SparseLUOptions = {}) {
    const n = pattern.n;
    this.n = n;
    this.inPattern = pattern;
    this.perm = perm ?? minimumDegreeOrder(pattern);
    this.iperm = new Int32Array(n);
    for (let k = 0; k < n; k++) this.iperm[this.perm[k]] = k;
    const { iperm } = this;

    // Symbolic factorisation in the permuted numbering: eliminate vertices in order 0..n-1 on
    // the graph of PAPᵀ + (PAPᵀ)ᵀ, recording each vertex's later neighbours (its U row).
    const adj: Set<number>[] = [];
    for (let i = 0; i < n; i++) adj.push(new Set<number>());
    for (let i = 0; i < n; i++) {
      for (let k = pattern.rowPtr[i]; k < pattern.rowPtr[i + 1]; k++) {
        const a = iperm[i];
        const b = iperm[pattern.colIdx[k]];
        if (a !== b) {
          adj[a].add(b);
          adj[b].add(a);
        }
      }
    }
    const upper: number[][] = [];
    for (let k = 0; k < n; k++) {
      const later = Array.from(adj[k]).filter((v) => v > k).sort((x, y) => x - y);
      upper.push(later);
      for (let a = 0; a < later.length; a++) {
        const sa = adj[later[a]];
        for (let b = a + 1; b < later.length; b++) {
          if (!sa.has(later[b])) {
            sa.add(later[b]);
            adj[later[b]].add(later[a]);
          }
        }
      }
    }
    // The filled pattern is symmetric: L's row i holds the columns k < i with i in upper[k].
    const lower: number[][] = Array.from({ length: n }, () => []);
    for (let k = 0; k < n; k++) for (const i of upper[k]) lower[i].push(k);
    const rowPtr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + lower[i].length + 1 + upper[i].length;
    const colIdx = new Int32Array(rowPtr[n]);
    const diag = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let p = rowPtr[i];
      for (const k of lower[i]) colIdx[p++] = k; // ascending: filled in increasing k
      diag[i] = p;
      colIdx[p++] = i;
      for (const k of upper[i]) colIdx[p++] = k;
    }
    this.fRowPtr = rowPtr;
    this.fColIdx = colIdx;
    this.fDiag = diag;
    this.lu = new Float64Array(colIdx.length);
    this.rowMax = new Float64Array(n);
    this.x = new Float64Array(n);

    // Where each input entry lands.
    const rowPos = new Int32Array(n).fill(-1);
    this.map = new Int32Array(pattern.colIdx.length);
    for (let i = 0; i < n; i++) {
      const pi = iperm[i];
      for (let p = rowPtr[pi]; p < rowPtr[pi + 1]; p++) rowPos[colIdx[p]] = p;
      for (let k = pattern.rowPtr[i]; k < pattern.rowPtr[i + 1]; k++) this.map[k] = rowPos[iperm[pattern.colIdx[k]]];
      for (let p = rowPtr[pi]; p < rowPtr[pi + 1]; p++) rowPos[colIdx[p]] = -1;
    }
    // Where each update of the elimination lands, in the order `factor` performs them. The
    // filled pattern is closed under elimination, so every target exists.
    let updates = 0;
    for (let i = 0; i < n; i++) for (let p = rowPtr[i]; p < diag[i]; p++) updates += rowPtr[colIdx[p] + 1] - diag[colIdx[p]] - 1;
    this.updateTarget = new Int32Array(updates);
    let u = 0;
    for (let i = 0; i < n; i++) {
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) rowPos[colIdx[p]] = p;
      for (let p = rowPtr[i]; p < diag[i]; p++) {
        const j = colIdx[p];
        for (let q = diag[j] + 1; q < rowPtr[j + 1]; q++) this.updateTarget[u++] = rowPos[colIdx[q]];
      }
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) rowPos[colIdx[p]] = -1;
    }
    this.filled = {
      n, perm: this.perm, inRowPtr: pattern.rowPtr, map: this.map, rowPtr, colIdx, diag, updateTarget: this.updateTarget,
    };
    this.generateAfter = options.generateAfter ?? GENERATE_AFTER;
    if (options.generateCode ?? true) {
      this.record = patternRecord(this.filled);
      if (this.record !== null) this.countUse(0);
    }
  }

  /** Number of stored entries of L + U (fill included). */
  get nnzFactors(): number { return this.fColIdx.length; }

  /** Whether the factorisation and the solve now run as code generated for the pattern. */
  get generated(): { factor: boolean; solve: boolean } {
    return { factor: this.factorCode !== null, solve: this.solveCode !== null };
  }

  /** Counts uses of the loops, and switches to the generated code once the pattern has enough. */
  private countUse(k: number): void {
    const r = this.record!;
    r.uses += k;
    if (r.uses < this.generateAfter) return;
    const kernels = patternKernels(r, this.filled);
    this.factorCode = kernels.factor;
    this.solveCode = kernels.solve;
    this.record = null;
  }

  /**
   * Factorises the matrix whose values are given in the order of the input pattern.
   * No allocation except for the dense fallback's work arrays, made once on first use.
   */
  factor(values: Float64Array): FactorStatus {
    if (this.record !== null) this.countUse(1);
    if (this.factorCode !== null) {
      if (this.factorCode(values, this.lu, this.pivotTolerance)) {
        this.usingDense = false;
        return FactorStatus.Sparse;
      }
      return this.denseFallback ? this.factorDense(values) : FactorStatus.Singular;
    }
    const { n, lu, map, iperm, fRowPtr: rp, fColIdx: ci, fDiag: dg, updateTarget: tgt, rowMax } = this;
    const inRowPtr = this.inPattern.rowPtr;
    lu.fill(0);
    // Scatter the input, and take each row's scale for the pivot test from it (the filled
    // positions hold zeros, which never raise the largest magnitude).
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let k = inRowPtr[i], end = inRowPtr[i + 1]; k < end; k++) {
        const v = values[k];
        lu[map[k]] += v;
        const a = Math.abs(v);
        if (a > m) m = a;
      }
      rowMax[iperm[i]] = m;
    }
    const tol = this.pivotTolerance;
    let ok = true;
    let u = 0;
    for (let i = 0; i < n && ok; i++) {
      const d = dg[i];
      // Eliminate with each earlier row j that has an entry in row i (ascending j).
      for (let p = rp[i]; p < d; p++) {
        const j = ci[p];
        const q0 = dg[j] + 1;
        const q1 = rp[j + 1];
        const l = lu[p] / lu[q0 - 1];
        lu[p] = l;
        if (l !== 0) {
          for (let q = q0, t = u; q < q1; q++, t++) lu[tgt[t]] -= l * lu[q];
        }
        u += q1 - q0;
      }
      // `!(… > …)` is also true for NaN.
      if (!(Math.abs(lu[d]) > tol * rowMax[i])) ok = false;
    }
    if (ok) {
      this.usingDense = false;
      return FactorStatus.Sparse;
    }
    if (!this.denseFallback) return FactorStatus.Singular;
    return this.factorDense(values);
  }

  /** Solves A·x = b in place, with the factors of the last successful {@link factor}. */
  solve(b: Float64Array): void {
    const { n, perm, x } = this;
    if (this.usingDense) {
      const dn = this.dense!;
      luSolve(n, dn.a, dn.piv, b);
      return;
    }
    if (this.record !== null) this.countUse(1);
    if (this.solveCode !== null) {
      this.solveCode(this.lu, b);
      return;
    }
    const { lu, fRowPtr: rp, fColIdx: ci, fDiag: dg } = this;
    // The permutation is applied inside the sweeps: the forward sweep reads b in pivot order and
    // the backward sweep writes each finished component back to its place in b.
    // Loop bounds are read into locals: V8 cannot tell that the stores to x leave rp and dg
    // unchanged, and would reload them at every iteration (a third of the time of a solve).
    for (let i = 0; i < n; i++) {
      let s = b[perm[i]];
      for (let p = rp[i], end = dg[i]; p < end; p++) s -= lu[p] * x[ci[p]];
      x[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      const d = dg[i];
      for (let p = d + 1, end = rp[i + 1]; p < end; p++) s -= lu[p] * x[ci[p]];
      s /= lu[d];
      x[i] = s;
      b[perm[i]] = s;
    }
  }

  private factorDense(values: Float64Array): FactorStatus {
    const n = this.n;
    if (this.dense === null) this.dense = { a: new Float64Array(n * n), piv: new Int32Array(n) };
    const { a, piv } = this.dense;
    a.fill(0);
    const p = this.inPattern;
    for (let i = 0; i < n; i++) {
      for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) a[i * n + p.colIdx[k]] += values[k];
    }
    this.usingDense = luFactor(n, a, piv) === 0;
    return this.usingDense ? FactorStatus.Dense : FactorStatus.Singular;
  }
}
