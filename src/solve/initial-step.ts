/**
 * Initial step heuristic for the one-step methods (Hairer, Nørsett & Wanner, "Solving ODEs I",
 * 2nd ed., §II.4, "Starting step size", as in DOPRI5 and RODAS): choose h so that
 * h^(p+1)·max(‖f‖, ‖y''‖) ≈ 0.01 in the error norm, with one extra evaluation of f.
 */
import { justBefore } from './one-sided.js';
import type { OdeProblem, SolverStats } from './types.js';

/**
 * @param f0 f(t, y), evaluated just after t
 * @param work1 scratch of length n
 * @param work2 scratch of length n
 * @returns the step, or NaN when f is not finite at y.
 */
export function hairerInitialStep(
  problem: OdeProblem, t: number, y: Float64Array, f0: Float64Array, order: number,
  rtol: number, atol: Float64Array, hmax: number, tStop: number,
  work1: Float64Array, work2: Float64Array, stats: SolverStats,
): number {
  const n = problem.n;
  let dnf = 0;
  let dny = 0;
  for (let i = 0; i < n; i++) {
    const sk = atol[i] + rtol * Math.abs(y[i]);
    dnf += (f0[i] / sk) ** 2;
    dny += (y[i] / sk) ** 2;
  }
  if (!Number.isFinite(dnf)) return NaN;
  let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
  h = Math.min(h, hmax, tStop - t);
  for (let i = 0; i < n; i++) work1[i] = y[i] + h * f0[i];
  // Never at tStop itself, where f may jump (see one-sided.ts).
  problem.rhs(t + h >= tStop ? justBefore(tStop, t) : t + h, work1, work2);
  stats.nf++;
  let der2 = 0;
  for (let i = 0; i < n; i++) {
    const sk = atol[i] + rtol * Math.abs(y[i]);
    der2 += ((work2[i] - f0[i]) / sk) ** 2;
  }
  der2 = Math.sqrt(der2) / h;
  // f not finite a step away: start very small and let the controller find its way.
  if (!Number.isFinite(der2)) return h * 1e-3;
  const der12 = Math.max(der2, Math.sqrt(dnf));
  const h1 = der12 <= 1e-15 ? Math.max(1e-6, h * 1e-3) : Math.pow(0.01 / der12, 1 / (order + 1));
  return Math.min(100 * h, h1, hmax);
}
