/**
 * One-sided evaluation of f at a discontinuity. A tstop marks a time where f may jump (a pulse
 * edge written as a piecewise function of time): a step that ends on it must see f from the left,
 * and the restart there must see f from the right. Evaluating a piecewise such as
 * `time >= 1000 ? a : b` exactly at 1000 gives the right side, which inside the step that ends at
 * 1000 is wrong — the corrector then integrates the jump over the whole step, the error test
 * fails, the step shrinks towards the round-off limit, and the solve stops just before the edge.
 * So the integrators evaluate f a few ulps before the stop at the end of a step that lands on it,
 * and a few ulps after the start of a (re)started integration: the error this adds,
 * (a few ulps of t)·∂f/∂t, is far below any tolerance.
 */

const UROUND = Number.EPSILON;

/** Distance from a discontinuity at which f is evaluated on one side: 8 ulps of t (of 1 near 0). */
export function sideOffset(t: number): number {
  return 8 * UROUND * Math.max(1, Math.abs(t));
}

/** Time at which f is evaluated for the end of a step [tStart, tStop] that lands on the stop: just before it. */
export function justBefore(tStop: number, tStart: number): number {
  return tStop - Math.min(sideOffset(tStop), 0.5 * (tStop - tStart));
}

/** Time at which f is evaluated at the start t of a (re)started integration: just after it. */
export function justAfter(t: number): number {
  return t + sideOffset(t);
}
