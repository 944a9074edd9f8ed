// Test helpers: a server on 127.0.0.1 (random port), tokens per staff member, and `call()`, which sends a
// real HTTP request and checks the answer against the contract before returning it.
import { SignJWT, generateKeyPair } from "jose";
import { startPracticeServer, type PracticeServer, type PracticeServerOptions } from "../../src/practice-api/server";
import { checkAgainstContract } from "./contract-check";

export interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface TestServer {
  server: PracticeServer;
  url: string;
  token(staffId?: string, scope?: string): Promise<string>;
  call(method: string, path: string, opts?: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<Answer>;
  close(): Promise<void>;
}

export const OTHER_FIRM = {
  id: "firm-other",
  name: "Other & Co",
  staff: [{ id: "staff-other-admin", name: "Olga Other", email: "olga@other.example", oid: "oid-other-admin", role: "admin" as const, initials: "OO" }],
  contacts: [
    { kind: "standalone" as const, fields: { displayName: "Other firm's contact", givenName: "Hidden" }, attributes: {} },
    { kind: "client" as const, fields: { displayName: "Other firm's client" }, attributes: { status: "active" } },
  ],
};

export async function startTestServer(opts: PracticeServerOptions = {}): Promise<TestServer> {
  const server = await startPracticeServer({ seed: "demo", devAuth: true, rateLimit: false, ...opts });
  const tokens = new Map<string, string>();
  async function call(
    method: string,
    path: string,
    o: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token === undefined ? await get() : o.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
    const res = await fetch(server.url + "/api/v1" + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    checkAgainstContract(method, "/api/v1" + path, res.status, res.headers.get("content-type"), parsed);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
  async function get(staffId = "", scope = ""): Promise<string> {
    const key = `${staffId}|${scope}`;
    let t = tokens.get(key);
    if (!t) {
      const res = await call("POST", "/dev/token", { token: null, body: { ...(staffId ? { staffId } : {}), ...(scope ? { scope } : {}) } });
      if (res.status !== 200) throw new Error(`dev token: ${res.status} ${res.text}`);
      t = res.body.access_token as string;
      tokens.set(key, t);
    }
    return t;
  }
  return { server, url: server.url, token: get, call, close: () => server.close() };
}

/** A token signed by a key the server does not trust, with otherwise plausible claims. */
export async function forgedToken(claims: Record<string, unknown>, opts: { iss: string; aud: string; exp?: number }): Promise<string> {
  const { privateKey } = await generateKeyPair("ES256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: "forged" })
    .setIssuer(opts.iss)
    .setAudience(opts.aud)
    .setIssuedAt(now)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(privateKey);
}
