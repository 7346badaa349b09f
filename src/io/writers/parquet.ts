/**
 * Apache Parquet output (readable by pandas, polars, R arrow): numeric columns as DOUBLE, text
 * as UTF-8 strings, one row group per 100 000 rows, Snappy compression. Units are kept in the
 * file's key–value metadata as `unit:<column>`.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { VERSION } from '../../version.js';
import { writeFileAtomic } from './atomic.js';
import { type Table, isTextColumn, tableRows } from './table.js';

/** Encodes the table as a Parquet file. */
export function toParquet(t: Table, metadata: Record<string, string> = {}): Uint8Array {
  tableRows(t);
  const kv = [
    ...Object.entries(metadata).map(([key, value]) => ({ key, value })),
    ...t.columns.filter((c) => c.unit).map((c) => ({ key: `unit:${c.name}`, value: c.unit! })),
  ];
  const buf = parquetWriteBuffer({
    columnData: t.columns.map((c) => isTextColumn(c)
      ? { name: c.name, data: Array.from(c.values as readonly string[]), type: 'STRING' as const, nullable: false }
      : { name: c.name, data: Float64Array.from(c.values as ArrayLike<number>), type: 'DOUBLE' as const, nullable: false }),
    rowGroupSize: 100_000,
    kvMetadata: kv,
    createdBy: `ltcc ${VERSION}`,
  });
  return new Uint8Array(buf);
}

/** Writes the table as Parquet, atomically. */
export function writeParquet(path: string, t: Table, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, toParquet(t, metadata));
}
