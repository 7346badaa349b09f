import { describe, expect, it } from 'vitest';
import { compile } from '../compile/compile.js';
import { num, op, parseExpr, sym } from '../math/index.js';
import type { Model } from '../model/ir.js';
import { simulate, stateTolerances } from './simulate.js';

const base: Model = { name: 't', states: [], parameters: [], assigned: [], events: [], observables: [] };

describe('simulate: events at exact crossings', () => {
  it('fires a strict time trigger once, at the crossing, even when the root lands exactly on it', () => {
    const m: Model = {
      ...base,
      states: [{ name: 'x', initial: num(0), rate: num(1) }],
      parameters: [{ name: 'k', value: 0 }],
      events: [{ name: 'E', trigger: parseExpr('time > 5.5'), assignments: [{ target: 'k', expr: parseExpr('k + 1') }] }],
    };
    const r = simulate(compile(m), { tEnd: 10, nOut: 20, rtol: 1e-10, atol: 1e-12 });
    expect(r.firedEvents).toHaveLength(1);
    expect(r.firedEvents[0].t).toBeCloseTo(5.5, 9);
    expect(r.parameters![20 * 1]).toBe(1);
  });

  it('runs a model without states, with events on time and recorded parameters', () => {
    const m: Model = {
      ...base,
      parameters: [{ name: 'q', value: 0 }, { name: 'c', value: 3, initial: parseExpr('2 + 1') }],
      assigned: [{ name: 'osc', expr: parseExpr('sin(10 * time)') }],
      events: [{ name: 'E', trigger: parseExpr('osc < 0'), assignments: [{ target: 'q', expr: parseExpr('q + 1') }] }],
    };
    const r = simulate(compile(m), { tEnd: 2, nOut: 4, recordParameters: true });
    expect(r.retcode).toBe('Success');
    // sin(10 t) turns negative at t = π/10, 3π/10, 5π/10 (< 2: also 7π/10 … 19π/10 → 7 times)
    expect(r.firedEvents.map((e) => e.t)).toHaveLength(Math.floor((2 * 10 / Math.PI + 1) / 2));
    expect(r.parameters![1]).toBe(3);
  });
});

describe('simulate: delays', () => {
  it('solves x′ = −x(t − 1), x = 1 before the start, by the method of steps', () => {
    const m: Model = { ...base, states: [{ name: 'x', initial: num(1), rate: op('neg', op('delay', sym('x'), num(1))) }] };
    const r = simulate(compile(m), { tEnd: 3, saveAt: [1, 2, 3], rtol: 1e-10, atol: 1e-12 });
    // x = 1 − t on [0,1]; 1 − t + (t−1)²/2 on [1,2]; on [2,3] one more integration.
    const x3 = 1 - 3 + 2 ** 2 / 2 - 1 ** 3 / 6;
    expect(Array.from(r.y)).toEqual([expect.closeTo(0, 8), expect.closeTo(-0.5, 8), expect.closeTo(x3, 7)]);
  });

  it('sees parameter jumps of the past through a delay, not the current value', () => {
    const m: Model = {
      ...base,
      states: [{ name: 'clock', initial: num(0), rate: num(1) }],
      parameters: [{ name: 'q', value: 0 }],
      assigned: [{ name: 'late', expr: op('delay', sym('q'), num(0.5)) }],
      events: [{ name: 'E', trigger: parseExpr('time >= 1'), assignments: [{ target: 'q', expr: num(1) }] }],
    };
    const r = simulate(compile(m), { tEnd: 2, saveAt: [1.25, 1.75], rtol: 1e-10, atol: 1e-12 });
    expect(Array.from(r.assigned!)).toEqual([0, 1]);
  });
});

describe('simulate: per-state absolute tolerances', () => {
  const m: Model = {
    ...base,
    states: [
      { name: 'x', initial: num(1e-3), rate: parseExpr('-x'), atolScale: 1e-6 },
      { name: 'z', initial: num(1e-3), rate: parseExpr('-z') },
    ],
  };

  it('scales a scalar atol by each state\'s declared atolScale, and keeps an explicit array', () => {
    const cm = compile(m);
    expect(Array.from(cm.atolScale)).toEqual([1e-6, 1]);
    expect(Array.from(stateTolerances(cm, 1e-4) as Float64Array)).toEqual([1e-4 * 1e-6, 1e-4]);
    const given = Float64Array.from([1, 2]);
    expect(stateTolerances(cm, given)).toBe(given);
    expect(stateTolerances(compile({ ...base, states: [{ name: 'y', initial: num(0), rate: num(0) }] }), 1e-4)).toBe(1e-4);
  });

  it('integrates a state with a small scale to its own tolerance', () => {
    const decay = (atolScale?: number): Model => ({
      ...base, states: [{ name: 'x', initial: num(1e-3), rate: parseExpr('-x'), ...(atolScale !== undefined ? { atolScale } : {}) }],
    });
    const err = (atolScale?: number): number => {
      const r = simulate(compile(decay(atolScale)), { tEnd: 5, saveAt: [5], rtol: 1e-12, atol: 1e-5, recordDerived: false });
      expect(r.retcode).toBe('Success');
      return Math.abs(r.y[0] - 1e-3 * Math.exp(-5));
    };
    // Without a scale, atol 1e-5 exceeds the state itself: the result is barely controlled.
    expect(err(1e-6)).toBeLessThan(1e-9);
    expect(err()).toBeGreaterThan(1e3 * err(1e-6));
  });
});
