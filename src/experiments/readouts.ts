/**
 * Read-outs computed from sampled traces (pure functions on arrays): peak current, activation
 * threshold, Boltzmann fits, activation time constants, spikes, AHP amplitude and area, Ca²⁺
 * transients (peak, rise, decay) and Ca²⁺ load. Units follow the traces (ms, mV, pA, µM).
 */

/** Index range of samples with t in [t0, t1]. */
function range(t: ArrayLike<number>, t0: number, t1: number): [number, number] {
  let a = 0;
  while (a < t.length && t[a] < t0) a++;
  let b = a;
  while (b < t.length && t[b] <= t1) b++;
  return [a, b];
}

/** The most negative value of `y` in [t0, t1] and its time (inward current peak). */
export function peakInward(t: ArrayLike<number>, y: ArrayLike<number>, t0: number, t1: number): { value: number; time: number } {
  const [a, b] = range(t, t0, t1);
  if (b <= a) throw new RangeError(`no samples in [${t0}, ${t1}]`);
  let k = a;
  for (let i = a; i < b; i++) if (y[i] < y[k]) k = i;
  return { value: y[k], time: t[k] };
}

/** The largest value of `y` in [t0, t1] and its time. */
export function peakMax(t: ArrayLike<number>, y: ArrayLike<number>, t0: number, t1: number): { value: number; time: number } {
  const [a, b] = range(t, t0, t1);
  if (b <= a) throw new RangeError(`no samples in [${t0}, ${t1}]`);
  let k = a;
  for (let i = a; i < b; i++) if (y[i] > y[k]) k = i;
  return { value: y[k], time: t[k] };
}

/** Value of `y` at time `at` (linear interpolation). */
export function valueAt(t: ArrayLike<number>, y: ArrayLike<number>, at: number): number {
  if (at <= t[0]) return y[0];
  for (let i = 1; i < t.length; i++) {
    if (t[i] >= at) {
      const f = (at - t[i - 1]) / (t[i] - t[i - 1]);
      return y[i - 1] + f * (y[i] - y[i - 1]);
    }
  }
  return y[t.length - 1];
}

/**
 * Activation threshold of an I–V relation: the most negative voltage at which the inward
 * current reaches `fraction` of its peak (linear interpolation between test voltages).
 */
export function ivThreshold(v: readonly number[], i: readonly number[], fraction = 0.05): number {
  let kPeak = 0;
  for (let k = 0; k < i.length; k++) if (i[k] < i[kPeak]) kPeak = k;
  const target = fraction * i[kPeak];
  for (let k = 0; k <= kPeak; k++) {
    if (i[k] <= target) {
      if (k === 0) return v[0];
      const f = (target - i[k - 1]) / (i[k] - i[k - 1]);
      return v[k - 1] + f * (v[k] - v[k - 1]);
    }
  }
  return NaN;
}

/** Voltage of the I–V peak, refined by a parabola through the three samples around it. */
export function ivPeak(v: readonly number[], i: readonly number[]): number {
  let k = 0;
  for (let j = 0; j < i.length; j++) if (i[j] < i[k]) k = j;
  if (k === 0 || k === i.length - 1) return v[k];
  const [x0, x1, x2] = [v[k - 1], v[k], v[k + 1]];
  const [y0, y1, y2] = [i[k - 1], i[k], i[k + 1]];
  const den = (x0 - x1) * (x0 - x2) * (x1 - x2);
  const A = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / den;
  const B = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / den;
  return A > 0 ? -B / (2 * A) : x1;
}

/**
 * Fits y = ymax/(1 + exp(−(V − vhalf)/k)) by least squares (k < 0 gives a decreasing curve,
 * as for inactivation). Grid search over vhalf and k with ymax solved linearly, then refined.
 */
export function fitBoltzmann(v: readonly number[], y: readonly number[]): { vhalf: number; k: number; ymax: number; rss: number } {
  let best = { vhalf: 0, k: 1, ymax: 1, rss: Infinity };
  const evalAt = (vh: number, k: number): { ymax: number; rss: number } => {
    let sfy = 0;
    let sff = 0;
    const f = v.map((x) => 1 / (1 + Math.exp(-(x - vh) / k)));
    for (let i = 0; i < v.length; i++) {
      sfy += f[i] * y[i];
      sff += f[i] * f[i];
    }
    const ymax = sff > 0 ? sfy / sff : 0;
    let rss = 0;
    for (let i = 0; i < v.length; i++) rss += (y[i] - ymax * f[i]) ** 2;
    return { ymax, rss };
  };
  const vmin = Math.min(...v) - 20;
  const vmax = Math.max(...v) + 20;
  for (let vh = vmin; vh <= vmax; vh += 1) {
    for (const sign of [1, -1]) {
      for (let ka = 1; ka <= 30; ka += 0.5) {
        const r = evalAt(vh, sign * ka);
        if (r.rss < best.rss) best = { vhalf: vh, k: sign * ka, ...r };
      }
    }
  }
  // refine
  let step = [0.5, 0.25];
  for (let it = 0; it < 60; it++) {
    let improved = false;
    for (const [dv, dk] of [[step[0], 0], [-step[0], 0], [0, step[1]], [0, -step[1]]]) {
      const k = best.k + dk;
      if (Math.abs(k) < 0.05) continue;
      const r = evalAt(best.vhalf + dv, k);
      if (r.rss < best.rss) {
        best = { vhalf: best.vhalf + dv, k, ...r };
        improved = true;
      }
    }
    if (!improved) step = [step[0] / 2, step[1] / 2];
  }
  return best;
}

