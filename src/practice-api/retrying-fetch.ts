// The client's transport: adds the bearer token to every attempt, counts requests, and retries what the
// server asked to be retried (429 and 503, after Retry-After, a bounded number of times). Network
// failures are retried only where a replay is harmless: reads and creates with an Idempotency-Key.
// The token is only ever put in the Authorization header: never in errors, never logged.

export interface RetryOptions {
  fetch: (input: Request) => Promise<Response>;
  getToken: () => Promise<string>;
  maxRetries: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  onAttempt: () => void;
}

/** Longest wait honoured from a Retry-After header; beyond that the call fails (and is retried later). */
export const MAX_RETRY_AFTER_MS = 60_000;

export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function replayable(req: Request): boolean {
  return req.method === "GET" || req.method === "HEAD" || req.headers.has("Idempotency-Key");
}

function aborted(req: Request): boolean {
  return req.signal?.aborted === true;
}

/** Waits, but gives up as soon as the request is cancelled (a sync can be cancelled at any point). */
function waitOrAbort(sleep: RetryOptions["sleep"], ms: number, req: Request): Promise<void> {
  const signal = req.signal;
  if (!signal) return sleep(ms);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException("Aborted", "AbortError"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    sleep(ms, signal).then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export function retryingFetch(opts: RetryOptions): (input: Request) => Promise<Response> {
  return async (request: Request) => {
    for (let attempt = 0; ; attempt++) {
      if (aborted(request)) throw request.signal.reason ?? new DOMException("Aborted", "AbortError");
      const req = request.clone();
      req.headers.set("Authorization", `Bearer ${await opts.getToken()}`);
      opts.onAttempt();
      let res: Response;
      try {
        res = await opts.fetch(req);
      } catch (e) {
        if (aborted(request)) throw e;
        if (attempt < opts.maxRetries && replayable(request)) {
          await waitOrAbort(opts.sleep, backoff(attempt), request);
          continue;
        }
        throw new NetworkError(`The practice API could not be reached: ${(e as Error).message ?? String(e)}`);
      }
      if ((res.status === 429 || res.status === 503) && attempt < opts.maxRetries) {
        const wait = retryAfterMs(res.headers.get("Retry-After")) ?? backoff(attempt);
        if (wait > MAX_RETRY_AFTER_MS) return res;
        await res.body?.cancel().catch(() => undefined);
        await waitOrAbort(opts.sleep, wait, request);
        continue;
      }
      return res;
    }
  };
}

function backoff(attempt: number): number {
  return Math.min(200 * 2 ** attempt, 5_000);
}
