import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../compile/compile.js';
import type { CompiledModel } from '../compile/compiled.js';
import { exportSbmlWithIds } from '../io/sbml/export.js';
import { readSbmlFile } from '../io/sbml/import.js';
import { type SimulationResult, simulate } from '../solve/simulate.js';
import { scenarioModel } from './run.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ltcc-scenario-sbml-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A state or assigned quantity (an imported species concentration is amount / volume) at every output time. */
const series = (cm: CompiledModel, r: SimulationResult, name: string): number[] => {
  const s = cm.symbols.index.get(name);
  if (s?.kind === 'state') return Array.from({ length: r.t.length }, (_, k) => r.y[k * cm.n + s.index]);
  if (s?.kind === 'assigned') return Array.from({ length: r.t.length }, (_, k) => r.assigned![k * cm.nAssigned + s.index]);
  throw new Error(`no state or assigned quantity ${name}`);
};

describe('export sbml of a built-in scenario model', () => {
  it('writes the ca1 cell of a scenario whose SBML import simulates to the same trajectory (one spike)', async () => {
    // The young CA1 train example, shortened to one pulse.
    const { model, tstops } = await scenarioModel(join(examples, 'ca1-train-young.yaml'), ['protocol.count=1', 'protocol.start=5', 'duration=40']);
    expect(model.parameters.find((p) => p.name === 'stim.train0_amp')?.value).toBeCloseTo(1.5, 12);
    const { xml, ids } = exportSbmlWithIds(model);
    const file = join(tmp, 'ca1.xml');
    writeFileSync(file, xml);
    const back = readSbmlFile(file);
    const cmA = compile(model, { discontinuityRoots: false });
    const cmB = compile(back.model, { units: 'off' });
    const saveAt = Array.from({ length: 81 }, (_, k) => k * 0.5);
    const opts = { tEnd: 40, saveAt, rtol: 1e-8, atol: 1e-10, tstops };
    const a = simulate(cmA, opts);
    const b = simulate(cmB, opts);
    expect(a.retcode).toBe('Success');
    expect(b.retcode).toBe('Success');
    const vA = series(cmA, a, 'mem.V');
    const vB = series(cmB, b, ids.get('mem.V')!);
    // The pulse evokes a spike, so the comparison covers the fast currents.
    expect(Math.max(...vA)).toBeGreaterThan(0);
    expect(vA[0]).toBeLessThan(-60);
    for (let k = 0; k < vA.length; k++) expect(Math.abs(vB[k] - vA[k]), `V at ${saveAt[k]} ms`).toBeLessThan(0.01);
    const cA = series(cmA, a, 'ca.cyt');
    const cB = series(cmB, b, ids.get('ca.cyt')!);
    for (let k = 0; k < cA.length; k++) expect(Math.abs(cB[k] - cA[k]), `Ca at ${saveAt[k]} ms`).toBeLessThan(1e-4 * cA[k]);
  });
});
