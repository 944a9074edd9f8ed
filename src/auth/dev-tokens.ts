// Local mode: tokens come from the local servers' development issuers instead of Entra ID.
//   practice server: POST {practiceApiUrl}/api/v1/dev/token {} → a token for the firm's first admin
//   mailbox emulator: POST {emulator base}/dev/token {"upn"} → a token for that mailbox's owner
// (the demo user is both).
// They are kept in memory only (MemoryTokenCache).
import { MemoryTokenCache } from "./memory-token-cache";
import type { TokenProvider } from "./token-provider";

export interface DevTokenOptions {
  practiceApiUrl: string;
  graphUrl: string;
  /** The demo user: the emulator's seeded mailbox owner and the practice firm's first admin. */
  upn: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export const DEV_DEFAULT_UPN = "anna@harbour.example";
/** When a dev issuer does not say how long its token lives, assume this and fetch again after it. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;

/** The emulator serves Graph under /v1.0 (and /beta); its dev endpoints sit at the base above that. */
export function emulatorBase(graphUrl: string): string {
  return graphUrl.replace(/\/+$/, "").replace(/\/(v1\.0|beta)$/i, "");
}

export function devTokenUrls(practiceApiUrl: string, graphUrl: string): { practice: string; graph: string } {
  return {
    practice: `${practiceApiUrl.replace(/\/+$/, "")}/api/v1/dev/token`,
    graph: `${emulatorBase(graphUrl)}/dev/token`,
  };
}

/** Reads the common token response shapes ({access_token, expires_in} or {token, expiresAt}). */
export function readTokenResponse(body: unknown, now: number): { token: string; expiresOn: number } {
  const b = (body ?? {}) as Record<string, unknown>;
  const token = [b.access_token, b.accessToken, b.token].find((t): t is string => typeof t === "string" && t.length > 0);
  if (!token) throw new Error("the development token endpoint returned no token");
  const expiresIn = [b.expires_in, b.expiresIn].find((v): v is number => typeof v === "number" && v > 0);
  const expiresAt = [b.expiresOn, b.expiresAt, b.expires_at].find((v) => typeof v === "number" || typeof v === "string");
  let expiresOn = now + DEFAULT_LIFETIME_MS;
  if (expiresIn !== undefined) expiresOn = now + expiresIn * 1000;
  else if (typeof expiresAt === "number") expiresOn = expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
  else if (typeof expiresAt === "string" && !Number.isNaN(Date.parse(expiresAt))) expiresOn = Date.parse(expiresAt);
  return { token, expiresOn };
}

export function createDevTokenProvider(options: DevTokenOptions): TokenProvider {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const cache = new MemoryTokenCache(now);
  const urls = devTokenUrls(options.practiceApiUrl, options.graphUrl);
  const inFlight = new Map<string, Promise<string>>();

  const fetchToken = (which: "practice" | "graph"): Promise<string> => {
    const cached = cache.get(which);
    if (cached) return Promise.resolve(cached);
    const pending = inFlight.get(which);
    if (pending) return pending;
    const request = (async () => {
      const label = which === "practice" ? "practice server" : "mailbox emulator";
      let res: Response;
      try {
        res = await fetchImpl(urls[which], {
          method: "POST",
          headers: { "content-type": "application/json" },
          // The practice server's request schema admits no user name: it issues for its first admin.
          body: JSON.stringify(which === "graph" ? { upn: options.upn } : {}),
        });
      } catch (error) {
        throw new Error(`Could not reach the ${label} for a development token: ${(error as Error).message}`, { cause: error });
      }
      if (!res.ok) {
        throw new Error(`The ${label} refused a development token for ${options.upn} (HTTP ${res.status}). Is it running with development auth?`);
      }
      const { token, expiresOn } = readTokenResponse(await res.json().catch(() => null), now());
      cache.set(which, token, expiresOn);
      return token;
    })().finally(() => inFlight.delete(which));
    inFlight.set(which, request);
    return request;
  };

  return {
    async signIn() {
      await Promise.all([fetchToken("practice"), fetchToken("graph")]);
    },
    // The emulator has no separate shared-mailbox consent: one token reaches every mailbox it hosts.
    getGraphToken: () => fetchToken("graph"),
    getPracticeToken: () => fetchToken("practice"),
    // Local mode has one fixed user and nothing to sign in to: name it from the start, as MSAL would
    // once its cache holds an account.
    accountName: () => options.upn,
  };
}
