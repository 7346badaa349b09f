/**
 * The run store: an embedded SQLite database of runs, their manifests and summaries, so runs
 * can be listed and compared across sessions. A run is recorded in one transaction when it
 * ends (finished, failed or interrupted): a process killed mid-run leaves no half-written record.
 *
 * Tables: `runs` (one row per run), `manifests` (the manifest JSON), `summaries` (one row per
 * output). The schema version is kept in `PRAGMA user_version`.
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../errors.js';
import { ensureDir } from '../writers/atomic.js';
import type { RunManifest, RunStatus, SummaryRow } from './manifest.js';

/** Default location of the store, relative to the working folder. */
export const DEFAULT_STORE = 'out/ltcc-runs.sqlite';
const SCHEMA_VERSION = 1;

/** One row of `runs`. */
export interface RunRecord {
  readonly id: number;
  readonly name: string;
  /** ISO 8601. */
  readonly started: string;
  readonly finished: string;
  readonly status: RunStatus;
  readonly modelHash: string;
  readonly version: string;
  readonly seed: number;
  /** Output folder (absolute), or empty when nothing was kept. */
  readonly outDir: string;
  readonly wallMs: number;
  /** Why a run failed or was interrupted. */
  readonly message: string;
}

/** A run with its manifest and summary rows. */
export interface StoredRun {
  readonly run: RunRecord;
  readonly manifest: RunManifest;
  readonly summaries: readonly SummaryRow[];
}

interface RunRow {
  id: number; name: string; started: string; finished: string; status: RunStatus; model_hash: string;
  version: string; seed: number; out_dir: string; wall_ms: number; message: string;
}

const toRecord = (r: RunRow): RunRecord => ({
  id: r.id, name: r.name, started: r.started, finished: r.finished, status: r.status, modelHash: r.model_hash,
  version: r.version, seed: r.seed, outDir: r.out_dir, wallMs: r.wall_ms, message: r.message,
});

/** SQL NULL for a non-finite number (SQLite has no NaN). */
const real = (x: number): number | null => (Number.isFinite(x) ? x : null);
const fromReal = (x: number | null): number => (x === null ? NaN : x);

export class RunStore {
  private constructor(private readonly db: Database.Database, readonly path: string) {}

  /**
   * Opens (creating if needed) the store at `path`.
   * @throws {@link InputError} naming the path when it cannot be opened or is not a run store.
   */
  static open(path: string): RunStore {
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') ensureDir(dirname(path));
      db = new Database(path);
      db.pragma('busy_timeout = 5000');
      if (path !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new InputError(`the run store has schema version ${version}, newer than this ltcc understands (${SCHEMA_VERSION})`, path);
      db.exec(`
        CREATE TABLE IF NOT EXISTS runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          started TEXT NOT NULL,
          finished TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'interrupted')),
          model_hash TEXT NOT NULL,
          version TEXT NOT NULL,
          seed INTEGER NOT NULL,
          out_dir TEXT NOT NULL,
          wall_ms REAL NOT NULL,
          message TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE IF NOT EXISTS manifests (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          json TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS summaries (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          output TEXT NOT NULL,
          unit TEXT,
          min REAL, max REAL, final REAL, t_max REAL, mean REAL,
          PRIMARY KEY (run_id, output)
        );
        CREATE INDEX IF NOT EXISTS runs_name ON runs(name);
      `);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return new RunStore(db, path);
    } catch (e) {
      db?.close();
      if (e instanceof InputError) throw e;
      const msg = (e as Error).message;
      throw new InputError(/not a database|malformed/i.test(msg) ? 'not an ltcc run store (the file is not an SQLite database)' : `cannot open the run store: ${msg}`, path);
    }
  }

  /**
   * Records a finished (or failed, or interrupted) run with its manifest and summaries, in one
   * transaction. Returns the new run id.
   */
  record(manifest: RunManifest, outDir: string, message = ''): number {
    const insertRun = this.db.prepare(`INSERT INTO runs (name, started, finished, status, model_hash, version, seed, out_dir, wall_ms, message)
      VALUES (@name, @started, @finished, @status, @model_hash, @version, @seed, @out_dir, @wall_ms, @message)`);
    const insertManifest = this.db.prepare('INSERT INTO manifests (run_id, json) VALUES (?, ?)');
    const insertSummary = this.db.prepare(`INSERT INTO summaries (run_id, output, unit, min, max, final, t_max, mean)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const tx = this.db.transaction((): number => {
      const info = insertRun.run({
        name: manifest.name, started: manifest.started, finished: manifest.finished, status: manifest.status,
        model_hash: manifest.modelHash, version: manifest.version, seed: manifest.seed, out_dir: outDir,
        wall_ms: manifest.wallMs, message,
      });
      const id = Number(info.lastInsertRowid);
      insertManifest.run(id, JSON.stringify(manifest, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
      for (const s of manifest.summary) {
        insertSummary.run(id, s.output, s.unit ?? null, real(s.min), real(s.max), real(s.final), real(s.tMax), real(s.mean));
      }
      return id;
    });
    return tx.immediate();
  }

  /** Runs, newest first. */
  list(options: { /** Most rows to return (default all). */ limit?: number; /** Only runs of this scenario name. */ name?: string } = {}): RunRecord[] {
    const where = options.name !== undefined ? 'WHERE name = @name' : '';
    const limit = options.limit !== undefined ? 'LIMIT @limit' : '';
    const rows = this.db.prepare(`SELECT * FROM runs ${where} ORDER BY id DESC ${limit}`).all({
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    }) as RunRow[];
    return rows.map(toRecord);
  }

  /** One run with manifest and summaries, or undefined. */
  get(id: number): StoredRun | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) return undefined;
    const m = this.db.prepare('SELECT json FROM manifests WHERE run_id = ?').get(id) as { json: string } | undefined;
    const sums = this.db.prepare('SELECT * FROM summaries WHERE run_id = ? ORDER BY rowid').all(id) as {
      output: string; unit: string | null; min: number | null; max: number | null; final: number | null; t_max: number | null; mean: number | null;
    }[];
    return {
      run: toRecord(row),
      manifest: m ? (JSON.parse(m.json) as RunManifest) : ({} as RunManifest),
      summaries: sums.map((s) => ({
        output: s.output, ...(s.unit !== null ? { unit: s.unit } : {}),
        min: fromReal(s.min), max: fromReal(s.max), final: fromReal(s.final), tMax: fromReal(s.t_max), mean: fromReal(s.mean),
      })),
    };
  }

  /** Number of runs stored. */
  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
