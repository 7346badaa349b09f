/**
 * A table of named columns: what every writer (CSV, JSON, Parquet) and the report take.
 */

/** One column: numbers (written as 64-bit floats) or text. */
export interface Column {
  /** Column name, e.g. `time`, `Ca`. */
  readonly name: string;
  /** Unit of the values (e.g. `ms`, `uM`); written into CSV headers and Parquet metadata. */
  readonly unit?: string;
  readonly values: ArrayLike<number> | readonly string[];
}

/** Columns of equal length. */
export interface Table {
  readonly columns: readonly Column[];
}

/** Number of rows; throws when the columns differ in length or a name repeats. */
export function tableRows(t: Table): number {
  const names = new Set<string>();
  let n: number | undefined;
  for (const c of t.columns) {
    if (names.has(c.name)) throw new Error(`table has two columns named '${c.name}'`);
    names.add(c.name);
    if (n === undefined) n = c.values.length;
    else if (c.values.length !== n) throw new Error(`column '${c.name}' has ${c.values.length} rows, expected ${n}`);
  }
  return n ?? 0;
}

/** True when a column holds text. */
export const isTextColumn = (c: Column): boolean => c.values.length > 0 && typeof c.values[0] === 'string';

/** The table as an array of row objects (`{ column: value }`), numbers kept as numbers. */
export function tableToRecords(t: Table): Record<string, number | string>[] {
  const n = tableRows(t);
  const rows: Record<string, number | string>[] = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, number | string> = {};
    for (const c of t.columns) r[c.name] = c.values[i];
    rows.push(r);
  }
  return rows;
}
