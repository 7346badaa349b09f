/**
 * Cell-level experiments: I–V families, activation time constants and long-pulse inactivation
 * in the heterologous context; resting Ca²⁺, buffer capacity, Ca²⁺ per action potential,
 * train-evoked Ca²⁺ rises, AHP after a burst and accommodation in the CA1 neuron. Each returns
 * plain numbers (units in the names) computed by the read-outs from simulated traces.
 */
import type { CellSpec } from '../biology/contexts.js';
import { runProtocol, type RunOptions, type Trace } from '../protocols/run.js';
import { type Protocol, stepFamily, voltageStep, pulseTrain, currentStep } from '../protocols/protocol.js';
import { isSuccessful } from '../solve/types.js';
import { activationTau, ahp, caTransient, ivPeak, ivThreshold, peakInward, spikeTimes, valueAt } from './readouts.js';

type Spec = Omit<CellSpec, 'input'>;

/** A simulation that did not reach its end: the read-out cannot be trusted. */
export class CellExperimentFailed extends Error {
  constructor(what: string, tr: Trace) {
    super(`${what}: simulation stopped with ${tr.retcode} (${tr.message})`);
    this.name = 'CellExperimentFailed';
  }
}

const run = (spec: Spec, p: Protocol, what: string, o?: RunOptions): Trace => {
  const tr = runProtocol(spec, p, o);
  if (!isSuccessful(tr.retcode)) throw new CellExperimentFailed(what, tr);
  return tr;
};

export interface IvResult {
  /** Test potentials (mV). */
  readonly v: number[];
  /** Peak inward whole-cell current at each (pA). */
  readonly iPeak: number[];
  /** Voltage of maximal inward current (mV, parabolic refinement). */
  readonly vPeak: number;
  /** 5 % activation threshold (mV). */
  readonly threshold: number;
}

/** Peak-current I–V from `holding` with `stepMs` steps to each level. */
export function ivCurve(spec: Spec, levels: readonly number[], holding = -80, stepMs = 50, o?: RunOptions): IvResult {
  const pre = 10;
  const iPeak = stepFamily(holding, levels, stepMs, pre, 10).map((p) => {
    const tr = run(spec, p, `I–V step ${p.name}`, { dt: 0.02, ...o });
    // The window stops before the step ends: the tail current at the holding potential is not part of the I–V.
    return Math.min(0, peakInward(tr.t, tr.series('mem.I_pA'), pre + 0.01, pre + stepMs - 0.1).value);
  });
  const v = [...levels];
  return { v, iPeak, vPeak: ivPeak(v, iPeak), threshold: ivThreshold(v, iPeak, 0.05) };
}

/** Standard I–V levels: −70 … +50 mV every 2.5 mV. */
export const IV_LEVELS: readonly number[] = Array.from({ length: 49 }, (_, k) => -70 + 2.5 * k);

/** Activation time constant (ms) of the current at `v` (mV) from `holding`. */
export function activationTauAt(spec: Spec, v: number, holding = -80, o?: RunOptions): number {
  const pre = 10;
  const tr = run(spec, voltageStep(holding, v, 30, pre, 5), `activation at ${v} mV`, { dt: 0.005, ...o });
  const I = tr.series('mem.I_pA');
  const pk = peakInward(tr.t, I, pre + 0.001, pre + 29.9);
  return activationTau(tr.t, I, pre, pk.time);
}

/** Fraction of the peak current inactivated at the end of a `ms`-long step to `v`. */
export function inactivationAfter(spec: Spec, v: number, ms = 5000, holding = -80, o?: RunOptions): number {
  const pre = 10;
  const tr = run(spec, voltageStep(holding, v, ms, pre, 5), `${ms} ms step to ${v} mV`, { dt: 0.5, ...o });
  const fine = run(spec, voltageStep(holding, v, 50, pre, 5), `peak at ${v} mV`, { dt: 0.01, ...o });
  const ipk = peakInward(fine.t, fine.series('mem.I_pA'), pre + 0.01, pre + 49.9).value;
  const iEnd = valueAt(tr.t, tr.series('mem.I_pA'), pre + ms - 1);
  return 1 - iEnd / ipk;
}

