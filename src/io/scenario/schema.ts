/**
 * The scenario file: what a user writes to run a simulation or an experiment. Plain data,
 * checked by a zod schema that is also exported as JSON Schema (`ltcc schema`).
 *
 * Units are fixed per field and stated in each field's description: membrane potential in mV,
 * time in ms (dosing in h), current in pA, drug concentration in µM, ion concentration in mM,
 * doses in mg. Every object is strict: an unknown key is an error (with a did-you-mean hint),
 * never silently ignored.
 */
import * as z from 'zod';

const finite = (): z.ZodNumber => z.number();
const positive = (): z.ZodNumber => z.number().positive();
const nonNegative = (): z.ZodNumber => z.number().nonnegative();

/** A scenario name: used for the output folder, so letters, digits, `_`, `.` and `-` only. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Values of a parameter (or concentrations) as an explicit list or an evenly spaced range. */
export const RangeSchema = z.strictObject({
  from: finite().describe('First value (in the unit of the swept quantity).'),
  to: finite().describe('Last value (included).'),
  count: z.number().int().min(2).max(10_000).describe('Number of values, at least 2.'),
  scale: z.enum(['linear', 'log']).default('linear').describe("Spacing: 'linear' or 'log' (log needs from, to > 0). Default 'linear'."),
}).superRefine((r, ctx) => {
  if (r.scale === 'log' && !(r.from > 0 && r.to > 0)) {
    ctx.addIssue({ code: 'custom', message: "a 'log' range needs from > 0 and to > 0", path: ['scale'] });
  }
});
export type RangeSpec = z.output<typeof RangeSchema>;

/** What a read-out measures on a time course. */
export const MEASURES = ['max', 'min', 'final', 'mean', 'auc'] as const;
export type Measure = (typeof MEASURES)[number];

/** One number taken from one simulated time course. */
export const ReadoutSchema = z.strictObject({
  observable: z.string().min(1).describe('Name of an observable, state or assigned quantity of the model.'),
  measure: z.enum(MEASURES).default('max').describe("Statistic over the time course: 'max', 'min', 'final', 'mean' (time-weighted) or 'auc' (trapezoidal integral, unit × ms). Default 'max'."),
  from: nonNegative().optional().describe('Start of the analysis window (ms). Default: start of the simulation.'),
  to: nonNegative().optional().describe('End of the analysis window (ms). Default: end of the simulation.'),
}).superRefine((r, ctx) => {
  if (r.from !== undefined && r.to !== undefined && !(r.to > r.from)) {
    ctx.addIssue({ code: 'custom', message: `the window end (${r.to}) must be after its start (${r.from})`, path: ['to'] });
  }
});
export type ReadoutSpec = z.output<typeof ReadoutSchema>;

const valuesOrRange = <T extends z.ZodRawShape>(shape: T, what: string) =>
  z.strictObject({
    ...shape,
    values: z.array(finite()).min(1).optional().describe(`Explicit ${what}.`),
    range: RangeSchema.optional().describe(`Evenly spaced ${what} (instead of values).`),
  }).superRefine((o, ctx) => {
    const v = (o as { values?: unknown }).values;
    const r = (o as { range?: unknown }).range;
    if (v === undefined && r === undefined) ctx.addIssue({ code: 'custom', message: `give the ${what} as 'values' or 'range'` });
    if (v !== undefined && r !== undefined) ctx.addIssue({ code: 'custom', message: `give the ${what} as 'values' or 'range', not both`, path: ['range'] });
  });

/** One swept parameter of a grid. */
export const AxisSchema = valuesOrRange({
  parameter: z.string().min(1).describe('Parameter path, e.g. cav13.gbar.'),
}, 'parameter values');
export type AxisSpec = z.output<typeof AxisSchema>;

// ---------------------------------------------------------------------------------------------
// Protocols

