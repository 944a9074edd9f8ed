// The client against the real server: the PracticeStore port's behaviour, batching, idempotency,
// the change feed (and 410 → CursorExpiredError), leases, filters, and real 429s with Retry-After.
import { createPracticeClient, PracticeApiError, type PracticeClient } from "../../src/practice-api/client";
import { matchesFilter } from "../../src/sync/filters";
import { CursorExpiredError, StoreUnavailableError } from "../../src/sync/ports";
import { startTestServer, type TestServer } from "./helpers";

let t: TestServer;
let now = Date.parse("2026-11-25T07:00:00Z");
let client: PracticeClient;

const make = (token: () => Promise<string>, extra: Partial<Parameters<typeof createPracticeClient>[0]> = {}) =>
  createPracticeClient({ baseUrl: t.url, getToken: token, sleep: async () => undefined, ...extra });

beforeAll(async () => {
  t = await startTestServer({ now: () => now, tombstoneRetentionMs: 60_000 });
  client = make(() => t.token());
});
afterAll(() => t.close());

test("firmId comes from /me and is fetched once", async () => {
  const before = client.stats().requests;
  expect(await client.firmId()).toBe("firm-demo");
  expect(await client.firmId()).toBe("firm-demo");
  expect((await client.me()).staff.id).toBe("staff-anna");
  expect(client.stats().requests - before).toBe(1);
});

test("listContacts pages through everything and returns a change cursor taken first", async () => {
  const paged = make(() => t.token(), { pageSize: 150 });
  const progress: number[] = [];
  const snap = await paged.listContacts(null, { onProgress: (d) => progress.push(d) });
  expect(snap.contacts.length).toBeGreaterThanOrEqual(400);
  expect(new Set(snap.contacts.map((c) => c.id)).size).toBe(snap.contacts.length);
  expect(paged.stats().requests).toBe(Math.ceil(snap.contacts.length / 150));
  expect(progress[progress.length - 1]).toBe(snap.contacts.length);
  const c = snap.contacts.find((x) => x.kind === "client")!;
  expect(c.attributes.clientCode).toMatch(/^C\d+$/);
  expect(c.fields).not.toHaveProperty("clientCode");
  expect(typeof snap.cursor).toBe("string");
});

test("listContacts by filter equals the engine's matchesFilter; getFilter maps the filter", async () => {
  const all = await client.listContacts(null);
  const filter = await client.getFilter("filter-demo-1");
  expect(filter).toMatchObject({ id: "filter-demo-1", name: "Anna – my clients", ownerId: "staff-anna" });
  const scoped = await client.listContacts("filter-demo-1");
  expect(scoped.contacts.map((c) => c.id).sort()).toEqual(all.contacts.filter((c) => matchesFilter(filter, c)).map((c) => c.id).sort());
  expect(await client.getFilter("no-such-filter")).toBeNull();
});

test("createContacts: batches of 100, one result per item, idempotent on replay", async () => {
  const items = Array.from({ length: 230 }, (_, i) => ({
    key: `client-test-create-${i}`,
    kind: "standalone" as const,
    fields: { givenName: `Bätch ${i}`, emailAddresses: [{ address: `b${i}@example.com` }], businessAddress: { street: "Line 1\nLine 2", city: "Zürich" } },
  }));
  const fresh = make(() => t.token());
  const results = await fresh.createContacts(items);
  expect(fresh.stats().requests).toBe(3);
  expect(results).toHaveLength(230);
  expect(results.every((r) => r.ok)).toBe(true);
  const first = results[7];
  if (!first.ok) throw new Error("unreachable");
  // Sent without a display name, the contact shows the one built from its name parts (as Outlook does).
  expect(first.value.fields).toEqual({ ...items[7].fields, displayName: "Bätch 7" });
  expect(first.value.kind).toBe("standalone");
  const replay = await fresh.createContacts(items.slice(0, 10));
  expect(replay.map((r) => r.ok && r.value.id)).toEqual(results.slice(0, 10).map((r) => r.ok && r.value.id));
  const all = await client.listContacts(null);
  expect(all.contacts.filter((c) => c.fields.givenName === "Bätch 7")).toHaveLength(1);
});

