/**
 * Oral pharmacokinetics: one- and two-compartment models with first-order absorption after a
 * lag time, bioavailability F, clearance CL, volumes, intercompartmental clearance Q, plasma
 * free fraction fu, brain partitioning Kp,uu and an optional effect-site compartment (ke0).
 *
 *   gut:         dA_g/dt = −ka·A_g                       (each dose adds F·D at t_dose + t_lag)
 *   central:     dA_c/dt =  ka·A_g − (CL + Q)/V1·A_c + Q/V2·A_p
 *   peripheral:  dA_p/dt =  Q/V1·A_c − Q/V2·A_p
 *   effect site: dC_e/dt =  ke0·(A_c/V1 − C_e)
 *
 * The system is linear with constant coefficients, so it is propagated exactly between doses
 * with the matrix exponential (no step-size error), and the steady state of a repeated regimen
 * is solved for directly: the pre-dose state x satisfies x = E(τ)·x + E(τ − t_lag)·d.
 *
 * Concentrations: plasma total C = A_c/V1; free plasma C_u = fu·C; free brain C_b,u = Kp,uu·C_u
 * (or Kp,uu·fu·C_e when an effect site is given). The free brain concentration is what binds
 * the channels in the cell model.
 */
import type { PkRecord } from './compound-schema.js';
import { expm, matVec, solveLinear } from './linalg.js';
import { PharmacologyError, valueIn, type Quantity } from './quantity.js';
import { doseEvents, type Regimen } from './regimen.js';

/** PK parameters in working units: h, L, mg, L/h. */
export interface PkParameters {
  readonly model: 'one-compartment' | 'two-compartment';
  /** Bioavailability (fraction). */
  readonly F: number;
  /** Absorption rate constant (1/h). */
  readonly ka: number;
  /** Absorption lag (h). */
  readonly tlag: number;
  /** Clearance (L/h). */
  readonly CL: number;
  /** Central volume (L). */
  readonly V1: number;
  /** Intercompartmental clearance (L/h); 0 for one compartment. */
  readonly Q: number;
  /** Peripheral volume (L); 0 for one compartment. */
  readonly V2: number;
  /** Plasma free fraction. */
  readonly fu: number;
  /** Unbound brain-to-plasma partition coefficient. */
  readonly kpuu: number;
  /** Effect-site rate constant (1/h), if any. */
  readonly ke0?: number;
  /** Molecular weight (g/mol) for molar concentrations. */
  readonly mw: number;
}

const perKgOrAbsolute = (q: Quantity, absolute: string, perKg: string, bw: number, field: string): number => {
  try {
    return valueIn(q, absolute, field);
  } catch {
    try {
      return valueIn(q, perKg, field) * bw;
    } catch {
      throw new PharmacologyError(`unit '${q.unit}' is neither ${absolute} nor ${perKg}`, field);
    }
  }
};

/** Converts a PK record (with units) into working parameters; `field` prefixes error messages. */
export function pkParameters(rec: PkRecord, mw_g_per_mol: number, field = 'pk'): PkParameters {
  const bw = valueIn(rec.bodyWeight, 'kg', `${field}.bodyWeight`);
  const two = rec.model === 'two-compartment';
  const p: PkParameters = {
    model: rec.model,
    F: valueIn(rec.bioavailability, 'dimensionless', `${field}.bioavailability`),
    ka: valueIn(rec.absorptionRate, '1/h', `${field}.absorptionRate`),
    tlag: valueIn(rec.lagTime, 'h', `${field}.lagTime`),
    CL: perKgOrAbsolute(rec.clearance, 'L/h', 'L/h/kg', bw, `${field}.clearance`),
    V1: perKgOrAbsolute(rec.centralVolume, 'L', 'L/kg', bw, `${field}.centralVolume`),
    Q: two ? perKgOrAbsolute(rec.intercompartmentalClearance!, 'L/h', 'L/h/kg', bw, `${field}.intercompartmentalClearance`) : 0,
    V2: two ? perKgOrAbsolute(rec.peripheralVolume!, 'L', 'L/kg', bw, `${field}.peripheralVolume`) : 0,
    fu: valueIn(rec.fractionUnbound, 'dimensionless', `${field}.fractionUnbound`),
    kpuu: valueIn(rec.kpuu, 'dimensionless', `${field}.kpuu`),
    ...(rec.ke0 ? { ke0: valueIn(rec.ke0, '1/h', `${field}.ke0`) } : {}),
    mw: mw_g_per_mol,
  };
  checkPk(p);
  return p;
}

