/**
 * CSV (RFC 4180): a header row, then one row per record, numbers in shortest round-trip form
 * (`String(x)`, so reading them back gives the same doubles), `NaN`/`Inf`/`-Inf` spelled as
 * pandas and R read them. Headers carry units as `name (unit)`.
 */
import { type Table, tableRows } from './table.js';
import { writeFileAtomic } from './atomic.js';

const quote = (s: string): string => (/[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);

const num = (x: number): string => {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  return String(x);
};

/** Header text of a column: `name (unit)`, or `name` without a unit. */
export const csvHeader = (name: string, unit?: string): string => (unit && unit !== 'dimensionless' ? `${name} (${unit})` : name);

/** The table as CSV text (LF line ends, final newline). */
export function toCsv(t: Table): string {
  const n = tableRows(t);
  const lines: string[] = [t.columns.map((c) => quote(csvHeader(c.name, c.unit))).join(',')];
  for (let i = 0; i < n; i++) {
    lines.push(t.columns.map((c) => {
      const v = c.values[i];
      return typeof v === 'number' ? num(v) : quote(String(v));
    }).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the table as CSV, atomically. */
export function writeCsv(path: string, t: Table): void {
  writeFileAtomic(path, toCsv(t));
}
