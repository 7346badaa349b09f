/**
 * A number with its unit and its provenance, as compound records store every value.
 *
 * A value read from a file is only ever used through {@link valueIn}, which converts it to the
 * unit the code works in and fails, naming the field, when the dimension is wrong. So a Kd typed
 * in `uM` or `M` works, and a Kd typed in `ms` is refused instead of being read as nanomolar.
 */
import { z } from 'zod';
import { UnitError, convertFactor, parseUnit, type Unit } from '../math/units.js';
import { ModelError } from '../model/errors.js';

/**
 * Raised for compound data, doses or concentrations that cannot be used; the message names the
 * field. It extends {@link ModelError} so every front end reports it as bad input.
 */
export class PharmacologyError extends ModelError {
  constructor(message: string, readonly field?: string) {
    super(field ? `${field}: ${message}` : message, field);
    this.name = 'PharmacologyError';
  }
}

/** Value, unit and where it comes from. Exactly one of `source` and `assumption` is set. */
export interface Quantity {
  readonly value: number;
  readonly unit: string;
  /** Paper with figure/table, label, or model file. */
  readonly source?: string;
  /** Why this value was chosen when no source gives it. */
  readonly assumption?: string;
  /** Free-text remark (e.g. the arithmetic of a derived value). */
  readonly note?: string;
}

const unitString = z.string().min(1, 'a unit is required').superRefine((s, ctx) => {
  try {
    parseUnit(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as UnitError).message });
  }
});

/** Schema of {@link Quantity}: a finite number, a readable unit, and a source or an assumption. */
export const quantitySchema = z
  .object({
    value: z.number({ error: 'value must be a number' }).finite('value must be finite'),
    unit: unitString,
    source: z.string().min(1).optional(),
    assumption: z.string().min(1).optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((q) => (q.source === undefined) !== (q.assumption === undefined), {
    message: 'give exactly one of "source" or "assumption"',
  });

/** A quantity whose value must not be negative. */
export const nonNegativeQuantity = quantitySchema.refine((q) => q.value >= 0, { message: 'must not be negative', path: ['value'] });
/** A quantity whose value must be strictly positive. */
export const positiveQuantity = quantitySchema.refine((q) => q.value > 0, { message: 'must be positive', path: ['value'] });
/** A fraction in [0, 1] (unit `dimensionless` or `%`). */
export const fractionQuantity = quantitySchema.refine((q) => {
  try {
    const f = q.value * convertFactor(parseUnit(q.unit), parseUnit('dimensionless'));
    return f >= 0 && f <= 1;
  } catch {
    return false;
  }
}, { message: 'must be a dimensionless fraction between 0 and 1 (or 0–100 %)' });

/**
 * The value of `q` in `unit` (e.g. `valueIn(kd, 'nM', 'nitrendipine.binding.cav12.resting')`).
 * @throws PharmacologyError naming `field` when the units have different dimensions.
 */
export function valueIn(q: Quantity, unit: string | Unit, field: string): number {
  const target = typeof unit === 'string' ? parseUnit(unit) : unit;
  let from: Unit;
  try {
    from = parseUnit(q.unit);
  } catch (e) {
    throw new PharmacologyError(`unreadable unit '${q.unit}': ${(e as Error).message}`, field);
  }
  try {
    return q.value * convertFactor(from, target);
  } catch {
    throw new PharmacologyError(`unit '${q.unit}' cannot be converted to ${typeof unit === 'string' ? unit : 'the expected unit'}`, field);
  }
}

/** One line of provenance for reports: "source: …" or "assumption: …". */
export function provenanceText(q: Quantity): string {
  return q.source !== undefined ? `source: ${q.source}` : `assumption: ${q.assumption ?? ''}`;
}