/** @throws PharmacologyError naming the parameter that is missing, negative or not finite. */
export function checkPk(p: PkParameters): void {
  const positive: (keyof PkParameters)[] = ['ka', 'CL', 'V1', 'mw', 'kpuu'];
  for (const k of positive) {
    const v = p[k] as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new PharmacologyError(`must be a positive number, got ${String(v)}`, `pk.${k}`);
  }
  for (const k of ['F', 'fu'] as const) {
    if (!(p[k] > 0 && p[k] <= 1)) throw new PharmacologyError(`must be a fraction in (0, 1], got ${String(p[k])}`, `pk.${k}`);
  }
  if (!(p.tlag >= 0) || !Number.isFinite(p.tlag)) throw new PharmacologyError(`must be a non-negative number of hours, got ${String(p.tlag)}`, 'pk.tlag');
  if (p.model === 'two-compartment') {
    for (const k of ['Q', 'V2'] as const) if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new PharmacologyError(`must be positive for the two-compartment model, got ${String(p[k])}`, `pk.${k}`);
  }
  if (p.ke0 !== undefined && (!(p.ke0 > 0) || !Number.isFinite(p.ke0))) throw new PharmacologyError(`must be positive, got ${String(p.ke0)}`, 'pk.ke0');
}

/** State vector layout: [gut (mg), central (mg), peripheral (mg), effect site (mg/L)]. */
const NX = 4;

/** The system matrix M (dx/dt = M·x) in row-major order. */
function systemMatrix(p: PkParameters): Float64Array {
  const m = new Float64Array(NX * NX);
  const k10 = p.CL / p.V1;
  const k12 = p.Q / p.V1;
  const k21 = p.V2 > 0 ? p.Q / p.V2 : 0;
  m[0] = -p.ka;
  m[1 * NX + 0] = p.ka;
  m[1 * NX + 1] = -(k10 + k12);
  m[1 * NX + 2] = k21;
  m[2 * NX + 1] = k12;
  m[2 * NX + 2] = -k21;
  // Without an effect site the last state is unused; a unit decay keeps I − E(τ) regular.
  const ke0 = p.ke0 ?? 1;
  m[3 * NX + 1] = p.ke0 !== undefined ? ke0 / p.V1 : 0;
  m[3 * NX + 3] = -ke0;
  return m;
}

/** Concentration time courses on a time grid. Mass concentrations in µg/L (= ng/mL), molar in nM. */
export interface PkProfile {
  /** Hours after the start of the regimen. */
  readonly t_h: Float64Array;
  /** Total plasma concentration (µg/L). */
  readonly plasma_ug_per_L: Float64Array;
  /** Free plasma concentration (nM). */
  readonly plasmaFree_nM: Float64Array;
  /** Free brain concentration (nM): the concentration that binds the channels. */
  readonly brainFree_nM: Float64Array;
}

/** µg/L → nM for molecular weight `mw` (g/mol): 1 µg/L = 1/mw µmol/m³ = 1000/mw nM. */
export const ugPerLToNM = (mw: number): number => 1000 / mw;

class Propagator {
  private readonly cache = new Map<number, Float64Array>();
  constructor(private readonly m: Float64Array) {}
  /** exp(M·dt), cached by dt (uniform grids reuse one matrix). */
  get(dt: number): Float64Array {
    let e = this.cache.get(dt);
    if (!e) {
      const a = new Float64Array(NX * NX);
      for (let i = 0; i < a.length; i++) a[i] = this.m[i] * dt;
      e = expm(NX, a);
      if (this.cache.size > 256) this.cache.clear();
      this.cache.set(dt, e);
    }
    return e;
  }
  advance(x: Float64Array, dt: number): void {
    if (dt <= 0) return;
    x.set(matVec(NX, this.get(dt), x));
  }
}

/** Options for {@link simulatePk}. */
export interface PkSimulationOptions {
  /** Output times (h, ascending). */
  readonly times_h: ArrayLike<number>;
  /** State at t = 0 (default: drug-free). */
  readonly x0?: Float64Array;
}

/**
 * Concentrations after a regimen, at the requested times.
 * @throws PharmacologyError for bad regimens (see `doseEvents`) or unordered output times.
 */
