/**
 * The catalogue of published targets (one entry per id of the shared
 * `reference/validation-targets.md`): source, protocol, published value, pass rule, and — for
 * the targets this layer implements — a runner that simulates the protocol and applies the rule.
 * Targets of layers not built yet are listed with `run` absent: they count as not passing.
 */
import { ivCurve, IV_LEVELS, activationTauAt, inactivationAfter, restingState, caPerAp, trainCa, ahpAfterBurst, stepSpikes, type IvResult } from '../experiments/cell.js';
import { bean1986NitrendipineHp, bechem1993BaykShift, nimodipineLabelPk } from './pharmacology-targets.js';
import { SIGNALLING_TARGETS } from './signalling-targets.js';

export type Owner = 'cell' | 'drug binding' | 'signalling' | 'pharmacokinetics';

/** Outcome of one simulated target. */
export interface TargetOutcome {
  /** Simulated value(s), as text with units. */
  readonly simulated: string;
  readonly pass: boolean;
  /** Why it passes or fails (the rule applied to the numbers). */
  readonly reason: string;
  /** The numbers behind `simulated`. */
  readonly values: Readonly<Record<string, number>>;
}

export interface Target {
  readonly id: string;
  readonly source: string;
  /** Context and protocol in words. */
  readonly protocol: string;
  readonly published: string;
  readonly rule: string;
  readonly owner: Owner;
  /**
   * Set when model parameters were calibrated to this target's own data: a pass then checks
   * the protocol and read-out pipeline, not an independent prediction.
   */
  readonly calibrated?: string;
  /** A known conflict with another source, when the target cannot be met without contradicting it. */
  readonly conflict?: string;
  readonly run?: (cache: Map<string, unknown>) => TargetOutcome;
}

const memo = <T>(cache: Map<string, unknown>, key: string, f: () => T): T => {
  if (!cache.has(key)) cache.set(key, f());
  return cache.get(key) as T;
};

const het = (isoform: 'cav12' | 'cav13', preset = 'koschak2001') => ({ context: 'heterologous' as const, isoform, preset });
const iv = (c: Map<string, unknown>, iso: 'cav12' | 'cav13', preset = 'koschak2001'): IvResult => memo(c, `iv:${iso}:${preset}`, () => ivCurve(het(iso, preset), IV_LEVELS));
const f1 = (x: number): string => x.toFixed(1);
const nM = (uM: number): string => `${(uM * 1000).toFixed(1)} nM`;
const young = { context: 'ca1' as const, preset: 'young' };
const aged = { context: 'ca1' as const, preset: 'aged' };
/** Whole-cell recording: the pipette washes out mobile calbindin (Müller et al. 2005: exchange τ ≈ 10 min). */
const wholeCell = (spec: typeof young): typeof young & { overrides: Record<string, number> } => ({ ...spec, overrides: { 'ca.washout': 1 } });
const inRange = (x: number, lo: number, hi: number): boolean => x >= lo && x <= hi;

/** Koschak targets: the heterologous parameter sets were calibrated to these abstract numbers. */
const KOSCHAK_CAL = 'heterologous Cav1.2 activation V½ and kinetics scale, and both isoforms\' inactivation, were calibrated to the Koschak et al. 2001 abstract (threshold, τ_act, 5-s inactivation); Cav1.3 activation is from Wolf et al. 2005 (not calibrated)';

