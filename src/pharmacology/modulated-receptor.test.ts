import { describe, expect, it } from 'vitest';
import { gatedCavScheme, type MarkovScheme, type MarkovState, type MarkovTransition } from '../biology/markov.js';
import type { Ligand } from './library.js';
import { bindScheme, concentrationParam, modulatedReceptor } from './modulated-receptor.js';
import { generatorOf, openProbability, schemeEquilibrium, schemeInitial, type SymbolValues } from './scheme-numeric.js';

/**
 * A small self-made channel: two activation steps (C0 ⇄ C1 ⇄ O, Boltzmann gates) and one
 * voltage-dependent inactivation process reachable from every activation state (suffix `_v`).
 * With independent gates the stationary distribution is m²·h in product form.
 */
function smallScheme(): MarkovScheme {
  const act = ['C0', 'C1', 'O'];
  const ainit = ['(1 - minf)^2', '2*minf*(1 - minf)', 'minf^2'];
  const states: MarkovState[] = [];
  const transitions: MarkovTransition[] = [];
  for (const v of ['', '_v']) {
    act.forEach((a, i) => states.push({
      name: `${a}${v}`,
      kind: (v ? 'inactivated' : a === 'O' ? 'open' : 'resting') as 'inactivated' | 'open' | 'resting',
      conductance: !v && a === 'O' ? 1 : 0,
      initial: `${ainit[i]}*${v ? '(1 - hinf)' : 'hinf'}`,
      activation: i,
      ...(v ? { tags: { inactivation: 'voltage' } } : {}),
    }));
    transitions.push(
      { from: `C0${v}`, to: `C1${v}`, rate: '2*alpha' }, { from: `C1${v}`, to: `O${v}`, rate: 'alpha' },
      { from: `O${v}`, to: `C1${v}`, rate: '2*beta' }, { from: `C1${v}`, to: `C0${v}`, rate: 'beta' },
    );
  }
  for (const a of act) transitions.push({ from: a, to: `${a}_v`, rate: 'kin' }, { from: `${a}_v`, to: a, rate: 'kout' });
  return { states, transitions, activationSlope: 'mslope' };
}

const boltz = (v: number, vh: number, k: number): number => 1 / (1 + Math.exp(-(v - vh) / k));

/** Values of the small scheme's symbols at voltage V. */
function smallEnv(V: number, params: Record<string, { value: number }>): SymbolValues {
  const mslope = 6;
  const minf = boltz(V, -20, mslope);
  const hinf = 1 - boltz(V, -40, 7);
  const tau = 1;
  const env: Record<string, number> = {
    minf, hinf, mslope, alpha: minf / tau, beta: (1 - minf) / tau, kin: (1 - hinf) / 100, kout: hinf / 100,
  };
  for (const [k, p] of Object.entries(params)) env[k] = p.value;
  return env;
}

const ligand = (id: string, action: 'antagonist' | 'agonist', kd: { resting: number; open?: number; inactivated: number; caInactivated?: number }, shift?: number): Ligand => ({
  id, name: id, action, kon: 1e-6,
  kd: {
    cav12: { resting: kd.resting, ...(kd.open !== undefined ? { open: kd.open } : {}), inactivated: kd.inactivated, caInactivated: kd.caInactivated ?? kd.resting },
    cav13: { resting: kd.resting, ...(kd.open !== undefined ? { open: kd.open } : {}), inactivated: kd.inactivated, caInactivated: kd.caInactivated ?? kd.resting },
  },
  ...(shift !== undefined ? { activationShift: shift } : {}),
  provenance: { kon: { assumption: 'test' } },
});

const bean = ligand('bean', 'antagonist', { resting: 700, open: 700, inactivated: 0.36 });

/** Net flux on every edge of the bound scheme at its stationary distribution (zero under detailed balance). */
function maxNetFlux(s: MarkovScheme, env: SymbolValues): number {
  const { names, q } = generatorOf(s, env);
  const n = names.length;
  const p = schemeEquilibrium(s, env);
  let worst = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) worst = Math.max(worst, Math.abs(p[i] * q[i * n + j] - p[j] * q[j * n + i]));
  return worst;
}

