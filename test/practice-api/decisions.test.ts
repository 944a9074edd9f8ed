// Folder decisions (R2, R10) over real HTTP: the contract's GET/PATCH /sync-decisions/{folderKey}, the typed
// client's getDecisions/changeDecisions, the same set semantics as the in-memory store, privacy per staff
// member and firm, the limits, and two devices writing at once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PracticeApiError, createPracticeClient, type PracticeClient } from "../../src/practice-api/client";
import { MAX_DECISIONS_PER_REQUEST } from "../../src/practice-api/server/routes/decisions";
import { MalformedResponseError, type FolderDecision, type FolderDecisionsChange } from "../../src/sync/ports";
import { MemoryPracticeStore } from "../support";
import { OTHER_FIRM, startTestServer, type TestServer } from "./helpers";

const PER_FOLDER = 2500;
let t: TestServer;
let anna: PracticeClient;

const clientFor = (staffId: string, scope?: string) =>
  createPracticeClient({ baseUrl: t.url, getToken: () => t.token(staffId, scope), sleep: async () => undefined });
const path = (folderKey: string) => `/sync-decisions/${encodeURIComponent(folderKey)}`;
const sorted = (list: FolderDecision[]) =>
  [...list].sort((a, b) => `${a.practiceId}|${a.kind}|${a.outlookId ?? ""}`.localeCompare(`${b.practiceId}|${b.kind}|${b.outlookId ?? ""}`));
const excluded = (practiceId: string, extra: Partial<FolderDecision> = {}): FolderDecision => ({
  practiceId,
  kind: "excluded",
  outlookId: `AAMkO-${practiceId}`,
  at: "2026-12-01T10:00:00.000Z",
  ...extra,
});

beforeAll(async () => {
  t = await startTestServer({ maxDecisionsPerFolder: PER_FOLDER });
  t.server.addFirm(OTHER_FIRM);
  anna = clientFor("staff-anna");
});
afterAll(() => t.close());

test("a folder without decisions answers an empty set, for a key with a slash and non-ASCII characters", async () => {
  const key = "anna.lindqvist@demo-practice.example/AAMkAGÜ=+/x?y#z";
  const got = await t.call("GET", path(key));
  expect(got.status).toBe(200);
  expect(got.body).toEqual({ folderKey: key, decisions: [] });
  expect(await anna.getDecisions(key)).toEqual([]);
});

test("a real folder key (mailbox + a Graph folder id of ~150 characters) reaches the decision and lease routes", async () => {
  const key = `anna.lindqvist@demo-practice.example/${"AAMkAGI2TG93AAA=".repeat(9)}AQAAAA==`;
  expect(key.length).toBeGreaterThan(180);
  await anna.changeDecisions(key, { put: [excluded("p-long")] });
  expect(await anna.getDecisions(key)).toEqual([excluded("p-long")]);
  const lease = await anna.acquireLease(key, 60);
  expect((await anna.renewLease(key, 60)).acquiredAt).toBe(lease.acquiredAt);
  await anna.releaseLease(key);
  expect(await anna.getLease(key)).toBeNull();
});

