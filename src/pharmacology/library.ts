/**
 * The compound library: the JSON records in `compounds/`, checked against the schema when the
 * module loads, and resolved into binding species ("ligands") in working units for the
 * modulated-receptor model: concentrations in nM, rates per ms, voltages in mV.
 */
import { z } from 'zod';
import bayk8644R from './compounds/bayk8644-r.json' with { type: 'json' };
import bayk8644Rac from './compounds/bayk8644-rac.json' with { type: 'json' };
import bayk8644S from './compounds/bayk8644-s.json' with { type: 'json' };
import isradipine from './compounds/isradipine.json' with { type: 'json' };
import mem1003Minus from './compounds/mem1003-minus.json' with { type: 'json' };
import mem1003Plus from './compounds/mem1003-plus.json' with { type: 'json' };
import mem1003Rac from './compounds/mem1003-rac.json' with { type: 'json' };
import nifedipine from './compounds/nifedipine.json' with { type: 'json' };
import nimodipine from './compounds/nimodipine.json' with { type: 'json' };
import nitrendipine from './compounds/nitrendipine.json' with { type: 'json' };
import {
  type ActivityRecord, type BindingRecord, type CompoundRecord, ISOFORMS, type Isoform, type SubstanceRecord, compoundSchema,
} from './compound-schema.js';
import { pkParameters, type PkParameters } from './pk.js';
import { PharmacologyError, type Quantity, valueIn } from './quantity.js';

/** Dissociation constants (nM) per state class. `open` is absent for agonists (it follows from the shift). */
export interface StateKd {
  readonly resting: number;
  readonly open?: number;
  readonly inactivated: number;
  readonly caInactivated: number;
}

/** One binding species in working units: what the modulated-receptor model needs. */
export interface Ligand {
  /** Substance id (e.g. `mem1003-plus`); unique among the ligands of one model. */
  readonly id: string;
  readonly name: string;
  readonly action: 'antagonist' | 'agonist';
  /** Association rate constant (1/(nM·ms)). */
  readonly kon: number;
  readonly kd: Readonly<Record<Isoform, StateKd>>;
  /** Agonists: activation shift of the bound channel (mV, negative = hyperpolarising). */
  readonly activationShift?: number;
  /**
   * Provenance of each number, keyed `kon`, `activationShift`, `<isoform>.<state>`: the
   * record's source or assumption, carried into the model parameters.
   */
  readonly provenance: Readonly<Record<string, Provenance>>;
}

/** Where a number comes from (exactly one field set). */
export interface Provenance {
  readonly source?: string;
  readonly assumption?: string;
}

const prov = (q: Quantity): Provenance => (q.source !== undefined ? { source: q.source } : { assumption: q.assumption ?? '' });

/** A component of a resolved compound: a ligand (or `null` for an inactive substance) and its molar fraction. */
export interface ResolvedComponent {
  readonly substanceId: string;
  readonly fraction: number;
  readonly ligand: Ligand | null;
  /** The variant used, for substances whose activity is a choice. */
  readonly variant?: string;
}

/** An assumption used by a compound, for reports. */
export interface AssumptionNote {
  /** Field path, e.g. `mem1003-plus.activity.binding.cav12.inactivated`. */
  readonly field: string;
  readonly text: string;
}

export interface ResolvedCompound {
  readonly id: string;
  readonly name: string;
  readonly record: CompoundRecord;
  readonly components: readonly ResolvedComponent[];
  /** Molecular weight (g/mol). */
  readonly mw: number;
  /** Every assumption behind the numbers used (binding, chosen variants, PK), for reports. */
  readonly assumptions: readonly AssumptionNote[];
}

const RAW: readonly unknown[] = [
  nitrendipine, nifedipine, nimodipine, isradipine, bayk8644S, bayk8644R, bayk8644Rac, mem1003Plus, mem1003Minus, mem1003Rac,
];

