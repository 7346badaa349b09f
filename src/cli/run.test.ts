import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelBuilder } from '../model/builder.js';
import { ScenarioError } from '../io/scenario/errors.js';
import { combineRegistries, contextFromFactory, createRegistry } from '../io/scenario/registry.js';
import { toyContext } from '../io/scenario/toy-context.js';
import { RunStore } from '../io/store/store.js';
import { SimulationFailed } from './errors.js';
import { outputTimes, readout, runScenario, seedStream, summarise } from './run.js';
import { runsCompareCommand, runsListCommand, runsShowCommand } from './runs.js';
import { schemaCommand } from './schema.js';

/** x' = -k x, exact solution x0·exp(-k t); y' = a y², which with a = 1 cannot pass t = 1 from y(0) = 1. */
const decay = contextFromFactory({
  id: 'decay',
  description: 'first-order decay',
  presets: [{ id: 'slow', description: 'k = 0.1 /ms' }],
  build: () => {
    const b = new ModelBuilder('decay', { timeUnit: 'ms' });
    b.root.parameter('k', 0.1, { unit: '1/ms', assumption: 'round number for a test' });
    b.root.parameter('x0', 2, { unit: 'uM', source: 'test fixture' });
    b.root.state('x', { initial: 'x0', rate: '-k*x', unit: 'uM' });
    b.root.parameter('a', 0, { unit: '1/(uM*ms)', source: 'test fixture' });
    b.root.state('y', { initial: 1, rate: 'a*y^2', unit: 'uM' });
    b.root.observable('X', 'x', { unit: 'uM' });
    return b.build();
  },
});
const registry = combineRegistries(createRegistry([toyContext()]), createRegistry([decay]));

let dir: string;
let out: string[];
const sink = { write: (s: string) => { out.push(s); return true; } };
const silent = { write: () => true };
const deps = { registry, stdout: sink, stderr: silent, onInterrupt: () => () => undefined };
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ltcc-run-')); out = []; });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const scenario = (text: string, name = 's.yaml'): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const decayScenario = 'name: decay\ncontext: decay\nduration: 10\noutputs: { interval: 0.5 }\n';

describe('helpers', () => {
  it('spaces output times evenly and ends exactly at the duration', () => {
    expect(Array.from(outputTimes(1, 0.25))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(outputTimes(1, 0.3))).toEqual([0, 0.3, 0.6, 0.8999999999999999, 1]);
  });
  it('derives reproducible, distinct seeds from the scenario seed', () => {
    const a = seedStream(7);
    const b = seedStream(7);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(new Set(xs).size).toBe(3);
    expect(seedStream(8)()).not.toBe(xs[0]);
  });
  it('summarises and reads out time courses', () => {
    const t = [0, 1, 2, 3];
    const y = [0, 2, 1, 1];
    expect(summarise('y', 'uM', t, y)).toEqual({ output: 'y', unit: 'uM', min: 0, max: 2, final: 1, tMax: 1, mean: 3.5 / 3 });
    expect(readout(t, y, { observable: 'y', measure: 'auc' })).toBe(3.5);
    expect(readout(t, y, { observable: 'y', measure: 'max', from: 2 })).toBe(1);
    expect(readout(t, y, { observable: 'y', measure: 'mean', from: 1, to: 3 })).toBe(1.25);
  });
});

