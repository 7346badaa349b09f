/**
 * `ltcc sbml-suite` and `ltcc export sbml`.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { InputError } from '../io/errors.js';
import { exportSbml } from '../io/sbml/export.js';
import { readSbmlFile } from '../io/sbml/import.js';
import {
  type CaseInfo, type CaseResult, ensureDir, formatMarkdown, formatSummary, listCases, parseCaseRange, readSuiteIndex, summarize,
} from '../io/sbml/suite.js';
import { runSuite } from '../io/sbml/suite-pool.js';
import type { Model } from '../model/ir.js';
import { startProgress } from './progress.js';

export interface SbmlSuiteOptions {
  out: string;
  cases?: string;
  json?: boolean;
  jobs?: string;
  /** Write the Markdown report (pass tables and failure reasons) to this file. */
  markdown?: string;
  /** semantic-index.tsv (default: next to the cases folder). */
  index?: string;
  /** Per-case time limit in seconds. */
  timeout?: string;
}

/** Runs SBML Test Suite cases; returns the number of cases that did not pass. */
export async function sbmlSuiteCommand(casesDir: string, o: SbmlSuiteOptions): Promise<number> {
  if (!existsSync(casesDir) || !statSync(casesDir).isDirectory()) throw new InputError('the cases folder does not exist', casesDir);
  const present = new Set(listCases(casesDir));
  const ids = o.cases ? parseCaseRange(o.cases).filter((id) => present.has(id)) : [...present];
  if (ids.length === 0) throw new InputError(`no cases ${o.cases ? `in the range ${o.cases} ` : ''}found`, casesDir, '--cases');
  const jobs = o.jobs !== undefined ? Number(o.jobs) : availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new InputError(`--jobs must be a positive integer, got ${JSON.stringify(o.jobs)}`, undefined, '--jobs');
  const timeout = o.timeout !== undefined ? Number(o.timeout) : 120;
  if (!(timeout > 0)) throw new InputError(`--timeout must be a positive number of seconds, got ${JSON.stringify(o.timeout)}`, undefined, '--timeout');
  const indexFile = o.index ?? join(dirname(resolve(casesDir)), 'semantic-index.tsv');
  let index: Map<string, CaseInfo> | undefined;
  let subsets: string[] = [];
  if (existsSync(indexFile)) ({ cases: index, subsets } = readSuiteIndex(indexFile));
  else if (o.index) throw new InputError('the index file does not exist', o.index);
  ensureDir(o.out);
  const t0 = performance.now();
  const progress = startProgress('sbml-suite', ids.length);
  let results: CaseResult[];
  try {
    results = await runSuite({
      casesDir, ids, outDir: o.out, jobs, timeoutSeconds: timeout,
      onResult: (r) => {
        progress.tick(1, r.id);
        if (o.json) {
          const info = index?.get(r.id);
          progress.print(JSON.stringify({ ...r, ...(info ? { componentTags: info.componentTags, testTags: info.testTags, subsets: info.subsets } : {}) }) + '\n');
        } else {
          progress.print(`${r.id} ${r.status}${r.reason ? `: ${r.reason}` : ''}\n`);
        }
      },
    });
  } finally {
    progress.done();
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary = summarize(results, index);
  if (!o.json) process.stdout.write(`${formatSummary(summary, subsets)}\nwall time ${seconds.toFixed(1)} s on ${jobs} worker thread(s)\n`);
  if (o.markdown) {
    // The command as it should be typed from the project folder (no machine paths in the doc).
    const command = `sbml-suite ../shared/sbml-test-suite/semantic --out out/sbml-suite${o.cases ? ` --cases ${o.cases}` : ''} --markdown docs/SBML.md`;
    const versionFile = join(dirname(resolve(casesDir)), 'VERSION.txt');
    const suiteVersion = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim().split(/\s+/)[0] : undefined;
    writeFileSync(o.markdown, formatMarkdown(results, summary, subsets, { command, seconds, jobs, ...(suiteVersion ? { suiteVersion } : {}) }));
  }
  return results.filter((r) => r.status !== 'pass').length;
}

/** Turns a scenario reference into its model (scenario files belong to the scenario loader). */
export type ModelLoader = (ref: string) => Model | Promise<Model>;

export interface ExportSbmlOptions {
  output?: string;
}

/**
 * Exports a model as SBML Level 3 Version 2. `loadModel` resolves a scenario or model reference
 * (scenario files belong to the scenario loader); an `.xml` path is read as SBML directly.
 */
export async function exportSbmlCommand(ref: string, o: ExportSbmlOptions, loadModel?: ModelLoader): Promise<void> {
  let model: Model;
  if (!existsSync(ref)) throw new InputError('no such file', ref);
  if (/\.xml$/i.test(ref)) model = readSbmlFile(ref).model;
  else if (loadModel) model = await loadModel(ref);
  else throw new InputError('expected an SBML model file (.xml): this command does not read scenario files', ref);
  const xml = exportSbml(model);
  if (o.output) writeFileSync(o.output, xml);
  else process.stdout.write(xml);
}

/**
 * Adds `sbml-suite` and `export sbml` to the program. `loadModel` (optional) turns a scenario
 * reference into its model for `export sbml`; without it only SBML files can be exported.
 */
export function registerSbmlCommands(program: Command, loadModel?: ModelLoader): void {
  program
    .command('sbml-suite')
    .description('run SBML Test Suite semantic cases: writes DIR/<NNNNN>.csv, prints pass/fail per case, component tag and test tag')
    .argument('<casesDir>', 'folder of case folders NNNNN/ (e.g. ../shared/sbml-test-suite/semantic)')
    .requiredOption('--out <dir>', 'folder for the simulated results (<NNNNN>.csv)')
    .option('--cases <range>', 'cases to run, e.g. 1-1821 or 5,7,10-20 (default: all)')
    .option('--json', 'one JSON object per case (with its tags) instead of text')
    .option('--jobs <n>', 'worker threads (default: available cores)')
    .option('--markdown <file>', 'also write the Markdown report (pass tables and the reason for every case that does not pass)')
    .option('--index <file>', 'semantic-index.tsv with tags and subsets (default: next to <casesDir>)')
    .option('--timeout <seconds>', 'time limit per case', '120')
    .addHelpText('after', '\nExample:\n  ltcc sbml-suite ../shared/sbml-test-suite/semantic --out out/sbml-suite --markdown docs/SBML.md\n')
    .action(async (dir: string, o: SbmlSuiteOptions) => {
      await sbmlSuiteCommand(dir, o);
    });
  program
    .command('export')
    .description('export a model')
    .addHelpText('after', '\nExample:\n  ltcc export sbml model.xml -o model-l3v2.xml\n')
    .command('sbml')
    .description('the model of a scenario (or an SBML file) as SBML Level 3 Version 2')
    .argument('<model>', loadModel ? 'scenario file or SBML model (.xml)' : 'SBML model (.xml)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addHelpText('after', `\nExample${loadModel ? 's' : ''}:\n  ltcc export sbml model.xml -o model-l3v2.xml\n${loadModel ? '  ltcc export sbml examples/ca1-train-young.yaml -o ca1-young.xml\n' : ''}`)
    .action((ref: string, o: ExportSbmlOptions) => exportSbmlCommand(ref, o, loadModel));
}
