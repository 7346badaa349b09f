#!/usr/bin/env node
/**
 * The `ltcc` command line. Exit codes: 0 ok, 1 a simulation failed, 2 bad input.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../io/errors.js';
import { ModelError } from '../model/errors.js';
import { ParseError } from '../math/parser.js';
import { benchIvpCommand } from './bench-ivp.js';
import { demoCommand } from './demo.js';
import { VERSION } from '../version.js';
import { SimulationFailed } from './errors.js';


const program = new Command();
program
  .name('ltcc')
  .description('Simulator of neuronal L-type calcium channel signalling and its pharmacology')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

const bench = program.command('bench').description('benchmarks that print figures (never timed tests)');
bench
  .command('ivp')
  .description('solve the IVP test problems and report time, work and accuracy (scd, mescd)')
  .option('--dir <dir>', 'directory of <name>/reference.json problems', '../shared/ivp')
  .option('--rtol <r>', 'relative tolerance', '1e-6')
  .option('--atol <a>', 'absolute tolerance', '1e-10')
  .addOption(new Option('--method <m>', 'integration method (default: bdf for stiff, dopri5 for non-stiff)').choices(['bdf', 'rosenbrock', 'dopri5']))
  .option('--repeats <n>', 'timed repeats per problem (median reported, at least 5)', '5')
  .option('--only <names>', 'comma-separated problem names')
  .option('--sweep', 'work–precision sweep over rtol 1e-3 … 1e-10 (atol = 1e-4·rtol)')
  .option('--json', 'one JSON object per line')
  .addHelpText('after', '\nExample:\n  ltcc bench ivp --dir ../shared/ivp --rtol 1e-8 --atol 1e-12 --json\n')
  .action((o) => benchIvpCommand(o));

program
  .command('demo')
  .description('a small real demonstration: the IVP problems solved with the stiff engine')
  .option('--dir <dir>', 'directory of IVP problems', '../shared/ivp')
  .addHelpText('after', '\nExample:\n  ltcc demo\n')
  .action((o) => demoCommand(o));

function fail(code: number, message: string): never {
  process.stderr.write(`ltcc: ${message}\n`);
  process.exit(code);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (e instanceof InputError || e instanceof ModelError || e instanceof ParseError) fail(2, e.message);
  if (e instanceof SimulationFailed) fail(1, e.message);
  if (process.env.LTCC_DEBUG) throw e;
  fail(1, `internal error: ${(e as Error).message} (set LTCC_DEBUG=1 for a stack trace)`);
}
