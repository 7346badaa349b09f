/**
 * The manifest of one run: everything needed to know what was run and to run it again —
 * the scenario as resolved, model hash, version, seed, solver settings and statistics, wall
 * time, the files written, and the assumptions the model relied on.
 */

/** Identifies the manifest layout; changes only when fields change meaning. */
export const MANIFEST_FORMAT = 'ltcc-run-manifest/1';

/** How a run ended. */
export type RunStatus = 'ok' | 'failed' | 'interrupted';

/** A parameter whose value rests on an explicit assumption rather than a source. */
export interface AssumptionUsed {
  /** Parameter path. */
  readonly name: string;
  readonly value: number;
  readonly unit?: string;
  /** The one-line reason given in the model. */
  readonly assumption: string;
  /** True when the scenario overrode the value. */
  readonly overridden?: boolean;
}

/** Per-output summary of a time course. */
export interface SummaryRow {
  /** Output name (observable, state or assigned quantity). */
  readonly output: string;
  readonly unit?: string;
  readonly min: number;
  readonly max: number;
  readonly final: number;
  /** Time of the maximum (first occurrence), in the model's time unit. */
  readonly tMax: number;
  /** Time-weighted mean over the run. */
  readonly mean: number;
}

/** A file the run wrote, relative to the output folder. */
export interface FileEntry {
  readonly path: string;
  readonly bytes: number;
  /** What it holds, for the report. */
  readonly description: string;
}

/** Solver settings and what the solver did. */
export interface SolverRecord {
  readonly method: string;
  readonly rtol: number;
  readonly atol: number;
  readonly maxSteps?: number;
  readonly hmax?: number;
  readonly retcode: string;
  readonly message: string;
  /** Time reached (equals the duration on success). */
  readonly tReached: number;
  /** Counters: steps, rejected steps, rhs and Jacobian evaluations, LU factorisations, … */
  readonly stats: Readonly<Record<string, number>>;
}

export interface RunManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly name: string;
  readonly description?: string;
  /** The scenario or model file as given on the command line. */
  readonly source: string;
  readonly status: RunStatus;
  /** The scenario after defaults, overrides (`--set`) and registry resolution. */
  readonly scenario: unknown;
  readonly context: string;
  readonly preset: string;
  /** SHA-256 of the model IR that was simulated. */
  readonly modelHash: string;
  readonly model: { readonly name: string; readonly states: number; readonly parameters: number; readonly observables: number; readonly timeUnit?: string };
  readonly version: string;
  readonly seed: number;
  readonly solver: SolverRecord;
  /** ISO 8601 times. */
  readonly started: string;
  readonly finished: string;
  readonly wallMs: number;
  readonly summary: readonly SummaryRow[];
  readonly assumptions: readonly AssumptionUsed[];
  readonly experiments: readonly { readonly name: string; readonly type: string; readonly runs: number; readonly failed: number; readonly files: readonly string[] }[];
  readonly files: readonly FileEntry[];
  /** Compile-time warnings (units). */
  readonly warnings: readonly string[];
}