/** One step (or ramp) of a voltage-clamp command. */
export const VoltageSegmentSchema = z.strictObject({
  voltage: finite().describe('Command potential (mV); for a ramp, the potential at the start of the segment.'),
  duration: positive().describe('Duration (ms).'),
  to: finite().optional().describe('Ramp: the potential at the end of the segment (mV), reached linearly. Default: none (a step held at `voltage`).'),
});

/**
 * Voltage clamp: a holding potential followed by a sequence of command steps and ramps. A
 * prepulse protocol is two segments (conditioning, then test); an I–V family is a `sweep`
 * experiment over the level of one segment (in the built-in contexts the parameter
 * `stim.v<k>` is the level of segment k, counting from 1).
 */
export const VoltageClampSchema = z.strictObject({
  type: z.literal('voltage-clamp'),
  holding: finite().describe('Holding potential (mV), applied from t = 0 and after the last segment.'),
  hold: nonNegative().default(0).describe('Time at the holding potential before the first segment (ms). Default 0.'),
  segments: z.array(VoltageSegmentSchema).min(1).describe('Command steps, applied in order.'),
});

/** One step of injected current. */
export const CurrentStepSchema = z.strictObject({
  amplitude: finite().describe('Injected current (pA); positive depolarises.'),
  duration: positive().describe('Duration (ms).'),
});

/** Current clamp: steps of injected current. */
export const CurrentStepsSchema = z.strictObject({
  type: z.literal('current-steps'),
  delay: nonNegative().default(0).describe('Time without injected current before the first step (ms). Default 0.'),
  steps: z.array(CurrentStepSchema).min(1).describe('Current steps, applied in order; no current afterwards.'),
});

/** Current clamp: a train of brief pulses (e.g. to evoke spikes at a given frequency). */
export const CurrentTrainSchema = z.strictObject({
  type: z.literal('current-train'),
  amplitude: finite().describe('Pulse amplitude (pA).'),
  width: positive().describe('Pulse width (ms).'),
  frequency: positive().describe('Pulse frequency (Hz).'),
  count: z.number().int().positive().describe('Number of pulses.'),
  start: nonNegative().default(0).describe('Time of the first pulse (ms). Default 0.'),
}).superRefine((p, ctx) => {
  if (p.width >= 1000 / p.frequency) {
    ctx.addIssue({ code: 'custom', message: `pulse width ${p.width} ms does not fit in the period ${1000 / p.frequency} ms of ${p.frequency} Hz`, path: ['width'] });
  }
});

/** Depolarisation by raised extracellular K⁺ (e.g. 40–90 mM KCl). */
export const KDepolarisationSchema = z.strictObject({
  type: z.literal('k-depolarisation'),
  concentration: positive().describe('Extracellular K⁺ during the application (mM).'),
  baseline: positive().optional().describe("Extracellular K⁺ before and after (mM). Default: the context's resting value."),
  start: nonNegative().default(0).describe('Start of the application (ms). Default 0.'),
  duration: positive().describe('Duration of the application (ms).'),
});

/** Drug dosing over days: the regimens given in `compounds`. */
export const DosingProtocolSchema = z.strictObject({
  type: z.literal('dosing'),
  days: positive().describe('Simulated time (days) over which the compound regimens are given.'),
});

/** The stimulus, as data; each context maps it onto its model. */
export const ProtocolSchema = z.discriminatedUnion('type', [
  VoltageClampSchema, CurrentStepsSchema, CurrentTrainSchema, KDepolarisationSchema, DosingProtocolSchema,
]).describe("The stimulus; 'type' selects the kind.");
export type ProtocolSpec = z.output<typeof ProtocolSchema>;
export type ProtocolType = ProtocolSpec['type'];
/** Every protocol type, in schema order. */
export const PROTOCOL_TYPES: readonly ProtocolType[] = ['voltage-clamp', 'current-steps', 'current-train', 'k-depolarisation', 'dosing'];