describe('modulated-receptor binding on a small scheme', () => {
  it('adds one bound copy per state and ligand, with binding and gating transitions', () => {
    const hook = modulatedReceptor('cav12', [{ ligand: bean, concentration_nM: 10 }]);
    const s = hook.transform(smallScheme());
    expect(s.states.length).toBe(12);
    expect(s.transitions.length).toBe(14 + 12 + 14);
    expect(s.states.find((x) => x.name === 'O_bean')!.conductance).toBe(0);
    expect(s.states.find((x) => x.name === 'O_bean')!.tags).toEqual({ drug: 'bean' });
    expect(hook.params.drug_bean_KdI.value).toBe(0.36);
    expect(concentrationParam('cav12', 'mem1003-plus')).toBe('cav12.drug_mem1003_plus_C');
  });

  it('keeps detailed balance and starts at the binding equilibrium', () => {
    const hook = modulatedReceptor('cav12', [{ ligand: bean, concentration_nM: 3 }, { ligand: ligand('other', 'antagonist', { resting: 50, open: 5, inactivated: 2 }), concentration_nM: 20 }]);
    const s = hook.transform(smallScheme());
    for (const V of [-90, -50, -10, 20]) {
      const env = smallEnv(V, hook.params);
      expect(maxNetFlux(s, env)).toBeLessThan(1e-15);
      const eq = schemeEquilibrium(s, env);
      const init = schemeInitial(s, env);
      init.forEach((x, i) => expect(Math.abs(x - eq[i])).toBeLessThan(1e-9 * Math.max(eq[i], 1e-6)));
      expect(init.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('gives the apparent Kd of Bean: Kd_R where channels rest, Kd_I where they are inactivated', () => {
    const blockAt = (V: number, c: number): number => {
      const hook = modulatedReceptor('cav12', [{ ligand: bean, concentration_nM: c }]);
      const s = hook.transform(smallScheme());
      const p = schemeEquilibrium(s, smallEnv(V, hook.params));
      return s.states.reduce((acc, x, i) => acc + (x.tags?.drug ? p[i] : 0), 0);
    };
    // Half occupancy at the apparent Kd 1/Σ u(s)/Kd(s), computed from the unbound distribution.
    for (const V of [-120, -60, -10]) {
      const u = schemeEquilibrium(smallScheme(), smallEnv(V, {}));
      const names = smallScheme().states;
      const inv = names.reduce((acc, x, i) => acc + u[i] / (x.kind === 'inactivated' ? 0.36 : 700), 0);
      expect(blockAt(V, 1 / inv)).toBeCloseTo(0.5, 10);
    }
    // Far negative: nearly pure resting-state affinity; depolarised: inactivated-state affinity.
    expect(blockAt(-120, 700)).toBeGreaterThan(0.45);
    expect(blockAt(-10, 0.4)).toBeGreaterThan(0.45);
  });

  it('makes enantiomers and compounds compete for one site', () => {
    const a = ligand('a', 'antagonist', { resting: 10, open: 10, inactivated: 10 });
    const b = ligand('b', 'antagonist', { resting: 40, open: 40, inactivated: 40 });
    const hook = modulatedReceptor('cav12', [{ ligand: a, concentration_nM: 10 }, { ligand: b, concentration_nM: 80 }]);
    const s = hook.transform(smallScheme());
    const p = schemeEquilibrium(s, smallEnv(-70, hook.params));
    const occ = (tag: string): number => s.states.reduce((acc, x, i) => acc + (x.tags?.drug === tag ? p[i] : 0), 0);
    // State-independent affinities: Gaddum competition, occupancy_A = (cA/KA)/(1 + cA/KA + cB/KB).
    expect(occ('a')).toBeCloseTo(1 / (1 + 1 + 2), 12);
    expect(occ('b')).toBeCloseTo(2 / (1 + 1 + 2), 12);
  });

  it('shifts the activation of agonist-bound channels by exactly ΔV and lets them conduct', () => {
    const ag = ligand('ag', 'agonist', { resting: 8, inactivated: 8 }, -23);
    const hook = modulatedReceptor('cav12', [{ ligand: ag, concentration_nM: 1e9 }]);
    const s = hook.transform(smallScheme());
    for (const V of [-60, -40, -25, -10, 10]) {
      const env = smallEnv(V, hook.params);
      const p = schemeEquilibrium(s, env);
      let bound = 0;
      let boundOpen = 0;
      s.states.forEach((x, i) => {
        if (x.tags?.drug !== 'ag' || x.kind === 'inactivated') return;
        bound += p[i];
        if (x.kind === 'open') boundOpen += p[i];
      });
      // Among non-inactivated bound channels the open fraction is m∞(V − ΔV)².
      expect(boundOpen / bound).toBeCloseTo(boltz(V + 23, -20, 6) ** 2, 10);
    }
    expect(s.states.find((x) => x.name === 'O_ag')!.conductance).toBe(1);
  });

  it('makes a saturating antagonist abolish conduction', () => {
    const hook = modulatedReceptor('cav12', [{ ligand: bean, concentration_nM: 1e9 }]);
    const s = hook.transform(smallScheme());
    const env = smallEnv(-30, hook.params);
    const free = openProbability(smallScheme(), schemeEquilibrium(smallScheme(), env));
    expect(free).toBeGreaterThan(1e-3);
    // Saturation leaves the unbound fraction 1/(1 + c·Σu/Kd) ≈ 1e-6 or less.
    expect(openProbability(s, schemeEquilibrium(s, env)) / free).toBeLessThan(1e-5);
  });

  it('refuses bad input with the field named', () => {
    expect(() => modulatedReceptor('cav12', [{ ligand: bean, concentration_nM: -1 }])).toThrow(/ligands\[0\]\.concentration_nM/);
    expect(() => modulatedReceptor('cav12', [{ ligand: bean, concentration_nM: 1 }, { ligand: bean, concentration_nM: 2 }])).toThrow(/ligands\[1\]: ligand 'bean' listed twice/);
    const noAct: MarkovScheme = { ...smallScheme(), activationSlope: undefined };
    const ag = ligand('ag', 'agonist', { resting: 8, inactivated: 8 }, -23);
    expect(() => bindScheme(noAct, [ag])).toThrow(/scheme: the agonist ag shifts activation/);
  });
});

describe('binding on the Cav1.x gated scheme of the biology layer', () => {
  /** Symbol values of the gated scheme at V with Ca²⁺-dependent inactivation factor finf. */
  const cavEnv = (V: number, finf: number, params: Record<string, { value: number }>): SymbolValues => {
    const minf = boltz(V, -20, 6.7);
    const hinf = 1 - boltz(V, -38, 8);
    const env: Record<string, number> = {
      minf, hinf, finf, mslope: 6.7, alpha: minf / 2, beta: (1 - minf) / 2,
      kv_on: (1 - hinf) / 300, kv_off: hinf / 300, kc_on: (1 - finf) / 10, kc_off: finf / 10,
    };
    for (const [k, p] of Object.entries(params)) env[k] = p.value;
    return env;
  };

  it('starts at equilibrium, keeps detailed balance and uses the Ca²⁺-only affinity for Ca²⁺-inactivated states', () => {
    const drug = ligand('d', 'antagonist', { resting: 700, open: 700, inactivated: 0.36, caInactivated: 50 });
    const ag = ligand('ag', 'agonist', { resting: 8, inactivated: 8 }, -23);
    const hook = modulatedReceptor('cav12', [{ ligand: drug, concentration_nM: 5 }, { ligand: ag, concentration_nM: 10 }]);
    const s = hook.transform(gatedCavScheme());
    expect(s.states.length).toBe(36);
    const env = cavEnv(-60, 0.7, hook.params);
    expect(maxNetFlux(s, env)).toBeLessThan(1e-14);
    const eq = schemeEquilibrium(s, env);
    schemeInitial(s, env).forEach((x, i) => expect(Math.abs(x - eq[i])).toBeLessThan(1e-9 * Math.max(eq[i], 1e-6)));
    const i0 = s.states.findIndex((x) => x.name === 'C0');
    const iC = s.states.findIndex((x) => x.name === 'C0_c_d');
    const iCu = s.states.findIndex((x) => x.name === 'C0_c');
    // Bound/unbound ratio of a Ca²⁺-inactivated state is [D]/Kd_Ca, of a resting one [D]/Kd_R.
    expect(eq[iC] / eq[iCu]).toBeCloseTo(5 / 50, 10);
    expect(eq[s.states.findIndex((x) => x.name === 'C0_d')] / eq[i0]).toBeCloseTo(5 / 700, 10);
  });
});
