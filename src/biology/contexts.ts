/**
 * Cell contexts: assemble components into one model.
 * - `heterologous`: an expression cell (tsA-201/HEK293) with one L-type isoform under voltage
 *   clamp, Ba²⁺ or Ca²⁺ as charge carrier, 22 °C;
 * - `cardiac`: a canine ventricular myocyte under voltage clamp, reduced to its Cav1.2 channels
 *   with the cardiac gating (the preparation of Bean 1984's nitrendipine experiments), Ba²⁺ or
 *   Ca²⁺ as charge carrier; for drug-binding validation only;
 * - `ca1`: a CA1 pyramidal neuron (single compartment with nanodomain, shell, cytosol and
 *   nucleus Ca²⁺ pools), presets `young`, `aged`, `ad`;
 * - `vascular`: an arterial smooth-muscle cell of a pressurised (60 mmHg) small artery with
 *   Cav1.2, Kv, BK and KATP channels, basal and pressure-activated cation currents, resting at
 *   −45 mV (Knot & Nelson 1998; currents in vascular.ts).
 *
 * {@link buildCell} returns the Model IR plus the names of the quantities other layers read
 * (membrane potential, Ca²⁺ pools, L-type open probability and flux).
 */
import { ModelBuilder } from '../model/builder.js';
import type { Model } from '../model/ir.js';
import { BiologyError } from './errors.js';
import { type Overrides, type ParamTable, type ParamSpec, assume, src, checkOverridesUsed, NONNEG, POSITIVE } from './params.js';
import { type InputStructure, type EnvTable, environment, membrane, MEMBRANE_PARAMS } from './membrane.js';
import { CAV_PARAMS, cav2, lTypeChannel } from './cav.js';
import { kA, kM, kdr, leak, naT, sAHP, sk } from './currents.js';
import { calciumPools } from './calcium.js';
import { bkVsm, katpVsm, kvVsm, nscVsm, sacVsm } from './vascular.js';
import type { MarkovScheme } from './markov.js';

export const CONTEXTS = ['heterologous', 'ca1', 'vascular', 'cardiac'] as const;
export type ContextName = (typeof CONTEXTS)[number];
export const PRESETS: Readonly<Record<ContextName, readonly string[]>> = {
  heterologous: ['koschak2001', 'bell2001'],
  ca1: ['young', 'aged', 'ad'],
  vascular: ['default'],
  cardiac: ['bean1984'],
};

/** A cell to build. */
export interface CellSpec {
  readonly context: ContextName;
  /** Context preset (default: the first of {@link PRESETS}). */
  readonly preset?: string;
  /** Heterologous context: the expressed isoform (default cav13); the cardiac context has cav12 only. */
  readonly isoform?: 'cav12' | 'cav13';
  /** Heterologous and cardiac contexts: charge carrier and its concentration (mM); default Ba²⁺ 15 mM (20 mM for preset bell2001). */
  readonly carrier?: { readonly ion: 'Ba' | 'Ca'; readonly mM: number };
  /** The stimulus structure (default: voltage clamp with 3 segments for heterologous and cardiac, current clamp with one step otherwise). */
  readonly input?: InputStructure;
  /** Parameter values by path (`cav12.pbar`, `env.K_o`). */
  readonly overrides?: Overrides;
  /** Density scales by component (`{ cav13: 0 }` is a Cav1.3 knock-out). */
  readonly scales?: Readonly<Record<string, number>>;
  /** Scheme transforms for drug binding, by channel. */
  readonly schemes?: Readonly<Partial<Record<'cav12' | 'cav13', { transform: (s: MarkovScheme) => MarkovScheme; params?: ParamTable }>>>;
}

/** A built cell: the model and the names of the quantities protocols and other layers read. */
export interface Cell {
  readonly spec: CellSpec;
  readonly model: Model;
  readonly preset: string;
  /** Membrane potential (state in current clamp, assigned in voltage clamp). */
  readonly V: string;
  /** Channel components present. */
  readonly channels: readonly string[];
  /** L-type channel components present. */
  readonly lType: readonly string[];
  /** Components that take a density scale (knock-outs). */
  readonly scalable: readonly string[];
}

const KOSCHAK = 'Koschak et al. 2001 JBC 276:22100 (abstract): tsA-201, 15–20 mM Ba²⁺';
const BELL = 'Bell et al. 2001 J Neurophysiol 85:816 (abstract): HEK293, 20 mM Ba²⁺';

