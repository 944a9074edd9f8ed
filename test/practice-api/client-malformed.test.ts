// The client against a tiny fake server that answers wrongly: every unexpected answer throws
// MalformedResponseError (or StoreUnavailableError for 5xx and network failures), nothing partial is
// returned, and no further write is sent after a malformed batch answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPracticeClient } from "../../src/practice-api/client";
import { MalformedResponseError, StoreUnavailableError } from "../../src/sync/ports";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let url: string;
let handler: Handler;
let seen: { method: string; path: string; auth?: string }[];
const TOKEN = "secret-token-value-123";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, path: req.url!, auth: req.headers.authorization });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  seen = [];
});

const json = (res: ServerResponse, status: number, body: unknown, type = "application/json") => {
  res.writeHead(status, { "content-type": type });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};
const client = () => createPracticeClient({ baseUrl: url, getToken: async () => TOKEN, sleep: async () => undefined, maxRetries: 2 });
const contact = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: "standalone", updatedAt: "2026-11-25T07:00:00.000Z", version: "3", displayName: id, ...extra });

async function expectMalformed(p: Promise<unknown>): Promise<MalformedResponseError> {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(MalformedResponseError);
  expect(err.side).toBe("practice");
  expect(String(err.message)).not.toContain(TOKEN);
  return err;
}

test("the token goes only in the Authorization header, under /api/v1", async () => {
  handler = (_q, _b, res) => json(res, 200, { staff: { id: "s", name: "S", email: "e", role: "admin", initials: "S" }, firm: { id: "f1", name: "F" }, scopes: [] });
  expect(await client().firmId()).toBe("f1");
  expect(seen[0]).toEqual({ method: "GET", path: "/api/v1/me", auth: `Bearer ${TOKEN}` });
});

test("/me without a firm id", async () => {
  handler = (_q, _b, res) => json(res, 200, { staff: { id: "s" }, firm: {} });
  await expectMalformed(client().firmId());
});

test("a listing that is not JSON", async () => {
  handler = (_q, _b, res) => json(res, 200, "<html>proxy error</html>");
  await expectMalformed(client().listContacts(null));
});

test("a contact without a version", async () => {
  handler = (_q, _b, res) => json(res, 200, { items: [{ id: "a", kind: "standalone", updatedAt: "2026-01-01T00:00:00Z" }], nextCursor: null, changeCursor: "c" });
  await expectMalformed(client().listContacts(null));
});

test("a contact with a wrong kind or a field of the wrong type", async () => {
  handler = (_q, _b, res) => json(res, 200, { items: [contact("a", { kind: "vendor" })], nextCursor: null, changeCursor: "c" });
  await expectMalformed(client().listContacts(null));
  handler = (_q, _b, res) => json(res, 200, { items: [contact("a", { emailAddresses: "a@b.example" })], nextCursor: null, changeCursor: "c" });
  await expectMalformed(client().listContacts(null));
});

test("a first page without a change cursor", async () => {
  handler = (_q, _b, res) => json(res, 200, { items: [contact("a")], nextCursor: null });
  await expectMalformed(client().listContacts(null));
});

test("a good first page then a malformed second page: no partial snapshot", async () => {
  handler = (req, _b, res) =>
    req.url!.includes("cursor=")
      ? json(res, 200, { items: [{ id: 5 }], nextCursor: null })
      : json(res, 200, { items: [contact("a")], nextCursor: "p2", changeCursor: "c" });
  await expectMalformed(client().listContacts(null));
  expect(seen).toHaveLength(2);
});

test("a change feed entry of an unknown type", async () => {
  handler = (_q, _b, res) => json(res, 200, { changes: [{ type: "merge", id: "a" }], cursor: "c2", hasMore: false });
  await expectMalformed(client().changesSince("c1"));
});

test("a lookup returning a contact that was not asked for", async () => {
  handler = (_q, _b, res) => json(res, 200, { items: [contact("intruder")], nextCursor: null });
  await expectMalformed(client().getContacts(["a"]));
});

test("a batch answer with fewer results than items: throws, and the next chunk is never sent", async () => {
  handler = (_q, _b, res) => json(res, 200, { results: [{ status: 201, contact: contact("a") }] });
  const items = Array.from({ length: 150 }, (_, i) => ({ key: `k${i}`, kind: "standalone" as const, fields: { displayName: `n${i}` } }));
  await expectMalformed(client().createContacts(items));
  expect(seen.filter((s) => s.path === "/api/v1/contacts/batch")).toHaveLength(1);
});

test("a batch success without the contact", async () => {
  handler = (_q, _b, res) => json(res, 200, { results: [{ status: 200 }] });
  await expectMalformed(client().updateContacts([{ id: "a", version: "1", patch: { surname: "x" } }]));
});

test("a 4xx that is not a problem document", async () => {
  handler = (_q, _b, res) => json(res, 404, "Not Found", "text/plain");
  await expectMalformed(client().listFilters());
});

test("a 500 is StoreUnavailableError; a 503 is retried first", async () => {
  handler = (_q, _b, res) => json(res, 500, { oops: true });
  const e500 = await client().staff().catch((e) => e);
  expect(e500).toBeInstanceOf(StoreUnavailableError);
  expect(seen).toHaveLength(1);
  seen = [];
  handler = (_q, _b, res) => {
    res.writeHead(503, { "retry-after": "1" });
    res.end();
  };
  const e503 = await client().staff().catch((e) => e);
  expect(e503).toBeInstanceOf(StoreUnavailableError);
  expect(e503.status).toBe(503);
  expect(seen).toHaveLength(3);
});

test("a dropped connection: reads are retried; a batch write is not replayed and fails its items as unavailable", async () => {
  handler = (req) => req.socket.destroy();
  const read = await client().terminology().catch((e) => e);
  expect(read).toBeInstanceOf(StoreUnavailableError);
  expect(seen).toHaveLength(3);
  expect(String(read.message)).not.toContain(TOKEN);
  seen = [];
  const w = await client().updateContacts([{ id: "a", version: "1", patch: { surname: "x" } }]);
  expect(w).toEqual([{ ok: false, error: expect.objectContaining({ code: "unavailable", retryable: true }) }]);
  expect(seen).toHaveLength(1);
});

test("an unexpected success status for a release", async () => {
  handler = (_q, _b, res) => json(res, 200, { ok: true });
  await expectMalformed(client().releaseLease("k"));
});

test("a feed that says hasMore without moving its cursor is malformed, not an endless loop", async () => {
  handler = (_q, _b, res) => json(res, 200, { changes: [], cursor: "c1", hasMore: true });
  await expectMalformed(client().changesSince("c1"));
  expect(seen).toHaveLength(1);
});

test("cancelling during a Retry-After wait stops at once", async () => {
  handler = (_q, _b, res) => {
    res.writeHead(429, { "retry-after": "30", "content-type": "application/problem+json" });
    res.end(JSON.stringify({ type: "urn:practice-api:problem:rate-limited", title: "Too many requests", status: 429 }));
  };
  // A real sleep: only the abort can end this wait early.
  const c = createPracticeClient({ baseUrl: url, getToken: async () => TOKEN, maxRetries: 4 });
  const ac = new AbortController();
  const started = Date.now();
  const pending = c.staff({ signal: ac.signal }).catch((e) => e);
  setTimeout(() => ac.abort(), 100);
  const err = await pending;
  expect((err as Error).name).toBe("AbortError");
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(seen).toHaveLength(1);
});
