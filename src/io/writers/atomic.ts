/**
 * Atomic output: every file is written to a temporary name in the same folder, flushed, and
 * renamed into place, so a reader never sees a truncated file under the final name. A run's
 * output folder is staged the same way ({@link StagedDir}): files go into a hidden sibling
 * folder that is renamed to the final name only when everything is written.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';

const tmpName = (path: string): string => join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);

/** Writes `data` to `path` atomically (temporary file, fsync, rename). Creates the folder if needed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  ensureDir(dirname(path));
  const tmp = tmpName(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw outputError(e, path);
  }
}

/** Creates a folder (and its parents), with a clear error when it cannot. */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw outputError(e, dir);
  }
}

/** An output path that cannot be written: an {@link InputError} naming it and the reason. */
export function outputError(e: unknown, path: string): Error {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file, not a folder', EEXIST: 'already exists', ENOSPC: 'no space left on the device',
    EISDIR: 'is a folder', ENOENT: 'a folder on the path does not exist and cannot be created',
  };
  return new InputError(`cannot write the output: ${code && why[code] ? why[code] : (e as Error).message}`, path);
}

/**
 * A folder filled in a hidden staging folder beside its final place and moved there by
 * {@link StagedDir.commit}. Until then, nothing appears under the final name; an existing
 * folder of that name is replaced only at commit.
 */
export class StagedDir {
  /** The staging folder that receives the files. */
  readonly path: string;
  private done = false;

  constructor(readonly target: string) {
    this.target = resolve(target);
    try {
      if (statSync(this.target).isFile()) throw new InputError('cannot write the output: a file of this name exists (expected a folder)', target);
    } catch (e) {
      if (e instanceof InputError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw outputError(e, target);
    }
    ensureDir(dirname(this.target));
    this.path = tmpName(this.target);
    try {
      mkdirSync(this.path);
    } catch (e) {
      throw outputError(e, this.target);
    }
  }

  /** Path of a file inside the staging folder. */
  file(name: string): string {
    return join(this.path, name);
  }

  /** Moves the staged folder to its final name (replacing an older folder of that name). */
  commit(): void {
    if (this.done) throw new Error('staged folder already committed or discarded');
    const old = `${this.path}.old`;
    let moved = false;
    try {
      try {
        renameSync(this.target, old);
        moved = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      renameSync(this.path, this.target);
    } catch (e) {
      if (moved) renameSync(old, this.target);
      throw outputError(e, this.target);
    }
    this.done = true;
    if (moved) rmSync(old, { recursive: true, force: true });
  }

  /** Removes the staging folder and everything in it (after a failure or an interruption). */
  discard(): void {
    if (this.done) return;
    this.done = true;
    rmSync(this.path, { recursive: true, force: true });
  }
}
