/**
 * `ltcc dose-response --compound ID --context ID [--isoform ID] [--holding-mV V] [--json]`:
 * peak L-type current block against concentration at a holding potential, with the fitted IC50
 * and Hill slope and their 95 % confidence intervals.
 */
import type { Command } from 'commander';
import { CONTEXTS, type ContextName } from '../biology/contexts.js';
import { CellExperimentFailed } from '../experiments/cell.js';
import { concentrationResponse, DEFAULT_CONCENTRATIONS, type DoseResponseResult } from '../experiments/dose-response.js';
import { InputError } from '../io/errors.js';
import type { Isoform } from '../pharmacology/compound-schema.js';
import type { Sink } from './compounds.js';
import { SimulationFailed } from './errors.js';
import { startProgress } from './progress.js';

export interface DoseResponseCliOptions {
  compound?: string;
  context?: string;
  isoform?: string;
  preset?: string;
  holdingMV?: string;
  testMV?: string;
  concentrations?: string;
  variant?: string[];
  json?: boolean;
}

const number = (s: string | undefined, flag: string): number | undefined => {
  if (s === undefined) return undefined;
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v)) throw new InputError(`'${s}' is not a number`, undefined, flag);
  return v;
};

/** Parses `--variant substance=variant` options. */
export function variants(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of list) {
    const m = /^([a-z0-9-]+)=([a-z0-9-]+)$/.exec(v.trim());
    if (!m) throw new InputError(`'${v}' is not substance=variant (e.g. mem1003-minus=agonist)`, undefined, '--variant');
    out[m[1]] = m[2];
  }
  return out;
}

/** The JSON document of the command (stable field names: ic50_nM, ic50_ci_nM, hill, points). */
export function doseResponseJson(r: DoseResponseResult): Record<string, unknown> {
  return {
    compound: r.compound,
    name: r.name,
    context: r.context,
    ...(r.preset ? { preset: r.preset } : {}),
    isoform: r.measured.length === 1 ? r.measured[0] : r.measured,
    holding_mV: r.holding_mV,
    test_mV: r.test_mV,
    effect: r.effect,
    ic50_nM: r.ic50_nM,
    ic50_ci_nM: r.ic50_ci_nM,
    hill: r.hill,
    hill_ci: r.hill_ci,
    bottom: r.bottom,
    control_pA: r.control_pA,
    points: r.points,
    assumptions: r.assumptions,
  };
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3));

