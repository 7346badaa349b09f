/**
 * The command line as it is installed: the built `dist/cli/main.js` run in a child process.
 * Checks the contract of DESIGN.md §4 — help with examples on every command, exit codes
 * (0 ok, 2 bad input), one-line errors on stderr, and `--json` output that parses.
 *
 * Needs `npm run build` (`npm ci` builds through `prepare`). Without a build the tests are
 * skipped with a warning, except in CI, where a missing build fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const built = existsSync(cli);
const inCi = process.env.CI === 'true';

if (!built && !inCi) {
  console.warn('\n*** src/cli/cli.test.ts: dist/cli/main.js does not exist, so the command-line tests are SKIPPED. Run `npm run build`. ***\n');
} else if (built) {
  const builtAt = statSync(cli).mtimeMs;
  const newer = readdirSync(join(root, 'src', 'cli')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && statSync(join(root, 'src', 'cli', f)).mtimeMs > builtAt);
  if (newer.length) console.warn(`\n*** src/cli/cli.test.ts: dist/ is older than ${newer.join(', ')}; these tests run the old build. Run \`npm run build\`. ***\n`);
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ltcc ...args` from the project folder, without LTCC_DEBUG. */
function ltcc(...args: string[]): Promise<Result> {
  const env = { ...process.env };
  delete env.LTCC_DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The names listed under `Commands:` in a help text (without commander's `help`). */
function subcommandsOf(help: string): string[] {
  const section = /\nCommands:\n([\s\S]*?)(?:\n\n|\n?$)/.exec(help);
  if (!section) return [];
  return [...section[1].matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]).filter((n) => n !== 'help');
}

/** Every command and subcommand, found by walking the help texts, with its help text. */
async function commandTree(): Promise<Map<string, Result>> {
  const found = new Map<string, Result>();
  let level: string[][] = [[]];
  while (level.length) {
    const helps = await Promise.all(level.map((path) => ltcc(...path, '--help')));
    const next: string[][] = [];
    level.forEach((path, i) => {
      found.set(path.join(' '), helps[i]);
      for (const sub of subcommandsOf(helps[i].stdout)) next.push([...path, sub]);
    });
    level = next;
  }
  return found;
}

/** Errors are one line on stderr, prefixed `ltcc:`, without a stack trace. */
function expectOneLineError(r: Result): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^ltcc: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const tree = built ? await commandTree() : new Map<string, Result>();
const commands = [...tree.keys()];

describe.skipIf(!built && !inCi)('ltcc command line (built)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ltcc-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is built (npm run build)', () => {
    expect(built, `${cli} is missing: run npm run build`).toBe(true);
  });

  it('finds every command through the help texts', () => {
    for (const c of ['run', 'runs list', 'runs show', 'runs compare', 'schema', 'bench ivp', 'bench cell', 'params', 'validate', 'sbml-suite', 'export sbml', 'dose-response', 'compounds', 'demo', 'study']) {
      expect(commands).toContain(c);
    }
  });

  it.each(commands.map((c) => [c || '(ltcc)', c] as const))('%s --help has a description and an example', (_label, c) => {
    const r = tree.get(c)!;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ltcc/);
    // The description: the paragraph after the usage line.
    expect(r.stdout.split('\n\n')[1]?.trim().length ?? 0).toBeGreaterThan(10);
    expect(r.stdout).toMatch(/\nExamples?:\n {2}ltcc \S/);
  });

  describe.concurrent('bad input exits with 2 and one line on stderr', () => {
    it.each(commands.map((c) => [c || '(ltcc)', c] as const))('%s --no-such-option', async (_label, c) => {
      const r = await ltcc(...(c ? c.split(' ') : []), '--no-such-option');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expectOneLineError(r);
      expect(r.stderr).toContain(`'ltcc${c ? ` ${c}` : ''} --help'`);
    });

    it.each([
      ['an unknown command', ['no-such-command'], 'no-such-command'],
      ['a missing argument', ['runs', 'show'], 'id'],
      ['a bad choice', ['bench', 'ivp', '--method', 'euler'], 'euler'],
      ['a bad number', ['bench', 'ivp', '--rtol', 'tight'], 'tight'],
      ['an unknown context', ['params', '--context', 'liver'], 'liver'],
      ['a preset for the signalling', ['params', '--context', 'signalling', '--preset', 'aged'], '--preset'],
      ['an unknown compound', ['dose-response', '--compound', 'no-such-drug', '--context', 'ca1'], 'no-such-drug'],
      ['an unknown target', ['validate', '--only', 'no-such-target'], 'no-such-target'],
      ['a bad run id', ['runs', 'show', 'latest'], 'latest'],
      ['a missing model file', ['export', 'sbml', 'no-such-model.xml'], 'no-such-model.xml'],
      ['a missing cases folder', ['sbml-suite', 'no-such-cases', '--out', 'no-such-out'], 'no-such-cases'],
    ])('%s', async (_what, args, named) => {
      const r = await ltcc(...args);
      expect(r.code).toBe(2);
      expectOneLineError(r);
      expect(r.stderr).toContain(named);
    });

    it('a missing scenario file, named in the message', async () => {
      const r = await ltcc('run', 'no-such-scenario.yaml', '--no-store');
      expect(r.code).toBe(2);
      expectOneLineError(r);
      expect(r.stderr).toContain('no-such-scenario.yaml');
    });
  });

  describe.concurrent('machine-readable output', () => {
    it('--version prints the version', async () => {
      const r = await ltcc('--version');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    });

    it('compounds --json', async () => {
      const r = await ltcc('compounds', '--json');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { compounds: { id: string }[] };
      expect(doc.compounds.map((c) => c.id)).toContain('nimodipine');
    });

    it('params --json', async () => {
      const r = await ltcc('params', '--context', 'ca1', '--json');
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.stdout) as { path: string; value: number; unit: string }[];
      expect(rows.length).toBeGreaterThan(10);
      for (const row of rows) expect(typeof row.value === 'number' || row.value === 'Infinity').toBe(true);
      // The signalling runs on the ca1 neuron: its parameters are listed with it.
      expect(rows.some((row) => row.path === 'sig.camkii.kauto')).toBe(true);
    });

    it('params lists the signalling parameters with unit and source or assumption (JSON and text)', async () => {
      const r = await ltcc('params', '--context', 'signalling', '--json');
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as { context: string; component: string; path: string; value: number; unit: string; source?: string; assumption?: string }[];
      expect(rows.length).toBeGreaterThan(60);
      for (const row of rows) {
        expect(row.path, row.path).toMatch(/^sig\.[a-z0-9]+\.\w+$/i);
        expect(row.unit, row.path).toBeTruthy();
        expect(Boolean(row.source) !== Boolean(row.assumption), `${row.path} needs exactly one of source/assumption`).toBe(true);
      }
      const kauto = rows.find((x) => x.path === 'sig.camkii.kauto')!;
      expect(kauto).toMatchObject({ context: 'signalling', component: 'sig.camkii', unit: '1/ms' });
      expect(kauto.value).toBeCloseTo(5e-3, 12);
      expect(kauto.source).toMatch(/T286 autophosphorylation/);
      const tether = rows.find((x) => x.path === 'sig.camkii.tether')!;
      expect(tether.assumption).toMatch(/Shank3/);
      // Text: the same row with its unit and source, and an assumption marked as such.
      const t = await ltcc('params', '--context', 'signalling');
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout).toMatch(/\[sig\.camkii\]/);
      expect(t.stdout).toMatch(/sig\.camkii\.kauto +0\.005 +1\/ms +source: T286 autophosphorylation/);
      expect(t.stdout).toMatch(/sig\.camkii\.tether +1 +dimensionless +ASSUMPTION: CaMKII tethered at the channel through Shank3/);
      // Without --context every table is listed, the cells and the signalling.
      const all = JSON.parse((await ltcc('params', '--json')).stdout) as { context: string }[];
      expect(new Set(all.map((x) => x.context))).toContain('signalling');
      expect(all.filter((x) => x.context === 'signalling')).toHaveLength(rows.length);
    });

    it('schema (also with --json)', async () => {
      for (const args of [['schema'], ['schema', '--json']]) {
        const r = await ltcc(...args);
        expect(r.code).toBe(0);
        expect((JSON.parse(r.stdout) as { $schema: string }).$schema).toMatch(/json-schema/);
      }
    });

    it('runs list --json on an empty store', async () => {
      const r = await ltcc('runs', 'list', '--json', '--store', join(tmp, 'none.sqlite'));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    });

    it('bench ivp --json has the documented fields', async () => {
      const r = await ltcc('bench', 'ivp', '--only', 'rober', '--repeats', '5', '--json');
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const row = JSON.parse(lines[0]) as Record<string, unknown>;
      for (const k of ['problem', 'method', 'rtol', 'atol', 'ms', 'steps', 'nf', 'nJ', 'nLU', 'retcode', 'scd', 'mescd', 'final']) expect(row).toHaveProperty(k);
      expect(row.problem).toBe('rober');
      expect(row.retcode).toBe('Success');
      expect(row.final).toHaveLength(3);
    });

    it('experiment camkii-frequency: autonomy rises with frequency, and the SVG is written', async () => {
      const svg = join(tmp, 'freq.svg');
      const r = await ltcc('experiment', 'camkii-frequency', '--frequencies', '0.2,4', '--pulses', '5', '--json', '--out', svg);
      expect(r.code, r.stderr).toBe(0);
      const res = JSON.parse(r.stdout) as { points: { frequency: number; autonomy: number }[] };
      expect(res.points.map((p) => p.frequency)).toEqual([0.2, 4]);
      expect(res.points[1].autonomy).toBeGreaterThan(res.points[0].autonomy);
      expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
    });

    it('validate --json, without progress on stderr with --quiet', async () => {
      const r = await ltcc('validate', '--only', 'koschak2001-threshold', '--json', '--quiet');
      // 1 when the target fails: the output is the same JSON line either way.
      expect([0, 1], r.stderr).toContain(r.code);
      const row = JSON.parse(r.stdout) as { id: string; pass: boolean };
      expect(row.id).toBe('koschak2001-threshold');
      expect(typeof row.pass).toBe('boolean');
      expect(r.stderr).not.toMatch(/^validate/m);
    });

    it('run --json prints the run and nothing else', async () => {
      const out = join(tmp, 'run');
      const r = await ltcc('--quiet', 'run', 'examples/toy-voltage-clamp.yaml', '--no-store', '--no-png', '--out', out, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      const doc = JSON.parse(r.stdout) as { id: number | null; outDir: string; manifest: { status: string } };
      expect(doc).toMatchObject({ id: null, outDir: out, manifest: { status: 'ok' } });
      expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    });
  });
});
