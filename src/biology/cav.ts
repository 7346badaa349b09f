/**
 * L-type Ca²⁺ channels Cav1.2 and Cav1.3, and the DHP-insensitive high-voltage-activated Ca²⁺
 * channel (Cav2, N/P/Q/R-type lumped), as Markov components with GHK permeation.
 *
 * Each channel component `<name>` declares:
 * - reads: `mem.V` (mV), `env.celsius`, `env.Ca_o`, `env.Ba_o` (mM), the Ca²⁺ concentration that
 *   drives Ca²⁺/calmodulin-dependent inactivation (`ca.nano` in cells, µM);
 * - writes: `<name>.I` (µA/cm², inward negative) and `<name>.I_Ca` (the part carried by Ca²⁺,
 *   which the calcium pools take as influx);
 * - exposes: the scheme states, `<name>.Po`, `<name>.P_resting`, `<name>.P_open`,
 *   `<name>.P_inactivated`.
 *
 * Parameter sets: `neuronal` (native CA1 conditions, 2 mM Ca²⁺, physiological temperature),
 * `heterologous` (tsA-201/HEK293 expression with β3/α2δ1, 15–20 mM Ba²⁺, 22 °C) and, for Cav1.2
 * only, `cardiac` (the gating of canine ventricular myocytes, the preparation of Bean 1984).
 */
import type { ModelBuilder } from '../model/builder.js';
import { type ParamTable, type Overrides, assume, declareParams, src, NONNEG, POSITIVE } from './params.js';
import { type MarkovScheme, addScheme, gatedCavScheme } from './markov.js';
import { efun, ghkCurrent } from './ghk.js';
import { BiologyError } from './errors.js';

const WOLF13 = 'Wolf et al. 2005 (ModelDB 112834), CaL13.mod';
const WOLF12 = 'Wolf et al. 2005 (ModelDB 112834), caLPS.mod';
const KASAI = 'Kasai & Neher 1992 fig 15, as used in Wolf et al. 2005 (ModelDB 112834) CaL13.mod/caLPS.mod';
const KOSCHAK = 'Koschak et al. 2001 JBC 276:22100 (abstract)';
const FOX = 'Fox, McHarg & Gilmour 2002 Am J Physiol Heart Circ Physiol 282:H516, canine ventricular myocyte model (CellML in Chaste/Chaste heart/src/odes/cellml/FoxModel2002.cellml; MATLAB in meeravarshneya1234/ventricular_myocyte_models dydt_Fox.m)';
const WINSLOW = 'Winslow et al. 1999 Circ Res 84:571, canine ventricular myocyte model (CellML in ComputationalPhysiology/gotran tests/input/winslow_rice_jafri_marban_ororke_1999.cellml, component L_type_Ca_current_y_gate)';

/** Shared activation-kinetics parameters (τm of Kasai & Neher 1992). */
const kasai = (tscale: ReturnType<typeof src>): ParamTable => ({
  vm: src(-8.124, 'mV', KASAI),
  k: src(9.005, 'mV', KASAI),
  kpr: src(31.4, 'mV', KASAI),
  c: src(0.0398, '1/(ms*mV)', KASAI),
  cpr: src(0.99, '1/ms', KASAI),
  tscale,
  tref: src(22, 'degC', 'Wolf et al. 2005 CaL13.mod comment: m and h recorded at 22 °C', { description: 'reference temperature of the kinetics (°C)' }),
  q10: src(2.33, 'dimensionless', 'derived: Wolf et al. 2005 CaL13.mod qfact 3 for 22 → 35 °C gives Q10 = 3^(10/13) = 2.33', { bounds: [1, 10] }),
});

const cdiParams: ParamTable = {
  K_cdi: assume(20, 'uM', 'half-inactivation by nanodomain Ca²⁺ (which reaches ≈100 µM during a spike): CDI builds up over a train rather than saturating at the first spike. Jaffe et al. 1994 / Migliore 1995 lca.mod use ki = 1 µM, but for the bulk Ca²⁺ of a shell; neuronal CDI parameters were not found', { bounds: POSITIVE }),
  tau_cdi: assume(10, 'ms', 'Bell et al. 2001 report rapid inactivation in Ca²⁺ without a number retrievable here; 10 ms makes CDI act within a spike train, not within one spike', { bounds: POSITIVE }),
};

