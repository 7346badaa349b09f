/**
 * The `solve` layer: integrators for `CompiledModel` right-hand sides (or any plain
 * {@link OdeProblem}), with tstops, state events, dense output and honest return codes.
 *
 * - {@link solve}: the driver — `solve(problem, y0, { t0, tEnd, method, … }) → Solution`.
 * - Methods: {@link Bdf} (variable-order BDF as in CVODE, default), {@link Rosenbrock}
 *   (RODAS4P/RODAS4), {@link Dopri5} (Dormand–Prince 5(4)); each implements `Integrator`.
 * - Linear algebra: dense LU with partial pivoting, sparse LU with minimum-degree ordering.
 */
export * from './types.js';
export { solve, createIntegrator, type SolveRequest } from './solve.js';
export { Bdf } from './bdf.js';
export { Dopri5 } from './dopri5.js';
export { Rosenbrock } from './rosenbrock.js';
export { RODAS4, RODAS4P, type RodasTableau } from './rosenbrock-tableaus.js';
export { RootFinder } from './roots.js';
export { resolveSettings, checkPattern, checkTimes, type StepperSettings } from './settings.js';
export { DenseIterationMatrix, type IterationMatrix } from './iteration-matrix.js';
export { SparseIterationMatrix, columnGroups } from './sparse-iteration-matrix.js';
export { luFactor, luSolve } from './linalg/dense-lu.js';
export { SparseLU, FactorStatus, minimumDegreeOrder, type CsrPattern } from './linalg/sparse-lu.js';
export { wrmsNorm, setErrorWeights } from './norms.js';
export { solveEnvelope, type EnvelopeOptions, type EnvelopeSolution } from './envelope.js';
