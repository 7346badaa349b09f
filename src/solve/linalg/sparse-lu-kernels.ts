/**
 * Straight-line numeric kernels for one filled pattern of {@link SparseLU}: the factorisation
 * and the triangular solves written out entry by entry as JavaScript source, compiled once per
 * pattern with `new Function`.
 *
 * Why: the pattern is fixed for a whole integration, so every index of the elimination and of
 * the sweeps is known after the symbolic phase. Generated code holds the entries in local
 * variables and addresses the arrays with constant indices, so it does none of the per-entry
 * index loads, loop control and per-access typed-array checks of the loops (which V8 repeats at
 * every iteration of an inner loop). On a 71-state neuron model (487 factor entries) a solve
 * takes a third of the time of the loops, a factorisation about half. Writing out the operations
 * of a sparse factorisation for a known pattern is an old technique (Gustavson, Liniger &
 * Willoughby 1970, "Symbolic generation of an optimal Crout algorithm for sparse systems of
 * linear equations", J. ACM 17:87–109).
 *
 * The generated code performs exactly the floating-point operations of the loops in
 * `sparse-lu.ts`, in the same order, so both give bit-identical factors and solutions.
 *
 * Generating the code and letting V8 optimise it costs some tens of milliseconds, which a short
 * integration never earns back. So a pattern is only compiled once it has been factorised and
 * solved with often enough ({@link PatternRecord}), counting over every SparseLU of the pattern:
 * each integration of a model builds a new SparseLU for the same pattern, and the record keeps
 * the compiled functions (and V8's optimised code for them) for the next one. Patterns too large
 * get no kernel (null), and the caller keeps its loops.
 */

/** The filled pattern and index maps of a {@link SparseLU}, in its permuted numbering. */
export interface FilledPattern {
  readonly n: number;
  /** perm[k] = original index of the k-th pivot. */
  readonly perm: Int32Array;
  /** Row starts of the input pattern (original numbering). */
  readonly inRowPtr: Int32Array;
  /** For each input entry, its position in the filled pattern. */
  readonly map: Int32Array;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly diag: Int32Array;
  /** Target position of each elimination update, in the order of the up-looking elimination. */
  readonly updateTarget: Int32Array;
}

/**
 * Factorises `values` (input-pattern order) into `lu` on the filled pattern; returns false as
 * soon as a pivot is below `tol` times the largest magnitude of its input row (or NaN), and
 * `lu` is then left unspecified.
 */
export type FactorKernel = (values: Float64Array, lu: Float64Array, tol: number) => boolean;
/** Solves A·x = b in place in `b` with the factors in `lu`. */
export type SolveKernel = (lu: Float64Array, b: Float64Array) => void;

/**
 * Size limits. V8 never optimises a function of more than 60 KB of bytecode, and its optimising
 * compiler takes more than proportionally longer on long straight-line functions. A solve takes
 * about 25 bytes of bytecode per entry of the factors and stays one function; the factorisation
 * is cut into pieces of at most CHUNK_LOCALS entries and CHUNK_OPS operations, which compile in
 * about 10 ms each and run as fast as larger pieces. Larger patterns keep the loops.
 */
const MAX_SOLVE_OPS = 1500;
const MAX_FACTOR_OPS = 6000;
const CHUNK_LOCALS = 60;
const CHUNK_OPS = 300;

/** Operations written out by each kernel (entries, updates, loads and stores), for the limits. */
const solveOps = (f: FilledPattern): number => f.colIdx.length + 2 * f.n;
const factorOps = (f: FilledPattern): number => f.inRowPtr[f.n] + f.updateTarget.length + 2 * f.colIdx.length;

/** The kernels of one pattern; null where the pattern is too large or code generation is unavailable. */
export interface PatternKernels {
  readonly factor: FactorKernel | null;
  readonly solve: SolveKernel | null;
}

/** What is known of one pattern across the SparseLUs that use it. */
export interface PatternRecord {
  /** Factorisations and solves done with the loops so far. */
  uses: number;
  /** The generated kernels, once made. */
  kernels: PatternKernels | null;
}

/** Records by pattern, most recently used last; a few patterns are live at a time (one per model being solved). */
const records = new Map<string, PatternRecord>();
const RECORDS = 16;

/** The record of a filled pattern (made on first use); null when it is too large for any kernel. */
export function patternRecord(f: FilledPattern): PatternRecord | null {
  if (solveOps(f) > MAX_SOLVE_OPS && factorOps(f) > MAX_FACTOR_OPS) return null;
  // Everything the generated code depends on (diag and the update targets follow from the filled pattern).
  const key = [f.perm, f.inRowPtr, f.map, f.rowPtr, f.colIdx].map((a) => a.join(',')).join('|');
  let r = records.get(key);
  if (r !== undefined) {
    records.delete(key);
  } else {
    r = { uses: 0, kernels: null };
    if (records.size >= RECORDS) records.delete(records.keys().next().value!);
  }
  records.set(key, r);
  return r;
}

/** The kernels of a pattern, generated on the first call for its record. */
export function patternKernels(r: PatternRecord, f: FilledPattern): PatternKernels {
  if (r.kernels === null) r.kernels = { factor: factorKernel(f), solve: solveKernel(f) };
  return r.kernels;
}

