// The automatic sync's schedule (R17): run, wait, run again; after failures wait longer
// (exponential backoff, capped) and return to the normal interval after a success. Timers are
// injected so tests drive it with fake time.
export interface PollingLoopOptions {
  /** One attempt; a rejection counts as a failure. */
  run(): Promise<unknown>;
  intervalMs: number;
  maxDelayMs: number;
  /** Delay before the first attempt (default: immediately). */
  firstDelayMs?: number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  onError?(err: unknown, nextDelayMs: number): void;
  onSuccess?(): void;
}

export interface PollingLoop {
  stop(): void;
  /** Consecutive failures so far. */
  failures(): number;
}

export function backoffDelay(intervalMs: number, maxDelayMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(maxDelayMs, intervalMs * 2 ** Math.min(failures, 20));
}

export function startPollingLoop(o: PollingLoopOptions): PollingLoop {
  let stopped = false;
  let failures = 0;
  let handle: unknown = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    handle = o.setTimer(tick, ms);
  };

  async function tick() {
    handle = null;
    if (stopped) return;
    try {
      await o.run();
      failures = 0;
      if (!stopped) o.onSuccess?.();
    } catch (err) {
      failures += 1;
      if (!stopped) o.onError?.(err, backoffDelay(o.intervalMs, o.maxDelayMs, failures));
    }
    schedule(backoffDelay(o.intervalMs, o.maxDelayMs, failures));
  }

  schedule(o.firstDelayMs ?? 0);
  return {
    stop() {
      stopped = true;
      if (handle !== null) o.clearTimer(handle);
      handle = null;
    },
    failures: () => failures,
  };
}
