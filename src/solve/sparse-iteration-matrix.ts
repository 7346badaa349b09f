/**
 * Iteration matrix M = I − c·J for large sparse systems. J lives on the problem's CSR pattern
 * (`jacPattern`, diagonal included) and M on the same pattern, factorised by the sparse LU of
 * `linalg/sparse-lu.ts` whose ordering and fill pattern are computed once here.
 *
 * J comes from `jacSparse`, else from the dense `jac` gathered onto the pattern, else from
 * forward differences with column grouping (Curtis, Powell & Reid 1974, "On the estimation of
 * sparse Jacobian matrices", IMA J. Appl. Math. 13:117–119): columns that share no row are
 * perturbed together, so a banded or 2D-stencil Jacobian costs a handful of f evaluations.
 */
import { fdMinIncrement, type IterationMatrix } from './iteration-matrix.js';
import { FactorStatus, SparseLU } from './linalg/sparse-lu.js';
import type { OdeProblem, SolverStats, SparsePattern } from './types.js';

const SQRT_UROUND = Math.sqrt(Number.EPSILON);

/**
 * Greedy column grouping: columns in one group have disjoint row sets.
 * @returns group index per column and the number of groups.
 */
export function columnGroups(p: SparsePattern): { group: Int32Array; count: number } {
  const n = p.n;
  // Rows of each column (the transpose pattern).
  const colRows: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) colRows[p.colIdx[k]].push(i);
  const group = new Int32Array(n).fill(-1);
  // rowMark[r] = last group that touched row r while the group is being built.
  const rowMark = new Int32Array(n).fill(-1);
  let count = 0;
  let assigned = 0;
  while (assigned < n) {
    const g = count++;
    for (let j = 0; j < n; j++) {
      if (group[j] !== -1) continue;
      let free = true;
      for (const r of colRows[j]) {
        if (rowMark[r] === g) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      group[j] = g;
      assigned++;
      for (const r of colRows[j]) rowMark[r] = g;
    }
  }
  return { group, count };
}

export class SparseIterationMatrix implements IterationMatrix {
  private readonly n: number;
  private readonly pattern: SparsePattern;
  private readonly jac: Float64Array;
  private readonly m: Float64Array;
  private readonly diagPos: Int32Array;
  private readonly lu: SparseLU;
  private readonly fwork: Float64Array;
  private readonly ywork: Float64Array;
  private denseJ: Float64Array | null = null;
  /** Column groups for differencing, and for each group the list of columns (CSR-like). */
  private readonly groupPtr: Int32Array;
  private readonly groupCols: Int32Array;
  /** Column-major view of the pattern: for column j, rows and positions in the CSR arrays. */
  private readonly cscPtr: Int32Array;
  private readonly cscRow: Int32Array;
  private readonly cscPos: Int32Array;
  private readonly inc: Float64Array;

  constructor(private readonly problem: OdeProblem, private readonly stats: SolverStats) {
    const p = problem.jacPattern!;
    const n = problem.n;
    this.n = n;
    this.pattern = p;
    const nnz = p.colIdx.length;
    this.jac = new Float64Array(nnz);
    this.m = new Float64Array(nnz);
    this.diagPos = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) if (p.colIdx[k] === i) this.diagPos[i] = k;
    }
    this.lu = new SparseLU({ n, rowPtr: p.rowPtr, colIdx: p.colIdx });
    this.fwork = new Float64Array(n);
    this.ywork = new Float64Array(n);
    this.inc = new Float64Array(n);
    const { group, count } = columnGroups(p);
    this.groupPtr = new Int32Array(count + 1);
    for (let j = 0; j < n; j++) this.groupPtr[group[j] + 1]++;
    for (let g = 0; g < count; g++) this.groupPtr[g + 1] += this.groupPtr[g];
    this.groupCols = new Int32Array(n);
    const fill = this.groupPtr.slice(0, count);
    for (let j = 0; j < n; j++) this.groupCols[fill[group[j]]++] = j;
    this.cscPtr = new Int32Array(n + 1);
    for (let k = 0; k < nnz; k++) this.cscPtr[p.colIdx[k] + 1]++;
    for (let j = 0; j < n; j++) this.cscPtr[j + 1] += this.cscPtr[j];
    this.cscRow = new Int32Array(nnz);
    this.cscPos = new Int32Array(nnz);
    const next = this.cscPtr.slice(0, n);
    for (let i = 0; i < n; i++) {
      for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) {
        const q = next[p.colIdx[k]]++;
        this.cscRow[q] = i;
        this.cscPos[q] = k;
      }
    }
  }

  /** Number of f evaluations a difference Jacobian costs (the number of column groups). */
  get fdGroups(): number { return this.groupPtr.length - 1; }

  updateJacobian(t: number, y: Float64Array, fy: Float64Array, ewt: Float64Array, h: number): void {
    const { n, jac, problem, stats, pattern: p } = this;
    stats.nJ++;
    if (problem.jacSparse !== undefined) {
      problem.jacSparse(t, y, jac);
      return;
    }
    if (problem.jac !== undefined) {
      if (this.denseJ === null) this.denseJ = new Float64Array(n * n);
      const d = this.denseJ;
      problem.jac(t, y, d);
      for (let i = 0; i < n; i++) for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) jac[k] = d[i * n + p.colIdx[k]];
      return;
    }
    const minInc = fdMinIncrement(n, fy, ewt, h);
    const { groupPtr, groupCols, cscPtr, cscRow, cscPos, inc, fwork, ywork } = this;
    for (let i = 0; i < n; i++) ywork[i] = y[i];
    for (let g = 0; g + 1 < groupPtr.length; g++) {
      for (let c = groupPtr[g]; c < groupPtr[g + 1]; c++) {
        const j = groupCols[c];
        const yj = y[j];
        ywork[j] = yj + Math.max(SQRT_UROUND * Math.abs(yj), minInc / ewt[j]);
        inc[j] = ywork[j] - yj;
      }
      problem.rhs(t, ywork, fwork);
      stats.nf++;
      for (let c = groupPtr[g]; c < groupPtr[g + 1]; c++) {
        const j = groupCols[c];
        const r = 1 / inc[j];
        for (let q = cscPtr[j]; q < cscPtr[j + 1]; q++) {
          const i = cscRow[q];
          jac[cscPos[q]] = (fwork[i] - fy[i]) * r;
        }
        ywork[j] = y[j];
      }
    }
  }

  factor(c: number): boolean {
    const { n, jac, m, diagPos } = this;
    for (let k = 0; k < jac.length; k++) m[k] = -c * jac[k];
    for (let i = 0; i < n; i++) m[diagPos[i]] += 1;
    this.stats.nLU++;
    return this.lu.factor(m) !== FactorStatus.Singular;
  }

  solve(b: Float64Array): void {
    this.stats.nSolve++;
    this.lu.solve(b);
  }
}

export function createSparseIterationMatrix(problem: OdeProblem, stats: SolverStats): IterationMatrix {
  return new SparseIterationMatrix(problem, stats);
}
