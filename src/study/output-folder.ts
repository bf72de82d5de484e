/**
 * A study's output folder, written safely:
 *  - the path is checked at once: a path under a file, or one that cannot be created (/proc/x),
 *    fails before any data are read. Folders are created one level at a time, because Node's
 *    recursive mkdir never returns for some paths (mkdirSync('/proc/x', { recursive: true })
 *    loops on ENOENT);
 *  - a lock file beside the folder (.NAME.oncosurv-lock, holding the process id) makes a second
 *    study into the same folder fail at once; a lock left by a process that no longer runs is
 *    taken over;
 *  - everything is written to a hidden temporary folder beside the target and moved into place
 *    at the end, so a crash leaves no half-written study: an empty or new folder is replaced
 *    by one rename; a non-empty one (--force) has its results.json removed first and written
 *    last, so a folder with results.json always holds one complete study.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

function systemReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code === undefined ? String(e.message) : `${e.code}: ${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`;
}

/**
 * Creates `path` and any missing parents, one level at a time. Errors name the path: a parent
 * that is a file, or a location where folders cannot be made.
 */
export function createDirectories(path: string): void {
  const absolute = resolve(path);
  const missing: string[] = [];
  let p = absolute;
  while (!existsSync(p)) {
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  if (existsSync(p) && !statSync(p).isDirectory()) {
    throw new InputError(`cannot create the output folder: ${p} is a file, not a folder`, { file: path });
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (err) {
      throw new InputError(`cannot create the output folder (${systemReason(err)})`, { file: path });
    }
  }
}

export interface OutputFolder {
  /** The folder the user named. */
  target: string;
  /** Where to write; moved onto `target` by commit(). */
  work: string;
  /** Moves the written study into place and releases the lock. */
  commit(): void;
  /** Removes the temporary folder and releases the lock (after a failure). */
  abandon(): void;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeLock(lock: string, target: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`cannot write in the output folder's parent (${systemReason(err)})`, { file: target });
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && processRuns(pid)) {
        throw new InputError(`another oncosurv study (process ${pid}) is writing to this folder; wait for it to finish or choose another --out`, { file: target });
      }
      unlinkSync(lock); // left by a study that no longer runs
    }
  }
  throw new InputError('cannot lock the output folder', { file: target });
}

/** Checks the target, takes the lock and makes the temporary folder (see the header). */
export function openOutputFolder(dir: string, force: boolean): OutputFolder {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new InputError('the output path exists and is not a folder', { file: dir });
    if (readdirSync(target).length > 0 && !force) throw new InputError('the output folder exists and is not empty; choose another --out or add --force to overwrite', { file: dir });
  }
  const parent = dirname(target);
  createDirectories(parent);
  const lock = join(parent, `.${basename(target)}.oncosurv-lock`);
  takeLock(lock, dir);
  let work: string;
  try {
    work = mkdtempSync(join(parent, `.${basename(target)}.partial-`));
  } catch (err) {
    unlinkSync(lock);
    throw new InputError(`cannot create the output folder (${systemReason(err)})`, { file: dir });
  }
  const release = (): void => { if (existsSync(lock)) unlinkSync(lock); };
  return {
    target,
    work,
    commit(): void {
      try {
        const existing = existsSync(target) ? readdirSync(target) : null;
        if (existing === null || existing.length === 0) {
          if (existing !== null) rmdirSync(target);
          renameSync(work, target);
          return;
        }
        // --force into a folder with other files: results.json goes first and comes back last.
        rmSync(join(target, 'results.json'), { force: true });
        const entries = readdirSync(work).filter((e) => e !== 'results.json');
        for (const entry of [...entries, 'results.json']) {
          if (!existsSync(join(work, entry))) continue;
          rmSync(join(target, entry), { recursive: true, force: true });
          renameSync(join(work, entry), join(target, entry));
        }
        rmSync(work, { recursive: true, force: true });
      } finally {
        release();
      }
    },
    abandon(): void {
      rmSync(work, { recursive: true, force: true });
      release();
    },
  };
}
