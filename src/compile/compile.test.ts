import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Expr, num, op, substitute, sym } from '../math/ast.js';
import { evaluate } from '../math/interpret.js';
import { parseExpr } from '../math/parser.js';
import type { Model } from '../model/ir.js';
import { compile, modelHash } from './compile.js';

const STATES = ['x', 'y', 'z'];
const PARAMS = ['k1', 'k2'];

/** Random smooth expressions over the states, parameters and one assigned quantity `a`. */
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double({ min: -3, max: 3, noNaN: true }).map((v) => num(Math.round(v * 100) / 100)),
    fc.constantFrom(...STATES, ...PARAMS, 'a', 'time').map(sym),
    fc.tuple(fc.constantFrom('add', 'sub', 'mul'), tie('e'), tie('e')).map(([o, a, b]) => op(o as 'add', a, b)),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => op('div', a, op('add', num(2), op('mul', b, b)))),
    fc.tuple(fc.constantFrom('sin', 'cos', 'tanh', 'exp'), tie('e')).map(([o, a]) => op(o as 'sin', op('mul', num(0.3), a))),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => op('piecewise', a, op('gt', c, num(0.1)), b)),
  ),
})).e;

function modelOf(rates: Expr[], aExprRaw: Expr): Model {
  const aExpr = noSelf(aExprRaw);
  return {
    name: 'random',
    states: STATES.map((s, i) => ({ name: s, initial: num(0.1 * (i + 1)), rate: rates[i] })),
    parameters: PARAMS.map((p, i) => ({ name: p, value: 0.5 + i })),
    assigned: [{ name: 'a', expr: aExpr }],
    events: [],
    observables: [{ name: 'obs', expr: op('add', sym('a'), sym('x')) }],
  };
}

/** The assigned quantity may not refer to itself: replace `a` by `x` in its formula. */
const noSelf = (e: Expr): Expr => substitute(e, new Map([['a', sym('x')]]));