/** Aging presets of the CA1 neuron: L-type density scale with its provenance. */
export const CA1_PRESETS: Readonly<Record<string, { readonly ltype: ParamSpec; readonly note: string }>> = {
  young: { ltype: src(1, 'dimensionless', 'reference (adult) cell'), note: 'adult CA1 neuron (reference)' },
  aged: {
    ltype: src(2, 'dimensionless', 'Thibault & Landfield 1996 Science 272:1017 (more functional L-type channels in aged CA1; ≈2× recalled), Campbell et al. 1996 J Neurosci 16:6286 (larger HVA/nimodipine-sensitive current), McKiernan et al. 2024 Table 2 (a_CaL 25 → 50 pA)'),
    note: 'aged CA1 neuron: L-type channel density ×2; everything else as young (Campbell et al. 1996: inactivation and input resistance unchanged)',
  },
  ad: {
    ltype: assume(2, 'dimensionless', 'AD is modelled as aging of the L-type channels only: the effects of Aβ on L-type channels conflict in the shared literature (low-threshold shift in NPY neurons vs. inhibited VGCC influx in cultured networks), so no AD-specific change is made'),
    note: 'assumption: the aged preset; no AD-specific change because the sources conflict',
  },
};

const ENV_HET = (ion: 'Ba' | 'Ca', mM: number, preset: string): EnvTable => ({
  celsius: assume(22, 'degC', 'room-temperature whole-cell recordings of heterologously expressed channels (Wolf et al. 2005 CaL13.mod: data recorded at 22 °C)', { bounds: [0, 45] }),
  Ca_o: ion === 'Ca' ? src(mM, 'mM', 'charge carrier set by the protocol', { bounds: NONNEG }) : assume(0, 'mM', 'Ba²⁺ replaces Ca²⁺ as the charge carrier', { bounds: NONNEG }),
  Ba_o: ion === 'Ba' ? src(mM, 'mM', preset === 'bell2001' ? BELL : KOSCHAK, { bounds: NONNEG }) : assume(0, 'mM', 'no Ba²⁺ in a Ca²⁺ bath', { bounds: NONNEG }),
  K_o: assume(5, 'mM', 'typical extracellular K⁺ (K⁺ channels are blocked or absent in these recordings)', { bounds: POSITIVE }),
});

/** The bath of the cardiac context: Bean's solutions were not retrieved, so the carrier is the heterologous default. */
const ENV_CARDIAC = (ion: 'Ba' | 'Ca', mM: number, given: boolean): EnvTable => {
  const carrier = (value: number): ParamSpec => (given
    ? src(value, 'mM', 'charge carrier set by the cell spec', { bounds: NONNEG })
    : assume(value, 'mM', "the bath of Bean 1984 was not retrieved here; Ba²⁺ (15 mM, as the heterologous context) keeps Ca²⁺-dependent inactivation off, so the block at each holding potential is set by voltage-dependent inactivation, the state the nitrendipine Kd's describe", { bounds: NONNEG }));
  return {
    celsius: assume(22, 'degC', 'room temperature (the recording temperature of Bean 1984 was not retrieved); the equilibrium block does not depend on it', { bounds: [0, 45] }),
    Ca_o: ion === 'Ca' ? carrier(mM) : assume(0, 'mM', 'Ba²⁺ replaces Ca²⁺ as the charge carrier', { bounds: NONNEG }),
    Ba_o: ion === 'Ba' ? carrier(mM) : assume(0, 'mM', 'no Ba²⁺ in a Ca²⁺ bath', { bounds: NONNEG }),
    K_o: assume(5, 'mM', 'typical extracellular K⁺ (K⁺ currents are not modelled in this reduced myocyte)', { bounds: POSITIVE }),
  };
};

const ENV_CA1: EnvTable = {
  celsius: src(34, 'degC', 'Poirazi et al. 2003 CA1 model (ModelDB) somacar.mod: celsius = 34', { bounds: [0, 45] }),
  Ca_o: assume(2, 'mM', 'ACSF Ca²⁺ (2 mM is the standard of CA1 slice work, e.g. the physiological-Ca²⁺ conditions in the shared literature)', { bounds: NONNEG }),
  Ba_o: assume(0, 'mM', 'no Ba²⁺ in ACSF', { bounds: NONNEG }),
  K_o: assume(3.5, 'mM', 'ACSF K⁺ (2.5–5 mM in slice work)', { bounds: POSITIVE }),
};

const ENV_VASC: EnvTable = {
  celsius: assume(37, 'degC', 'body temperature', { bounds: [0, 45] }),
  Ca_o: assume(2, 'mM', 'physiological extracellular Ca²⁺', { bounds: NONNEG }),
  Ba_o: assume(0, 'mM', 'no Ba²⁺', { bounds: NONNEG }),
  K_o: assume(5, 'mM', 'physiological extracellular K⁺', { bounds: POSITIVE }),
};