test("put, replace and remove match the in-memory store's set semantics, and survive a new client (device)", async () => {
  const key = "anna.lindqvist@demo-practice.example/folder-semantics";
  const memory = new MemoryPracticeStore();
  const steps: FolderDecisionsChange[] = [
    { put: [excluded("p1"), excluded("p2", { made: "m-2" }), { practiceId: "p3", kind: "retired", at: "2026-12-01T10:01:00Z" }] },
    // Same (practiceId, kind, outlookId): replaced, not doubled. Another outlookId: a second decision.
    { put: [excluded("p1", { at: "2026-12-01T11:00:00.000Z", made: "m-1" }), { practiceId: "p1", kind: "retired", outlookId: "AAMkO-old", at: "2026-12-01T11:00:00.000Z" }] },
    { put: [{ practiceId: "p2", kind: "retired", outlookId: "AAMkO-p2b", at: "2026-12-01T12:00:00.000Z" }] },
    // Remove drops every decision of that kind for that id, whatever the Outlook id; the other kind stays.
    { remove: [{ practiceId: "p2", kind: "excluded" }, { practiceId: "nobody", kind: "retired" }] },
    // Removes apply before puts in one change.
    { remove: [{ practiceId: "p3", kind: "retired" }], put: [{ practiceId: "p3", kind: "retired", outlookId: "AAMkO-p3", at: "2026-12-01T13:00:00.000Z" }] },
  ];
  for (const change of steps) {
    const http = await anna.changeDecisions(key, change);
    const mem = await memory.changeDecisions(key, change);
    expect(sorted(http)).toEqual(sorted(mem));
  }
  const final = sorted(await memory.getDecisions(key));
  expect(final.map((d) => `${d.practiceId}:${d.kind}:${d.outlookId ?? "-"}`)).toEqual([
    "p1:excluded:AAMkO-p1",
    "p1:retired:AAMkO-old",
    "p2:retired:AAMkO-p2b",
    "p3:retired:AAMkO-p3",
  ]);
  expect(final[0]).toEqual({ practiceId: "p1", kind: "excluded", outlookId: "AAMkO-p1", made: "m-1", at: "2026-12-01T11:00:00.000Z" });
  // Another device of the same user (a fresh client, no shared state) sees the same set.
  expect(sorted(await clientFor("staff-anna").getDecisions(key))).toEqual(final);
  // The same change sent twice changes nothing the second time.
  const again = await anna.changeDecisions(key, steps[4]);
  expect(sorted(again)).toEqual(final);
});

test("a retired decision names the record its contact became (replacedBy), kept across clients and replaced with the decision", async () => {
  const key = "anna.lindqvist@demo-practice.example/folder-replaced";
  const kept: FolderDecision = { practiceId: "p-old", kind: "retired", outlookId: "AAMkO-kept", replacedBy: "p-new", at: "2026-12-01T10:00:00.000Z" };
  expect(await anna.changeDecisions(key, { put: [kept] })).toEqual([kept]);
  expect(await clientFor("staff-anna").getDecisions(key)).toEqual([kept]);
  // The same (practiceId, kind, outlookId) put again replaces it, replacedBy included.
  const again = { ...kept, replacedBy: "p-newer", at: "2026-12-01T11:00:00.000Z" };
  expect(await anna.changeDecisions(key, { put: [again] })).toEqual([again]);
  const bad = await t.call("PATCH", path(key), { token: await t.token("staff-anna"), body: { put: [{ ...kept, replacedBy: "" }] } });
  expect(bad.status).toBe(400);
});

test("decisions are private: another staff member, or another firm, neither reads nor changes them", async () => {
  const key = "shared@demo-practice.example/firm-folder";
  await anna.changeDecisions(key, { put: [excluded("p-anna")] });
  const jorg = clientFor("staff-jorg");
  expect(await jorg.getDecisions(key)).toEqual([]);
  // Jörg's remove touches only his own (empty) set; his put lands in his own set.
  expect(await jorg.changeDecisions(key, { remove: [{ practiceId: "p-anna", kind: "excluded" }], put: [excluded("p-jorg")] })).toEqual([
    excluded("p-jorg"),
  ]);
  expect(await anna.getDecisions(key)).toEqual([excluded("p-anna")]);
  const other = clientFor(OTHER_FIRM.staff[0].id);
  expect(await other.getDecisions(key)).toEqual([]);
  await other.changeDecisions(key, { remove: [{ practiceId: "p-anna", kind: "excluded" }] });
  expect(await anna.getDecisions(key)).toEqual([excluded("p-anna")]);
});

test("reading needs Practice.Read; changing needs Practice.ReadWrite; no token is 401", async () => {
  const key = "anna.lindqvist@demo-practice.example/scopes";
  const ro = await t.token("staff-anna", "Practice.Read");
  expect((await t.call("GET", path(key), { token: ro })).status).toBe(200);
  const refused = await t.call("PATCH", path(key), { token: ro, body: { put: [excluded("p1")] } });
  expect(refused.status).toBe(403);
  expect(refused.body.type).toBe("urn:practice-api:problem:insufficient-scope");
  expect((await t.call("GET", path(key), { token: null })).status).toBe(401);
  expect(await anna.getDecisions(key)).toEqual([]);
  // An empty change is a read: a read-only client can make it.
  expect(await clientFor("staff-anna", "Practice.Read").changeDecisions(key, {})).toEqual([]);
});