/** Formats zod issues as "field: message" lines. */
export function formatIssues(prefix: string, err: z.ZodError): string {
  return err.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`).join('; ');
}

/**
 * Checks a compound record (e.g. a user's JSON file) against the schema.
 * @throws PharmacologyError listing every problem with its field path.
 */
export function parseCompound(raw: unknown, where = 'compound'): CompoundRecord {
  const r = compoundSchema.safeParse(raw);
  if (!r.success) throw new PharmacologyError(formatIssues(where, r.error));
  return r.data;
}

const LIBRARY = new Map<string, CompoundRecord>();
for (const raw of RAW) {
  const id = (raw as { id?: unknown }).id;
  const rec = parseCompound(raw, typeof id === 'string' ? id : 'compound');
  if (LIBRARY.has(rec.id)) throw new PharmacologyError(`compound id '${rec.id}' is used twice`);
  LIBRARY.set(rec.id, rec);
}
for (const rec of LIBRARY.values()) if (rec.kind === 'mixture') checkMixture(rec.id, rec.components.map((c, k) => ({ compound: c.compound, fraction: valueIn(c.fraction, 'dimensionless', `${rec.id}.components[${k}].fraction`) })));

/** All compound records, in library order. */
export function listCompounds(): readonly CompoundRecord[] {
  return [...LIBRARY.values()];
}

/**
 * The record with this id or synonym (case-insensitive).
 * @throws PharmacologyError (field `compound`) naming the known ids when nothing matches.
 */
export function getCompound(idOrName: string): CompoundRecord {
  if (typeof idOrName !== 'string' || idOrName.trim() === '') throw new PharmacologyError('a compound id is required', 'compound');
  const key = idOrName.trim().toLowerCase();
  const direct = LIBRARY.get(key);
  if (direct) return direct;
  for (const rec of LIBRARY.values()) if (rec.synonyms.some((s) => s.toLowerCase() === key)) return rec;
  throw new PharmacologyError(`unknown compound '${idOrName}'; known: ${[...LIBRARY.keys()].join(', ')}`, 'compound');
}

function checkMixture(where: string, comps: readonly { compound: string; fraction: number }[]): void {
  let sum = 0;
  comps.forEach((c, k) => {
    if (typeof c.fraction !== 'number' || !Number.isFinite(c.fraction) || c.fraction < 0 || c.fraction > 1) {
      throw new PharmacologyError(`fraction must be a number in [0, 1], got ${String(c.fraction)}`, `${where}.components[${k}].fraction`);
    }
    const target = LIBRARY.get(c.compound);
    if (!target) throw new PharmacologyError(`unknown compound '${c.compound}'`, `${where}.components[${k}].compound`);
    if (target.kind !== 'substance') throw new PharmacologyError(`'${c.compound}' is itself a mixture; list its substances`, `${where}.components[${k}].compound`);
    sum += c.fraction;
  });
  if (Math.abs(sum - 1) > 1e-9) throw new PharmacologyError(`fractions must sum to 1, they sum to ${sum}`, `${where}.components`);
  const ids = comps.map((c) => c.compound);
  if (new Set(ids).size !== ids.length) throw new PharmacologyError('a substance is listed twice', `${where}.components`);
}

const KON_UNIT = '1/nM/ms';

function stateKd(b: BindingRecord, iso: Isoform, field: string, provenance: Record<string, Provenance>): StateKd {
  const spec = b[iso];
  if ('relativeTo' in spec) {
    const f = valueIn(spec.factor, 'dimensionless', `${field}.${iso}.factor`);
    const base = stateKd(b, spec.relativeTo, field, provenance);
    const fp = prov(spec.factor);
    for (const k of ['resting', 'open', 'inactivated', 'caInactivated'] as const) {
      const bp = provenance[`${spec.relativeTo}.${k}`];
      if (!bp) continue;
      const text = `${spec.relativeTo} value × ${f} (${bp.source ?? bp.assumption}; factor: ${fp.source ?? fp.assumption})`;
      // The derived value is an assumption as soon as either of its parts is.
      provenance[`${iso}.${k}`] = bp.assumption !== undefined || fp.assumption !== undefined ? { assumption: text } : { source: text };
    }
    return {
      resting: base.resting * f,
      ...(base.open !== undefined ? { open: base.open * f } : {}),
      inactivated: base.inactivated * f,
      caInactivated: base.caInactivated * f,
    };
  }
  const nm = (q: Quantity, k: string): number => {
    provenance[`${iso}.${k}`] = prov(q);
    return valueIn(q, 'nM', `${field}.${iso}.${k}`);
  };
  return {
    resting: nm(spec.resting, 'resting'),
    ...(spec.open ? { open: nm(spec.open, 'open') } : {}),
    inactivated: nm(spec.inactivated, 'inactivated'),
    caInactivated: nm(spec.caInactivated, 'caInactivated'),
  };
}

/** The ligand of one activity record (null when inactive). */
export function ligandOf(s: SubstanceRecord, activity: ActivityRecord, field: string): Ligand | null {
  if (activity.action === 'inactive' || !activity.binding) return null;
  const b = activity.binding;
  const provenance: Record<string, Provenance> = { kon: prov(b.kon) };
  const kd = Object.fromEntries(ISOFORMS.map((iso) => [iso, stateKd(b, iso, `${field}.binding`, provenance)])) as Record<Isoform, StateKd>;
  if (b.activationShift) provenance.activationShift = prov(b.activationShift);
  return {
    id: s.id,
    name: s.name,
    action: activity.action,
    kon: valueIn(b.kon, KON_UNIT, `${field}.binding.kon`),
    kd,
    ...(b.activationShift ? { activationShift: valueIn(b.activationShift, 'mV', `${field}.binding.activationShift`) } : {}),
    provenance,
  };
}

/** Collects every `assumption` in a record, with its field path. */
export function assumptionsOf(value: unknown, path: string, out: AssumptionNote[] = []): AssumptionNote[] {
  if (Array.isArray(value)) value.forEach((v, i) => assumptionsOf(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.assumption === 'string') out.push({ field: path, text: o.assumption });
    for (const [k, v] of Object.entries(o)) if (k !== 'assumption') assumptionsOf(v, `${path}.${k}`, out);
  }
  return out;
}

/** Options of {@link resolveCompound}. */
export interface ResolveOptions {
  /**
   * Variant per substance whose activity is a choice, e.g. `{ 'mem1003-minus': 'agonist' }`.
   * Substances not named use their default variant.
   */
  readonly variants?: Readonly<Record<string, string>>;
}

function resolveSubstance(s: SubstanceRecord, opts: ResolveOptions, assumptions: AssumptionNote[]): { ligand: Ligand | null; variant?: string } {
  if (s.activity) {
    assumptionsOf(s.activity, `${s.id}.activity`, assumptions);
    return { ligand: ligandOf(s, s.activity, `${s.id}.activity`) };
  }
  const variants = s.variants!;
  const chosen = opts.variants?.[s.id] ?? s.defaultVariant!;
  const act = variants[chosen];
  if (!act) throw new PharmacologyError(`unknown variant '${chosen}' of ${s.id}; choose one of ${Object.keys(variants).join(', ')}`, `variants.${s.id}`);
  if (opts.variants?.[s.id] === undefined) assumptions.push({ field: `${s.id}.defaultVariant`, text: `${chosen}: ${s.variantAssumption ?? ''}` });
  else assumptions.push({ field: `${s.id}.variant`, text: `${chosen} (chosen by the user): ${act.description ?? ''}` });
  assumptionsOf(act, `${s.id}.variants.${chosen}`, assumptions);
  return { ligand: ligandOf(s, act, `${s.id}.variants.${chosen}`), variant: chosen };
}

/**
 * A compound as binding species with fractions, in working units, with every assumption listed.
 * @throws PharmacologyError for an unknown compound or variant, or a variant given for a
 * substance that is not part of the compound.
 */
export function resolveCompound(idOrName: string, opts: ResolveOptions = {}): ResolvedCompound {
  const rec = getCompound(idOrName);
  const assumptions: AssumptionNote[] = [];
  const substances: { s: SubstanceRecord; fraction: number }[] =
    rec.kind === 'substance'
      ? [{ s: rec, fraction: 1 }]
      : rec.components.map((c, k) => ({ s: getCompound(c.compound) as SubstanceRecord, fraction: valueIn(c.fraction, 'dimensionless', `${rec.id}.components[${k}].fraction`) }));
  for (const v of Object.keys(opts.variants ?? {})) {
    if (!substances.some((x) => x.s.id === v)) throw new PharmacologyError(`'${v}' is not part of ${rec.id}`, `variants.${v}`);
  }
  const components = substances.map(({ s, fraction }) => {
    const r = resolveSubstance(s, opts, assumptions);
    return { substanceId: s.id, fraction, ligand: r.ligand, ...(r.variant ? { variant: r.variant } : {}) };
  });
  assumptionsOf(rec.molecularWeight, `${rec.id}.molecularWeight`, assumptions);
  if (rec.pk) assumptionsOf(rec.pk, `${rec.id}.pk`, assumptions);
  return { id: rec.id, name: rec.name, record: rec, components, mw: valueIn(rec.molecularWeight, 'g/mol', `${rec.id}.molecularWeight`), assumptions };
}

/** PK parameters of a compound in working units. @throws PharmacologyError when the record has none. */
export function compoundPk(idOrName: string): PkParameters {
  const rec = getCompound(idOrName);
  if (!rec.pk) throw new PharmacologyError(`${rec.id} has no pharmacokinetic data`, `${rec.id}.pk`);
  return pkParameters(rec.pk, valueIn(rec.molecularWeight, 'g/mol', `${rec.id}.molecularWeight`), `${rec.id}.pk`);
}

/** A drug present at a concentration: the input of the binding model. */
export interface DrugExposure {
  /** Compound id (or synonym). */
  readonly compound: string;
  /** Total free concentration at the channel (nM), split among the components by their fractions. */
  readonly concentration_nM: number;
  readonly variants?: Readonly<Record<string, string>>;
}

/** One ligand at its concentration. */
export interface LigandDose {
  readonly ligand: Ligand;
  readonly concentration_nM: number;
}

/**
 * Expands drug exposures (one or several compounds at once) into ligands at their
 * concentrations. The same substance reached through two compounds (e.g. a racemate plus an
 * enantiomer) is merged: its concentrations add, because it is one species at one site.
 * @throws PharmacologyError for a negative or non-numeric concentration (naming the field).
 */
export function ligandDoses(exposures: readonly DrugExposure[]): LigandDose[] {
  const byId = new Map<string, { ligand: Ligand; c: number }>();
  exposures.forEach((e, k) => {
    const c = e.concentration_nM;
    if (typeof c !== 'number' || !Number.isFinite(c)) throw new PharmacologyError(`concentration must be a number of nM, got ${String(c)}`, `drugs[${k}].concentration_nM`);
    if (c < 0) throw new PharmacologyError(`concentration must not be negative, got ${c} nM`, `drugs[${k}].concentration_nM`);
    const rc = resolveCompound(e.compound, e.variants ? { variants: e.variants } : {});
    for (const comp of rc.components) {
      if (!comp.ligand) continue;
      const prev = byId.get(comp.ligand.id);
      if (prev && JSON.stringify(prev.ligand) !== JSON.stringify(comp.ligand)) {
        throw new PharmacologyError(`${comp.ligand.id} appears twice with different activities (variants); give it one variant`, `drugs[${k}].variants`);
      }
      byId.set(comp.ligand.id, { ligand: comp.ligand, c: (prev?.c ?? 0) + comp.fraction * c });
    }
  });
  return [...byId.values()].map(({ ligand, c }) => ({ ligand, concentration_nM: c }));
}
