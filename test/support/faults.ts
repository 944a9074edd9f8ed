// Injectable faults shared by the in-memory stores and cache.
// A fault is armed for an operation (or "*" for any) and fires `count` times, optionally after
// letting `after` matching operations through. Writes consume faults per item, so "crash" can
// land between any two writes of one batch.
import { StoreUnavailableError, type WriteResult } from "../../src/sync/ports";

export type FaultKind =
  /** 429 that survived the adapter's retries: the item fails, retryable; a read throws. */
  | "throttled"
  /** 503 / network failure after retries: the item fails, retryable; a read throws. */
  | "unavailable"
  /** The write takes effect but its answer is lost: the item reports failure; a read throws. */
  | "timeout-after-write"
  /** The process dies here: CrashError is thrown; what was written before stays written. */
  | "crash";

export const FAULT_KINDS: readonly FaultKind[] = ["throttled", "unavailable", "timeout-after-write", "crash"];

/** Thrown by a store or cache when an injected "crash" fires: the caller must treat it as a dead process. */
export class CrashError extends Error {
  readonly op: string;
  constructor(op: string) {
    super(`Simulated crash during ${op}.`);
    this.name = "CrashError";
    this.op = op;
  }
}

/**
 * Shared by the stores and the cache of one simulated process: once a crash fires anywhere, the
 * process is dead and every store refuses every call until revive() (a restart). Without this, an
 * engine that caught the CrashError would go on writing as if the process had survived.
 */
export class Lifeline {
  dead = false;
  /** Where the crash happened. */
  at?: string;

  kill(op: string): never {
    this.dead = true;
    this.at ??= op;
    throw new CrashError(op);
  }

  check(op: string): void {
    if (this.dead) throw new CrashError(`${op} after a crash at ${this.at}`);
  }

  revive(): void {
    this.dead = false;
    this.at = undefined;
  }
}

interface ArmedFault {
  op: string;
  fault: FaultKind;
  remaining: number;
  skip: number;
}

export interface FiredFault {
  op: string;
  fault: FaultKind;
}

export class FaultInjector {
  private armed: ArmedFault[] = [];
  /** Every fault that fired, in order (for test assertions and counterexample reports). */
  readonly fired: FiredFault[] = [];

  /**
   * Arms `fault` for `op` ("*" = any operation of this store) for `count` occurrences,
   * after letting `after` matching operations (or write items) succeed.
   */
  inject(op: string, fault: FaultKind, count = 1, after = 0): this {
    if (!Number.isInteger(count) || count < 1) throw new Error("faults.inject: count must be a positive integer.");
    if (!Number.isInteger(after) || after < 0) throw new Error("faults.inject: after must be a non-negative integer.");
    this.armed.push({ op, fault, remaining: count, skip: after });
    return this;
  }

  clear(): void {
    this.armed = [];
  }

  /** Faults still armed (not yet fired). */
  pending(): number {
    return this.armed.reduce((n, f) => n + f.remaining, 0);
  }

  /** Consumes the first armed fault matching op, if any. Every armed fault counts the operation. */
  take(op: string): FaultKind | undefined {
    let hit: FaultKind | undefined;
    for (const f of this.armed) {
      if (f.remaining === 0 || (f.op !== "*" && f.op !== op)) continue;
      if (f.skip > 0) {
        f.skip -= 1;
        continue;
      }
      if (hit === undefined) {
        hit = f.fault;
        f.remaining -= 1;
      }
    }
    this.armed = this.armed.filter((f) => f.remaining > 0);
    if (hit) this.fired.push({ op, fault: hit });
    return hit;
  }
}

/** What a read does when a fault fires: it throws (a read has no partial result). */
export function throwReadFault(side: "practice" | "outlook", op: string, fault: FaultKind, lifeline: Lifeline): never {
  if (fault === "crash") lifeline.kill(op);
  const status = fault === "throttled" ? 429 : fault === "unavailable" ? 503 : 504;
  throw new StoreUnavailableError(side, `Simulated ${fault} on ${op}.`, status);
}

/** The per-item error a failed write reports for a non-crash fault. */
export function faultWriteError(op: string, fault: Exclude<FaultKind, "crash">) {
  return {
    ok: false as const,
    error: {
      code: fault === "throttled" ? ("throttled" as const) : ("unavailable" as const),
      message:
        fault === "timeout-after-write" ? `Simulated timeout on ${op}: the outcome is unknown.` : `Simulated ${fault} on ${op}.`,
      retryable: true,
    },
  };
}

/** Counts calls per operation, as a request counter on a real server would. */
export class RequestCounter {
  private readonly byOp = new Map<string, number>();
  total = 0;

  hit(op: string): void {
    this.total += 1;
    this.byOp.set(op, (this.byOp.get(op) ?? 0) + 1);
  }

  of(op: string): number {
    return this.byOp.get(op) ?? 0;
  }

  /** Calls to any of the given operations. */
  sum(ops: readonly string[]): number {
    return ops.reduce((n, op) => n + this.of(op), 0);
  }

  reset(): void {
    this.total = 0;
    this.byOp.clear();
  }
}

/** What a faulty in-memory store is made of: its fault plan, its request counter and the shared lifeline. */
export interface FaultyPort {
  readonly faults: FaultInjector;
  readonly requests: RequestCounter;
  readonly lifeline: Lifeline;
}

/** The common start of a read: a dead process reads nothing; a planned fault fails the whole read. */
export function faultyRead(port: FaultyPort, side: "practice" | "outlook", op: string, signal?: AbortSignal): void {
  port.lifeline.check(op);
  signal?.throwIfAborted();
  port.requests.hit(op);
  const fault = port.faults.take(op);
  if (fault) throwReadFault(side, op, fault, port.lifeline);
}

/** One write call, items in order; faults are consumed per item so a crash can fall between two writes. */
export async function faultyWriteBatch<I, T>(
  port: FaultyPort,
  op: string,
  items: I[],
  opts: { signal?: AbortSignal; onProgress?: (done: number, total?: number) => void } | undefined,
  write: (item: I) => WriteResult<T>,
): Promise<WriteResult<T>[]> {
  port.lifeline.check(op);
  opts?.signal?.throwIfAborted();
  port.requests.hit(op);
  const results: WriteResult<T>[] = [];
  for (const item of items) {
    const fault = port.faults.take(op);
    if (fault === "crash") port.lifeline.kill(op);
    if (fault === "throttled" || fault === "unavailable") {
      results.push(faultWriteError(op, fault));
      continue;
    }
    const r = write(structuredClone(item));
    results.push(fault === "timeout-after-write" ? faultWriteError(op, fault) : r);
    opts?.onProgress?.(results.length, items.length);
  }
  return results;
}
