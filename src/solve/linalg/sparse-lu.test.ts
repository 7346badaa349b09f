import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-utils.js';
import { luFactor, luSolve } from './dense-lu.js';
import { FactorStatus, minimumDegreeOrder, SparseLU, type CsrPattern } from './sparse-lu.js';

/** A random sparse pattern with the diagonal, about `perRow` off-diagonal entries per row, and diagonally dominant values. */
function randomSystem(n: number, perRow: number, seed: number): { p: CsrPattern; values: Float64Array } {
  const rnd = seededRandom(seed);
  const rows: Map<number, number>[] = [];
  for (let i = 0; i < n; i++) {
    const r = new Map<number, number>();
    for (let k = 0; k < perRow; k++) r.set(Math.floor(rnd() * n), rnd() * 2 - 1);
    let s = 0;
    for (const [j, v] of r) if (j !== i) s += Math.abs(v);
    r.set(i, (s + 0.5) * (rnd() < 0.5 ? -1 : 1));
    rows.push(r);
  }
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  rows.forEach((r, i) => {
    const js = [...r.keys()].sort((a, b) => a - b);
    for (const j of js) {
      cols.push(j);
      vals.push(r.get(j)!);
    }
    rowPtr[i + 1] = cols.length;
  });
  return { p: { n, rowPtr, colIdx: Int32Array.from(cols) }, values: Float64Array.from(vals) };
}

function toDense(p: CsrPattern, values: Float64Array): Float64Array {
  const n = p.n;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) a[i * n + p.colIdx[k]] = values[k];
  return a;
}

/** 5-point Laplacian pattern on an m×m grid (with the diagonal). */
function laplacian2d(m: number): { p: CsrPattern; values: Float64Array } {
  const n = m * m;
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const r = i * m + j;
      const entries: [number, number][] = [[r, 4.1]];
      if (i > 0) entries.push([r - m, -1]);
      if (i < m - 1) entries.push([r + m, -1]);
      if (j > 0) entries.push([r - 1, -1]);
      if (j < m - 1) entries.push([r + 1, -1]);
      entries.sort((a, b) => a[0] - b[0]);
      for (const [c, v] of entries) {
        cols.push(c);
        vals.push(v);
      }
      rowPtr[r + 1] = cols.length;
    }
  }
  return { p: { n, rowPtr, colIdx: Int32Array.from(cols) }, values: Float64Array.from(vals) };
}

