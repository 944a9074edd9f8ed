// The state directory of one sync configuration: the SQLite cache (links, cursors, journal, history)
// and a lock file so two processes never run on the same state at once. A lock left by a killed
// process (its pid is gone) is taken over (state-lock.ts): the journal makes that safe (R13).
// The state holds contact data: the directory is the user's alone (0700) and its files 0600, also when
// the directory was made beforehand by someone or something else.
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { usageError } from "./exit-codes";
import { SqliteSyncCache, StateFileError } from "./sqlite-cache";
import { takeLock } from "./state-lock";

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
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw usageError(`Cannot create the state directory ${dir}: ${(err as Error).message}`);
  }
  keepPrivate(dir);
  const unlock = opts.lock ? takeLock(path.join(dir, LOCK_FILE)) : () => {};
  let cache: SqliteSyncCache;
  try {
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
    if (opts.create && !existsSync(file)) closeSync(openSync(file, "a", 0o600));
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

/**
 * Makes `dir` 0700 and its files 0600 when group or others could reach them; refuses a directory that
 * belongs to another user (its owner could read or swap the state whatever its mode).
 */
function keepPrivate(dir: string): void {
  const st = statSync(dir);
  if (!st.isDirectory()) throw usageError(`The state directory ${dir} is not a directory.`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw usageError(`The state directory ${dir} belongs to another user (uid ${st.uid}); use a directory of your own.`);
  try {
    if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) {
      const f = path.join(dir, name);
      const fst = lstatSync(f);
      if (fst.isFile() && (fst.mode & 0o077) !== 0) chmodSync(f, fst.mode & 0o700);
    }
  } catch (err) {
    throw usageError(`Cannot make the state directory ${dir} private (0700): ${(err as Error).message}`);
  }
}
