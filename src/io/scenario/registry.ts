/**
 * The contexts a scenario may name. The biology layer provides the real registry (`heterologous`,
 * `ca1`, `vascular`); the scenario loader only sees this interface, so any registry can be
 * injected (tests use a small one of their own).
 */
import type { CompiledModel } from '../../compile/compiled.js';
import type { Model } from '../../model/ir.js';
import { InputError } from '../errors.js';
import { type FieldPath, formatPath } from './paths.js';
import type { ComponentChange, CompoundSpec, ProtocolSpec, ProtocolType } from './schema.js';

/** A named variant of a context (e.g. `young`, `aged`). */
export interface PresetInfo {
  readonly id: string;
  /** One line for help texts and reports. */
  readonly description: string;
}

/** What a context needs to build the model of one scenario. */
export interface BuildRequest {
  /** A preset id of the context (the default already applied). */
  readonly preset: string;
  /** Knock-outs and scalings by component id (only ids the context lists). */
  readonly components: Readonly<Record<string, ComponentChange>>;
  /** Compounds and their concentrations or regimens. */
  readonly compounds: readonly CompoundSpec[];
  /** The stimulus, if any (only types the context lists in `protocols`). */
  readonly protocol?: ProtocolSpec;
  /** Add the signalling to the cell (only when the context has `signalling`). Default false. */
  readonly signalling?: boolean;
  /** Simulated time (ms). Default: the length of the protocol. */
  readonly duration?: number;
}

/**
 * A request a context cannot serve, at a field of the scenario (e.g. `['compounds', 0, 'regimen']`):
 * the loader and `ltcc run` report it with the file, line and column of that field.
 */
export class RequestError extends InputError {
  /** The message without the hint. */
  readonly detail: string;

  constructor(message: string, readonly path: FieldPath, readonly hint?: string) {
    super(hint ? `${message} (${hint})` : message, undefined, formatPath(path));
    this.name = 'RequestError';
    this.detail = message;
  }
}

/** The names a scenario may use for one request (they can depend on the preset, protocol and signalling). */
export interface ContextNames {
  readonly parameters: readonly string[];
  readonly observables: readonly string[];
  readonly components: readonly string[];
  /** Why a name that exists in other configurations of the context is missing here, by name (for hints). */
  readonly unavailable?: Readonly<Record<string, string>>;
}

/**
 * What a context may return instead of a bare model: stimulus inputs set as parameter values,
 * stimulus edges for the integrator, and a starting state (e.g. settled at the holding condition).
 */
export interface BuiltModel {
  readonly model: Model;
  /** Parameter values by path, set after compiling (before the scenario's own overrides). Default: none. */
  readonly parameters?: Readonly<Record<string, number>>;
  /** Times the integrator must step to exactly (stimulus edges), in the model's time unit. Default: none. */
  readonly tstops?: readonly number[];
  /** Compile without root functions for discontinuities (when `tstops` cover every edge). Default false. */
  readonly noDiscontinuityRoots?: boolean;
  /** The state at t = 0 for parameters `p`. Default: the model's own initial values. */
  initialState?(compiled: CompiledModel, p: Float64Array): Float64Array;
}

/** A bare model or a model with stimulus inputs. */
export type BuildResult = Model | BuiltModel;

/** The model of a build result. */
export const modelOf = (r: BuildResult): Model => ('model' in r ? r.model : r);

/**
 * One context: a factory for models plus the names a scenario may refer to, so a scenario can
 * be checked (with line numbers and did-you-mean hints) before anything is built.
 */
