import { describe, expect, it } from 'vitest';
import { compile } from '../../compile/compile.js';
import { SIGNALLING_PARAM_TABLES } from '../../biology/signalling/signalling.js';
import { evaluate } from '../../math/index.js';
import type { BuiltModel } from './registry.js';
import { compoundPk } from '../../pharmacology/library.js';
import { grid, simulatePk } from '../../pharmacology/pk.js';
import { contextRegistry } from './biology-registry.js';
import { piecewiseLinear } from './biology-stimulus.js';
import { ScenarioError } from './errors.js';
import { parseScenario } from './loader.js';
import type { BuildRequest } from './registry.js';

const ctx = (id: string) => contextRegistry.lookup(id)!;
const build = (id: string, req: Partial<BuildRequest> & { preset: string }): BuiltModel =>
  ctx(id).build({ components: {}, compounds: [], ...req }) as BuiltModel;
const load = (text: string) => parseScenario(text, 'test.yaml', { registry: contextRegistry });
const errorOf = (text: string): ScenarioError => {
  try {
    load(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
};
const param = (b: BuiltModel, name: string): number => {
  const p = b.model.parameters.find((q) => q.name === name);
  if (!p) throw new Error(`no parameter ${name}`);
  return p.value;
};

/** Values of an assigned quantity of a built model at times `ts` (at its parameter values). */
function assignedAt(b: BuiltModel, name: string, ts: readonly number[]): number[] {
  const cm = compile(b.model, { discontinuityRoots: false });
  const p = new Float64Array(cm.p0);
  for (const [k, v] of Object.entries(b.parameters ?? {})) p[cm.symbols.index.get(k)!.index] = v;
  const y = new Float64Array(cm.n);
  cm.init(0, p, y);
  const buf = new Float64Array(cm.nAssigned);
  const i = cm.symbols.index.get(name)!;
  expect(i.kind).toBe('assigned');
  return ts.map((t) => {
    cm.assigned(t, y, p, buf);
    return buf[i.index];
  });
}

describe('protocols on the built-in cells', () => {
  it('voltage clamp: steps and ramps become stimulus parameters and stop times', () => {
    const b = build('heterologous', {
      preset: 'koschak2001',
      protocol: { type: 'voltage-clamp', holding: -80, hold: 10, segments: [{ voltage: -10, duration: 50 }, { voltage: -80, to: 20, duration: 100 }] },
    });
    expect(b.parameters).toMatchObject({ 'stim.v0': -80, 'stim.v1': -10, 'stim.t1': 10, 'stim.v2': -80, 'stim.s2': 1, 'stim.t2': 60, 'stim.v3': -80, 'stim.t3': 160 });
    expect(b.tstops).toEqual([10, 60]);
    expect(b.model.parameters.some((p) => p.name === 'cav13.pbar')).toBe(true);
    expect(build('heterologous', { preset: 'koschak2001-cav12', protocol: { type: 'voltage-clamp', holding: -80, hold: 0, segments: [{ voltage: 0, duration: 5 }] } })
      .model.parameters.some((p) => p.name === 'cav12.pbar')).toBe(true);
  });

  it('current clamp: pA become nA; every pulse edge is a stop time', () => {
    const b = build('ca1', { preset: 'young', protocol: { type: 'current-train', amplitude: 1500, width: 2, frequency: 20, count: 3, start: 50 } });
    expect(b.parameters).toMatchObject({ 'stim.train0_amp': 1.5, 'stim.train0_period': 50, 'stim.train0_count': 3, 'stim.train0_start': 50 });
    expect(b.tstops).toEqual([50, 52, 100, 102, 150, 152]);
    const s = build('ca1', { preset: 'young', protocol: { type: 'current-steps', delay: 10, steps: [{ amplitude: 200, duration: 30 }, { amplitude: -50, duration: 20 }] } });
    expect(s.parameters).toMatchObject({ 'stim.step0_start': 10, 'stim.step0_amp': 0.2, 'stim.step1_start': 40, 'stim.step1_amp': -0.05 });
  });

  it('K⁺ depolarisation: the bath K⁺ is raised only during the application, and E_K follows it', () => {
    const b = build('ca1', { preset: 'young', protocol: { type: 'k-depolarisation', concentration: 40, start: 100, duration: 200 } });
    expect(assignedAt(b, 'env.K_bath', [0, 99, 100, 250, 299.9, 300, 400])).toEqual([3.5, 3.5, 40, 40, 40, 3.5, 3.5]);
    const ek = assignedAt(b, 'env.EK', [50, 150]);
    expect(ek[1] - ek[0]).toBeGreaterThan(50);
    expect(b.tstops).toEqual([100, 300]);
    const withBaseline = build('ca1', { preset: 'young', protocol: { type: 'k-depolarisation', concentration: 60, baseline: 5, start: 0, duration: 10 } });
    expect(withBaseline.parameters?.['env.K_o']).toBe(5);
  });

  it('a piecewise-linear time course passes through its samples and interpolates between them', () => {
    const t = [0, 1, 3, 4, 10];
    const y = [0, 2, 2, -1, 5];
    const e = piecewiseLinear(t, y);
    const at = (time: number): number => evaluate(e, (n) => (n === 'time' ? time : NaN));
    t.forEach((tk, k) => expect(at(tk)).toBeCloseTo(y[k], 12));
    expect(at(0.5)).toBeCloseTo(1, 12);
    expect(at(3.5)).toBeCloseTo(0.5, 12);
    expect(at(7)).toBeCloseTo(2, 12);
    expect(at(-1)).toBe(0);
    expect(at(20)).toBe(5);
  });

  it('dosing: the channels see the PK model’s free brain (neuron) or free plasma (myocyte) concentration', () => {
    const regimen = { dose: 60, interval: 4, route: 'oral' as const };
    const req = { compounds: [{ id: 'nimodipine', regimen }], protocol: { type: 'dosing' as const, days: 0.5 } };
    const b = build('ca1', { preset: 'young', ...req });
    const hours = [0, 1, 2.5, 6, 11.75];
    const prof = simulatePk(compoundPk('nimodipine'), { kind: 'repeated', dose_mg: 60, interval_h: 4, count: 3 }, { times_h: hours });
    const got = assignedAt(b, 'dose.nimodipine_nM', hours.map((h) => h * 3.6e6));
    got.forEach((c, k) => expect(c).toBeCloseTo(prof.brainFree_nM[k], 9));
    expect(Math.max(...got)).toBeGreaterThan(0);
    // The concentration parameter is replaced by the time course; the stop times are the samples.
    expect(b.model.parameters.some((p) => /drug_nimodipine_C$/.test(p.name))).toBe(false);
    expect(b.tstops?.length).toBe(12 * 4);
    const v = build('vascular', { preset: 'default', ...req });
    const plasma = simulatePk(compoundPk('nimodipine'), { kind: 'repeated', dose_mg: 60, interval_h: 4, count: 3 }, { times_h: grid(0, 12, 4) });
    expect(assignedAt(v, 'dose.nimodipine_nM', [3 * 3.6e6])[0]).toBeCloseTo(plasma.plasmaFree_nM[1], 9);
  });

  it('a fixed concentration (µM) is set in nM on every L-type isoform of the cell', () => {
    const b = build('ca1', { preset: 'young', compounds: [{ id: 'nimodipine', concentration: 0.25 }] });
    const set = Object.entries(b.parameters ?? {}).filter(([k]) => /drug_.*_C$/.test(k));
    expect(set.map(([k]) => k.split('.')[0]).sort()).toEqual(['cav12', 'cav13']);
    for (const [, v] of set) expect(v).toBeCloseTo(250, 9);
  });

  it('components: channels are knocked out or scaled; signalling knock-outs set their parameters', () => {
    const b = build('ca1', { preset: 'young', components: { cav13: { knockout: true }, sk: { scale: 2 } } });
    expect(param(b, 'cav13.scale')).toBe(0);
    expect(param(b, 'sk.scale')).toBe(2);
    const aged = build('ca1', { preset: 'aged', components: { cav12: { scale: 0.5 } } });
    expect(param(aged, 'cav12.scale')).toBe(1);
    const sig = build('ca1', { preset: 'young', signalling: true, components: { gammaCaMKII: { knockout: true }, calcineurin: { scale: 0.5 } } });
    expect(param(sig, 'sig.gamma.total')).toBe(0);
    expect(param(sig, 'sig.can.total')).toBeCloseTo(0.5 * SIGNALLING_PARAM_TABLES.can.total.value, 12);
    expect(sig.model.observables.map((o) => o.name)).toContain('pCREB');
  });
});

const ca1 = 'name: t\ncontext: ca1\n';

describe('scenario checks against the built-in contexts', () => {
  it('unknown parameter paths get a did-you-mean, with line and column', () => {
    const e = errorOf(`${ca1}parameters:\n  cav13.pbr: 1\n`);
    expect(e.message).toMatch(/test\.yaml:4:3: field parameters\["cav13\.pbr"\]: context 'ca1' has no parameter 'cav13\.pbr' \(did you mean 'cav13\.pbar'\?\)/);
    expect(errorOf(`${ca1}protocol: { type: current-train, amplitude: 1, width: 1, frequency: 10, count: 2 }\nparameters:\n  stim.train0_start: 5\n`).message)
      .toMatch(/stim\.train0_start.*a stimulus time: set it in the protocol/);
  });

  it('an unknown compound lists the library', () => {
    const e = errorOf(`${ca1}compounds:\n  - { id: nimodipin, concentration: 1 }\n`);
    expect(e.message).toMatch(/4:.*compounds\[0\]\.id: unknown compound 'nimodipin' \(did you mean 'nimodipine'\? the library has: .*isradipine.*mem1003-rac/);
    expect(errorOf(`${ca1}compounds:\n  - { id: aspirin, concentration: 1 }\n`).message).toMatch(/the library has: nitrendipine, nifedipine, nimodipine/);
  });

  it('signalling names need signalling: true, and only ca1 has it', () => {
    expect(errorOf(`${ca1}components:\n  gammaCaMKII: { knockout: true }\n`).message).toMatch(/component 'gammaCaMKII' is not in this model: it is part of the signalling: add 'signalling: true'/);
    expect(errorOf(`${ca1}duration: 10\noutputs: { observables: [pCREB] }\n`).message).toMatch(/'pCREB' is not in this model: .*signalling: true/);
    expect(errorOf('name: t\ncontext: vascular\nsignalling: true\nduration: 10\n').message).toMatch(/test\.yaml:3:13: field signalling: context 'vascular' has no signalling model/);
    const ok = load(`${ca1}signalling: true\nduration: 10\ncomponents:\n  gammaCaMKII: { knockout: true }\noutputs: { observables: [pCREB, sig.creb.pS133] }\n`);
    expect(ok.scenario.signalling).toBe(true);
  });

  it('protocols the context cannot apply are errors at the protocol', () => {
    expect(errorOf('name: t\ncontext: heterologous\nprotocol: { type: current-steps, steps: [{ amplitude: 10, duration: 5 }] }\n').message)
      .toMatch(/3:19: field protocol\.type: context 'heterologous' cannot apply a 'current-steps' protocol \(it supports: voltage-clamp\)/);
    expect(errorOf('name: t\ncontext: heterologous\nduration: 10\n').message).toMatch(/field protocol: context 'heterologous' needs a protocol/);
    expect(errorOf(`${ca1}duration: 10\noutputs: { observables: [I_clamp] }\n`).message).toMatch(/'I_clamp' is not in this model: the clamp current exists in voltage clamp only/);
  });

  it('offers the cardiac myocyte (Cav1.2 with the canine gating) as a voltage-clamp-only context', () => {
    expect(ctx('cardiac').presets.map((p) => p.id)).toEqual(['bean1984']);
    expect(ctx('cardiac').protocols).toEqual(['voltage-clamp']);
    expect(errorOf('name: t\ncontext: cardiac\nduration: 10\n').message).toMatch(/field protocol: context 'cardiac' needs a protocol/);
    const b = build('cardiac', { preset: 'bean1984', protocol: { type: 'voltage-clamp', holding: -80, hold: 10, segments: [{ voltage: 0, duration: 50 }] } });
    expect(param(b, 'cav12.hvhalf')).toBe(-12.5);
    expect(b.model.parameters.some((p) => p.name.startsWith('cav13.'))).toBe(false);
  });

  it('a regimen needs a compound with PK data and an oral route', () => {
    const dosing = (id: string, route = 'oral'): string => `${ca1}compounds:\n  - id: ${id}\n    regimen: { dose: 10, interval: 12, route: ${route} }\nprotocol: { type: dosing, days: 1 }\n`;
    expect(errorOf(dosing('isradipine')).message).toMatch(/5:14: field compounds\[0\]\.regimen: isradipine has no pharmacokinetic data .*compounds with PK data: nimodipine, mem1003-plus, mem1003-rac; or give a fixed 'concentration'/);
    expect(errorOf(dosing('nimodipine', 'iv')).message).toMatch(/field compounds\[0\]\.regimen\.route: the PK models describe oral dosing only/);
    expect(load(dosing('nimodipine')).scenario.duration).toBe(24 * 3.6e6);
  });
});