const VASC_MEM: ParamTable = {
  ...MEMBRANE_PARAMS,
  area: assume(2e-5, 'cm^2', 'membrane area of an arterial myocyte (≈20 pF at 1 µF/cm²)', { bounds: POSITIVE }),
  v0: assume(-45, 'mV', 'starting potential before settling', {}),
};

const defaultInput = (ctx: ContextName): InputStructure => (ctx === 'heterologous' || ctx === 'cardiac' ? { clamp: 'voltage', segments: 3 } : { clamp: 'current', steps: 1 });

/** Builds the model of a cell; unknown names and out-of-range values are errors naming the field. */
export function buildCell(spec: CellSpec): Cell {
  if (!CONTEXTS.includes(spec.context)) throw new BiologyError(`unknown context '${String(spec.context)}' (expected one of ${CONTEXTS.join(', ')})`, 'context');
  const presets = PRESETS[spec.context];
  const preset = spec.preset ?? presets[0];
  if (!presets.includes(preset)) throw new BiologyError(`unknown preset '${preset}' for context '${spec.context}' (expected one of ${presets.join(', ')})`, 'preset');
  const input = spec.input ?? defaultInput(spec.context);
  const overrides: Record<string, number> = { ...(spec.overrides ?? {}) };
  const used = new Set<string>();
  const b = new ModelBuilder(`ltcc-${spec.context}-${preset}`, { timeUnit: 'ms', description: `ltcc ${spec.context} cell (${preset})`, context: spec.context, preset });
  const scales = spec.scales ?? {};
  const channels: string[] = [];
  const lType: string[] = [];
  const scalable: string[] = [];
  const scaleOf = (comp: string, base = 1): number => {
    const s = scales[comp];
    if (s === undefined) return base;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) throw new BiologyError(`density scale must be a finite number ≥ 0, got ${String(s)}`, `scales.${comp}`);
    return base * s;
  };
  const schemeOpts = (iso: 'cav12' | 'cav13'): { scheme?: (s: MarkovScheme) => MarkovScheme; schemeParams?: ParamTable } => {
    const h = spec.schemes?.[iso];
    return h ? { scheme: h.transform, ...(h.params ? { schemeParams: h.params } : {}) } : {};
  };
  const currents: string[] = [];

  if (spec.context === 'heterologous' || spec.context === 'cardiac') {
    // Voltage-clamped cells with L-type channels only: an expression cell, or a ventricular
    // myocyte reduced to its Cav1.2 (its other currents are not modelled).
    const cardiac = spec.context === 'cardiac';
    if (input.clamp !== 'voltage') throw new BiologyError(`the ${spec.context} context is voltage-clamped only`, 'input.clamp');
    const iso = spec.isoform ?? (cardiac ? 'cav12' : 'cav13');
    if (iso !== 'cav12' && iso !== 'cav13') throw new BiologyError(`unknown isoform '${String(iso)}' (expected cav12 or cav13)`, 'isoform');
    if (cardiac && iso !== 'cav12') throw new BiologyError('the cardiac context has Cav1.2 only', 'isoform');
    const carrier = spec.carrier ?? { ion: 'Ba', mM: preset === 'bell2001' ? 20 : 15 };
    if (carrier.ion !== 'Ba' && carrier.ion !== 'Ca') throw new BiologyError(`unknown charge carrier '${String(carrier.ion)}' (expected Ba or Ca)`, 'carrier.ion');
    if (!(carrier.mM > 0 && Number.isFinite(carrier.mM))) throw new BiologyError(`concentration must be a positive number (mM), got ${String(carrier.mM)}`, 'carrier.mM');
    environment(b, cardiac ? ENV_CARDIAC(carrier.ion, carrier.mM, spec.carrier !== undefined) : ENV_HET(carrier.ion, carrier.mM, preset), overrides, used);
    // Expression-system offset: Bell et al. 2001 measured steady-state inactivation at
    // V½ = −13.4 mV (fig 2, via Wolf et al. 2005); the whole gating of their cell line is shifted
    // by the difference to this set's V½ (a derived number, not a fit to the I–V peak).
    const hv = CAV_PARAMS[iso].heterologous.hvhalf.value;
    const shift = preset === 'bell2001' ? -13.4 - hv : 0;
    lTypeChannel(b, iso, { setting: cardiac ? 'cardiac' : 'heterologous', scale: scaleOf(iso), shift, caCdi: 'ca.nano', overrides, used, ...schemeOpts(iso) });
    channels.push(iso);
    lType.push(iso);
    scalable.push(iso);
    currents.push(`${iso}.I`);
    // HEK/tsA cells have no calbindin (and the myocyte's buffers are not modelled); the pools
    // make CDI work when Ca²⁺ is the carrier.
    if (overrides['ca.washout'] === undefined) overrides['ca.washout'] = 1;
    calciumPools(b, { lType: [`${iso}.I_Ca`], other: [], overrides, used });
    used.add('ca.washout');
  } else if (spec.context === 'ca1') {
    environment(b, ENV_CA1, overrides, used);
    const ltScale = CA1_PRESETS[preset].ltype.value;
    lTypeChannel(b, 'cav12', { setting: 'neuronal', scale: scaleOf('cav12', ltScale), overrides, used, ...schemeOpts('cav12') });
    lTypeChannel(b, 'cav13', { setting: 'neuronal', scale: scaleOf('cav13', ltScale), overrides, used, ...schemeOpts('cav13') });
    cav2(b, { scale: scaleOf('cav2'), overrides, used });
    naT(b, { scale: scaleOf('naT'), overrides, used });
    kdr(b, { scale: scaleOf('kdr'), overrides, used });
    kA(b, { scale: scaleOf('kA'), overrides, used });
    kM(b, { scale: scaleOf('kM'), overrides, used });
    sk(b, { scale: scaleOf('sk'), overrides, used });
    sAHP(b, { scale: scaleOf('sahp'), overrides, used });
    leak(b, { overrides, used });
    channels.push('cav12', 'cav13', 'cav2', 'naT', 'kdr', 'kA', 'kM', 'sk', 'sahp', 'leak');
    lType.push('cav12', 'cav13');
    scalable.push('cav12', 'cav13', 'cav2', 'naT', 'kdr', 'kA', 'kM', 'sk', 'sahp');
    currents.push('cav12.I', 'cav13.I', 'cav2.I', 'naT.I', 'kdr.I', 'kA.I', 'kM.I', 'sk.I', 'sahp.I', 'leak.I');
    calciumPools(b, { lType: ['cav12.I_Ca', 'cav13.I_Ca'], other: ['cav2.I_Ca'], overrides, used });
    b.component('ca').parameter('ltype_scale_preset', ltScale, {
      unit: 'dimensionless',
      ...(CA1_PRESETS[preset].ltype.source ? { source: CA1_PRESETS[preset].ltype.source } : { assumption: CA1_PRESETS[preset].ltype.assumption }),
      description: `L-type density scale of preset '${preset}': ${CA1_PRESETS[preset].note}`,
    });
  } else {
    environment(b, ENV_VASC, overrides, used);
    lTypeChannel(b, 'cav12', { setting: 'neuronal', scale: scaleOf('cav12'), overrides, used, ...schemeOpts('cav12') });
    // The resting potential is set by the myocyte's K⁺ channels (Kv, BK, KATP) against the basal
    // and the pressure-activated cation currents (see vascular.ts).
    kvVsm(b, { scale: scaleOf('kv'), overrides, used });
    bkVsm(b, { scale: scaleOf('bk'), overrides, used });
    katpVsm(b, { scale: scaleOf('katp'), overrides, used });
    nscVsm(b, { scale: scaleOf('nsc'), overrides, used });
    sacVsm(b, { scale: scaleOf('sac'), overrides, used });
    const vsm = ['kv', 'bk', 'katp', 'nsc', 'sac'];
    channels.push('cav12', ...vsm);
    lType.push('cav12');
    scalable.push('cav12', ...vsm);
    currents.push('cav12.I', ...vsm.map((n) => `${n}.I`));
    if (overrides['ca.washout'] === undefined) overrides['ca.washout'] = 1;
    calciumPools(b, { lType: ['cav12.I_Ca'], other: ['nsc.I_Ca', 'sac.I_Ca'], overrides, used });
    used.add('ca.washout');
  }
  for (const comp of Object.keys(scales)) {
    if (!scalable.includes(comp)) throw new BiologyError(`component '${comp}' cannot be scaled or knocked out in context '${spec.context}' (scalable: ${scalable.join(', ')})`, `scales.${comp}`);
  }
  const vasc = spec.context === 'vascular';
  membrane(b, { input, currents, overrides, used, ...(vasc ? { table: VASC_MEM } : {}) });
  const model = b.build();
  checkOverridesUsed(overrides, used, model.parameters.map((p) => p.name));
  return { spec, model, preset, V: 'mem.V', channels, lType, scalable };
}
