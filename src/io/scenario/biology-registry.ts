/**
 * The built-in cell contexts as scenario contexts: `heterologous` (an expression cell with one
 * L-type isoform under voltage clamp), `ca1` (a CA1 pyramidal neuron, optionally with the
 * signalling to the nucleus), `vascular` (arterial smooth muscle) and `cardiac` (a canine
 * ventricular myocyte reduced to its Cav1.2, under voltage clamp). A scenario's preset,
 * components, compounds and protocol become a cell of the biology layer with the compounds
 * bound through the pharmacology layer, the stimulus of the protocols layer, and a start state
 * settled at rest (or at the holding potential), as `runProtocol` does.
 *
 * What a scenario may name:
 * - parameters: every parameter of the built model (`cav13.pbar`, `env.Ba_o`, `stim.v1`, …),
 *   except the stimulus times, which the protocol fields set;
 * - observables: `V`, `ICaL` (whole-cell L-type current, pA), `Ca_nano`, `Ca_sub`, `Ca_cyt`,
 *   `Ca_nuc` (µM), `I_clamp` (voltage clamp, pA), `I_sAHP` (ca1, pA), the signalling read-outs
 *   with `signalling: true` (`pCREB`, `nuclearCaCaM`, `cfos`, …), `drug_<compound>` (µM) under a
 *   dosing protocol, and every state and assigned quantity of the model;
 * - components: the channels a context can scale or knock out, and with `signalling: true` the
 *   signalling knock-outs and mutants (`gammaCaMKII`, `gammaT287A`, `calcineurin`, `camk4`,
 *   `mapk`, `shank3`, `shank3RRK`, `ltccShank3`); scaling one of those multiplies the amount it
 *   removes (e.g. `gammaCaMKII: {scale: 0.5}` halves total γCaMKII).
 */
import { CA1_PRESETS, type CellSpec, type ContextName, buildCell } from '../../biology/contexts.js';
import { attachSignalling } from '../../biology/signalling/attach.js';
import { KNOCKOUT_IDS, SIGNALLING_KNOCKOUTS, type KnockoutId } from '../../biology/signalling/knockouts.js';
import { SIGNALLING_PARAM_TABLES, SIGNALLING_READOUTS } from '../../biology/signalling/signalling.js';
import type { CompiledModel } from '../../compile/compiled.js';
import { parseExpr } from '../../math/index.js';
import type { Model, ObservableDef } from '../../model/ir.js';
import { drugCell } from '../../pharmacology/drug-cell.js';
import { compoundPk, listCompounds } from '../../pharmacology/library.js';
import { PharmacologyError } from '../../pharmacology/quantity.js';
import { simulate } from '../../solve/simulate.js';
import { isSuccessful } from '../../solve/types.js';
import {
  type DosedCompound, compoundSymbol, isStimulusTime, mapStimulus, restValues, sampleRegimen, withDosing, withKApplication,
} from './biology-stimulus.js';
import {
  type BuildRequest, type BuiltModel, type ContextEntry, type ContextNames, type ContextRegistry, type PresetInfo, RequestError, createRegistry,
} from './registry.js';
import type { ProtocolType } from './schema.js';

/** A preset of a scenario context: the biology preset plus, for the expression cell, the isoform. */
interface PresetChoice extends PresetInfo {
  readonly preset: string;
  readonly isoform?: 'cav12' | 'cav13';
}

