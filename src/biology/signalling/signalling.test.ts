import { describe, expect, it } from 'vitest';
import { compile } from '../../compile/compile.js';
import type { CompiledModel } from '../../compile/compiled.js';
import { ModelBuilder } from '../../model/builder.js';
import { simulate } from '../../solve/simulate.js';
import { buildCell } from '../contexts.js';
import { BiologyError } from '../errors.js';
import { attachSignalling } from './attach.js';
import { CALMODULIN_PARAMS, iqLoaded, lobeLoaded } from './calmodulin.js';
import { KNOCKOUT_IDS, SIGNALLING_KNOCKOUTS, applyKnockouts, checkKnockouts } from './knockouts.js';
import { SIGNALLING_PARAM_TABLES, addSignalling, buildSignallingModel } from './signalling.js';

const MIN = 60_000;

/** The stand-alone model with the prescribed input, compiled once for the whole file. */
const cm = compile(buildSignallingModel(), { discontinuityRoots: false });
const ix = (name: string): number => {
  const r = cm.symbols.index.get(name);
  if (!r) throw new Error(`no ${name}`);
  return r.index;
};

/** Settled rest state (3 h without stimulus) for parameters `p`. */
function settle(p: Float64Array): Float64Array {
  const pr = new Float64Array(p);
  pr[ix('sig.input.dep_dur')] = 0;
  const s = simulate(cm, { tEnd: 180 * MIN, p: pr, saveAt: [180 * MIN], rtol: 1e-7, atol: 1e-10, recordDerived: false });
  expect(s.retcode).toBe('Success');
  return s.y.slice(s.y.length - cm.n);
}

interface Run { t: Float64Array; get(name: string): Float64Array }

/** A depolarisation window of `durMin` minutes from t = 0, sampled every 5 s. */
function depolarise(p: Float64Array, durMin: number, tEndMin: number): Run {
  const q = new Float64Array(p);
  q[ix('sig.input.dep_on')] = 0;
  q[ix('sig.input.dep_dur')] = durMin * MIN;
  const y0 = settle(p);
  const saveAt = Array.from({ length: Math.round((tEndMin * MIN) / 5000) + 1 }, (_, k) => k * 5000);
  const r = simulate(cm, { tEnd: tEndMin * MIN, p: q, y0, saveAt, tstops: [durMin * MIN], rtol: 1e-6, atol: 1e-10 });
  expect(r.retcode).toBe('Success');
  return {
    t: r.t,
    get(name: string): Float64Array {
      const ref = cm.symbols.index.get(name)!;
      return Float64Array.from(r.t, (_, k) => (ref.kind === 'state' ? r.y[k * cm.n + ref.index] : r.assigned![k * cm.nAssigned + ref.index]));
    },
  };
}
const at = (run: Run, name: string, minute: number): number => run.get(name)[run.t.findIndex((x) => x >= minute * MIN - 1e-9)];
const maxOf = (a: Float64Array): number => a.reduce((m, x) => Math.max(m, x), -Infinity);

describe('calmodulin lobes', () => {
  it('a lobe with sites K1, K2 is half loaded at c² = K1·K2 + K2·c', () => {
    // c = 2 µM with K1 = 2, K2 = 2: c² = 4 = K1K2 + K2c − 4 → loaded = 4/(4 + 4 + 4) = 1/3.
    expect(lobeLoaded(2, 2, 2)).toBeCloseTo(1 / 3, 12);
    expect(lobeLoaded(0, 10, 1)).toBe(0);
    expect(lobeLoaded(1e6, 10, 1)).toBeGreaterThan(0.9999);
  });

  it('channel CaM saturates in an open channel\'s nanodomain but not at bulk Ca²⁺', () => {
    // The basis of opening-counting: halving the nanodomain Ca²⁺ (14 → 7 µM) changes loading far
    // less than halving the number of openings would, and 1 µM bulk Ca²⁺ hardly loads it.
    const full = iqLoaded(14), half = iqLoaded(7);
    expect(full).toBeGreaterThan(0.85);
    expect(1 - half / full).toBeLessThan(0.25);
    expect(iqLoaded(1)).toBeLessThan(0.05);
  });

  it('constants are the koff/kon ratios of the cited rates', () => {
    expect(CALMODULIN_PARAMS.K2Cb.value).toBeCloseTo(0.8 / 44, 3);
    expect(CALMODULIN_PARAMS.K1N.value).toBeCloseTo(2000 / 100, 9);
  });
});

