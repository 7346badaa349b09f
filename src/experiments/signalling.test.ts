import { describe, expect, it } from 'vitest';
import { BiologyError } from '../biology/errors.js';
import { MINUTE, PLAIN_DHP_BLOCK, armShares, riseAt, runSignalling, summarize, summarizeReadouts } from './signalling.js';
import { frequencyDecoding, frequencyDecodingSvg } from './signalling-frequency.js';

describe('summary numbers', () => {
  // A triangle: 0 → 1 over 2 min, back to 0 over 4 min, stimulus 0–2 min.
  const t = Float64Array.from({ length: 61 }, (_, k) => k * 0.1 * MINUTE);
  const v = Float64Array.from(t, (x) => (x <= 2 * MINUTE ? x / (2 * MINUTE) : Math.max(0, 1 - (x - 2 * MINUTE) / (4 * MINUTE))));

  it('peak, time to peak, area and half-decay of a known shape', () => {
    const s = summarize(t, v, 0, 2 * MINUTE);
    expect(s.baseline).toBe(0);
    expect(s.peak).toBeCloseTo(1, 12);
    expect(s.timeToPeak).toBeCloseTo(2, 9);
    expect(s.area).toBeCloseTo(3, 9); // ½ · 6 min · 1
    expect(s.halfDecay).toBeCloseTo(2, 9); // falls to ½ two minutes after the end
  });

  it('a value that never falls back has an infinite half-decay', () => {
    expect(summarize([0, 1, 2], [0, 1, 1], 0, 1).halfDecay).toBe(Infinity);
  });

  it('rise is interpolated between samples', () => {
    expect(riseAt([0, 10, 20], [1, 3, 5], 15)).toBeCloseTo(3, 12);
    expect(riseAt([0, 10, 20], [1, 3, 5], 50)).toBe(4);
  });
});

describe('signalling experiments (prescribed input)', () => {
  const spec = { depolarisation: { duration: 3 * MINUTE }, tEnd: 10 * MINUTE, saveEvery: 5000 } as const;

  it('read-outs rise with a depolarisation and a plain DHP block removes most of the pCREB rise', () => {
    const ctl = runSignalling(spec);
    for (const r of ['pCREB', 'nuclearCaCaM', 'autonomyTethered', 'nuclearGamma'] as const) {
      const x = ctl.readout(r);
      expect(Math.max(...x), r).toBeGreaterThan(x[0]);
    }
    // c-fos mRNA lags pCREB; all summaries are finite numbers.
    const sum = summarizeReadouts(ctl, 0, 3 * MINUTE);
    expect(sum.cfos.timeToPeak).toBeGreaterThan(sum.pCREB.timeToPeak);
    for (const [k, v] of Object.entries(sum)) for (const [f, x] of Object.entries(v)) if (f !== 'halfDecay') expect(Number.isFinite(x), `${k}.${f}`).toBe(true);
    const dhp = runSignalling({ ...spec, gatingBlock: PLAIN_DHP_BLOCK });
    const rise = (tr: typeof ctl): number => riseAt(tr.t, tr.readout('pCREB'), 3 * MINUTE);
    expect(rise(dhp)).toBeLessThan(0.3 * rise(ctl));
  });

  it('the CaMK arm carries early pCREB and the MAPK arm late pCREB during a sustained depolarisation', () => {
    const [early, late] = armShares({ depolarisation: { duration: 61 * MINUTE }, tEnd: 60 * MINUTE, saveEvery: 10_000 }, [2, 60]);
    expect(early.camkShare).toBeGreaterThan(0.8);
    expect(late.camkShare).toBeLessThan(0.5);
    expect(late.mapk).toBeGreaterThan(early.mapk);
  });

  it('rejects bad specifications naming the field', () => {
    expect(() => runSignalling({ ...spec, gatingBlock: 1.5 })).toThrow(/gatingBlock/);
    expect(() => runSignalling({ ...spec, poreBlock: -0.1 })).toThrow(/poreBlock/);
    expect(() => runSignalling({ ...spec, tEnd: -1 })).toThrow(/tEnd/);
    expect(() => runSignalling({ ...spec, knockouts: ['cam'] })).toThrow(/knockouts\[0\]/);
    expect(() => runSignalling({ ...spec, driver: 'hek' as never })).toThrow(BiologyError);
    expect(() => runSignalling({ ...spec, set: { 'sig.camkii.nope': 1 } })).toThrow(/sig\.camkii\.nope/);
    expect(() => runSignalling(spec).readout('pcreb' as never)).toThrow(/unknown read-out/);
    expect(() => runSignalling({ ...spec, drugs: [{ compound: 'nimodipine', concentration_nM: 1000 }] })).toThrow(/drugs.*ca1 driver/);
  });
});

describe('CaMKII frequency decoding', () => {
  it('autonomy after a fixed number of pulses grows with their frequency', () => {
    const r = frequencyDecoding({ frequencies: [0.2, 1, 2, 4] });
    const a = r.points.map((p) => p.autonomy);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[i - 1] - 1e-6);
    expect(a[3]).toBeGreaterThan(2 * a[0]);
    // Without Ca²⁺ pulses there is nothing to decode.
    const none = frequencyDecoding({ frequencies: [1, 4], caPulse: 1e-6, caRest: 0 });
    expect(Math.max(...none.points.map((p) => p.autonomy))).toBeLessThan(1e-6);
  });

  it('draws the frequency–response as a deterministic SVG', () => {
    const r = frequencyDecoding({ frequencies: [0.5, 1, 2] });
    const svg = frequencyDecodingSvg(r);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('pulse frequency (Hz)');
    expect(svg.match(/<circle /g)?.length).toBe(3);
    expect(frequencyDecodingSvg(frequencyDecoding({ frequencies: [0.5, 1, 2] }))).toBe(svg);
  });

  it('rejects pulses that do not fit their period', () => {
    expect(() => frequencyDecoding({ frequencies: [5], width: 200 })).toThrow(/width/);
    expect(() => frequencyDecoding({ frequencies: [] })).toThrow(/frequencies/);
    expect(() => frequencyDecoding({ pulses: 0 })).toThrow(/pulses/);
  });
});
