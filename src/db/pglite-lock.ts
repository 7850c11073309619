import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { HeraldError } from '../domain/errors.ts';

export interface FileLock {
  release(): void;
}

/** Lock files this process holds: a lock naming our own pid but absent here is from an earlier
 * process that had the same pid (a restarted container's pid 1), so it is stale. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PGlite is a single-process database: two processes opening one data folder corrupt it. The lock
 * file holds the owner's pid; a lock left by a dead process is taken over.
 * `shownDir` is the data folder as the user configured it, for the error message.
 */
export function lockPgliteDir(lockPath: string, shownDir: string): FileLock {
  const key = resolve(lockPath);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = readPid(lockPath);
      if (heldHere.has(key)) {
        throw new HeraldError('DB_LOCKED', `embedded database ${shownDir} is already open in this process; share one Database instead of opening it twice`);
      }
      if (pid !== undefined && pid !== process.pid && alive(pid)) {
        throw new HeraldError(
          'DB_LOCKED',
          `embedded database ${shownDir} is in use by another Herald process (pid ${pid})` +
            `; PGlite serves one process at a time: run serve and worker together with "herald demo"` +
            `, or set DATABASE_URL to a PostgreSQL database`,
        );
      }
      // Stale (dead owner) or half-written by a process that died between create and write.
      try {
        unlinkSync(lockPath);
      } catch {
        /* another process took it over first */
      }
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    heldHere.add(key);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      heldHere.delete(key);
      process.off('exit', release);
      if (readPid(lockPath) === process.pid) {
        try {
          unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      }
    };
    process.on('exit', release);
    return { release };
  }
  throw new HeraldError('DB_LOCKED', `could not take the lock ${lockPath} for the embedded database ${shownDir}`, { retryable: true });
}