/** Parameter sets of a channel: `cardiac` exists for Cav1.2 only. */
export type CavSetting = 'neuronal' | 'heterologous' | 'cardiac';

/** Parameter sets by channel and setting. */
export const CAV_PARAMS: {
  readonly cav13: Readonly<Record<'neuronal' | 'heterologous', ParamTable>>;
  readonly cav12: Readonly<Record<CavSetting, ParamTable>>;
} = {
  cav13: {
    neuronal: {
      pbar: assume(3.3e-6, 'cm/s', 'calibrated: total L-type permeability set so that a single action potential raises submembrane Ca²⁺ by 178–312 nM (Maravall et al. 2000) with Cav1.3 ≈ 10 % of L-type channels (Sinnegger-Brauns et al. 2009); Wolf et al. 2005 CaL13.mod uses 1.7e-6 in MSNs', { bounds: NONNEG }),
      mvhalf: src(-33, 'mV', `${WOLF13} (matched to Xu & Lipscombe 2001 fig 1D)`),
      mslope: src(6.7, 'mV', `${WOLF13} (Churchill & MacVicar 1998 fig 5)`, { bounds: POSITIVE }),
      ...kasai(src(1, 'dimensionless', WOLF13, { description: 'scale of τm relative to Kasai & Neher 1992', bounds: POSITIVE })),
      hvhalf: src(-13.4, 'mV', `${WOLF13} (Bell et al. 2001 fig 2)`),
      hslope: src(11.9, 'mV', `${WOLF13} (Bell et al. 2001 fig 2)`, { bounds: POSITIVE }),
      htau: src(44.3, 'ms', `${WOLF13} (Bell et al. 2001 p. 819)`, { bounds: POSITIVE }),
      ...cdiParams,
    },
    heterologous: {
      pbar: assume(2e-5, 'cm/s', 'expression level of a typical transfected cell (only relative currents are compared with data)', { bounds: NONNEG }),
      mvhalf: src(-33, 'mV', `${WOLF13} (matched to Xu & Lipscombe 2001 fig 1D)`),
      mslope: src(6.7, 'mV', `${WOLF13} (Churchill & MacVicar 1998 fig 5)`, { bounds: POSITIVE }),
      ...kasai(src(1, 'dimensionless', WOLF13, { description: 'scale of τm relative to Kasai & Neher 1992', bounds: POSITIVE })),
      hvhalf: assume(-44, 'mV', `calibrated: places steady-state voltage-dependent inactivation so that ≈90 % of the peak Ba²⁺ current inactivates in 5 s at the peak voltage (${KOSCHAK}); slope from Bell et al. 2001 fig 2`),
      hslope: src(11.9, 'mV', `${WOLF13} (Bell et al. 2001 fig 2)`, { bounds: POSITIVE }),
      htau: assume(600, 'ms', `slow voltage-dependent inactivation in Ba²⁺ (Bell et al. 2001: little inactivation in Ba²⁺; ${KOSCHAK}: 90 % after 5 s, so τ ≪ 5 s)`, { bounds: POSITIVE }),
      ...cdiParams,
    },
  },
  cav12: {
    neuronal: {
      pbar: assume(3e-5, 'cm/s', 'calibrated with Cav1.3 (see cav13.pbar): Cav1.2 ≈ 90 % of brain L-type channels (Sinnegger-Brauns et al. 2009); Wolf et al. 2005 caLPS.mod uses 6.7e-6', { bounds: NONNEG }),
      mvhalf: src(-8.9, 'mV', `${WOLF12} (Churchill & MacVicar 1998 fig 5)`),
      mslope: src(6.7, 'mV', `${WOLF12} (Churchill & MacVicar 1998 fig 5)`, { bounds: POSITIVE }),
      ...kasai(assume(2.6, 'dimensionless', `Cav1.2 activates ≈3× slower than Cav1.3 (${KOSCHAK}: τ_act 2.3 vs 0.8 ms); calibrated with the heterologous set`, { bounds: POSITIVE })),
      hvhalf: assume(-38, 'mV', `as the heterologous set (calibrated to ${KOSCHAK}: 99 % inactivation in 5 s)`),
      hslope: assume(8, 'mV', 'as the heterologous set'),
      htau: assume(300, 'ms', 'as the heterologous set, at 22 °C (scaled by q10)', { bounds: POSITIVE }),
      ...cdiParams,
    },
    heterologous: {
      pbar: assume(2e-5, 'cm/s', 'expression level of a typical transfected cell (only relative currents are compared with data)', { bounds: NONNEG }),
      mvhalf: assume(-20, 'mV', `calibrated: rabbit α1C in 15–20 mM Ba²⁺ has its 5 % activation threshold at −31.5 mV (${KOSCHAK}); the native value of Wolf et al. 2005 (−8.9 mV, NAc neurons) would put it at −21 mV`),
      mslope: src(6.7, 'mV', `${WOLF12} (Churchill & MacVicar 1998 fig 5)`, { bounds: POSITIVE }),
      ...kasai(assume(2.6, 'dimensionless', `calibrated: τ_act at the peak of the I–V is 2.3 ms for α1C vs 0.8 ms for α1D (${KOSCHAK}); Kasai & Neher τm alone gives ≈0.9 ms`, { bounds: POSITIVE })),
      hvhalf: assume(-38, 'mV', `calibrated: 99 % of the peak Ba²⁺ current inactivates in 5 s (${KOSCHAK})`),
      hslope: assume(8, 'mV', 'typical slope of L-type steady-state inactivation; no Cav1.2 value in the shared literature'),
      htau: assume(300, 'ms', `voltage-dependent inactivation of α1C in Ba²⁺ is faster than α1D (${KOSCHAK}: 99 % vs 90 % in 5 s)`, { bounds: POSITIVE }),
      ...cdiParams,
    },
    // Canine ventricular Cav1.2, the channel of Bean 1984 (nitrendipine block in dog ventricular
    // cells). No measured canine availability curve was retrieved, so the gating is taken from
    // the published canine ventricular cell models (model formulations, not a measurement): the
    // voltage-dependent inactivation gate f of Fox et al. 2002 (complete; the Ca²⁺-dependent part
    // is a separate gate, fCa, as CDI is separate here) and its activation gate d, mapped onto
    // the two-gate (m²) scheme.
    cardiac: {
      pbar: assume(2e-5, 'cm/s', 'as the heterologous set: only currents relative to the drug-free control are compared with data', { bounds: NONNEG }),
      mvhalf: src(-16.44, 'mV', `derived from ${FOX}: d∞ = 1/(1 + exp(−(V + 10)/6.24)); with mslope below, m∞² of the two-gate scheme has the same midpoint (−10 mV) as d∞: mvhalf = −10 − mslope·ln(1 + √2)`),
      mslope: src(7.31, 'mV', `derived from ${FOX}: d∞ slope 6.24 mV; the slope of m∞² at its midpoint, (√2 − 1)/√2/mslope, equals that of d∞, 1/(4·6.24) per mV`, { bounds: POSITIVE }),
      ...kasai(assume(2.6, 'dimensionless', 'activation kinetics as the heterologous Cav1.2 (α1C; no canine activation time constant is used); they do not enter the equilibrium block that the cardiac set is used for', { bounds: POSITIVE })),
      hvhalf: src(-12.5, 'mV', `${FOX}: f∞ = 1/(1 + exp((V + 12.5)/5)), the voltage-dependent inactivation gate; the same Boltzmann is the y gate of ${WINSLOW}, there on 80 % of the channels (20 % do not inactivate)`),
      hslope: src(5, 'mV', `${FOX}: f∞ slope; the same in ${WINSLOW}`, { bounds: POSITIVE }),
      htau: assume(52, 'ms', `${FOX} has τf = 30 + 200/(1 + exp((V + 20)/9.5)) ms, voltage-dependent; the scheme has one τ, taken at 0 mV (51.8 ms), near the peak of the I–V, without a temperature correction (the model's temperature differs between its published ports); it shapes the decay during a test pulse, not the equilibrium block`, { bounds: POSITIVE }),
      ...cdiParams,
    },
  },
};

