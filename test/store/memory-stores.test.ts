// The in-memory fakes must behave like the real stores, or engine tests prove nothing.
import {
  CrashError,
  Lifeline,
  MemoryOutlookStore,
  MemoryPracticeStore,
  MemorySyncCache,
  SeededIds,
  TestClock,
} from "../support";
import { CursorExpiredError, StoreUnavailableError } from "../../src/sync/ports";
import type { Link } from "../../src/sync/model";

describe("TestClock and SeededIds", () => {
  it("is strictly increasing and advances on demand", () => {
    const clock = new TestClock("2026-01-01T00:00:00.000Z");
    const a = clock.now();
    const b = clock.now();
    expect(a).toBe("2026-01-01T00:00:00.000Z");
    expect(b > a).toBe(true);
    clock.advance(60_000);
    expect(clock.now()).toBe("2026-01-01T00:01:00.002Z");
    expect(() => clock.advance(-1)).toThrow();
  });

  it("gives the same unique ids for the same seed", () => {
    const a = new SeededIds(7);
    const b = new SeededIds(7);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(new Set(xs).size).toBe(100);
    expect(new SeededIds(8).next()).not.toBe(xs[0]);
  });
});

describe("MemoryPracticeStore", () => {
  const make = () => new MemoryPracticeStore({ firmId: "firm-9", clock: new TestClock() });

  it("bumps version and updatedAt on every write and honours If-Match", async () => {
    const s = make();
    const c = s.add({ givenName: "Ann" }, { kind: "standalone" });
    const [r] = await s.updateContacts([{ id: c.id, version: c.version, patch: { surname: "Lee", givenName: null } }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.version).not.toBe(c.version);
    expect(r.value.updatedAt > c.updatedAt).toBe(true);
    expect(r.value.fields).toEqual({ surname: "Lee" });
    const [stale] = await s.updateContacts([{ id: c.id, version: c.version, patch: { surname: "X" } }]);
    expect(stale).toMatchObject({ ok: false, error: { code: "conflict", retryable: false } });
    expect(s.get(c.id)?.fields.surname).toBe("Lee");
    const [gone] = await s.updateContacts([{ id: "nope", version: "1", patch: {} }]);
    expect(gone).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("replays an idempotency key with the first result", async () => {
    const s = make();
    const [a] = await s.createContacts([{ key: "k1", kind: "client", fields: { givenName: "Bo" } }]);
    const [b] = await s.createContacts([{ key: "k1", kind: "client", fields: { givenName: "Other" } }]);
    expect(a).toEqual(b);
    expect(s.size()).toBe(1);
  });

  it("rejects invalid values and never deletes a client", async () => {
    const s = make();
    const bad = await s.createContacts([
      { key: "a", kind: "client", fields: { birthday: "2026-02-30" } },
      { key: "b", kind: "client", fields: { givenName: "x".repeat(256) } },
      { key: "c", kind: "client", fields: { emailAddresses: [{ address: 3 }] } as never },
      { key: "d", kind: "client", fields: { nonsense: "1" } as never },
    ]);
    expect(bad.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["invalid", "invalid", "invalid", "invalid"]);
    expect(s.size()).toBe(0);
    const client = s.add({ givenName: "C" }, { kind: "client" });
    const solo = s.add({ givenName: "S" }, { kind: "standalone" });
    const res = await s.deleteContacts([
      { id: client.id, version: client.version },
      { id: solo.id, version: "stale" },
      { id: solo.id, version: solo.version },
    ]);
    expect(res.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["forbidden", "conflict", "ok"]);
    expect(s.all().map((c) => c.id)).toEqual([client.id]);
  });

  it("lists by filter with a cursor taken before the listing, and feeds changes with tombstones", async () => {
    const s = make();
    const f = s.addFilter({ name: "Leeds", match: "all", criteria: [{ field: "office", method: "equals", values: ["Leeds"] }] });
    const a = s.add({ givenName: "A" }, { attributes: { office: "Leeds" } });
    s.add({ givenName: "B" }, { attributes: { office: "York" } });
    const snap = await s.listContacts(f.id);
    expect(snap.contacts.map((c) => c.id)).toEqual([a.id]);
    expect((await s.listContacts(null)).contacts).toHaveLength(2);
    await expect(s.listContacts("filter-missing")).rejects.toThrow(/does not exist/);
    expect(await s.getFilter("filter-missing")).toBeNull();
    expect((await s.getFilter(f.id))?.name).toBe("Leeds");

    const none = await s.changesSince(snap.cursor);
    expect(none).toEqual({ upserts: [], deleted: [], cursor: snap.cursor });
    s.edit(a.id, { surname: "Z" });
    s.edit(a.id, { surname: "Y" });
    const solo = s.add({ givenName: "S" }, { kind: "standalone" });
    s.remove(solo.id);
    const ch = await s.changesSince(snap.cursor);
    expect(ch.upserts.map((c) => [c.id, c.fields.surname])).toEqual([[a.id, "Y"]]);
    expect(ch.deleted).toEqual([solo.id]);
    expect(ch.cursor > snap.cursor).toBe(true);
    s.expireCursors();
    await expect(s.changesSince(ch.cursor)).rejects.toBeInstanceOf(CursorExpiredError);
    await expect(s.changesSince("garbage")).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it("returns copies, so a caller cannot change the store by mutating a result", async () => {
    const s = make();
    const c = s.add({ emailAddresses: [{ address: "a@x.test" }] });
    const [got] = await s.getContacts([c.id, "missing"]);
    got.fields.emailAddresses![0].address = "mutated";
    expect(s.get(c.id)?.fields.emailAddresses![0].address).toBe("a@x.test");
  });

  it("injects faults per item: crash keeps earlier writes, timeout writes but reports failure", async () => {
    const s = make();
    s.faults.inject("createContacts", "timeout-after-write", 1).inject("createContacts", "crash", 1, 2);
    await expect(
      s.createContacts([
        { key: "1", kind: "client", fields: { givenName: "One" } },
        { key: "2", kind: "client", fields: { givenName: "Two" } },
        { key: "3", kind: "client", fields: { givenName: "Three" } },
      ]),
    ).rejects.toBeInstanceOf(CrashError);
    // item 1 timed out after writing; item 2 passed; the crash fell before item 3.
    expect(s.all().map((c) => c.fields.givenName)).toEqual(["One", "Two"]);
    // The process is dead until restarted: nothing more gets through.
    await expect(s.firmId()).rejects.toBeInstanceOf(CrashError);
    s.lifeline.revive();
    s.faults.inject("*", "throttled", 2);
    await expect(s.firmId()).rejects.toBeInstanceOf(StoreUnavailableError);
    const [r] = await s.createContacts([{ key: "4", kind: "client", fields: {} }]);
    expect(r).toMatchObject({ ok: false, error: { code: "throttled", retryable: true } });
    expect(s.faults.pending()).toBe(0);
    expect(await s.firmId()).toBe("firm-9");
    expect(s.requests.of("createContacts")).toBe(2);
    expect(s.requests.total).toBe(4);
  });

  it("shares a crash with every store of the same process", async () => {
    const lifeline = new Lifeline();
    const s = new MemoryPracticeStore({ lifeline });
    const o = new MemoryOutlookStore({ lifeline });
    const c = new MemorySyncCache({ lifeline });
    o.faults.inject("readChanges", "crash");
    await expect(o.readChanges(null)).rejects.toBeInstanceOf(CrashError);
    await expect(s.createContacts([{ key: "k", kind: "client", fields: {} }])).rejects.toBeInstanceOf(CrashError);
    await expect(c.commit({})).rejects.toBeInstanceOf(CrashError);
    expect(s.size()).toBe(0);
    lifeline.revive();
    expect(await s.createContacts([{ key: "k", kind: "client", fields: {} }])).toHaveLength(1);
  });
});

describe("MemoryOutlookStore", () => {
  it("keeps immutable ids and moves changeKey and lastModified on every write", async () => {
    const o = new MemoryOutlookStore();
    const [r] = await o.createContacts([{ stamp: "f:p1", fields: { givenName: "A" } }]);
    if (!r.ok) throw new Error("create failed");
    const [u] = await o.updateContacts([{ id: r.value.id, changeKey: "whatever", patch: { surname: "B" } }]);
    if (!u.ok) throw new Error("update failed");
    expect(u.value.id).toBe(r.value.id);
    expect(u.value.changeKey).not.toBe(r.value.changeKey);
    expect(u.value.lastModified > r.value.lastModified).toBe(true);
    expect(u.value.stamp).toBe("f:p1");
    const t = o.touch(r.value.id);
    expect(t.fields).toEqual(u.value.fields);
    expect(t.changeKey).not.toBe(u.value.changeKey);
    expect(await o.findByStamps(["f:p1", "f:p2"])).toHaveLength(1);
  });

  it("enforces Graph's caps like a 400", async () => {
    const o = new MemoryOutlookStore();
    const emails = ["a", "b", "c", "d"].map((x) => ({ address: `${x}@x.test` }));
    const res = await o.createContacts([
      { stamp: "f:1", fields: { emailAddresses: emails } },
      { stamp: "f:2", fields: { businessPhones: ["1", "2", "3"] } },
      { stamp: "f:3", fields: { homePhones: ["1", "2"], emailAddresses: emails.slice(0, 3) } },
    ]);
    expect(res.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["invalid", "invalid", "ok"]);
    expect(res[0].ok ? "" : res[0].error.message).toMatch(/EmailAddresses has 4 entries/);
    const id = res[2].ok ? res[2].value.id : "";
    const [u] = await o.updateContacts([{ id, changeKey: "", patch: { homePhones: ["1", "2", "3"] } }]);
    expect(u).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(() => o.add({ businessPhones: ["1", "2", "3"] })).toThrow(/cannot enter/);
  });

  it("reads the whole folder without a token and only changes with one; tokens expire", async () => {
    const o = new MemoryOutlookStore();
    const a = o.add({ givenName: "A" });
    const b = o.add({ givenName: "B" });
    const full = await o.readChanges(null);
    expect(full.full).toBe(true);
    expect(full.upserts.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    o.edit(a.id, { surname: "S" });
    o.remove(b.id);
    const c = o.add({ givenName: "C" });
    const inc = await o.readChanges(full.deltaToken);
    expect(inc.full).toBe(false);
    expect(inc.upserts.map((x) => x.id)).toEqual([a.id, c.id]);
    expect(inc.removed).toEqual([b.id]);
    expect(o.deletedItems().map((x) => x.id)).toEqual([b.id]);
    expect(await o.readChanges(inc.deltaToken)).toMatchObject({ upserts: [], removed: [] });
    o.expireDeltaTokens();
    await expect(o.readChanges(inc.deltaToken)).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it("restores a deleted contact with its id, stamp and fields, seen by delta as an upsert", async () => {
    const o = new MemoryOutlookStore();
    const [r] = await o.createContacts([{ stamp: "f:p1;m=t1", fields: { givenName: "A" } }]);
    if (!r.ok) throw new Error("create failed");
    const before = await o.readChanges(null);
    o.remove(r.value.id);
    expect(o.size()).toBe(0);
    const back = o.restore(r.value.id);
    expect(back).toMatchObject({ id: r.value.id, stamp: "f:p1;m=t1", fields: { givenName: "A" } });
    expect(back.changeKey).not.toBe(r.value.changeKey);
    expect(o.deletedItems()).toEqual([]);
    const inc = await o.readChanges(before.deltaToken);
    expect(inc.upserts.map((c) => c.id)).toEqual([r.value.id]);
    expect(inc.removed).toEqual([]);
    expect(o.events.at(-1)).toEqual({ op: "restore", id: r.value.id, by: "user" });
    expect(o.syncWrites).toBe(1);
    expect(() => o.restore(r.value.id)).toThrow(/no contact .* in Deleted Items/);
  });

  it("copies a contact as a user would: a new id, the same fields and stamp", async () => {
    const o = new MemoryOutlookStore();
    const a = o.add({ givenName: "A", surname: "B" }, { stamp: "f:p1;m=t1" });
    const c = o.copy(a.id);
    expect(c.id).not.toBe(a.id);
    expect(c).toMatchObject({ stamp: "f:p1;m=t1", fields: { givenName: "A", surname: "B" } });
    expect(await o.findByStamps(["f:p1;m=t1"])).toHaveLength(2);
    expect(o.events.at(-1)).toMatchObject({ op: "create", id: c.id, by: "user" });
    expect(() => o.copy("nope")).toThrow(/no contact nope/);
  });

  it("optionally refuses a stale changeKey", async () => {
    const o = new MemoryOutlookStore({ enforceChangeKey: true });
    const a = o.add({ givenName: "A" });
    o.edit(a.id, { givenName: "A2" });
    const [u] = await o.updateContacts([{ id: a.id, changeKey: a.changeKey, patch: { givenName: "A3" } }]);
    expect(u).toMatchObject({ ok: false, error: { code: "conflict" } });
  });

  it("fails reads and writes on injected faults", async () => {
    const o = new MemoryOutlookStore();
    const a = o.add({ givenName: "A" });
    o.faults.inject("readChanges", "unavailable");
    await expect(o.readChanges(null)).rejects.toMatchObject({ name: "StoreUnavailableError", status: 503 });
    o.faults.inject("deleteContacts", "timeout-after-write");
    const [d] = await o.deleteContacts([a.id]);
    expect(d).toMatchObject({ ok: false, error: { code: "unavailable", retryable: true } });
    expect(o.size()).toBe(0);
    expect(o.faults.fired.map((f) => f.fault)).toEqual(["unavailable", "timeout-after-write"]);
  });
});

describe("MemorySyncCache", () => {
  const link = (practiceId: string, outlookId: string): Link => ({
    practiceId,
    outlookId,
    base: { givenName: practiceId },
    practiceVersion: "1",
    outlookChangeKey: "ck",
    origin: "practice",
    state: "linked",
    updatedAt: "2026-01-01T00:00:00.000Z",
  });

  it("commits atomically and a crashed commit leaves nothing", async () => {
    const c = new MemorySyncCache();
    await c.journalAppend([{ id: "j1", runId: "r", op: "create-outlook", key: "f:p1", createdAt: "t" }]);
    await c.commit({ putLinks: [link("p1", "o1")], cursors: { practiceCursor: "1.1" }, completeJournal: ["j1"] });
    c.faults.inject("commit", "crash");
    await expect(c.commit({ putLinks: [link("p2", "o2")], deleteLinks: ["p1"], cursors: {} })).rejects.toBeInstanceOf(
      CrashError,
    );
    c.lifeline.revive();
    expect((await c.loadLinks()).map((l) => l.practiceId)).toEqual(["p1"]);
    expect(await c.getCursors()).toEqual({ practiceCursor: "1.1" });
    expect(await c.journalPending()).toEqual([]);
    await c.commit({ deferred: [{ side: "outlook", id: "o9", deleted: true }] });
    expect(await c.getDeferred()).toEqual([{ side: "outlook", id: "o9", deleted: true }]);
  });

  it("lists runs most recent first and forgets everything on lose()", async () => {
    const c = new MemorySyncCache({ maxRuns: 2 });
    for (const id of ["r1", "r2", "r3"]) await c.addRun({ id, startedAt: id, status: "ok", counts: {}, errors: [] });
    expect((await c.listRuns(10)).map((r) => r.id)).toEqual(["r3", "r2"]);
    await c.commit({ putLinks: [link("p1", "o1")] });
    c.lose();
    expect(await c.loadLinks()).toEqual([]);
    expect(await c.listRuns(10)).toEqual([]);
  });
});

describe("store event logs", () => {
  it("record who made each write", async () => {
    const p = new MemoryPracticeStore();
    const o = new MemoryOutlookStore();
    const c = p.add({ givenName: "A" }, { kind: "standalone" });
    await p.updateContacts([{ id: c.id, version: c.version, patch: { surname: "B" } }]);
    p.remove(c.id);
    expect(p.events).toEqual([
      { op: "create", id: c.id, by: "user", fields: { givenName: "A" } },
      { op: "update", id: c.id, by: "sync", fields: { surname: "B" } },
      { op: "delete", id: c.id, by: "user" },
    ]);
    expect(p.syncWrites).toBe(1);
    const [r] = await o.createContacts([{ stamp: "f:1", fields: {} }]);
    const id = r.ok ? r.value.id : "";
    o.edit(id, { givenName: "X" });
    await o.deleteContacts([id]);
    expect(o.events.map((e) => `${e.op}:${e.by}`)).toEqual(["create:sync", "update:user", "delete:sync"]);
  });
});
