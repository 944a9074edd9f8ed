// Waiting out Outlook's request limits as one client (research/graph-contacts.md §6): 10,000 requests
// per 10 minutes per app and mailbox, batch items counted, and throttled requests still count. So when
// one request is told to wait (429 with Retry-After), every request of this transport waits until then:
// one sent early would only be refused and spend the next window's budget.
//
// How a long wait is told from a failing service: Graph's guidance is to wait the Retry-After it gives
// and try again (§6, "Wait the given seconds, retry, and repeat while still 429"), and its budget window
// is 10 minutes, so any Retry-After up to `maxWaitMs` (that window and a margin by default) is waited out
// in full, however long; a longer one is not believed and the request fails as throttled. What tells a
// failing service is that nothing gets through after the wait: retries stay bounded by rounds without
// progress (maxRetries, retry-middleware.ts and batch-runner.ts), so every long wait must be followed
// by progress and a sync that needs several windows goes on by itself.

/** The longest Retry-After waited out: Outlook's 10-minute window and a margin. */
export const DEFAULT_MAX_WAIT_MS = 15 * 60_000;

/** Waits from this long on are announced to listeners (SyncProgress "waiting"). */
export const NOTICE_MS = 1000;

export interface ThrottleGateOptions {
  maxWaitMs?: number;
  now?: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class ThrottleGate {
  readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Nothing is sent before this time (epoch ms). */
  private until = 0;
  /** The resume time listeners were last told. */
  private announced = 0;
  private readonly listeners = new Set<(resumeAt: string) => void>();

  constructor(opts: ThrottleGateOptions) {
    const max = opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    if (!(max >= 0)) throw new RangeError(`maxWaitMs must be >= 0, got ${max}`);
    this.maxWaitMs = max;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep;
  }

  /**
   * Closes the gate for `retryAfterMs` (a Retry-After the service sent). False, and the gate left as it
   * is, when the wait is longer than maxWaitMs: the caller then gives up on the request.
   */
  hold(retryAfterMs: number): boolean {
    if (retryAfterMs > this.maxWaitMs) return false;
    const resume = this.now() + retryAfterMs;
    if (resume > this.until) this.until = resume;
    // Short pauses (a concurrency 429 says 1 s) are not worth telling a user about.
    if (retryAfterMs >= NOTICE_MS && this.until > this.announced) {
      this.announced = this.until;
      const at = new Date(this.until).toISOString();
      for (const l of this.listeners) l(at);
    }
    return true;
  }

  /** Resolves when requests may be sent again (at once when the gate is open). */
  async pass(signal?: AbortSignal): Promise<void> {
    const wait = this.until - this.now();
    if (wait <= 0) return;
    await this.sleep(wait, signal);
  }

  /** Tells `listener` each new resume time while the returned function has not been called. */
  listen(listener: ((resumeAt: string) => void) | undefined): () => void {
    if (!listener) return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