export interface CavOptions {
  /** Parameter set (default 'neuronal'; 'cardiac' for Cav1.2 only). */
  setting?: CavSetting;
  /** Symbol of the membrane potential (default `mem.V`). */
  v?: string;
  /** Symbol of the Ca²⁺ concentration that drives CDI (µM; default `ca.nano`). */
  caCdi?: string;
  /** Symbol of intracellular Ca²⁺ at the pore for the GHK driving force (µM; default the same as caCdi). */
  caIn?: string;
  /** Scale of the permeability (aging presets, knock-outs); default 1. */
  scale?: number;
  /** Shift of all gating (mV), e.g. an expression-system offset; default 0. */
  shift?: number;
  /** Parameter overrides by path (`cav12.pbar`). */
  overrides?: Overrides;
  /** Records which overrides were used. */
  used?: Set<string>;
  /**
   * Transforms the kinetic scheme before it is declared: the hook through which the drug layer
   * adds drug-bound copies of states. Receives the gated scheme ({@link gatedCavScheme}).
   */
  scheme?: (s: MarkovScheme) => MarkovScheme;
  /** Extra parameters the transformed scheme needs (declared in the channel component). */
  schemeParams?: ParamTable;
}

/**
 * Declares an L-type channel component (`cav12` or `cav13`) in `b`; see the module comment for
 * what it reads and writes.
 */
