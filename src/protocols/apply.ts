/**
 * Turns a protocol into model inputs: the stimulus structure the model is compiled for, the
 * parameter values of that structure, the bath overrides, the density scales, and the times
 * the integrator must step to exactly (every edge of the stimulus).
 */
import type { InputStructure } from '../biology/membrane.js';
import type { Protocol } from './protocol.js';
import { validateProtocol } from './protocol.js';

export interface ProtocolInputs {
  readonly input: InputStructure;
  /** Stimulus parameter values by path (`stim.v1`). */
  readonly stimulus: Readonly<Record<string, number>>;
  /** Stimulus values that switch the stimulus off (for settling). */
  readonly rest: Readonly<Record<string, number>>;
  /** Bath overrides by path (`env.K_o`). */
  readonly bath: Readonly<Record<string, number>>;
  readonly scales: Readonly<Record<string, number>>;
  /** Stimulus edges (ms), ascending, inside (0, duration). */
  readonly tstops: readonly number[];
}

/** See {@link ProtocolInputs}; validates the protocol first. */
export function protocolInputs(p: Protocol): ProtocolInputs {
  validateProtocol(p);
  const stim: Record<string, number> = {};
  const rest: Record<string, number> = {};
  const stops: number[] = [];
  let input: InputStructure;
  const c = p.clamp;
  if (c.kind === 'voltage-clamp') {
    // Segment 0: holding; then each protocol segment; then holding again.
    const S = c.segments.length + 2;
    input = { clamp: 'voltage', segments: S };
    stim['stim.v0'] = c.holding;
    stim['stim.s0'] = 0;
    let t = c.start ?? 0;
    c.segments.forEach((s, i) => {
      const k = i + 1;
      stim[`stim.t${k}`] = t;
      stim[`stim.v${k}`] = s.level;
      stim[`stim.s${k}`] = s.to === undefined || s.duration === 0 ? 0 : (s.to - s.level) / s.duration;
      stops.push(t);
      t += s.duration;
    });
    stim[`stim.t${S - 1}`] = t;
    stim[`stim.v${S - 1}`] = c.holding;
    stim[`stim.s${S - 1}`] = 0;
    stops.push(t);
    for (const k of Object.keys(stim)) rest[k] = stim[k];
    for (let k = 1; k < S; k++) {
      rest[`stim.v${k}`] = c.holding;
      rest[`stim.s${k}`] = 0;
    }
  } else {
    const steps = c.steps ?? [];
    const trains = c.trains ?? [];
    input = { clamp: 'current', steps: steps.length, trains: trains.length };
    steps.forEach((s, k) => {
      stim[`stim.step${k}_start`] = s.start;
      stim[`stim.step${k}_dur`] = s.duration;
      stim[`stim.step${k}_amp`] = s.amplitude;
      rest[`stim.step${k}_amp`] = 0;
      stops.push(s.start, s.start + s.duration);
    });
    trains.forEach((s, k) => {
      const period = 1000 / s.frequency;
      stim[`stim.train${k}_start`] = s.start;
      stim[`stim.train${k}_period`] = period;
      stim[`stim.train${k}_width`] = s.width;
      stim[`stim.train${k}_count`] = s.count;
      stim[`stim.train${k}_amp`] = s.amplitude;
      rest[`stim.train${k}_amp`] = 0;
      for (let j = 0; j < s.count; j++) stops.push(s.start + j * period, s.start + j * period + s.width);
    });
    for (const k of Object.keys(stim)) if (!(k in rest)) rest[k] = stim[k];
  }
  const bath: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.bath ?? {})) bath[`env.${k}`] = v as number;
  const tstops = [...new Set(stops)].filter((t) => t > 0 && t < p.duration).sort((a, b) => a - b);
  return { input, stimulus: stim, rest, bath, scales: { ...(p.scales ?? {}) }, tstops };
}
