/**
 * The six problems of the shared IVP test set (ROBER, E5, POLLU, VDPOL stiff; AREN, PLEI
 * non-stiff), with right-hand sides and analytic Jacobians written by hand from the published
 * equations in each `reference.json` (parameters, initial values and reference values are
 * read from there). Used by the solver tests and for timing the solvers on their own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OdeProblem } from './types.js';

export type IvpName = 'rober' | 'e5' | 'pollu' | 'vdpol' | 'aren' | 'plei';
export const IVP_NAMES: readonly IvpName[] = ['rober', 'e5', 'pollu', 'vdpol', 'aren', 'plei'];

export interface IvpReference {
  problem: string;
  stiff: boolean;
  dimension: number;
  state_variables: string[];
  t0: number;
  tend: number;
  initial: Record<string, number>;
  parameters: Record<string, number>;
  reference_vector: number[];
  compare_components: string[];
  reference_recomputed?: { values: Record<string, number> };
}

export interface IvpCase {
  name: IvpName;
  problem: OdeProblem;
  y0: Float64Array;
  t0: number;
  tEnd: number;
  /** Reference values at tEnd (E5: the recomputed, invariant-preserving reference). */
  reference: Float64Array;
  /** Indices of the components the accuracy is measured on. */
  compare: number[];
  stiff: boolean;
}

/** Directory of the shared test set, relative to the repository root. */
export const IVP_DIR = path.resolve(process.cwd(), '../shared/ivp');

export function readReference(name: IvpName, dir = IVP_DIR): IvpReference {
  return JSON.parse(readFileSync(path.join(dir, name, 'reference.json'), 'utf8')) as IvpReference;
}

/**
 * Significant correct digits, as the test set defines it: −log10 of the largest relative error
 * over the compared components with a non-zero reference.
 */
export function scd(y: Float64Array, ref: Float64Array, compare: number[]): number {
  let worst = 0;
  for (const i of compare) {
    if (ref[i] === 0) continue;
    worst = Math.max(worst, Math.abs((y[i] - ref[i]) / ref[i]));
  }
  return -Math.log10(worst);
}

function robertson(p: Record<string, number>): OdeProblem {
  const { k1, k2, k3 } = p;
  return {
    n: 3,
    rhs(_t, y, dy) {
      const y1 = y[0], y2 = y[1], y3 = y[2];
      dy[0] = -k1 * y1 + k3 * y2 * y3;
      dy[1] = k1 * y1 - k3 * y2 * y3 - k2 * y2 * y2;
      dy[2] = k2 * y2 * y2;
    },
    jac(_t, y, J) {
      const y2 = y[1], y3 = y[2];
      J[0] = -k1; J[1] = k3 * y3; J[2] = k3 * y2;
      J[3] = k1; J[4] = -k3 * y3 - 2 * k2 * y2; J[5] = -k3 * y2;
      J[6] = 0; J[7] = 2 * k2 * y2; J[8] = 0;
    },
  };
}

function e5(p: Record<string, number>): OdeProblem {
  const { A, B, CM, C } = p;
  return {
    n: 4,
    rhs(_t, y, dy) {
      const prod1 = A * y[0];
      const prod2 = B * y[0] * y[2];
      const prod3 = CM * y[1] * y[2];
      const prod4 = C * y[3];
      dy[0] = -prod1 - prod2;
      dy[1] = prod1 - prod3;
      // Written as in the test set: the grouping keeps the invariant y2 − y3 − y4 in rounding.
      dy[2] = (prod1 - prod3) - (prod2 - prod4);
      dy[3] = prod2 - prod4;
    },
    jac(_t, y, J) {
      const y1 = y[0], y2 = y[1], y3 = y[2];
      J[0] = -A - B * y3; J[1] = 0; J[2] = -B * y1; J[3] = 0;
      J[4] = A; J[5] = -CM * y3; J[6] = -CM * y2; J[7] = 0;
      J[8] = A - B * y3; J[9] = -CM * y3; J[10] = -CM * y2 - B * y1; J[11] = C;
      J[12] = B * y3; J[13] = 0; J[14] = B * y1; J[15] = -C;
    },
  };
}

