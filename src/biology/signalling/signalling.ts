/**
 * Signalling to the nucleus, assembled: calmodulin → CaMKII (Shank3-tethered at the L-type
 * channel, and bulk) → γCaMKII shuttle → nuclear CaM → CaMKK/CaMKIV → CREB Ser133, with the
 * slow Ras/MAPK arm, calcineurin and PP1, and c-fos/BDNF transcription.
 *
 * Everything lives under one namespace (default `sig`):
 * `sig.cam`, `sig.camkii`, `sig.can`, `sig.pp1`, `sig.gamma`, `sig.nuc`, `sig.camk4`,
 * `sig.mapk`, `sig.creb`, `sig.cfos`, `sig.bdnf` (and `sig.input` with prescribed inputs).
 * The signalling reads Ca²⁺ and channel activity (see `inputs.ts`) and writes nothing back to
 * the cell: the Ca²⁺ it binds is part of the cell's calmodulin buffer.
 *
 * Rates come from the Pepke 2010 / Chang 2019 CaM–CaMKII table, the IQ-bound CaM constants and
 * Stemmer & Klee 1994 where those apply. The rest (shuttle, CaMKK/CaMKIV, CREB, PP1, MAPK,
 * transcription) were not found and are assumptions, chosen so that each stage is graded —
 * neither silent nor saturated — for a 40 mM K⁺ depolarisation of the young CA1 cell, and
 * checked against the qualitative signalling targets together (not one rate per target).
 */
import { ModelBuilder } from '../../model/builder.js';
import type { Model } from '../../model/ir.js';
import { BiologyError } from '../errors.js';
import { type Overrides, type ParamTable, checkOverridesUsed } from '../params.js';
import { CALMODULIN_PARAMS, calmodulin } from './calmodulin.js';
import { CAMKII_PARAMS, camkii } from './camkii.js';
import { CAMK4_PARAMS, CREB_PARAMS, crebPathway } from './creb.js';
import { PRESCRIBED_INPUT_PARAMS, type SignallingInputs, prescribedInputs } from './inputs.js';
import { SIGNALLING_KNOCKOUTS, checkKnockouts } from './knockouts.js';
import { MAPK_PARAMS, mapkArm } from './mapk.js';
import { CALCINEURIN_PARAMS, PP1_PARAMS, phosphatases } from './phosphatases.js';
import { GAMMA_PARAMS, NUCLEAR_CAM_PARAMS, gammaShuttle } from './shuttle.js';
import { TRANSCRIPTION_PARAMS, transcription } from './transcription.js';

export interface SignallingOptions {
  /** Namespace of all signalling components (default `sig`). */
  ns?: string;
  /**
   * Where Ca²⁺ and channel activity come from: `'prescribed'` declares the stand-alone input
   * component `<ns>.input`; otherwise formulas over the model's names (e.g. {@link ca1Inputs}).
   */
  inputs: 'prescribed' | SignallingInputs;
  /** Delay stages of the transcription read-outs (default 3). */
  stages?: number;
  /** Knock-outs built into the parameter values (ids of {@link SIGNALLING_KNOCKOUTS}). */
  knockouts?: readonly string[];
  /** Parameter overrides by full path (`sig.camkii.kauto`). */
  overrides?: Overrides;
  /** Records which overrides were used (when the caller checks them across components). */
  used?: Set<string>;
}

/** Read-outs by name: the quantity each refers to (relative to the namespace). */
export const SIGNALLING_READOUTS = {
  pCREB: { path: 'creb.pS133', unit: 'fraction', description: 'fraction of CREB phosphorylated at Ser133' },
  nuclearCaCaM: { path: 'nuc.CaCaM', unit: 'µM', description: 'nuclear Ca²⁺/CaM' },
  autonomyTethered: { path: 'camkii.autonomy_tethered', unit: 'fraction', description: 'T286-phosphorylated fraction of channel-tethered CaMKII' },
  autonomyBulk: { path: 'camkii.autonomy_bulk', unit: 'fraction', description: 'T286-phosphorylated fraction of bulk CaMKII' },
  nuclearGamma: { path: 'gamma.nuclear', unit: 'µM', description: 'nuclear γCaMKII' },
  cfos: { path: 'cfos.mRNA', unit: 'relative', description: 'c-fos mRNA' },
  bdnf: { path: 'bdnf.mRNA', unit: 'relative', description: 'BDNF mRNA' },
  camkDrive: { path: 'creb.kin_camk', unit: '1/ms', description: 'CREB kinase activity of the CaMK arm' },
  mapkDrive: { path: 'creb.kin_mapk', unit: '1/ms', description: 'CREB kinase activity of the MAPK arm' },
} as const;

export type ReadoutName = keyof typeof SIGNALLING_READOUTS;

