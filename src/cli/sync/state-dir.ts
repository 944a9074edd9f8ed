// The state directory of one sync configuration: the SQLite cache (links, cursors, journal, history)
// and a lock file so two processes never run on the same state at once. A lock left by a killed
// process (its pid is gone) is taken over: the journal makes that safe (R13).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { CliError, EXIT, usageError } from "./exit-codes";
import { SqliteSyncCache, StateFileError } from "./sqlite-cache";

export const STATE_FILE = "contact-sync.db";
const LOCK_FILE = "contact-sync.lock";

export interface OpenState {
  cache: SqliteSyncCache;
  close(): void;
}

/** Opens (creating if asked) the state in `dir` and takes its lock. */
export function openStateDir(dir: string, opts: { create: boolean; lock: boolean }): OpenState {
  const file = path.join(dir, STATE_FILE);
  if (!opts.create && !existsSync(file)) {
    throw usageError(`There is no sync state in ${dir} (no ${STATE_FILE}); run "contact-sync sync --state ${dir} ..." first.`);
  }
  try {
    // 0700: the state holds contact data and must not be readable by other users of the machine.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw usageError(`Cannot create the state directory ${dir}: ${(err as Error).message}`);
  }
  const unlock = opts.lock ? takeLock(path.join(dir, LOCK_FILE)) : () => {};
  let cache: SqliteSyncCache;
  try {
    cache = new SqliteSyncCache(file);
  } catch (err) {
    unlock();
    if (err instanceof StateFileError) throw usageError(err.message);
    throw err;
  }
  return {
    cache,
    close() {
      cache.close();
      unlock();
    },
  };
}

function takeLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw usageError(`Cannot lock the state directory (${lockPath}): ${(err as Error).message}`);
      }
      const holder = Number(readFileSafe(lockPath));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new CliError(EXIT.usage, `Another contact-sync (pid ${holder}) is running with this state directory; wait for it to finish.`);
      }
      // Stale: its process is gone (killed or crashed). Remove it and try once more.
      try {
        unlinkSync(lockPath);
      } catch {
        // a competitor removed it first; the retry decides
      }
    }
  }
  throw new CliError(EXIT.usage, "Another contact-sync took the state directory's lock at the same moment; try again.");
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
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