/** POLLU reactions: reactant indices (0-based) and net stoichiometry [species, change, ...]. */
const POLLU_REACTIONS: readonly (readonly [readonly number[], readonly number[]])[] = [
  [[0], [0, -1, 1, 1, 2, 1]], // r1
  [[1, 3], [0, 1, 1, -1, 3, -1]], // r2
  [[4, 1], [0, 1, 1, -1, 4, -1, 5, 1]], // r3
  [[6], [4, 2, 6, -1, 7, 1]], // r4
  [[6], [6, -1, 7, 1]], // r5
  [[6, 5], [4, 1, 5, -1, 6, -1, 7, 1]], // r6
  [[8], [4, 1, 7, 1, 8, -1, 9, 1]], // r7
  [[8, 5], [5, -1, 8, -1, 10, 1]], // r8
  [[10, 1], [0, 1, 1, -1, 9, 1, 10, -1, 11, 1]], // r9
  [[10, 0], [0, -1, 10, -1, 12, 1]], // r10
  [[12], [0, 1, 10, 1, 12, -1]], // r11
  [[9, 1], [0, 1, 1, -1, 9, -1, 13, 1]], // r12
  [[13], [4, 1, 6, 1, 13, -1]], // r13
  [[0, 5], [0, -1, 5, -1, 14, 1]], // r14
  [[2], [2, -1, 3, 1]], // r15
  [[3], [3, -1, 15, 1]], // r16
  [[3], [2, 1, 3, -1]], // r17
  [[15], [5, 2, 15, -1]], // r18
  [[15], [2, 1, 15, -1]], // r19
  [[16, 5], [4, 1, 5, -1, 16, -1, 17, 1]], // r20
  [[18], [1, 1, 18, -1]], // r21
  [[18], [0, 1, 2, 1, 18, -1]], // r22
  [[0, 3], [0, -1, 3, -1, 18, 1]], // r23
  [[18, 0], [0, -1, 18, -1, 19, 1]], // r24
  [[19], [0, 1, 18, 1, 19, -1]], // r25
];

function pollu(p: Record<string, number>): OdeProblem {
  const k = new Float64Array(25);
  for (let j = 0; j < 25; j++) k[j] = p[`k${j + 1}`];
  return {
    n: 20,
    rhs(_t, y, dy) {
      const r1 = k[0]*y[0];
      const r2 = k[1]*y[1]*y[3];
      const r3 = k[2]*y[4]*y[1];
      const r4 = k[3]*y[6];
      const r5 = k[4]*y[6];
      const r6 = k[5]*y[6]*y[5];
      const r7 = k[6]*y[8];
      const r8 = k[7]*y[8]*y[5];
      const r9 = k[8]*y[10]*y[1];
      const r10 = k[9]*y[10]*y[0];
      const r11 = k[10]*y[12];
      const r12 = k[11]*y[9]*y[1];
      const r13 = k[12]*y[13];
      const r14 = k[13]*y[0]*y[5];
      const r15 = k[14]*y[2];
      const r16 = k[15]*y[3];
      const r17 = k[16]*y[3];
      const r18 = k[17]*y[15];
      const r19 = k[18]*y[15];
      const r20 = k[19]*y[16]*y[5];
      const r21 = k[20]*y[18];
      const r22 = k[21]*y[18];
      const r23 = k[22]*y[0]*y[3];
      const r24 = k[23]*y[18]*y[0];
      const r25 = k[24]*y[19];
      dy[0] = -r1 - r10 - r14 - r23 - r24 + r2 + r3 + r9 + r11 + r12 + r22 + r25;
      dy[1] = -r2 - r3 - r9 - r12 + r1 + r21;
      dy[2] = -r15 + r1 + r17 + r19 + r22;
      dy[3] = -r2 - r16 - r17 - r23 + r15;
      dy[4] = -r3 + r4 + r4 + r6 + r7 + r13 + r20;
      dy[5] = -r6 - r8 - r14 - r20 + r3 + r18 + r18;
      dy[6] = -r4 - r5 - r6 + r13;
      dy[7] = r4 + r5 + r6 + r7;
      dy[8] = -r7 - r8;
      dy[9] = -r12 + r7 + r9;
      dy[10] = -r9 - r10 + r8 + r11;
      dy[11] = r9;
      dy[12] = -r11 + r10;
      dy[13] = -r13 + r12;
      dy[14] = r14;
      dy[15] = -r18 - r19 + r16;
      dy[16] = -r20;
      dy[17] = r20;
      dy[18] = -r21 - r22 - r24 + r23 + r25;
      dy[19] = -r25 + r24;
    },
    jac(_t, y, J) {
      J.fill(0);
      for (let r = 0; r < 25; r++) {
        const [reac, st] = POLLU_REACTIONS[r];
        const a = reac[0];
        // ∂rate/∂y for rate k·y_a or k·y_a·y_b.
        const da = reac.length === 2 ? k[r] * y[reac[1]] : k[r];
        const db = reac.length === 2 ? k[r] * y[a] : 0;
        for (let s = 0; s < st.length; s += 2) {
          const i = st[s];
          const c = st[s + 1];
          J[i * 20 + a] += c * da;
          if (reac.length === 2) J[i * 20 + reac[1]] += c * db;
        }
      }
    },
  };
}

function vanDerPol(p: Record<string, number>): OdeProblem {
  const mu = p.mu;
  return {
    n: 2,
    rhs(_t, y, dy) {
      dy[0] = y[1];
      dy[1] = mu * (1 - y[0] * y[0]) * y[1] - y[0];
    },
    jac(_t, y, J) {
      J[0] = 0; J[1] = 1;
      J[2] = -2 * mu * y[0] * y[1] - 1; J[3] = mu * (1 - y[0] * y[0]);
    },
  };
}

