import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { num, op, sym, type Expr, type Op } from './ast.js';
import { ArityError } from './arity.js';
import { EvaluationError, JS_RUNTIME_PRELUDE, applyOp, emitJs, evaluate, jsNumberLiteral } from './interpret.js';
import { parseExpr } from './parser.js';
import { POINTWISE_OPS, SYMBOL_NAMES, anyDouble, exprArb } from './test-helpers/arbitraries.js';

const ev = (src: string, vars: Record<string, number> = {}): number =>
  evaluate(parseExpr(src), (n) => {
    if (!(n in vars)) throw new Error(`unbound ${n}`);
    return vars[n];
  });

/** Compile `e` into a function of the symbol values in SYMBOL_NAMES order. */
function compileJs(e: Expr): (v: readonly number[]) => number {
  const body = emitJs(e, (name) => `v[${SYMBOL_NAMES.indexOf(name as (typeof SYMBOL_NAMES)[number])}]`);
  return new Function('v', `"use strict";\n${JS_RUNTIME_PRELUDE}return ${body};`) as (v: readonly number[]) => number;
}

describe('evaluate / applyOp semantics', () => {
  it('arithmetic and IEEE edge cases', () => {
    expect(ev('1 + 2 * 3 - 4 / 8')).toBe(6.5);
    expect(ev('-x^2', { x: 3 })).toBe(-9);
    expect(ev('1/0')).toBe(Infinity);
    expect(ev('-1/0')).toBe(-Infinity);
    expect(ev('0/0')).toBeNaN();
    expect(Object.is(ev('-0'), -0)).toBe(true);
    expect(Object.is(applyOp('add', [-0]), -0)).toBe(true); // a one-term sum is the term itself
    expect(applyOp('add', [])).toBe(0);
    expect(applyOp('mul', [])).toBe(1);
    expect(ev('(-8)^(1/3)')).toBeNaN(); // pow follows Math.pow
    expect(ev('(-2)^3')).toBe(-8);
    expect(ev('0^0')).toBe(1);
    expect(ev('1^nan')).toBeNaN();
  });

  it('roots, logs and factorial', () => {
    expect(ev('root(3, -8)')).toBeCloseTo(-2, 14);
    expect(ev('root(2, -4)')).toBeNaN(); // even root of a negative number
    expect(ev('root(2, 9)')).toBe(3);
    expect(ev('log(2, 8)')).toBeCloseTo(3, 14);
    expect(ev('log(100)')).toBeCloseTo(Math.log(100), 14);
    expect(ev('log10(1000)')).toBe(3);
    expect(ev('factorial(5)')).toBe(120);
    expect(ev('factorial(0)')).toBe(1);
    expect(ev('factorial(2.5)')).toBeNaN();
    expect(ev('factorial(-1)')).toBeNaN();
    expect(ev('factorial(171)')).toBe(Infinity);
  });

  it('reciprocal trigonometric families', () => {
    const v = 0.7;
    expect(ev('sec(x)', { x: v })).toBe(1 / Math.cos(v));
    expect(ev('csc(x)', { x: v })).toBe(1 / Math.sin(v));
    expect(ev('cot(x)', { x: v })).toBe(1 / Math.tan(v));
    expect(ev('asec(x)', { x: 2 })).toBe(Math.acos(0.5));
    expect(ev('acsc(x)', { x: 2 })).toBe(Math.asin(0.5));
    expect(ev('acot(x)', { x: 2 })).toBe(Math.atan(0.5));
    expect(ev('acot(x)', { x: -2 })).toBe(Math.atan(-0.5));
    expect(ev('sech(x)', { x: v })).toBe(1 / Math.cosh(v));
    expect(ev('csch(x)', { x: v })).toBe(1 / Math.sinh(v));
    expect(ev('coth(x)', { x: v })).toBe(1 / Math.tanh(v));
    expect(ev('asech(x)', { x: 0.5 })).toBe(Math.acosh(2));
    expect(ev('acsch(x)', { x: 0.5 })).toBe(Math.asinh(2));
    expect(ev('acoth(x)', { x: 2 })).toBe(Math.atanh(0.5));
  });

  it('quotient and rem truncate toward zero', () => {
    expect(ev('quotient(7, 2)')).toBe(3);
    expect(ev('quotient(-7, 2)')).toBe(-3);
    expect(ev('rem(7, 2)')).toBe(1);
    expect(ev('rem(-7, 2)')).toBe(-1);
    expect(ev('rem(7, -2)')).toBe(1);
    expect(ev('rem(7, 0)')).toBeNaN();
    expect(ev('quotient(1, 0)')).toBe(Infinity);
  });

  it('relational and logical operators return 1/0, NaN is false', () => {
    expect(ev('1 < 2')).toBe(1);
    expect(ev('2 <= 1')).toBe(0);
    expect(ev('nan == nan')).toBe(0);
    expect(ev('nan != nan')).toBe(1);
    expect(ev('nan < 1 || nan >= 1')).toBe(0);
    expect(applyOp('lt', [1, 2, 3])).toBe(1);
    expect(applyOp('lt', [1, 3, 2])).toBe(0);
    expect(applyOp('eq', [2, 2, 2])).toBe(1);
    expect(ev('2 && 3')).toBe(1);
    expect(ev('2 && 0')).toBe(0);
    expect(ev('nan || 0')).toBe(0);
    expect(ev('!nan')).toBe(1);
    expect(ev('!-0')).toBe(1);
    expect(applyOp('and', [])).toBe(1);
    expect(applyOp('or', [])).toBe(0);
    expect(applyOp('xor', [1, 1, 1])).toBe(1);
    expect(applyOp('xor', [1, 5])).toBe(0);
    expect(applyOp('implies', [0, 0])).toBe(1);
    expect(applyOp('implies', [1, 0])).toBe(0);
  });

  it('piecewise picks the first true condition and evaluates only that branch', () => {
    expect(ev('piecewise(10, x < 0, 20, x < 5, 30)', { x: -1 })).toBe(10);
    expect(ev('piecewise(10, x < 0, 20, x < 5, 30)', { x: 1 })).toBe(20);
    expect(ev('piecewise(10, x < 0, 20, x < 5, 30)', { x: 9 })).toBe(30);
    expect(ev('piecewise(10, x < 0)', { x: 1 })).toBeNaN();
    expect(ev('if(x > 0, 1, 2)', { x: 0 })).toBe(2);
    // The other branch would throw if it were evaluated.
    expect(ev('piecewise(1, x > 0, unbound)', { x: 1 })).toBe(1);
    expect(evaluate(op('piecewise', num(1), num(1), op('delay', sym('x'), num(1))), () => 0)).toBe(1);
  });

  it('min/max propagate NaN and order signed zeros like Math.min/max', () => {
    expect(ev('min(3, 1, 2)')).toBe(1);
    expect(ev('max(nan, 1)')).toBeNaN();
    expect(Object.is(ev('min(0, -0)'), -0)).toBe(true);
  });

  it('rejects history-dependent operators, malformed nodes and missing values', () => {
    expect(() => ev('delay(x, 1)', { x: 1 })).toThrow(EvaluationError);
    expect(() => ev('rateOf(x)', { x: 1 })).toThrow(/rateOf/);
    expect(() => evaluate(op('sub', num(1)), () => 0)).toThrow(ArityError);
    expect(() => evaluate(op('exp'), () => 0)).toThrow("'exp' takes 1 argument, got 0");
    expect(() => evaluate(sym('x'), () => undefined as unknown as number)).toThrow("no numeric value for symbol 'x'");
  });
});