export function lTypeChannel(b: ModelBuilder, isoform: 'cav12' | 'cav13', o: CavOptions = {}): void {
  const setting = o.setting ?? 'neuronal';
  const sets: Readonly<Partial<Record<CavSetting, ParamTable>>> = CAV_PARAMS[isoform];
  const table = Object.prototype.hasOwnProperty.call(sets, setting) ? sets[setting] : undefined;
  if (!table) throw new BiologyError(`unknown setting '${String(setting)}' (${isoform} has ${Object.keys(sets).join(', ')})`, `${isoform}.setting`);
  const c = b.component(isoform);
  declareParams(c, table, o.overrides, o.used);
  if (o.schemeParams) declareParams(c, o.schemeParams, o.overrides, o.used);
  const scale = o.scale ?? 1;
  if (!(scale >= 0 && Number.isFinite(scale))) throw new BiologyError(`scale must be a finite number ≥ 0, got ${scale}`, `${isoform}.scale`);
  c.parameter('scale', scale, { unit: 'dimensionless', bounds: [0, Infinity], assumption: 'density scale set by the context preset or a knock-out protocol (1 = control)' });
  c.parameter('shift', o.shift ?? 0, { unit: 'mV', assumption: 'gating offset of the expression system or context (0 = as measured)' });
  const V = o.v ?? 'mem.V';
  const caCdi = o.caCdi ?? 'ca.nano';
  const caIn = o.caIn ?? caCdi;
  c.assigned('qt', 'q10^((env.celsius - tref)/10)', { unit: 'dimensionless', description: 'temperature factor of the gating rates' });
  c.assigned('minf', `1/(1 + exp(-(${V} - mvhalf - shift)/mslope))`, { unit: 'dimensionless' });
  // Kasai & Neher's τm: c·(V − vm)/(exp((V − vm)/k) − 1) = c·k·efun((V − vm)/k), guarded at V = vm.
  c.assigned('tau_m', `tscale/(qt*(c*k*${efun(`(${V} - vm - shift)/k`)} + cpr*exp((${V} - shift)/kpr)))`, { unit: 'ms' });
  c.assigned('alpha', 'minf/tau_m', { unit: '1/ms' });
  c.assigned('beta', '(1 - minf)/tau_m', { unit: '1/ms' });
  c.assigned('hinf', `1/(1 + exp((${V} - hvhalf - shift)/hslope))`, { unit: 'dimensionless' });
  c.assigned('kv_on', '(1 - hinf)*qt/htau', { unit: '1/ms' });
  c.assigned('kv_off', 'hinf*qt/htau', { unit: '1/ms' });
  c.assigned('finf', `K_cdi/(K_cdi + ${caCdi})`, { unit: 'dimensionless' });
  c.assigned('kc_on', '(1 - finf)/tau_cdi', { unit: '1/ms' });
  c.assigned('kc_off', 'finf/tau_cdi', { unit: '1/ms' });
  const base = gatedCavScheme();
  addScheme(c, o.scheme ? o.scheme(base) : base);
  // GHK: Ca²⁺ and Ba²⁺ with equal permeability (assumption env.pba_pca).
  c.assigned('I_Ca', `scale*pbar*Po*${ghkCurrent(2, V, `1e-3*${caIn}`, 'env.Ca_o', 'env.celsius')}`, { unit: 'uA/cm^2', description: 'Ca²⁺ current density (inward negative)' });
  c.assigned('I_Ba', `scale*pbar*env.pba_pca*Po*${ghkCurrent(2, V, '0', 'env.Ba_o', 'env.celsius')}`, { unit: 'uA/cm^2', description: 'Ba²⁺ current density (inward negative)' });
  c.assigned('I', 'I_Ca + I_Ba', { unit: 'uA/cm^2', description: 'total current density through the channel' });
}

