// The state directory's lock: one contact-sync per state at a time. The lock file is created with
// O_EXCL and holds its owner's pid. A lock whose owner is gone is taken over under a second, short-lived
// guard file, so two processes that both find the same stale lock cannot both remove it: without the
// guard, the slower one would delete the lock the faster one had just taken, and both would run.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { CliError, EXIT, usageError } from "./exit-codes";

/** A guard older than this was left by a process that died within its takeover (microseconds). */
const GUARD_STALE_MS = 10_000;
/** A lock file without a pid after this long was left by a process that died while creating it. */
const EMPTY_LOCK_STALE_MS = 2_000;

export function takeLock(lockPath: string): () => void {
  const guardPath = `${lockPath}.takeover`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createWithPid(lockPath)) return releaser(lockPath);
    const holder = readPid(lockPath);
    if (holder !== null && holder !== process.pid && isAlive(holder)) {
      throw new CliError(EXIT.usage, `Another contact-sync (pid ${holder}) is running with this state directory; wait for it to finish.`);
    }
    // A lock with no pid yet may be one being written this very moment: stale only once it is old.
    if (holder === null && !olderThan(lockPath, EMPTY_LOCK_STALE_MS)) {
      sleep(20);
      continue;
    }
    // Stale (its process is gone): take it over, one process at a time.
    if (!createWithPid(guardPath)) {
      removeIfStale(guardPath);
      sleep(20);
      continue;
    }
    try {
      // Under the guard the lock can only change by being created anew (O_EXCL, so not while it exists):
      // what we read now is what we remove.
      const again = readPid(lockPath);
      if (again === holder && (again === null ? olderThan(lockPath, EMPTY_LOCK_STALE_MS) : !isAlive(again))) {
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      }
    } finally {
      try {
        unlinkSync(guardPath);
      } catch {
        // removed as stale by another process
      }
    }
  }
  throw new CliError(EXIT.usage, "Another contact-sync kept the state directory's lock busy; try again.");
}

function createWithPid(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw usageError(`Cannot lock the state directory (${file}): ${(err as Error).message}`);
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  return true;
}

function releaser(lockPath: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // Only our own lock: never one a later process took over after ours was judged stale.
    if (readPid(lockPath) !== process.pid) return;
    try {
      unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
}

function readPid(file: string): number | null {
  try {
    const n = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

function removeIfStale(guardPath: string): void {
  if (!olderThan(guardPath, GUARD_STALE_MS)) return;
  try {
    unlinkSync(guardPath);
  } catch {
    // gone already
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
