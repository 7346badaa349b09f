/**
 * The membrane, the environment and the stimulus inputs.
 *
 * `env` holds the bath: temperature (°C), extracellular Ca²⁺, Ba²⁺, K⁺ and Na⁺ (mM) and the
 * Nernst potentials computed from them (E_K follows K⁺ depolarisation).
 *
 * `mem` holds the membrane potential `mem.V` (mV). In current clamp it is a state,
 * C·dV/dt = I_stim − Σ I_ion; in voltage clamp it is an assigned quantity, a piecewise-linear
 * function of time whose break points and levels are parameters (so a whole step family runs
 * on one compiled model), and `mem.I_m` is the clamp current.
 *
 * Stimulus parameters live in `stim` and are written by the protocols layer:
 * - voltage clamp with S segments: `stim.v0..v{S-1}` (level at the segment start, mV),
 *   `stim.s0..s{S-1}` (slope, mV/ms), `stim.t1..t{S-1}` (segment starts, ms; segment 0 starts
 *   at −∞);
 * - current clamp: steps `stim.step{k}_start`, `_dur` (ms), `_amp` (nA) and trains
 *   `stim.train{k}_start`, `_period`, `_width` (ms), `_count`, `_amp` (nA).
 */
import type { ModelBuilder } from '../model/builder.js';
import { type ParamSpec, type ParamTable, type Overrides, assume, declareParams, src, NONNEG, POSITIVE } from './params.js';
import { BiologyError } from './errors.js';

/** The shape of the stimulus a model is compiled for (values come later, as parameters). */
export interface InputStructure {
  readonly clamp: 'voltage' | 'current';
  /** Voltage clamp: number of piecewise-linear segments (≥ 1). */
  readonly segments?: number;
  /** Current clamp: number of current steps. */
  readonly steps?: number;
  /** Current clamp: number of pulse trains. */
  readonly trains?: number;
}

/** Bath values every context must give (with their own provenance). */
export type EnvTable = ParamTable & { readonly celsius: ParamSpec; readonly Ca_o: ParamSpec; readonly Ba_o: ParamSpec; readonly K_o: ParamSpec };

const ENV_BASE: ParamTable = {
  K_i: assume(140, 'mM', 'typical intracellular K⁺ of mammalian neurons', { bounds: POSITIVE }),
  Na_o: assume(145, 'mM', 'typical extracellular Na⁺ (ACSF / culture medium)', { bounds: POSITIVE }),
  Na_i: assume(10, 'mM', 'typical intracellular Na⁺', { bounds: POSITIVE }),
  pba_pca: assume(1, 'dimensionless', 'Ba²⁺ and Ca²⁺ given equal GHK permeability through Cav channels (only relative Ba²⁺ currents are compared with data)', { bounds: NONNEG }),
};

/** Declares `env` with the context's bath (see module comment). */
export function environment(b: ModelBuilder, table: EnvTable, overrides?: Overrides, used?: Set<string>): void {
  const c = b.component('env');
  declareParams(c, { ...table, ...ENV_BASE }, overrides, used);
  c.assigned('RTF', '8.314462618*(celsius + 273.15)/96.48533212', { unit: 'mV', description: 'RT/F' });
  c.assigned('EK', 'RTF*ln(K_o/K_i)', { unit: 'mV', description: 'K⁺ Nernst potential' });
  c.assigned('ENa', 'RTF*ln(Na_o/Na_i)', { unit: 'mV', description: 'Na⁺ Nernst potential' });
}

export const MEMBRANE_PARAMS: ParamTable = {
  cm: src(1, 'uF/cm^2', 'specific membrane capacitance of neuronal membrane used in the Poirazi et al. 2003 CA1 model (cm = 1 µF/cm²)', { bounds: POSITIVE }),
  area: assume(1.26e-5, 'cm^2', 'membrane area of a 20 µm diameter soma (4πr²), used to convert nA ↔ µA/cm² and µA/cm² ↔ pA', { bounds: POSITIVE }),
  v0: assume(-65, 'mV', 'starting potential before the cell settles to its own rest', {}),
};

export interface MembraneOptions {
  input: InputStructure;
  /** Symbols of the ionic current densities (µA/cm², outward positive) summed on the membrane. */
  currents: readonly string[];
  overrides?: Overrides;
  used?: Set<string>;
  table?: ParamTable;
}

