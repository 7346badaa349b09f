/**
 * Protocols as plain data: voltage clamp (holding potential, steps, ramps, prepulses, action-
 * potential waveforms), current clamp (steps, pulse trains), the bath (extracellular Ca²⁺,
 * Ba²⁺, K⁺ depolarisation, temperature) and knock-outs (density scales of components).
 *
 * Times are ms, potentials mV, injected currents nA, concentrations mM, temperature °C. Time 0
 * is the start of the protocol; the cell is first settled to its own steady state under the
 * holding condition for `settle` ms (not part of the output).
 */
import { ProtocolError } from './errors.js';

/** One voltage-clamp segment: a level held for `duration`, or a ramp to `to`. */
export interface VoltageSegment {
  readonly duration: number;
  readonly level: number;
  /** Ramp end level (mV); omitted for a step. */
  readonly to?: number;
}

export interface VoltageClamp {
  readonly kind: 'voltage-clamp';
  /** Holding potential before, between and after the segments (mV). */
  readonly holding: number;
  /** Segments in order from time `start` (default 0). */
  readonly segments: readonly VoltageSegment[];
  readonly start?: number;
}

export interface CurrentStep {
  readonly start: number;
  readonly duration: number;
  /** nA (positive = depolarising). */
  readonly amplitude: number;
}

export interface PulseTrain {
  readonly start: number;
  /** Hz. */
  readonly frequency: number;
  readonly count: number;
  /** Pulse width, ms. */
  readonly width: number;
  /** nA. */
  readonly amplitude: number;
}

export interface CurrentClamp {
  readonly kind: 'current-clamp';
  readonly steps?: readonly CurrentStep[];
  readonly trains?: readonly PulseTrain[];
}

/** Bath changes relative to the context (each optional). */
export interface Bath {
  readonly Ca_o?: number;
  readonly Ba_o?: number;
  /** Extracellular K⁺ (mM): K⁺ depolarisation raises it (e.g. 40–90 mM). */
  readonly K_o?: number;
  readonly celsius?: number;
}

export interface Protocol {
  readonly name?: string;
  readonly clamp: VoltageClamp | CurrentClamp;
  /** Simulated time after settling (ms). */
  readonly duration: number;
  /** Settling time before t = 0 (ms); default 3000 in current clamp, 500 in voltage clamp. */
  readonly settle?: number;
  readonly bath?: Bath;
  /** Density scales by component (0 = knock-out). */
  readonly scales?: Readonly<Record<string, number>>;
}

const num = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProtocolError(`must be a finite number, got ${JSON.stringify(v)}`, field);
  return v;
};
const nonneg = (v: unknown, field: string): number => {
  const x = num(v, field);
  if (x < 0) throw new ProtocolError(`must not be negative, got ${x}`, field);
  return x;
};
const positive = (v: unknown, field: string): number => {
  const x = num(v, field);
  if (!(x > 0)) throw new ProtocolError(`must be positive, got ${x}`, field);
  return x;
};

/**
 * Checks a protocol: finite numbers, no negative durations, current steps and trains that do
 * not overlap each other, pulses shorter than their period, everything inside `duration`.
 * @throws ProtocolError naming the field.
 */
export function validateProtocol(p: Protocol): void {
  if (p === null || typeof p !== 'object') throw new ProtocolError('must be an object', '(protocol)');
  const duration = positive(p.duration, 'duration');
  if (p.settle !== undefined) nonneg(p.settle, 'settle');
  const c = p.clamp;
  if (!c || typeof c !== 'object') throw new ProtocolError('missing', 'clamp');
  if (c.kind === 'voltage-clamp') {
    num(c.holding, 'clamp.holding');
    let t = c.start === undefined ? 0 : nonneg(c.start, 'clamp.start');
    if (!Array.isArray(c.segments) || c.segments.length === 0) throw new ProtocolError('needs at least one segment', 'clamp.segments');
    c.segments.forEach((s, i) => {
      const d = nonneg(s.duration, `clamp.segments[${i}].duration`);
      num(s.level, `clamp.segments[${i}].level`);
      if (s.to !== undefined) num(s.to, `clamp.segments[${i}].to`);
      t += d;
    });
    if (t > duration) throw new ProtocolError(`segments end at ${t} ms, after the protocol duration ${duration} ms`, 'clamp.segments');
  } else if (c.kind === 'current-clamp') {
    const intervals: { a: number; b: number; field: string }[] = [];
    (c.steps ?? []).forEach((s, i) => {
      const f = `clamp.steps[${i}]`;
      const a = nonneg(s.start, `${f}.start`);
      const d = nonneg(s.duration, `${f}.duration`);
      num(s.amplitude, `${f}.amplitude`);
      intervals.push({ a, b: a + d, field: f });
    });
    (c.trains ?? []).forEach((s, i) => {
      const f = `clamp.trains[${i}]`;
      const a = nonneg(s.start, `${f}.start`);
      const hz = positive(s.frequency, `${f}.frequency`);
      const n = nonneg(s.count, `${f}.count`);
      if (!Number.isInteger(n)) throw new ProtocolError(`must be a whole number, got ${n}`, `${f}.count`);
      const w = positive(s.width, `${f}.width`);
      num(s.amplitude, `${f}.amplitude`);
      const period = 1000 / hz;
      if (w >= period) throw new ProtocolError(`pulse width ${w} ms is not shorter than the period ${period} ms (${hz} Hz): pulses would overlap`, `${f}.width`);
      intervals.push({ a, b: a + n * period, field: f });
    });
    intervals.sort((x, y) => x.a - y.a);
    for (let i = 1; i < intervals.length; i++) {
      if (intervals[i].a < intervals[i - 1].b) {
        throw new ProtocolError(`overlaps ${intervals[i - 1].field} (${intervals[i - 1].a}–${intervals[i - 1].b} ms)`, intervals[i].field);
      }
    }
    for (const iv of intervals) if (iv.b > duration) throw new ProtocolError(`ends at ${iv.b} ms, after the protocol duration ${duration} ms`, iv.field);
  } else {
    throw new ProtocolError(`unknown kind '${String((c as { kind: unknown }).kind)}' (expected voltage-clamp or current-clamp)`, 'clamp.kind');
  }
  if (p.bath) {
    for (const [k, v] of Object.entries(p.bath)) {
      if (!['Ca_o', 'Ba_o', 'K_o', 'celsius'].includes(k)) throw new ProtocolError(`unknown bath field (expected Ca_o, Ba_o, K_o, celsius)`, `bath.${k}`);
      if (k === 'K_o') positive(v, `bath.${k}`);
      else if (k === 'celsius') {
        const x = num(v, 'bath.celsius');
        if (x < 0 || x > 45) throw new ProtocolError(`${x} °C is outside 0–45 °C`, 'bath.celsius');
      } else nonneg(v, `bath.${k}`);
    }
  }
  if (p.scales) for (const [k, v] of Object.entries(p.scales)) nonneg(v, `scales.${k}`);
}

