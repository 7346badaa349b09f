/**
 * The membrane currents of an arterial smooth-muscle cell besides Cav1.2, which set its resting
 * potential. Pressurised small arteries rest at −40 to −50 mV (Knot & Nelson 1998: −45 ± 1 mV at
 * 60 mmHg, −63 ± 1 mV at 10 mmHg, −36 ± 2 mV at 100 mmHg) because a pressure-activated cation
 * current depolarises them against the K⁺ conductances of the myocyte (Nelson & Quayle 1995:
 * Kv, BK, Kir and KATP channels).
 *
 * Components (each reads `mem.V` (mV), `env.*`; writes `<name>.I`, µA/cm², outward positive):
 * - `kv`: voltage-gated delayed-rectifier K⁺ current, one activation gate and two inactivation
 *   gates (fast and slow);
 * - `bk`: large-conductance Ca²⁺- and voltage-activated K⁺ current (GHK), reads `ca.cyt`;
 * - `katp`: the background K⁺ conductance of KATP channels;
 * - `nsc`: the basal (agonist-free) activity of the receptor-operated non-selective cation
 *   channels (Na⁺, K⁺ and Ca²⁺, GHK); writes `nsc.I_Ca`;
 * - `sac`: the pressure- (stretch-) activated cation current that depolarises a pressurised
 *   artery (GHK, same ion selectivity as `nsc`); writes `sac.I_Ca`.
 *
 * Sources: the rat mesenteric smooth-muscle cell model of Kapela, Bezerianos & Tsoukias 2008
 * (J Theor Biol 253:238) in the Matlab implementation of Morotti et al. 2017 (SMC_eccODEfile.m),
 * whose densities are per cell of 25 pF and are converted here at 1 µF/cm² (1 nS per 25 pF =
 * 0.04 mS/cm²). Its gating kinetics are used as they are (the model file applies no temperature
 * factor to them). That model has no inward-rectifier current (G_K_i = 0) and its stretch current
 * I_M is off, so it describes a cell without pressure: it rests at −59.3 mV (its voltage-clamp
 * protocol holds the cell there). The Na⁺/K⁺ pump, NCX, Ca²⁺-activated Cl⁻ current and Na-K-Cl
 * cotransport of that model are not included here: with fixed ion concentrations their net
 * resting current is not constrained, and the cation current of pressure (`sac`), calibrated to
 * the measured resting potential, absorbs it.
 */
import type { ModelBuilder } from '../model/builder.js';
import { type ParamTable, type Overrides, assume, declareParams, src, NONNEG, POSITIVE } from './params.js';
import { ghkCurrent } from './ghk.js';

const KAPELA = 'Kapela, Bezerianos & Tsoukias 2008 J Theor Biol 253:238 rat mesenteric smooth-muscle cell model (drgrandilab/Morotti-et-al-2017-Sensitivity-Analysis-Kapela-et-al-Model, SMC_eccODEfile.m)';
/** Kapela et al. give conductances per cell of C_m = 25 pF; at 1 µF/cm² that is 2.5e-5 cm². */
const PER_CELL = 'converted from nS per 25 pF cell (C_m = 25 pF in the model file) at 1 µF/cm²';

export interface VascularCurrentOptions {
  v?: string;
  overrides?: Overrides;
  used?: Set<string>;
  /** Density scale (knock-outs, blockers); default 1. */
  scale?: number;
}

const scaleParam = (o: VascularCurrentOptions): [number, { unit: string; bounds: readonly [number, number]; assumption: string }] => [
  o.scale ?? 1, { unit: 'dimensionless', bounds: [0, Infinity], assumption: 'density scale set by a knock-out or blocker protocol (1 = control)' },
];

export const KV_VSM_PARAMS: ParamTable = {
  gbar: src(0.054, 'mS/cm^2', `${KAPELA}: g_K = 1.35 nS, ${PER_CELL}`, { bounds: NONNEG }),
  vhalf: src(-11, 'mV', `${KAPELA}: V_1_2 = −11 mV (activation p_K)`),
  k: src(15, 'mV', `${KAPELA}: k = 15 mV`, { bounds: POSITIVE }),
  tau_a: src(61.49, 'ms', `${KAPELA}: τ_pK = 61.49·exp(−0.0268·V) ms`, { bounds: POSITIVE }),
  tau_v: src(-0.0268, '1/mV', `${KAPELA}: τ_pK = 61.49·exp(−0.0268·V) ms`),
  qvhalf: src(-40, 'mV', `${KAPELA}: q_bar = 1/(1 + exp((V + 40)/14))`),
  qk: src(14, 'mV', `${KAPELA}: q_bar = 1/(1 + exp((V + 40)/14))`, { bounds: POSITIVE }),
  tau_q1: src(371, 'ms', `${KAPELA}: fast inactivation q_1, τ = 371 ms`, { bounds: POSITIVE }),
  tau_q2: src(2884, 'ms', `${KAPELA}: slow inactivation q_2, τ = 2884 ms`, { bounds: POSITIVE }),
  f_q1: src(0.45, 'dimensionless', `${KAPELA}: I_K = g_K·p_K·(0.45·q_1 + 0.55·q_2)·(V − E_K)`, { bounds: [0, 1] }),
};

