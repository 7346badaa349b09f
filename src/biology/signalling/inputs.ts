/**
 * Where the signalling reads Ca²⁺ and L-type channel activity.
 *
 * The signalling needs four inputs (formulas over the model's global names):
 * - `open`: fraction of time an L-type channel of the CaMKII-tethering cluster is open,
 *   counting only functional, drug-free channels (gating block and fewer channels lower it);
 * - `sub`: submembrane Ca²⁺ around the channel complex (µM);
 * - `cyt`: bulk cytosolic Ca²⁺ (µM);
 * - `nuc`: nuclear Ca²⁺ (µM).
 *
 * Two sources are provided:
 * - {@link ca1Inputs}: the CA1 cell of the biology layer (`cav12`, `cav13`, `ca.*` pools);
 * - {@link prescribedInputs}: a small stand-alone component `sig.input` that turns a
 *   depolarisation window into L-type openings and Ca²⁺ transients, for fast tests of the
 *   signalling and for runs without the cell. Its numbers are assumptions read off the biology
 *   layer's channel models, not measurements.
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, NONNEG, POSITIVE, assume, declareParams, src } from '../params.js';
import { sec } from './units.js';

/** The four inputs of the signalling (see module comment). */
export interface SignallingInputs {
  readonly open: string;
  readonly sub: string;
  readonly cyt: string;
  readonly nuc: string;
}

/** Share of brain DHP-binding L-type channels that are Cav1.3 (Sinnegger-Brauns et al. 2009). */
export const CAV13_SHARE = 0.107;

/**
 * Inputs from the CA1 cell: open fraction = channel-count-weighted `scale·Po` of Cav1.2 and
 * Cav1.3 (90/10, Sinnegger-Brauns et al. 2009); Ca²⁺ from `ca.shell`, `ca.cyt`, `ca.nuc`.
 * `scale` is the functional channel density, so a plain DHP block applied through it removes
 * openings; a drug-bound (non-conducting) Markov state lowers `Po` itself.
 */
export function ca1Inputs(opts: { cav12?: string; cav13?: string; pools?: string } = {}): SignallingInputs {
  const c12 = opts.cav12 ?? 'cav12';
  const c13 = opts.cav13 ?? 'cav13';
  const ca = opts.pools ?? 'ca';
  return {
    open: `${1 - CAV13_SHARE}*${c12}.scale*${c12}.Po + ${CAV13_SHARE}*${c13}.scale*${c13}.Po`,
    sub: `${ca}.shell`,
    cyt: `${ca}.cyt`,
    nuc: `${ca}.nuc`,
  };
}

const CELL = 'read off the young ca1 cell of the biology layer in 40 mM K⁺ (membrane ≈ −25 mV)';

/**
 * Parameters of the prescribed (stand-alone) input. The depolarisation mimics the young ca1 cell
 * of the biology layer in 40 mM K⁺, so experiments on the stand-alone signalling and on the cell
 * see similar inputs.
 */
export const PRESCRIBED_INPUT_PARAMS: ParamTable = {
  ca_rest: src(0.045, 'uM', 'resting Ca²⁺ inside the CA1 range 32–59 nM (Maravall et al. 2000 Biophys J 78:2655)', { bounds: NONNEG }),
  open_rest: assume(1e-5, 'dimensionless', `L-type open fraction at rest (≈ −70 mV; Cav1.3 Po ≈ 1e-5 × 10 % share plus Cav1.2); ${CELL.replace(' in 40 mM K⁺ (membrane ≈ −25 mV)', ' at rest')}`, { bounds: [0, 1] }),
  open_dep: assume(0.03, 'dimensionless', `L-type open fraction at the start of a K⁺ depolarisation: Cav1.3 Po ≈ 0.28 × 10.7 % share, Cav1.2 negligible; ${CELL}`, { bounds: [0, 1] }),
  open_scale: assume(1, 'dimensionless', 'functional (drug-free) L-type channels relative to control: a plain DHP gating block lowers it', { bounds: [0, 1] }),
  inact: assume(0.1, 'dimensionless', `fraction of the opening rate lost to inactivation during a sustained depolarisation (Cav1.3 Po 0.29 → 0.26 over 3 min; ${CELL})`, { bounds: [0, 1] }),
  tau_inact: assume(sec(60), 'ms', `time course of that inactivation; ${CELL}`, { bounds: POSITIVE }),
  dep_on: assume(1e12, 'ms', 'start of the depolarisation window (set by protocols; default never)', { bounds: NONNEG }),
  dep_dur: assume(0, 'ms', 'duration of the depolarisation window (set by protocols)', { bounds: NONNEG }),
  ca_dep: assume(3, 'uM', `bulk Ca²⁺ plateau that the unblocked depolarisation influx sustains (≈2.9 µM after 3 min; ${CELL}); neuronal measurements under this protocol were not found`, { bounds: NONNEG }),
  l_share: assume(0.98, 'dimensionless', `share of the depolarisation Ca²⁺ influx through L-type channels (Cav2 inactivates at −25 mV; ${CELL})`, { bounds: [0, 1] }),
  tau_cyt: assume(sec(45), 'ms', `bulk Ca²⁺ approaches its plateau over about a minute (buffering and extrusion; ${CELL})`, { bounds: POSITIVE }),
  tau_nuc: assume(sec(1), 'ms', 'nuclear Ca²⁺ follows cytosolic Ca²⁺ within about a second', { bounds: POSITIVE }),
};

/**
 * Declares `<ns>` (default `sig.input`) and returns its inputs. `poreScale` names the unitary
 * current scale (the signalling's `pore_scale`), which also scales the L-type Ca²⁺ influx.
 */
export function prescribedInputs(b: ModelBuilder, ns: string, poreScale: string, overrides?: Overrides, used?: Set<string>): SignallingInputs {
  const c = b.component(ns);
  declareParams(c, PRESCRIBED_INPUT_PARAMS, overrides, used);
  c.assigned('dep', '(time >= dep_on)*(time < dep_on + dep_dur)', { unit: 'dimensionless', description: '1 inside the depolarisation window' });
  c.assigned('prof', 'dep*(1 - inact + inact*exp(-max(0, time - dep_on)/tau_inact))', { unit: 'dimensionless', description: 'activity profile of the depolarisation (inactivating)' });
  c.assigned('open', 'open_rest + open_scale*open_dep*prof', { unit: 'dimensionless', description: 'L-type open fraction' });
  c.assigned('influx', `(l_share*${poreScale}*open_scale + 1 - l_share)*prof`, { unit: 'dimensionless', description: 'Ca²⁺ influx relative to the unblocked onset' });
  c.state('cyt', { initial: 'ca_rest', rate: '(ca_rest + ca_dep*influx - cyt)/tau_cyt', unit: 'uM', description: 'bulk cytosolic Ca²⁺' });
  c.state('nuc', { initial: 'ca_rest', rate: '(cyt - nuc)/tau_nuc', unit: 'uM', description: 'nuclear Ca²⁺' });
  return { open: `${ns}.open`, sub: `${ns}.cyt`, cyt: `${ns}.cyt`, nuc: `${ns}.nuc` };
}