const HETEROLOGOUS_PRESETS: readonly PresetChoice[] = [
  { id: 'koschak2001', preset: 'koschak2001', isoform: 'cav13', description: 'Cav1.3 in tsA-201 cells, 15 mM Ba²⁺, 22 °C (Koschak et al. 2001); Ca²⁺ as carrier: set env.Ba_o = 0 and env.Ca_o' },
  { id: 'koschak2001-cav12', preset: 'koschak2001', isoform: 'cav12', description: 'Cav1.2 in the same cells and bath as koschak2001, for isoform comparisons' },
  { id: 'bell2001', preset: 'bell2001', isoform: 'cav13', description: 'Cav1.3 in HEK293 cells, 20 mM Ba²⁺, gating offset of that cell line (Bell et al. 2001)' },
];
const CA1_PRESET_CHOICES: readonly PresetChoice[] = Object.entries(CA1_PRESETS).map(([id, p]) => ({ id, preset: id, description: p.note }));
const VASCULAR_PRESETS: readonly PresetChoice[] = [
  { id: 'default', preset: 'default', description: 'arterial myocyte of a pressurised small artery, resting near −45 mV' },
];
const CARDIAC_PRESETS: readonly PresetChoice[] = [
  { id: 'bean1984', preset: 'bean1984', description: 'canine ventricular myocyte reduced to its Cav1.2 (gating of the Fox et al. 2002 canine model), 15 mM Ba²⁺, as in the nitrendipine experiments of Bean 1984' },
];

interface ContextDef {
  readonly id: ContextName;
  readonly description: string;
  readonly presets: readonly PresetChoice[];
  readonly protocols: readonly ProtocolType[];
  readonly signalling: boolean;
  /** Where a dosed compound's free concentration comes from. */
  readonly site?: 'brain' | 'plasma';
}

const CONTEXT_DEFS: readonly ContextDef[] = [
  {
    id: 'heterologous', presets: HETEROLOGOUS_PRESETS, protocols: ['voltage-clamp'], signalling: false,
    description: 'expression cell (tsA-201/HEK293) with one L-type isoform under voltage clamp; Ba²⁺ or Ca²⁺ as charge carrier',
  },
  {
    id: 'ca1', presets: CA1_PRESET_CHOICES, protocols: ['voltage-clamp', 'current-steps', 'current-train', 'k-depolarisation', 'dosing'], signalling: true, site: 'brain',
    description: 'CA1 pyramidal neuron (Cav1.2, Cav1.3, Cav2, Na⁺, K⁺, SK, sAHP; nanodomain, shell, cytosol and nucleus Ca²⁺); optional signalling to CREB',
  },
  {
    id: 'vascular', presets: VASCULAR_PRESETS, protocols: ['voltage-clamp', 'current-steps', 'current-train', 'k-depolarisation', 'dosing'], signalling: false, site: 'plasma',
    description: 'arterial smooth-muscle cell with Cav1.2, Kv, BK, KATP and cation currents (the vascular side of a dose)',
  },
  {
    id: 'cardiac', presets: CARDIAC_PRESETS, protocols: ['voltage-clamp'], signalling: false,
    description: 'canine ventricular myocyte reduced to its Cav1.2 (cardiac gating) under voltage clamp; Ba²⁺ or Ca²⁺ as charge carrier',
  },
];

/** Contexts that can only be voltage-clamped (a protocol is required). */
const voltageOnly = (def: ContextDef): boolean => def.protocols.every((p) => p === 'voltage-clamp');

/** Settling before t = 0 (ms): as `runProtocol` (current clamp 3 s, voltage clamp 0.5 s); 3 h with the signalling, as the signalling experiments do. */
const SETTLE_CURRENT = 3000;
const SETTLE_VOLTAGE = 500;
const SETTLE_SIGNALLING = 3 * 3600 * 1000;

const SIGNALLING_HINT = "it is part of the signalling: add 'signalling: true'";

const unitOf = (u: string): string => (u === 'µM' ? 'uM' : u === 'fraction' || u === 'relative' ? 'dimensionless' : u);

