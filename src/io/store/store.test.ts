import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { compareRuns, flatten } from './compare.js';
import { MANIFEST_FORMAT, type RunManifest } from './manifest.js';
import { RunStore } from './store.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ltcc-store-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const manifest = (over: Partial<RunManifest> = {}): RunManifest => ({
  format: MANIFEST_FORMAT, name: 'demo', source: 'demo.yaml', status: 'ok',
  scenario: { name: 'demo', context: 'toy-cell', parameters: { 'ca.g': 2 }, solver: { rtol: 1e-6 } },
  context: 'toy-cell', preset: 'default', modelHash: 'h1', model: { name: 'toy', states: 4, parameters: 20, observables: 4 },
  version: '0.1.0', seed: 0,
  solver: { method: 'bdf', rtol: 1e-6, atol: 1e-10, retcode: 'Success', message: '', tReached: 100, stats: { steps: 10 } },
  started: '2025-01-01T00:00:00.000Z', finished: '2025-01-01T00:00:01.000Z', wallMs: 1000,
  summary: [
    { output: 'Ca', unit: 'uM', min: 0.05, max: 0.5, final: 0.1, tMax: 40, mean: 0.2 },
    { output: 'V', unit: 'mV', min: -80, max: 0, final: -80, tMax: 10, mean: -50 },
  ],
  assumptions: [], experiments: [], files: [], warnings: [],
  ...over,
});

describe('RunStore', () => {
  it('records runs with manifest and summaries, and lists them newest first across openings', () => {
    const path = join(dir, 'sub', 'runs.sqlite');
    const s = RunStore.open(path);
    const a = s.record(manifest(), join(dir, 'out', 'demo'));
    const b = s.record(manifest({ name: 'other', status: 'failed', summary: [] }), '', 'Newton failure at t = 3');
    s.close();
    const s2 = RunStore.open(path);
    expect(s2.list().map((r) => [r.id, r.name, r.status])).toEqual([[b, 'other', 'failed'], [a, 'demo', 'ok']]);
    expect(s2.list({ name: 'demo' })).toHaveLength(1);
    expect(s2.list({ limit: 1 })[0].id).toBe(b);
    const got = s2.get(a)!;
    expect(got.run).toMatchObject({ modelHash: 'h1', seed: 0, wallMs: 1000, outDir: join(dir, 'out', 'demo') });
    expect(got.manifest.solver.stats).toEqual({ steps: 10 });
    expect(got.summaries).toEqual(manifest().summary);
    expect(s2.get(b)!.run.message).toBe('Newton failure at t = 3');
    expect(s2.get(999)).toBeUndefined();
    s2.close();
  });

  it('writes a run in one transaction: a failing insert leaves no partial record', () => {
    const s = RunStore.open(join(dir, 'r.sqlite'));
    const dup = manifest({ summary: [manifest().summary[0], manifest().summary[0]] });
    expect(() => s.record(dup, '')).toThrow(/UNIQUE/);
    expect(s.count()).toBe(0);
    s.close();
  });

  it('keeps non-finite summary numbers as NaN', () => {
    const s = RunStore.open(':memory:');
    const id = s.record(manifest({ summary: [{ output: 'x', min: NaN, max: Infinity, final: 1, tMax: 0, mean: NaN }] }), '');
    expect(s.get(id)!.summaries[0]).toMatchObject({ min: NaN, max: NaN, final: 1 });
    s.close();
  });

  it('refuses a file that is not a run store, naming it', () => {
    const bad = join(dir, 'bad.sqlite');
    writeFileSync(bad, 'this is not a database, just text that is long enough to fill a header page '.repeat(10));
    expect(() => RunStore.open(bad)).toThrow(InputError);
    expect(() => RunStore.open(bad)).toThrow(/bad\.sqlite: not an ltcc run store/);
  });
});

describe('compareRuns', () => {
  it('lists differing settings and per-output changes', () => {
    const s = RunStore.open(':memory:');
    const a = s.record(manifest(), '');
    const b = s.record(manifest({
      scenario: { name: 'demo', context: 'toy-cell', parameters: { 'ca.g': 4 }, solver: { rtol: 1e-6 } },
      modelHash: 'h2', seed: 3,
      summary: [{ output: 'Ca', unit: 'uM', min: 0.05, max: 1, final: 0.1, tMax: 40, mean: 0.3 }],
    }), '');
    const c = compareRuns(s.get(a)!, s.get(b)!);
    expect(c.settings).toEqual([
      { path: 'scenario.parameters["ca.g"]', a: 2, b: 4 },
      { path: 'modelHash', a: 'h1', b: 'h2' },
      { path: 'seed', a: 0, b: 3 },
    ]);
    const ca = c.summaries.find((x) => x.output === 'Ca')!;
    expect(ca.delta.max).toBeCloseTo(0.5);
    expect(ca.relative.max).toBeCloseTo(1);
    expect(ca.delta.min).toBe(0);
    const v = c.summaries.find((x) => x.output === 'V')!;
    expect(v.b).toBeUndefined();
    expect(v.delta.max).toBeNaN();
    s.close();
  });
  it('flattens nested values with printable paths', () => {
    expect([...flatten({ a: { 'b.c': [1, { d: 2 }] }, e: [] })]).toEqual([['a["b.c"][0]', 1], ['a["b.c"][1].d', 2], ['e', []]]);
  });
});
