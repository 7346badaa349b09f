/**
 * Validation targets of the signalling to the nucleus (section "Signalling to the nucleus" of
 * the shared `reference/validation-targets.md`), simulated in the young CA1 neuron with the
 * signalling attached. K⁺ depolarisation raises the bath K⁺ to 40 mM for the stated time (the
 * cultured-neuron protocols of the sources; their exact durations were not retrievable, so one
 * standard is used: 3 min, read at its end, unless the target says otherwise). Nimodipine is the
 * drug-binding model of the pharmacology layer; the "DHP block" of the pore-vs-gating target is a
 * gating block that halves the openings, as the target defines it.
 */
import { type SignallingRunSpec, type SignallingTrace, MINUTE, armShares, riseAt, runSignalling, summarize } from '../experiments/signalling.js';
import type { Target, TargetOutcome } from './catalogue.js';

const memo = <T>(cache: Map<string, unknown>, key: string, f: () => T): T => {
  if (!cache.has(key)) cache.set(key, f());
  return cache.get(key) as T;
};

const K40 = (minutes: number): SignallingRunSpec['depolarisation'] => ({ duration: minutes * MINUTE, kMM: 40 });
const base = (minutes: number, tEndMin: number): SignallingRunSpec => ({ driver: 'ca1', preset: 'young', depolarisation: K40(minutes), tEnd: tEndMin * MINUTE, saveEvery: 5000 });
const run = (cache: Map<string, unknown>, spec: SignallingRunSpec): SignallingTrace => memo(cache, `sig:${JSON.stringify(spec)}`, () => runSignalling(spec));
const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
const f2 = (x: number): string => x.toFixed(2);
const cut = (ctl: number, x: number): number => 1 - x / ctl;

/** The 3-min control, long enough for c-fos. */
const control3 = (c: Map<string, unknown>): SignallingTrace => run(c, base(3, 60));
const pcrebRise = (tr: SignallingTrace, atMin: number): number => riseAt(tr.t, tr.readout('pCREB'), atMin * MINUTE);

/**
 * The unknown rate constants of the signalling (listed as assumptions in its parameter tables)
 * were chosen so each stage works in its graded range for the 40 mM K⁺ stimulus in this cell,
 * while these qualitative targets were checked together.
 */
const CALIBRATED = 'no signalling rate was fitted to one target, but the unknown rates (marked as assumptions) were chosen so that each stage is graded at the 40 mM K⁺ stimulus while these six targets were checked together: a pass shows that the structure reproduces them, not an independent prediction';

