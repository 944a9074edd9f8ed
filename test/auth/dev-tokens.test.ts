// Local mode's token provider against real HTTP servers on 127.0.0.1 standing in for the two dev issuers.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAuth } from "../../src/auth";
import { devTokenUrls, emulatorBase, readTokenResponse } from "../../src/auth/dev-tokens";

interface Issued {
  path: string;
  body: unknown;
}

async function startIssuers(respond: (path: string, count: number) => { status: number; body: unknown }) {
  const issued: Issued[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      issued.push({ path: req.url ?? "", body: raw ? JSON.parse(raw) : null });
      const { status, body } = respond(req.url ?? "", issued.length);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, issued, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("development tokens", () => {
  it("derives both token endpoints from config.json's URLs", () => {
    expect(emulatorBase("http://127.0.0.1:3000/graph/v1.0")).toBe("http://127.0.0.1:3000/graph");
    expect(emulatorBase("https://127.0.0.1:4200/v1.0/")).toBe("https://127.0.0.1:4200");
    expect(devTokenUrls("http://h/practice/", "http://h/graph/v1.0")).toEqual({
      practice: "http://h/practice/api/v1/dev/token",
      graph: "http://h/graph/dev/token",
    });
  });

  it("signs in with the demo user at both local servers and caches the tokens in memory", async () => {
    const issuers = await startIssuers((path) => ({
      status: 200,
      body: { access_token: path.startsWith("/practice") ? "practice-token" : "graph-token", expires_in: 3600 },
    }));
    try {
      const auth = createAuth({ mode: "local", practiceApiUrl: `${issuers.base}/practice`, graphUrl: `${issuers.base}/graph/v1.0` });
      expect(auth.accountName()).toBe("anna@harbour.example");
      await auth.signIn();
      expect(auth.accountName()).toBe("anna@harbour.example");
      expect(await auth.getPracticeToken()).toBe("practice-token");
      expect(await auth.getGraphToken()).toBe("graph-token");
      expect(await auth.getGraphToken({ shared: true })).toBe("graph-token");
      expect(issuers.issued.map((i) => i.path).sort()).toEqual(["/graph/dev/token", "/practice/api/v1/dev/token"]);
      const byPath = Object.fromEntries(issuers.issued.map((i) => [i.path, i.body]));
      expect(byPath["/graph/dev/token"]).toEqual({ upn: "anna@harbour.example" });
      expect(byPath["/practice/api/v1/dev/token"]).toEqual({});
    } finally {
      await issuers.close();
    }
  });

  it("asks once for concurrent requests and again after the token expires", async () => {
    let now = 1_000_000;
    const issuers = await startIssuers((_p, n) => ({ status: 200, body: { token: `t${n}`, expiresIn: 120 } }));
    try {
      const auth = createAuth(
        { mode: "local", practiceApiUrl: issuers.base, graphUrl: `${issuers.base}/v1.0` },
        { devUpn: "ben@harbour.example" },
      );
      // createAuth does not take a clock; use the provider directly for the expiry half.
      const [a, b] = await Promise.all([auth.getGraphToken(), auth.getGraphToken()]);
      expect(a).toBe(b);
      expect(issuers.issued).toHaveLength(1);
      expect((issuers.issued[0].body as { upn: string }).upn).toBe("ben@harbour.example");

      const { createDevTokenProvider } = await import("../../src/auth/dev-tokens");
      const clocked = createDevTokenProvider({ practiceApiUrl: issuers.base, graphUrl: issuers.base, upn: "x@y", now: () => now });
      const first = await clocked.getPracticeToken();
      now += 30_000;
      expect(await clocked.getPracticeToken()).toBe(first);
      now += 60_000; // within a minute of expiry: refresh early
      expect(await clocked.getPracticeToken()).not.toBe(first);
    } finally {
      await issuers.close();
    }
  });

  it("explains a refused token without losing the cause", async () => {
    const issuers = await startIssuers(() => ({ status: 404, body: { title: "Not Found" } }));
    try {
      const auth = createAuth({ mode: "local", practiceApiUrl: issuers.base, graphUrl: issuers.base });
      await expect(auth.getPracticeToken()).rejects.toThrow(/practice server refused a development token.*HTTP 404.*development auth/);
      await expect(auth.getGraphToken()).rejects.toThrow(/mailbox emulator refused/);
    } finally {
      await issuers.close();
    }
  });

  it("says which server could not be reached", async () => {
    const auth = createAuth({ mode: "local", practiceApiUrl: "http://127.0.0.1:9/p", graphUrl: "http://127.0.0.1:9/g" });
    await expect(auth.getGraphToken()).rejects.toThrow(/Could not reach the mailbox emulator/);
  });

  it("reads the usual token response shapes", () => {
    expect(readTokenResponse({ access_token: "a", expires_in: 10 }, 0)).toEqual({ token: "a", expiresOn: 10_000 });
    expect(readTokenResponse({ token: "b", expiresAt: "1970-01-01T00:00:20Z" }, 0)).toEqual({ token: "b", expiresOn: 20_000 });
    expect(readTokenResponse({ accessToken: "c", expiresOn: 30 }, 0)).toEqual({ token: "c", expiresOn: 30_000 });
    expect(readTokenResponse({ token: "d" }, 0).expiresOn).toBe(300_000);
    expect(() => readTokenResponse({ nothing: 1 }, 0)).toThrow(/no token/);
  });
});
