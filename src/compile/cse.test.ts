import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Expr, num, op, sym } from '../math/ast.js';
import { evaluate as evaluateIn } from '../math/interpret.js';
import { parseExpr } from '../math/parser.js';
import { compile } from './compile.js';
import { emitWithCse } from './cse.js';

const resolve = (name: string): string => `y[${['u', 'v', 'w'].indexOf(name)}]`;

/** Runs an emitted body that writes out[i]. */
function run(body: string, y: Float64Array, nOut: number): Float64Array {
  const out = new Float64Array(nOut);
  (new Function('y', 'out', `"use strict";\n${body}`) as (y: Float64Array, o: Float64Array) => void)(y, out);
  return out;
}

/** The interpreter on a plain record of values. */
const evaluate = (e: Expr, env: Record<string, number>): number => evaluateIn(e, (n) => env[n]);

const count = (s: string, what: string): number => s.split(what).length - 1;

describe('emitWithCse', () => {
  it('evaluates a shared exponential once and keeps the values bit for bit', () => {
    const x = parseExpr('u / (2 * v)');
    const ghk = (e: Expr): Expr => op('div', e, op('sub', op('exp', e), num(1)));
    const exprs = [ghk(x), op('mul', num(3), ghk(x)), op('add', op('exp', x), sym('w'))];
    const body = emitWithCse(exprs.map((e, i) => ({ lhs: `out[${i}]`, expr: e })), resolve);
    expect(count(body, 'Math.exp')).toBe(1);
    const y = Float64Array.of(0.7, 1.3, -2);
    const env = { u: y[0], v: y[1], w: y[2] };
    expect(Array.from(run(body, y, 3))).toEqual(exprs.map((e) => evaluate(e, env)));
  });

  it('does not hoist what only a piecewise branch evaluates', () => {
    const e = op('piecewise', op('exp', sym('u')), op('gt', sym('v'), num(0)), op('mul', op('exp', sym('u')), num(2)));
    const body = emitWithCse([{ lhs: 'out[0]', expr: e }, { lhs: 'out[1]', expr: op('piecewise', op('exp', sym('u')), op('lt', sym('w'), num(0)), num(0)) }], resolve);
    expect(body).not.toContain('const c');
    // …but shares it once one occurrence is unconditional.
    const body2 = emitWithCse([{ lhs: 'out[0]', expr: e }, { lhs: 'out[1]', expr: op('exp', sym('u')) }], resolve);
    expect(count(body2, 'Math.exp')).toBe(1);
    for (const y of [Float64Array.of(0.5, 1, -1), Float64Array.of(0.5, -1, 1)]) {
      const env = { u: y[0], v: y[1], w: y[2] };
      expect(Array.from(run(body2, y, 2))).toEqual([evaluate(e, env), Math.exp(y[0])]);
    }
  });

  it('gives the same values as the interpreter for random expressions', () => {
    const leaf = fc.oneof(fc.constantFrom('u', 'v', 'w').map(sym), fc.constantFrom(0.5, 2, -1).map(num));
    const arb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.tuple(fc.constantFrom('add', 'mul', 'sub'), tie('e'), tie('e')).map(([o, a, b]) => op(o as 'add', a, b)),
        fc.tuple(tie('e')).map(([a]) => op('exp', op('mul', num(0.1), a))),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => op('piecewise', a, op('gt', c, num(0)), b)),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => op('and', a, b)),
      ),
    })).e;
    fc.assert(fc.property(fc.array(arb, { minLength: 1, maxLength: 4 }), fc.double({ min: -2, max: 2, noNaN: true }), (es, u) => {
      // Repeat the expressions so that there is something to share.
      const all = [...es, ...es];
      const y = Float64Array.of(u, 0.3, -1.1);
      const body = emitWithCse(all.map((e, i) => ({ lhs: `out[${i}]`, expr: e })), resolve);
      const got = run(body, y, all.length);
      all.forEach((e, i) => expect(Object.is(got[i], evaluate(e, { u: y[0], v: y[1], w: y[2] }))).toBe(true));
    }), { numRuns: 200 });
  });
});

describe('compile with shared sub-expressions', () => {
  it('the rhs and Jacobian of a GHK-like model match the interpreter', () => {
    const x = parseExpr('2 * V / (k * T)');
    const flux = op('mul', sym('P'), x, op('div', op('sub', sym('c'), op('mul', sym('co'), op('exp', op('neg', x)))), op('sub', num(1), op('exp', op('neg', x)))));
    const cm = compile({
      name: 'ghk',
      states: [
        { name: 'V', initial: num(-60), rate: op('add', op('mul', num(-0.1), sym('V')), op('mul', num(-1), sym('I'))) },
        { name: 'c', initial: num(1e-4), rate: op('mul', num(0.01), sym('I')) },
      ],
      parameters: [{ name: 'P', value: 0.01 }, { name: 'T', value: 310 }, { name: 'k', value: 25.85 / 310 }, { name: 'co', value: 2 }],
      assigned: [{ name: 'I', expr: flux }],
      events: [],
      observables: [],
    }, { noCache: true });
    const p = new Float64Array(cm.p0);
    const y = Float64Array.of(-40, 2e-4);
    const env = { V: y[0], c: y[1], P: p[0], T: p[1], k: p[2], co: p[3] };
    const I = evaluate(flux, env);
    const dy = new Float64Array(2);
    cm.rhs(0, y, p, dy);
    expect(Array.from(dy)).toEqual([-0.1 * y[0] + -1 * I, 0.01 * I]);
    // Jacobian against central differences.
    const J = new Float64Array(4);
    cm.jac(0, y, p, J);
    for (let j = 0; j < 2; j++) {
      const h = 1e-6 * Math.max(1e-3, Math.abs(y[j]));
      const yp = Float64Array.from(y), ym = Float64Array.from(y);
      yp[j] += h; ym[j] -= h;
      const fp = new Float64Array(2), fm = new Float64Array(2);
      cm.rhs(0, yp, p, fp); cm.rhs(0, ym, p, fm);
      for (let i = 0; i < 2; i++) expect(J[i * 2 + j]).toBeCloseTo((fp[i] - fm[i]) / (2 * h), 4);
    }
  });
});
