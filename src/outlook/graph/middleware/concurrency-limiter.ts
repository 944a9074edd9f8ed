// At most N requests in flight per mailbox: Outlook's limit is 4 concurrent requests per app and
// mailbox, beyond which it answers 429 (research/graph-contacts.md §6). It sits inside the retry
// middleware so a request waiting out a Retry-After does not hold a slot.
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  peak = 0;
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`maxConcurrency must be a positive integer, got ${limit}`);
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      // the slot was handed over by release(): active is unchanged
    }
    this.peak = Math.max(this.peak, this.active);
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
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
    await this.semaphore.acquire();
    try {
      await this.next.execute(context);
    } finally {
      this.semaphore.release();
    }
  }
}