/** The observables a scenario sees by short name. */
function observablesOf(cell: { lType: readonly string[]; channels: readonly string[] }, clamp: 'voltage' | 'current', signalling: boolean, dosed: readonly string[]): ObservableDef[] {
  const o = (name: string, expr: string, unit: string, description: string): ObservableDef => ({ name, expr: parseExpr(expr), unit, description });
  const out: ObservableDef[] = [
    o('V', 'mem.V', 'mV', 'membrane potential'),
    ...(clamp === 'voltage' ? [o('I_clamp', 'mem.I_pA', 'pA', 'whole-cell clamp current (all ionic currents)')] : []),
    o('ICaL', `(${cell.lType.map((c) => `${c}.I`).join(' + ')})*mem.area*1e6`, 'pA', `whole-cell L-type current, all charge carriers (${cell.lType.join(' + ')})`),
    o('Ca_nano', 'ca.nano', 'uM', 'free Ca²⁺ in the L-type nanodomain'),
    o('Ca_sub', 'ca.shell', 'uM', 'free Ca²⁺ in the submembrane shell'),
    o('Ca_cyt', 'ca.cyt', 'uM', 'free cytosolic Ca²⁺ (its auc is the Ca²⁺ load)'),
    o('Ca_nuc', 'ca.nuc', 'uM', 'free nuclear Ca²⁺'),
  ];
  if (cell.channels.includes('sahp')) out.push(o('I_sAHP', 'sahp.I*mem.area*1e6', 'pA', 'slow afterhyperpolarisation current'));
  if (signalling) {
    for (const [name, r] of Object.entries(SIGNALLING_READOUTS)) out.push(o(name, `sig.${r.path}`, unitOf(r.unit), r.description));
  }
  for (const id of dosed) out.push(o(`drug_${compoundSymbol(id)}`, `dose.${compoundSymbol(id)}_nM*1e-3`, 'uM', `free concentration of ${id} at the channels (PK model)`));
  return out;
}

/** Default value of a signalling parameter, by path relative to the namespace (`gamma.total`). */
function signallingDefault(rel: string): number {
  const dot = rel.indexOf('.');
  const spec = SIGNALLING_PARAM_TABLES[rel.slice(0, dot)]?.[rel.slice(dot + 1)];
  if (!spec) throw new Error(`no signalling parameter '${rel}'`);
  return spec.value;
}

const isKnockout = (id: string): id is KnockoutId => Object.prototype.hasOwnProperty.call(SIGNALLING_KNOCKOUTS, id);

interface Built {
  readonly built: BuiltModel;
  readonly components: readonly string[];
}

const settled = new Map<string, Float64Array>();

