import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../io/scenario/loader.js';
import { defaultRegistry, runScenario } from './run.js';

const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const work = mkdtempSync(join(tmpdir(), 'ltcc-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const quiet = { write: () => true };

type Rows = (experiment: number) => number[][];
type Summary = readonly { output: string; min: number; max: number }[];

/** What the examples of the built-in cells show, checked on their results. */
const expectations: Record<string, (table: Rows, summary: Summary) => void> = {
  'heterologous-iv.yaml': (table) => {
    // Cav1.3 with Ba²⁺: inward current peaks between −30 and 0 mV and shrinks towards +50 mV.
    const rows = table(0);
    const peak = rows.reduce((a, b) => (b[1] < a[1] ? b : a));
    expect(peak[0]).toBeGreaterThanOrEqual(-30);
    expect(peak[0]).toBeLessThanOrEqual(0);
    expect(rows[rows.length - 1][1]).toBeGreaterThan(peak[1] / 5);
  },
  'ca1-knockout-gamma-camkii.yaml': (table) => {
    const [intact, gamma, mapk] = table(0);
    expect(gamma[2]).toBeLessThan(50);   // pCREB without γCaMKII, % of intact
    expect(mapk[2]).toBeGreaterThan(80); // the fast pCREB rise does not need the MAPK arm
    expect(intact[2]).toBe(100);
  },
  'ca1-nimodipine-ca-load.yaml': (table) => {
    const load = table(0).map((row) => row[2]);
    for (let k = 1; k < load.length; k++) expect(load[k]).toBeLessThan(load[k - 1]);
    expect(load[load.length - 1]).toBeLessThan(80);
  },
  'ca1-k-depolarisation-pcreb.yaml': (_, summary) => {
    const pcreb = summary.find((s) => s.output === 'pCREB')!;
    expect(pcreb.max).toBeGreaterThan(2 * pcreb.min);
  },
};

describe('examples', () => {
  it('exist, and cover every protocol type and every experiment type, on the built-in cells and on the toy cell', async () => {
    const registry = await defaultRegistry();
    const seen = { builtIn: { protocols: new Set<string>(), experiments: new Set<string>() }, toy: { protocols: new Set<string>(), experiments: new Set<string>() } };
    const contexts = new Set<string>();
    for (const f of files) {
      const loaded = loadScenario(join(dir, f), { registry });
      const s = loaded.scenario;
      contexts.add(loaded.context.id);
      const into = loaded.context.id === 'toy-cell' ? seen.toy : seen.builtIn;
      if (s.protocol) into.protocols.add(s.protocol.type);
      for (const e of s.experiments ?? []) into.experiments.add(e.type);
    }
    for (const { protocols, experiments } of [seen.builtIn, seen.toy]) {
      expect([...protocols].sort()).toEqual(['current-steps', 'current-train', 'dosing', 'k-depolarisation', 'voltage-clamp']);
      expect([...experiments].sort()).toEqual(['concentration-response', 'grid', 'knockouts', 'sweep']);
    }
    expect([...contexts].sort()).toEqual(['ca1', 'heterologous', 'toy-cell', 'vascular']);
  });

  // Every example runs in full (each is kept short: a few seconds of wall time at most).
  it.each(files)('%s runs end to end', async (f) => {
    const registry = await defaultRegistry();
    const out = join(work, f);
    const r = await runScenario(join(dir, f), { out, store: false, quiet: true, png: f === 'toy-voltage-clamp.yaml' }, { registry, stdout: quiet, stderr: quiet, onInterrupt: () => () => undefined });
    expect(r.manifest.status).toBe('ok');
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['manifest.json', 'report.html', 'summary.csv', 'timecourse.parquet', 'plots']));
    const table = (k: number): number[][] => readFileSync(join(out, r.manifest.experiments[k].files[0]), 'utf8').trim().split('\n').slice(1)
      .map((line) => line.split(',').map((x) => (Number.isNaN(Number(x)) ? NaN : Number(x))));
    expectations[f]?.(table, r.manifest.summary);
  });
});