// ---------------------------------------------------------------------------------------------
// Compounds

/** A dosing regimen (placeholder shape until the PK models define more). */
export const RegimenSchema = z.strictObject({
  dose: positive().describe('Dose per administration (mg).'),
  interval: positive().describe('Time between doses (h), e.g. 12 for twice daily.'),
  count: z.number().int().positive().optional().describe('Number of doses. Default: dose for the whole protocol.'),
  route: z.enum(['oral', 'iv']).default('oral').describe("Route of administration. Default 'oral'."),
});
export type RegimenSpec = z.output<typeof RegimenSchema>;

/** A compound applied at a fixed free concentration or given as a dosing regimen. */
export const CompoundSchema = z.strictObject({
  id: z.string().min(1).describe('Compound id from the compound library, e.g. nimodipine.'),
  concentration: nonNegative().optional().describe('Free concentration at the target (µM), held constant.'),
  regimen: RegimenSchema.optional().describe('Dosing regimen (instead of a fixed concentration).'),
}).superRefine((c, ctx) => {
  if ((c.concentration === undefined) === (c.regimen === undefined)) {
    ctx.addIssue({ code: 'custom', message: "give either 'concentration' or 'regimen'" });
  }
});
export type CompoundSpec = z.output<typeof CompoundSchema>;

// ---------------------------------------------------------------------------------------------
// Components, outputs, solver

/** A change to one component of the context. */
export const ComponentChangeSchema = z.strictObject({
  knockout: z.boolean().optional().describe('Remove the component (knock-out, mutant or full block). Default false.'),
  scale: nonNegative().optional().describe('Multiply the component’s amount or conductance by this factor. Default 1.'),
}).superRefine((c, ctx) => {
  if (c.knockout === undefined && c.scale === undefined) ctx.addIssue({ code: 'custom', message: "give 'knockout' or 'scale'" });
  if (c.knockout === true && c.scale !== undefined) ctx.addIssue({ code: 'custom', message: "a knocked-out component cannot also be scaled", path: ['scale'] });
});
export type ComponentChange = z.output<typeof ComponentChangeSchema>;

export const OutputsSchema = z.strictObject({
  observables: z.array(z.string().min(1)).min(1).optional().describe('Quantities to record (observables, states or assigned quantities). Default: every observable of the model, or every state if it has none.'),
  interval: positive().optional().describe('Sampling interval of the time courses (ms). Default: duration / 500.'),
});
export type OutputsSpec = z.output<typeof OutputsSchema>;

export const SOLVER_METHODS = ['bdf', 'rosenbrock', 'dopri5'] as const;

export const SolverSchema = z.strictObject({
  method: z.enum(SOLVER_METHODS).default('bdf').describe("Integration method: 'bdf' (stiff, variable order), 'rosenbrock' (stiff, one-step) or 'dopri5' (non-stiff). Default 'bdf'."),
  rtol: positive().max(0.1).default(1e-6).describe('Relative tolerance. Default 1e-6.'),
  atol: positive().default(1e-10).describe('Absolute tolerance (in the unit of each state). Default 1e-10.'),
  maxSteps: z.number().int().positive().optional().describe('Largest number of steps before the run fails. Default 500000.'),
  hmax: positive().optional().describe('Largest step (ms). Default unbounded.'),
});
export type SolverSpec = z.output<typeof SolverSchema>;

// ---------------------------------------------------------------------------------------------
// Experiments

export const SweepSchema = valuesOrRange({
  type: z.literal('sweep'),
  name: z.string().optional().describe('Label used in tables and plots. Default: the parameter path.'),
  parameter: z.string().min(1).describe('Parameter path to vary, e.g. cav13.gbar.'),
  readouts: z.array(ReadoutSchema).min(1).describe('What to measure in each simulation.'),
}, 'parameter values');

