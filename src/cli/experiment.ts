import type { Command } from 'commander';
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
 */
export function registerExperimentCommands(program: Command): void {
  const exp = program.command('experiment').description('documented experiments that are not scenario files')
    .addHelpText('after', '\nExample:\n  ltcc experiment camkii-frequency --out docs/camkii-frequency.svg\n');
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
}
