// Bad input: each case gets a 4xx problem (checked against the contract), writes nothing, and the
// server keeps serving. Text that merely looks like SQL or script is data, stored verbatim.
import { startTestServer, type TestServer } from "./helpers";

let t: TestServer;
let contactId: string;
let contactVersion: string;

beforeAll(async () => {
  t = await startTestServer();
  const c = (await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: "Target" } })).body;
  contactId = c.id;
  contactVersion = c.version;
});
afterAll(() => t.close());

/** Everything a bad request could have written. */
async function snapshot(): Promise<string> {
  const feed = await t.call("GET", "/contacts?limit=1");
  const filters = await t.call("GET", "/filters");
  const terms = await t.call("GET", "/terminology");
  const lease = await t.call("GET", "/sync-leases/bad-input-folder");
  return JSON.stringify([feed.body.changeCursor, filters.body, terms.body, lease.status]);
}

interface Case {
  name: string;
  method: string;
  path: string | (() => string);
  body?: unknown;
  raw?: string;
  headers?: Record<string, string> | (() => Record<string, string>);
  status: number | number[];
  type?: string;
}

const MB = 1024 * 1024;
const contact = (extra: Record<string, unknown>) => ({ kind: "standalone", displayName: "X", ...extra });
const filter = (extra: Record<string, unknown>) => ({ name: "F", match: "all", criteria: [{ field: "office", method: "equals", values: ["x"] }], ...extra });
const crit = (c: Record<string, unknown>) => filter({ criteria: [c] });
const ifMatch = () => ({ "if-match": `"${contactVersion}"` });
const target = () => `/contacts/${contactId}`;