function build(def: ContextDef, req: BuildRequest): Built {
  const choice = def.presets.find((p) => p.id === req.preset);
  if (!choice) throw new RequestError(`context '${def.id}' has no preset '${req.preset}'`, ['preset']);
  if (req.signalling && !def.signalling) throw new RequestError(`context '${def.id}' has no signalling model`, ['signalling']);
  if (req.protocol && !def.protocols.includes(req.protocol.type)) throw new RequestError(`context '${def.id}' cannot apply a '${req.protocol.type}' protocol`, ['protocol', 'type']);
  const stim = mapStimulus(req.protocol, req.duration, def.id, voltageOnly(def));

  // Components: channel densities, and the signalling knock-outs as parameter values.
  const scales: Record<string, number> = {};
  const knockouts: KnockoutId[] = [];
  const sigOverrides: Record<string, number> = {};
  const probe = buildCell({ context: def.id, preset: choice.preset, ...(choice.isoform ? { isoform: choice.isoform } : {}) });
  for (const [id, change] of Object.entries(req.components)) {
    const factor = change.knockout ? 0 : (change.scale ?? 1);
    if (probe.scalable.includes(id)) scales[id] = factor;
    else if (isKnockout(id) && req.signalling) {
      if (change.knockout) knockouts.push(id);
      else for (const rel of Object.keys(SIGNALLING_KNOCKOUTS[id].set)) sigOverrides[`sig.${rel}`] = signallingDefault(rel) * factor;
    } else {
      throw new RequestError(isKnockout(id) ? `component '${id}' is not in this model` : `context '${def.id}' has no component '${id}'`, ['components', id], isKnockout(id) ? SIGNALLING_HINT : undefined);
    }
  }
  let spec: Omit<CellSpec, 'input'> = {
    context: def.id, preset: choice.preset, ...(choice.isoform ? { isoform: choice.isoform } : {}), ...(Object.keys(scales).length ? { scales } : {}),
  };

  // Compounds: bound to every L-type isoform; fixed concentrations as parameter values, regimens as PK time courses.
  let fixed: Record<string, number> = {};
  const dosed: DosedCompound[] = [];
  if (req.compounds.length) {
    const at = (i: number, e: unknown): never => {
      if (e instanceof PharmacologyError) throw new RequestError(e.message, ['compounds', i, 'id']);
      throw e;
    };
    let cell;
    try {
      cell = drugCell(spec, req.compounds.map((c) => c.id));
    } catch (e) {
      return at(0, e);
    }
    spec = cell.spec;
    fixed = cell.concentrations(Object.fromEntries(req.compounds.filter((c) => c.concentration !== undefined).map((c) => [c.id, c.concentration! * 1000])));
    req.compounds.forEach((c, i) => {
      if (!c.regimen) return;
      if (stim.dosingDays === undefined) throw new RequestError("a 'regimen' needs protocol type 'dosing'", ['compounds', i, 'regimen']);
      let pk;
      try {
        pk = compoundPk(c.id);
      } catch (e) {
        if (!(e instanceof PharmacologyError)) throw e;
        const withPk = listCompounds().filter((r) => r.pk).map((r) => r.id);
        throw new RequestError(`${c.id} has no pharmacokinetic data in the compound library, so a regimen cannot be turned into a concentration`, ['compounds', i, 'regimen'],
          `compounds with PK data: ${withPk.join(', ')}; or give a fixed 'concentration' (µM), or use 'ltcc dose-response' / 'ltcc study' for exposure–response`);
      }
      const { t, c_nM } = sampleRegimen(pk, c.regimen, stim.dosingDays, def.site ?? 'brain', ['compounds', i, 'regimen']);
      const unit = cell.concentrations({ [c.id]: 1 });
      dosed.push({ id: c.id, t, c_nM, fractions: unit });
    });
  }

  const cell = buildCell({ ...spec, input: stim.inputs.input });
  let model: Model = cell.model;
  if (req.signalling) {
    model = attachSignalling(model, { ...(knockouts.length ? { knockouts } : {}), ...(Object.keys(sigOverrides).length ? { overrides: sigOverrides } : {}) });
  }
  if (stim.k) model = withKApplication(model, stim.k);
  const parameters: Record<string, number> = { ...stim.inputs.stimulus };
  if (stim.k?.baseline !== undefined) parameters['env.K_o'] = stim.k.baseline;
  if (dosed.length) model = withDosing(model, dosed, fixed);
  const driven = new Set(dosed.flatMap((d) => Object.keys(d.fractions)));
  for (const [k, v] of Object.entries(fixed)) if (!driven.has(k)) parameters[k] = v;
  model = {
    ...model,
    observables: [...model.observables, ...observablesOf(cell, stim.inputs.input.clamp, Boolean(req.signalling), dosed.map((d) => d.id))],
    meta: { ...(model.meta ?? {}), scenarioPreset: choice.id },
  };
  const settle = req.signalling ? SETTLE_SIGNALLING : stim.inputs.input.clamp === 'current' ? SETTLE_CURRENT : SETTLE_VOLTAGE;
  const tstops = [...stim.inputs.tstops, ...(stim.k ? [stim.k.start, stim.k.end] : []), ...dosed.flatMap((d) => d.t)];
  const built: BuiltModel = {
    model,
    parameters,
    tstops: [...new Set(tstops)].filter((t) => t > 0).sort((a, b) => a - b),
    noDiscontinuityRoots: true,
    initialState: (cm, p) => settleAtRest(cm, p, stim.inputs, Boolean(stim.k), settle),
  };
  return { built, components: [...cell.scalable, ...(req.signalling ? KNOCKOUT_IDS : [])] };
}

