// --state FILE: the whole state as JSON, loaded at start and written atomically (temp file in the
// same directory, fsync, rename) shortly after each change, and on close.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import type { EmulatorState } from "./state-types";

export function loadState(file: string): EmulatorState | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`The state file ${file} is not valid JSON (${(err as Error).message}); move it away or fix it.`, { cause: err });
  }
  const state = parsed as Partial<EmulatorState>;
  if (state.version !== 1 || typeof state.secret !== "string" || typeof state.mailboxes !== "object" || !Array.isArray(state.grants)) {
    throw new Error(`The state file ${file} is not a mailbox emulator state (version 1).`);
  }
  return state as EmulatorState;
}

export function saveStateAtomically(file: string, state: EmulatorState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Coalesces writes: at most one save per `delayMs`, and a final flush. */
export class StateWriter {
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly file: string,
    private readonly current: () => EmulatorState,
    private readonly delayMs = 500,
  ) {}

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.delayMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    try {
      saveStateAtomically(this.file, this.current());
    } catch (err) {
      console.error(`mailbox-emulator: could not write ${this.file}:`, (err as Error).message);
    }
  }
}