export const CATALOGUE: readonly Target[] = [
  {
    id: 'koschak2001-threshold', owner: 'cell',
    source: 'Koschak et al. 2001 JBC 276:22100',
    protocol: 'heterologous, 15 mM Ba²⁺, 22 °C: 50 ms steps from −80 mV to −70…+50 mV (2.5 mV); threshold = first voltage with 5 % of peak inward current',
    published: 'Cav1.3 −45.7 mV; Cav1.2 −31.5 mV',
    rule: 'each within ±5 mV; Cav1.3 at least 8 mV more negative',
    calibrated: KOSCHAK_CAL,
    run: (c) => {
      const a = iv(c, 'cav13').threshold;
      const b = iv(c, 'cav12').threshold;
      const pass = Math.abs(a + 45.7) <= 5 && Math.abs(b + 31.5) <= 5 && b - a >= 8;
      return { simulated: `Cav1.3 ${f1(a)} mV; Cav1.2 ${f1(b)} mV`, values: { cav13: a, cav12: b }, pass, reason: `|Δ| = ${f1(Math.abs(a + 45.7))} and ${f1(Math.abs(b + 31.5))} mV (≤ 5); separation ${f1(b - a)} mV (≥ 8)` };
    },
  },
  {
    id: 'koschak2001-tau-act', owner: 'cell',
    source: 'Koschak et al. 2001 JBC 276:22100',
    protocol: 'heterologous, 15 mM Ba²⁺: step from −80 mV to the voltage of maximal inward current; single exponential fitted to 20–80 % of the rising phase',
    published: 'Cav1.3 0.8 ms; Cav1.2 2.3 ms',
    rule: 'each within a factor 1.5; Cav1.3 faster',
    calibrated: KOSCHAK_CAL,
    run: (c) => {
      const a = activationTauAt(het('cav13'), Math.round(iv(c, 'cav13').vPeak));
      const b = activationTauAt(het('cav12'), Math.round(iv(c, 'cav12').vPeak));
      const within = (x: number, ref: number): boolean => x / ref <= 1.5 && ref / x <= 1.5;
      const pass = within(a, 0.8) && within(b, 2.3) && a < b;
      return { simulated: `Cav1.3 ${a.toFixed(2)} ms; Cav1.2 ${b.toFixed(2)} ms`, values: { cav13: a, cav12: b }, pass, reason: `ratios to published ${(a / 0.8).toFixed(2)} and ${(b / 2.3).toFixed(2)} (within 1/1.5–1.5); Cav1.3 ${a < b ? 'faster' : 'not faster'}` };
    },
  },
  {
    id: 'koschak2001-inact-5s', owner: 'cell',
    source: 'Koschak et al. 2001 JBC 276:22100',
    protocol: 'heterologous, 15 mM Ba²⁺: 5 s step from −80 mV to the voltage of maximal inward current; 1 − I(5 s)/I_peak',
    published: 'Cav1.3 90 %; Cav1.2 99 %',
    rule: 'each within ±5 percentage points',
    calibrated: KOSCHAK_CAL,
    run: (c) => {
      const a = 100 * inactivationAfter(het('cav13'), Math.round(iv(c, 'cav13').vPeak));
      const b = 100 * inactivationAfter(het('cav12'), Math.round(iv(c, 'cav12').vPeak));
      const pass = Math.abs(a - 90) <= 5 && Math.abs(b - 99) <= 5;
      return { simulated: `Cav1.3 ${f1(a)} %; Cav1.2 ${f1(b)} %`, values: { cav13: a, cav12: b }, pass, reason: `|Δ| = ${f1(Math.abs(a - 90))} and ${f1(Math.abs(b - 99))} points (≤ 5)` };
    },
  },
  {
    id: 'bell2001-iv-peak', owner: 'cell',
    source: 'Bell et al. 2001 J Neurophysiol 85:816',
    protocol: 'heterologous preset bell2001 (HEK293, 20 mM Ba²⁺): Cav1.3 I–V from −80 mV; its gating is offset from the Koschak set by the difference of steady-state inactivation V½ (Bell fig 2 via Wolf et al. 2005: −13.4 mV)',
    published: 'peak near +20 mV',
    rule: 'peak within ±7 mV of +20 mV',
    conflict: 'Koschak et al. 2001 put the Cav1.3 5 % threshold at −45.7 mV in 15–20 mM Ba²⁺; with the activation slope of 6.7 mV (Churchill & MacVicar 1998 via Wolf et al. 2005) the I–V peak lies ≈27 mV above the threshold, so a peak at +20 mV needs either an activation slope ≥ 10 mV or an offset of ≥ 34 mV between the two expression systems; the offset derived from Bell\'s own inactivation V½ is 30.6 mV and puts the peak at ≈ +9 mV. Tuning the offset to the peak would be fitting one parameter to this one target. A surface-charge shift by the higher Ba²⁺ concentration (several mV per 10 mM divalent) does not close the gap: Koschak et al. recorded in 15–20 mM Ba²⁺ and Bell et al. in 20 mM, so the difference is 0–5 mM (a few mV at most, against the ≥ 3.6 mV still missing), and it is already contained in the offset, which comes from Bell\'s inactivation V½ measured in 20 mM Ba²⁺; adding it would count it twice',
    run: (c) => {
      const r = iv(c, 'cav13', 'bell2001');
      const pass = Math.abs(r.vPeak - 20) <= 7;
      return { simulated: `peak ${f1(r.vPeak)} mV (threshold ${f1(r.threshold)} mV)`, values: { vPeak: r.vPeak, threshold: r.threshold }, pass, reason: `|peak − 20| = ${f1(Math.abs(r.vPeak - 20))} mV (≤ 7)` };
    },
  },
  {
    id: 'bean1986-nitrendipine-hp', owner: 'drug binding',
    source: 'Bean et al. 1986; Bean 1984 PNAS 81:6388',
    protocol: 'cardiac (Cav1.2 with the gating of canine ventricular myocytes, the cells Bean recorded from; inactivation curve of the Fox et al. 2002 canine model), Ba²⁺ carrier: nitrendipine concentration–block of the peak current at the I–V peak, from holding −80 and −10 mV with the drug at binding equilibrium',
    published: 'IC50 100–700 nM at −80 mV; ≈0.3 nM at −10 mV', rule: 'IC50(−80) in 100–700 nM, IC50(−10) in 0.1–1 nM',
    run: bean1986NitrendipineHp,
  },
  {
    id: 'bechem1993-bayk-shift', owner: 'drug binding',
    source: 'Bechem & Hoffmann 1993 Pflügers Arch 424:343',
    protocol: 'heterologous Cav1.2: (S)-(−)-Bay K 8644 30 nM, activation curve',
    published: 'V½ shift ≈ −23 mV; slope, Gmax, E_rev unchanged', rule: 'shift −23 ± 6 mV; Gmax within 15 %',
    calibrated: 'the activation shift of the fully bound channel is the published −23 mV (taken as the saturating effect at 30 nM); the simulated shift at 30 nM also depends on the occupancy given by the binding Kd',
    run: bechem1993BaykShift,
  },
  {
    id: 'maravall2000-rest-ca', owner: 'cell',
    source: 'Maravall et al. 2000 Biophys J 78:2655',
    protocol: 'ca1 young, settled at rest: free Ca²⁺ of the submembrane shell',
    published: '32–59 nM', rule: 'inside the range',
    calibrated: 'the resting Ca²⁺ leak (ca.j_leak) was set so the young cell rests near 45 nM (PMCA/NCX rates were not found)',
    run: () => {
      const r = restingState(young);
      const x = r.shell * 1000;
      return { simulated: nM(r.shell), values: { shell_nM: x, cyt_nM: r.cyt * 1000 }, pass: inRange(x, 32, 59), reason: `${f1(x)} nM in [32, 59]` };
    },
  },
  {
    id: 'maravall2000-buffer', owner: 'cell',
    source: 'Maravall et al. 2000 Biophys J 78:2655',
    protocol: 'ca1 young, whole-cell recording (mobile calbindin washed out by the pipette): static buffer capacity κ = Σ B·K_d/(K_d + [Ca²⁺])² of the shell at rest',
    published: 'κ 44–80', rule: 'inside the range',
    calibrated: 'the fixed endogenous buffer total (ca.fix_total) was set to give κ ≈ 60 after washout; no independent CA1 buffer composition was found',
    run: () => {
      const r = restingState(wholeCell(young));
      const intact = restingState(young).kappaShell;
      return { simulated: `κ ${f1(r.kappaShell)} (intact cell with calbindin: ${intact.toFixed(0)})`, values: { kappa: r.kappaShell, kappaIntact: intact }, pass: inRange(r.kappaShell, 44, 80), reason: `${f1(r.kappaShell)} in [44, 80]` };
    },
  },
  {
    id: 'maravall2000-ca-per-ap', owner: 'cell',
    source: 'Maravall et al. 2000 Biophys J 78:2655',
    protocol: 'ca1 young, whole-cell (calbindin washed out), no indicator: one action potential evoked by a 2 ms, 2 nA pulse; peak Δ[Ca²⁺] of the shell',
    published: '178–312 nM', rule: 'inside the range, exactly one spike',
    calibrated: 'the Ca²⁺ channel permeabilities (cav12/cav13/cav2.pbar, ratios fixed by Sinnegger-Brauns 2009 and an assumed L/non-L split) were scaled together to this target',
    run: () => {
      const r = caPerAp(wholeCell(young));
      const x = r.delta * 1000;
      return { simulated: `${f1(x)} nM (${r.spikes} spike, decay τ ${r.decay.toFixed(0)} ms)`, values: { delta_nM: x, spikes: r.spikes }, pass: inRange(x, 178, 312) && r.spikes === 1, reason: `${f1(x)} nM in [178, 312]; ${r.spikes} spike(s)` };
    },
  },
  {
    id: 'thibault2001-rest-ca-aging', owner: 'cell',
    source: 'Thibault, Hadley & Landfield 2001 J Neurosci 21:9744',
    protocol: 'ca1 aged vs young (L-type density ×2), settled at rest: free Ca²⁺ of the shell',
    published: 'no clear difference', rule: 'aged/young within 0.8–1.25',
    run: () => {
      const y = restingState(young).shell;
      const a = restingState(aged).shell;
      const r = a / y;
      return { simulated: `aged ${nM(a)} / young ${nM(y)} = ${r.toFixed(3)}`, values: { ratio: r, young_nM: y * 1000, aged_nM: a * 1000 }, pass: inRange(r, 0.8, 1.25), reason: `ratio ${r.toFixed(3)} in [0.8, 1.25]` };
    },
  },
  {
    id: 'thibault2001-train-ca-aging', owner: 'cell',
    source: 'Thibault, Hadley & Landfield 2001 J Neurosci 21:9744',
    protocol: 'ca1 aged vs young: 20 s train at 7 Hz of 2 ms, 2 nA pulses (each evokes a spike); peak rise of cytosolic (somatic) Ca²⁺',
    published: 'larger rise in aged', rule: 'aged peak rise > 1.2 × young',
    run: () => {
      const y = trainCa(young, 7, 20);
      const a = trainCa(aged, 7, 20);
      const r = a.peakRise / y.peakRise;
      return { simulated: `aged ${nM(a.peakRise)} (${a.spikes} spikes) / young ${nM(y.peakRise)} (${y.spikes} spikes) = ${r.toFixed(2)}`, values: { ratio: r, young_nM: y.peakRise * 1000, aged_nM: a.peakRise * 1000 }, pass: r > 1.2, reason: `ratio ${r.toFixed(2)} > 1.2` };
    },
  },
  {
    id: 'moyer2000-ahp-aging', owner: 'cell',
    source: 'Moyer et al. 2000 J Neurosci 20:5476; Power et al. 2002',
    protocol: 'ca1 aged vs young: AHP area (mV·s below the pre-burst potential, 2 s) after 4 spikes at 100 Hz (2 ms, 2 nA pulses); spikes during an 800 ms, 0.2 nA step',
    published: 'aged: larger and longer AHP, more accommodation', rule: 'aged AHP area > 1.3 × young; aged fires fewer spikes in the step',
    calibrated: 'the sAHP and M-current densities (no CA1 values found) were set so the sAHP dominates the AHP after a short burst',
    run: () => {
      const y = ahpAfterBurst(young);
      const a = ahpAfterBurst(aged);
      const sy = stepSpikes(young, 0.2).spikes;
      const sa = stepSpikes(aged, 0.2).spikes;
      const r = a.area / y.area;
      return {
        simulated: `AHP area aged ${a.area.toFixed(2)} / young ${y.area.toFixed(2)} mV·s = ${r.toFixed(2)}; step spikes aged ${sa} vs young ${sy}`,
        values: { ratio: r, youngArea: y.area, agedArea: a.area, youngSpikes: sy, agedSpikes: sa },
        pass: r > 1.3 && sa < sy, reason: `ratio ${r.toFixed(2)} > 1.3; ${sa} < ${sy} spikes`,
      };
    },
  },
  ...SIGNALLING_TARGETS,
  { id: 'nimodipine-label-pk', owner: 'pharmacokinetics', source: 'nimodipine US and Swiss labels', protocol: 'oral nimodipine 2 × 30 mg', published: 'Cmax 31 ± 12 µg/L at ≈40 min; 1.3 µg/L at 6 h; t½ 8–9 h; F ≈ 13 %', rule: 'Cmax 19–43 µg/L; Tmax 0.5–1 h; C(6 h) 0.65–2.6 µg/L; t½ 7–10 h', calibrated: 'absorption rate and distribution volumes of the nimodipine record were fitted to this mean oral profile (clearance, F, fu and terminal t½ from the labels)', run: nimodipineLabelPk },
];

/** The target with `id`, or undefined. */
export const findTarget = (id: string): Target | undefined => CATALOGUE.find((t) => t.id === id);
