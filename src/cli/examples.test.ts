import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

describe('examples', () => {
  it('exist, and cover every protocol type and every experiment type', async () => {
    const registry = await defaultRegistry();
    const protocols = new Set<string>();
    const experiments = new Set<string>();
    for (const f of files) {
      const s = loadScenario(join(dir, f), { registry }).scenario;
      if (s.protocol) protocols.add(s.protocol.type);
      for (const e of s.experiments ?? []) experiments.add(e.type);
    }
    expect([...protocols].sort()).toEqual(['current-steps', 'current-train', 'dosing', 'k-depolarisation', 'voltage-clamp']);
    expect([...experiments].sort()).toEqual(['concentration-response', 'grid', 'knockouts', 'sweep']);
  });

  it.each(files)('%s runs end to end', async (f) => {
    const registry = await defaultRegistry();
    const ctx = loadScenario(join(dir, f), { registry }).context;
    // Examples of the demonstration context run here; biology examples run in their own tests.
    if (ctx.id !== 'toy-cell') return;
    const out = join(work, f);
    const r = await runScenario(join(dir, f), { out, store: false, quiet: true, png: f === 'toy-voltage-clamp.yaml' }, { registry, stdout: quiet, stderr: quiet, onInterrupt: () => () => undefined });
    expect(r.manifest.status).toBe('ok');
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['manifest.json', 'report.html', 'summary.csv', 'timecourse.parquet', 'plots']));
  });
});
