/**
 * A cell with drugs bound to its L-type channels: the modulated-receptor scheme attached to each
 * L-type isoform of a context through the channel hook (`CellSpec.schemes`), and the parameter
 * values that put each compound at a concentration. The concentrations are parameters, so a
 * concentration–response compiles the cell once.
 */
import type { CellSpec } from '../biology/contexts.js';
import type { Isoform } from './compound-schema.js';
import { type AssumptionNote, type DrugExposure, type Ligand, ligandDoses, resolveCompound } from './library.js';
import { concentrationParam, modulatedReceptor } from './modulated-receptor.js';
import { PharmacologyError } from './quantity.js';

type Spec = Omit<CellSpec, 'input'>;

/** The L-type isoforms present in a context. */
export function lTypeIsoforms(spec: Spec): Isoform[] {
  if (spec.context === 'heterologous') return [spec.isoform ?? 'cav13'];
  if (spec.context === 'ca1') return ['cav12', 'cav13'];
  return ['cav12'];
}

/** A compound in a drug cell: its ligands and their molar fractions. */
export interface DrugComponent {
  readonly compound: string;
  readonly ligandId: string;
  readonly fraction: number;
}

export interface DrugCell {
  /** The cell spec with binding attached (pass to `runProtocol`). */
  readonly spec: Spec;
  readonly isoforms: readonly Isoform[];
  readonly ligands: readonly Ligand[];
  readonly components: readonly DrugComponent[];
  /** Every assumption behind the compounds' numbers, for reports. */
  readonly assumptions: readonly AssumptionNote[];
  /**
   * Parameter values (`RunOptions.set`) that put each compound at its total free concentration
   * (nM), split among its enantiomers; compounds not named are at 0.
   * @throws PharmacologyError for an unknown compound or a negative/non-numeric concentration.
   */
  concentrations(byCompound: Readonly<Record<string, number>>): Record<string, number>;
}

/**
 * Attaches the compounds (one or several, e.g. a DHP plus Bay K) to every L-type isoform of
 * `base`. `variants` chooses the activity of substances whose activity is an assumption.
 */
export function drugCell(base: Spec, compounds: readonly string[], variants?: Readonly<Record<string, string>>): DrugCell {
  if (compounds.length === 0) throw new PharmacologyError('name at least one compound', 'compounds');
  const ids = compounds.map((c) => resolveCompound(c, variantsFor(c, variants)).id);
  if (new Set(ids).size !== ids.length) throw new PharmacologyError('a compound is listed twice', 'compounds');
  for (const v of Object.keys(variants ?? {})) {
    if (!ids.some((id) => resolveCompound(id).components.some((c) => c.substanceId === v))) {
      throw new PharmacologyError(`'${v}' is not a substance of ${ids.join(', ')}`, `variants.${v}`);
    }
  }
  const exposures: DrugExposure[] = ids.map((c) => ({ compound: c, concentration_nM: 0, ...variantsFor(c, variants) }));
  const doses = ligandDoses(exposures);
  const isoforms = lTypeIsoforms(base);
  const schemes: NonNullable<CellSpec['schemes']> = Object.fromEntries(isoforms.map((iso) => [iso, modulatedReceptor(iso, doses)]));
  const components: DrugComponent[] = [];
  const assumptions: AssumptionNote[] = [];
  for (const id of ids) {
    const rc = resolveCompound(id, variantsFor(id, variants));
    assumptions.push(...rc.assumptions);
    for (const c of rc.components) if (c.ligand) components.push({ compound: rc.id, ligandId: c.ligand.id, fraction: c.fraction });
  }
  return {
    spec: { ...base, schemes: { ...(base.schemes ?? {}), ...schemes } },
    isoforms,
    ligands: doses.map((d) => d.ligand),
    components,
    assumptions,
    concentrations(byCompound) {
      const perLigand = new Map<string, number>(doses.map((d) => [d.ligand.id, 0]));
      for (const [name, c] of Object.entries(byCompound)) {
        if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new PharmacologyError(`concentration must be a number ≥ 0 (nM), got ${String(c)}`, `concentrations.${name}`);
        const id = resolveCompound(name, variantsFor(name, variants)).id;
        if (!ids.includes(id)) throw new PharmacologyError(`compound '${name}' is not in this cell (${ids.join(', ')})`, `concentrations.${name}`);
        for (const comp of components) if (comp.compound === id) perLigand.set(comp.ligandId, perLigand.get(comp.ligandId)! + comp.fraction * c);
      }
      const out: Record<string, number> = {};
      for (const iso of isoforms) for (const [lig, c] of perLigand) out[concentrationParam(iso, lig)] = c;
      return out;
    },
  };
}

/** The variants that apply to one compound (only those naming its substances). */
function variantsFor(compound: string, variants?: Readonly<Record<string, string>>): { variants?: Record<string, string> } {
  if (!variants) return {};
  const rc = resolveCompound(compound);
  const mine = Object.fromEntries(Object.entries(variants).filter(([k]) => rc.components.some((c) => c.substanceId === k)));
  return Object.keys(mine).length ? { variants: mine } : {};
}

/** A cell spec with drugs applied: pass `spec` to the cell and `set` as parameter values (e.g. `runProtocol(spec, protocol, { set })`). */
export interface AppliedDrugs {
  readonly spec: Spec;
  readonly set: Record<string, number>;
  /** Assumptions behind the compounds' numbers, for reports. */
  readonly assumptions: readonly AssumptionNote[];
}

/**
 * The simplest way to put real compounds on a cell: each exposure is a compound at its free
 * concentration at the channels (nM), bound to every L-type isoform of the context at
 * equilibrium from the start (modulated-receptor model). Example, nimodipine 1 µM in a CA1
 * neuron:
 * ```ts
 * const d = applyDrugs({ context: 'ca1' }, [{ compound: 'nimodipine', concentration_nM: 1000 }]);
 * runProtocol(d.spec, kDepolarisation(40, 120_000), { set: d.set });
 * ```
 */
export function applyDrugs(base: Spec, exposures: readonly DrugExposure[]): AppliedDrugs {
  const variants: Record<string, string> = {};
  for (const e of exposures) Object.assign(variants, e.variants ?? {});
  const cell = drugCell(base, exposures.map((e) => e.compound), Object.keys(variants).length ? variants : undefined);
  const set = cell.concentrations(Object.fromEntries(exposures.map((e, k) => {
    const c = e.concentration_nM;
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new PharmacologyError(`concentration must be a number ≥ 0 (nM), got ${String(c)}`, `drugs[${k}].concentration_nM`);
    return [e.compound, c];
  })));
  return { spec: cell.spec, set, assumptions: cell.assumptions };
}
