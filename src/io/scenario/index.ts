/** Scenario files: schema, loader with positioned errors, context registry. */
export * from './schema.js';
export { type LoadOptions, type LoadedScenario, type ResolvedScenario, type SourceLocation, SCENARIO_EXTENSIONS, loadScenario, parseScenario, scenarioFromObject } from './loader.js';
export { ScenarioError, type ScenarioIssue, formatIssue } from './errors.js';
export {
  type BuildRequest, type BuildResult, type BuiltModel, type ContextEntry, type ContextRegistry, type FactoryContextOptions, type PresetInfo,
  combineRegistries, contextFromFactory, contextFromModel, createRegistry, modelOf,
} from './registry.js';
export { closest, hintFor, levenshtein } from './hints.js';
export { formatPath } from './paths.js';
export { toyContext } from './toy-context.js';
