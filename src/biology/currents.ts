/**
 * The other currents of a CA1 pyramidal neuron, single compartment. Each component reads
 * `mem.V` (mV), `env.celsius` and the reversal potentials `env.EK`/`env.ENa`, and writes
 * `<name>.I` (µA/cm², outward positive) that the membrane sums.
 *
 * Sources: Poirazi, Brannon & Mel 2003 CA1 model files (ModelDB, copies in
 * KaliLab/HippoUnit_demo published_models/Poirazi_et_al_2003_CA1_multi/mechanism/), which
 * reuse Migliore's na3/kdr/kap (Migliore et al. 1999) and Borg-Graham's K-M channel; SK and the
 * slow AHP current as described in the parameter tables.
 */
import type { ModelBuilder } from '../model/builder.js';
import { type ParamTable, type Overrides, assume, declareParams, src, NONNEG, POSITIVE } from './params.js';
import { efun } from './ghk.js';

const POIRAZI = 'Poirazi et al. 2003 CA1 model (ModelDB), mechanism/';
const FRT = (celsius: string): string => `(96.48533212/(8.314462618*(273.15 + ${celsius})))`;

export interface CurrentOptions {
  v?: string;
  overrides?: Overrides;
  used?: Set<string>;
  /** Density scale (knock-outs, presets); default 1. */
  scale?: number;
}

const scaleParam = (o: CurrentOptions): [number, { unit: string; bounds: readonly [number, number]; assumption: string }] => [
  o.scale ?? 1, { unit: 'dimensionless', bounds: [0, Infinity], assumption: 'density scale set by a preset or a knock-out protocol (1 = control)' },
];

export const NA_PARAMS: ParamTable = {
  gbar: assume(30, 'mS/cm^2', `somatic/axonal Na⁺ density of a single-compartment cell that fires overshooting spikes; na3.mod default is 10 mS/cm² (${POIRAZI}na3.mod), raised because this compartment lumps the axon initial segment`, { bounds: NONNEG }),
  tha: src(-30, 'mV', `${POIRAZI}na3.mod`),
  qa: src(7.2, 'mV', `${POIRAZI}na3.mod`, { bounds: POSITIVE }),
  Ra: src(0.4, '1/ms', `${POIRAZI}na3.mod`),
  Rb: src(0.124, '1/ms', `${POIRAZI}na3.mod`),
  thi1: src(-45, 'mV', `${POIRAZI}na3.mod`),
  thi2: src(-45, 'mV', `${POIRAZI}na3.mod`),
  qd: src(1.5, 'mV', `${POIRAZI}na3.mod`, { bounds: POSITIVE }),
  qg: src(1.5, 'mV', `${POIRAZI}na3.mod`, { bounds: POSITIVE }),
  Rd: src(0.03, '1/ms', `${POIRAZI}na3.mod`),
  Rg: src(0.01, '1/ms', `${POIRAZI}na3.mod`),
  thinf: src(-50, 'mV', `${POIRAZI}na3.mod`),
  qinf: src(4, 'mV', `${POIRAZI}na3.mod`, { bounds: POSITIVE }),
  mmin: src(0.02, 'ms', `${POIRAZI}na3.mod`),
  hmin: src(0.5, 'ms', `${POIRAZI}na3.mod`),
  q10: src(2, 'dimensionless', `${POIRAZI}na3.mod`),
  tref: src(24, 'degC', `${POIRAZI}na3.mod`),
};