/**
 * Activation time constant: a single exponential I(t) = I∞(1 − exp(−(t − t0)/τ)) fitted to the
 * rising phase between 20 % and 80 % of the peak (log-linear least squares on 1 − I/Ipeak).
 * `tOn` is the step onset, `tPeak` the time of the peak.
 */
export function activationTau(t: ArrayLike<number>, i: ArrayLike<number>, tOn: number, tPeak: number): number {
  const [a, b] = range(t, tOn, tPeak);
  const ipk = i[b - 1];
  let sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
  for (let k = a; k < b; k++) {
    const f = i[k] / ipk;
    if (f < 0.2 || f > 0.8) continue;
    const x = t[k];
    const yv = Math.log(1 - f);
    sx += x; sy += yv; sxx += x * x; sxy += x * yv; n++;
  }
  if (n < 3) return NaN;
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return -1 / slope;
}

/** Number of upward crossings of `threshold` by component `index` of row-major states `y` (n per row, `rows` rows). */
export function spikeCount(y: ArrayLike<number>, n: number, index: number, rows: number, threshold = 0): number {
  let c = 0;
  for (let k = 1; k < rows; k++) if (y[(k - 1) * n + index] < threshold && y[k * n + index] >= threshold) c++;
  return c;
}

/** Times of upward crossings of `threshold` (mV), linearly interpolated. */
export function spikeTimes(t: ArrayLike<number>, v: ArrayLike<number>, threshold = 0, t0 = -Infinity, t1 = Infinity): number[] {
  const out: number[] = [];
  for (let k = 1; k < v.length; k++) {
    if (v[k - 1] < threshold && v[k] >= threshold) {
      const tc = t[k - 1] + ((threshold - v[k - 1]) / (v[k] - v[k - 1])) * (t[k] - t[k - 1]);
      if (tc >= t0 && tc <= t1) out.push(tc);
    }
  }
  return out;
}

/**
 * Afterhyperpolarisation in [t0, t1] relative to `vRest`: amplitude (mV, positive = below rest)
 * and area ∫ max(0, vRest − V) dt (mV·ms).
 */
export function ahp(t: ArrayLike<number>, v: ArrayLike<number>, vRest: number, t0: number, t1: number): { amplitude: number; area: number; tMin: number } {
  const [a, b] = range(t, t0, t1);
  let amp = 0;
  let tMin = t0;
  let area = 0;
  for (let k = a; k < b; k++) {
    const d = vRest - v[k];
    if (d > amp) {
      amp = d;
      tMin = t[k];
    }
    if (k > a) {
      const d0 = Math.max(0, vRest - v[k - 1]);
      area += 0.5 * (d0 + Math.max(0, d)) * (t[k] - t[k - 1]);
    }
  }
  return { amplitude: amp, area, tMin };
}

/** A Ca²⁺ transient: rest before `tStim`, peak after it, rise (10–90 %) and decay to 1/e. */
export function caTransient(t: ArrayLike<number>, c: ArrayLike<number>, tStim: number, tEnd = Infinity): { rest: number; peak: number; delta: number; tPeak: number; rise: number; decay: number } {
  const rest = valueAt(t, c, tStim);
  const pk = peakMax(t, c, tStim, tEnd);
  const delta = pk.value - rest;
  const [a, b] = range(t, tStim, pk.time);
  let t10 = NaN, t90 = NaN;
  for (let k = a; k < b; k++) {
    if (Number.isNaN(t10) && c[k] - rest >= 0.1 * delta) t10 = t[k];
    if (Number.isNaN(t90) && c[k] - rest >= 0.9 * delta) t90 = t[k];
  }
  const [a2, b2] = range(t, pk.time, tEnd);
  let decay = NaN;
  for (let k = a2; k < b2; k++) {
    if (c[k] - rest <= delta / Math.E) {
      decay = t[k] - pk.time;
      break;
    }
  }
  return { rest, peak: pk.value, delta, tPeak: pk.time, rise: t90 - t10, decay };
}

/** Ca²⁺ load: ∫ max(0, c − rest) dt over [t0, t1] (µM·ms). */
export function caLoad(t: ArrayLike<number>, c: ArrayLike<number>, rest: number, t0 = -Infinity, t1 = Infinity): number {
  const [a, b] = range(t, t0, t1);
  let s = 0;
  for (let k = a + 1; k < b; k++) s += 0.5 * (Math.max(0, c[k - 1] - rest) + Math.max(0, c[k] - rest)) * (t[k] - t[k - 1]);
  return s;
}
