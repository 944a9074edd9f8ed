// At most N concurrent requests per mailbox: Outlook's limit is 4 per app and mailbox, beyond which
// it answers 429 (research/graph-contacts.md §6). A $batch counts as what Outlook runs at once: its
// items 4 at a time when unordered, one at a time when chained with dependsOn (§5), so a request
// states its weight with a ConcurrencyWeight option. The limiter sits inside the retry middleware so
// a request waiting out a Retry-After does not hold a slot.
import type { Context, Middleware, MiddlewareOptions } from "@microsoft/microsoft-graph-client";

/** How many of the mailbox's concurrency slots a request occupies while in flight (default 1). */
export class ConcurrencyWeight implements MiddlewareOptions {
  constructor(readonly slots: number) {}
}

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ n: number; wake: () => void }> = [];
  peak = 0;
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`maxConcurrency must be a positive integer, got ${limit}`);
  }

  /** Takes n slots (at most the limit), waiting in FIFO order until they are free. */
  async acquire(wanted: number): Promise<number> {
    const n = Math.max(1, Math.min(this.limit, Math.floor(wanted)));
    if (this.waiting.length === 0 && this.active + n <= this.limit) {
      this.active += n;
    } else {
      await new Promise<void>((wake) => this.waiting.push({ n, wake }));
    }
    this.peak = Math.max(this.peak, this.active);
    return n;
  }

  release(n: number): void {
    this.active -= n;
    while (this.waiting.length && this.active + this.waiting[0].n <= this.limit) {
      const next = this.waiting.shift()!;
      this.active += next.n;
      next.wake();
    }
  }
}

export class ConcurrencyLimitMiddleware implements Middleware {
  private next?: Middleware;
  constructor(readonly semaphore: Semaphore) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("ConcurrencyLimitMiddleware needs a next middleware");
    const weight = context.middlewareControl?.getMiddlewareOptions(ConcurrencyWeight) as ConcurrencyWeight | undefined;
    const held = await this.semaphore.acquire(weight?.slots ?? 1);
    try {
      await this.next.execute(context);
    } finally {
      this.semaphore.release(held);
    }
  }
}
