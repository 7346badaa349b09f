/**
 * Scenario errors: every problem found in a file, each with file, line:column, field path and
 * a hint, printed one per line.
 */
import { InputError } from '../errors.js';

/** One problem in a scenario. */
export interface ScenarioIssue {
  readonly file: string;
  /** 1-based line, when the problem has a place in the file. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
  /** Field path as printed (`solver.rtol`, `parameters["cav13.gbar"]`). */
  readonly field: string;
  readonly message: string;
  /** A did-you-mean or list of allowed values. */
  readonly hint?: string;
  /** Set when the value came from the command line (`--set path=value`) rather than the file. */
  readonly origin?: string;
}

/** One line per issue: `file:line:col: field F: message (hint)`. */
export function formatIssue(i: ScenarioIssue): string {
  const where = i.origin !== undefined
    ? `${i.file} (${i.origin})`
    : [i.file, i.line !== undefined ? `${i.line}${i.column !== undefined ? `:${i.column}` : ''}` : undefined].filter(Boolean).join(':');
  return `${where}: field ${i.field}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`;
}

/** Bad scenario input (CLI exit code 2). `issues` lists every problem found, in file order. */
export class ScenarioError extends InputError {
  readonly issues: readonly ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    const first = issues[0];
    super(first.message + (first.hint ? ` (${first.hint})` : ''), first.file, first.field, first.line, first.column);
    this.name = 'ScenarioError';
    this.issues = issues;
    this.message = issues.length === 1
      ? formatIssue(first)
      : `${issues.length} problems in ${first.file}:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`;
  }
}
