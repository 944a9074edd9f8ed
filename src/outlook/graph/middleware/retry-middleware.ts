// Retries 429/503/504 after Retry-After, or with exponential backoff + jitter when the header cannot
// be read (browsers: research/graph-contacts.md §6). Our own instead of the SDK's RetryHandler so
// the wait is injectable (tests, cancellation) and bounded by the caller's maxRetries. A dropped
// connection is retried for GET only: re-sending a $batch of creates could duplicate contacts,
// which the engine instead resolves by stamp (R13).
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { RETRYABLE_STATUSES, parseRetryAfter, retryDelayMs } from "../retry-delay";
import type { ThrottleGate } from "../throttle-gate";
import { requestMethod, setRequestHeader } from "./headers";

/**
 * Set on a request that must not be repeated when its outcome is unknown (a $batch of creates): a
 * 504 then goes back to the caller, which looks up what landed first (research/graph-checks.md row 8).
 */
export class NoBlindRetryOption {}

export interface RetryPolicy {
  maxRetries: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Shared by every request of the transport: a Retry-After holds them all (throttle-gate.ts). */
  gate?: ThrottleGate;
}

export class RetryMiddleware implements Middleware {
  private next?: Middleware;
  retries = 0;
  constructor(private readonly policy: RetryPolicy) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("RetryMiddleware needs a next middleware");
    const signal = context.options?.signal ?? undefined;
    for (let attempt = 1; ; attempt++) {
      await this.policy.gate?.pass(signal);
      let failure: unknown;
      try {
        await this.next.execute(context);
      } catch (err) {
        failure = err;
      }
      if (failure !== undefined) {
        if (signal?.aborted || requestMethod(context) !== "GET" || attempt > this.policy.maxRetries) throw failure;
        await this.wait(retryDelayMs(undefined, attempt, this.policy.random), signal);
        setRequestHeader(context, "Retry-Attempt", String(attempt));
        continue;
      }
      const response = context.response;
      if (!response || !RETRYABLE_STATUSES.has(response.status) || attempt > this.policy.maxRetries) return;
      if (response.status === 504 && context.middlewareControl?.getMiddlewareOptions(NoBlindRetryOption)) return;
      const gate = this.policy.gate;
      const asked = gate ? parseRetryAfter(response.headers.get("Retry-After"), Date.now(), Number.POSITIVE_INFINITY) : undefined;
      if (gate && asked !== undefined) {
        // The service said when: every request of the transport waits until then (the gate, at the top
        // of the next attempt). A wait beyond the gate's bound is not believed: the answer goes back.
        if (!gate.hold(asked)) return;
        this.retries++;
      } else await this.wait(retryDelayMs(response.headers.get("Retry-After"), attempt, this.policy.random), signal);
      setRequestHeader(context, "Retry-Attempt", String(attempt));
    }
  }

  private async wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    this.retries++;
    await this.policy.sleep(ms, signal);
  }
}
