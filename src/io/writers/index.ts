/** Output writers: CSV, JSON and Parquet tables, written atomically. */
export { type Column, type Table, tableRows, tableToRecords } from './table.js';
export { StagedDir, ensureDir, outputError, writeFileAtomic } from './atomic.js';
export { csvHeader, toCsv, writeCsv } from './csv.js';
export { tableToJson, toJson, writeJson } from './json.js';
export { toParquet, writeParquet } from './parquet.js';
