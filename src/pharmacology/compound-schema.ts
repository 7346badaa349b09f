/**
 * The schema of a compound record (one JSON file per compound in `compounds/`).
 *
 * A record is either a `substance` (one chemical entity, e.g. one enantiomer, or a drug whose
 * enantiomers are not told apart by the data) or a `mixture` of substances with fractions (a
 * racemate). A substance carries its action on L-type channels and the state-specific affinities
 * of the modulated-receptor model (see `modulated-receptor.ts`), or several `variants` of them
 * when its activity is unknown and the user must be able to choose. Every number is a
 * {@link Quantity} with a unit and a source or an assumption.
 */
import { z } from 'zod';
import { fractionQuantity, nonNegativeQuantity, positiveQuantity, quantitySchema, valueIn } from './quantity.js';

/** Channel isoforms that compound records give affinities for. */
export const ISOFORMS = ['cav12', 'cav13'] as const;
export type Isoform = (typeof ISOFORMS)[number];

/** What a bound drug does to the channel. `inactive` does not bind. */
export const ACTIONS = ['antagonist', 'agonist', 'inactive'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Dissociation constants per state class of the channel scheme. For an agonist the open-state
 * affinity is not given: it follows from the activation shift (thermodynamic cycle).
 */
const stateAffinities = z
  .object({
    resting: positiveQuantity,
    open: positiveQuantity.optional(),
    inactivated: positiveQuantity,
    caInactivated: positiveQuantity,
  })
  .strict();

/** Affinities for Cav1.3 given as a multiple of the Cav1.2 affinities, state by state. */
const relativeAffinities = z
  .object({
    relativeTo: z.literal('cav12'),
    /** Kd(Cav1.3) = factor × Kd(Cav1.2) in every state. */
    factor: positiveQuantity,
  })
  .strict();

const bindingSchema = z
  .object({
    /** Association rate constant, the same for every state (state dependence sits in koff). */
    kon: positiveQuantity,
    cav12: stateAffinities,
    cav13: z.union([stateAffinities, relativeAffinities]),
    /** Agonists only: shift of the bound channel's activation (negative = to more negative voltages). */
    activationShift: quantitySchema.optional(),
  })
  .strict();

const activitySchema = z
  .object({
    action: z.enum(ACTIONS),
    binding: bindingSchema.optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.action === 'inactive') {
      if (a.binding) ctx.addIssue({ code: 'custom', path: ['binding'], message: 'an inactive substance does not bind: remove "binding"' });
      return;
    }
    if (!a.binding) {
      ctx.addIssue({ code: 'custom', path: ['binding'], message: `an ${a.action} needs "binding"` });
      return;
    }
    if (a.action === 'agonist') {
      if (!a.binding.activationShift) ctx.addIssue({ code: 'custom', path: ['binding', 'activationShift'], message: 'an agonist needs "activationShift" (mV)' });
      if (a.binding.cav12.open) ctx.addIssue({ code: 'custom', path: ['binding', 'cav12', 'open'], message: 'an agonist\'s open-state Kd follows from the activation shift: remove it' });
    } else {
      if (a.binding.activationShift) ctx.addIssue({ code: 'custom', path: ['binding', 'activationShift'], message: 'only an agonist has an activation shift' });
      if (!a.binding.cav12.open) ctx.addIssue({ code: 'custom', path: ['binding', 'cav12', 'open'], message: 'an antagonist needs an open-state Kd' });
      if (!('relativeTo' in a.binding.cav13) && !a.binding.cav13.open) {
        ctx.addIssue({ code: 'custom', path: ['binding', 'cav13', 'open'], message: 'an antagonist needs an open-state Kd' });
      }
    }
  });

/** Oral pharmacokinetics (see `pk.ts` for the equations). Per-kg values are scaled by `bodyWeight`. */
export const pkSchema = z
  .object({
    model: z.enum(['one-compartment', 'two-compartment']),
    bodyWeight: positiveQuantity,
    bioavailability: fractionQuantity,
    absorptionRate: positiveQuantity,
    lagTime: nonNegativeQuantity,
    clearance: positiveQuantity,
    centralVolume: positiveQuantity,
    intercompartmentalClearance: positiveQuantity.optional(),
    peripheralVolume: positiveQuantity.optional(),
    fractionUnbound: fractionQuantity,
    /** Unbound brain / unbound plasma concentration ratio at steady state. */
    kpuu: positiveQuantity,
    /** Optional effect-site equilibration rate constant. */
    ke0: positiveQuantity.optional(),
    notes: z.array(z.string()).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const two = p.model === 'two-compartment';
    for (const k of ['intercompartmentalClearance', 'peripheralVolume'] as const) {
      if (two && !p[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required by the two-compartment model' });
      if (!two && p[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'only used by the two-compartment model' });
    }
  });

const clinicalUseSchema = z
  .object({
    description: z.string().min(1),
    dose: positiveQuantity,
    interval: positiveQuantity.optional(),
    source: z.string().min(1),
  })
  .strict();

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and "-"'),
  name: z.string().min(1),
  synonyms: z.array(z.string()).default([]),
  class: z.string().min(1),
  description: z.string().min(1),
  molecularWeight: positiveQuantity,
  pk: pkSchema.optional(),
  clinicalUse: z.array(clinicalUseSchema).default([]),
  /** Caveats that every report using the compound must list. */
  notes: z.array(z.string()).default([]),
};

const substanceSchema = z
  .object({
    kind: z.literal('substance'),
    ...common,
    /** Stereodescriptor as the sources write it, e.g. "(S)-(−)". */
    stereo: z.string().optional(),
    activity: activitySchema.optional(),
    /** Alternative activities when the real one is unknown; the user picks one by name. */
    variants: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), activitySchema).optional(),
    defaultVariant: z.string().optional(),
    /** Why the default variant was chosen. */
    variantAssumption: z.string().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.activity === undefined) === (s.variants === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['activity'], message: 'give either "activity" or "variants" (with "defaultVariant")' });
    }
    if (s.variants) {
      if (!s.defaultVariant || !(s.defaultVariant in s.variants)) {
        ctx.addIssue({ code: 'custom', path: ['defaultVariant'], message: `must name one of the variants (${Object.keys(s.variants).join(', ')})` });
      }
      if (!s.variantAssumption) ctx.addIssue({ code: 'custom', path: ['variantAssumption'], message: 'say why the default variant was chosen' });
    }
  });

const mixtureSchema = z
  .object({
    kind: z.literal('mixture'),
    ...common,
    components: z
      .array(z.object({ compound: z.string().min(1), fraction: fractionQuantity }).strict())
      .min(2, 'a mixture has at least two components'),
  })
  .strict()
  .superRefine((m, ctx) => {
    let sum = 0;
    for (const c of m.components) {
      try {
        sum += valueIn(c.fraction, 'dimensionless', 'fraction');
      } catch {
        return; // the fraction's own schema reports the bad unit
      }
    }
    if (Math.abs(sum - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['components'], message: `fractions must sum to 1, they sum to ${sum}` });
  });

/** A compound record as stored in `compounds/<id>.json`. */
export const compoundSchema = z.discriminatedUnion('kind', [substanceSchema, mixtureSchema]);

export type CompoundRecord = z.infer<typeof compoundSchema>;
export type SubstanceRecord = z.infer<typeof substanceSchema>;
export type MixtureRecord = z.infer<typeof mixtureSchema>;
export type ActivityRecord = z.infer<typeof activitySchema>;
export type BindingRecord = z.infer<typeof bindingSchema>;
export type PkRecord = z.infer<typeof pkSchema>;
