// How long to wait before retrying a throttled or unavailable request (research/graph-contacts.md §6).

/** Statuses Graph asks to retry: 429 throttled, 503 unavailable, 504 gateway timeout (§6, §10). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;
/**
 * The SDK caps Retry-After waits at 180 s (§10); so do we where nothing else bounds the wait. A 429's
 * Retry-After read by the transport is bounded by its throttle gate instead (maxWaitMs): Outlook's budget
 * window is 10 minutes, and retrying early only spends it (throttle-gate.ts).
 */
export const RETRY_AFTER_CAP_MS = 180_000;

/**
 * Retry-After as milliseconds (at most capMs): seconds or an HTTP date (§6). Undefined when absent or
 * unreadable, e.g. in a browser where Graph does not expose the header through CORS (§6 "Browser/add-in caveat").
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
  capMs: number = RETRY_AFTER_CAP_MS,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const s = value.trim();
  if (s === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.min(Number(s) * 1000, capMs);
  const date = Date.parse(s);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), capMs);
}

/**
 * The wait before retry number `attempt` (1-based): the server's Retry-After when readable, else
 * exponential backoff with "equal jitter" (half fixed, half random) so that clients throttled
 * together do not come back together.
 */
export function retryDelayMs(retryAfter: string | null | undefined, attempt: number, random: () => number = Math.random): number {
  const fromServer = parseRetryAfter(retryAfter);
  if (fromServer !== undefined) return fromServer;
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** setTimeout-based sleep that stops early (rejecting) when the signal aborts. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
