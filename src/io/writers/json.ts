/**
 * JSON output: two-space indented, final newline. JSON has no NaN or infinities; they are
 * written as `null` (a table written as JSON keeps its units in `units`).
 */
import { writeFileAtomic } from './atomic.js';
import { type Table, tableRows } from './table.js';

/** Serialises any value; typed arrays become lists, non-finite numbers become null. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  }, 2)}\n`;
}

/** A table as `{ columns: [...], units: {...}, rows: [{...}] }`. */
export function tableToJson(t: Table): { columns: string[]; units: Record<string, string>; rows: Record<string, number | string | null>[] } {
  const n = tableRows(t);
  const rows: Record<string, number | string | null>[] = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, number | string | null> = {};
    for (const c of t.columns) {
      const v = c.values[i];
      r[c.name] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    }
    rows.push(r);
  }
  const units: Record<string, string> = {};
  for (const c of t.columns) if (c.unit) units[c.name] = c.unit;
  return { columns: t.columns.map((c) => c.name), units, rows };
}

/** Writes any value as JSON, atomically. */
export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, toJson(value));
}