describe('signalling model', () => {
  it('every signalling parameter has a unit and a source or an assumption', () => {
    const sig = cm.model.parameters.filter((p) => p.name.startsWith('sig.'));
    expect(sig.length).toBeGreaterThan(60);
    for (const p of sig) {
      expect(p.unit, p.name).toBeTruthy();
      expect(Boolean(p.provenance?.source) !== Boolean(p.provenance?.assumption), `${p.name} needs exactly one of source/assumption`).toBe(true);
    }
    // The tables list exactly the declared parameters.
    const listed = Object.entries(SIGNALLING_PARAM_TABLES).flatMap(([c, t]) => Object.keys(t).map((k) => `sig.${c}.${k}`)).sort();
    expect(sig.map((p) => p.name).sort()).toEqual(listed);
  });

  it('has no unit inconsistencies', () => {
    expect(cm.warnings.filter((w) => w.includes('sig.'))).toEqual([]);
  });

  it('rests with little signalling and no CaMKII autonomy', () => {
    const y = settle(cm.p0);
    expect(y[ix('sig.camkii.T_loc')]).toBeLessThan(0.01);
    expect(y[ix('sig.camkii.P')] + y[ix('sig.camkii.A')]).toBeLessThan(0.01);
    expect(y[ix('sig.creb.pS133')]).toBeGreaterThan(0);
    expect(y[ix('sig.creb.pS133')]).toBeLessThan(0.1);
    // Settled means settled: another hour changes nothing.
    const r = simulate(cm, { tEnd: 60 * MIN, p: cm.p0, y0: y, saveAt: [60 * MIN], recordDerived: false });
    expect(r.y[ix('sig.creb.pS133')]).toBeCloseTo(y[ix('sig.creb.pS133')], 4);
  });

  it('a 3-min depolarisation runs the shuttle and phosphorylates CREB, then c-fos follows with a delay', () => {
    const run = depolarise(cm.p0, 3, 60);
    const pc = run.get('sig.creb.pS133');
    expect(at(run, 'sig.creb.pS133', 3) - pc[0]).toBeGreaterThan(0.3);
    expect(at(run, 'sig.camkii.T_loc', 2)).toBeGreaterThan(0.5);
    expect(at(run, 'sig.gamma.nuclear', 1)).toBeGreaterThan(10 * at(run, 'sig.gamma.nuclear', 0) + 1e-3);
    // Nuclear Ca²⁺/CaM rises during the stimulus and is gone 10 min after it.
    expect(at(run, 'sig.nuc.CaCaM', 2)).toBeGreaterThan(0.05);
    expect(at(run, 'sig.nuc.CaCaM', 13)).toBeLessThan(0.1 * at(run, 'sig.nuc.CaCaM', 2));
    // c-fos mRNA peaks well after pCREB starts to rise and far above rest.
    const cf = run.get('sig.cfos.mRNA');
    const kPeak = cf.indexOf(maxOf(cf));
    expect(run.t[kPeak]).toBeGreaterThan(10 * MIN);
    expect(maxOf(cf) / cf[0]).toBeGreaterThan(5);
    // The carrier is conserved.
    const g = ['sig.gamma.gP', 'sig.gamma.gN'].map((n) => run.get(n));
    const total = cm.p0[ix('sig.gamma.total')];
    for (let k = 0; k < run.t.length; k++) expect(g[0][k] + g[1][k]).toBeLessThanOrEqual(total * (1 + 1e-9));
  });

  it('the channel complex counts openings: a pore block changes its Ca²⁺/CaM load far less than a gating block', () => {
    const lam = (p: Float64Array): number => at(depolarise(p, 2, 2), 'sig.camkii.lam', 2);
    const ctl = lam(cm.p0);
    const pore = new Float64Array(cm.p0);
    pore[ix('sig.camkii.pore_scale')] = 0.5;
    const gate = new Float64Array(cm.p0);
    gate[ix('sig.input.open_scale')] = 0.5;
    const lossPore = 1 - lam(pore) / ctl, lossGate = 1 - lam(gate) / ctl;
    expect(lossGate).toBeGreaterThan(0.1);
    expect(lossPore).toBeLessThan(0.5 * lossGate);
  });

  it('knock-outs act where they should', () => {
    const run = (ko: string[]): Run => depolarise(applyKnockouts(cm, new Float64Array(cm.p0), ko), 2, 2);
    const ctl = run([]);
    expect(maxOf(run(['gammaCaMKII']).get('sig.gamma.nuclear'))).toBe(0);
    expect(maxOf(run(['gammaT287A']).get('sig.gamma.gP'))).toBe(0);
    expect(maxOf(run(['calcineurin']).get('sig.can.local'))).toBe(0);
    const sh = run(['shank3']);
    expect(at(sh, 'sig.camkii.beta_near', 2)).toBeLessThan(0.2 * at(ctl, 'sig.camkii.beta_near', 2));
    expect(at(sh, 'sig.camkii.autonomy_tethered', 2)).toBe(0);
    expect(maxOf(run(['camk4']).get('sig.camk4.IVp'))).toBe(0);
    expect(maxOf(run(['mapk']).get('sig.mapk.erk'))).toBe(0);
    // The Shank3 manipulations all remove the tether.
    for (const id of ['shank3', 'shank3RRK', 'ltccShank3'] as const) expect(SIGNALLING_KNOCKOUTS[id].set).toEqual({ 'camkii.tether': 0 });
  });
});

