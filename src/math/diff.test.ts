import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exprEquals, num, op, sym, symbolsOf, type Expr } from './ast.js';
import { DifferentiationError, diff } from './diff.js';
import { evaluate } from './interpret.js';
import { formatExpr, parseExpr } from './parser.js';
import { exprArb } from './test-helpers/arbitraries.js';

const d = (src: string, x = 'x'): string => formatExpr(diff(parseExpr(src), x));

const at = (e: Expr, xv: number, yv = 0.8): number => evaluate(e, (n) => (n === 'x' ? xv : n === 'y' ? yv : NaN));

/** Central difference with step h. */
const central = (e: Expr, xv: number, h: number): number => (at(e, xv + h) - at(e, xv - h)) / (2 * h);

/** Symbolic derivative and a finite-difference estimate agree at `xv`. */
function expectMatchesFiniteDifference(src: string, xv: number): void {
  const e = parseExpr(src);
  const de = diff(e, 'x');
  const h = 1e-5 * Math.max(1, Math.abs(xv));
  const fd = central(e, xv, h);
  const sd = at(de, xv);
  expect(Number.isFinite(fd), `${src}: finite difference ${fd}`).toBe(true);
  expect(Math.abs(sd - fd), `${src} at ${xv}: d/dx = ${formatExpr(de)} = ${sd}, FD ${fd}`).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
}