describe('runScenario', () => {
  it('writes time courses, summaries, plots, report and manifest, and records the run', async () => {
    const store = join(dir, 'runs.sqlite');
    const r = await runScenario(scenario(decayScenario.replace('duration: 10', 'duration: 10\nparameters: { k: 0.2 }')), { out: join(dir, 'o'), store, set: ['outputs.observables=[X]'] }, deps);
    const files = readdirSync(join(dir, 'o')).sort();
    expect(files).toEqual(['manifest.json', 'plots', 'report.html', 'summary.csv', 'summary.json', 'timecourse.csv', 'timecourse.parquet']);
    expect(readdirSync(join(dir, 'o', 'plots')).sort()).toEqual(['trace-X.png', 'trace-X.svg']);
    // The numbers are the exact solution 2·exp(-0.2 t) to the solver tolerance.
    const csv = readFileSync(join(dir, 'o', 'timecourse.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time (ms),X (uM)');
    expect(csv).toHaveLength(22);
    const [t, x] = csv[21].split(',').map(Number);
    expect(t).toBe(10);
    expect(x).toBeCloseTo(2 * Math.exp(-2), 5);
    const bytes = readFileSync(join(dir, 'o', 'timecourse.parquet'));
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    expect(rows).toHaveLength(21);
    expect(rows[20].X).toBeCloseTo(2 * Math.exp(-2), 5);
    const m = JSON.parse(readFileSync(join(dir, 'o', 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'ltcc-run-manifest/1', name: 'decay', status: 'ok', seed: 0, context: 'decay', preset: 'slow' });
    expect(m.modelHash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.solver).toMatchObject({ method: 'bdf', rtol: 1e-6, atol: 1e-10, retcode: 'Success' });
    expect(m.solver.stats.steps).toBeGreaterThan(5);
    expect(m.assumptions).toEqual([{ name: 'k', value: 0.2, unit: '1/ms', assumption: 'round number for a test', overridden: true }]);
    expect(m.scenario.parameters).toEqual({ k: 0.2 });
    expect(m.summary[0]).toMatchObject({ output: 'X', unit: 'uM', max: 2, tMax: 0 });
    const html = readFileSync(join(dir, 'o', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('round number for a test');
    expect(html).not.toMatch(/<script|<link|src=|url\(http|@import/);
    expect(out.join('')).toMatch(/run #1 'decay' done/);
    const s = RunStore.open(store);
    expect(s.get(r.id!)!.summaries[0].final).toBeCloseTo(2 * Math.exp(-2), 5);
    s.close();
  });

  it('fails with exit code 1 semantics, writes nothing and records the failed run', async () => {
    const store = join(dir, 'runs.sqlite');
    const o = join(dir, 'o');
    const file = scenario(decayScenario.replace('duration: 10', 'duration: 2'));
    const err = await runScenario(file, { out: o, store, set: ['parameters.a=1'] }, deps).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SimulationFailed);
    expect((err as Error).message).toMatch(/failed at t = .* of 2/);
    expect((err as Error).message).toMatch(/Nothing was written to .*; the store records the run as #1 \(failed\)\./);
    expect(existsSync(o)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    const s = RunStore.open(store);
    expect(s.list().map((x) => x.status)).toEqual(['failed']);
    s.close();
  });

  it('keeps a previous output folder intact when a later run fails', async () => {
    const o = join(dir, 'o');
    const file = scenario(decayScenario);
    await runScenario(file, { out: o, store: false, quiet: true }, deps);
    const before = readFileSync(join(o, 'manifest.json'), 'utf8');
    await expect(runScenario(file, { out: o, store: false, quiet: true, set: ['parameters.a=1'] }, deps)).rejects.toThrow(SimulationFailed);
    expect(readFileSync(join(o, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('stops between simulations on Ctrl-C, keeps no output and records an interrupted run', async () => {
    const store = join(dir, 'runs.sqlite');
    const o = join(dir, 'o');
    let fire: (() => void) | undefined;
    const file = scenario(`${decayScenario.replace('duration: 10', 'duration: 1')}experiments:\n  - type: sweep\n    parameter: k\n    values: [0.1, 0.2, 0.3, 0.4]\n    readouts: [{ observable: X, measure: final }]\n`);
    const promise = runScenario(file, { out: o, store, quiet: true }, {
      ...deps,
      onInterrupt: (h) => { fire = h; return () => { fire = undefined; }; },
    });
    const settled = promise.then(() => undefined, (e: unknown) => e);
    // The handler is installed after the base run; interrupt once it is.
    await new Promise((r) => setImmediate(r));
    expect(fire).toBeDefined();
    fire!();
    const err = await settled;
    expect(err).toBeInstanceOf(SimulationFailed);
    expect((err as Error).message).toMatch(/^interrupted: no results were written \(.* was left as it was\); the store records the run as #1 \(interrupted\)\.$/);
    expect(existsSync(o)).toBe(false);
    const s = RunStore.open(store);
    expect(s.list()[0].status).toBe('interrupted');
    s.close();
  });

  it('reports overrides the built model lacks, and output folders that cannot be written, before simulating', async () => {
    const file = scenario(decayScenario);
    const e1 = await runScenario(file, { store: false, out: join(dir, 'o'), set: ['outputs.observables=[X, Z]'] }, deps).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ScenarioError);
    expect((e1 as Error).message).toMatch(/field outputs\.observables\[1\]: context 'decay' has no observable 'Z'/);
    writeFileSync(join(dir, 'blocker'), 'x');
    const e2 = await runScenario(file, { store: false, out: join(dir, 'blocker', 'o') }, deps).catch((e: unknown) => e);
    expect((e2 as Error).message).toMatch(/blocker.*cannot write the output/);
  });

  it('runs experiments: sweep tables, plots and the report', async () => {
    const file = scenario(`${decayScenario}experiments:\n  - type: sweep\n    parameter: k\n    values: [0.1, 0.2]\n    readouts: [{ observable: X, measure: final }]\n`);
    await runScenario(file, { out: join(dir, 'o'), store: false, quiet: true }, deps);
    const csv = readFileSync(join(dir, 'o', 'experiments', '1-sweep-of-k.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('k (1/ms),final X (uM)');
    expect(Number(csv[2].split(',')[1])).toBeCloseTo(2 * Math.exp(-2), 5);
    expect(readdirSync(join(dir, 'o', 'plots'))).toContain('1-sweep-of-k.svg');
    expect(readFileSync(join(dir, 'o', 'report.html'), 'utf8')).toContain('sweep of k');
  });
});

describe('concentration–response', () => {
  it('recovers the blocker potency of the toy cell from the peak current (IC50 0.1 µM, Hill slope 1)', async () => {
    const file = scenario(`name: cr
context: toy-cell
protocol: { type: voltage-clamp, holding: -80, hold: 5, segments: [{ voltage: 0, duration: 20 }] }
outputs: { observables: [ICa], interval: 0.1 }
experiments:
  - type: concentration-response
    compound: toy-blocker
    range: { from: 0.003, to: 3, count: 7, scale: log }
    readouts: [{ observable: ICa, measure: min }]
`);
    await runScenario(file, { out: join(dir, 'o'), store: false, png: false }, deps);
    const html = readFileSync(join(dir, 'o', 'report.html'), 'utf8');
    const m = /IC50 ([0-9.]+) µM \(95 % CI ([0-9.]+)–([0-9.]+)\), Hill slope ([0-9.]+)/.exec(html);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo(0.1, 2);
    expect(Number(m![4])).toBeCloseTo(1, 1);
    expect(Number(m![2])).toBeLessThanOrEqual(Number(m![1]));
    expect(readFileSync(join(dir, 'o', 'plots', '1-toy-blocker-concentration-response.svg'), 'utf8')).toContain('fill-opacity="0.18"');
  });
});

describe('runs and schema commands', () => {
  it('list, show and compare recorded runs (text and JSON)', async () => {
    const store = join(dir, 'runs.sqlite');
    const file = scenario(decayScenario);
    await runScenario(file, { out: join(dir, 'a'), store, quiet: true }, deps);
    await runScenario(file, { out: join(dir, 'b'), store, quiet: true, set: ['parameters.k=0.3'] }, deps);
    out = [];
    runsListCommand({ store, stdout: sink });
    expect(out.join('')).toMatch(/^id +name +status/);
    expect(out.join('').trim().split('\n')).toHaveLength(4);
    out = [];
    runsListCommand({ store, stdout: sink, json: true });
    expect(JSON.parse(out.join('')).map((r: { id: number }) => r.id)).toEqual([2, 1]);
    out = [];
    runsShowCommand('2', { store, stdout: sink });
    expect(out.join('')).toMatch(/run #2: decay \(ok\)/);
    out = [];
    runsCompareCommand('1', '2', { store, stdout: sink, json: true });
    const c = JSON.parse(out.join(''));
    expect(c.settings).toEqual(expect.arrayContaining([{ path: 'scenario.parameters.k', b: 0.3 }, expect.objectContaining({ path: 'modelHash' })].slice(0, 1)));
    expect(c.summaries[0].output).toBe('X');
    expect(c.summaries[0].delta.final).toBeLessThan(0);
    expect(() => runsShowCommand('9', { store, stdout: sink })).toThrow(/no run #9 in the store \(the newest is #2\)/);
    expect(() => runsShowCommand('x', { store, stdout: sink })).toThrow(/positive whole number/);
  });
  it('prints the JSON Schema', () => {
    out = [];
    schemaCommand({ stdout: sink });
    const js = JSON.parse(out.join(''));
    expect(js.title).toBe('ltcc scenario');
    expect(Object.keys(js.properties)).toEqual(expect.arrayContaining(['context', 'protocol', 'experiments', 'solver', 'seed']));
  });
});
