// Findings 3, 4, 11 (and the practice server's part of 5) of the security review, over real HTTP: budgets are counted before authentication
// (per client address) and, once authenticated, per staff member whatever the token's encoding; a body
// that nests deep or holds a huge number of values is refused before it is parsed; bodies report their
// first error only; logs carry route patterns, not paths with contact ids or mailbox addresses.
import { performance } from "node:perf_hooks";
import { JSON_MAX_DEPTH, JSON_MAX_VALUES } from "../../src/practice-api/server/json-body";
import { startTestServer } from "../practice-api/helpers";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The same token with its signature spelled differently (unused low bits of the last character). */
function reencodings(token: string): string[] {
  const [h, p, s] = token.split(".");
  const bytes = Buffer.from(s, "base64url");
  const last = B64URL.indexOf(s[s.length - 1]);
  const out: string[] = [];
  for (let k = 1; k < 16; k++) {
    const alt = s.slice(0, -1) + B64URL[last ^ k];
    if (alt !== s && Buffer.from(alt, "base64url").equals(bytes)) out.push(`${h}.${p}.${alt}`);
  }
  return out;
}

describe("rate limits (finding 3)", () => {
  test("sixty bad tokens from one address meet 429s after the failed-authentication budget (20)", async () => {
    const t = await startTestServer({ rateLimit: { max: 20, timeWindowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await t.call("GET", "/me", { token: `bad.token.${i}` })).status);
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
      const limited = await t.call("GET", "/me", { token: "bad.token.x" });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  test("requests without any token also count against the address, before authentication", async () => {
    const t = await startTestServer({ rateLimit: { max: 5, timeWindowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      // 4 × max per address; nothing here authenticates, so no verification runs for them.
      for (let i = 0; i < 25; i++) statuses.push((await t.call("GET", "/openapi.json", { token: null })).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    } finally {
      await t.close();
    }
  });

  test("the authenticated budget is the staff member's: re-encoded signatures of a limited token are limited too", async () => {
    const t = await startTestServer({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const anna = await t.token();
      for (let i = 0; i < 3; i++) expect((await t.call("GET", "/me", { token: anna })).status).toBe(200);
      expect((await t.call("GET", "/me", { token: anna })).status).toBe(429);
      const variants = reencodings(anna);
      expect(variants.length).toBeGreaterThanOrEqual(3);
      for (const v of variants.slice(0, 3)) expect((await t.call("GET", "/me", { token: v })).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe("JSON bodies (finding 4)", () => {
  test("a 4-million-deep array is refused by its depth, quickly", async () => {
    const t = await startTestServer();
    try {
      const deep = "[".repeat(4_000_000) + "]".repeat(4_000_000);
      const start = performance.now();
      const r = await t.call("POST", "/contacts/batch", { raw: deep });
      const ms = performance.now() - start;
      console.log(`4,000,000-deep array (8 MB) to POST /contacts/batch: ${r.status} in ${ms.toFixed(0)} ms`);
      expect(r.status).toBe(400);
      expect(r.body.detail).toBe(`The body nests deeper than ${JSON_MAX_DEPTH} levels.`);
      expect((await t.call("GET", "/me")).status).toBe(200);
    } finally {
      await t.close();
    }
  }, 60_000);

  test("580,000 properties are refused by their number; 30,000 unknown ones give one error, not a list", async () => {
    const t = await startTestServer();
    try {
      const wide = `{"items":[{${Array.from({ length: 580_000 }, (_, i) => `"k${i}":0`).join(",")}}]}`;
      const start = performance.now();
      const r = await t.call("POST", "/contacts/batch", { raw: wide });
      console.log(`580,000 properties (${(wide.length / 1e6).toFixed(1)} MB) to POST /contacts/batch: ${r.status} in ${(performance.now() - start).toFixed(0)} ms`);
      expect(r.status).toBe(400);
      expect(r.body.detail).toBe(`The body holds more than ${JSON_MAX_VALUES} values.`);

      const unknown = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, 0]));
      const one = await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: "X", ...unknown } });
      expect(one.status).toBe(400);
      expect(one.body.errors).toHaveLength(1);
    } finally {
      await t.close();
    }
  }, 60_000);
});

test("CORS answers another origin with no Access-Control header at all, the pane's origin in full (finding 5)", async () => {
  const t = await startTestServer();
  try {
    const preflight = (origin: string) =>
      fetch(`${t.url}/api/v1/contacts`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" } });
    const evil = await preflight("https://evil.example");
    expect([...evil.headers.keys()].filter((k) => k.startsWith("access-control-"))).toEqual([]);
    const pane = await preflight("http://127.0.0.1:3000");
    expect(pane.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3000");
    expect(pane.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  } finally {
    await t.close();
  }
});

test("logs carry route patterns, never contact ids or the mailbox in a lease key (finding 11)", async () => {
  const lines: string[] = [];
  const t = await startTestServer({ logger: true, logStream: { write: (l: string) => void lines.push(l) } });
  try {
    const created = await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: "Logged" } });
    await t.call("GET", `/contacts/${created.body.id}`);
    const folderKey = "contacts@harbour.example/AAMkAGI2";
    expect((await t.call("POST", "/sync-leases", { body: { folderKey, ttlSeconds: 60 } })).status).toBe(200);
    await t.call("GET", `/sync-leases/${encodeURIComponent(folderKey)}`);
    await t.call("DELETE", `/sync-leases/${encodeURIComponent(folderKey)}`);
    const all = lines.join("\n");
    expect(all).toContain('"route":"/api/v1/contacts/:contactId"');
    expect(all).toContain('"route":"/api/v1/sync-leases/:folderKey"');
    expect(all).not.toContain(created.body.id);
    expect(all).not.toMatch(/harbour|AAMkAGI2/);
  } finally {
    await t.close();
  }
});
