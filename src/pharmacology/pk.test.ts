import { describe, expect, it } from 'vitest';
import { dispositionRates, grid, type PkParameters, simulatePk, steadyStatePk, summarizePk, ugPerLToNM } from './pk.js';
import { doseEvents, maniaTitration, repeated } from './regimen.js';

const one: PkParameters = { model: 'one-compartment', F: 0.5, ka: 2, tlag: 0.25, CL: 10, V1: 50, Q: 0, V2: 0, fu: 0.1, kpuu: 0.5, mw: 400 };
const two: PkParameters = { model: 'two-compartment', F: 0.2, ka: 1.3, tlag: 0, CL: 60, V1: 80, Q: 30, V2: 300, fu: 0.03, kpuu: 1, mw: 432.9 };

/** Bateman function (one compartment, first-order absorption), µg/L for a dose in mg. */
function bateman(p: PkParameters, dose: number, t: number): number {
  const tt = t - p.tlag;
  if (tt <= 0) return 0;
  const k = p.CL / p.V1;
  return ((1000 * p.F * dose * p.ka) / (p.V1 * (p.ka - k))) * (Math.exp(-k * tt) - Math.exp(-p.ka * tt));
}

/** Closed-form two-compartment oral solution (Gibaldi & Perrier, Pharmacokinetics, eq. for oral 2-cmt), µg/L. */
function twoCmt(p: PkParameters, dose: number, t: number): number {
  const { alpha: a, beta: b } = dispositionRates(p);
  const k21 = p.Q / p.V2;
  const ka = p.ka;
  const A = (k21 - a) / ((ka - a) * (b - a));
  const B = (k21 - b) / ((ka - b) * (a - b));
  const C = (k21 - ka) / ((a - ka) * (b - ka));
  return ((1000 * p.F * dose * ka) / p.V1) * (A * Math.exp(-a * t) + B * Math.exp(-b * t) + C * Math.exp(-ka * t));
}

describe('oral PK', () => {
  it('matches the Bateman function with lag for one compartment', () => {
    const times = grid(0, 24, 96);
    const prof = simulatePk(one, { kind: 'single', dose_mg: 100 }, { times_h: times });
    times.forEach((t, i) => expect(prof.plasma_ug_per_L[i]).toBeCloseTo(bateman(one, 100, t), 8));
    expect(prof.plasma_ug_per_L[1]).toBe(0); // t = 0.25 h: still in the lag
  });

  it('matches the closed-form two-compartment solution', () => {
    const times = grid(0, 48, 96);
    const prof = simulatePk(two, { kind: 'single', dose_mg: 60 }, { times_h: times });
    times.forEach((t, i) => expect(prof.plasma_ug_per_L[i]).toBeCloseTo(twoCmt(two, 60, t), 7));
  });

  it('superposes repeated doses and gives AUC = F·D/CL', () => {
    const times = grid(0, 400, 8000);
    const bid = simulatePk(two, repeated(30, 'BID', 2), { times_h: times });
    times.forEach((t, i) => {
      let expected = 0;
      for (let k = 0; k < 4; k++) if (t >= 12 * k) expected += twoCmt(two, 30, t - 12 * k);
      expect(bid.plasma_ug_per_L[i]).toBeCloseTo(expected, 6);
    });
    const auc = summarizePk(bid).auc_ug_h_per_L;
    expect(auc / ((1000 * two.F * 120) / two.CL)).toBeCloseTo(1, 3);
  });

  it('derives free plasma and free brain concentrations from fu, Kp,uu and MW', () => {
    const prof = simulatePk(one, { kind: 'single', dose_mg: 100 }, { times_h: [3] });
    const c = prof.plasma_ug_per_L[0];
    expect(prof.plasmaFree_nM[0]).toBeCloseTo(c * 0.1 * ugPerLToNM(400), 10);
    expect(prof.brainFree_nM[0]).toBeCloseTo(c * 0.1 * 0.5 * (1000 / 400), 10);
  });

  it('delays the brain with an effect site (ke0)', () => {
    const times = grid(0, 24, 480);
    const direct = simulatePk(one, { kind: 'single', dose_mg: 100 }, { times_h: times });
    const slow = simulatePk({ ...one, ke0: 0.3 }, { kind: 'single', dose_mg: 100 }, { times_h: times });
    const peakAt = (y: Float64Array) => times[y.indexOf(Math.max(...y))];
    expect(peakAt(slow.brainFree_nM)).toBeGreaterThan(peakAt(direct.brainFree_nM) + 1);
    expect(Math.max(...slow.brainFree_nM)).toBeLessThan(Math.max(...direct.brainFree_nM));
  });

  it('solves the steady state of a repeated regimen directly', () => {
    const ss = steadyStatePk(two, 90, 12, 48);
    // Dose for 60 days and compare the last interval.
    const last = 60 * 24;
    const times = grid(last - 12, last, 48);
    const long = simulatePk(two, { kind: 'repeated', dose_mg: 90, interval_h: 12, count: 120 }, { times_h: times });
    ss.plasma_ug_per_L.forEach((c, i) => expect(c / long.plasma_ug_per_L[i]).toBeCloseTo(1, 6));
    // Accumulation: the steady-state trough is above the single-dose value 12 h after a dose.
    const single = simulatePk(two, { kind: 'single', dose_mg: 90 }, { times_h: [12] });
    expect(ss.plasma_ug_per_L[48]).toBeGreaterThan(single.plasma_ug_per_L[0] * 1.2);
  });

  it('expands the mania titration 60 → 120 → 180 mg BID', () => {
    const ev = doseEvents(maniaTitration(21));
    expect(ev.length).toBe(42);
    expect(ev.slice(0, 5).map((e) => [e.time_h, e.dose_mg])).toEqual([[0, 60], [12, 60], [24, 120], [36, 120], [48, 180]]);
    expect(ev[41]).toEqual({ time_h: 41 * 12, dose_mg: 180 });
  });

  it('refuses bad regimens and parameters with the field named', () => {
    expect(() => doseEvents({ kind: 'single', dose_mg: -5 })).toThrow(/regimen\.dose_mg: dose must be positive/);
    expect(() => doseEvents({ kind: 'single', dose_mg: 'ten' as unknown as number })).toThrow(/regimen\.dose_mg: dose must be a number/);
    expect(() => doseEvents({ kind: 'schedule', doses: [{ time_h: 0, dose_mg: 30 }, { time_h: 0, dose_mg: 30 }] })).toThrow(/regimen\.doses\[1\]\.time_h: dose at 0 h overlaps/);
    expect(() => doseEvents({ kind: 'titration', steps: [{ dose_mg: 60, interval_h: 12, count: 0 }] })).toThrow(/regimen\.steps\[0\]\.count/);
    expect(() => simulatePk({ ...two, CL: -1 }, { kind: 'single', dose_mg: 1 }, { times_h: [1] })).toThrow(/pk\.CL: must be a positive number/);
    expect(() => simulatePk({ ...two, fu: 1.5 }, { kind: 'single', dose_mg: 1 }, { times_h: [1] })).toThrow(/pk\.fu/);
    expect(() => simulatePk(two, { kind: 'single', dose_mg: 1 }, { times_h: [2, 1] })).toThrow(/times_h\[1\]/);
  });
});
