import { describe, expect, it } from 'vitest';
import { solveEnvelope } from './envelope.js';
import { solve } from './solve.js';
import { type OdeProblem, RetCode } from './types.js';

/**
 * A pulse-driven three-state system with the time scales of a firing cell with signalling:
 * x follows a square pulse of width W every period T within a few ms (fast), g relaxes over about
 * two periods (a slow gate), and a saturating slow variable s integrates x over seconds. `switchAt`
 * doubles the pulse amplitude from that time on (an abrupt change of the drift).
 */
function pulsed(o: { T?: number; W?: number; switchAt?: number } = {}): { problem: OdeProblem; T: number; W: number } {
  const T = o.T ?? 200;
  const W = o.W ?? 2;
  const switchAt = o.switchAt ?? Infinity;
  const problem: OdeProblem = {
    n: 3,
    rhs(t, y, dy) {
      const phase = t - T * Math.floor(t / T);
      const amp = t >= switchAt ? 2 : 1;
      const u = phase < W ? amp : 0;
      dy[0] = (u - y[0]) / 1.5;
      dy[1] = (y[0] - y[1]) / 400;
      dy[2] = 0.004 * y[0] * (1 - y[2]) - y[2] / 60_000;
    },
  };
  return { problem, T, W };
}

/** The reference: every period integrated in full, sampled at the period starts. */
function reference(problem: OdeProblem, T: number, W: number, K: number, switchAt = Infinity): Float64Array {
  const tstops: number[] = [];
  for (let k = 0; k < K; k++) tstops.push(k * T, k * T + W);
  if (Number.isFinite(switchAt)) tstops.push(switchAt);
  const r = solve(problem, new Float64Array(3), {
    t0: 0, tEnd: K * T, rtol: 1e-9, atol: 1e-12, tstops, saveAt: Float64Array.from({ length: K + 1 }, (_, k) => k * T), maxSteps: 10_000_000,
  });
  expect(r.retcode).toBe(RetCode.Success);
  return r.y;
}