/** Resting values of the settled cell: free Ca²⁺ of each pool (µM), V (mV), κ of the shell. */
export function restingState(spec: Spec, o?: RunOptions): { V: number; nano: number; shell: number; cyt: number; nuc: number; kappaShell: number } {
  const tr = run(spec, { name: 'rest', clamp: { kind: 'current-clamp' }, duration: 1 }, 'rest', { dt: 0.5, ...o });
  const at = (n: string): number => tr.series(n)[0];
  return { V: at('mem.V'), nano: at('ca.nano'), shell: at('ca.shell'), cyt: at('ca.cyt'), nuc: at('ca.nuc'), kappaShell: at('ca.kappa_shell') };
}

/** Suprathreshold pulse used to evoke one action potential (nA, ms). */
export const AP_PULSE = { amplitude: 2, width: 2 } as const;

/** Δ[Ca²⁺] of the shell (µM) after one action potential evoked by a brief pulse; also the spike count. */
export function caPerAp(spec: Spec, o?: RunOptions): { delta: number; spikes: number; decay: number } {
  const p = pulseTrain(1, 1, AP_PULSE.amplitude, AP_PULSE.width, 50, 400);
  const tr = run(spec, p, 'single AP', { dt: 0.02, ...o });
  const c = caTransient(tr.t, tr.series('ca.shell'), 50, 450);
  return { delta: c.delta, spikes: spikeTimes(tr.t, tr.series('mem.V'), 0).length, decay: c.decay };
}

/** Somatic (cytosolic) Ca²⁺ rise during a train of brief suprathreshold pulses. */
export function trainCa(spec: Spec, hz: number, seconds: number, o?: RunOptions): { rest: number; peakRise: number; spikes: number; load: number } {
  const count = Math.round(hz * seconds);
  const p = pulseTrain(hz, count, AP_PULSE.amplitude, AP_PULSE.width, 100, 500);
  const tr = run(spec, p, `${hz} Hz train`, { dt: 1, hmax: 0.5 * AP_PULSE.width, ...o });
  const cyt = tr.series('ca.cyt');
  const c = caTransient(tr.t, cyt, 100);
  let load = 0;
  for (let k = 1; k < tr.t.length; k++) load += 0.5 * (Math.max(0, cyt[k - 1] - c.rest) + Math.max(0, cyt[k] - c.rest)) * (tr.t[k] - tr.t[k - 1]);
  const spikes = countSpikesCoarse(tr);
  return { rest: c.rest, peakRise: c.delta, spikes, load };
}

/** Spike count of a coarsely sampled trace: counts pulses followed by Na⁺ channel inactivation. */
function countSpikesCoarse(tr: Trace): number {
  // With 1 ms sampling a 1 ms spike can be missed; the Na⁺ inactivation gate h drops below 0.5
  // after every spike and recovers within a few ms, so its dips count spikes robustly.
  const h = tr.series('naT.h');
  let n = 0;
  let low = false;
  for (let k = 0; k < h.length; k++) {
    if (!low && h[k] < 0.3) {
      n++;
      low = true;
    } else if (low && h[k] > 0.5) low = false;
  }
  return n;
}

/** AHP after `n` spikes evoked at `hz` (Moyer et al. 2000 style): amplitude (mV) and area (mV·s) over `windowMs`. */
export function ahpAfterBurst(spec: Spec, n = 4, hz = 100, windowMs = 2000, o?: RunOptions): { amplitude: number; area: number; spikes: number; vRest: number } {
  const start = 100;
  const p = pulseTrain(hz, n, AP_PULSE.amplitude, AP_PULSE.width, start, windowMs + 50);
  const tr = run(spec, p, 'burst', { dt: 0.1, ...o });
  const V = tr.series('mem.V');
  const vRest = valueAt(tr.t, V, start - 1);
  const tEndBurst = start + (n * 1000) / hz;
  const r = ahp(tr.t, V, vRest, tEndBurst + 5, tEndBurst + windowMs);
  return { amplitude: r.amplitude, area: r.area / 1000, spikes: spikeTimes(tr.t, V, 0).length, vRest };
}

/** Spikes fired during an 800 ms depolarising step of `amplitude` nA (accommodation). */
export function stepSpikes(spec: Spec, amplitude: number, ms = 800, o?: RunOptions): { spikes: number; times: number[] } {
  const tr = run(spec, currentStep(amplitude, ms, 100, 200), 'current step', { dt: 0.1, ...o });
  const times = spikeTimes(tr.t, tr.series('mem.V'), 0, 100, 100 + ms + 5);
  return { spikes: times.length, times };
}