function arenstorf(p: Record<string, number>): OdeProblem {
  const mu = p.mu;
  const mup = 1 - mu;
  return {
    n: 4,
    rhs(_t, y, dy) {
      const y1 = y[0], y2 = y[1];
      const a = (y1 + mu) ** 2 + y2 * y2;
      const b = (y1 - mup) ** 2 + y2 * y2;
      const d1 = a * Math.sqrt(a);
      const d2 = b * Math.sqrt(b);
      dy[0] = y[2];
      dy[1] = y[3];
      dy[2] = y1 + 2 * y[3] - (mup * (y1 + mu)) / d1 - (mu * (y1 - mup)) / d2;
      dy[3] = y2 - 2 * y[2] - (mup * y2) / d1 - (mu * y2) / d2;
    },
    jac(_t, y, J) {
      const y1 = y[0], y2 = y[1];
      const u = y1 + mu, v = y1 - mup;
      const a = u * u + y2 * y2;
      const b = v * v + y2 * y2;
      const a32 = a * Math.sqrt(a), a52 = a32 * a;
      const b32 = b * Math.sqrt(b), b52 = b32 * b;
      // ∂/∂x of x/r³ = 1/r³ − 3x²/r⁵, ∂/∂y of x/r³ = −3xy/r⁵.
      const dxx = 1 - mup * (1 / a32 - (3 * u * u) / a52) - mu * (1 / b32 - (3 * v * v) / b52);
      const dxy = mup * (3 * u * y2) / a52 + mu * (3 * v * y2) / b52;
      const dyy = 1 - mup * (1 / a32 - (3 * y2 * y2) / a52) - mu * (1 / b32 - (3 * y2 * y2) / b52);
      J.fill(0);
      J[2] = 1;
      J[7] = 1;
      J[8] = dxx; J[9] = dxy; J[11] = 2;
      J[12] = dxy; J[13] = dyy; J[14] = -2;
    },
  };
}

function pleiades(p: Record<string, number>): OdeProblem {
  const m = new Float64Array(7);
  for (let i = 0; i < 7; i++) m[i] = p[`m${i + 1}`];
  const n = 28;
  return {
    n,
    rhs(_t, y, dy) {
      for (let i = 0; i < 14; i++) dy[i] = y[14 + i];
      for (let i = 0; i < 7; i++) {
        let ax = 0;
        let ay = 0;
        const xi = y[i], yi = y[7 + i];
        for (let j = 0; j < 7; j++) {
          if (j === i) continue;
          const dx = y[j] - xi, dyy = y[7 + j] - yi;
          const r2 = dx * dx + dyy * dyy;
          const r3 = r2 * Math.sqrt(r2);
          ax += (m[j] * dx) / r3;
          ay += (m[j] * dyy) / r3;
        }
        dy[14 + i] = ax;
        dy[21 + i] = ay;
      }
    },
    jac(_t, y, J) {
      J.fill(0);
      for (let i = 0; i < 14; i++) J[i * n + 14 + i] = 1;
      for (let i = 0; i < 7; i++) {
        const xi = y[i], yi = y[7 + i];
        const rowU = (14 + i) * n, rowV = (21 + i) * n;
        for (let j = 0; j < 7; j++) {
          if (j === i) continue;
          const dx = y[j] - xi, dyy = y[7 + j] - yi;
          const r2 = dx * dx + dyy * dyy;
          const r3 = r2 * Math.sqrt(r2);
          const r5 = r3 * r2;
          // Acceleration term m_j·d/r³ with d = q_j − q_i.
          const axx = m[j] * (1 / r3 - (3 * dx * dx) / r5);
          const axy = -m[j] * (3 * dx * dyy) / r5;
          const ayy = m[j] * (1 / r3 - (3 * dyy * dyy) / r5);
          J[rowU + j] += axx; J[rowU + i] -= axx;
          J[rowU + 7 + j] += axy; J[rowU + 7 + i] -= axy;
          J[rowV + j] += axy; J[rowV + i] -= axy;
          J[rowV + 7 + j] += ayy; J[rowV + 7 + i] -= ayy;
        }
      }
    },
  };
}

const BUILDERS: Record<IvpName, (p: Record<string, number>) => OdeProblem> = {
  rober: robertson, e5, pollu, vdpol: vanDerPol, aren: arenstorf, plei: pleiades,
};

/** Loads a problem of the shared test set with its initial values and reference. */
export function loadIvp(name: IvpName, dir = IVP_DIR): IvpCase {
  const ref = readReference(name, dir);
  const problem = BUILDERS[name](ref.parameters);
  const names = ref.state_variables;
  const y0 = Float64Array.from(names.map((s) => ref.initial[s]));
  const reference = Float64Array.from(ref.reference_vector);
  if (ref.reference_recomputed !== undefined) {
    const v = ref.reference_recomputed.values;
    names.forEach((s, i) => { reference[i] = v[s]; });
  }
  const compare = ref.compare_components.map((s) => names.indexOf(s));
  return { name, problem, y0, t0: ref.t0, tEnd: ref.tend, reference, compare, stiff: ref.stiff };
}
