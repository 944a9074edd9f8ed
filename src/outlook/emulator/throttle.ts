// Outlook throttling per (app id, mailbox) (THR-L): 10,000 requests per 10 minutes and at most 4
// concurrent requests; excess gets 429 ApplicationThrottled with Retry-After. Throttled requests
// still count toward usage (THR).

export interface ThrottleLimits {
  /** Requests per window per (app, mailbox). */
  requests: number;
  windowMs: number;
  /** Concurrent requests per mailbox. */
  concurrency: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { requests: 10_000, windowMs: 10 * 60_000, concurrency: 4 };

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export class Throttle {
  private readonly windows = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();
  /** Highest number in flight for one mailbox since the last stats reset. */
  peakConcurrency = 0;
  /** Requests counted against a window since the last stats reset, and how many of them were refused. */
  budgetCounted = 0;
  budgetRefused = 0;

  constructor(public limits: ThrottleLimits) {}

  /** Counts one request against the (app, mailbox) window; false when the window is full. */
  count(appId: string, mailboxId: string, nowMs: number): Admission {
    const key = `${appId}\n${mailboxId}`;
    const cutoff = nowMs - this.limits.windowMs;
    let times = this.windows.get(key);
    if (!times) this.windows.set(key, (times = []));
    while (times.length > 0 && times[0]! <= cutoff) times.shift();
    times.push(nowMs);
    this.budgetCounted++;
    if (times.length > this.limits.requests) {
      this.budgetRefused++;
      const oldestInWindow = times[times.length - this.limits.requests - 1] ?? times[0]!;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldestInWindow + this.limits.windowMs - nowMs) / 1000)) };
    }
    return { ok: true };
  }

  /** Takes up to `wanted` concurrency slots on the mailbox; returns how many were granted. */
  acquire(mailboxId: string, wanted: number): number {
    const current = this.inFlight.get(mailboxId) ?? 0;
    const granted = Math.max(0, Math.min(wanted, this.limits.concurrency - current));
    if (granted > 0) {
      this.inFlight.set(mailboxId, current + granted);
      this.peakConcurrency = Math.max(this.peakConcurrency, current + granted);
    }
    return granted;
  }

  release(mailboxId: string, slots: number): void {
    if (slots <= 0) return;
    const left = (this.inFlight.get(mailboxId) ?? 0) - slots;
    if (left > 0) this.inFlight.set(mailboxId, left);
    else this.inFlight.delete(mailboxId);
  }

  inFlightFor(mailboxId: string): number {
    return this.inFlight.get(mailboxId) ?? 0;
  }

  resetStats(): void {
    this.peakConcurrency = 0;
    this.budgetCounted = 0;
    this.budgetRefused = 0;
  }

  resetAll(): void {
    this.windows.clear();
    this.resetStats();
  }
}