test("a built display name follows the name parts; a typed one is kept", async () => {
  const [built, typed] = await client.createContacts([
    { key: "built-name-1", kind: "standalone", fields: { givenName: "Cy", surname: "Built" } },
    { key: "typed-name-1", kind: "standalone", fields: { givenName: "Ty", surname: "Typed", displayName: "Mx Typed" } },
  ]);
  if (!built.ok || !typed.ok) throw new Error("create failed");
  expect(built.value.fields.displayName).toBe("Cy Built");
  const [b2, t2] = await client.updateContacts([
    { id: built.value.id, version: built.value.version, patch: { givenName: "Ann" } },
    { id: typed.value.id, version: typed.value.version, patch: { givenName: "Tess" } },
  ]);
  if (!b2.ok || !t2.ok) throw new Error("update failed");
  expect(b2.value.fields.displayName).toBe("Ann Built");
  expect(t2.value.fields.displayName).toBe("Mx Typed");
  const [t3] = await client.updateContacts([{ id: typed.value.id, version: t2.value.version, patch: { displayName: null } }]);
  if (!t3.ok) throw new Error("update failed");
  expect(t3.value.fields.displayName).toBe("Tess Typed");
});

test("updateContacts: ok, stale version → conflict, unknown → not_found, in request order", async () => {
  const [a, b] = (await client.createContacts([
    { key: "upd-a", kind: "standalone", fields: { displayName: "Upd A", jobTitle: "Clerk" } },
    { key: "upd-b", kind: "client", fields: { displayName: "Upd B" } },
  ])).map((r) => (r.ok ? r.value : null))!;
  const results = await client.updateContacts([
    { id: a!.id, version: a!.version, patch: { jobTitle: "Manager", displayName: null } },
    { id: b!.id, version: "1", patch: { jobTitle: "x" } },
    { id: "no-such-contact", version: "1", patch: { jobTitle: "x" } },
  ]);
  expect(results[0]).toMatchObject({ ok: true, value: { id: a!.id, fields: { jobTitle: "Manager" } } });
  expect(results[0].ok && results[0].value.fields.displayName).toBeUndefined();
  expect(results[1]).toEqual({ ok: false, error: expect.objectContaining({ code: "conflict", retryable: false }) });
  expect(results[2]).toEqual({ ok: false, error: expect.objectContaining({ code: "not_found" }) });
});

test("deleteContacts: standalone ok, client forbidden, stale conflict", async () => {
  const made = await client.createContacts([
    { key: "del-a", kind: "standalone", fields: { displayName: "Del A" } },
    { key: "del-b", kind: "client", fields: { displayName: "Del B" } },
    { key: "del-c", kind: "standalone", fields: { displayName: "Del C" } },
  ]);
  const [a, b, c] = made.map((r) => (r.ok ? r.value : null));
  const results = await client.deleteContacts([
    { id: a!.id, version: a!.version },
    { id: b!.id, version: b!.version },
    { id: c!.id, version: "1" },
  ]);
  expect(results[0]).toEqual({ ok: true, value: null });
  expect(results[1]).toMatchObject({ ok: false, error: { code: "forbidden" } });
  expect(results[2]).toMatchObject({ ok: false, error: { code: "conflict" } });
  expect((await client.getContacts([a!.id, b!.id, c!.id])).map((x) => x.id).sort()).toEqual([b!.id, c!.id].sort());
});

test("getContacts chunks ids by 100 and omits unknown ones", async () => {
  const all = (await client.listContacts(null)).contacts.slice(0, 150);
  const fresh = make(() => t.token());
  const got = await fresh.getContacts([...all.map((c) => c.id), "ghost"]);
  expect(got.map((c) => c.id)).toEqual(all.map((c) => c.id));
  expect(fresh.stats().requests).toBe(2);
});

test("changesSince: upserts and deletions since the cursor, then nothing", async () => {
  const { cursor } = await client.listContacts("filter-demo-1");
  const [x] = await client.createContacts([{ key: "feed-x", kind: "standalone", fields: { displayName: "Feed X" } }]);
  if (!x.ok) throw new Error("create failed");
  await client.updateContacts([{ id: x.value.id, version: x.value.version, patch: { displayName: "Feed X2" } }]);
  const [y] = await client.createContacts([{ key: "feed-y", kind: "standalone", fields: { displayName: "Feed Y" } }]);
  if (!y.ok) throw new Error("create failed");
  await client.deleteContacts([{ id: y.value.id, version: y.value.version }]);
  const ch = await client.changesSince(cursor);
  expect(ch.upserts.map((c) => c.fields.displayName)).toEqual(["Feed X2"]);
  expect(ch.deleted).toEqual([y.value.id]);
  const again = await client.changesSince(ch.cursor);
  expect(again).toEqual({ upserts: [], deleted: [], cursor: ch.cursor });
});

test("an expired change cursor throws CursorExpiredError", async () => {
  const { cursor } = await client.listContacts("filter-demo-1");
  const [z] = await client.createContacts([{ key: "feed-z", kind: "standalone", fields: { displayName: "Feed Z" } }]);
  if (!z.ok) throw new Error("create failed");
  await client.deleteContacts([{ id: z.value.id, version: z.value.version }]);
  now += 120_000;
  await expect(client.changesSince(cursor)).rejects.toBeInstanceOf(CursorExpiredError);
});