function compile<F>(params: string[], body: string): F | null {
  try {
    return new Function(...params, `"use strict";\n${body}`) as F;
  } catch {
    // No code generation (e.g. a content security policy without 'unsafe-eval'): keep the loops.
    return null;
  }
}

/**
 * The factorisation of {@link SparseLU.factor} written out, in pieces of consecutive rows that
 * run one after the other.
 */
function factorKernel(f: FilledPattern): FactorKernel | null {
  const { n, rowPtr: rp, colIdx: ci, diag: dg } = f;
  if (factorOps(f) > MAX_FACTOR_OPS) return null;
  // Index of the first elimination update of each row.
  const rowUpdate = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let p = rp[i]; p < dg[i]; p++) c += rp[ci[p] + 1] - dg[ci[p]] - 1;
    rowUpdate[i + 1] = rowUpdate[i] + c;
  }
  const rowOps = (i: number): number => 2 * (rp[i + 1] - rp[i]) + (dg[i] - rp[i]) + rowUpdate[i + 1] - rowUpdate[i];
  const rowLocals = (i0: number, i1: number): number => rp[i1] - rp[i0] + (i1 - i0);
  const pieces: FactorKernel[] = [];
  for (let i0 = 0; i0 < n;) {
    let i1 = i0 + 1;
    let ops = rowOps(i0);
    while (i1 < n && rowLocals(i0, i1 + 1) <= CHUNK_LOCALS && ops + rowOps(i1) <= CHUNK_OPS) ops += rowOps(i1++);
    // A single row too large for one piece.
    if (rowLocals(i0, i1) > CHUNK_LOCALS || ops > CHUNK_OPS) return null;
    const piece = compile<FactorKernel>(['values', 'lu', 'tol'], factorPiece(f, i0, i1, rowUpdate[i0]));
    if (piece === null) return null;
    pieces.push(piece);
    i0 = i1;
  }
  if (pieces.length === 1) return pieces[0];
  return (values, lu, tol) => {
    for (let k = 0; k < pieces.length; k++) if (!pieces[k](values, lu, tol)) return false;
    return true;
  };
}

/**
 * Rows i0..i1−1 of the factorisation, whose elimination updates start at index u0. The piece
 * holds the entries of its rows in locals `v<p>`: it scatters their input (0 + value, as the
 * loops do on a zeroed array) and takes each input row's largest magnitude `m<i>`, eliminates row
 * by row (the finished U rows of earlier pieces are read from `lu`), tests each pivot, and stores
 * its rows.
 */
function factorPiece(f: FilledPattern, i0: number, i1: number, u0: number): string {
  const { perm, inRowPtr, map, rowPtr: rp, colIdx: ci, diag: dg, updateTarget: tgt } = f;
  const p0 = rp[i0];
  const p1 = rp[i1];
  const entry = (p: number): string => (p >= p0 ? `v${p}` : `lu[${p}]`);
  const decl = ['a = 0', 'l = 0'];
  for (let p = p0; p < p1; p++) decl.push(`v${p} = 0`);
  for (let i = i0; i < i1; i++) decl.push(`m${i} = 0`);
  const out = [`let ${decl.join(', ')};`];
  for (let i = i0; i < i1; i++) {
    for (let k = inRowPtr[perm[i]]; k < inRowPtr[perm[i] + 1]; k++) {
      out.push(`a = values[${k}]; v${map[k]} += a; a = Math.abs(a); m${i} = a > m${i} ? a : m${i};`);
    }
  }
  let u = u0;
  for (let i = i0; i < i1; i++) {
    // Eliminate with each earlier row j that has an entry in row i (ascending j).
    for (let p = rp[i]; p < dg[i]; p++) {
      const j = ci[p];
      out.push(`l = v${p} / ${entry(dg[j])}; v${p} = l;`);
      if (rp[j + 1] > dg[j] + 1) {
        let upd = '';
        for (let q = dg[j] + 1; q < rp[j + 1]; q++, u++) upd += ` v${tgt[u]} -= l * ${entry(q)};`;
        out.push(`if (l !== 0) {${upd} }`);
      }
    }
    // `!(… > …)` is also true for NaN.
    out.push(`if (!(Math.abs(v${dg[i]}) > tol * m${i})) return false;`);
  }
  for (let p = p0; p < p1; p++) out.push(`lu[${p}] = v${p};`);
  out.push('return true;');
  return out.join('\n');
}

/**
 * The solve of {@link SparseLU.solve} written out: forward substitution with L into locals
 * `x<i>` (pivot order) reading b through the permutation, back substitution with U writing each
 * finished component back to its place in b.
 */
function solveKernel(f: FilledPattern): SolveKernel | null {
  const { n, perm, rowPtr: rp, colIdx: ci, diag: dg } = f;
  if (solveOps(f) > MAX_SOLVE_OPS) return null;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let e = `let x${i} = b[${perm[i]}]`;
    for (let p = rp[i]; p < dg[i]; p++) e += ` - lu[${p}] * x${ci[p]}`;
    out.push(`${e};`);
  }
  for (let i = n - 1; i >= 0; i--) {
    let e = `x${i}`;
    for (let p = dg[i] + 1; p < rp[i + 1]; p++) e += ` - lu[${p}] * x${ci[p]}`;
    out.push(`x${i} = (${e}) / lu[${dg[i]}];`);
    out.push(`b[${perm[i]}] = x${i};`);
  }
  return compile<SolveKernel>(['lu', 'b'], out.join('\n'));
}
