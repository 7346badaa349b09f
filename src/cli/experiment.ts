import { type Command, Option } from 'commander';
import type { FiringSignallingCliOptions } from './firing-signalling.js';
import { dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { frequencyDecoding, frequencyDecodingSvg } from '../experiments/signalling-frequency.js';
import { writeFileAtomic } from '../io/writers/atomic.js';
import { InputError } from '../io/errors.js';

interface FrequencyOptions {
  out?: string;
  json?: boolean;
  pulses: string;
  frequencies?: string;
}

/**
 * `ltcc experiment camkii-frequency`: autonomy of purified CaMKII after a fixed number of
 * Ca²⁺/CaM pulses, as a function of their frequency (De Koninck & Schulman 1998, qualitative).
 * `ltcc experiment firing-signalling`: minutes of periodic firing in the CA1 neuron with all
 * signalling, and the slow read-outs per minute (see `firing-signalling.ts`).
 */
export function registerExperimentCommands(program: Command): void {
  const exp = program.command('experiment').description('documented experiments that are not scenario files')
    .addHelpText('after', '\nExamples:\n  ltcc experiment camkii-frequency --out docs/camkii-frequency.svg\n  ltcc experiment firing-signalling --minutes 10 --hz 5\n');
  exp
    .command('camkii-frequency')
    .description('CaMKII frequency decoding: T286 autonomy after N Ca²⁺/CaM pulses vs pulse frequency')
    .option('--out <file.svg>', 'write the plot as SVG')
    .option('--pulses <n>', 'pulses per frequency', '10')
    .option('--frequencies <list>', 'comma-separated frequencies in Hz (default 0.1,0.2,0.5,1,2,3,4)')
    .option('--json', 'print the points as JSON')
    .addHelpText('after', '\nExample:\n  ltcc experiment camkii-frequency --pulses 10 --out camkii-frequency.svg\n')
    .action((o: FrequencyOptions) => {
      const pulses = Number(o.pulses);
      if (!Number.isInteger(pulses) || pulses < 1) throw new InputError(`must be a whole number ≥ 1, got '${o.pulses}'`, undefined, '--pulses');
      const frequencies = o.frequencies?.split(',').map((s, i) => {
        const f = Number(s);
        if (!(f > 0)) throw new InputError(`entry ${i + 1} ('${s}') must be a positive number of Hz`, undefined, '--frequencies');
        return f;
      });
      if (o.out && !existsSync(dirname(o.out))) throw new InputError('the folder does not exist', o.out, '--out');
      const res = frequencyDecoding({ pulses, ...(frequencies ? { frequencies } : {}) });
      if (o.out) writeFileAtomic(o.out, frequencyDecodingSvg(res));
      if (o.json) process.stdout.write(JSON.stringify(res) + '\n');
      else {
        process.stdout.write(`CaMKII autonomy after ${pulses} pulses (${res.options.width} ms, ${res.options.caPulse} µM Ca²⁺, ${res.options.cam} µM CaM):\n`);
        for (const p of res.points) process.stdout.write(`  ${String(p.frequency).padStart(5)} Hz  ${(100 * p.autonomy).toFixed(1).padStart(5)} %\n`);
        if (o.out) process.stdout.write(`plot: ${o.out}\n`);
      }
    });

  const collect = (v: string, prev: string[]): string[] => [...prev, v];
  exp
    .command('firing-signalling')
    .description('minutes of periodic firing in the CA1 neuron with all signalling (optionally with a compound bound at a fixed free concentration): pCREB, CaMKII autonomy, nuclear Ca²⁺/CaM, nuclear γCaMKII and c-fos mRNA per minute')
    .addOption(new Option('--preset <name>', 'CA1 preset').choices(['young', 'aged', 'ad']).default('young'))
    .option('--hz <f>', 'pulse frequency in Hz (0 < f ≤ 50)', '5')
    .option('--minutes <m>', 'duration of the firing (0 < m ≤ 120); the whole periods that fit', '10')
    .option('--compound <id>', 'compound id or synonym (see `ltcc compounds`); needs --concentration-nM')
    .option('--concentration-nM <c>', 'free concentration of the compound at the channels (nM, ≥ 0), bound at equilibrium at rest before the firing')
    .option('--variant <substance=variant>', 'activity of a substance whose activity is an assumption, e.g. mem1003-minus=agonist (repeatable)', collect, [])
    .option('--full', 'integrate every period in full instead of envelope following (slower; the reference)')
    .option('--rtol <r>', 'inner solver relative tolerance (default 1e-4 with the envelope, 1e-6 with --full)')
    .option('--atol <a>', 'inner solver absolute tolerance (default 1e-6 with the envelope, 1e-8 with --full)')
    .option('--envelope-rtol <r>', 'relative tolerance of the envelope\'s jumps over periods (default 1e-3)')
    .option('--json', 'print the result as JSON: t_min, readouts (arrays over t_min), model_hash, tolerances, work')
    .option('--out <file>', 'also write the table to file.csv or file.json (written only when the run completes)')
    .addHelpText('after', `
Envelope following integrates a few periods in full and jumps over many by extrapolating the
slow drift from one period to the next; rows are the states at period starts. The default
tolerances (inner 1e-4 / 1e-6, envelope 1e-3) were measured against a full integration at
1e-6 / 1e-8 (10 min at 5 Hz, young cell): pCREB at the end within 0.01 % of its rise, in a
fraction of the time.

Examples:
  ltcc experiment firing-signalling
  ltcc experiment firing-signalling --preset aged --hz 10 --minutes 5 --out aged-10hz.csv
  ltcc experiment firing-signalling --compound nimodipine --concentration-nM 1000 --json
  ltcc experiment firing-signalling --minutes 2 --full
`)
    .action(async (o: FiringSignallingCliOptions) => {
      await (await import('./firing-signalling.js')).firingSignallingCommand(o);
    });
}