describe('solveEnvelope', () => {
  const K = 600;
  const { problem, T, W } = pulsed();
  const ref = reference(problem, T, W, K);

  it('follows the slow drift of a pulse-driven system while integrating a fraction of the periods', () => {
    const e = solveEnvelope(problem, new Float64Array(3), { t0: 0, tEnd: K * T, period: T, stopOffsets: [0, W], rtol: 1e-7, atol: 1e-10, envelopeRtol: 1e-3 });
    expect(e.retcode).toBe(RetCode.Success);
    expect(e.tReached).toBe(K * T);
    expect(e.jumps).toBeGreaterThan(5);
    expect(e.periodsProjected).toBeGreaterThan((3 * K) / 4);
    // The slow gate relaxes by e^(−½) per period: without the removal of its transient before
    // each jump the jumps stayed short and about 240 of the 600 periods were integrated (130 now).
    expect(e.periodsIntegrated).toBeLessThan(K / 4);
    // One step sequence serves every period: the pulse train is the same throughout.
    expect(e.sequencesRecorded).toBeLessThan(5);
    // Every period is integrated (and kept) or jumped over, exactly once.
    expect(e.periodsIntegrated - e.periodsDiscarded + e.periodsProjected).toBe(K);
    // Rows: period starts in increasing order, the first and the last integrated, projected
    // rows flagged, integrated + projected = K + 1 rows' worth of coverage.
    for (let j = 1; j < e.t.length; j++) expect(e.t[j]).toBeGreaterThan(e.t[j - 1]);
    expect(e.projected[0]).toBe(0);
    expect(e.projected[e.projected.length - 1]).toBe(0);
    expect(Array.from(e.projected).filter((f) => f === 1).length).toBe(e.jumps);
    // The slow variable against the reference at every row, relative to its range.
    const range = ref[K * 3 + 2] - ref[2];
    expect(range).toBeGreaterThan(0.3);
    let worst = 0;
    for (let j = 0; j < e.t.length; j++) {
      const k = Math.round(e.t[j] / T);
      worst = Math.max(worst, Math.abs(e.y[j * 3 + 2] - ref[k * 3 + 2]) / range);
    }
    expect(worst).toBeLessThan(2e-3);
    // At the end, after the integrated final periods, every component is accurate (the slow
    // gate too, which a jump can misplace by what it sheds over the next periods).
    for (let i = 0; i < 3; i++) expect(Math.abs(e.yEnd[i] - ref[K * 3 + i])).toBeLessThan(2e-3 * Math.max(Math.abs(ref[K * 3 + i]), 1e-3));
  });

  it('is more accurate with a tighter envelope tolerance and takes more periods to get there', () => {
    const run = (erel: number) => solveEnvelope(problem, new Float64Array(3), { t0: 0, tEnd: K * T, period: T, stopOffsets: [0, W], rtol: 1e-8, atol: 1e-11, envelopeRtol: erel, finalPeriods: 0 });
    const err = (e: ReturnType<typeof run>): number => {
      let w = 0;
      for (let j = 0; j < e.t.length; j++) w = Math.max(w, Math.abs(e.y[j * 3 + 2] - ref[Math.round(e.t[j] / T) * 3 + 2]));
      return w;
    };
    const loose = run(1e-2);
    const tight = run(1e-4);
    expect(err(tight)).toBeLessThan(err(loose));
    expect(tight.periodsIntegrated).toBeGreaterThan(loose.periodsIntegrated);
  });

  it('takes no jump while the periods differ (signature) and then matches the reference', () => {
    let calls = 0;
    const e = solveEnvelope(problem, new Float64Array(3), {
      t0: 0, tEnd: 50 * T, period: T, stopOffsets: [0, W], rtol: 1e-9, atol: 1e-12, periodSignature: () => calls++,
    });
    expect(e.retcode).toBe(RetCode.Success);
    expect(e.jumps).toBe(0);
    expect(e.periodsIntegrated).toBe(50);
    // The last two periods of every macro step (four periods: three healing, one for the slope)
    // are characterised.
    expect(calls).toBeGreaterThanOrEqual(2 * Math.floor(50 / 4));
    expect(calls).toBeLessThan(50);
    for (let k = 0; k <= 50; k++) for (let i = 0; i < 3; i++) expect(e.y[k * 3 + i]).toBeCloseTo(ref[k * 3 + i], 6);
  });

  it('undoes a jump across an abrupt change of the drift and stays accurate', () => {
    const sw = pulsed({ switchAt: 300 * T + 100 });
    const refSw = reference(sw.problem, sw.T, sw.W, K, 300 * T + 100);
    const e = solveEnvelope(sw.problem, new Float64Array(3), { t0: 0, tEnd: K * T, period: T, stopOffsets: [0, W], rtol: 1e-8, atol: 1e-11, envelopeRtol: 1e-3, maxJump: 60 });
    expect(e.retcode).toBe(RetCode.Success);
    expect(e.rejectedJumps).toBeGreaterThan(0);
    expect(e.periodsDiscarded).toBeGreaterThan(0);
    expect(e.periodsIntegrated - e.periodsDiscarded + e.periodsProjected).toBe(K);
    const range = refSw[K * 3 + 2] - refSw[2];
    let worst = 0;
    for (let j = 0; j < e.t.length; j++) worst = Math.max(worst, Math.abs(e.y[j * 3 + 2] - refSw[Math.round(e.t[j] / T) * 3 + 2]) / range);
    expect(worst).toBeLessThan(5e-3);
  });

  it('integrates the periods it is asked to land on', () => {
    const marks = [100 * T, 250 * T, 400 * T, K * T];
    const e = solveEnvelope(problem, new Float64Array(3), { t0: 0, tEnd: K * T, period: T, stopOffsets: [0, W], rtol: 1e-7, atol: 1e-10, landOn: marks });
    expect(e.retcode).toBe(RetCode.Success);
    expect(e.jumps).toBeGreaterThan(3);
    for (const t of marks) {
      const j = Array.from(e.t).indexOf(t);
      expect(j, `row at ${t}`).toBeGreaterThan(0);
      expect(e.projected[j]).toBe(0);
      expect(Math.abs(e.y[j * 3 + 2] - ref[Math.round(t / T) * 3 + 2])).toBeLessThan(2e-3 * (ref[K * 3 + 2] - ref[2]));
    }
    expect(solveEnvelope(problem, new Float64Array(3), { t0: 0, tEnd: 10 * T, period: T, landOn: [T / 2] }).message).toMatch(/landOn\[0\] = 100 is not a period start/);
  });

  it('stops when asked and says where', () => {
    let left = 30;
    const e = solveEnvelope(problem, new Float64Array(3), { t0: 0, tEnd: K * T, period: T, stopOffsets: [0, W], shouldContinue: () => left-- > 0 });
    expect(e.retcode).toBe(RetCode.Terminated);
    expect(e.tReached).toBeLessThan(K * T);
    expect(e.message).toMatch(/stopped at t = /);
  });

  it('passes an inner failure on, naming the period', () => {
    const e = solveEnvelope(problem, new Float64Array(3), { t0: 0, tEnd: 10 * T, period: T, stopOffsets: [0, W], maxSteps: 5 });
    expect(e.retcode).toBe(RetCode.MaxIters);
    expect(e.message).toMatch(/^period 1 \(t = 0 … 200\)/);
    expect(e.tReached).toBe(0);
  });

  it('refuses bad options with a message naming the option', () => {
    const y0 = new Float64Array(3);
    const bad = (o: Partial<Parameters<typeof solveEnvelope>[2]>, re: RegExp): void => {
      const e = solveEnvelope(problem, y0, { t0: 0, tEnd: 10 * T, period: T, ...o });
      expect(e.retcode).toBe(RetCode.InvalidInput);
      expect(e.message).toMatch(re);
      expect(e.t.length).toBe(0);
    };
    bad({ period: 0 }, /period must be a finite number > 0/);
    bad({ period: Number.NaN }, /period must be/);
    bad({ tEnd: 10 * T + 1 }, /not a whole number of periods/);
    bad({ tEnd: -1 }, /t0 < tEnd/);
    bad({ stopOffsets: [0, T] }, /stopOffsets\[1\] = 200 is outside \[0, period\)/);
    bad({ maxJump: -1 }, /maxJump must be an integer/);
    bad({ healing: 0 }, /healing must be an integer ≥ 1/);
    bad({ warmup: 2 }, /warmup must be an integer ≥ 3/);
    bad({ finalPeriods: 1.5 }, /finalPeriods must be an integer/);
    bad({ envelopeRtol: 0 }, /envelopeRtol must be/);
    bad({ rtol: -1 }, /rtol/);
    bad({ envelopeAtol: new Float64Array(2) }, /envelopeAtol/);
  });
});
