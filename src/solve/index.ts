/** The `solve` layer: integrators for CompiledModel right-hand sides, events and dense output. */
export * from './types.js';
export { solve, createIntegrator, type SolveRequest } from './solve.js';
export { Bdf } from './bdf.js';
export { Dopri5 } from './dopri5.js';
export { Rosenbrock } from './rosenbrock.js';
export { RODAS4, type RodasTableau } from './rosenbrock-tableaus.js';
export { resolveSettings, checkPattern, type StepperSettings } from './settings.js';
export { luFactor, luSolve } from './linalg/dense-lu.js';
export { wrmsNorm, setErrorWeights } from './norms.js';
