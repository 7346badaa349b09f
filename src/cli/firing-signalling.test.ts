/**
 * `ltcc experiment firing-signalling`: the option checks (in this process) and the installed
 * command (the built `dist/cli/main.js` in a child process, as `cli.test.ts` runs it): exit
 * codes, errors naming the option, no output file after an error or Ctrl-C, the JSON and CSV
 * output with the provenance of the numbers.
 *
 * The command-line cases need `npm run build`; without a build they are skipped with a
 * warning, except in CI, where a missing build fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIRING_ENVELOPE_RTOL, FIRING_TOLERANCES } from '../experiments/firing-signalling.js';
import { firingOptions } from './firing-signalling.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const built = existsSync(cli);
const inCi = process.env.CI === 'true';
if (!built && !inCi) console.warn('\n*** src/cli/firing-signalling.test.ts: dist/cli/main.js does not exist, so the command-line cases are SKIPPED. Run `npm run build`. ***\n');

describe('firing-signalling options', () => {
  it('defaults: young, 5 Hz, 10 min, envelope following, no drug', () => {
    expect(firingOptions({})).toEqual({ preset: 'young', hz: 5, minutes: 10, method: 'envelope' });
    expect(firingOptions({ full: true, rtol: '1e-7', atol: '1e-9' })).toEqual({ preset: 'young', hz: 5, minutes: 10, method: 'full', rtol: 1e-7, atol: 1e-9 });
    expect(firingOptions({ compound: 'mem1003-rac', concentrationNM: '30', variant: ['mem1003-minus=agonist'] })).toMatchObject({
      compound: 'mem1003-rac', concentration_nM: 30, variants: { 'mem1003-minus': 'agonist' },
    });
  });

  it.each([
    [{ hz: '0' }, '--hz'],
    [{ hz: '60' }, '--hz'],
    [{ hz: 'fast' }, '--hz'],
    [{ minutes: '-1' }, '--minutes'],
    [{ minutes: '121' }, '--minutes'],
    [{ preset: 'old' }, '--preset'],
    [{ compound: 'nope', concentrationNM: '5' }, '--compound'],
    [{ compound: 'nimodipine' }, '--concentration-nM'],
    [{ concentrationNM: '5' }, '--compound'],
    [{ compound: 'nimodipine', concentrationNM: '-5' }, '--concentration-nM'],
    [{ compound: 'nimodipine', concentrationNM: 'lots' }, '--concentration-nM'],
    [{ compound: 'nimodipine', concentrationNM: '5', variant: ['mem1003-minus=agonist'] }, '--variant'],
    [{ rtol: '0' }, '--rtol'],
    [{ atol: '-1' }, '--atol'],
    [{ full: true, envelopeRtol: '1e-3' }, '--envelope-rtol'],
    [{ out: 'table.txt' }, '--out'],
    [{ out: join('no-such-folder', 'table.csv') }, '--out'],
  ])('%o is rejected naming %s', (o, flag) => {
    expect(() => firingOptions(o)).toThrow(`field ${flag}:`);
  });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ltcc experiment firing-signalling ...args`; `onStderr` sees stderr as it comes. */