export const GridSchema = z.strictObject({
  type: z.literal('grid'),
  name: z.string().optional().describe('Label used in tables and plots. Default: the two parameter paths.'),
  x: AxisSchema.describe('Parameter on the horizontal axis.'),
  y: AxisSchema.describe('Parameter on the vertical axis.'),
  readout: ReadoutSchema.describe('What to measure in each simulation (one heat map).'),
}).superRefine((g, ctx) => {
  if (g.x.parameter === g.y.parameter) ctx.addIssue({ code: 'custom', message: 'the two axes must vary different parameters', path: ['y', 'parameter'] });
});

export const ConcentrationResponseSchema = valuesOrRange({
  type: z.literal('concentration-response'),
  name: z.string().optional().describe('Label used in tables and plots. Default: the compound id.'),
  compound: z.string().min(1).describe('Compound id.'),
  readouts: z.array(ReadoutSchema).min(1).describe('What to measure at each concentration.'),
  fit: z.strictObject({
    model: z.literal('hill').default('hill').describe("Fitted curve: 'hill' (IC50/EC50, Hill slope, top, bottom). Default 'hill'."),
    confidence: z.number().gt(0).lt(1).default(0.95).describe('Level of the confidence intervals. Default 0.95.'),
  }).optional().describe('Curve fit; default: a Hill fit with 95 % confidence intervals.'),
}, 'concentrations (µM, > 0 on the log axis)');

export const KnockoutsSchema = z.strictObject({
  type: z.literal('knockouts'),
  name: z.string().optional().describe('Label used in tables and plots. Default: knockouts.'),
  components: z.array(z.string().min(1)).min(1).describe('Components to remove, one simulation each, compared with the intact model.'),
  readouts: z.array(ReadoutSchema).min(1).describe('What to measure in each simulation.'),
});

export const ExperimentSchema = z.discriminatedUnion('type', [SweepSchema, GridSchema, ConcentrationResponseSchema, KnockoutsSchema])
  .describe("An experiment: 'type' selects the kind.");
export type ExperimentSpec = z.output<typeof ExperimentSchema>;
export type ExperimentType = ExperimentSpec['type'];
export const EXPERIMENT_TYPES: readonly ExperimentType[] = ['sweep', 'grid', 'concentration-response', 'knockouts'];

// ---------------------------------------------------------------------------------------------
// The scenario