export interface ContextEntry {
  readonly id: string;
  readonly description: string;
  readonly presets: readonly PresetInfo[];
  /** Preset used when a scenario names none; one of `presets`. */
  readonly defaultPreset: string;
  /** Parameter paths that `parameters:` overrides and sweeps may set. */
  readonly parameters: readonly string[];
  /** Names `outputs.observables` and read-outs may refer to (observables, states, assigned quantities). */
  readonly observables: readonly string[];
  /** Component ids that may be knocked out or scaled. */
  readonly components: readonly string[];
  /** Protocol types this context can apply. */
  readonly protocols: readonly ProtocolType[];
  /** Compound ids this context can bind; undefined when it takes no compounds. */
  readonly compounds?: readonly string[];
  /** Whether the context accepts `signalling: true`. Default false. */
  readonly signalling?: boolean;
  /**
   * The names valid for one request, when they depend on it (stimulus parameters differ between
   * voltage and current clamp, signalling adds read-outs). Default: the static lists above.
   * Throws {@link RequestError} on requests it cannot serve.
   */
  describe?(request: BuildRequest): ContextNames;
  /**
   * Builds the model for one scenario. Throws {@link RequestError} (positioned at a scenario
   * field) or `ModelError`/`InputError` on requests it cannot serve.
   */
  build(request: BuildRequest): BuildResult;
}

/** Looks contexts up by id. */
export interface ContextRegistry {
  /** Every context id, for hints and help. */
  ids(): readonly string[];
  lookup(id: string): ContextEntry | undefined;
}

/** A context around one fixed model (e.g. an imported SBML file): no presets, protocols or components. */
export function contextFromModel(id: string, model: Model, description = `model ${model.name}`): ContextEntry {
  return {
    id,
    description,
    presets: [{ id: 'as-given', description: 'the model as given' }],
    defaultPreset: 'as-given',
    parameters: model.parameters.map((p) => p.name),
    observables: [...model.observables, ...model.states, ...model.assigned].map((q) => q.name),
    components: [],
    protocols: [],
    build: () => model,
  };
}

/** A registry over a fixed list of contexts (later entries with the same id replace earlier ones). */
export function createRegistry(entries: readonly ContextEntry[]): ContextRegistry {
  const byId = new Map<string, ContextEntry>();
  for (const e of entries) byId.set(e.id, e);
  return {
    ids: () => [...byId.keys()],
    lookup: (id) => byId.get(id),
  };
}

/** Several registries as one; the first that knows an id wins. */
export function combineRegistries(...registries: readonly ContextRegistry[]): ContextRegistry {
  return {
    ids: () => [...new Set(registries.flatMap((r) => r.ids()))],
    lookup: (id) => {
      for (const r of registries) {
        const e = r.lookup(id);
        if (e) return e;
      }
      return undefined;
    },
  };
}

/** Options of {@link contextFromFactory}. */
export interface FactoryContextOptions {
  id: string;
  description: string;
  presets: readonly PresetInfo[];
  /** Default: the first preset. */
  defaultPreset?: string;
  components?: readonly string[];
  protocols?: readonly ProtocolType[];
  compounds?: readonly string[];
  build(request: BuildRequest): BuildResult;
}

/**
 * A context whose parameter and observable names are read off the model that `build` makes for
 * the default preset with no changes (built once, on first use).
 */
export function contextFromFactory(o: FactoryContextOptions): ContextEntry {
  const defaultPreset = o.defaultPreset ?? o.presets[0]?.id;
  if (defaultPreset === undefined) throw new Error(`context '${o.id}' declares no preset`);
  let names: { parameters: string[]; observables: string[] } | undefined;
  const known = (): { parameters: string[]; observables: string[] } => {
    if (!names) {
      const m = modelOf(o.build({ preset: defaultPreset, components: {}, compounds: [] }));
      names = {
        parameters: m.parameters.map((p) => p.name),
        observables: [...m.observables, ...m.states, ...m.assigned].map((q) => q.name),
      };
    }
    return names;
  };
  return {
    id: o.id,
    description: o.description,
    presets: o.presets,
    defaultPreset,
    get parameters() { return known().parameters; },
    get observables() { return known().observables; },
    components: o.components ?? [],
    protocols: o.protocols ?? [],
    ...(o.compounds ? { compounds: o.compounds } : {}),
    build: o.build,
  };
}
