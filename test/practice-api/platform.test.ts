// What surrounds the routes: CORS for the pane's origins, rate limiting (429 + Retry-After as a
// problem), logs without tokens or contact data, a file database that survives a restart without
// being seeded twice, and the practice-server command with a clean shutdown.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "../../src/practice-api/server/db";
import { startTestServer } from "./helpers";

test("CORS: the pane's origins are allowed with the headers the client needs; others are not", async () => {
  const t = await startTestServer({ corsOrigins: ["https://localhost:3000"] });
  try {
    const pre = await fetch(`${t.url}/api/v1/contacts`, {
      method: "OPTIONS",
      headers: { origin: "https://localhost:3000", "access-control-request-method": "PATCH", "access-control-request-headers": "authorization,if-match,content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://localhost:3000");
    expect(pre.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("if-match");
    const got = await fetch(`${t.url}/api/v1/staff`, { headers: { origin: "https://localhost:3000", authorization: `Bearer ${await t.token()}` } });
    expect(got.headers.get("access-control-expose-headers")).toContain("ETag");
    // The pane reads the listing's next page from Link (it asks for it before reading the body).
    expect(got.headers.get("access-control-expose-headers")).toContain("Link");
    const evil = await fetch(`${t.url}/api/v1/contacts`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  } finally {
    await t.close();
  }
});

test("rate limiting answers 429 with Retry-After as a problem, per token", async () => {
  const t = await startTestServer({ rateLimit: { max: 2, timeWindowMs: 60_000 } });
  try {
    const anna = await t.token();
    expect((await t.call("GET", "/staff", { token: anna })).status).toBe(200);
    expect((await t.call("GET", "/staff", { token: anna })).status).toBe(200);
    const limited = await t.call("GET", "/staff", { token: anna });
    expect(limited.status).toBe(429);
    expect(limited.body.type).toBe("urn:practice-api:problem:rate-limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another staff member's token has its own budget.
    expect((await t.call("GET", "/staff", { token: await t.token("staff-zoe") })).status).toBe(200);
  } finally {
    await t.close();
  }
});

test("logs name method, route pattern and status, never the path, the token or contact data", async () => {
  const lines: string[] = [];
  const t = await startTestServer({ logger: true, logStream: { write: (l: string) => void lines.push(l) } });
  try {
    const token = await t.token();
    await t.call("POST", "/contacts", { token, body: { kind: "standalone", givenName: "Geheimnis", emailAddresses: [{ address: "private@secret.example" }] } });
    await t.call("GET", "/contacts?filterId=filter-demo-1&limit=5", { token });
    await t.call("POST", "/contacts", { token, raw: '{"givenName": "Broken' });
    const all = lines.join("\n");
    expect(all).toContain('"method":"POST"');
    expect(all).toContain('"route":"/api/v1/contacts"');
    expect(all).toContain('"statusCode":201');
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split(".")[2]);
    expect(all).not.toMatch(/Geheimnis|private@secret|Broken|filter-demo-1/);
  } finally {
    await t.close();
  }
});

describe("file database", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "practice-db-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("WAL, migrations recorded, data kept across restarts, the demo seeded only once", async () => {
    const file = path.join(dir, "nested", "practice.db");
    const a = await startTestServer({ db: file });
    const made = await a.call("POST", "/contacts", { body: { kind: "standalone", displayName: "Survivor" } });
    const count = (await a.call("GET", "/contacts?limit=1000")).body.items.length;
    await a.close();
    const b = await startTestServer({ db: file });
    try {
      expect((await b.call("GET", `/contacts/${made.body.id}`)).body.displayName).toBe("Survivor");
      expect((await b.call("GET", "/contacts?limit=1000")).body.items.length).toBe(count);
    } finally {
      await b.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBeGreaterThanOrEqual(1);
    db.close();
  });
});

test("a database from schema version 1 is migrated: stored contacts get their API JSON", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "practice-mig-"));
  try {
    const file = path.join(dir, "old.db");
    const old = new Database(file);
    migrate(old, 1);
    old.prepare("INSERT INTO firms (id, name, last_seq) VALUES ('f1', 'Old firm', 1)").run();
    old.prepare("INSERT INTO staff (id, firm_id, name, email, oid, role, initials) VALUES ('s1', 'f1', 'Ola', 'ola@old.example', 'oid-ola', 'admin', 'O')").run();
    old
      .prepare("INSERT INTO contacts (id, firm_id, kind, fields, attributes, updated_at, seq) VALUES ('c1', 'f1', 'client', ?, ?, '2025-01-01T00:00:00.000Z', 1)")
      .run(JSON.stringify({ displayName: "Old contact", emailAddresses: [{ address: "old@old.example" }] }), JSON.stringify({ clientCode: "C1" }));
    old.close();
    const t = await startTestServer({ db: file, seed: "demo" });
    try {
      const token = await t.token("s1");
      expect((await t.call("GET", "/contacts/c1", { token })).body).toEqual({
        id: "c1", kind: "client", displayName: "Old contact", emailAddresses: [{ address: "old@old.example" }], clientCode: "C1", updatedAt: "2025-01-01T00:00:00.000Z", version: "1",
      });
      expect((await t.call("GET", "/contacts?limit=10", { token })).body.items.map((c: { id: string }) => c.id)).toEqual(["c1"]);
    } finally {
      await t.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("practice-server: starts from the command line, serves, and shuts down cleanly on SIGTERM", async () => {
  const root = path.resolve(__dirname, "../..");
  const child = spawn(process.execPath, [path.join(root, "bin/practice-server.js"), "--port", "0", "--db", ":memory:", "--seed", "demo", "--dev-auth", "--quiet"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(out);
        if (m) resolve(m[1]);
      });
      child.stderr.on("data", (d) => (out += d));
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 25_000);
    }).finally(() => clearTimeout(timer));
    const tok = await (await fetch(`${url}/api/v1/dev/token`, { method: "POST" })).json();
    const me = await (await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${tok.access_token}` } })).json();
    expect(me.firm.id).toBe("firm-demo");
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});

test("practice-server refuses to start without an auth mode", async () => {
  const root = path.resolve(__dirname, "../..");
  const child = spawn(process.execPath, [path.join(root, "bin/practice-server.js"), "--port", "0", "--db", ":memory:"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  expect(code).toBe(2);
  expect(err).toMatch(/--dev-auth/);
});
