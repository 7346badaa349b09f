#!/usr/bin/env node
/**
 * The `ltcc` command line. Exit codes: 0 ok, 1 a simulation failed, 2 bad input. Errors are one
 * line on stderr; machine-readable output (`--json`) is the only thing on stdout. Commands that
 * load the cell models, plots or the report are imported when they run, so `--help` is quick.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../io/errors.js';
import { ModelError } from '../model/errors.js';
import { ParseError } from '../math/parser.js';
import { benchIvpCommand } from './bench-ivp.js';
import { demoCommand } from './demo.js';
import { benchCellCommand } from './bench-cell.js';
import { paramsCommand } from './params.js';
import { validateCommand } from './validate.js';
import { VERSION } from '../version.js';
import { SimulationFailed } from './errors.js';
import { setQuiet } from './progress.js';
import { schemaCommand } from './schema.js';
import { registerCompoundsCommand } from './compounds.js';
import { registerDoseResponseCommand } from './dose-response.js';
import { registerSbmlCommands } from './sbml.js';
import { registerExperimentCommands } from './experiment.js';


// Output piped into a program that stops reading (e.g. `| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command();
program
  .name('ltcc')
  .description('Simulator of neuronal L-type calcium channel signalling and its pharmacology')
  .version(VERSION)
  .exitOverride()
  .option('-q, --quiet', 'no progress bars or status lines (errors and --json output only)')
  .hook('preAction', (cmd) => setQuiet(Boolean(cmd.opts().quiet)))
  .addHelpText('after', `
Examples:
  ltcc run examples/ca1-train-young.yaml
  ltcc dose-response --compound nimodipine --context ca1 --json
  ltcc --quiet validate --json
  ltcc help run

Exit codes: 0 ok, 1 a simulation failed, 2 bad input. LTCC_DEBUG=1 adds stack traces to errors.`);

const bench = program
  .command('bench')
  .description('benchmarks that print figures (never timed tests)')
  .addHelpText('after', '\nExamples:\n  ltcc bench ivp --only rober --json\n  ltcc bench cell\n');
bench
  .command('ivp')
  .description('solve the IVP test problems and report time, work and accuracy (scd, mescd)')
  .option('--dir <dir>', 'directory of <name>/reference.json problems', '../shared/ivp')
  .option('--rtol <r>', 'relative tolerance', '1e-6')
  .option('--atol <a>', 'absolute tolerance', '1e-10')
  .addOption(new Option('--method <m>', 'integration method (default: bdf for stiff, dopri5 for non-stiff)').choices(['bdf', 'rosenbrock', 'dopri5']))
  .option('--repeats <n>', 'timed repeats per problem after warm-up (median reported, at least 5)', '21')
  .option('--only <names>', 'comma-separated problem names')
  .option('--sweep', 'work–precision sweep over rtol 1e-3 … 1e-10 (atol = 1e-4·rtol)')
  .option('--json', 'one JSON object per line')
  .option('--atol-factor <name=F...>', 'per-problem rule atol = F·rtol (default e5=1e-18, the setting its reference needs)')
  .addHelpText('after', '\nExample:\n  ltcc bench ivp --dir ../shared/ivp --rtol 1e-8 --atol 1e-12 --json\n')
  .action((o) => benchIvpCommand(o));

bench
  .command('cell')
  .description('cell benchmarks: 10 s of the young CA1 cell at 5 Hz, a 10-step I–V family, and the cell with signalling (10 min at 5 Hz integrated in full and by envelope following; 60 min after a K⁺ depolarisation): wall time, steps, rhs evaluations')
  .option('--rtol <r>', 'relative tolerance', '1e-6')
  .option('--atol <a>', 'absolute tolerance', '1e-8')
  .option('--repeats <n>', 'timed repeats (median reported)', '3')
  .option('--spikes', 'with --json: include the spike times of the firing benchmark')
  .option('--nmodl <dir>', 'write the cell as an NMODL mechanism plus ltcc spike times for the NEURON comparison (bench/neuron)')
  .option('--no-signalling', 'skip the cell-with-signalling cases (about a minute)')
  .option('--json', 'one JSON object per line')
  .addHelpText('after', '\nExamples:\n  ltcc bench cell --json\n  ltcc bench cell --no-signalling --nmodl bench/build/neuron\n')
  .action((o) => benchCellCommand(o));

program
  .command('params')
  .description('the parameters of the cell models by context and component, and of the signalling to the nucleus (sig.<component>.<name>), with unit and source or assumption')
  .option('--context <c>', 'only this context (heterologous, ca1, vascular, cardiac), or signalling for the sig.* parameters (also listed with ca1)')
  .option('--preset <p>', 'preset of the context (e.g. aged)')
  .option('--json', 'a JSON array')
  .addHelpText('after', '\nExamples:\n  ltcc params --context ca1 --preset aged\n  ltcc params --context signalling --json\n')
  .action((o) => paramsCommand(o));

program
  .command('validate')
  .description('run the catalogue of published targets (simulated vs published)')
  .option('--only <ids>', 'comma-separated target ids')
  .option('--json', 'one JSON object per target and line: id, published, simulated, pass, reason, …')
  .option('--markdown [file]', 'also write the Markdown table (default docs/VALIDATION.md)')
  .addHelpText('after', '\nExample:\n  ltcc validate --only koschak2001-threshold --json\n')
  .action((o) => validateCommand(o));

program
  .command('demo')
  .description('a small real demonstration: the IVP problems solved with the stiff engine')
  .option('--dir <dir>', 'directory of IVP problems', '../shared/ivp')
  .addHelpText('after', '\nExample:\n  ltcc demo\n')
  .action((o) => demoCommand(o));

program
  .command('study')
  .description('the default study: MEM 1003 enantiomers vs nimodipine in young/aged CA1 and vascular smooth muscle — concentration–response, therapeutic window, selectivity, trial-dose exposure; writes report.html')
  .option('--out <dir>', 'output folder', 'out/study')
  .option('--quick', 'one concentration per decade (about half the simulations)')
  .option('--pcreb-fraction <f>', 'fraction of the young pCREB rise the therapeutic window keeps', '0.5')
  .option('--jobs <n>', 'worker threads (default: the available parallelism)')
  .option('--store <path>', 'run store (default: $LTCC_STORE or out/ltcc-runs.sqlite)')
  .option('--no-store', 'do not record the run in the store')
  .option('--no-png', 'write plots as SVG only')
  .option('--json', 'print the main results (window, selectivity, exposure) as JSON')
  .addHelpText('after', '\nExamples:\n  ltcc study\n  ltcc study --quick --out out/quick-study\n  ltcc study --pcreb-fraction 0.7 --json\n')
  .action(async (o: { out: string; quick?: boolean; pcrebFraction: string; jobs?: string; store: string | boolean; png: boolean; json?: boolean }) =>
    (await import('./study.js')).studyCommand({ out: o.out, pcrebFraction: o.pcrebFraction, png: o.png, store: o.store === false ? false : typeof o.store === 'string' ? o.store : undefined, ...(o.quick ? { quick: true } : {}), ...(o.jobs !== undefined ? { jobs: o.jobs } : {}), ...(o.json ? { json: true } : {}) }).then(() => undefined));

const collect = (v: string, prev: string[]): string[] => [...prev, v];

program
  .command('run')
  .description('simulate a scenario (or an SBML model) and write time courses, summaries, plots, report.html and manifest.json')
  .argument('<file>', 'scenario (.yaml, .yml, .json) or SBML model (.xml)')
  .option('--set <path=value>', 'override a scenario field (value read as YAML), repeatable', collect, [])
  .option('--out <dir>', 'output folder (default: out/<scenario name>)')
  .option('--store <path>', 'run store (default: $LTCC_STORE or out/ltcc-runs.sqlite)')
  .option('--no-store', 'do not record the run in the store')
  .option('--json', 'print the result (run id, output folder, manifest) as JSON')
  .option('--no-png', 'write plots as SVG only (faster)')
  .addHelpText('after', `
Examples:
  ltcc run examples/toy-voltage-clamp.yaml
  ltcc run examples/toy-sweep.yaml --set solver.rtol=1e-8 --set parameters.ca.g=3 --out out/sweep
  ltcc run model.xml --set duration=100 --set outputs.interval=0.5

Files are written to a hidden folder and moved into place only when complete. Ctrl-C during
experiments stops after the current simulation; nothing partial is kept.`)
  .action(async (file: string, o: { set: string[]; out?: string; store?: string | boolean; json?: boolean; png: boolean }) =>
    (await import('./run.js')).runCommand(file, { set: o.set, ...(o.out !== undefined ? { out: o.out } : {}), ...(o.store === false ? { store: false } : typeof o.store === 'string' ? { store: o.store } : {}), ...(o.json ? { json: true } : {}), png: o.png }));

const runs = program
  .command('runs')
  .description('runs recorded in the run store')
  .addHelpText('after', '\nExamples:\n  ltcc runs list\n  ltcc runs show 3\n  ltcc runs compare 3 4 --json\n');
const storeOption = (): Option => new Option('--store <path>', 'run store (default: $LTCC_STORE or out/ltcc-runs.sqlite)');
runs
  .command('list')
  .description('list recorded runs, newest first')
  .addOption(storeOption())
  .option('--limit <n>', 'most runs listed', '50')
  .option('--name <name>', 'only runs of this scenario')
  .option('--json', 'JSON output')
  .addHelpText('after', '\nExample:\n  ltcc runs list --limit 10\n')
  .action(async (o) => (await import('./runs.js')).runsListCommand(o));
runs
  .command('show')
  .description('a run: settings, solver statistics, summary')
  .argument('<id>', 'run id')
  .addOption(storeOption())
  .option('--json', 'JSON output (run, manifest, summaries)')
  .addHelpText('after', '\nExample:\n  ltcc runs show 3 --json\n')
  .action(async (id: string, o) => (await import('./runs.js')).runsShowCommand(id, o));
runs
  .command('compare')
  .description('settings that differ and the change of every summary number between two runs')
  .argument('<a>', 'run id')
  .argument('<b>', 'run id')
  .addOption(storeOption())
  .option('--json', 'JSON output')
  .addHelpText('after', '\nExample:\n  ltcc runs compare 3 4\n')
  .action(async (a: string, b: string, o) => (await import('./runs.js')).runsCompareCommand(a, b, o));

program
  .command('schema')
  .description('the scenario file format as JSON Schema')
  .option('-o, --output <file>', 'write to a file instead of stdout')
  .option('--json', 'accepted for uniformity: the output is always JSON')
  .addHelpText('after', '\nExamples:\n  ltcc schema -o scenario.schema.json\n  ltcc schema > scenario.schema.json\n')
  .action((o: { output?: string }) => schemaCommand(o.output !== undefined ? { output: o.output } : {}));

registerCompoundsCommand(program);
registerDoseResponseCommand(program);
registerExperimentCommands(program);
registerSbmlCommands(program, async (ref) => (await (await import('./run.js')).scenarioModel(ref)).model);

/**
 * Usage errors (unknown option, missing argument, bad choice) as one line naming the command's
 * help, instead of commander's message followed by the whole help text.
 */
function oneLineUsageErrors(cmd: Command, path: string): void {
  cmd.configureOutput({
    outputError: (text, write) => write(`ltcc: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see '${path} --help')\n`),
  });
  for (const sub of cmd.commands) oneLineUsageErrors(sub, `${path} ${sub.name()}`);
}
oneLineUsageErrors(program, 'ltcc');

const debug = Boolean(process.env.LTCC_DEBUG);

function fail(code: number, message: string, e?: unknown): never {
  process.stderr.write(`ltcc: ${message}\n`);
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(code);
}

/** File-system errors that mean a path given on the command line is wrong (exit code 2). */
const PATH_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
};

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (e instanceof InputError || e instanceof ModelError || e instanceof ParseError) fail(2, e.message, e);
  if (e instanceof SimulationFailed) fail(1, e.message, e);
  const sys = e as NodeJS.ErrnoException;
  if (typeof sys.path === 'string' && sys.code !== undefined && PATH_ERRORS[sys.code]) fail(2, `${sys.path}: ${PATH_ERRORS[sys.code]}`, e);
  fail(1, `internal error: ${e instanceof Error ? e.message : String(e)}${debug ? '' : ' (set LTCC_DEBUG=1 for a stack trace)'}`, e);
}
