import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exprEquals, num, op, sym, type Expr } from './ast.js';
import { ArityError } from './arity.js';
import { evaluate } from './interpret.js';
import { formatExpr, parseExpr } from './parser.js';
import { simplify } from './simplify.js';
import { exprArb } from './test-helpers/arbitraries.js';

const s = (src: string): string => formatExpr(simplify(parseExpr(src)));

describe('simplify', () => {
  it('applies the 0/1 identities', () => {
    expect(s('x + 0')).toBe('x');
    expect(s('0 + x + 0')).toBe('x');
    expect(s('x - 0')).toBe('x');
    expect(s('0 - x')).toBe('-x');
    expect(s('x * 1')).toBe('x');
    expect(s('x * 0')).toBe('0');
    expect(s('0 * exp(y) * x')).toBe('0');
    expect(s('x / 1')).toBe('x');
    expect(s('x / -1')).toBe('-x');
    expect(s('0 / x')).toBe('0');
    expect(s('--x')).toBe('x');
    expect(s('-(-(-x))')).toBe('-x');
    expect(s('x^1')).toBe('x');
    expect(s('x^0')).toBe('1');
    expect(s('x * -1')).toBe('-x');
  });

  it('folds constants with the interpreter semantics', () => {
    expect(s('2 * 3 + 4')).toBe('10');
    expect(s('exp(0) + log(1)')).toBe('1');
    expect(s('2^10')).toBe('1024');
    expect(s('1 < 2')).toBe('1');
    expect(s('x + (2 + 3)')).toBe('x + 5');
    expect(s('-(3)')).toBe('-3');
  });

  it('does not manufacture NaN or Infinity, but keeps them when written', () => {
    expect(s('1 / 0')).toBe('1 / 0');
    expect(s('0 / 0')).toBe('0'); // 0/x → 0 fires first: the documented annihilator
    expect(s('log(0)')).toBe('ln(0)');
    expect(s('sqrt(-1)')).toBe('sqrt(-1)');
    expect(s('1e308 * 10 * x')).toBe('1e+308 * 10 * x');
    expect(s('inf + 1')).toBe('inf');
    expect(s('nan * 2')).toBe('NaN');
  });

  it('flattens sums and products and combines numeric factors', () => {
    expect(simplify(parseExpr('(x + y) + (z + 1) + 2'))).toEqual(op('add', sym('x'), sym('y'), sym('z'), num(3)));
    expect(s('2 * (x * 3) * y')).toBe('6 * x * y');
    expect(s('(-x) * (-y)')).toBe('x * y');
    expect(s('(-x) * 2 * y')).toBe('-2 * x * y');
    expect(s('-(2 * x)')).toBe('-2 * x');
    expect(s('1 * (1 * 1)')).toBe('1');
  });

  it('resolves piecewise branches with constant conditions', () => {
    expect(s('piecewise(x, 1 < 2, y)')).toBe('x');
    expect(s('piecewise(x, 0, y, z > 0, 3)')).toBe('piecewise(y, z > 0, 3)');
    expect(s('piecewise(x, 0, y)')).toBe('y');
    expect(s('piecewise(x, z > 0, y, 1, 3)')).toBe('piecewise(x, z > 0, y)');
    expect(s('piecewise(0, z > 0, 0, y < 1, 0)')).toBe('0');
    expect(s('piecewise(0, z > 0)')).toBe('piecewise(0, z > 0)'); // NaN when z <= 0: kept
    expect(s('piecewise(x, 0)')).toBe('piecewise(x, 0)');
  });

  it('leaves delay and rateOf in place and rejects malformed nodes', () => {
    expect(s('delay(x + 0, 1 + 1)')).toBe('delay(x, 2)');
    expect(() => simplify(op('neg', num(1), num(2)))).toThrow(ArityError);
  });

  it('simplifies shared subtrees once (linear in the size of a DAG)', () => {
    let e: Expr = op('add', sym('x'), num(0));
    for (let i = 0; i < 200; i++) e = op('mul', e, e); // 2^200 nodes as a tree, 201 as a DAG
    const t0 = Date.now();
    const r = simplify(e);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.kind).toBe('op');
  });

  it('preserves values of arithmetic expressions where every subexpression is finite', () => {
    const smallValues = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(0.5, 1.5, -0.25, 0, 1, -1));
    const ops = ['add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'sin', 'sqrt', 'abs', 'min'] as const;
    const names = ['x', 'y'];
    fc.assert(
      fc.property(exprArb({ ops, values: smallValues, names, maxDepth: 5 }), fc.double({ min: -3, max: 3, noNaN: true }), (e, xv) => {
        const env = (n: string): number => (n === 'x' ? xv : 0.75);
        let scale = 0;
        const allFinite = (t: Expr): boolean => {
          const v = evaluate(t, env);
          scale = Math.max(scale, Math.abs(v));
          return Number.isFinite(v) && (t.kind !== 'op' || t.args.every(allFinite));
        };
        fc.pre(allFinite(e));
        const a = evaluate(e, env);
        const b = evaluate(simplify(e), env);
        if (!(Math.abs(a - b) <= 1e-9 * (1 + scale))) throw new Error(`${formatExpr(e)} = ${a}, simplified ${formatExpr(simplify(e))} = ${b}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    const ops = ['add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'piecewise', 'lt'] as const;
    fc.assert(
      fc.property(exprArb({ ops, values: fc.constantFrom(0, 1, -1, 2, 0.5), names: ['x', 'y'] }), (e) => {
        const once = simplify(e);
        expect(exprEquals(simplify(once), once)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