export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional().describe('Optional link to this JSON Schema, for editors.'),
  name: z.string().regex(NAME_PATTERN, 'use letters, digits, _, . and - only (it names the output folder)').describe('Short name; names the output folder out/<name>/.'),
  description: z.string().optional().describe('What the scenario shows, in a sentence or two.'),
  context: z.string().min(1).describe('Cell context id, e.g. heterologous, ca1, vascular.'),
  preset: z.string().min(1).optional().describe("Preset of the context, e.g. young, aged. Default: the context's default preset."),
  parameters: z.record(z.string(), finite()).optional().describe('Parameter overrides by path, e.g. {"cav13.gbar": 1.2}, in the parameter’s own unit.'),
  components: z.record(z.string(), ComponentChangeSchema).optional().describe('Changes to components by id: knock-out or scale.'),
  compounds: z.array(CompoundSchema).optional().describe('Compounds applied during the run.'),
  protocol: ProtocolSchema.optional(),
  duration: positive().optional().describe('Simulated time (ms). Default: the length of the protocol.'),
  outputs: OutputsSchema.optional().describe('What to record and how often.'),
  solver: SolverSchema.optional().describe('Integration settings.'),
  /**
   * `signalling: true` adds the signalling to the nucleus to the cell model (built-in `ca1`
   * context only): its read-outs become observables (`pCREB`, `nuclearCaCaM`, `cfos`, …), its
   * parameters become settable (`sig.creb.*`, …) and its knock-outs and mutants become
   * components that `components` and `knockouts` experiments may name (`gammaCaMKII`,
   * `gammaT287A`, `calcineurin`, `camk4`, `mapk`, `shank3`, …). Default false: the cell alone.
   */
  signalling: z.boolean().default(false).describe("Add the signalling to the nucleus (CaM, CaMKII, γCaMKII shuttle, CaMKIV, MAPK, CREB, c-fos/BDNF) to the cell, with its read-outs (e.g. pCREB) and its knock-outs as components (e.g. gammaCaMKII). Only contexts with a signalling model accept it (ca1). Default false."),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0).describe('Seed of every random stream (tie-breaking of simultaneous events, sampling). Default 0.'),
  experiments: z.array(ExperimentSchema).optional().describe('Experiments run on top of the base simulation.'),
}).superRefine((s, ctx) => {
  const ids = new Set<string>();
  (s.compounds ?? []).forEach((c, i) => {
    if (ids.has(c.id)) ctx.addIssue({ code: 'custom', message: `compound '${c.id}' is listed twice`, path: ['compounds', i, 'id'] });
    ids.add(c.id);
  });
  if (s.protocol?.type === 'dosing' && !(s.compounds ?? []).some((c) => c.regimen)) {
    ctx.addIssue({ code: 'custom', message: "a 'dosing' protocol needs at least one compound with a 'regimen'", path: ['protocol', 'type'] });
  }
  if (s.protocol?.type !== 'dosing') {
    (s.compounds ?? []).forEach((c, i) => {
      if (c.regimen) ctx.addIssue({ code: 'custom', message: "a 'regimen' needs protocol type 'dosing' (use 'concentration' for a fixed concentration)", path: ['compounds', i, 'regimen'] });
    });
  }
  (s.experiments ?? []).forEach((e, i) => {
    if (e.type === 'concentration-response') {
      const bad = (e.values ?? []).findIndex((v) => !(v > 0));
      if (bad >= 0) ctx.addIssue({ code: 'custom', message: 'concentrations must be > 0 (they are plotted on a log axis)', path: ['experiments', i, 'values', bad] });
      if (e.range && !(e.range.from > 0)) ctx.addIssue({ code: 'custom', message: 'concentrations must be > 0 (they are plotted on a log axis)', path: ['experiments', i, 'range', 'from'] });
    }
  });
});

/** A scenario as written (defaults not yet applied). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A scenario after validation, with every default applied. */
export type Scenario = z.output<typeof ScenarioSchema>;

/** The scenario schema as JSON Schema (draft 2020-12), describing the input form. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'ltcc scenario',
    description: 'A simulation scenario for ltcc: context, preset, parameters, compounds, protocol, outputs, solver, seed and experiments.',
  };
}

/** Expands a list-or-range into the list of values. */
export function valuesOf(o: { values?: readonly number[]; range?: RangeSpec }): number[] {
  if (o.values) return [...o.values];
  const r = o.range!;
  const out: number[] = [];
  for (let i = 0; i < r.count; i++) {
    const f = i / (r.count - 1);
    out.push(r.scale === 'log' ? Math.exp(Math.log(r.from) + f * (Math.log(r.to) - Math.log(r.from))) : r.from + f * (r.to - r.from));
  }
  // End points exactly as written (no round-off in the last digit).
  out[0] = r.from;
  out[out.length - 1] = r.to;
  return out;
}

/**
 * The natural length of a protocol (ms), or undefined when it has none of its own.
 * Dosing: `days` × 24 h.
 */
export function protocolDuration(p: ProtocolSpec | undefined): number | undefined {
  if (!p) return undefined;
  switch (p.type) {
    case 'voltage-clamp': return p.hold + p.segments.reduce((s, g) => s + g.duration, 0);
    case 'current-steps': return p.delay + p.steps.reduce((s, g) => s + g.duration, 0);
    case 'current-train': return p.start + (p.count * 1000) / p.frequency;
    case 'k-depolarisation': return p.start + p.duration;
    case 'dosing': return p.days * 24 * 3600 * 1000;
  }
}