function ltcc(args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<Result> {
  const env = { ...process.env };
  delete env.LTCC_DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'experiment', 'firing-signalling', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!built && !inCi)('ltcc experiment firing-signalling (built)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ltcc-firing-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--help states the default tolerances and has examples', async () => {
    const r = await ltcc(['--help']);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    const e = (x: number): string => x.toExponential();
    expect(help).toContain(`default ${e(FIRING_TOLERANCES.envelope.rtol)} with the envelope, ${e(FIRING_TOLERANCES.full.rtol)} with --full`);
    expect(help).toContain(`default ${e(FIRING_TOLERANCES.envelope.atol)} with the envelope, ${e(FIRING_TOLERANCES.full.atol)} with --full`);
    expect(help).toContain(`(default ${e(FIRING_ENVELOPE_RTOL)})`);
    expect(r.stdout).toMatch(/\nExamples:\n {2}ltcc experiment firing-signalling/);
  });

  describe.concurrent('bad options exit with 2, name the option and write nothing', () => {
    it.each([
      [['--hz', '0'], '--hz'],
      [['--minutes', '-1'], '--minutes'],
      [['--compound', 'nope', '--concentration-nM', '5'], '--compound'],
      [['--compound', 'nimodipine', '--concentration-nM', '-5'], '--concentration-nM'],
      [['--compound', 'nimodipine'], '--concentration-nM'],
      [['--preset', 'old'], '--preset'],
    ])('%j', async (args, flag) => {
      const out = join(tmp, `bad-${flag.slice(2)}-${args.length}.csv`);
      const r = await ltcc([...args, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^ltcc: /);
      expect(lines[0]).toContain(flag);
      expect(existsSync(out)).toBe(false);
    });
  });

  it('a short run: JSON on stdout, the same document in --out file.json, CSV with its provenance columns', async () => {
    const json = join(tmp, 'short.json');
    const r = await ltcc(['--minutes', '0.2', '--hz', '10', '--json', '--out', json]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      method: string; periods: number; model_hash: string; ltcc_version: string; rtol: number; atol: number; envelope_rtol: number;
      t_min: number[]; readouts: Record<string, (number | null)[]>; periods_integrated: number; steps: number; rhs_evaluations: number; wall_s: number;
    };
    expect(doc).toMatchObject({ method: 'envelope', periods: 120, rtol: FIRING_TOLERANCES.envelope.rtol, atol: FIRING_TOLERANCES.envelope.atol, envelope_rtol: FIRING_ENVELOPE_RTOL });
    expect(doc.model_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.ltcc_version).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    expect(doc.t_min[0]).toBe(0);
    expect(doc.t_min[doc.t_min.length - 1]).toBeCloseTo(0.2, 12);
    for (const k of ['pCREB', 'autonomyTethered', 'autonomyBulk', 'nuclearCaCaM', 'nuclearGamma', 'cfos', 'spikesPerPeriod']) expect(doc.readouts[k], k).toHaveLength(doc.t_min.length);
    expect(doc.readouts.spikesPerPeriod).toEqual([null, 1]);
    expect(doc.periods_integrated).toBeGreaterThan(0);
    expect(doc.steps).toBeGreaterThan(0);
    expect(doc.rhs_evaluations).toBeGreaterThanOrEqual(doc.steps);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(doc);

    const csv = join(tmp, 'short.csv');
    const t = await ltcc(['--minutes', '0.2', '--hz', '10', '--full', '--out', csv]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/pCREB/);
    expect(t.stdout).toMatch(/full integration \(BDF rtol 1e-6, atol 1e-8\): 120 periods integrated/);
    expect(t.stdout).toContain(`model ${doc.model_hash}, ltcc `);
    const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(header).toMatch(/^t \(min\),pCREB \(fraction\),/);
    expect(header).toMatch(/,method,rtol,atol,envelope_rtol,model_hash,ltcc_version$/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`,full,0\\.000001,1e-8,NaN,${doc.model_hash},`));
    // Only the two files: no temporary ones left behind.
    expect(readdirSync(tmp).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('Ctrl-C stops the run with exit code 1 and writes nothing', async () => {
    const out = join(tmp, 'interrupted.csv');
    let sent = false;
    // The first progress line shows that the run is under way; then Ctrl-C.
    const r = await ltcc(['--minutes', '5', '--full', '--out', out], (text, child) => {
      if (!sent && /firing-signalling \(periods\): \d+\/1500/.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/interrupted; stopping the run/);
    expect(r.stderr).toMatch(/ltcc: interrupted: nothing was written/);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('interrupted'))).toEqual([]);
  });
});