describe('bad input', () => {
  it('unknown knock-outs are named with the valid ids', () => {
    expect(() => checkKnockouts(['shank4'])).toThrow(/knockouts\[0\].*unknown knock-out 'shank4'.*gammaCaMKII/);
    expect(() => buildSignallingModel({ knockouts: ['nope'] })).toThrow(BiologyError);
    expect(KNOCKOUT_IDS).toContain('calcineurin');
  });

  it('unknown or out-of-range parameter overrides are errors naming the path', () => {
    expect(() => buildSignallingModel({ overrides: { 'sig.camkii.kautox': 1 } })).toThrow(/sig\.camkii\.kautox/);
    expect(() => buildSignallingModel({ overrides: { 'sig.camkii.pore_scale': 2 } })).toThrow(/sig\.camkii\.pore_scale.*outside/);
    expect(() => buildSignallingModel({ overrides: { 'cav12.pbar': 1 } })).toThrow(/cav12\.pbar/);
  });

  it('inputs must be formulas over existing quantities', () => {
    const b = new ModelBuilder('x');
    expect(() => addSignalling(b, { inputs: { open: '', sub: 'a', cyt: 'a', nuc: 'a' } })).toThrow(/signalling\.inputs\.open/);
    const cell = buildCell({ context: 'ca1', preset: 'young', input: { clamp: 'current', steps: 0, trains: 0 } });
    expect(() => attachSignalling(cell.model, { inputs: { open: 'cav12.Po', sub: 'ca.shelll', cyt: 'ca.cyt', nuc: 'ca.nuc' } })).toThrow(/signalling\.inputs\.sub.*ca\.shelll/);
  });
});

describe('attached to the CA1 cell', () => {
  it('reads the cell\'s L-type channels and Ca²⁺ pools and compiles with them', () => {
    const cell = buildCell({ context: 'ca1', preset: 'young', input: { clamp: 'current', steps: 0, trains: 0 } });
    const model = attachSignalling(cell.model);
    const both: CompiledModel = compile(model, { discontinuityRoots: false, noCache: true });
    expect(both.n).toBe(cell.model.states.length + buildSignallingModel().states.filter((s) => !s.name.startsWith('sig.input.')).length);
    const open = model.assigned.find((a) => a.name === 'sig.camkii.open')!;
    const syms = JSON.stringify(open.expr);
    for (const s of ['cav12.Po', 'cav13.Po', 'cav12.scale', 'cav13.scale']) expect(syms).toContain(s);
    // No placeholder survives: the inputs are the cell's own quantities.
    expect(model.parameters.filter((p) => p.name === 'ca.shell')).toEqual([]);
    expect(() => attachSignalling(model)).toThrow(/namespace 'sig'/);
  });
});