const checkCount = (n: number | undefined, field: string, min: number): number => {
  const v = n ?? 0;
  if (!Number.isInteger(v) || v < min || v > 10_000) throw new BiologyError(`must be an integer in [${min}, 10000], got ${String(n)}`, field);
  return v;
};

/** Declares `stim` and `mem` (see module comment). */
export function membrane(b: ModelBuilder, o: MembraneOptions): void {
  const m = b.component('mem');
  declareParams(m, o.table ?? MEMBRANE_PARAMS, o.overrides, o.used);
  const s = b.component('stim');
  const iSum = o.currents.length ? o.currents.join(' + ') : '0';
  if (o.input.clamp === 'voltage') {
    const S = checkCount(o.input.segments, 'input.segments', 1);
    for (let k = 0; k < S; k++) {
      s.parameter(`v${k}`, -80, { unit: 'mV', assumption: 'set by the protocol' });
      s.parameter(`s${k}`, 0, { unit: 'mV/ms', assumption: 'set by the protocol' });
      if (k > 0) s.parameter(`t${k}`, 1e9 + k, { unit: 'ms', assumption: 'set by the protocol' });
    }
    // piecewise(v_{S-1}(t), time >= t_{S-1}, …, v_1(t), time >= t_1, v_0 + s_0·time)
    const seg = (k: number): string => (k === 0 ? 'stim.v0 + stim.s0*time' : `stim.v${k} + stim.s${k}*(time - stim.t${k})`);
    const parts: string[] = [];
    for (let k = S - 1; k >= 1; k--) parts.push(seg(k), `time >= stim.t${k}`);
    parts.push(seg(0));
    m.assigned('V', parts.length === 1 ? parts[0] : `piecewise(${parts.join(', ')})`, { unit: 'mV', description: 'clamped membrane potential' });
    m.assigned('I_m', iSum, { unit: 'uA/cm^2', description: 'clamp current density (= sum of ionic currents)' });
    m.assigned('I_pA', 'I_m*area*1e6', { unit: 'pA', description: 'whole-cell clamp current' });
    m.assigned('I_stim', '0', { unit: 'uA/cm^2' });
  } else if (o.input.clamp === 'current') {
    const nS = checkCount(o.input.steps, 'input.steps', 0);
    const nT = checkCount(o.input.trains, 'input.trains', 0);
    const terms: string[] = [];
    for (let k = 0; k < nS; k++) {
      s.parameter(`step${k}_start`, 0, { unit: 'ms', assumption: 'set by the protocol' });
      s.parameter(`step${k}_dur`, 0, { unit: 'ms', assumption: 'set by the protocol' });
      s.parameter(`step${k}_amp`, 0, { unit: 'nA', assumption: 'set by the protocol' });
      terms.push(`stim.step${k}_amp*(time >= stim.step${k}_start)*(time < stim.step${k}_start + stim.step${k}_dur)`);
    }
    for (let k = 0; k < nT; k++) {
      for (const [p, u] of [['start', 'ms'], ['period', 'ms'], ['width', 'ms'], ['count', 'dimensionless'], ['amp', 'nA']] as const) {
        s.parameter(`train${k}_${p}`, p === 'period' ? 1 : 0, { unit: u, assumption: 'set by the protocol' });
      }
      const t = `stim.train${k}`;
      terms.push(`${t}_amp*(time >= ${t}_start)*(time < ${t}_start + ${t}_count*${t}_period)*(rem(time - ${t}_start, ${t}_period) < ${t}_width)`);
    }
    // nA → µA/cm²: 1e-3 µA/nA ÷ area (cm²)
    m.assigned('I_stim', terms.length ? `(${terms.join(' + ')})*1e-3/area` : '0', { unit: 'uA/cm^2', description: 'injected current density' });
    // V spans about 100 mV: its absolute tolerance is scaled to that, so that near 0 mV (on every
    // spike) it is not held to the tolerance of a fraction of order 1.
    m.state('V', { initial: 'v0', rate: `(I_stim - (${iSum}))/cm`, unit: 'mV', description: 'membrane potential', atolScale: 100 });
    m.assigned('I_m', iSum, { unit: 'uA/cm^2', description: 'sum of ionic currents' });
  } else {
    throw new BiologyError(`unknown clamp '${String((o.input as { clamp: unknown }).clamp)}' (expected voltage or current)`, 'input.clamp');
  }
}
