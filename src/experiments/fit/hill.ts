/**
 * Concentration–response fit: the Hill equation
 *
 *   y(C) = bottom + (top − bottom) / (1 + (C/IC50)^n_H)
 *
 * fitted by Levenberg–Marquardt in log10(IC50) (so the interval of IC50 is asymmetric and
 * never negative), with 95 % confidence intervals from the asymptotic covariance and Student's t
 * with m − p degrees of freedom. `y` is the response relative to control (e.g. peak current
 * with drug / without): `top` is the response at C = 0 and `bottom` at saturation, so an
 * inhibitor goes from top ≈ 1 to bottom ≈ 0 and an activator has bottom > top.
 */
import { levenbergMarquardt } from './levenberg-marquardt.js';
import { studentTQuantile } from './student-t.js';

export interface ConcentrationPoint {
  readonly concentration_nM: number;
  /** Response relative to control. */
  readonly response: number;
}

export interface HillFitOptions {
  /** Fit `bottom` (default fixed at 0). */
  readonly fitBottom?: boolean;
  /** Fit `top` (default fixed at 1). */
  readonly fitTop?: boolean;
  /** Fixed values when not fitted (defaults 0 and 1); start values when fitted (default: the data at the highest and lowest concentration). */
  readonly bottom?: number;
  readonly top?: number;
  /** Confidence level (default 0.95). */
  readonly level?: number;
}

export interface HillFit {
  readonly ic50_nM: number;
  readonly ic50_ci_nM: readonly [number, number];
  readonly hill: number;
  readonly hill_ci: readonly [number, number];
  readonly bottom: number;
  readonly top: number;
  readonly bottom_ci?: readonly [number, number];
  readonly top_ci?: readonly [number, number];
  /** Root-mean-square residual. */
  readonly rmse: number;
  readonly points: number;
  readonly converged: boolean;
  readonly message: string;
}

/** The Hill equation at concentration c. */
export function hillResponse(c: number, ic50: number, hill: number, bottom = 0, top = 1): number {
  if (c <= 0) return top;
  return bottom + (top - bottom) / (1 + Math.pow(c / ic50, hill));
}

/** Midpoint crossing of the data, by log-linear interpolation (start value for the fit). */
function midpointGuess(pts: readonly ConcentrationPoint[], bottom: number, top: number): number {
  const mid = 0.5 * (bottom + top);
  const sorted = pts.filter((p) => p.concentration_nM > 0).sort((a, b) => a.concentration_nM - b.concentration_nM);
  const dir = Math.sign(top - bottom) || 1;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if ((a.response - mid) * dir >= 0 && (b.response - mid) * dir <= 0 && a.response !== b.response) {
      const f = (a.response - mid) / (a.response - b.response);
      return Math.log10(a.concentration_nM) + f * (Math.log10(b.concentration_nM) - Math.log10(a.concentration_nM));
    }
  }
  // No crossing: the middle of the tested range.
  const lo = Math.log10(sorted[0].concentration_nM);
  const hi = Math.log10(sorted[sorted.length - 1].concentration_nM);
  return 0.5 * (lo + hi);
}

/**
 * Fits IC50 and Hill slope (and optionally bottom/top) with confidence intervals.
 * @throws RangeError for fewer points than parameters + 1, non-finite data, or negative concentrations.
 */
export function fitHill(points: readonly ConcentrationPoint[], o: HillFitOptions = {}): HillFit {
  points.forEach((p, i) => {
    if (!Number.isFinite(p.concentration_nM) || p.concentration_nM < 0) throw new RangeError(`points[${i}].concentration_nM must be a number ≥ 0, got ${p.concentration_nM}`);
    if (!Number.isFinite(p.response)) throw new RangeError(`points[${i}].response must be finite, got ${p.response}`);
  });
  const fitB = o.fitBottom ?? false;
  const fitT = o.fitTop ?? false;
  const nPar = 2 + (fitB ? 1 : 0) + (fitT ? 1 : 0);
  if (points.length < nPar + 1) throw new RangeError(`a Hill fit with ${nPar} parameters needs at least ${nPar + 1} points, got ${points.length}`);
  if (points.filter((p) => p.concentration_nM > 0).length < 2) throw new RangeError('a Hill fit needs at least two non-zero concentrations');
  // A fitted bottom/top starts from the data at the extreme concentrations.
  const byC = [...points].sort((a, b) => a.concentration_nM - b.concentration_nM);
  const b0 = o.bottom ?? (fitB ? byC[byC.length - 1].response : 0);
  const t0 = o.top ?? (fitT ? byC[0].response : 1);
  const x0 = midpointGuess(points, b0, t0);
  const logC = points.map((p) => (p.concentration_nM > 0 ? Math.log10(p.concentration_nM) : -Infinity));
  // Parameter layout: [log10 IC50, Hill, bottom (if fitted), top (if fitted)].
  const iB = 2;
  const iT = fitB ? 3 : 2;
  const unpack = (p: Float64Array): { x: number; h: number; b: number; t: number } => ({ x: p[0], h: p[1], b: fitB ? p[iB] : b0, t: fitT ? p[iT] : t0 });
  const model = (x: number, h: number, b: number, t: number, lc: number): number => (lc === -Infinity ? t : b + (t - b) / (1 + Math.pow(10, h * (lc - x))));
  const start = [x0, 1, ...(fitB ? [b0] : []), ...(fitT ? [t0] : [])];
  const lower = [-Infinity, 0.05, ...(fitB ? [-Infinity] : []), ...(fitT ? [-Infinity] : [])];
  const upper = [Infinity, 20, ...(fitB ? [Infinity] : []), ...(fitT ? [Infinity] : [])];
  const res = levenbergMarquardt(
    (p, out) => {
      const { x, h, b, t } = unpack(p);
      points.forEach((pt, i) => (out[i] = model(x, h, b, t, logC[i]) - pt.response));
    },
    start,
    { m: points.length, lower, upper },
  );
  const { x, h, b, t } = unpack(res.params);
  const level = o.level ?? 0.95;
  const tq = res.dof > 0 ? studentTQuantile(0.5 + level / 2, res.dof) : NaN;
  const se = (k: number): number => (res.covariance ? Math.sqrt(Math.max(0, res.covariance[k * nPar + k])) : NaN);
  const ci = (v: number, k: number): [number, number] => [v - tq * se(k), v + tq * se(k)];
  const [xl, xh] = ci(x, 0);
  const bottomCi = fitB ? ci(b, iB) : undefined;
  const topCi = fitT ? ci(t, iT) : undefined;
  return {
    ic50_nM: Math.pow(10, x),
    ic50_ci_nM: [Math.pow(10, xl), Math.pow(10, xh)],
    hill: h,
    hill_ci: ci(h, 1),
    bottom: b,
    top: t,
    ...(bottomCi ? { bottom_ci: bottomCi } : {}),
    ...(topCi ? { top_ci: topCi } : {}),
    rmse: Math.sqrt((2 * res.cost) / points.length),
    points: points.length,
    converged: res.converged,
    message: res.message,
  };
}
