import { describe, expect, it } from 'vitest';
import { protocolInputs } from './apply.js';
import { apWaveform, currentStep, kDepolarisation, pulseTrain, ramp, stepFamily, validateProtocol, type Protocol } from './protocol.js';
import { runProtocol } from './run.js';
import { ProtocolError } from './errors.js';
import { valueAt } from '../experiments/readouts.js';

describe('protocol validation', () => {
  it('rejects negative durations, overlaps and pulses as wide as their period, naming the field', () => {
    const vc = (segments: { duration: number; level: number }[]): Protocol => ({ clamp: { kind: 'voltage-clamp', holding: -80, segments }, duration: 100 });
    expect(() => validateProtocol(vc([{ duration: -5, level: 0 }]))).toThrow(/clamp\.segments\[0\]\.duration.*negative/);
    expect(() => validateProtocol(vc([{ duration: 200, level: 0 }]))).toThrow(/clamp\.segments.*after the protocol duration/);
    expect(() => validateProtocol({ ...vc([{ duration: 5, level: 0 }]), duration: -1 })).toThrow(/field duration/);
    const cc: Protocol = { clamp: { kind: 'current-clamp', steps: [{ start: 10, duration: 50, amplitude: 0.2 }, { start: 40, duration: 10, amplitude: 0.1 }] }, duration: 200 };
    expect(() => validateProtocol(cc)).toThrow(/clamp\.steps\[1\].*overlaps clamp\.steps\[0\]/);
    expect(() => validateProtocol(pulseTrain(100, 5, 1, 10))).toThrow(/trains\[0\]\.width.*not shorter than the period/);
    expect(() => validateProtocol({ ...currentStep(0.1, 100), bath: { K_o: -3 } })).toThrow(/bath\.K_o/);
    expect(() => validateProtocol({ ...currentStep(0.1, 100), bath: { Mg_o: 1 } as never })).toThrow(/bath\.Mg_o.*unknown/);
    expect(() => validateProtocol({ ...currentStep(0.1, 100), clamp: { kind: 'dynamic-clamp' } as never })).toThrow(ProtocolError);
    expect(() => apWaveform(-70, [[0, -70], [0, 20]])).toThrow(/samples\[1\]/);
  });

  it('turns a step family into one stimulus structure with edges as tstops', () => {
    const fam = stepFamily(-80, [-40, 0, 20], 50, 10, 10);
    const ins = fam.map(protocolInputs);
    expect(new Set(ins.map((i) => JSON.stringify(i.input))).size).toBe(1);
    expect(ins[1].stimulus['stim.v1']).toBe(0);
    expect(ins[1].rest['stim.v1']).toBe(-80);
    expect(ins[1].tstops).toEqual([10, 60]);
    const tr = protocolInputs(pulseTrain(10, 3, 1, 2, 100, 50));
    expect(tr.tstops).toEqual([100, 102, 200, 202, 300, 302]);
    expect(protocolInputs(kDepolarisation(40, 1000)).bath).toEqual({ 'env.K_o': 40 });
  });
});

describe('running protocols', () => {
  it('clamps the membrane to the protocol waveform (steps and ramps)', () => {
    const p = ramp(-80, -60, 20, 40);
    const tr = runProtocol({ context: 'heterologous' }, p, { dt: 0.5 });
    const V = tr.series('mem.V');
    expect(valueAt(tr.t, V, 5)).toBeCloseTo(-80, 9);
    expect(valueAt(tr.t, V, 30)).toBeCloseTo(-60 + (80 * 20) / 40, 9);
    expect(valueAt(tr.t, V, 55)).toBeCloseTo(-80, 9);
  });

  it('K⁺ depolarisation moves E_K and the resting potential', () => {
    const rest = runProtocol({ context: 'ca1' }, kDepolarisation(3.5, 20), { dt: 1 });
    const high = runProtocol({ context: 'ca1' }, { ...kDepolarisation(40, 20), settle: 1000 }, { dt: 1 });
    expect(high.series('env.EK')[0] - rest.series('env.EK')[0]).toBeGreaterThan(50);
    expect(high.series('mem.V')[10] - rest.series('mem.V')[10]).toBeGreaterThan(10);
  });
});