const NS_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Adds the signalling components to `b` (see module comment). */
export function addSignalling(b: ModelBuilder, o: SignallingOptions): void {
  const ns = o.ns ?? 'sig';
  if (typeof ns !== 'string' || !NS_RE.test(ns)) throw new BiologyError(`invalid namespace '${String(ns)}'`, 'signalling.ns');
  const q = (s: string): string => `${ns}.${s}`;
  // Knock-outs become overrides of their parameters (explicit overrides win).
  const ko: Record<string, number> = {};
  for (const id of checkKnockouts(o.knockouts ?? [], 'signalling.knockouts')) {
    for (const [rel, v] of Object.entries(SIGNALLING_KNOCKOUTS[id].set)) ko[q(rel)] = v;
  }
  const overrides: Overrides = { ...ko, ...(o.overrides ?? {}) };
  const used = o.used ?? new Set<string>();
  for (const k of Object.keys(ko)) used.add(k);
  let inputs: SignallingInputs;
  if (o.inputs === 'prescribed') inputs = prescribedInputs(b, q('input'), q('camkii.pore_scale'), overrides, used);
  else if (o.inputs && typeof o.inputs === 'object') {
    for (const k of ['open', 'sub', 'cyt', 'nuc'] as const) {
      const v = (o.inputs as unknown as Record<string, unknown>)[k];
      if (typeof v !== 'string' || v.trim() === '') throw new BiologyError('must be a formula naming the model quantity', `signalling.inputs.${k}`);
    }
    inputs = o.inputs;
  } else throw new BiologyError(`must be 'prescribed' or an object {open, sub, cyt, nuc}, got ${String(o.inputs)}`, 'signalling.inputs');

  calmodulin(b, q('cam'), { open: `${q('camkii.ca_open')} + ${inputs.sub}`, sub: inputs.sub, cyt: inputs.cyt, nuc: inputs.nuc }, overrides, used);
  camkii(b, q('camkii'), q('cam'), { open: inputs.open }, overrides, used);
  phosphatases(b, q('can'), q('pp1'), q('cam'), q('camkii.lam'), overrides, used);
  gammaShuttle(b, q('gamma'), q('nuc'), { camkii: q('camkii'), can: q('can'), cam: q('cam') }, overrides, used);
  mapkArm(b, q('mapk'), q('camkii.beta_near'), overrides, used);
  crebPathway(b, q('camk4'), q('creb'), { nuc: q('nuc'), mapk: q('mapk'), pp1: q('pp1') }, overrides, used);
  const stages = o.stages ?? 3;
  transcription(b, q('cfos'), 'cfos', stages, { creb: q('creb'), camk4: q('camk4') }, overrides, used);
  transcription(b, q('bdnf'), 'bdnf', stages, { creb: q('creb'), camk4: q('camk4') }, overrides, used);
  if (!o.used) {
    const mine = Object.keys(overrides).filter((k) => k.startsWith(`${ns}.`));
    const foreign = Object.keys(overrides).filter((k) => !k.startsWith(`${ns}.`));
    if (foreign.length) throw new BiologyError(`override outside the signalling namespace '${ns}'`, foreign[0]);
    checkOverridesUsed(Object.fromEntries(mine.map((k) => [k, overrides[k]])), used, signallingParamPaths(ns));
  }
}

/**
 * The parameter tables of the signalling by component (relative to the namespace), for
 * `ltcc params` and for error hints. `input` exists only with prescribed inputs.
 */
export const SIGNALLING_PARAM_TABLES: Readonly<Record<string, ParamTable>> = {
  input: PRESCRIBED_INPUT_PARAMS,
  cam: CALMODULIN_PARAMS,
  camkii: CAMKII_PARAMS,
  can: CALCINEURIN_PARAMS,
  pp1: PP1_PARAMS,
  gamma: GAMMA_PARAMS,
  nuc: NUCLEAR_CAM_PARAMS,
  camk4: CAMK4_PARAMS,
  creb: CREB_PARAMS,
  mapk: MAPK_PARAMS,
  cfos: TRANSCRIPTION_PARAMS.cfos,
  bdnf: TRANSCRIPTION_PARAMS.bdnf,
};

function signallingParamPaths(ns: string): string[] {
  return Object.entries(SIGNALLING_PARAM_TABLES).flatMap(([comp, t]) => Object.keys(t).map((k) => `${ns}.${comp}.${k}`));
}

/** A stand-alone signalling model driven by the prescribed input (`sig.input`). */
export function buildSignallingModel(o: Omit<SignallingOptions, 'inputs'> = {}): Model {
  const b = new ModelBuilder('signalling', { timeUnit: 'ms', description: 'signalling to the nucleus with prescribed Ca²⁺ input' });
  addSignalling(b, { ...o, inputs: 'prescribed' });
  return b.build();
}