export const SIGNALLING_TARGETS: readonly Target[] = [
  {
    id: 'dhp-blocks-pcreb', owner: 'signalling',
    source: 'Deisseroth et al. 1998; Wheeler et al. 2012 Cell 149:1112',
    protocol: 'ca1 young, 40 mM K⁺ for 3 min, without and with nimodipine 1 µM and 10 µM (free at the channels; modulated-receptor binding of the pharmacology layer on Cav1.2 and Cav1.3, equilibrated at rest before the depolarisation); pCREB rise at 3 min',
    published: 'LTCC block prevents depolarisation-induced pCREB',
    rule: 'nimodipine cuts the pCREB rise by ≥ 70 %',
    calibrated: CALIBRATED,
    run: (c): TargetOutcome => {
      const ctl = pcrebRise(control3(c), 3);
      const nimo = (nM: number): number => pcrebRise(run(c, { ...base(3, 3), drugs: [{ compound: 'nimodipine', concentration_nM: nM }] }), 3);
      const x1 = cut(ctl, nimo(1000)), x10 = cut(ctl, nimo(10_000));
      return {
        simulated: `pCREB rise ${f2(ctl)}; cut ${pct(x1)} (1 µM), ${pct(x10)} (10 µM)`, values: { control: ctl, cut1uM: x1, cut10uM: x10 },
        pass: x1 >= 0.7 && x10 >= 0.7, reason: `cuts ${pct(x1)} and ${pct(x10)} (each ≥ 70 %)`,
      };
    },
  },
  {
    id: 'wheeler2008-pore-vs-gating', owner: 'signalling',
    source: 'Wheeler et al. 2008 J Cell Biol',
    protocol: 'ca1 young, 40 mM K⁺ for 3 min: a pore block that halves the L-type unitary current (openings unchanged) vs a gating block that halves the openings (unitary current unchanged); pCREB rise at 3 min',
    published: 'pCREB depends steeply on depolarisation; graded pore block has only a mild effect',
    rule: 'pCREB loss from the pore block < half the loss from the DHP block',
    calibrated: CALIBRATED,
    run: (c): TargetOutcome => {
      const ctl = pcrebRise(control3(c), 3);
      const lp = cut(ctl, pcrebRise(run(c, { ...base(3, 3), poreBlock: 0.5 }), 3));
      const lg = cut(ctl, pcrebRise(run(c, { ...base(3, 3), gatingBlock: 0.5 }), 3));
      return {
        simulated: `loss ${pct(lp)} (pore) vs ${pct(lg)} (gating)`, values: { poreLoss: lp, gatingLoss: lg },
        pass: lg > 0 && lp < 0.5 * lg, reason: `${(100 * lp).toFixed(1)} % < ½ × ${(100 * lg).toFixed(1)} %`,
      };
    },
  },
  {
    id: 'wu2001-camk-vs-mapk', owner: 'signalling',
    source: 'Wu et al. 2001 PNAS 98:2808',
    protocol: 'ca1 young, 40 mM K⁺ sustained for 60 min; share of the pCREB rise carried by the CaMK arm = rise with MEK blocked / (that + rise with CaMKIV removed)',
    published: 'CaMK dominates at 0–10 min, MAPK at 60 min, both at 30 min',
    rule: 'CaMK share > 0.5 at 5 min and < 0.5 at 60 min',
    calibrated: CALIBRATED,
    run: (c): TargetOutcome => {
      const s = memo(c, 'wu', () => armShares({ ...base(61, 60), saveEvery: 10_000 }, [5, 30, 60]));
      const [a, m, b] = s;
      return {
        simulated: `CaMK share ${f2(a.camkShare)} at 5 min, ${f2(m.camkShare)} at 30 min, ${f2(b.camkShare)} at 60 min`,
        values: { share5: a.camkShare, share30: m.camkShare, share60: b.camkShare },
        pass: a.camkShare > 0.5 && b.camkShare < 0.5, reason: `${f2(a.camkShare)} > 0.5 at 5 min; ${f2(b.camkShare)} < 0.5 at 60 min`,
      };
    },
  },
  {
    id: 'bito1996-prolonged', owner: 'signalling',
    source: 'Bito et al. 1996 Cell 87:1203',
    protocol: 'ca1 young, 40 mM K⁺ for 15 s (brief) vs 3 min (long); pCREB half-decay = time from the stimulus end until pCREB falls halfway from its later peak to baseline (90 min simulated)',
    published: 'minutes-long input greatly extends the pCREB period, partly via CaN/PP1',
    rule: 'half-decay after the long stimulus > 2 × after the brief one',
    calibrated: CALIBRATED,
    run: (c): TargetOutcome => {
      const brief = run(c, { driver: 'ca1', preset: 'young', depolarisation: { duration: 15_000, kMM: 40 }, tEnd: 90 * MINUTE, saveEvery: 5000 });
      const long = run(c, base(3, 90));
      const hb = summarize(brief.t, brief.readout('pCREB'), 0, 15_000).halfDecay;
      const hl = summarize(long.t, long.readout('pCREB'), 0, 3 * MINUTE).halfDecay;
      const show = (h: number): string => (Number.isFinite(h) ? `${h.toFixed(1)} min` : '> 87 min (not within the run)');
      return {
        simulated: `half-decay ${show(hb)} (15 s) vs ${show(hl)} (3 min)`, values: { brief: hb, long: hl },
        pass: Number.isFinite(hb) && hl > 2 * hb, reason: `${show(hl)} vs 2 × ${show(hb)}`,
      };
    },
  },
  {
    id: 'ma2014-shuttle', owner: 'signalling',
    source: 'Ma et al. 2014 Cell 159:281',
    protocol: 'ca1 young, 40 mM K⁺ for 5 min; early pCREB = rise at 5 min; knock-outs: γCaMKII, γCaMKII T287A (no βCaMKII phosphorylation), calcineurin',
    published: 'each loss blocks the fast nuclear pCREB',
    rule: 'each cuts early pCREB by ≥ 50 %',
    calibrated: CALIBRATED,
    run: (c): TargetOutcome => {
      const ctl = pcrebRise(run(c, base(5, 5)), 5);
      const kos = ['gammaCaMKII', 'gammaT287A', 'calcineurin'] as const;
      const cuts = kos.map((k) => cut(ctl, pcrebRise(run(c, { ...base(5, 5), knockouts: [k] }), 5)));
      return {
        simulated: kos.map((k, i) => `${k} ${pct(cuts[i])}`).join('; '), values: Object.fromEntries(kos.map((k, i) => [k, cuts[i]])),
        pass: cuts.every((x) => x >= 0.5), reason: `cuts ${cuts.map(pct).join(', ')} (each ≥ 50 %)`,
      };
    },
  },
  {
    id: 'perfitt2020-shank3', owner: 'signalling',
    source: 'Perfitt et al. 2020 J Neurosci',
    protocol: 'ca1 young, Shank3 loss or the RRK→AAA mutant (CaMKII not tethered at the L-type channel), then 40 mM K⁺ for 3 min; pCREB rise at 3 min and peak c-fos mRNA rise within 60 min',
    published: 'no depolarisation-induced pCREB and c-Fos rescue',
    rule: 'pCREB and c-fos rise each cut by ≥ 50 %',
    calibrated: CALIBRATED,
    run: (c): TargetOutcome => {
      const ctl = control3(c);
      const cfos = (tr: SignallingTrace): number => summarize(tr.t, tr.readout('cfos'), 0, 3 * MINUTE).peak - tr.readout('cfos')[0];
      const out: Record<string, number> = {};
      for (const ko of ['shank3', 'shank3RRK'] as const) {
        const tr = run(c, { ...base(3, 60), knockouts: [ko] });
        out[`${ko}_pCREB`] = cut(pcrebRise(ctl, 3), pcrebRise(tr, 3));
        out[`${ko}_cfos`] = cut(cfos(ctl), cfos(tr));
      }
      const all = Object.values(out);
      return {
        simulated: `Shank3 loss: pCREB −${pct(out.shank3_pCREB)}, c-fos −${pct(out.shank3_cfos)}; RRK→AAA: pCREB −${pct(out.shank3RRK_pCREB)}, c-fos −${pct(out.shank3RRK_cfos)}`,
        values: out, pass: all.every((x) => x >= 0.5), reason: `cuts ${all.map(pct).join(', ')} (each ≥ 50 %)`,
      };
    },
  },
];
