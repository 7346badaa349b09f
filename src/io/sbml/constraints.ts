/**
 * SBML constraints: conditions that should hold during a simulation. They do not change the
 * results; a violation is reported as a warning with the constraint's message and the first
 * output time at which it is false.
 */
import { type Expr, TIME, evaluate } from '../../math/index.js';
import type { SimulationResult } from '../../solve/simulate.js';
import type { SbmlConstraint } from './import.js';

/** Evaluates every constraint at the output times of `result`; one warning per violated constraint. */
export function checkConstraints(constraints: readonly SbmlConstraint[], result: SimulationResult): string[] {
  if (constraints.length === 0) return [];
  const cm = result.model;
  const { index } = cm.symbols;
  const warnings: string[] = [];
  const valueAt = (k: number) => (name: string): number => {
    if (name === TIME) return result.t[k];
    const r = index.get(name);
    if (!r) return NaN;
    switch (r.kind) {
      case 'state': return result.y[k * cm.n + r.index];
      case 'parameter': return result.parameters ? result.parameters[k * cm.nParams + r.index] : cm.p0[r.index];
      case 'assigned': return result.assigned ? result.assigned[k * cm.nAssigned + r.index] : NaN;
      case 'observable': return result.observables ? result.observables[k * cm.nObservables + r.index] : NaN;
    }
  };
  const holds = (e: Expr, k: number): boolean => Boolean(evaluate(e, valueAt(k)));
  for (const c of constraints) {
    for (let k = 0; k < result.t.length; k++) {
      if (!holds(c.expr, k)) {
        warnings.push(`constraint violated at t = ${result.t[k]} (line ${c.line}): ${c.message}`);
        break;
      }
    }
  }
  return warnings;
}