const CASES: Case[] = [
  // contact create: wrong types and shapes
  { name: "givenName is a number", method: "POST", path: "/contacts", body: contact({ givenName: 42 }), status: 400, type: "invalid-request" },
  { name: "kind missing", method: "POST", path: "/contacts", body: { displayName: "X" }, status: 400 },
  { name: "kind not a kind", method: "POST", path: "/contacts", body: contact({ kind: "prospect" }), status: 400 },
  { name: "unknown field", method: "POST", path: "/contacts", body: contact({ favouriteColour: "blue" }), status: 400 },
  { name: "id in a create", method: "POST", path: "/contacts", body: contact({ id: "mine" }), status: 400 },
  { name: "version in a create", method: "POST", path: "/contacts", body: contact({ version: "7" }), status: 400 },
  { name: "emailAddresses is a string", method: "POST", path: "/contacts", body: contact({ emailAddresses: "a@b.example" }), status: 400 },
  { name: "email without address", method: "POST", path: "/contacts", body: contact({ emailAddresses: [{ name: "A" }] }), status: 400 },
  { name: "email with an extra key", method: "POST", path: "/contacts", body: contact({ emailAddresses: [{ address: "a@b.example", type: "work" }] }), status: 400 },
  { name: "21 email addresses", method: "POST", path: "/contacts", body: contact({ emailAddresses: Array.from({ length: 21 }, (_, i) => ({ address: `a${i}@b.example` })) }), status: 400 },
  { name: "phones are numbers", method: "POST", path: "/contacts", body: contact({ businessPhones: [1234] }), status: 400 },
  { name: "address is a string", method: "POST", path: "/contacts", body: contact({ businessAddress: "1 Main St" }), status: 400 },
  { name: "address with an unknown part", method: "POST", path: "/contacts", body: contact({ businessAddress: { zip: "12345" } }), status: 400 },
  { name: "birthday 30 February", method: "POST", path: "/contacts", body: contact({ birthday: "2023-02-30" }), status: 400 },
  { name: "birthday in words", method: "POST", path: "/contacts", body: contact({ birthday: "yesterday" }), status: 400 },
  { name: "birthday without padding", method: "POST", path: "/contacts", body: contact({ birthday: "1980-1-5" }), status: 400 },
  { name: "birthday as a date-time string with garbage", method: "POST", path: "/contacts", body: contact({ birthday: "1980-01-05T25:61:00Z" }), status: 400 },
  { name: "a 1 MB string", method: "POST", path: "/contacts", body: contact({ givenName: "x".repeat(MB) }), status: [400, 413] },
  { name: "notes over 32 KB", method: "POST", path: "/contacts", body: contact({ personalNotes: "n".repeat(40_000) }), status: 400 },
  { name: "a 10 MB body", method: "POST", path: "/contacts", raw: JSON.stringify(contact({ personalNotes: "n".repeat(10 * MB) })), status: 413, type: "payload-too-large" },
  { name: "a 10 MB batch", method: "POST", path: "/contacts/batch", raw: JSON.stringify({ items: [{ op: "create", contact: contact({ personalNotes: "n".repeat(10 * MB) }) }] }), status: 413 },
  { name: "invalid JSON (truncated)", method: "POST", path: "/contacts", raw: '{"kind":"standalone",', status: 400, type: "invalid-json" },
  { name: "invalid JSON (trailing comma)", method: "POST", path: "/contacts", raw: '{"kind":"standalone",}', status: 400, type: "invalid-json" },
  { name: "invalid JSON (single quotes)", method: "POST", path: "/contacts", raw: "{'kind':'standalone'}", status: 400, type: "invalid-json" },
  { name: "empty JSON body", method: "POST", path: "/contacts", raw: "", headers: { "content-type": "application/json" }, status: 400 },
  { name: "body is an array", method: "POST", path: "/contacts", body: [contact({})], status: 400 },
  { name: "body is null", method: "POST", path: "/contacts", raw: "null", status: 400 },
  { name: "deeply nested JSON", method: "POST", path: "/contacts", raw: "[".repeat(5000) + "]".repeat(5000), status: 400 },
  { name: "prototype pollution", method: "POST", path: "/contacts", raw: '{"kind":"standalone","__proto__":{"admin":true}}', status: 400 },
  { name: "text/plain body", method: "POST", path: "/contacts", raw: "kind=standalone", headers: { "content-type": "text/plain" }, status: 415, type: "unsupported-media-type" },
  { name: "XML body", method: "POST", path: "/contacts", raw: "<contact/>", headers: { "content-type": "application/xml" }, status: 415 },
  { name: "script as kind", method: "POST", path: "/contacts", body: contact({ kind: "<script>alert(1)</script>" }), status: 400 },
  { name: "script as a field name", method: "POST", path: "/contacts", body: contact({ "<img src=x onerror=alert(1)>": "x" }), status: 400 },
  { name: "SQL as a field name", method: "POST", path: "/contacts", body: contact({ "givenName = 'x'; DROP TABLE contacts; --": "x" }), status: 400 },
  { name: "Idempotency-Key of 300 characters", method: "POST", path: "/contacts", body: contact({}), headers: { "idempotency-key": "k".repeat(300) }, status: 400 },
  // contact patch
  { name: "patch changes kind", method: "PATCH", path: target, body: { kind: "client" }, headers: ifMatch, status: 400 },
  { name: "patch sets id", method: "PATCH", path: target, body: { id: "other" }, headers: ifMatch, status: 400 },
  { name: "patch with an invalid birthday", method: "PATCH", path: target, body: { birthday: "2024-13-01" }, headers: ifMatch, status: 400 },
  { name: "patch givenName is an object", method: "PATCH", path: target, body: { givenName: { first: "A" } }, headers: ifMatch, status: 400 },
  { name: "patch without a body", method: "PATCH", path: target, raw: "", headers: () => ({ ...ifMatch(), "content-type": "application/json" }), status: 400 },
  { name: "patch of an SQL-like id", method: "PATCH", path: "/contacts/1'%20OR%20'1'%3D'1", body: { surname: "x" }, headers: ifMatch, status: 404 },
  { name: "delete of an SQL-like id", method: "DELETE", path: "/contacts/x'%3B%20DELETE%20FROM%20contacts%3B--", status: 404 },
  // listing and feed parameters
  { name: "limit 0", method: "GET", path: "/contacts?limit=0", status: 400 },
  { name: "limit not a number", method: "GET", path: "/contacts?limit=abc", status: 400 },
  { name: "limit too large", method: "GET", path: "/contacts?limit=5000", status: 400 },
  { name: "unknown query parameter", method: "GET", path: "/contacts?sort=name", status: 400 },
  { name: "SQL-like filterId", method: "GET", path: "/contacts?filterId=%27%20OR%201%3D1%20--", status: 404 },
  { name: "forged page cursor", method: "GET", path: "/contacts?cursor=JyBPUiAxPTEgLS0", status: 400, type: "invalid-cursor" },
  { name: "101 ids", method: "GET", path: "/contacts?ids=" + Array.from({ length: 101 }, (_, i) => `id${i}`).join(","), status: 400 },
  { name: "ids with filterId", method: "GET", path: "/contacts?ids=a&filterId=b", status: 400 },
  { name: "SQL-like change cursor", method: "GET", path: "/contacts/changes?cursor=1%3B%20DROP%20TABLE%20contacts", status: 400 },
  { name: "negative feed limit", method: "GET", path: "/contacts/changes?limit=-1", status: 400 },
  // filters
  { name: "filter on an unknown field", method: "POST", path: "/filters", body: crit({ field: "password", method: "equals", values: ["x"] }), status: 422, type: "invalid-filter" },
  { name: "filter with an unknown method", method: "POST", path: "/filters", body: crit({ field: "office", method: "regex", values: [".*"] }), status: 400 },
  { name: "filter range reversed", method: "POST", path: "/filters", body: crit({ field: "surname", method: "range", values: ["Z", "A"] }), status: 422 },
  { name: "filter with an empty name", method: "POST", path: "/filters", body: filter({ name: "" }), status: 400 },
  { name: "filter with a blank name", method: "POST", path: "/filters", body: filter({ name: "   " }), status: 422 },
  { name: "filter without criteria", method: "POST", path: "/filters", body: filter({ criteria: [] }), status: 400 },
  { name: "filter with an invalid date", method: "POST", path: "/filters", body: crit({ field: "birthday", method: "equals", values: ["2023-02-30"] }), status: 422 },
  { name: "filter values are numbers", method: "POST", path: "/filters", body: crit({ field: "office", method: "list", values: [1, 2] }), status: 400 },
  { name: "filter with 51 criteria", method: "POST", path: "/filters", body: filter({ criteria: Array.from({ length: 51 }, () => ({ field: "office", method: "isBlank" })) }), status: 400 },
  { name: "filter 'equals' with two values", method: "POST", path: "/filters", body: crit({ field: "office", method: "equals", values: ["a", "b"] }), status: 422 },
  { name: "filter enum value not an option", method: "POST", path: "/filters", body: crit({ field: "kind", method: "equals", values: ["prospect"] }), status: 422 },
  { name: "filter with a script name over 100 chars", method: "POST", path: "/filters", body: filter({ name: "<script>" + "x".repeat(100) + "</script>" }), status: 400 },
  // batch envelope
  { name: "batch items not an array", method: "POST", path: "/contacts/batch", body: { items: { op: "create" } }, status: 400 },
  { name: "batch with no items", method: "POST", path: "/contacts/batch", body: { items: [] }, status: 400 },
  { name: "batch with an extra key", method: "POST", path: "/contacts/batch", body: { items: [{ op: "delete", id: "x" }], atomic: true }, status: 400 },
  // leases, terminology, dev tokens
  { name: "lease with ttl 0", method: "POST", path: "/sync-leases", body: { folderKey: "bad-input-folder", ttlSeconds: 0 }, status: 400 },
  { name: "lease without a folder key", method: "POST", path: "/sync-leases", body: { ttlSeconds: 60 }, status: 400 },
  { name: "lease with a 600-char folder key", method: "POST", path: "/sync-leases", body: { folderKey: "f".repeat(600) }, status: 400 },
  { name: "lease ttl as a string", method: "POST", path: "/sync-leases", body: { folderKey: "bad-input-folder", ttlSeconds: "60" }, status: 400 },
  { name: "terminology without a plural", method: "PUT", path: "/terminology", body: { client: { singular: "C" }, contact: { singular: "C", plural: "Cs" }, standalone: { singular: "S", plural: "Ss" } }, status: 400 },
  { name: "terminology with blank words", method: "PUT", path: "/terminology", body: { client: { singular: "  ", plural: "  " }, contact: { singular: "C", plural: "Cs" }, standalone: { singular: "S", plural: "Ss" } }, status: 400 },
  { name: "dev token with an unknown scope", method: "POST", path: "/dev/token", body: { scope: "Practice.Admin" }, status: 400 },
];

