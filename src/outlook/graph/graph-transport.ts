// One Graph client per mailbox: the SDK's Client with our own middleware chain
// (bearer auth under graphUrl → retries → at most N in flight → the injected fetch).
// research/graph-contacts.md §10 explains why the SDK's default chain does not fit.
import { Client } from "@microsoft/microsoft-graph-client";
import { BearerAuthMiddleware } from "./middleware/auth-middleware";
import { ConcurrencyLimitMiddleware, Semaphore } from "./middleware/concurrency-limiter";
import { FetchHandler } from "./middleware/fetch-handler";
import { RetryMiddleware } from "./middleware/retry-middleware";
import { defaultSleep } from "./retry-delay";
import { ThrottleGate } from "./throttle-gate";

export interface GraphTransportOptions {
  /** Graph's root with its version, e.g. https://graph.microsoft.com/v1.0 or a proxy path to the emulator. */
  graphUrl: string;
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
  maxConcurrency?: number;
  maxRetries?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /**
   * The longest Retry-After waited out (default 15 minutes: Outlook's 10-minute budget window and a
   * margin); a longer one fails the request as throttled. See throttle-gate.ts.
   */
  maxWaitMs?: number;
  /** The clock the waits are measured by. Default: the real one, or, with an injected sleep, one that sleep advances. */
  now?: () => number;
  /** Abandon a request not answered within this time (default 60 s); a GET is then retried. */
  requestTimeoutMs?: number;
  /**
   * The in-flight limiter. By default one per Graph endpoint and limit in this process, shared by every
   * transport (every mailbox): Microsoft's pages disagree on whether the 4 concurrent requests are per
   * app and mailbox or per app (research/graph-checks.md row 9), so the stricter reading holds.
   */
  semaphore?: Semaphore;
}

/** One limiter per application: this process is one app registration talking to one Graph endpoint. */
const sharedSemaphores = new Map<string, Semaphore>();

export function applicationSemaphore(graphRoot: string, limit: number): Semaphore {
  const key = `${graphRoot}\n${limit}`;
  let s = sharedSemaphores.get(key);
  if (!s) sharedSemaphores.set(key, (s = new Semaphore(limit)));
  return s;
}

export const DEFAULT_MAX_CONCURRENCY = 4;
export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface GraphTransport {
  readonly client: Client;
  /** graphUrl without a trailing slash. */
  readonly graphUrl: string;
  readonly maxConcurrency: number;
  readonly maxRetries: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  /** Every request of this transport waits here while Outlook has asked to wait (429 Retry-After). */
  readonly gate: ThrottleGate;
  /** A path relative to graphUrl ("/me/...") for an absolute link under graphUrl; null for any other link. */
  relative(link: string): string | null;
  stats(): { requests: number; retries: number; peakConcurrency: number };
}

/** Splits ".../v1.0" into the SDK's baseUrl and version. */
export function splitGraphUrl(graphUrl: string): { root: string; baseUrl: string; version: string } {
  let parsed: URL;
  try {
    parsed = new URL(graphUrl);
  } catch {
    throw new Error(`graphUrl "${graphUrl}" is not an absolute URL (expected e.g. https://graph.microsoft.com/v1.0)`);
  }
  if (parsed.search || parsed.hash) throw new Error(`graphUrl "${graphUrl}" must not carry a query or fragment`);
  const root = graphUrl.replace(/\/+$/, "");
  const cut = root.lastIndexOf("/");
  const version = root.slice(cut + 1);
  const baseUrl = root.slice(0, cut);
  if (!/^(v\d+(\.\d+)?|beta)$/.test(version) || !/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new Error(`graphUrl "${graphUrl}" must end with the API version, e.g. https://graph.microsoft.com/v1.0`);
  }
  return { root, baseUrl, version };
}

export function createGraphTransport(opts: GraphTransportOptions): GraphTransport {
  const { root, baseUrl, version } = splitGraphUrl(opts.graphUrl);
  const maxConcurrency = opts.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError(`maxRetries must be a non-negative integer, got ${maxRetries}`);
  let sleep = opts.sleep ?? defaultSleep;
  let now = opts.now ?? Date.now;
  if (opts.sleep && !opts.now) {
    // An injected sleep (tests) returns at once: time at the gate then moves by what was slept.
    const injected = opts.sleep;
    let slept = 0;
    const start = Date.now();
    now = () => start + slept;
    sleep = async (ms, signal) => {
      slept += ms;
      await injected(ms, signal);
    };
  }
  const random = opts.random ?? Math.random;
  const gate = new ThrottleGate({ maxWaitMs: opts.maxWaitMs, now, sleep });
  // A browser's fetch must be called with globalThis as `this`.
  const fetchImpl = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  const semaphore = opts.semaphore ?? applicationSemaphore(root, maxConcurrency);
  const auth = new BearerAuthMiddleware(root, opts.getToken);
  const retry = new RetryMiddleware({ maxRetries, sleep, random, gate });
  const limiter = new ConcurrencyLimitMiddleware(semaphore);
  const sender = new FetchHandler(fetchImpl as typeof fetch, opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const client = Client.initWithMiddleware({ middleware: [auth, retry, limiter, sender], baseUrl, defaultVersion: version });

  return {
    client,
    graphUrl: root,
    maxConcurrency,
    maxRetries,
    sleep,
    random,
    gate,
    relative(link: string): string | null {
      if (link.startsWith(`${root}/`)) return link.slice(root.length);
      return null;
    },
    // peakConcurrency is the application-wide peak: the limiter is shared across transports.
    stats: () => ({ requests: sender.requests, retries: retry.retries, peakConcurrency: semaphore.peak }),
  };
}

/** Path prefix of a mailbox: the signed-in user's own, or another one's by UPN (shared mailbox). */
export function mailboxPath(mailbox: string): string {
  if (mailbox === "me") return "/me";
  if (!mailbox.trim()) throw new Error("mailbox must be \"me\" or a user principal name");
  return `/users/${encodeURIComponent(mailbox)}`;
}

/** Prefer header values sent on every request (immutable ids: research/graph-contacts.md §8). */
export const PREFER_IMMUTABLE_ID = 'IdType="ImmutableId"';
