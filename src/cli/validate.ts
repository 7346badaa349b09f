import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CATALOGUE, findTarget } from '../validation/catalogue.js';
import { runValidation, validationMarkdown, type ValidationRow } from '../validation/run.js';
import { knownDiscrepancies } from '../validation/discrepancies.js';
import { InputError } from '../io/errors.js';
import { VERSION } from '../version.js';
import { SimulationFailed } from './errors.js';
import { startProgress } from './progress.js';

/** Options of `ltcc validate`. */
export interface ValidateOptions {
  only?: string;
  json?: boolean;
  markdown?: string | boolean;
}

/**
 * `ltcc validate`: runs the catalogue (or `--only ID[,ID]`), prints a table or JSON lines (one
 * object per target: id, published, simulated, pass, reason, …), optionally writes the
 * Markdown document (with the known discrepancies, simulated). Exits 1 when an implemented
 * target fails.
 */
export function validateCommand(o: ValidateOptions): void {
  let targets = CATALOGUE;
  if (o.only) {
    const ids = o.only.split(',').map((s) => s.trim()).filter(Boolean);
    targets = ids.map((id) => {
      const t = findTarget(id);
      if (!t) throw new InputError(`unknown target '${id}' (known: ${CATALOGUE.map((x) => x.id).join(', ')})`, undefined, '--only');
      return t;
    });
  }
  const markdownFile = o.markdown ? (typeof o.markdown === 'string' ? o.markdown : 'docs/VALIDATION.md') : undefined;
  // A wrong output path is found before the catalogue runs, not after.
  if (markdownFile !== undefined && !existsSync(dirname(resolve(markdownFile)))) throw new InputError('the folder does not exist', dirname(markdownFile), '--markdown');
  const progress = startProgress('validate', targets.length);
  let done = 0;
  const onRow = (r: ValidationRow): void => {
    progress.tick(1, targets[++done]?.id);
    if (o.json) {
      progress.print(JSON.stringify({ id: r.id, published: r.published, simulated: r.simulated, pass: r.pass, reason: r.reason, implemented: r.implemented, source: r.source, rule: r.rule, ...(r.calibrated ? { calibrated: r.calibrated } : {}), ...(r.values ? { values: r.values } : {}) }) + '\n');
    } else {
      const verdict = !r.implemented ? 'not implemented yet' : r.pass ? 'PASS' : 'FAIL';
      progress.print(`${verdict.padEnd(20)} ${r.id.padEnd(30)} published: ${r.published}\n${' '.repeat(21)}simulated: ${r.simulated}  (${r.reason})\n`);
    }
  };
  let rows: ValidationRow[];
  try {
    rows = runValidation(targets, onRow);
  } finally {
    progress.done();
  }
  if (markdownFile !== undefined) {
    writeFileSync(markdownFile, validationMarkdown(rows, { version: VERSION }, knownDiscrepancies()));
    if (!o.json) process.stdout.write(`wrote ${markdownFile}\n`);
  }
  const failed = rows.filter((r) => r.implemented && !r.pass);
  if (!o.json) {
    const pass = rows.filter((r) => r.pass).length;
    process.stdout.write(`\n${pass} passed, ${rows.length - pass} failed (${rows.filter((r) => !r.implemented).length} not implemented yet)\n`);
  }
  if (failed.length) throw new SimulationFailed(`implemented targets failing: ${failed.map((r) => r.id).join(', ')}`);
}
