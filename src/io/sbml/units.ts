/**
 * SBML units → ltcc unit strings. A `<unitDefinition>` is a product of
 * (multiplier · 10^scale · kind)^exponent factors; it is turned into a {@link Unit} and
 * written with `formatUnit`, so the IR carries ordinary ltcc unit strings (`mM`, `1/s`).
 */
import { DIMENSIONLESS, type Unit, formatUnit, multiply, parseUnit, power } from '../../math/units.js';
import type { XmlElement } from './xml.js';

/** The SBML base unit kinds (Level 2 and 3) in ltcc unit syntax. */
const KINDS: ReadonlyMap<string, string> = new Map([
  ['ampere', 'A'], ['becquerel', '1/s'], ['candela', 'cd'], ['coulomb', 'C'], ['dimensionless', 'dimensionless'],
  ['farad', 'F'], ['gram', 'g'], ['gray', 'J/kg'], ['henry', 'V*s/A'], ['hertz', 'Hz'], ['item', 'item'],
  ['joule', 'J'], ['katal', 'mol/s'], ['kelvin', 'K'], ['kilogram', 'kg'], ['litre', 'L'], ['liter', 'L'],
  ['lumen', 'cd'], ['lux', 'cd/m^2'], ['metre', 'm'], ['meter', 'm'], ['mole', 'mol'], ['newton', 'N'],
  ['ohm', 'ohm'], ['pascal', 'Pa'], ['radian', 'dimensionless'], ['second', 's'], ['siemens', 'S'],
  ['sievert', 'J/kg'], ['steradian', 'dimensionless'], ['tesla', 'V*s/m^2'], ['volt', 'V'], ['watt', 'W'],
  ['weber', 'V*s'], ['avogadro', 'dimensionless'],
]);

/** Level 2 predefined unit ids (used when the model does not redefine them). */
const L2_PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['substance', 'mol'], ['volume', 'L'], ['area', 'm^2'], ['length', 'm'], ['time', 's'],
]);

/** Reads the `<listOfUnitDefinitions>`; returns id → Unit, and warnings for kinds it cannot read. */
export function readUnitDefinitions(model: XmlElement, warn: (msg: string) => void): Map<string, Unit> {
  const defs = new Map<string, Unit>();
  const list = model.children.find((c) => c.name === 'listOfUnitDefinitions');
  for (const ud of list?.children ?? []) {
    if (ud.name !== 'unitDefinition') continue;
    const id = ud.attrs.get('id');
    if (!id) continue;
    let u: Unit = DIMENSIONLESS;
    let ok = true;
    const units = ud.children.find((c) => c.name === 'listOfUnits')?.children ?? [];
    for (const f of units) {
      if (f.name !== 'unit') continue;
      const kind = f.attrs.get('kind') ?? '';
      const base = KINDS.get(kind);
      if (base === undefined) {
        warn(`unit definition '${id}' (line ${f.line}): unknown unit kind '${kind}'; the unit is not kept`);
        ok = false;
        break;
      }
      const exponent = Number(f.attrs.get('exponent') ?? '1');
      const scale = Number(f.attrs.get('scale') ?? '0');
      const multiplier = Number(f.attrs.get('multiplier') ?? '1');
      if (![exponent, scale, multiplier].every(Number.isFinite) || multiplier <= 0) {
        warn(`unit definition '${id}' (line ${f.line}): unreadable exponent/scale/multiplier; the unit is not kept`);
        ok = false;
        break;
      }
      const factor = multiply(parseUnit(base), { dim: DIMENSIONLESS.dim, scale: multiplier * Math.pow(10, scale) });
      u = multiply(u, power(factor, exponent));
    }
    if (ok) defs.set(id, u);
  }
  return defs;
}

/**
 * The ltcc unit string for an SBML unit reference (a unit definition id, a base kind, or a
 * Level 2 predefined id), or undefined when there is none or it cannot be read.
 */
export function unitString(ref: string | undefined, defs: ReadonlyMap<string, Unit>, level: number): string | undefined {
  if (ref === undefined || ref === '') return undefined;
  const d = defs.get(ref);
  if (d) return formatUnit(d);
  const k = KINDS.get(ref);
  if (k !== undefined) return formatUnit(parseUnit(k));
  if (level === 2) {
    const p = L2_PREDEFINED.get(ref);
    if (p !== undefined) return formatUnit(parseUnit(p));
  }
  return undefined;
}

/** SBML unit kinds, for the exporter: ltcc base symbol → SBML kind. */
export const SBML_KIND_OF_BASE: ReadonlyMap<string, string> = new Map([
  ['m', 'metre'], ['kg', 'kilogram'], ['s', 'second'], ['A', 'ampere'], ['K', 'kelvin'], ['mol', 'mole'], ['cd', 'candela'],
]);
