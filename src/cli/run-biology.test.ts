import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../io/scenario/errors.js';
import { defaultRegistry, runScenario } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'ltcc-run-biology-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const silent = { write: () => true };
let n = 0;

async function run(text: string): Promise<ReturnType<typeof runScenario>> {
  const file = join(dir, `s${++n}.yaml`);
  writeFileSync(file, text);
  return runScenario(file, { out: join(dir, `o${n}`), store: false, quiet: true, png: false }, { registry: await defaultRegistry(), stdout: silent, stderr: silent, onInterrupt: () => () => undefined });
}
const errorOf = async (text: string): Promise<ScenarioError> => {
  const e = await run(text).then(() => undefined, (x: unknown) => x);
  if (e instanceof ScenarioError) return e;
  throw new Error(`expected a ScenarioError, got ${String(e)}`);
};

describe('ltcc run on the built-in contexts', () => {
  it('refuses a negative conductance or concentration, naming the field and its line', async () => {
    const e = await errorOf('name: neg\ncontext: ca1\nduration: 10\nparameters:\n  naT.gbar: -1\n');
    expect(e.message).toMatch(/s\d+\.yaml:5:13: field parameters\["naT\.gbar"\]: 'naT\.gbar' must not be negative, got -1 \(mS\/cm\^2\)/);
    const sweep = await errorOf('name: neg\ncontext: ca1\nduration: 10\nexperiments:\n  - type: sweep\n    parameter: ca.cb_total\n    values: [10, -5]\n    readouts: [{ observable: Ca_cyt }]\n');
    expect(sweep.message).toMatch(/7:18: field experiments\[0\]\.values\[1\]: 'ca\.cb_total' must not be negative, got -5 \(uM\)/);
  });

  it('starts every sweep point from the cell settled with its own parameters', async () => {
    // Resting K⁺ sets the resting potential: each point must start at its own rest and stay there.
    const r = await run([
      'name: rest', 'context: ca1', 'duration: 50', 'outputs: { observables: [V], interval: 1 }',
      'experiments:', '  - type: sweep', '    parameter: env.K_o', '    values: [2.5, 5]',
      '    readouts: [{ observable: V, measure: min }, { observable: V, measure: max }]', '',
    ].join('\n'));
    const rows = readFileSync(join(r.outDir, r.manifest.experiments[0].files[0]), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    for (const [, lo, hi] of rows) expect(hi - lo).toBeLessThan(0.5);
    expect(rows[1][1] - rows[0][1]).toBeGreaterThan(2);
  });

  it('runs a voltage ramp', async () => {
    const r = await run('name: ramp\ncontext: heterologous\nprotocol:\n  type: voltage-clamp\n  holding: -80\n  hold: 5\n  segments:\n    - { voltage: -80, to: 40, duration: 120 }\nduration: 130\noutputs: { observables: [V, ICaL], interval: 1 }\n');
    const v = r.manifest.summary.find((s) => s.output === 'V')!;
    expect(v.max).toBeGreaterThan(38);
    expect(v.max).toBeLessThanOrEqual(40);
    expect(v.tMax).toBeGreaterThan(120);
    expect(r.manifest.summary.find((s) => s.output === 'ICaL')!.min).toBeLessThan(-100);
  });
});
