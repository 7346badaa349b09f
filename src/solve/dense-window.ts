/**
 * The window in which an integrator's dense output is valid: the last accepted step
 * [tOld, tn], widened by a round-off fuzz. Shared by every method's `interpolate`.
 */

const UROUND = Number.EPSILON;

/**
 * Checks that `t` may be interpolated from the last step [tOld, tn] of length h (h = 0 when no
 * step has been taken yet). Returns true when the answer is simply the current state (t is tn,
 * or no step was taken); throws a RangeError naming the method when t is outside the window.
 */
export function atCurrentState(method: string, t: number, tOld: number, tn: number, h: number): boolean {
  if (t === tn || h === 0) {
    if (t !== tn) throw new RangeError(`${method} interpolation at t = ${t}: no step taken yet from t = ${tn}`);
    return true;
  }
  const tfuzz = 100 * UROUND * (Math.abs(tn) + Math.abs(h));
  if (t < tOld - tfuzz || t > tn + tfuzz) {
    throw new RangeError(`${method} interpolation at t = ${t} outside the last step [${tOld}, ${tn}]`);
  }
  return false;
}
