import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { InputError } from '../errors.js';
import { StagedDir, writeFileAtomic } from './atomic.js';
import { toCsv } from './csv.js';
import { tableToJson, toJson } from './json.js';
import { toParquet, writeParquet } from './parquet.js';
import type { Table } from './table.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ltcc-writers-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const table: Table = {
  columns: [
    { name: 'time', unit: 'ms', values: Float64Array.from([0, 0.1, 1e-300]) },
    { name: 'Ca', unit: 'uM', values: [0.05, NaN, -Infinity] },
    { name: 'label', values: ['a', 'b,c', 'say "hi"'] },
  ],
};

describe('CSV', () => {
  it('writes units in headers, quotes text, and keeps every double exactly', () => {
    expect(toCsv(table)).toBe('time (ms),Ca (uM),label\n0,0.05,a\n0.1,NaN,"b,c"\n1e-300,-Inf,"say ""hi"""\n');
    const x = 0.1 + 0.2;
    const back = Number(toCsv({ columns: [{ name: 'x', values: [x] }] }).split('\n')[1]);
    expect(back).toBe(x);
  });
  it('refuses columns of different lengths', () => {
    expect(() => toCsv({ columns: [{ name: 'a', values: [1] }, { name: 'b', values: [1, 2] }] })).toThrow(/2 rows, expected 1/);
  });
});

describe('JSON', () => {
  it('writes non-finite numbers as null and typed arrays as lists', () => {
    expect(JSON.parse(toJson({ a: NaN, b: Float64Array.from([1, 2]) }))).toEqual({ a: null, b: [1, 2] });
    const j = tableToJson(table);
    expect(j.units).toEqual({ time: 'ms', Ca: 'uM' });
    expect(j.rows[1]).toEqual({ time: 0.1, Ca: null, label: 'b,c' });
  });
});

describe('Parquet', () => {
  it('round-trips numbers, text and units through a Parquet reader', async () => {
    const n = 1234;
    const t = Float64Array.from({ length: n }, (_, i) => i * 0.25);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-7);
    const path = join(dir, 'trace.parquet');
    writeParquet(path, { columns: [{ name: 'time', unit: 'ms', values: t }, { name: 'y', unit: 'uM', values: y }] }, { model_hash: 'abc' });
    const bytes = readFileSync(path);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(n);
    expect(rows[17]).toEqual({ time: t[17], y: y[17] });
    expect(rows[n - 1].y).toBe(y[n - 1]);
    const meta = parquetMetadata(file);
    const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    expect(kv).toMatchObject({ 'unit:time': 'ms', 'unit:y': 'uM', model_hash: 'abc' });
  });
  it('writes text columns as strings', async () => {
    const buf = toParquet({ columns: [{ name: 's', values: ['x', 'y'] }, { name: 'v', values: [1, 2] }] });
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer });
    expect(rows).toEqual([{ s: 'x', v: 1 }, { s: 'y', v: 2 }]);
  });
});

describe('atomic writes', () => {
  it('replaces a file in one step and leaves no temporary files', () => {
    const p = join(dir, 'sub', 'a.txt');
    writeFileAtomic(p, 'one');
    writeFileAtomic(p, 'two');
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.txt']);
  });
  it('names the path when the folder cannot be created', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const e = (() => { try { writeFileAtomic(join(dir, 'file', 'a.txt'), 'x'); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/file: cannot write the output/);
  });
  it('stages a folder: nothing under the final name until commit; discard leaves nothing', () => {
    const target = join(dir, 'run');
    const s = new StagedDir(target);
    writeFileSync(s.file('x.csv'), '1');
    expect(existsSync(target)).toBe(false);
    s.commit();
    expect(readFileSync(join(target, 'x.csv'), 'utf8')).toBe('1');
    const s2 = new StagedDir(target);
    writeFileSync(s2.file('y.csv'), '2');
    s2.discard();
    expect(readdirSync(dir)).toEqual(['run']);
    expect(readdirSync(target)).toEqual(['x.csv']);
    const s3 = new StagedDir(target);
    writeFileSync(s3.file('z.csv'), '3');
    s3.commit();
    expect(readdirSync(target)).toEqual(['z.csv']);
    expect(readdirSync(dir)).toEqual(['run']);
  });
});