test("bad input is a 400 naming the problem, and changes nothing", async () => {
  const key = "anna.lindqvist@demo-practice.example/bad-input";
  await anna.changeDecisions(key, { put: [excluded("keep")] });
  const bad: unknown[] = [
    { put: [{ ...excluded("p1"), kind: "ignored" }] },
    { put: [{ ...excluded("p1"), at: "yesterday" }] },
    { put: [{ ...excluded("p1"), at: "2026-13-01T00:00:00Z" }] },
    { put: [{ practiceId: "p1", kind: "excluded" }] },
    { put: [excluded("x".repeat(65))] },
    { put: [excluded("p1", { outlookId: "o".repeat(513) })] },
    { put: [excluded("p1", { outlookId: "" })] },
    { put: [{ ...excluded("p1"), note: "<script>alert(1)</script>" }] },
    { remove: [{ practiceId: "keep" }] },
    { remove: [{ practiceId: "keep", kind: "excluded", outlookId: "x" }] },
    { put: excluded("p1") },
    { replace: [] },
    [],
  ];
  for (const body of bad) {
    const res = await t.call("PATCH", path(key), { body });
    expect({ body, status: res.status }).toEqual({ body, status: 400 });
    expect(res.body.type).toBe("urn:practice-api:problem:invalid-request");
    expect(res.body.errors.length).toBeGreaterThan(0);
  }
  expect((await t.call("PATCH", path(key), { raw: "{not json" })).status).toBe(400);
  expect((await t.call("GET", path("x".repeat(513)))).status).toBe(400);
  expect((await t.call("GET", path("ab"))).status).toBe(400);
  expect(await anna.getDecisions(key)).toEqual([excluded("keep")]);
});

test("more than 1,000 entries in one request: 422 limit-exceeded naming the limit, nothing changed; the client sends parts", async () => {
  const key = "anna.lindqvist@demo-practice.example/per-request";
  const put = Array.from({ length: 700 }, (_, i) => excluded(`big-${i}`));
  const remove = Array.from({ length: 301 }, (_, i) => ({ practiceId: `gone-${i}`, kind: "retired" as const }));
  const res = await t.call("PATCH", path(key), { body: { put, remove } });
  expect(res.status).toBe(422);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ type: "urn:practice-api:problem:limit-exceeded", limit: { name: "decisions-per-request", max: MAX_DECISIONS_PER_REQUEST } });
  expect(res.body.detail).toContain("1000");
  expect(await anna.getDecisions(key)).toEqual([]);

  // 1,000 entries of the longest values the contract allows still fit the body limit.
  const longest = Array.from({ length: MAX_DECISIONS_PER_REQUEST }, (_, i) =>
    excluded(`${i}`.padStart(64, "L"), { outlookId: `${i}`.padStart(512, "O"), made: "m".repeat(128), at: "2026-12-01T10:00:00.000+05:30" }),
  );
  const longestKey = "anna.lindqvist@demo-practice.example/longest";
  expect((await t.call("PATCH", path(longestKey), { body: { put: longest } })).status).toBe(200);
  expect(await anna.getDecisions(longestKey)).toHaveLength(MAX_DECISIONS_PER_REQUEST);

  // The client splits it: removes first, then puts, ≤ 1,000 entries per request.
  const device = clientFor("staff-anna");
  await device.changeDecisions(key, { put: [{ practiceId: "gone-5", kind: "retired", at: "2026-12-01T09:00:00Z" }] });
  const before = device.stats().requests;
  const result = await device.changeDecisions(key, { put: [...put, { practiceId: "gone-7", kind: "retired", at: "2026-12-01T09:30:00Z" }], remove });
  expect(device.stats().requests - before).toBe(2);
  // gone-5 was removed; gone-7 is put after the removes, so it stays (as one request would have it).
  expect(result).toHaveLength(701);
  expect(result.some((d) => d.practiceId === "gone-5")).toBe(false);
  expect(result.some((d) => d.practiceId === "gone-7")).toBe(true);
});

