import { describe, expect, it } from 'vitest';
import { ModelBuilder } from '../model/builder.js';
import { compile } from '../compile/compile.js';
import { addScheme, checkScheme, gatedCavScheme, type MarkovScheme } from './markov.js';
import { BiologyError } from './errors.js';

/** A scheme in a component with constant rates, compiled. */
function compiledScheme(s: MarkovScheme, rates: Record<string, number>, extra: Record<string, number> = {}) {
  const b = new ModelBuilder('t', { timeUnit: 'ms' });
  const c = b.component('ch');
  for (const [k, v] of Object.entries({ ...rates, ...extra })) c.parameter(k, v);
  addScheme(c, s);
  return compile(b.build(), { discontinuityRoots: false });
}

const RATES = { alpha: 0.7, beta: 0.3, kv_on: 0.05, kv_off: 0.02, kc_on: 0.1, kc_off: 0.4, minf: 0.7, hinf: 0.2, finf: 0.6 };

describe('gated Cav scheme', () => {
  it('has 12 states: 2 resting, 1 open, 9 inactivated, one conducting', () => {
    const s = gatedCavScheme();
    expect(s.states).toHaveLength(12);
    expect(s.states.filter((x) => x.kind === 'resting').map((x) => x.name)).toEqual(['C0', 'C1']);
    expect(s.states.filter((x) => x.kind === 'open').map((x) => x.name)).toEqual(['O']);
    expect(s.states.filter((x) => x.conductance > 0).map((x) => x.name)).toEqual(['O']);
  });

  it('conserves probability: the rates of all states sum to zero', () => {
    const cm = compiledScheme(gatedCavScheme(), RATES);
    const y = new Float64Array(cm.n);
    const p = new Float64Array(cm.p0);
    for (let i = 0; i < cm.n; i++) y[i] = (i + 1) / 78; // arbitrary occupancies
    const dy = new Float64Array(cm.n);
    cm.rhs(0, y, p, dy);
    expect(Math.abs(dy.reduce((a, b) => a + b, 0))).toBeLessThan(1e-14);
    expect(dy.some((d) => Math.abs(d) > 1e-6)).toBe(true);
  });

  it('starts at the product steady state m²·h·f, where every rate vanishes', () => {
    // With minf = α/(α+β), hinf = kv_off/(kv_on+kv_off), finf = kc_off/(kc_on+kc_off) the
    // closed-form initial state is the equilibrium of the scheme.
    const r = { alpha: 0.7, beta: 0.3, kv_on: 0.08, kv_off: 0.02, kc_on: 0.1, kc_off: 0.4 };
    const cm = compiledScheme(gatedCavScheme(), r, { minf: 0.7, hinf: 0.2, finf: 0.8 });
    const y = new Float64Array(cm.n);
    const p = new Float64Array(cm.p0);
    cm.init(0, p, y);
    const dy = new Float64Array(cm.n);
    cm.rhs(0, y, p, dy);
    for (const d of dy) expect(Math.abs(d)).toBeLessThan(1e-15);
    const a = new Float64Array(cm.nAssigned);
    cm.assigned(0, y, p, a);
    const po = a[cm.symbols.index.get('ch.Po')!.index];
    expect(po).toBeCloseTo(0.7 ** 2 * 0.2 * 0.8, 14);
  });

  it('lets a drug layer add bound copies of every state through a transform', () => {
    const withDrug = (s: MarkovScheme): MarkovScheme => ({
      states: [...s.states, ...s.states.map((x) => ({ ...x, name: `${x.name}_D`, conductance: 0, initial: '0', tags: { drug: 'test' } }))],
      transitions: [
        ...s.transitions,
        ...s.transitions.map((t) => ({ from: `${t.from}_D`, to: `${t.to}_D`, rate: t.rate })),
        ...s.states.map((x) => ({ from: x.name, to: `${x.name}_D`, rate: x.kind === 'inactivated' ? 'kon_i' : 'kon_r' })),
        ...s.states.map((x) => ({ from: `${x.name}_D`, to: x.name, rate: 'koff' })),
      ],
    });
    const cm = compiledScheme(withDrug(gatedCavScheme()), RATES, { kon_i: 1, kon_r: 0.01, koff: 0.01 });
    expect(cm.n).toBe(24);
    const y = new Float64Array(cm.n);
    const p = new Float64Array(cm.p0);
    cm.init(0, p, y);
    const dy = new Float64Array(cm.n);
    cm.rhs(0, y, p, dy);
    // binding starts from the unbound steady state: bound states gain, the sum is conserved
    expect(dy[cm.symbols.index.get('ch.O_v_D')!.index]).toBeGreaterThan(0);
    expect(Math.abs(dy.reduce((a, b) => a + b, 0))).toBeLessThan(1e-14);
  });

  it('rejects malformed schemes with the component named', () => {
    const s = gatedCavScheme();
    expect(() => checkScheme({ ...s, transitions: [...s.transitions, { from: 'O', to: 'X', rate: '1' }] }, 'cav12')).toThrow(/cav12.*undeclared state/);
    expect(() => checkScheme({ states: s.states.map((x) => ({ ...x, conductance: 0 })), transitions: [] }, 'cav12')).toThrow(BiologyError);
    expect(() => checkScheme({ states: [...s.states, s.states[0]], transitions: [] }, 'cav13')).toThrow(/declared twice/);
  });
});