describe('emitJs', () => {
  it('writes numbers as safe literals', () => {
    for (const v of [0, -0, 1.5, -1.5, 1e-300, -1e300, Infinity, -Infinity, NaN, 5e-324]) {
      const lit = jsNumberLiteral(v);
      const back = new Function(`return ${lit};`)() as number;
      expect(Object.is(back, v), `${v} -> ${lit}`).toBe(true);
      // Literals survive being placed after a minus or an exponentiation-like context.
      expect(Object.is(new Function(`return -${lit};`)(), -v)).toBe(true);
    }
  });

  it('never puts symbol names into the output; they go through resolve only', () => {
    const evil = "x]; globalThis.pwned = 1; //";
    const e = op('add', sym(evil), sym('constructor'), sym('__proto__'));
    const seen: string[] = [];
    const js = emitJs(e, (n) => {
      seen.push(n);
      return `v[${seen.length - 1}]`;
    });
    expect(seen).toEqual([evil, 'constructor', '__proto__']);
    expect(js).toBe('(v[0] + v[1] + v[2])');
    expect(js).not.toContain('pwned');
  });

  it('parenthesises resolver output that is not a plain name or array access', () => {
    expect(emitJs(op('mul', sym('a'), num(2)), () => 'p[0] + p[1]')).toBe('((p[0] + p[1]) * 2)');
  });

  it('uses short forms for common operators', () => {
    const r = (n: string): string => n;
    expect(emitJs(parseExpr('x < y'), r)).toBe('(x < y ? 1 : 0)');
    expect(emitJs(parseExpr('if(x > 0, y, -1)'), r)).toBe('((x > 0 ? 1 : 0) ? y : (-1))');
    expect(emitJs(parseExpr('x^2'), r)).toBe('Math.pow(x, 2)');
    expect(emitJs(parseExpr('-x'), r)).toBe('(-x)');
  });

  it('throws for delay and rateOf', () => {
    expect(() => emitJs(parseExpr('delay(x, 1)'), (n) => n)).toThrow(EvaluationError);
    expect(() => emitJs(parseExpr('rateOf(x)'), (n) => n)).toThrow(EvaluationError);
  });

  it('each operator agrees with the interpreter on edge-case arguments', () => {
    const specials = [0, -0, 1, -1, 2, -2.5, 0.5, 3, 7, Infinity, -Infinity, NaN];
    for (const o of POINTWISE_OPS) {
      const counts = o === 'piecewise' ? [1, 2, 3, 4, 5] : [0, 1, 2, 3].filter((n) => {
        try {
          applyOp(o as Op, new Array<number>(n).fill(1));
          return true;
        } catch {
          return false;
        }
      });
      for (const n of counts) {
        for (let trial = 0; trial < 60; trial++) {
          const args = Array.from({ length: n }, (_, i) => specials[(trial * (i + 3) + i * 5 + trial * trial) % specials.length]);
          const e = op(o, ...args.map(num));
          const want = evaluate(e, () => 0);
          const got = (new Function(`${JS_RUNTIME_PRELUDE}return ${emitJs(e, () => '0')};`) as () => number)();
          if (!Object.is(got, want)) throw new Error(`${o}(${args.join(', ')}): js ${got}, interpreter ${want}`);
        }
      }
    }
  });

  it('agrees bit for bit with evaluate on random expressions', () => {
    fc.assert(
      fc.property(
        exprArb({ ops: POINTWISE_OPS, values: anyDouble }),
        fc.array(anyDouble, { minLength: SYMBOL_NAMES.length, maxLength: SYMBOL_NAMES.length }),
        (e, vals) => {
          const want = evaluate(e, (n) => vals[SYMBOL_NAMES.indexOf(n as (typeof SYMBOL_NAMES)[number])]);
          const got = compileJs(e)(vals);
          return Object.is(got, want);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
