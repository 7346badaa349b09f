import { execFileSync } from 'node:child_process';
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

/** libSBML's consistency check of the built-in models as exported (errors only; unit warnings are allowed). */
describe('libSBML consistency of the exported built-in models', () => {
  const python = '/usr/bin/python3';
  let haveLibsbml = true;
  try {
    execFileSync(python, ['-c', 'import libsbml'], { stdio: 'ignore' });
  } catch {
    haveLibsbml = false;
  }
  if (!haveLibsbml && process.env.CI !== 'true') {
    console.warn('\n*** SKIPPED: libSBML check of the built-in exports — /usr/bin/python3 cannot import libsbml (apt-get install -y python3-sbml5) ***\n');
    it.skip('libSBML is not installed', () => {});
    return;
  }
  it('finds no errors in the ca1 cell, with and without signalling, and the vascular cell', async () => {
    expect(haveLibsbml, 'python3 cannot import libsbml: apt-get install -y python3-sbml5').toBe(true);
    const files: string[] = [];
    for (const [example, sets] of [
      ['ca1-train-young.yaml', []],
      ['ca1-train-young.yaml', ['signalling=true']],
      ['vascular-k-depolarisation.yaml', []],
    ] as const) {
      const { model } = await scenarioModel(join(examples, example), [...sets]);
      const file = join(tmp, `lib-${files.length}.xml`);
      writeFileSync(file, exportSbmlWithIds(model).xml);
      files.push(file);
    }
    const script = [
      'import libsbml, sys, json',
      'out = []',
      'for f in sys.argv[1:]:',
      '    d = libsbml.readSBMLFromFile(f)',
      '    d.checkConsistency()',
      '    errs = [d.getError(i) for i in range(d.getNumErrors())]',
      '    out.append([e.getMessage()[:300] for e in errs if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR])',
      'print(json.dumps(out))',
    ].join('\n');
    const res = JSON.parse(execFileSync(python, ['-c', script, ...files], { encoding: 'utf8' })) as string[][];
    expect(res).toHaveLength(3);
    res.forEach((errs, i) => expect(errs, `errors in ${files[i]}`).toEqual([]));
  });
});