/** Non-L high-voltage-activated channel (Cav2: N/P/Q/R lumped; DHP-insensitive), m²h with GHK. */
export const CAV2_PARAMS: ParamTable = {
  pbar: assume(3.6e-5, 'cm/s', 'calibrated with the L-type permeabilities: non-L HVA channels carry about half of the spike-evoked Ca²⁺ entry in CA1 somata (assumption; Campbell et al. 1996 report that a part of the HVA current is nimodipine-sensitive without a fraction retrievable here)', { bounds: NONNEG }),
  mvhalf: assume(-5, 'mV', 'N/P/Q/R-type channels activate a few mV positive of Cav1.2 (no value in the shared literature)'),
  mslope: src(6.7, 'mV', 'Churchill & MacVicar 1998 fig 5 (HVA slope), as in Wolf et al. 2005', { bounds: POSITIVE }),
  ...kasai(src(1, 'dimensionless', 'Kasai & Neher 1992 fig 15 measured ω-conotoxin-sensitive (N-type) and DHP-sensitive currents in one cell line', { bounds: POSITIVE })),
  hvhalf: assume(-45, 'mV', 'voltage-dependent inactivation of N-type-like currents (no value in the shared literature)'),
  hslope: assume(9, 'mV', 'typical HVA inactivation slope', { bounds: POSITIVE }),
  htau: assume(150, 'ms', 'moderate inactivation of non-L HVA currents at 22 °C', { bounds: POSITIVE }),
};

export interface Cav2Options {
  v?: string;
  caIn?: string;
  scale?: number;
  overrides?: Overrides;
  used?: Set<string>;
}

/** Declares the `cav2` component (reads `mem.V`, `env.*`, `ca.shell`; writes `cav2.I`, `cav2.I_Ca`). */
export function cav2(b: ModelBuilder, o: Cav2Options = {}): void {
  const c = b.component('cav2');
  declareParams(c, CAV2_PARAMS, o.overrides, o.used);
  c.parameter('scale', o.scale ?? 1, { unit: 'dimensionless', bounds: [0, Infinity], assumption: 'density scale (1 = control)' });
  const V = o.v ?? 'mem.V';
  const caIn = o.caIn ?? 'ca.shell';
  c.assigned('qt', 'q10^((env.celsius - tref)/10)', { unit: 'dimensionless' });
  c.assigned('minf', `1/(1 + exp(-(${V} - mvhalf)/mslope))`, { unit: 'dimensionless' });
  c.assigned('tau_m', `tscale/(qt*(c*k*${efun(`(${V} - vm)/k`)} + cpr*exp(${V}/kpr)))`, { unit: 'ms' });
  c.assigned('hinf', `1/(1 + exp((${V} - hvhalf)/hslope))`, { unit: 'dimensionless' });
  c.state('m', { initial: 'minf', rate: '(minf - m)/tau_m', unit: 'dimensionless' });
  c.state('h', { initial: 'hinf', rate: '(hinf - h)*qt/htau', unit: 'dimensionless' });
  c.assigned('Po', 'm^2*h', { unit: 'dimensionless' });
  c.assigned('I_Ca', `scale*pbar*Po*${ghkCurrent(2, V, `1e-3*${caIn}`, 'env.Ca_o', 'env.celsius')}`, { unit: 'uA/cm^2' });
  c.assigned('I_Ba', `scale*pbar*env.pba_pca*Po*${ghkCurrent(2, V, '0', 'env.Ba_o', 'env.celsius')}`, { unit: 'uA/cm^2' });
  c.assigned('I', 'I_Ca + I_Ba', { unit: 'uA/cm^2' });
}
