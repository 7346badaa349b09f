import { describe, expect, it } from 'vitest';
import { activationTauAt, caPerAp, ivCurve, restingState } from './cell.js';
import { runProtocol } from '../protocols/run.js';
import { voltageStep } from '../protocols/protocol.js';
import { peakInward } from './readouts.js';

describe('heterologous channel biophysics (short protocols)', () => {
  const levels = [-55, -50, -45, -40, -35, -30, -25, -20, -10, 0, 10];
  it('Cav1.3 activates at more negative potentials and faster than Cav1.2', () => {
    const a = ivCurve({ context: 'heterologous', isoform: 'cav13' }, levels, -80, 20);
    const b = ivCurve({ context: 'heterologous', isoform: 'cav12' }, levels, -80, 20);
    expect(b.threshold - a.threshold).toBeGreaterThan(8);
    expect(b.vPeak).toBeGreaterThan(a.vPeak);
    expect(activationTauAt({ context: 'heterologous', isoform: 'cav13' }, -15)).toBeLessThan(activationTauAt({ context: 'heterologous', isoform: 'cav12' }, -5));
  });

  it('Ba²⁺ current carries no Ca²⁺ and does not drive Ca²⁺-dependent inactivation', () => {
    const tr = runProtocol({ context: 'heterologous', isoform: 'cav12' }, voltageStep(-80, 0, 100), { dt: 0.1 });
    const cdi = tr.series('cav12.P_inactivated');
    expect(Math.max(...tr.series('ca.nano'))).toBeLessThan(0.1);
    const withCa = runProtocol({ context: 'heterologous', isoform: 'cav12', carrier: { ion: 'Ca', mM: 2 } }, voltageStep(-80, 0, 100), { dt: 0.1 });
    expect(Math.max(...withCa.series('ca.nano'))).toBeGreaterThan(1);
    // Ca²⁺ adds Ca²⁺/CaM-dependent inactivation on top of voltage-dependent inactivation
    expect(withCa.series('cav12.P_inactivated')[1050]).toBeGreaterThan(cdi[1050] + 0.05);
  });

  it('a knock-out removes the current', () => {
    const tr = runProtocol({ context: 'heterologous', isoform: 'cav13', scales: { cav13: 0 } }, voltageStep(-80, -10, 20), { dt: 0.1 });
    expect(peakInward(tr.t, tr.series('mem.I_pA'), 10, 29).value).toBe(0);
  });
});

describe('CA1 neuron calcium', () => {
  it('rests below 100 nM with a nanodomain at the shell level', () => {
    const r = restingState({ context: 'ca1' });
    expect(r.shell).toBeGreaterThan(0.02);
    expect(r.shell).toBeLessThan(0.1);
    expect(Math.abs(r.nano / r.shell - 1)).toBeLessThan(0.1);
    expect(r.V).toBeLessThan(-60);
  });

  it('one spike raises shell Ca²⁺, more with twice the L-type channels, none without Ca²⁺ channels', () => {
    const y = caPerAp({ context: 'ca1', preset: 'young' });
    const a = caPerAp({ context: 'ca1', preset: 'aged' });
    const none = caPerAp({ context: 'ca1', scales: { cav12: 0, cav13: 0, cav2: 0 } });
    expect(y.spikes).toBe(1);
    expect(a.delta).toBeGreaterThan(1.2 * y.delta);
    expect(none.delta).toBeLessThan(0.02 * y.delta);
  });
});

describe('vascular smooth-muscle cell', () => {
  /** Settled resting potential (mV) and its drift over the last second. */
  const rest = (scales?: Record<string, number>): { v: number; drift: number } => {
    const tr = runProtocol({ context: 'vascular', ...(scales ? { scales } : {}) }, { name: 'rest', clamp: { kind: 'current-clamp' }, duration: 1000, settle: 30000 }, { dt: 10 });
    const v = tr.series('mem.V');
    return { v: v[v.length - 1], drift: Math.max(...v) - Math.min(...v) };
  };

  it('rests at −40 to −50 mV, the potential of pressurised small arteries, from K⁺ channels against a pressure-activated cation current', () => {
    // Knot & Nelson 1998: −45 ± 1 mV at 60 mmHg (−36 mV at 100, −63 mV at 10 mmHg).
    const ctrl = rest();
    expect(ctrl.v).toBeGreaterThanOrEqual(-50);
    expect(ctrl.v).toBeLessThanOrEqual(-40);
    expect(ctrl.drift).toBeLessThan(0.1);
    // Without the pressure-activated current the cell rests well below (unpressurised arteries
    // and the Kapela et al. 2008 cell model rest near −60 mV).
    expect(rest({ sac: 0 }).v).toBeLessThan(ctrl.v - 5);
    // Blocking Kv or BK channels depolarises (Nelson & Quayle 1995).
    expect(rest({ kv: 0 }).v).toBeGreaterThan(ctrl.v + 2);
    expect(rest({ bk: 0 }).v).toBeGreaterThan(ctrl.v + 2);
  });
});