/** Transient Na⁺ current (na3, m³h; slow inactivation off as in Poirazi's soma, ar2 = 1). */
export function naT(b: ModelBuilder, o: CurrentOptions = {}): void {
  const c = b.component('naT');
  declareParams(c, NA_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  c.assigned('qt', 'q10^((env.celsius - tref)/10)', { unit: 'dimensionless' });
  // trap0(v, th, a, q) = a·(v − th)/(1 − exp(−(v − th)/q)) = a·q·efun(−(v − th)/q)
  c.assigned('am', `Ra*qa*${efun(`-(${V} - tha)/qa`)}`, { unit: '1/ms' });
  c.assigned('bm', `Rb*qa*${efun(`(${V} - tha)/qa`)}`, { unit: '1/ms' });
  c.assigned('minf', 'am/(am + bm)', { unit: 'dimensionless' });
  c.assigned('mtau', 'max(1/((am + bm)*qt), mmin)', { unit: 'ms' });
  c.assigned('ah', `Rd*qd*${efun(`-(${V} - thi1)/qd`)}`, { unit: '1/ms' });
  c.assigned('bh', `Rg*qg*${efun(`(${V} - thi2)/qg`)}`, { unit: '1/ms' });
  c.assigned('hinf', `1/(1 + exp((${V} - thinf)/qinf))`, { unit: 'dimensionless' });
  c.assigned('htau', 'max(1/((ah + bh)*qt), hmin)', { unit: 'ms' });
  c.state('m', { initial: 'minf', rate: '(minf - m)/mtau', unit: 'dimensionless' });
  c.state('h', { initial: 'hinf', rate: '(hinf - h)/htau', unit: 'dimensionless' });
  c.assigned('I', `scale*gbar*m^3*h*(${V} - env.ENa)`, { unit: 'uA/cm^2', description: 'Na⁺ current density (mS/cm² × mV = µA/cm²)' });
}

export const KDR_PARAMS: ParamTable = {
  gbar: assume(10, 'mS/cm^2', `delayed-rectifier density for a lumped soma/axon compartment; kdrca1.mod default is 3 mS/cm² (${POIRAZI}kdrca1.mod)`, { bounds: NONNEG }),
  vhalfn: src(13, 'mV', `${POIRAZI}kdrca1.mod`),
  a0n: src(0.02, '1/ms', `${POIRAZI}kdrca1.mod`),
  zetan: src(-3, 'dimensionless', `${POIRAZI}kdrca1.mod`),
  gmn: src(0.7, 'dimensionless', `${POIRAZI}kdrca1.mod`),
  nmax: src(2, 'ms', `${POIRAZI}kdrca1.mod`),
};

/** Delayed-rectifier K⁺ current (kdrca1, n¹). */
export function kdr(b: ModelBuilder, o: CurrentOptions = {}): void {
  const c = b.component('kdr');
  declareParams(c, KDR_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  c.assigned('an', `exp(zetan*(${V} - vhalfn)*${FRT('env.celsius')})`, { unit: 'dimensionless' });
  c.assigned('bn', `exp(zetan*gmn*(${V} - vhalfn)*${FRT('env.celsius')})`, { unit: 'dimensionless' });
  c.assigned('ninf', '1/(1 + an)', { unit: 'dimensionless' });
  c.assigned('taun', 'max(bn/(a0n*(1 + an)), nmax)', { unit: 'ms' });
  c.state('n', { initial: 'ninf', rate: '(ninf - n)/taun', unit: 'dimensionless' });
  c.assigned('I', `scale*gbar*n*(${V} - env.EK)`, { unit: 'uA/cm^2' });
}

export const KA_PARAMS: ParamTable = {
  gbar: src(7, 'mS/cm^2', `${POIRAZI}kap.mod (gkabar default, proximal A-type after Hoffman et al. 1997)`, { bounds: NONNEG }),
  vn: src(-21.3, 'mV', `${POIRAZI}kap.mod (alpn/betn give a Boltzmann of midpoint −21.3 mV, slope 35 mV)`),
  kn: src(35, 'mV', `${POIRAZI}kap.mod`, { bounds: POSITIVE }),
  vl: src(-58, 'mV', `${POIRAZI}kap.mod (alpl/betl give a Boltzmann of midpoint −58 mV, slope 8.2 mV)`),
  kl: src(8.2, 'mV', `${POIRAZI}kap.mod`, { bounds: POSITIVE }),
  taun: src(0.2, 'ms', `${POIRAZI}kap.mod`, { bounds: POSITIVE }),
  taul0: src(5, 'ms', `${POIRAZI}kap.mod (taul = 5 + 2.6·(v + 20)/10 above −20 mV)`, { bounds: POSITIVE }),
};

/** A-type K⁺ current (kap, n⁴l). */
export function kA(b: ModelBuilder, o: CurrentOptions = {}): void {
  const c = b.component('kA');
  declareParams(c, KA_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  c.assigned('ninf', `1/(1 + exp(-(${V} - vn)/kn))`, { unit: 'dimensionless' });
  c.assigned('linf', `1/(1 + exp((${V} - vl)/kl))`, { unit: 'dimensionless' });
  c.assigned('taul', `taul0 + max(0, 0.26*(${V} + 20))`, { unit: 'ms' });
  c.state('n', { initial: 'ninf', rate: '(ninf - n)/taun', unit: 'dimensionless' });
  c.state('l', { initial: 'linf', rate: '(linf - l)/taul', unit: 'dimensionless' });
  c.assigned('I', `scale*gbar*n^4*l*(${V} - env.EK)`, { unit: 'uA/cm^2' });
}

export const KM_PARAMS: ParamTable = {
  gbar: assume(0.02, 'mS/cm^2', `somatic M-current density; borgkm.mod default is 3 mS/cm² (${POIRAZI}not-currently-used/borgkm.mod), lowered so that the M-current does not dominate the afterhyperpolarisation of a single compartment (the AHP after a short burst is mainly the sAHP: Power et al. 2002)`, { bounds: NONNEG }),
  vhalf: src(-55, 'mV', `${POIRAZI}not-currently-used/borgkm.mod`),
  a0: src(0.0002, '1/ms', `${POIRAZI}not-currently-used/borgkm.mod`),
  b0: src(0.0002, '1/ms', `${POIRAZI}not-currently-used/borgkm.mod`),
  zeta: src(-7, 'dimensionless', `${POIRAZI}not-currently-used/borgkm.mod`),
  gm: src(0.8, 'dimensionless', `${POIRAZI}not-currently-used/borgkm.mod`),
  tmin: src(10, 'ms', `${POIRAZI}not-currently-used/borgkm.mod (tm)`),
  q10: src(5, 'dimensionless', `${POIRAZI}not-currently-used/borgkm.mod`),
  tref: src(22, 'degC', `${POIRAZI}not-currently-used/borgkm.mod`),
};

/** M-type K⁺ current (Borg-Graham). */
export function kM(b: ModelBuilder, o: CurrentOptions = {}): void {
  const c = b.component('kM');
  declareParams(c, KM_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  c.assigned('am', `exp(zeta*(${V} - vhalf)*${FRT('env.celsius')})`, { unit: 'dimensionless' });
  c.assigned('bm', `exp(zeta*gm*(${V} - vhalf)*${FRT('env.celsius')})`, { unit: 'dimensionless' });
  c.assigned('minf', '1/(1 + am)', { unit: 'dimensionless' });
  c.assigned('mtau', 'max(bm/(q10^((env.celsius - tref)/10)*(a0 + b0*am)), tmin)', { unit: 'ms' });
  c.state('m', { initial: 'minf', rate: '(minf - m)/mtau', unit: 'dimensionless' });
  c.assigned('I', `scale*gbar*m*(${V} - env.EK)`, { unit: 'uA/cm^2' });
}

export const SK_PARAMS: ParamTable = {
  gbar: assume(0.4, 'mS/cm^2', 'SK (medium AHP) density; no CA1 value in the shared literature, set so the medium AHP is a few mV', { bounds: NONNEG }),
  K: src(0.74, 'uM', 'McKiernan et al. 2024 PLoS ONE Table 2 (SK half-activation, attributed to Hirschberg et al. 1998)', { bounds: POSITIVE }),
  n: assume(4, 'dimensionless', 'SK channels are steeply Ca²⁺-dependent (four CaM-binding subunits); Hill coefficient not retrieved', { bounds: POSITIVE }),
  tau: assume(5, 'ms', 'SK gating follows Ca²⁺ within milliseconds; value not retrieved', { bounds: POSITIVE }),
};

export interface CaCurrentOptions extends CurrentOptions {
  /** The Ca²⁺ concentration the channel senses (µM). */
  ca?: string;
}

/** SK (small-conductance Ca²⁺-activated K⁺) current of the medium AHP; reads `ca.shell`. */
export function sk(b: ModelBuilder, o: CaCurrentOptions = {}): void {
  const c = b.component('sk');
  declareParams(c, SK_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  const ca = o.ca ?? 'ca.shell';
  c.assigned('qinf', `${ca}^n/(${ca}^n + K^n)`, { unit: 'dimensionless' });
  c.state('q', { initial: 'qinf', rate: '(qinf - q)/tau', unit: 'dimensionless' });
  c.assigned('I', `scale*gbar*q*(${V} - env.EK)`, { unit: 'uA/cm^2' });
}

export const SAHP_PARAMS: ParamTable = {
  gbar: assume(0.2, 'mS/cm^2', 'slow AHP conductance; no CA1 density in the shared literature, set so the sAHP dominates the AHP after a short burst (Power et al. 2002)', { bounds: NONNEG }),
  ka: assume(0.1, '1/ms', 'activation rate constant, used as ka·c/(c + K) with K ≫ c (≈1e-4 /ms per µM of nanodomain Ca²⁺): a short burst opens ≈15 % of the channels, which close over ≈1 s (Power et al. 2002 describe the slow sIAHP qualitatively)', { bounds: NONNEG }),
  K: assume(1000, 'uM', 'far above the nanodomain peaks (≈100–300 µM during a burst): activation is effectively proportional to L-type Ca²⁺ entry, as in the aged-CA1 model of Markaki et al. 2005 where a fast L-type Ca²⁺ pool (τ 2.5 ms) drives the slow K(Ca) current (Power et al. 2002: sIAHP is enhanced with aging together with L-type activity); no value retrieved', { bounds: POSITIVE }),
  kb: src(0.001, '1/ms', `${POIRAZI}not-currently-used/kca.mod (Rb = 0.001/ms above 1 µM: sAHP decay ≈ 1 s)`, { bounds: POSITIVE }),
  q10: src(2.3, 'dimensionless', `${POIRAZI}not-currently-used/kca.mod`),
  tref: src(23, 'degC', `${POIRAZI}not-currently-used/kca.mod`),
};

/**
 * The slow Ca²⁺-activated K⁺ current of the sAHP, gated by Ca²⁺ that enters through L-type
 * channels (reads `ca.nano`), as in the aged-CA1 model of Markaki et al. 2005 where the L-type
 * Ca²⁺ pool drives the slow K(Ca) current.
 */
export function sAHP(b: ModelBuilder, o: CaCurrentOptions = {}): void {
  const c = b.component('sahp');
  declareParams(c, SAHP_PARAMS, o.overrides, o.used);
  c.parameter('scale', ...scaleParam(o));
  const V = o.v ?? 'mem.V';
  const ca = o.ca ?? 'ca.nano';
  c.assigned('qt', 'q10^((env.celsius - tref)/10)', { unit: 'dimensionless' });
  c.assigned('a', `ka*qt*${ca}/(${ca} + K)`, { unit: '1/ms' });
  c.state('q', { initial: 'a/(a + kb*qt)', rate: 'a*(1 - q) - kb*qt*q', unit: 'dimensionless' });
  c.assigned('I', `scale*gbar*q*(${V} - env.EK)`, { unit: 'uA/cm^2' });
}

export const LEAK_PARAMS: ParamTable = {
  gK: assume(0.04, 'mS/cm^2', 'K⁺ part of the resting conductance (input resistance of a compact CA1 soma, ≈ 20 kΩ·cm² total specific resistance)', { bounds: NONNEG }),
  gNa: assume(0.009, 'mS/cm^2', 'Na⁺ part of the resting conductance: with gK it puts the resting potential near −65 mV and makes it follow extracellular K⁺ (K⁺ depolarisation protocols)', { bounds: NONNEG }),
};

/** Leak current with K⁺ and Na⁺ parts, so the resting potential follows E_K. */
export function leak(b: ModelBuilder, o: CurrentOptions & { table?: ParamTable } = {}): void {
  const c = b.component('leak');
  declareParams(c, o.table ?? LEAK_PARAMS, o.overrides, o.used);
  const V = o.v ?? 'mem.V';
  c.assigned('I', `gK*(${V} - env.EK) + gNa*(${V} - env.ENa)`, { unit: 'uA/cm^2' });
}