export function simulatePk(p: PkParameters, regimen: Regimen, opts: PkSimulationOptions): PkProfile {
  checkPk(p);
  const times = Array.from(opts.times_h);
  times.forEach((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new PharmacologyError(`output time must be a number, got ${String(t)}`, `times_h[${i}]`);
    if (i > 0 && t < times[i - 1]) throw new PharmacologyError('output times must be ascending', `times_h[${i}]`);
  });
  const arrivals = doseEvents(regimen).map((d) => ({ t: d.time_h + p.tlag, amount: p.F * d.dose_mg }));
  const prop = new Propagator(systemMatrix(p));
  const x = opts.x0 ? Float64Array.from(opts.x0) : new Float64Array(NX);
  let t = 0;
  let k = 0;
  const n = times.length;
  const plasma = new Float64Array(n);
  const free = new Float64Array(n);
  const brain = new Float64Array(n);
  const toNM = ugPerLToNM(p.mw);
  times.forEach((tOut, i) => {
    while (k < arrivals.length && arrivals[k].t <= tOut) {
      prop.advance(x, arrivals[k].t - t);
      t = arrivals[k].t;
      x[0] += arrivals[k].amount;
      k++;
    }
    prop.advance(x, tOut - t);
    t = Math.max(t, tOut);
    // mg/L → µg/L
    const c = (x[1] / p.V1) * 1000;
    plasma[i] = c;
    free[i] = p.fu * c * toNM;
    const cBrainDriver = p.ke0 !== undefined ? x[3] * 1000 : c;
    brain[i] = p.kpuu * p.fu * cBrainDriver * toNM;
  });
  return { t_h: Float64Array.from(times), plasma_ug_per_L: plasma, plasmaFree_nM: free, brainFree_nM: brain };
}

/** Evenly spaced times from a to b inclusive. */
export function grid(a: number, b: number, n: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
}

/**
 * Steady state of `dose_mg` every `interval_h`: the concentration profile over one dosing
 * interval (t = 0 at a dose), solved directly rather than by dosing until nothing changes.
 */
export function steadyStatePk(p: PkParameters, dose_mg: number, interval_h: number, nPoints = 96): PkProfile {
  checkPk(p);
  if (!(dose_mg > 0) || !Number.isFinite(dose_mg)) throw new PharmacologyError(`must be a positive number of mg, got ${String(dose_mg)}`, 'dose_mg');
  if (!(interval_h > 0) || !Number.isFinite(interval_h)) throw new PharmacologyError(`must be a positive number of hours, got ${String(interval_h)}`, 'interval_h');
  if (p.tlag >= interval_h) throw new PharmacologyError(`the absorption lag (${p.tlag} h) must be shorter than the dosing interval`, 'interval_h');
  const prop = new Propagator(systemMatrix(p));
  const E = prop.get(interval_h);
  // x_pre = E·x_pre + E(τ − tlag)·d  ⇒  (I − E)·x_pre = E(τ − tlag)·d
  const d = new Float64Array(NX);
  d[0] = p.F * dose_mg;
  const rhs = matVec(NX, prop.get(interval_h - p.tlag), d);
  const A = new Float64Array(NX * NX);
  for (let i = 0; i < NX; i++) for (let j = 0; j < NX; j++) A[i * NX + j] = (i === j ? 1 : 0) - E[i * NX + j];
  const xPre = solveLinear(NX, A, rhs);
  return simulatePk(p, { kind: 'single', dose_mg, time_h: 0 }, { times_h: grid(0, interval_h, nPoints), x0: xPre });
}

/** Summary figures of a profile. */
export interface PkSummary {
  readonly cmax_ug_per_L: number;
  readonly tmax_h: number;
  readonly cmin_ug_per_L: number;
  /** Trapezoidal AUC over the profile (µg·h/L). */
  readonly auc_ug_h_per_L: number;
}

export function summarizePk(prof: PkProfile): PkSummary {
  const c = prof.plasma_ug_per_L;
  const t = prof.t_h;
  let iMax = 0;
  let cmin = Infinity;
  let auc = 0;
  for (let i = 0; i < c.length; i++) {
    if (c[i] > c[iMax]) iMax = i;
    cmin = Math.min(cmin, c[i]);
    if (i > 0) auc += 0.5 * (c[i] + c[i - 1]) * (t[i] - t[i - 1]);
  }
  return { cmax_ug_per_L: c[iMax], tmax_h: t[iMax], cmin_ug_per_L: cmin, auc_ug_h_per_L: auc };
}

/**
 * Disposition rate constants of the two-compartment model: the fast (α) and slow, terminal (β)
 * exponents (1/h), roots of λ² − (k10 + k12 + k21)·λ + k10·k21 = 0. For one compartment β = CL/V1.
 */
export function dispositionRates(p: PkParameters): { alpha: number; beta: number } {
  const k10 = p.CL / p.V1;
  if (p.model === 'one-compartment') return { alpha: k10, beta: k10 };
  const k12 = p.Q / p.V1;
  const k21 = p.Q / p.V2;
  const s = k10 + k12 + k21;
  const disc = Math.sqrt(s * s - 4 * k10 * k21);
  return { alpha: (s + disc) / 2, beta: (s - disc) / 2 };
}