/** Runs the experiment and prints it. */
export function doseResponseCommand(o: DoseResponseCliOptions, out: Sink = process.stdout): void {
  if (!o.compound) throw new InputError('--compound is required (see `ltcc compounds`)', undefined, '--compound');
  if (!o.context) throw new InputError(`--context is required (${CONTEXTS.join(', ')})`, undefined, '--context');
  if (!CONTEXTS.includes(o.context as ContextName)) throw new InputError(`unknown context '${o.context}' (expected one of ${CONTEXTS.join(', ')})`, undefined, '--context');
  if (o.isoform !== undefined && o.isoform !== 'cav12' && o.isoform !== 'cav13') throw new InputError(`unknown isoform '${o.isoform}' (expected cav12 or cav13)`, undefined, '--isoform');
  const concs = o.concentrations?.split(',').map((s, i) => {
    const v = number(s, `--concentrations[${i}]`)!;
    if (!(v > 0)) throw new InputError(`concentration ${v} must be positive (nM)`, undefined, `--concentrations[${i}]`);
    return v;
  });
  const holding = number(o.holdingMV, '--holding-mV');
  const test = number(o.testMV, '--test-mV');
  const variantOf = o.variant?.length ? variants(o.variant) : undefined;
  const list = concs ?? DEFAULT_CONCENTRATIONS;
  const progress = startProgress('dose-response', list.length);
  let r: DoseResponseResult;
  try {
    r = concentrationResponse({
      compound: o.compound,
      context: o.context as ContextName,
      ...(o.isoform ? { isoform: o.isoform as Isoform } : {}),
      ...(o.preset ? { preset: o.preset } : {}),
      ...(holding !== undefined ? { holding_mV: holding } : {}),
      ...(test !== undefined ? { test_mV: test } : {}),
      ...(concs ? { concentrations_nM: concs } : {}),
      ...(variantOf ? { variants: variantOf } : {}),
      // The note names the concentration simulated next.
      onConcentration: (done) => progress.tick(1, done < list.length ? `${fmt(list[done])} nM` : undefined),
    });
  } catch (e) {
    if (e instanceof CellExperimentFailed) throw new SimulationFailed(e.message);
    throw e;
  } finally {
    progress.done();
  }
  if (o.json) {
    out.write(`${JSON.stringify(doseResponseJson(r), null, 2)}\n`);
    return;
  }
  const lines = [
    `${r.name} (${r.compound}) in ${r.context}${r.preset ? ` (${r.preset})` : ''}, ${r.measured.join(' + ')} current`,
    `holding ${r.holding_mV} mV, test pulse to ${r.test_mV} mV; drug-free peak ${r.control_pA.toFixed(1)} pA`,
    '',
    '  concentration (nM)   peak (pA)   relative to control',
    ...r.points.map((p) => `  ${fmt(p.concentration_nM).padStart(18)}   ${p.peak_pA.toFixed(1).padStart(9)}   ${p.response.toFixed(4)}`),
    '',
  ];
  if (r.ic50_nM !== null && r.ic50_ci_nM && r.hill !== null && r.hill_ci) {
    const word = r.effect === 'stimulation' ? 'EC50' : 'IC50';
    lines.push(`${word} ${fmt(r.ic50_nM)} nM (95 % CI ${fmt(r.ic50_ci_nM[0])}–${fmt(r.ic50_ci_nM[1])}), Hill slope ${r.hill.toFixed(2)} (${r.hill_ci[0].toFixed(2)}–${r.hill_ci[1].toFixed(2)})`);
    if (r.bottom !== null && Math.abs(r.bottom) > 0.02) lines.push(`response at saturation ${r.bottom.toFixed(3)} of control (fitted)`);
  } else if (r.effect === 'mixed') {
    lines.push('the response rises at some concentrations and falls at others: no single IC50');
  } else if (r.effect === 'none') {
    lines.push('no effect above 5 % at the tested concentrations: no IC50');
  } else {
    lines.push('the response is not described by a Hill curve with its midpoint in the tested range: no IC50');
  }
  if (r.assumptions.length) {
    lines.push('', `assumptions used (${r.assumptions.length}):`);
    for (const a of r.assumptions) lines.push(`  ${a.field}: ${a.text}`);
  }
  out.write(`${lines.join('\n')}\n`);
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Registers `ltcc dose-response` on the program. */
export function registerDoseResponseCommand(program: Command): void {
  program
    .command('dose-response')
    .description('peak L-type current vs concentration at a holding potential (drug at binding equilibrium); fitted IC50 and Hill slope with 95 % CI')
    .option('--compound <id>', 'compound id or synonym (see `ltcc compounds`)')
    .option('--context <id>', `cell context: ${CONTEXTS.join(', ')}`)
    .option('--isoform <id>', 'cav12 or cav13 (heterologous: expressed isoform, default cav12; ca1: measured isoform, default both; vascular, cardiac: cav12 only)')
    .option('--preset <name>', 'context preset (e.g. young, aged)')
    .option('--holding-mV <V>', 'holding potential (default: heterologous −80, ca1 −65, vascular −45, cardiac −80)')
    .option('--test-mV <V>', 'test potential (default: peak of the drug-free I–V from −80 mV)')
    .option('--concentrations <list>', 'comma-separated concentrations in nM (default 1 pM … 100 µM, two per decade)')
    .option('--variant <substance=variant>', 'activity of a substance whose activity is an assumption, e.g. mem1003-minus=agonist (repeatable)', collect, [])
    .option('--json', 'JSON output: ic50_nM, ic50_ci_nM, hill, points, …')
    .addHelpText('after', `
Examples:
  ltcc dose-response --compound nitrendipine --context heterologous --isoform cav12 --holding-mV -80
  ltcc dose-response --compound nitrendipine --context cardiac --holding-mV -10
  ltcc dose-response --compound mem1003-rac --context ca1 --preset aged --json
  ltcc dose-response --compound mem1003-rac --context vascular --variant mem1003-minus=agonist
`)
    .action((o: DoseResponseCliOptions) => doseResponseCommand(o));
}