test("the table has at least 40 cases", () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
});

test.each(CASES.map((c) => [c.name, c] as const))("%s → 4xx problem, no write, still serving", async (_name, c) => {
  const before = await snapshot();
  const headers = typeof c.headers === "function" ? c.headers() : c.headers;
  const path = typeof c.path === "function" ? c.path() : c.path;
  const r = await t.call(c.method, path, { body: c.body, raw: c.raw, headers });
  const expected = Array.isArray(c.status) ? c.status : [c.status];
  expect(expected).toContain(r.status);
  expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  if (c.type) expect(r.body.type).toBe(`urn:practice-api:problem:${c.type}`);
  expect(await snapshot()).toBe(before);
  expect((await t.call("GET", "/me")).status).toBe(200);
});

test("text that looks like SQL or script is valid data: stored verbatim, returned as JSON", async () => {
  const nasty = {
    kind: "standalone",
    givenName: "Robert'); DROP TABLE contacts;--",
    surname: "<script>alert('x')</script>",
    personalNotes: "1' OR '1'='1\n\"; SELECT * FROM staff; --",
  };
  const r = await t.call("POST", "/contacts", { body: nasty });
  expect(r.status).toBe(201);
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  const back = await t.call("GET", `/contacts/${r.body.id}`);
  expect(back.body).toMatchObject(nasty);
  expect((await t.call("GET", "/contacts?limit=1000")).body.items.length).toBeGreaterThan(400);
});
