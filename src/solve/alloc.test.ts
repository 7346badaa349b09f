/**
 * No allocation per step. JavaScript has no allocation counter, so the test asks V8's sampling
 * heap profiler (through `node:inspector`, counting objects that the garbage collector already
 * freed too) how many bytes were allocated during 200 000 steps after a warm-up.
 *
 * What is allowed: V8 boxes a floating-point argument in a 16-byte HeapNumber when it passes it
 * to a function it did not inline (e.g. `t` to a large right-hand side), which JavaScript code
 * cannot avoid; the bound is 16 bytes per right-hand-side evaluation plus 48 bytes per step.
 * What is caught: any array or object made per step — one `Float64Array(3)` alone costs about
 * 190 bytes, and the control case shows the probe sees it.
 */
import { Session } from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { Bdf } from './bdf.js';
import { Dopri5 } from './dopri5.js';
import { Rosenbrock } from './rosenbrock.js';
import { resolveSettings } from './settings.js';
import { solve } from './solve.js';
import { newStats, RetCode, type Integrator, type MethodName, type OdeProblem } from './types.js';

interface SamplingNode { selfSize: number; children: SamplingNode[] }

/** Bytes allocated (sampled every 64 bytes on average) while `body` runs synchronously. */
async function bytesAllocated(body: () => void): Promise<number> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
  });
  body();
  const { profile } = await post<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling');
  session.disconnect();
  let total = 0;
  const walk = (node: SamplingNode): void => {
    total += node.selfSize;
    node.children.forEach(walk);
  };
  walk(profile.head);
  return total;
}

/** A forced oscillator with a stiff component that keeps every method stepping. */
const forced: OdeProblem = {
  n: 3,
  rhs(t, y, dy) {
    dy[0] = y[1];
    dy[1] = -y[0] - 0.1 * y[1] + Math.cos(t);
    dy[2] = -50 * (y[2] - Math.sin(t));
  },
  jac(_t, _y, J) {
    J[0] = 0; J[1] = 1; J[2] = 0;
    J[3] = -1; J[4] = -0.1; J[5] = 0;
    J[6] = 0; J[7] = 0; J[8] = -50;
  },
};

function integrator(method: MethodName): Integrator {
  const y0 = Float64Array.from([1, 0, 0]);
  // hmax keeps the steps short so that the run never reaches the end.
  const s = resolveSettings(forced, y0, { t0: 0, tEnd: 1e9, rtol: 1e-6, atol: 1e-9, hmax: 0.01 }, method, newStats());
  if (typeof s === 'string') throw new Error(s);
  if (method === 'bdf') return new Bdf(forced, y0, s);
  if (method === 'rosenbrock') return new Rosenbrock(forced, y0, s);
  return new Dopri5(forced, y0, s);
}

const STEPS = 200_000;
/** Allowed bytes per step: one boxed number per f evaluation and three more. */
const allowance = (nfPerStep: number): number => 16 * nfPerStep + 48;

function run(integ: Integrator, extra?: (k: number) => void): void {
  const out = new Float64Array(3);
  for (let k = 0; k < STEPS; k++) {
    if (integ.step(1e9) !== RetCode.Success) throw new Error(integ.message);
    integ.interpolate(0.5 * (integ.tPrev + integ.t), out);
    extra?.(k);
  }
}

describe('no allocation per step', () => {
  it('the probe sees one Float64Array(3) per step', async () => {
    const integ = integrator('bdf');
    run(integ);
    const sink: Float64Array[] = [new Float64Array(3)];
    const nf0 = integ.stats.nf;
    const bytes = await bytesAllocated(() => run(integ, () => { sink[0] = new Float64Array(3); }));
    expect(bytes / STEPS).toBeGreaterThan(allowance((integ.stats.nf - nf0) / STEPS) + 80);
  });

  it.each(['bdf', 'rosenbrock', 'dopri5'] as const)('%s: nothing but boxed numbers per step', async (method) => {
    const integ = integrator(method);
    run(integ); // warm-up: the JIT compiles and its feedback settles
    const nf0 = integ.stats.nf;
    const bytes = await bytesAllocated(() => run(integ));
    expect(bytes / STEPS).toBeLessThan(allowance((integ.stats.nf - nf0) / STEPS));
  });

  it('the solve() driver (root function, saveAt) adds nothing per step', async () => {
    const opts = {
      t0: 0, tEnd: 1e9, hmax: 0.01, saveAt: [0, 1e9], maxSteps: STEPS,
      roots: { n: 1, g(_t: number, y: Float64Array, o: Float64Array) { o[0] = y[2] - 2; }, onRoot: () => 'continue' as const },
    };
    solve(forced, Float64Array.from([1, 0, 0]), opts);
    let sol: ReturnType<typeof solve> | null = null;
    const bytes = await bytesAllocated(() => { sol = solve(forced, Float64Array.from([1, 0, 0]), opts); });
    expect(sol!.retcode).toBe(RetCode.MaxIters);
    // Whole solve, set-up included.
    expect(bytes / STEPS).toBeLessThan(allowance(sol!.stats.nf / STEPS));
  });
});