// ---------------------------------------------------------------------------------------------
// Builders for common protocols

/** A step from `holding` to `level` for `step` ms, with `pre` ms before and `post` ms after. */
export function voltageStep(holding: number, level: number, step: number, pre = 10, post = 10): Protocol {
  return {
    name: `step to ${level} mV`,
    clamp: { kind: 'voltage-clamp', holding, start: pre, segments: [{ duration: step, level }] },
    duration: pre + step + post,
  };
}

/** A family of steps (same structure, so one compiled model runs them all). */
export function stepFamily(holding: number, levels: readonly number[], step: number, pre = 10, post = 10): Protocol[] {
  return levels.map((l) => voltageStep(holding, l, step, pre, post));
}

/** A prepulse (conditioning) then a test step: steady-state inactivation protocols. */
export function prepulseTest(holding: number, prepulse: number, prepulseMs: number, test: number, testMs: number, gap = 0): Protocol {
  const segs: VoltageSegment[] = [{ duration: prepulseMs, level: prepulse }];
  if (gap > 0) segs.push({ duration: gap, level: holding });
  segs.push({ duration: testMs, level: test });
  return {
    name: `prepulse ${prepulse} mV → ${test} mV`,
    clamp: { kind: 'voltage-clamp', holding, start: 10, segments: segs },
    duration: 10 + prepulseMs + gap + testMs + 10,
  };
}

/** A linear ramp from `from` to `to` mV over `ms`. */
export function ramp(holding: number, from: number, to: number, ms: number): Protocol {
  return {
    name: `ramp ${from} → ${to} mV`,
    clamp: { kind: 'voltage-clamp', holding, start: 10, segments: [{ duration: ms, level: from, to }] },
    duration: ms + 20,
  };
}

/**
 * An action-potential waveform as voltage clamp: samples (t ms, V mV) are joined by ramps.
 * Use it to measure the Ca²⁺ entry of a spike shape recorded in a neuron.
 */
export function apWaveform(holding: number, samples: readonly (readonly [number, number])[], start = 10): Protocol {
  if (samples.length < 2) throw new ProtocolError('needs at least two (t, V) samples', 'clamp.samples');
  const segs: VoltageSegment[] = [];
  for (let i = 0; i + 1 < samples.length; i++) {
    const [t0, v0] = samples[i];
    const [t1, v1] = samples[i + 1];
    if (!(t1 > t0)) throw new ProtocolError(`sample times must increase (sample ${i + 1}: ${t1} ≤ ${t0})`, `clamp.samples[${i + 1}]`);
    segs.push({ duration: t1 - t0, level: v0, to: v1 });
  }
  const total = samples[samples.length - 1][0] - samples[0][0];
  return { name: 'AP waveform', clamp: { kind: 'voltage-clamp', holding, start, segments: segs }, duration: start + total + 20 };
}

/** Current-clamp step of `amplitude` nA. */
export function currentStep(amplitude: number, duration: number, start = 100, after = 1000): Protocol {
  return { name: `${amplitude} nA for ${duration} ms`, clamp: { kind: 'current-clamp', steps: [{ start, duration, amplitude }] }, duration: start + duration + after };
}

/** A train of `count` pulses at `frequency` Hz (each `width` ms, `amplitude` nA). */
export function pulseTrain(frequency: number, count: number, amplitude: number, width = 2, start = 100, after = 1000): Protocol {
  return {
    name: `${count} pulses at ${frequency} Hz`,
    clamp: { kind: 'current-clamp', trains: [{ start, frequency, count, width, amplitude }] },
    duration: start + (count * 1000) / frequency + after,
  };
}

/** K⁺ depolarisation: extracellular K⁺ raised to `mM` for the whole protocol (no injected current). */
export function kDepolarisation(mM: number, duration: number): Protocol {
  return { name: `${mM} mM K⁺`, clamp: { kind: 'current-clamp' }, duration, bath: { K_o: mM } };
}
