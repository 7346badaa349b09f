/**
 * State-event location: sign changes of root functions g_k(t, y) between step ends, located
 * on the integrator's dense output by the Illinois variant of regula falsi, as in CVODE's
 * rootfinding (Hindmarsh et al. 2005, §2.4; Dowell & Jarratt 1971 for the Illinois rule).
 *
 * A component that is exactly zero at the left end of an interval is not considered for that
 * interval (its crossing was reported already, or it starts on the surface); it becomes
 * active again once it is non-zero at a step end.
 */
import type { Integrator, RootFunctions, SolverStats } from './types.js';

const UROUND = Number.EPSILON;

export class RootFinder {
  /** Direction of each component at the last located root: +1 rising, −1 falling, 0 none. */
  readonly dir: Int8Array;
  /** State at the last located root. */
  readonly yRoot: Float64Array;
  /** Time of the last located root. */
  tRoot = NaN;

  private readonly m: number;
  private tLo = 0;
  private readonly gLo: Float64Array;
  private readonly gHi: Float64Array;
  private readonly gMid: Float64Array;

  constructor(private readonly fns: RootFunctions, n: number, private readonly stats: SolverStats) {
    this.m = fns.n;
    this.dir = new Int8Array(this.m);
    this.yRoot = new Float64Array(n);
    this.gLo = new Float64Array(this.m);
    this.gHi = new Float64Array(this.m);
    this.gMid = new Float64Array(this.m);
  }

  /** Sets the left end of the next search interval to (t, y). */
  restart(t: number, y: Float64Array): void {
    this.tLo = t;
    this.fns.g(t, y, this.gLo);
    this.stats.ng++;
  }

  /**
   * Looks for the earliest root in (tLo, integ.t]. On success stores it in tRoot / yRoot / dir,
   * moves the left end to it and returns true; otherwise moves the left end to integ.t.
   */
  find(integ: Integrator): boolean {
    const m = this.m;
    const { gLo, gHi, gMid } = this;
    const tHiStep = integ.t;
    this.fns.g(tHiStep, integ.y, gHi);
    this.stats.ng++;
    let imax = this.pick(gLo, gHi);
    if (imax === -1) {
      // No sign change and no zero: advance.
      this.tLo = tHiStep;
      gLo.set(gHi);
      return false;
    }
    let tlo = this.tLo;
    let thi = tHiStep;
    const ttol = (Math.abs(tHiStep) + Math.abs(tHiStep - integ.tPrev)) * UROUND * 100;
    if (imax >= 0) {
      // Illinois iteration on component imax, the one with the largest relative change.
      let alpha = 1;
      let side = 0;
      let sidePrev = -1;
      const y = this.yRoot;
      while (Math.abs(thi - tlo) > ttol) {
        if (sidePrev === side) alpha = side === 2 ? alpha * 2 : alpha * 0.5;
        else alpha = 1;
        let tmid = thi - ((thi - tlo) * gHi[imax]) / (gHi[imax] - alpha * gLo[imax]);
        // Keep tmid at least ttol/2 inside the bracket so that every iteration shrinks it
        // (as the Illinois root finders of LSODAR/DASKR do).
        if (Math.abs(tmid - tlo) < 0.5 * ttol) {
          const frac = Math.abs(thi - tlo) / ttol;
          tmid = tlo + (frac > 5 ? 0.1 : 0.5 / frac) * (thi - tlo);
        }
        if (Math.abs(thi - tmid) < 0.5 * ttol) {
          const frac = Math.abs(thi - tlo) / ttol;
          tmid = thi - (frac > 5 ? 0.1 : 0.5 / frac) * (thi - tlo);
        }
        integ.interpolate(tmid, y);
        this.fns.g(tmid, y, gMid);
        this.stats.ng++;
        sidePrev = side;
        const k = this.pick(gLo, gMid);
        if (k >= 0) {
          // Sign change in (tlo, tmid].
          thi = tmid;
          gHi.set(gMid);
          imax = k;
          side = 1;
        } else if (k === -2) {
          // Exact zero at tmid and no sign change before it: tmid is the root.
          thi = tmid;
          gHi.set(gMid);
          break;
        } else {
          tlo = tmid;
          gLo.set(gMid);
          side = 2;
        }
      }
    }
    // Root at thi (sign change located to ttol, or an exact zero).
    this.tRoot = thi;
    if (thi === tHiStep) {
      const yy = integ.y;
      for (let i = 0; i < yy.length; i++) this.yRoot[i] = yy[i];
    } else {
      integ.interpolate(thi, this.yRoot);
    }
    for (let k = 0; k < m; k++) {
      const lo = gLo[k];
      const hi = gHi[k];
      this.dir[k] = lo !== 0 && (hi === 0 || lo * hi < 0) ? (lo < 0 ? 1 : -1) : 0;
    }
    this.tLo = thi;
    gLo.set(gHi);
    return true;
  }

  /**
   * Between g values a (left) and b (right): the index of the component with a strict sign
   * change and the largest |b/(b − a)|, −2 if none changes sign but some active one hits zero,
   * −1 otherwise.
   */
  private pick(a: Float64Array, b: Float64Array): number {
    let best = -1;
    let maxFrac = 0;
    let zero = false;
    for (let k = 0; k < this.m; k++) {
      const lo = a[k];
      if (lo === 0) continue;
      const hi = b[k];
      if (hi === 0) zero = true;
      else if (lo * hi < 0) {
        const frac = Math.abs(hi / (hi - lo));
        if (frac > maxFrac || best === -1) {
          maxFrac = frac;
          best = k;
        }
      }
    }
    if (best >= 0) return best;
    return zero ? -2 : -1;
  }
}
