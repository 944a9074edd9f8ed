// The SyncCache port on Dexie, run against fake-indexeddb (a fresh factory per test).
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import {
  CACHE_SCHEMA_VERSION,
  MAX_RUNS,
  cacheDatabaseName,
  openDexieSyncCache,
  type DexieSyncCache,
} from "../../src/store";
import type { Link } from "../../src/sync/model";
import type { JournalEntry, RunRecord } from "../../src/sync/ports";

const link = (practiceId: string, outlookId: string, extra: Partial<Link> = {}): Link => ({
  practiceId,
  outlookId,
  base: { givenName: `Given ${practiceId}`, emailAddresses: [{ address: `${practiceId}@x.test` }] },
  practiceVersion: 'W/"1"',
  outlookChangeKey: "CK1",
  origin: "practice",
  state: "linked",
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...extra,
});

const entry = (id: string, createdAt: string): JournalEntry => ({
  id,
  runId: "run-1",
  op: "create-outlook",
  key: `firm:${id}`,
  practiceId: id,
  createdAt,
  payload: { fields: { givenName: "x" } },
});

const run = (id: string, startedAt: string): RunRecord => ({ id, startedAt, status: "ok", counts: { linked: 1 }, errors: [] });

describe("Dexie sync cache", () => {
  let factory: IDBFactory;
  let cache: DexieSyncCache;
  const open = () => openDexieSyncCache("test-cache", { indexedDB: factory, IDBKeyRange });

  beforeEach(async () => {
    factory = new IDBFactory();
    cache = await open();
  });
  afterEach(() => cache.close());

  it("starts empty", async () => {
    expect(await cache.loadLinks()).toEqual([]);
    expect(await cache.getCursors()).toEqual({});
    expect(await cache.getDeferred()).toEqual([]);
    expect(await cache.journalPending()).toEqual([]);
    expect(await cache.listRuns(10)).toEqual([]);
  });

  it("round-trips links, cursors, deferred changes and the journal in one commit", async () => {
    await cache.journalAppend([entry("p2", "2026-01-01T00:00:02.000Z"), entry("p1", "2026-01-01T00:00:01.000Z")]);
    expect((await cache.journalPending()).map((e) => e.id)).toEqual(["p1", "p2"]);
    const deferred = [
      { side: "outlook" as const, id: "o7", deleted: true },
      { side: "practice" as const, id: "p3" },
    ];
    await cache.commit({
      putLinks: [link("p1", "o1"), link("p2", "o2", { state: "excluded" })],
      cursors: { practiceCursor: "1.42", outlookDeltaToken: "delta.1.9", filterKey: "k", firmId: "firm" },
      deferred,
      completeJournal: ["p1"],
    });
    const links = await cache.loadLinks();
    expect(links.sort((a, b) => a.practiceId.localeCompare(b.practiceId))).toEqual([
      link("p1", "o1"),
      link("p2", "o2", { state: "excluded" }),
    ]);
    expect(await cache.findLinkByOutlookId("o2")).toEqual(link("p2", "o2", { state: "excluded" }));
    expect(await cache.getCursors()).toEqual({
      practiceCursor: "1.42",
      outlookDeltaToken: "delta.1.9",
      filterKey: "k",
      firmId: "firm",
    });
    expect(await cache.getDeferred()).toEqual(deferred);
    expect((await cache.journalPending()).map((e) => e.id)).toEqual(["p2"]);

    // A later commit replaces the deferred set, deletes and overwrites links, leaves cursors alone.
    await cache.commit({ deleteLinks: ["p2"], putLinks: [link("p1", "o1", { practiceVersion: 'W/"2"' })], deferred: [] });
    expect(await cache.loadLinks()).toEqual([link("p1", "o1", { practiceVersion: 'W/"2"' })]);
    expect(await cache.getDeferred()).toEqual([]);
    expect((await cache.getCursors()).practiceCursor).toBe("1.42");
  });

  it("a failing commit leaves nothing behind", async () => {
    await cache.commit({ putLinks: [link("p1", "o1")], cursors: { practiceCursor: "1.1" } });
    await cache.journalAppend([entry("j1", "2026-01-01T00:00:00.000Z")]);
    const broken = { ...link("p9", "o9"), practiceId: undefined } as unknown as Link; // no primary key: DataError
    await expect(
      cache.commit({
        deleteLinks: ["p1"],
        completeJournal: ["j1"],
        deferred: [{ side: "outlook", id: "o5" }],
        cursors: { practiceCursor: "1.99" },
        putLinks: [link("p2", "o2"), broken],
      }),
    ).rejects.toThrow();
    expect(await cache.loadLinks()).toEqual([link("p1", "o1")]);
    expect(await cache.getCursors()).toEqual({ practiceCursor: "1.1" });
    expect(await cache.getDeferred()).toEqual([]);
    expect((await cache.journalPending()).map((e) => e.id)).toEqual(["j1"]);
  });

  it("keeps its data across close and reopen, and clear() forgets everything", async () => {
    await cache.commit({ putLinks: [link("p1", "o1")], cursors: { outlookDeltaToken: "t" } });
    await cache.addRun(run("r1", "2026-01-01T00:00:00.000Z"));
    cache.close();
    cache = await open();
    expect(await cache.loadLinks()).toEqual([link("p1", "o1")]);
    expect(await cache.getCursors()).toEqual({ outlookDeltaToken: "t" });
    expect((await cache.listRuns(5)).map((r) => r.id)).toEqual(["r1"]);
    await cache.clear();
    expect(await cache.loadLinks()).toEqual([]);
    expect(await cache.getCursors()).toEqual({});
    expect(await cache.listRuns(5)).toEqual([]);
  });

  it("lists runs most recent first and keeps a bounded history", async () => {
    for (let i = 0; i < MAX_RUNS + 5; i++) {
      await cache.addRun(run(`r${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    }
    const runs = await cache.listRuns(1000);
    expect(runs).toHaveLength(MAX_RUNS);
    expect(runs[0].id).toBe(`r${MAX_RUNS + 4}`);
    expect(runs.at(-1)!.id).toBe("r5");
    expect((await cache.listRuns(2)).map((r) => r.id)).toEqual([`r${MAX_RUNS + 4}`, `r${MAX_RUNS + 3}`]);
    // Re-adding a run (e.g. finishing it) replaces it rather than duplicating it.
    await cache.addRun({ ...run(`r${MAX_RUNS + 4}`, runs[0].startedAt), status: "partial" });
    expect((await cache.listRuns(1))[0].status).toBe("partial");
    expect(await cache.listRuns(1000)).toHaveLength(MAX_RUNS);
  });

  it("creates the versioned schema with the documented stores and indexes", async () => {
    expect(cache.db.verno).toBe(CACHE_SCHEMA_VERSION);
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open("test-cache");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      expect(raw.version).toBe(CACHE_SCHEMA_VERSION * 10); // Dexie stores version × 10
      expect([...raw.objectStoreNames].sort()).toEqual(["deferred", "journal", "links", "meta", "runs"]);
      const tx = raw.transaction("links", "readonly");
      const store = tx.objectStore("links");
      expect(store.keyPath).toBe("practiceId");
      expect([...store.indexNames].sort()).toEqual(["outlookId", "state"]);
    } finally {
      raw.close();
    }
  });
});

describe("cacheDatabaseName", () => {
  it("names one database per mailbox, folder and firm, prefixed by the partition key", () => {
    const base = { mailbox: "Ann@Firm.test", folderId: "AAMk/f+1=", firmId: "firm-1" };
    const name = cacheDatabaseName(base);
    expect(name).toBe("practice-contact-sync:ann%40firm.test:AAMk%2Ff%2B1%3D:firm-1");
    expect(cacheDatabaseName({ ...base, mailbox: "ann@firm.test" })).toBe(name);
    expect(cacheDatabaseName({ ...base, folderId: "other" })).not.toBe(name);
    expect(cacheDatabaseName({ ...base, firmId: "firm-2" })).not.toBe(name);
    expect(cacheDatabaseName({ ...base, partitionKey: "part:1" })).toBe(`part%3A1:${name}`);
    expect(cacheDatabaseName({ ...base, partitionKey: undefined })).toBe(name);
    // A separator inside a part cannot make two scopes collide.
    expect(cacheDatabaseName({ mailbox: "a", folderId: "b:c", firmId: "d" })).not.toBe(
      cacheDatabaseName({ mailbox: "a", folderId: "b", firmId: "c:d" }),
    );
    expect(() => cacheDatabaseName({ ...base, folderId: " " })).toThrow(/folderId is required/);
  });
});