test("more decisions than a folder may keep: 422 limit-exceeded, and the refused change leaves nothing behind", async () => {
  const key = "anna.lindqvist@demo-practice.example/per-folder";
  for (let part = 0; part < 2; part++)
    await anna.changeDecisions(key, { put: Array.from({ length: 1000 }, (_, i) => excluded(`fill-${part}-${i}`)) });
  const over = Array.from({ length: PER_FOLDER - 2000 + 1 }, (_, i) => excluded(`over-${i}`));
  const res = await t.call("PATCH", path(key), { body: { put: over } });
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ type: "urn:practice-api:problem:limit-exceeded", limit: { name: "decisions-per-folder", max: PER_FOLDER } });
  // Through the typed client: the API's problem, with its code, and still nothing changed.
  const err = await anna.changeDecisions(key, { put: over }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PracticeApiError);
  expect((err as PracticeApiError).code).toBe("limit-exceeded");
  const kept = await anna.getDecisions(key);
  expect(kept).toHaveLength(2000);
  expect(kept.some((d) => d.practiceId.startsWith("over-"))).toBe(false);
  // Exactly up to the limit is fine; a change that removes as many as it adds is fine at the limit.
  await anna.changeDecisions(key, { put: over.slice(1) });
  const full = await anna.changeDecisions(key, { remove: [{ practiceId: "fill-0-0", kind: "excluded" }], put: [over[0]] });
  expect(full).toHaveLength(PER_FOLDER);
  // Replacing existing decisions at the limit does not count twice.
  expect(await anna.changeDecisions(key, { put: [excluded("over-0", { made: "again" })] })).toHaveLength(PER_FOLDER);
});

test("two devices writing at once lose nothing", async () => {
  const key = "anna.lindqvist@demo-practice.example/concurrent";
  const desktop = clientFor("staff-anna");
  const web = clientFor("staff-anna");
  await desktop.changeDecisions(key, { put: [excluded("shared"), excluded("to-remove-a"), excluded("to-remove-b")] });
  const writes: Promise<FolderDecision[]>[] = [];
  for (let i = 0; i < 20; i++) {
    writes.push(desktop.changeDecisions(key, { put: [excluded(`desk-${i}`), excluded("shared", { made: "desktop" })] }));
    writes.push(web.changeDecisions(key, { put: [{ practiceId: `web-${i}`, kind: "retired", at: "2026-12-01T10:00:00Z" }], remove: i === 3 ? [{ practiceId: "to-remove-a", kind: "excluded" }] : [] }));
    if (i === 7) writes.push(desktop.changeDecisions(key, { remove: [{ practiceId: "to-remove-b", kind: "excluded" }] }));
  }
  await Promise.all(writes);
  const final = await web.getDecisions(key);
  const ids = final.map((d) => d.practiceId);
  for (let i = 0; i < 20; i++) expect(ids).toEqual(expect.arrayContaining([`desk-${i}`, `web-${i}`]));
  expect(ids.filter((id) => id === "shared")).toHaveLength(1);
  expect(ids).not.toContain("to-remove-a");
  expect(ids).not.toContain("to-remove-b");
  expect(final).toHaveLength(41);
});

describe("the client refuses answers that break the contract", () => {
  let fake: Server;
  let answer: unknown;
  let fakeUrl: string;
  beforeAll(async () => {
    fake = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(typeof answer === "string" ? answer : JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => fake.close(r)));

  const cases: [string, unknown][] = [
    ["no decisions array", { folderKey: "m/f" }],
    ["an unknown kind", { folderKey: "m/f", decisions: [{ practiceId: "p", kind: "deleted", at: "2026-12-01T10:00:00Z" }] }],
    ["an unreadable time", { folderKey: "m/f", decisions: [{ practiceId: "p", kind: "excluded", at: "soon" }] }],
    ["an empty practice id", { folderKey: "m/f", decisions: [{ practiceId: "", kind: "excluded", at: "2026-12-01T10:00:00Z" }] }],
    ["another folder's set", { folderKey: "m/other", decisions: [] }],
    ["not JSON", "<html>"],
  ];
  test.each(cases)("%s", async (_name, body) => {
    answer = body;
    const c = createPracticeClient({ baseUrl: fakeUrl, getToken: async () => "t", sleep: async () => undefined });
    await expect(c.getDecisions("m/f")).rejects.toBeInstanceOf(MalformedResponseError);
    await expect(c.changeDecisions("m/f", { put: [excluded("p")] })).rejects.toBeInstanceOf(MalformedResponseError);
  });
});
