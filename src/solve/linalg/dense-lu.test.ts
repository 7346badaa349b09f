import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-utils.js';
import { luFactor, luSolve } from './dense-lu.js';

function matVec(n: number, a: Float64Array, x: Float64Array): Float64Array {
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    b[i] = s;
  }
  return b;
}

describe('dense LU', () => {
  it.each([1, 2, 3, 7, 20, 60])('solves a random %i×%i system to round-off', (n) => {
    const rnd = seededRandom(n);
    const a = Float64Array.from({ length: n * n }, () => rnd() - 0.5);
    const x = Float64Array.from({ length: n }, () => rnd() * 2 - 1);
    const b = matVec(n, a, x);
    const lu = a.slice();
    const piv = new Int32Array(n);
    expect(luFactor(n, lu, piv)).toBe(0);
    luSolve(n, lu, piv, b);
    for (let i = 0; i < n; i++) expect(Math.abs(b[i] - x[i])).toBeLessThan(1e-10);
  });

  it('pivots when the leading entry is zero', () => {
    // Without row interchanges the first pivot would be 0.
    const a = Float64Array.from([0, 1, 2, 1, 1, 1, 3, 0, 1]);
    const x = Float64Array.from([1, -2, 3]);
    const b = matVec(3, a, x);
    const piv = new Int32Array(3);
    expect(luFactor(3, a, piv)).toBe(0);
    luSolve(3, a, piv, b);
    expect(Array.from(b)).toEqual([expect.closeTo(1, 12), expect.closeTo(-2, 12), expect.closeTo(3, 12)]);
  });

  it('reports an exactly singular matrix with the failing column', () => {
    const a = Float64Array.from([1, 2, 2, 4]);
    expect(luFactor(2, a, new Int32Array(2))).toBe(2);
  });

  it('reports NaN entries as singular instead of spreading them', () => {
    const a = Float64Array.from([NaN, 1, 1, 1]);
    expect(luFactor(2, a, new Int32Array(2))).toBeGreaterThan(0);
  });
});
