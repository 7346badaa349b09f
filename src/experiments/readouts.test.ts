import { describe, expect, it } from 'vitest';
import { activationTau, ahp, caLoad, caTransient, fitBoltzmann, ivPeak, ivThreshold, peakInward, spikeTimes } from './readouts.js';

const grid = (a: number, b: number, h: number): number[] => Array.from({ length: Math.round((b - a) / h) + 1 }, (_, i) => a + i * h);

describe('read-outs on synthetic traces', () => {
  it('fits a Boltzmann and recovers V½, slope and maximum (activation and inactivation)', () => {
    const v = grid(-80, 40, 5);
    for (const [vh, k, ym] of [[-17, 6.5, 3], [-45, -8, 1]]) {
      const r = fitBoltzmann(v, v.map((x) => ym / (1 + Math.exp(-(x - vh) / k))));
      expect(r.vhalf).toBeCloseTo(vh, 1);
      expect(r.k).toBeCloseTo(k, 1);
      expect(r.ymax).toBeCloseTo(ym, 2);
    }
  });

  it('recovers the time constant of an exponential rise', () => {
    const t = grid(0, 20, 0.01);
    for (const tau of [0.8, 2.3]) {
      const i = t.map((x) => (x < 2 ? 0 : -100 * (1 - Math.exp(-(x - 2) / tau))));
      const pk = peakInward(t, i, 0, 20);
      expect(activationTau(t, i, 2, pk.time)).toBeCloseTo(tau, 2);
    }
  });

  it('finds the 5 % threshold and the peak of an I–V', () => {
    const v = grid(-60, 40, 10);
    const i = [0, -4, -10, -50, -100, -80, -40, -10, 0, 0, 0];
    expect(ivThreshold(v, i, 0.05)).toBeCloseTo(-50 + (10 * (-5 + 4)) / (-10 + 4), 10);
    // parabola through (−30, −50), (−20, −100), (−10, −80): vertex at −20 + 1.5/0.7
    expect(ivPeak(v, i)).toBeCloseTo(-20 + 1.5 / 0.7, 10);
  });

  it('interpolates spike times and measures AHP amplitude and area', () => {
    const t = grid(0, 10, 0.5);
    const v = t.map((x) => (x === 3 ? 20 : x === 2.5 ? -20 : -65));
    expect(spikeTimes(t, v, 0)).toEqual([2.5 + 0.5 * (20 / 40)]);
    const t2 = grid(0, 100, 1);
    const v2 = t2.map((x) => (x >= 10 && x < 60 ? -70 : -65));
    const r = ahp(t2, v2, -65, 0, 100);
    expect(r.amplitude).toBeCloseTo(5, 12);
    expect(r.area).toBeCloseTo(5 * 50, 6);
  });

  it('measures a Ca²⁺ transient and its load', () => {
    const t = grid(0, 1000, 0.5);
    const c = t.map((x) => (x < 100 ? 0.05 : 0.05 + 0.2 * Math.exp(-(x - 100) / 80)));
    const r = caTransient(t, c, 99.5);
    expect(r.rest).toBeCloseTo(0.05, 12);
    expect(r.delta).toBeCloseTo(0.2, 6);
    expect(r.decay).toBeCloseTo(80, 0);
    expect(Math.abs(caLoad(t, c, 0.05) / (0.2 * 80 * (1 - Math.exp(-900 / 80))) - 1)).toBeLessThan(1e-2);
  });
});
