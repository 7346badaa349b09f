/**
 * `ltcc compounds [--json]`: the compound library with every number's unit and provenance.
 */
import type { Command } from 'commander';
import { type CompoundRecord } from '../pharmacology/compound-schema.js';
import { listCompounds, resolveCompound } from '../pharmacology/library.js';
import type { Quantity } from '../pharmacology/quantity.js';

const isQuantity = (v: unknown): v is Quantity =>
  v !== null && typeof v === 'object' && typeof (v as Quantity).value === 'number' && typeof (v as Quantity).unit === 'string';

/** Every quantity of a record as `path = value unit  [source|assumption]` lines. */
function quantityLines(v: unknown, path: string, out: string[]): string[] {
  if (isQuantity(v)) {
    const prov = v.source !== undefined ? `source: ${v.source}` : `ASSUMPTION: ${v.assumption}`;
    out.push(`    ${path} = ${v.value} ${v.unit}\n        ${prov}${v.note ? `\n        note: ${v.note}` : ''}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => quantityLines(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (k !== 'notes' && k !== 'description') quantityLines(x, path ? `${path}.${k}` : k, out);
  }
  return out;
}

function summary(rec: CompoundRecord): string {
  if (rec.kind === 'mixture') return `mixture: ${rec.components.map((c) => `${c.compound} ×${c.fraction.value}`).join(' + ')}`;
  if (rec.activity) return rec.activity.action;
  return `activity unknown; variants ${Object.keys(rec.variants ?? {}).join(' / ')} (default ${rec.defaultVariant})`;
}

/** The command's output as text. */
export function compoundsText(): string {
  const lines: string[] = ['Compound library (every number with its unit and its source or ASSUMPTION)', ''];
  for (const rec of listCompounds()) {
    const r = resolveCompound(rec.id);
    lines.push(`${rec.id}  ${rec.name}  [${rec.class}]`);
    lines.push(`  ${summary(rec)}; MW ${rec.molecularWeight.value} ${rec.molecularWeight.unit}${rec.pk ? '; oral PK' : ''}; ${r.assumptions.length} assumption(s)`);
    if (rec.synonyms.length) lines.push(`  also: ${rec.synonyms.join(', ')}`);
    lines.push(`  ${rec.description}`);
    const { id: _id, name: _n, synonyms: _s, class: _c, description: _d, kind: _k, notes: _no, ...numbers } = rec;
    lines.push(...quantityLines(numbers, '', []));
    for (const n of rec.notes) lines.push(`  note: ${n}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The command's output as JSON: the records as stored, plus the assumptions each one uses. */
export function compoundsJson(): unknown {
  return {
    compounds: listCompounds().map((rec) => ({ ...rec, assumptions: resolveCompound(rec.id).assumptions })),
  };
}

/** Where command output goes (stdout by default; tests pass a sink). */
export interface Sink {
  write(text: string): unknown;
}

/** `ltcc compounds`. */
export function compoundsCommand(o: { json?: boolean }, out: Sink = process.stdout): void {
  out.write(o.json ? `${JSON.stringify(compoundsJson(), null, 2)}\n` : `${compoundsText()}\n`);
}

/** Registers `ltcc compounds` on the program. */
export function registerCompoundsCommand(program: Command): void {
  program
    .command('compounds')
    .description('the compound library (DHP antagonists, Bay K 8644, MEM 1003 and enantiomers) with sources and assumptions')
    .option('--json', 'JSON output (the records as stored, with the assumptions each uses)')
    .addHelpText('after', '\nExamples:\n  ltcc compounds\n  ltcc compounds --json\n')
    .action((o: { json?: boolean }) => compoundsCommand(o));
}
