/**
 * Parameters as data: every number of the cell models is a {@link ParamSpec} with its unit and
 * either a source (paper + figure/table, or model file and path) or an assumption with a reason.
 * Components declare their parameters from these tables, so `ltcc params` can list them and the
 * model IR carries the provenance into every export.
 *
 * Unit conventions of the biology layer: time ms, voltage mV, intracellular concentrations µM,
 * extracellular concentrations mM, current densities µA/cm², specific capacitance µF/cm²,
 * permeabilities cm/s, conductance densities mS/cm². Whole-cell currents are reported in pA and
 * capacitances in pF.
 */
import type { ComponentBuilder } from '../model/builder.js';
import { BiologyError } from './errors.js';

export interface ParamSpec {
  readonly value: number;
  readonly unit: string;
  /** Paper with figure/table, or model file and path. */
  readonly source?: string;
  /** Why this value was chosen when no source gives it. */
  readonly assumption?: string;
  readonly description?: string;
  /** Physical bounds (inclusive) checked whenever the value is set. */
  readonly bounds?: readonly [number, number];
}

/** A component's parameter table: short name ↦ spec. */
export type ParamTable = Readonly<Record<string, ParamSpec>>;

/** Non-negative quantities: conductances, permeabilities, concentrations, rates, time constants. */
export const NONNEG: readonly [number, number] = [0, Infinity];
export const POSITIVE: readonly [number, number] = [Number.MIN_VALUE, Infinity];

/** A parameter with a source. */
export const src = (value: number, unit: string, source: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ value, unit, source, ...extra });
/** A parameter chosen without a source, with the reason. */
export const assume = (value: number, unit: string, assumption: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ value, unit, assumption, ...extra });

/** One registered parameter, as `ltcc params` lists it. */
export interface RegisteredParam extends ParamSpec {
  /** Fully qualified name (`cav13.pbar`). */
  readonly path: string;
  readonly component: string;
}

/**
 * Overrides of parameter values by path (`cav12.pbar`), checked against the table: unknown paths
 * and out-of-bounds values are errors naming the path.
 */
export type Overrides = Readonly<Record<string, number>>;

/** Checks one value against its spec; throws naming the path. */
export function checkValue(path: string, spec: ParamSpec, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BiologyError(`must be a finite number, got ${String(v)}`, path);
  const b = spec.bounds;
  if (b && (v < b[0] || v > b[1])) {
    throw new BiologyError(`${v} ${spec.unit} is outside the physical range [${b[0]}, ${b[1]}]`, path);
  }
}

/**
 * Declares every parameter of `table` in component `c`, applying overrides addressed as
 * `<component>.<name>`. Returns the overrides that were consumed (so the caller can report
 * the ones that matched no parameter).
 */
export function declareParams(c: ComponentBuilder, table: ParamTable, overrides: Overrides = {}, used?: Set<string>): void {
  for (const [name, spec] of Object.entries(table)) {
    const path = c.q(name);
    let value = spec.value;
    if (Object.prototype.hasOwnProperty.call(overrides, path)) {
      value = overrides[path];
      used?.add(path);
    }
    checkValue(path, spec, value);
    c.parameter(name, value, {
      unit: spec.unit,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(spec.source !== undefined ? { source: spec.source } : {}),
      ...(spec.assumption !== undefined ? { assumption: spec.assumption } : {}),
      ...(spec.bounds ? { bounds: spec.bounds } : {}),
    });
  }
}

/** Throws if an override path matched nothing in the built model. */
export function checkOverridesUsed(overrides: Overrides, used: ReadonlySet<string>, known: readonly string[]): void {
  for (const path of Object.keys(overrides)) {
    if (!used.has(path)) {
      const comp = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
      const sameComp = known.filter((k) => k.startsWith(`${comp}.`)).map((k) => k.slice(comp.length + 1));
      const hint = sameComp.length
        ? ` (component '${comp}' has: ${sameComp.slice(0, 12).join(', ')}${sameComp.length > 12 ? ', …' : ''})`
        : ` (no component '${comp}' in this model; components: ${[...new Set(known.map((k) => k.slice(0, k.lastIndexOf('.'))))].join(', ')})`;
      throw new BiologyError(`unknown parameter path${hint}`, path);
    }
  }
}