/**
 * The start state: the cell settled with the stimulus off (at rest, or at the holding
 * potential; resting K⁺), as the protocols layer settles before a protocol.
 * @throws SettleFailed when the settling simulation does not reach its end.
 */
function settleAtRest(cm: CompiledModel, p: Float64Array, inputs: Parameters<typeof restValues>[0], kApplied: boolean, settle: number): Float64Array {
  const index = (name: string): number => {
    const r = cm.symbols.index.get(name);
    if (!r || r.kind !== 'parameter') throw new Error(`the model has no parameter '${name}'`);
    return r.index;
  };
  const pRest = Float64Array.from(p);
  for (const [k, v] of Object.entries(restValues(inputs, (name) => p[index(name)]))) pRest[index(k)] = v;
  if (kApplied) pRest[index('stim.K_o')] = pRest[index('env.K_o')];
  const key = `${cm.hash}|${settle}|${Array.from(pRest).join(',')}`;
  const hit = settled.get(key);
  if (hit) return Float64Array.from(hit);
  const s = simulate(cm, { tEnd: settle, p: pRest, saveAt: [settle], rtol: 1e-6, atol: 1e-8, recordDerived: false });
  if (!isSuccessful(s.retcode)) throw new SettleFailed(`settling the cell at rest failed at t = ${s.tReached} ms of ${settle}: ${s.retcode}${s.message ? ` — ${s.message}` : ''}`);
  const y0 = s.y.slice(s.y.length - cm.n);
  if (settled.size > 200) settled.clear();
  settled.set(key, y0);
  return Float64Array.from(y0);
}

/** The cell could not be settled before the protocol (a simulation failure, not bad input). */
export class SettleFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettleFailed';
  }
}

/** The names of one request. */
function namesOf(def: ContextDef, req: BuildRequest): ContextNames {
  const { built, components } = build(def, req);
  const m = built.model;
  const unavailable: Record<string, string> = {};
  const parameters: string[] = [];
  for (const p of m.parameters) {
    if (isStimulusTime(p.name)) unavailable[p.name] = 'a stimulus time: set it in the protocol';
    else parameters.push(p.name);
  }
  if (!req.signalling && def.signalling) {
    for (const id of KNOCKOUT_IDS) unavailable[id] = SIGNALLING_HINT;
    for (const id of Object.keys(SIGNALLING_READOUTS)) unavailable[id] = SIGNALLING_HINT;
  }
  if (!m.observables.some((o) => o.name === 'I_clamp')) unavailable.I_clamp = 'the clamp current exists in voltage clamp only';
  return {
    parameters,
    observables: [...m.observables, ...m.states, ...m.assigned].map((q) => q.name),
    components,
    unavailable,
  };
}

function entryOf(def: ContextDef): ContextEntry {
  const compounds = listCompounds().map((c) => c.id);
  const defaultRequest = (): BuildRequest => ({
    preset: def.presets[0].id, components: {}, compounds: [],
    ...(voltageOnly(def) ? { protocol: { type: 'voltage-clamp', holding: -80, hold: 10, segments: [{ voltage: 0, duration: 50 }] } } : {}),
    signalling: def.signalling,
  });
  let names: ContextNames | undefined;
  const known = (): ContextNames => (names ??= namesOf(def, defaultRequest()));
  return {
    id: def.id,
    description: def.description,
    presets: def.presets.map((p) => ({ id: p.id, description: p.description })),
    defaultPreset: def.presets[0].id,
    get parameters() { return known().parameters; },
    get observables() { return known().observables; },
    get components() { return known().components; },
    protocols: def.protocols,
    compounds,
    signalling: def.signalling,
    describe: (req) => namesOf(def, req),
    build: (req) => build(def, req).built,
  };
}

/** The built-in contexts `heterologous`, `ca1`, `vascular` and `cardiac`. */
export function biologyContexts(): ContextEntry[] {
  return CONTEXT_DEFS.map(entryOf);
}

/** A registry of the built-in contexts. */
export const contextRegistry: ContextRegistry = createRegistry(biologyContexts());