describe('sparse LU', () => {
  it.each([[50, 3, 1], [200, 4, 2], [400, 5, 3]])('matches dense LU on a random diagonally dominant %i×%i system', (n, perRow, seed) => {
    const { p, values } = randomSystem(n, perRow, seed);
    const lu = new SparseLU(p);
    expect(lu.factor(values)).toBe(FactorStatus.Sparse);
    const rnd = seededRandom(seed + 100);
    const b = Float64Array.from({ length: n }, () => rnd() - 0.5);
    const xs = b.slice();
    lu.solve(xs);
    const a = toDense(p, values);
    const piv = new Int32Array(n);
    expect(luFactor(n, a, piv)).toBe(0);
    const xd = b.slice();
    luSolve(n, a, piv, xd);
    for (let i = 0; i < n; i++) expect(Math.abs(xs[i] - xd[i])).toBeLessThan(1e-11 * (1 + Math.abs(xd[i])));
  });

  it('refactorises new values on the same pattern', () => {
    const { p, values } = randomSystem(120, 4, 7);
    const lu = new SparseLU(p);
    lu.factor(values);
    const v2 = values.map((v, k) => v * (1 + 0.1 * Math.sin(k)));
    expect(lu.factor(v2)).toBe(FactorStatus.Sparse);
    const x = Float64Array.from({ length: 120 }, (_, i) => Math.cos(i));
    // b = A2·x, then solve and compare.
    const a = toDense(p, v2);
    const b = new Float64Array(120);
    for (let i = 0; i < 120; i++) for (let j = 0; j < 120; j++) b[i] += a[i * 120 + j] * x[j];
    lu.solve(b);
    for (let i = 0; i < 120; i++) expect(Math.abs(b[i] - x[i])).toBeLessThan(1e-12);
  });

  it('minimum degree keeps the fill of a 2D Laplacian far below the band profile', () => {
    const m = 20;
    const { p, values } = laplacian2d(m);
    const lu = new SparseLU(p);
    const natural = new SparseLU(p, Int32Array.from({ length: m * m }, (_, i) => i));
    // Natural order fills the whole band: about 2·m·n entries.
    expect(natural.nnzFactors).toBeGreaterThan(1.8 * m * m * m);
    expect(lu.nnzFactors).toBeLessThan(0.6 * natural.nnzFactors);
    expect(lu.factor(values)).toBe(FactorStatus.Sparse);
    const b = Float64Array.from({ length: m * m }, (_, i) => 1 + (i % 3));
    const x = b.slice();
    lu.solve(x);
    // Residual check A·x = b.
    for (let i = 0; i < m * m; i++) {
      let s = 0;
      for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) s += values[k] * x[p.colIdx[k]];
      expect(Math.abs(s - b[i])).toBeLessThan(1e-12);
    }
  });

  it('the ordering is a permutation', () => {
    const { p } = randomSystem(300, 4, 11);
    const perm = minimumDegreeOrder(p);
    expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it.each([true, false])('falls back to dense partial pivoting when a diagonal pivot vanishes (generated code: %s)', (generateCode) => {
    // [[0, 1], [1, 0]]-like blocks: regular, but with zero diagonal.
    const p: CsrPattern = { n: 2, rowPtr: Int32Array.from([0, 2, 4]), colIdx: Int32Array.from([0, 1, 0, 1]) };
    const values = Float64Array.from([0, 2, 3, 0]);
    const lu = new SparseLU(p, undefined, { generateCode });
    expect(lu.factor(values)).toBe(FactorStatus.Dense);
    const b = Float64Array.from([4, 9]);
    lu.solve(b);
    expect(Array.from(b)).toEqual([3, 2]);
    // Without the fallback the failure is reported.
    lu.denseFallback = false;
    expect(lu.factor(values)).toBe(FactorStatus.Singular);
  });

  it.each([
    ['random 40×40', randomSystem(40, 2, 22), true],
    ['random 60×60', randomSystem(60, 2, 21), true],
    ['2D Laplacian 8×8', laplacian2d(8), true],
    // Too many elimination updates for the factorisation: only the solve is generated.
    ['random 60×60, denser', randomSystem(60, 3, 21), false],
  ])('generated code and loops give bit-identical factors and solutions (%s)', (_name, { p, values }, factorGenerated) => {
    const generated = new SparseLU(p, undefined, { generateAfter: 0 });
    const loops = new SparseLU(p, undefined, { generateCode: false });
    expect(generated.generated).toEqual({ factor: factorGenerated, solve: true });
    expect(loops.generated).toEqual({ factor: false, solve: false });
    const rnd = seededRandom(5);
    for (let trial = 0; trial < 3; trial++) {
      const v = values.map((x) => x * (1 + 0.3 * (rnd() - 0.5)));
      expect(generated.factor(v)).toBe(FactorStatus.Sparse);
      expect(loops.factor(v)).toBe(FactorStatus.Sparse);
      expect(Array.from(generated.lu)).toEqual(Array.from(loops.lu));
      const b = Float64Array.from({ length: p.n }, () => rnd() - 0.5);
      const xg = b.slice();
      const xl = b.slice();
      generated.solve(xg);
      loops.solve(xl);
      expect(Array.from(xg)).toEqual(Array.from(xl));
    }
  });

  it('generated code and loops fail the same pivot tests (zero, tiny and NaN entries)', () => {
    const { p, values } = randomSystem(40, 2, 22);
    const generated = new SparseLU(p, undefined, { generateAfter: 0 });
    const loops = new SparseLU(p, undefined, { generateCode: false });
    expect(generated.generated.factor).toBe(true);
    generated.denseFallback = false;
    loops.denseFallback = false;
    const diagonal = (i: number): number => {
      for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) if (p.colIdx[k] === i) return k;
      return -1;
    };
    // The first pivot is the diagonal entry of row perm[0] as given.
    for (const row of [generated.perm[0], 0, 17, 39]) {
      for (const bad of [0, 1e-300, NaN]) {
        const v = values.slice();
        v[diagonal(row)] = bad;
        const status = generated.factor(v);
        expect(status).toBe(loops.factor(v));
        if (row === generated.perm[0]) expect(status).toBe(FactorStatus.Singular);
      }
      // An off-diagonal NaN.
      const v = values.slice();
      v[p.rowPtr[row] === diagonal(row) ? p.rowPtr[row] + 1 : p.rowPtr[row]] = NaN;
      expect(generated.factor(v)).toBe(loops.factor(v));
    }
  });

  it('keeps the loops for factors too large to generate code for', () => {
    const { p } = randomSystem(400, 5, 3);
    expect(new SparseLU(p, undefined, { generateAfter: 0 }).generated).toEqual({ factor: false, solve: false });
  });

  it('generates code once the pattern has been used often enough, counting over its SparseLUs', () => {
    const { p, values } = randomSystem(30, 2, 31);
    const first = new SparseLU(p, undefined, { generateAfter: 5 });
    const loops = new SparseLU(p, undefined, { generateCode: false });
    const rnd = seededRandom(6);
    const b = Float64Array.from({ length: 30 }, () => rnd() - 0.5);
    const used: boolean[] = [];
    for (let k = 0; k < 4; k++) {
      // Each round is two uses: a factorisation and a solve.
      used.push(first.generated.solve);
      const v = values.map((x) => x * (1 + 0.1 * k));
      first.factor(v);
      loops.factor(v);
      const x1 = b.slice();
      const x2 = b.slice();
      first.solve(x1);
      loops.solve(x2);
      expect(Array.from(x1)).toEqual(Array.from(x2));
    }
    // The fifth use (the factorisation of round 2) switches to the code.
    expect(used).toEqual([false, false, false, true]);
    // Another SparseLU of the same pattern starts with the code.
    expect(new SparseLU(p, undefined, { generateAfter: 5 }).generated).toEqual({ factor: true, solve: true });
  });

  it('reports a singular matrix', () => {
    const p: CsrPattern = { n: 2, rowPtr: Int32Array.from([0, 2, 4]), colIdx: Int32Array.from([0, 1, 0, 1]) };
    expect(new SparseLU(p).factor(Float64Array.from([1, 2, 2, 4]))).toBe(FactorStatus.Singular);
  });
});