describe('diff', () => {
  it('gives compact results for the basic rules', () => {
    expect(d('x^3')).toBe('3 * x^2');
    expect(d('sin(x)')).toBe('cos(x)');
    expect(d('exp(2 * x)')).toBe('2 * exp(2 * x)');
    expect(d('k * x + c')).toBe('k');
    expect(d('y * z')).toBe('0');
    expect(d('x')).toBe('1');
    expect(d('3')).toBe('0');
    expect(d('time * x', 'time')).toBe('x');
    expect(d('log(x)')).toBe('1 / x');
    expect(d('x / y')).toBe('1 / y');
  });

  it('returns the number 0 (not an expression equal to 0) when the variable is absent', () => {
    expect(exprEquals(diff(parseExpr('exp(y) * sin(z) + piecewise(y, z > 0, 1)'), 'x'), num(0))).toBe(true);
    expect(exprEquals(diff(parseExpr('x * 0'), 'x'), num(0))).toBe(true);
  });

  it('differentiates piecewise branch by branch and treats comparisons as constants', () => {
    expect(d('piecewise(x^2, x < 0, 3 * x)')).toBe('piecewise(2 * x, x < 0, 3)');
    expect(d('if(x > 1, 5, 7)')).toBe('0');
    expect(d('x < 1')).toBe('0');
    expect(d('floor(x) + ceil(x) + factorial(x) + quotient(x, 2)')).toBe('0');
    expect(d('abs(x)')).toBe('piecewise(1, x > 0, -1, x < 0, 0)');
  });

  it('throws for delay and rateOf only when the variable occurs in them', () => {
    expect(() => diff(parseExpr('delay(x, 1)'), 'x')).toThrow(DifferentiationError);
    expect(() => diff(parseExpr('y + rateOf(x)'), 'x')).toThrow("cannot differentiate 'rateOf(...)' with respect to 'x'");
    expect(formatExpr(diff(parseExpr('x + delay(y, 1)'), 'x'))).toBe('1');
  });

  it('matches finite differences for every differentiable operator', () => {
    const cases: [string, number[]][] = [
      ['x^2.5', [0.7]], ['2^x', [0.7]], ['x^x', [0.7]], ['x^y', [1.3]], ['(x^2 + 1)^(-1.5)', [0.4]], ['(x - 3)^3', [0.5]],
      ['exp(sin(x)) / (1 + x^2)', [0.3]], ['log(x^2 + 1)', [0.5]], ['log10(x)', [2.5]],
      ['log(2, x)', [3]], ['log(x, 3)', [2]], ['log(x, x^2 + 2)', [1.5]],
      ['sqrt(x)', [2]], ['root(3, x)', [-0.7, 0.7]], ['root(x, 5)', [2.3]], ['root(x, x)', [2.3]],
      ['abs(x^3)', [-0.5, 0.5]], ['rem(3 * x, 2)', [0.9]], ['rem(5, x)', [1.7]],
      ['sin(x)', [0.4]], ['cos(x)', [0.4]], ['tan(x)', [0.4]], ['sec(x)', [0.4]], ['csc(x)', [0.4]], ['cot(x)', [0.4]],
      ['asin(x)', [0.3]], ['acos(x)', [0.3]], ['atan(x)', [0.3]],
      ['asec(x)', [1.7, -1.7]], ['acsc(x)', [1.7, -1.7]], ['acot(x)', [1.7, -1.7]],
      ['sinh(x)', [0.4]], ['cosh(x)', [0.4]], ['tanh(x)', [0.4]], ['sech(x)', [0.4]], ['csch(x)', [0.4]], ['coth(x)', [0.4]],
      ['asinh(x)', [0.4]], ['acosh(x)', [1.7]], ['atanh(x)', [0.3]],
      ['asech(x)', [0.6]], ['acsch(x)', [0.6, -0.6]], ['acoth(x)', [1.7, -1.7]],
      ['min(x, x^2, 0.5)', [0.6, 0.3, 0.9]], ['max(x, x^2, 0.5)', [0.6, 0.3, 1.2]], ['min(x)', [0.2]],
      ['piecewise(x^2, x < 0, sin(x), x < 1, x)', [-0.5, 0.5, 1.5]], ['piecewise(x^2, x > 0)', [0.5]],
      ['-x * y - (x - y) / (x + y)', [0.3]], ['x * y * x * exp(x)', [0.3]],
    ];
    for (const [src, points] of cases) for (const p of points) expectMatchesFiniteDifference(src, p);
  });

  it('matches finite differences on random smooth expressions', () => {
    const ops = ['add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'ln', 'sqrt', 'sin', 'cos', 'atan', 'tanh', 'asinh', 'sinh', 'log10', 'logb', 'min', 'max', 'abs', 'sec', 'cot'] as const;
    // Constants on a grid: subnormal or huge factors make difference quotients meaningless.
    const values = fc.oneof(fc.constantFrom(0.5, 2, 3, -1, 1.5), fc.integer({ min: -24, max: 24 }).map((k) => k / 8));
    let checked = 0;
    fc.assert(
      fc.property(exprArb({ ops, values, names: ['x', 'y'], maxDepth: 4 }), fc.double({ min: 0.2, max: 2, noNaN: true }), (e, xv) => {
        const h = 1e-4;
        const f0 = at(e, xv);
        const fd1 = central(e, xv, h);
        const fd2 = central(e, xv, h / 2);
        // Skip points near singularities and kinks, where difference quotients mean nothing.
        // Derivative rules hold where every intermediate value is finite (1/0 inside log(…) is not).
        // A power with a variable exponent is only real-differentiable for a positive base.
        const regular = (t: Expr): boolean => {
          if (!Number.isFinite(at(t, xv))) return false;
          if (t.kind !== 'op') return true;
          if (t.op === 'pow' && symbolsOf(t.args[1]).has('x') && !(at(t.args[0], xv) > 0)) return false;
          // Stay away from the singular points of sqrt, the logarithms and division.
          const nearZero = (a: Expr, c = 0): boolean => Math.abs(at(a, xv) - c) < 1e-6;
          if ((t.op === 'sqrt' || t.op === 'ln' || t.op === 'log10') && nearZero(t.args[0])) return false;
          if (t.op === 'logb' && (nearZero(t.args[0]) || nearZero(t.args[0], 1) || nearZero(t.args[1]))) return false;
          if (t.op === 'div' && nearZero(t.args[1])) return false;
          return t.args.every(regular);
        };
        fc.pre(regular(e) && Number.isFinite(fd1) && Number.isFinite(fd2) && Math.abs(f0) < 1e6);
        fc.pre(Math.abs(fd1 - fd2) <= 1e-6 * (1 + Math.abs(fd2)));
        // One-sided quotients disagree at a kink (min, max, abs) even when central ones agree.
        const forward = (at(e, xv + h) - f0) / h;
        const backward = (f0 - at(e, xv - h)) / h;
        fc.pre(Math.abs(forward - backward) <= 1e-2 * (1 + Math.abs(fd2)));
        const sd = at(diff(e, 'x'), xv);
        checked++;
        const tol = 1e-5 * (1 + Math.abs(fd2)) + (1e-14 * Math.abs(f0)) / h;
        if (!(Math.abs(sd - fd2) <= tol)) {
          throw new Error(`${formatExpr(e)} at x=${xv}: d/dx = ${formatExpr(diff(e, 'x'))} = ${sd}, FD ${fd2}`);
        }
      }),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(1000);
  });

  it('handles large shared structures without blowing up', () => {
    // f_{k+1} = f_k * f_k: 2^40 terms as a tree.
    let e: Expr = op('add', sym('x'), num(1));
    for (let i = 0; i < 40; i++) e = op('mul', e, e);
    const t0 = Date.now();
    diff(e, 'x');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