/** Voltage-gated (delayed-rectifier) K⁺ current of arterial myocytes (`kv`). */
export function kvVsm(b: ModelBuilder, o: VascularCurrentOptions = {}): void {
  const c = b.component('kv');
  declareParams(c, KV_VSM_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  c.assigned('pinf', `1/(1 + exp(-(${V} - vhalf)/k))`, { unit: 'dimensionless' });
  c.assigned('tau_p', `tau_a*exp(tau_v*${V})`, { unit: 'ms' });
  c.assigned('qinf', `1/(1 + exp((${V} - qvhalf)/qk))`, { unit: 'dimensionless' });
  c.state('p', { initial: 'pinf', rate: '(pinf - p)/tau_p', unit: 'dimensionless' });
  c.state('q1', { initial: 'qinf', rate: '(qinf - q1)/tau_q1', unit: 'dimensionless' });
  c.state('q2', { initial: 'qinf', rate: '(qinf - q2)/tau_q2', unit: 'dimensionless' });
  c.assigned('I', `scale*gbar*p*(f_q1*q1 + (1 - f_q1)*q2)*(${V} - env.EK)`, { unit: 'uA/cm^2', description: 'Kv current density' });
}

export const BK_VSM_PARAMS: ParamTable = {
  p_single: src(3.9e-13, 'cm^3/s', `${KAPELA}: P_BKCa = 3.9e-13 cm³/s (single-channel permeability, after Mistry & Garland 1998)`, { bounds: NONNEG }),
  density: src(6.6e6, '1/cm^2', `${KAPELA}: N_BKCa = 6.6e6 channels/cm²`, { bounds: NONNEG }),
  a_ca: src(-41.7, 'mV', `${KAPELA}: V½ = −41.7·log10([Ca²⁺]i/mM) − 128.2 mV`),
  b_ca: src(-128.2, 'mV', `${KAPELA}: V½ = −41.7·log10([Ca²⁺]i/mM) − 128.2 mV`),
  k: src(18.25, 'mV', `${KAPELA}: slope 18.25 mV`, { bounds: POSITIVE }),
  tau_f: src(0.84, 'ms', `${KAPELA}: τ_pf = 0.84 ms (mean open time, Benham et al. 1986)`, { bounds: POSITIVE }),
  tau_s: src(35.9, 'ms', `${KAPELA}: τ_ps = 35.9 ms`, { bounds: POSITIVE }),
  f_fast: src(0.17, 'dimensionless', `${KAPELA}: P_KCa = 0.17·p_f + 0.83·p_s`, { bounds: [0, 1] }),
};

/** BK (large-conductance Ca²⁺- and voltage-activated K⁺) current (`bk`); reads `ca.cyt` (µM). */
export function bkVsm(b: ModelBuilder, o: VascularCurrentOptions & { ca?: string } = {}): void {
  const c = b.component('bk');
  declareParams(c, BK_VSM_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  const ca = o.ca ?? 'ca.cyt';
  // Kapela's half-activation is a function of the free Ca²⁺ in mM (the pools hold µM).
  c.assigned('vhalf', `a_ca*log10(1e-3*${ca}) + b_ca`, { unit: 'mV', description: 'Ca²⁺-dependent half-activation voltage' });
  c.assigned('pinf', `1/(1 + exp(-(${V} - vhalf)/k))`, { unit: 'dimensionless' });
  c.state('pf', { initial: 'pinf', rate: '(pinf - pf)/tau_f', unit: 'dimensionless' });
  c.state('ps', { initial: 'pinf', rate: '(pinf - ps)/tau_s', unit: 'dimensionless' });
  c.assigned('Po', 'f_fast*pf + (1 - f_fast)*ps', { unit: 'dimensionless' });
  c.assigned('I', `scale*density*p_single*Po*${ghkCurrent(1, V, 'env.K_i', 'env.K_o', 'env.celsius')}`, { unit: 'uA/cm^2', description: 'BK current density' });
}

export const KATP_VSM_PARAMS: ParamTable = {
  g: src(0.00268, 'mS/cm^2', `${KAPELA}: g_KATP = 0.067 nS (background K⁺ current), ${PER_CELL}`, { bounds: NONNEG }),
};

/** Background K⁺ current of KATP channels (`katp`). */
export function katpVsm(b: ModelBuilder, o: VascularCurrentOptions = {}): void {
  const c = b.component('katp');
  declareParams(c, KATP_VSM_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  c.assigned('I', `scale*g*(${V} - env.EK)`, { unit: 'uA/cm^2', description: 'KATP current density' });
}

/** Relative permeabilities of the vascular non-selective cation channels (Kapela et al. 2008). */
const CATION_SELECTIVITY: ParamTable = {
  rK: src(1.06, 'dimensionless', `${KAPELA}: PK_NSC = 1.06 × PNa_NSC`, { bounds: NONNEG }),
  rCa: src(4.54, 'dimensionless', `${KAPELA}: PCa_NSC = 4.54 × PNa_NSC`, { bounds: NONNEG }),
};

const cationCurrent = (c: ReturnType<ModelBuilder['component']>, V: string, open: string): void => {
  c.assigned('I_Na', `scale*${open}*pna*${ghkCurrent(1, V, 'env.Na_i', 'env.Na_o', 'env.celsius')}`, { unit: 'uA/cm^2', description: 'Na⁺ current density' });
  c.assigned('I_K', `scale*${open}*pna*rK*${ghkCurrent(1, V, 'env.K_i', 'env.K_o', 'env.celsius')}`, { unit: 'uA/cm^2', description: 'K⁺ current density' });
  c.assigned('I_Ca', `scale*${open}*pna*rCa*${ghkCurrent(2, V, '1e-3*ca.shell', 'env.Ca_o', 'env.celsius')}`, { unit: 'uA/cm^2', description: 'Ca²⁺ current density (inward negative; feeds the shell)' });
  c.assigned('I', 'I_Na + I_K + I_Ca', { unit: 'uA/cm^2', description: 'total current density' });
};

export const NSC_VSM_PARAMS: ParamTable = {
  pna: src(5.11e-7, 'cm/s', `${KAPELA}: PNa_NSC = 5.11e-7 cm/s`, { bounds: NONNEG }),
  basal: src(0.0244, 'dimensionless', `${KAPELA}: d_NSCmin = 0.0244, the activity without agonist (the DAG-dependent term is left out: no agonist)`, { bounds: [0, 1] }),
  pmin: src(0.4344, 'dimensionless', `${KAPELA}: Pmin_NSC = 0.4344`, { bounds: [0, 1] }),
  vhalf: src(47.12, 'mV', `${KAPELA}: Po_NSC = Pmin + (1 − Pmin)/(1 + exp(−(V − 47.12)/24.24))`),
  k: src(24.24, 'mV', `${KAPELA}: Po_NSC slope 24.24 mV`, { bounds: POSITIVE }),
  ...CATION_SELECTIVITY,
};

/** Basal receptor-operated non-selective cation current (`nsc`). */
export function nscVsm(b: ModelBuilder, o: VascularCurrentOptions = {}): void {
  const c = b.component('nsc');
  declareParams(c, NSC_VSM_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  c.assigned('Po', `pmin + (1 - pmin)/(1 + exp(-(${V} - vhalf)/k))`, { unit: 'dimensionless' });
  cationCurrent(c, V, 'basal*Po');
}

export const SAC_VSM_PARAMS: ParamTable = {
  pna: assume(6.5e-9, 'cm/s', 'calibrated: Na⁺ permeability of the pressure-activated cation channels open at 60 mmHg, set so that the cell rests at −45 mV (with all other currents of this context as they are), the membrane potential of pressurised (60 mmHg) rat cerebral arteries (Knot & Nelson 1998 J Physiol 508:199, −45 ± 1 mV). The mechanism is a Gd³⁺-sensitive cation current activated by swelling and pressure that reverses with E_Na (Welsh et al. 2000 J Physiol 527:139); the calibrated value carries ≈0.2 pA/pF at −60 mV, below the 0.8–6.9 pA/pF that 105–135 % longitudinal stretch evokes in isolated arteriolar myocytes (Wu & Davis 2001 Am J Physiol 280:H1751)', { bounds: NONNEG }),
  rK: src(1.06, 'dimensionless', `${KAPELA}: PK/PNa = 1.06 of the non-selective cation channels (selectivity of the pressure-activated channels not measured separately)`, { bounds: NONNEG }),
  rCa: assume(0, 'dimensionless', 'the Ca²⁺ entry of the pressure-activated current itself is neglected: the pressure-induced rise of arterial wall Ca²⁺ is abolished by L-type channel blockers (diltiazem, nisoldipine; Knot & Nelson 1998), i.e. it enters through Cav1.2 after the depolarisation', { bounds: NONNEG }),
};

/**
 * Pressure-activated cation current (`sac`): the depolarising drive of the myogenic response.
 * Its open fraction is folded into the permeability of the preset's pressure (scale 0 = no
 * pressure).
 */
export function sacVsm(b: ModelBuilder, o: VascularCurrentOptions = {}): void {
  const c = b.component('sac');
  declareParams(c, SAC_VSM_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  cationCurrent(c, o.v ?? 'mem.V', '1');
}