test("leases: acquire, second holder refused naming the holder, renew, get, release", async () => {
  const jorg = make(() => t.token("staff-jorg"));
  const key = "shared@demo-practice.example/AAMkAGI2=";
  expect(await client.getLease(key)).toBeNull();
  const lease = await client.acquireLease(key, 60);
  expect(lease.holder).toEqual({ staffId: "staff-anna", name: "Anna Lindqvist" });
  const refused = await jorg.acquireLease(key, 60).catch((e) => e);
  expect(refused).toBeInstanceOf(PracticeApiError);
  expect(refused.code).toBe("lease-held");
  expect(refused.status).toBe(409);
  expect(refused.problem.holder.name).toBe("Anna Lindqvist");
  const renewed = await client.renewLease(key, 90);
  expect(Date.parse(renewed.expiresAt)).toBe(now + 90_000);
  expect((await jorg.getLease(key))!.holder.staffId).toBe("staff-anna");
  await client.releaseLease(key);
  expect(await client.getLease(key)).toBeNull();
});

test("filters through the client; an invalid one is a PracticeApiError with its errors", async () => {
  const f = await client.createFilter({ name: "Anna – Zürich", match: "all", criteria: [{ field: "businessAddress.city", method: "equals", values: ["Zürich"] }] });
  expect((await client.listFilters()).map((x) => x.id)).toContain(f.id);
  const u = await client.updateFilter(f.id, { name: "Anna – Zürich only", match: "all", criteria: f.criteria });
  expect(u.name).toBe("Anna – Zürich only");
  await client.deleteFilter(f.id);
  expect(await client.getFilter(f.id)).toBeNull();
  const bad = await client.createFilter({ name: "bad", match: "all", criteria: [{ field: "nope", method: "equals", values: ["x"] }] }).catch((e) => e);
  expect(bad).toBeInstanceOf(PracticeApiError);
  expect(bad.code).toBe("invalid-filter");
  expect(bad.problem.errors[0].path).toBe("criteria/0/field");
});

test("terminology, staff and filter fields", async () => {
  expect((await client.terminology()).defaults.client.plural).toBe("Clients");
  expect((await client.staff()).map((s) => s.id)).toContain("staff-kenji");
  expect((await client.filterFields()).find((f) => f.name === "birthday")!.type).toBe("date");
});

test("a read-only token: writes fail per item as forbidden, reads work", async () => {
  const ro = make(() => t.token("staff-zoe", "Practice.Read"));
  const results = await ro.createContacts([{ key: "ro-1", kind: "standalone", fields: { displayName: "RO" } }]);
  expect(results).toEqual([{ ok: false, error: expect.objectContaining({ code: "forbidden", retryable: false }) }]);
  expect((await ro.listContacts("filter-demo-1")).contacts.length).toBeGreaterThan(0);
});

test("real rate limiting: 429s are retried after Retry-After, then reported as unavailable", async () => {
  const limited = await startTestServer({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
  try {
    const token = await limited.token();
    const waits: number[] = [];
    const c = createPracticeClient({ baseUrl: limited.url, getToken: async () => token, maxRetries: 2, sleep: async (ms) => void waits.push(ms) });
    await c.terminology();
    await c.staff();
    await c.filterFields();
    const err = await c.listFilters().catch((e) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err.status).toBe(429);
    expect(waits).toHaveLength(2);
    expect(waits.every((w) => w > 0 && w <= 60_000)).toBe(true);
    expect(c.stats().requests).toBe(6);
    expect(String(err.message)).not.toContain(token);
    // Batch writes report the throttling per item, retryable.
    const w = await c.createContacts([{ key: "rl-1", kind: "standalone", fields: { displayName: "RL" } }]);
    expect(w).toEqual([{ ok: false, error: expect.objectContaining({ code: "throttled", retryable: true }) }]);
  } finally {
    await limited.close();
  }
});

test("a 429 followed by success: the caller sees only the success", async () => {
  let calls = 0;
  const flaky = async (req: Request) => {
    calls++;
    if (calls <= 2) return new Response(JSON.stringify({ type: "urn:practice-api:problem:rate-limited", title: "x", status: 429 }), { status: 429, headers: { "retry-after": "3", "content-type": "application/problem+json" } });
    return fetch(req);
  };
  const waits: number[] = [];
  const c = make(() => t.token(), { fetch: flaky, sleep: async (ms) => void waits.push(ms) });
  expect((await c.staff()).length).toBe(5);
  expect(waits).toEqual([3000, 3000]);
  expect(c.stats().requests).toBe(3);
});