describe('compile', () => {
  it('generated rhs agrees with the interpreter on random expressions', () => {
    fc.assert(
      fc.property(fc.array(exprArb, { minLength: 3, maxLength: 3 }), exprArb, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (rates, aExpr, vals) => {
          const cm = compile(modelOf(rates, aExpr), { noCache: true, units: 'off' });
          const y = Float64Array.from(vals.slice(0, 3));
          const t = vals[3];
          const p = cm.p0;
          const dy = new Float64Array(3);
          cm.rhs(t, y, p, dy);
          const env = (n: string): number => {
            if (n === 'time') return t;
            const si = STATES.indexOf(n);
            if (si >= 0) return y[si];
            const pi = PARAMS.indexOf(n);
            if (pi >= 0) return p[pi];
            if (n === 'a') return evaluate(noSelf(aExpr), env);
            throw new Error(n);
          };
          for (let i = 0; i < 3; i++) {
            const want = evaluate(rates[i], env);
            if (Number.isNaN(want)) expect(dy[i]).toBeNaN();
            else expect(dy[i]).toBeCloseTo(want, 10);
          }
        }),
      { numRuns: 150 },
    );
  });

  it('analytic Jacobian (dense and sparse) agrees with central finite differences', () => {
    fc.assert(
      fc.property(fc.array(exprArb, { minLength: 3, maxLength: 3 }), exprArb, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (rates, aExpr, vals) => {
          const cm = compile(modelOf(rates, aExpr), { noCache: true, units: 'off', discontinuityRoots: false });
          const y = Float64Array.from(vals);
          const p = cm.p0;
          // Skip points next to a piecewise switch, where the derivative jumps.
          const roots = new Float64Array(cm.nRoots);
          const J = new Float64Array(9);
          cm.jac(0.3, y, p, J);
          const nnz = cm.jacPattern.colIdx.length;
          const vals2 = new Float64Array(nnz);
          cm.jacSparse(0.3, y, p, vals2);
          const f1 = new Float64Array(3);
          const f2 = new Float64Array(3);
          for (let j = 0; j < 3; j++) {
            const h = 1e-6 * Math.max(1, Math.abs(y[j]));
            const yp = Float64Array.from(y); yp[j] += h;
            const ym = Float64Array.from(y); ym[j] -= h;
            cm.rhs(0.3, yp, p, f1);
            cm.rhs(0.3, ym, p, f2);
            for (let i = 0; i < 3; i++) {
              const fd = (f1[i] - f2[i]) / (2 * h);
              if (!Number.isFinite(fd) || Math.abs(fd) > 1e6) continue;
              // A jump across a piecewise boundary inside the stencil makes FD meaningless.
              const scale = Math.max(1, Math.abs(fd));
              if (Math.abs(J[i * 3 + j] - fd) > 1e-4 * scale) {
                const cm2 = compile(modelOf(rates, aExpr), { noCache: true, units: 'off' });
                cm2.roots(0.3, y, p, roots);
                if ([...roots.subarray(0, cm2.nRoots)].some((g) => Math.abs(g) < 1e-3)) continue;
              }
              expect(J[i * 3 + j]).toBeCloseTo(fd, 4 - Math.max(0, Math.round(Math.log10(scale))));
            }
          }
          // Sparse values equal the dense entries at the pattern positions; dense entries off the pattern are 0.
          const { rowPtr, colIdx } = cm.jacPattern;
          const seen = new Set<number>();
          for (let i = 0; i < 3; i++) for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
            expect(vals2[k]).toBe(J[i * 3 + colIdx[k]]);
            seen.add(i * 3 + colIdx[k]);
          }
          for (let q = 0; q < 9; q++) if (!seen.has(q)) expect(J[q]).toBe(0);
        }),
      { numRuns: 150 },
    );
  });

  it('splits generated functions too large for the JavaScript engine to optimise, with the same results', () => {
    // A chain of 40 states with 120 assigned quantities gives bodies above the split limit.
    const N = 40;
    const states = Array.from({ length: N }, (_, i) => ({
      name: `x${i}`, initial: num(0.01 * (i + 1)),
      rate: parseExpr(`b${i} - c${i} * x${i} + 0.1 * x${(i + 1) % N}`),
    }));
    const assigned = Array.from({ length: N }, (_, i) => [
      { name: `a${i}`, expr: parseExpr(`exp(-(x${i} - 0.3)^2 / 0.05) / (1 + exp((x${(i + 7) % N} - 0.2) / 0.07)) + tanh(3 * x${i})`) },
      { name: `b${i}`, expr: parseExpr(`a${i} * (1 - x${i}) / (1 + a${(i + 1) % N}^2) + sin(2 * x${(i + 3) % N}) * cos(x${i})`) },
      { name: `c${i}`, expr: parseExpr(`k * (1 + a${i}) / (2 + b${i}^2) + exp(-x${(i + 5) % N} / 0.4) * 0.01`) },
    ]).flat();
    const m: Model = { name: 'big', states, parameters: [{ name: 'k', value: 0.7 }], assigned, events: [], observables: [] };
    const cm = compile(m, { noCache: true, units: 'off' });
    const y = Float64Array.from({ length: N }, (_, i) => 0.5 * Math.sin(i));
    // The functions are the short wrappers around the pieces (the split did happen).
    for (const f of [cm.rhs, cm.jac, cm.jacSparse]) expect(f.toString().length).toBeLessThan(500);
    // rhs against the interpreter.
    const byName = new Map(assigned.map((a) => [a.name, a.expr]));
    const memo = new Map<string, number>();
    const env = (nm: string): number => {
      if (nm === 'k') return 0.7;
      if (nm === 'time') return 0;
      if (nm.startsWith('x')) return y[Number(nm.slice(1))];
      if (!memo.has(nm)) memo.set(nm, evaluate(byName.get(nm)!, env));
      return memo.get(nm)!;
    };
    const dy = new Float64Array(N);
    cm.rhs(0, y, cm.p0, dy);
    states.forEach((st, i) => expect(dy[i]).toBeCloseTo(evaluate(st.rate, env), 12));
    // Jacobian (dense and sparse) against central differences of the rhs.
    const J = new Float64Array(N * N);
    cm.jac(0, y, cm.p0, J);
    const v = new Float64Array(cm.jacPattern.colIdx.length);
    cm.jacSparse(0, y, cm.p0, v);
    const f1 = new Float64Array(N);
    const f2 = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      const yp = Float64Array.from(y); yp[j] += 1e-6;
      const ym = Float64Array.from(y); ym[j] -= 1e-6;
      cm.rhs(0, yp, cm.p0, f1);
      cm.rhs(0, ym, cm.p0, f2);
      for (let i = 0; i < N; i++) expect(J[i * N + j]).toBeCloseTo((f1[i] - f2[i]) / 2e-6, 5);
    }
    const { rowPtr, colIdx } = cm.jacPattern;
    for (let i = 0; i < N; i++) for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) expect(v[k]).toBe(J[i * N + colIdx[k]]);
  });

  it('chains the Jacobian through assigned quantities', () => {
    const m: Model = {
      name: 'chain', states: [{ name: 'u', initial: num(1), rate: sym('b') }, { name: 'v', initial: num(2), rate: num(0) }],
      parameters: [], events: [], observables: [],
      assigned: [{ name: 'b', expr: op('mul', sym('c'), sym('c')) }, { name: 'c', expr: op('mul', sym('u'), sym('v')) }],
    };
    const cm = compile(m, { noCache: true });
    const J = new Float64Array(4);
    cm.jac(0, Float64Array.of(3, 5), cm.p0, J);
    // b = (u v)^2 → ∂b/∂u = 2 u v², ∂b/∂v = 2 u² v
    expect(Array.from(J)).toEqual([2 * 3 * 25, 2 * 9 * 5, 0, 0]);
    expect(Array.from(cm.jacPattern.colIdx)).toEqual([0, 1, 1]);
  });

  it('evaluates initial values in dependency order, including computed parameters', () => {
    const m: Model = {
      name: 'init',
      states: [
        { name: 'B', initial: op('mul', num(2), sym('A')), rate: num(0) },
        { name: 'A', initial: sym('k'), rate: num(0) },
      ],
      parameters: [{ name: 'k', value: 3 }, { name: 'kk', value: 0, initial: op('add', sym('B'), sym('s')) }],
      assigned: [{ name: 's', expr: op('mul', sym('A'), num(10)) }],
      events: [], observables: [],
    };
    const cm = compile(m, { noCache: true });
    const p = new Float64Array(cm.p0);
    const y = new Float64Array(2);
    cm.init(0, p, y);
    expect(Array.from(y)).toEqual([6, 3]);
    expect(p[1]).toBe(36);
  });

  it('never puts names from the model into generated code', () => {
    const hostile = ['y[0]);process.exit(1);//', 'constructor', '__proto__', 'toString', '`${globalThis.x=1}`', 't', 'p', 'Math'];
    const m: Model = {
      name: 'hostile',
      states: hostile.slice(0, 4).map((nm, i) => ({ name: nm, initial: num(i + 1), rate: op('mul', num(-1), sym(hostile[i + 4])) })),
      parameters: hostile.slice(4).map((nm, i) => ({ name: nm, value: i + 1 })),
      assigned: [], events: [{ name: 'process.exit(2)', trigger: op('gt', sym('time'), sym('Math')), assignments: [{ target: 'constructor', expr: sym('__proto__') }] }],
      observables: [{ name: 'alert(1)', expr: sym('toString') }],
    };
    const cm = compile(m, { noCache: true });
    const dy = new Float64Array(4);
    cm.rhs(0, Float64Array.of(1, 2, 3, 4), cm.p0, dy);
    expect(Array.from(dy)).toEqual([-1, -2, -3, -4]);
    const src = [cm.rhs, cm.jac, cm.jacSparse, cm.init, cm.roots, cm.eventTriggers, cm.observables].map((f) => f.toString()).join('\n');
    for (const nm of hostile.concat(['process', 'alert', 'globalThis'])) {
      if (['t', 'p'].includes(nm)) continue;
      expect(src).not.toContain(nm);
    }
    expect((globalThis as Record<string, unknown>).x).toBeUndefined();
  });

  it('extracts root functions from piecewise conditions and event triggers', () => {
    const m: Model = {
      name: 'roots',
      states: [{ name: 'x', initial: num(0), rate: parseExpr('piecewise(1, time > 5 && time < 7, 0)') }],
      parameters: [{ name: 'th', value: 2 }],
      assigned: [], observables: [],
      events: [{ name: 'e', trigger: parseExpr('x >= th'), assignments: [{ target: 'x', expr: num(0) }] }],
    };
    const cm = compile(m, { noCache: true });
    expect(cm.nRoots).toBe(3);
    const g = new Float64Array(3);
    cm.roots(6, Float64Array.of(1.5), cm.p0, g);
    expect(Array.from(g)).toEqual([1, -1, -0.5]);
    expect(cm.rootSources.map((r) => r.rhs)).toEqual([true, true, false]);
    expect(cm.events[0].roots).toEqual([2]);
  });

  it('caches by model hash and lifts delay() into a term the simulation driver fills', () => {
    const m = modelOf([num(1), num(2), num(3)], num(0));
    expect(compile(m)).toBe(compile(JSON.parse(JSON.stringify(m)) as Model));
    expect(modelHash(m)).not.toBe(modelHash(modelOf([num(1), num(2), num(3.0000001)], num(0))));
    const d = modelOf([op('delay', sym('x'), num(1)), num(0), num(0)], num(0));
    const cd = compile(d, { noCache: true });
    expect(cd.delays?.n).toBe(1);
    const p = new Float64Array(cd.p0);
    p[cd.delays!.params[0]] = 7;
    const dy = new Float64Array(cd.n);
    cd.rhs(0, new Float64Array(cd.n), p, dy);
    expect(dy[0]).toBe(7);
    const nested = modelOf([op('delay', op('delay', sym('x'), num(1)), num(1)), num(0), num(0)], num(0));
    expect(() => compile(nested, { noCache: true })).toThrow(/a delay inside a delay in the rate of x/);
  });
});
