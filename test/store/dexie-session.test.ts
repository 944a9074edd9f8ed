// The real engine on the Dexie cache (fake-indexeddb): what a pane does across reloads.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { cacheDatabaseName, openDexieSyncCache, type DexieSyncCache } from "../../src/store";
import { SyncSession } from "../../src/sync/session";
import { MemoryOutlookStore, MemoryPracticeStore, SeededIds, TestClock } from "../support";

describe("SyncSession on the Dexie cache", () => {
  const name = cacheDatabaseName({ mailbox: "ann@firm.test", folderId: "AAMkFolder=", firmId: "firm-1" });
  let factory: IDBFactory;
  let caches: DexieSyncCache[];
  const clock = new TestClock();
  const ids = new SeededIds(9);
  let practice: MemoryPracticeStore;
  let outlook: MemoryOutlookStore;

  beforeEach(() => {
    factory = new IDBFactory();
    caches = [];
    practice = new MemoryPracticeStore({ firmId: "firm-1", clock });
    outlook = new MemoryOutlookStore({ clock });
  });
  afterEach(() => caches.forEach((c) => c.close()));

  /** A pane load: opens the cache, plans, applies everything. */
  async function paneSync() {
    const cache = await openDexieSyncCache(name, { indexedDB: factory, IDBKeyRange });
    caches.push(cache);
    const session = new SyncSession({
      practice,
      outlook,
      cache,
      clock,
      ids,
      settings: { filterId: null, importKind: "client", wholeRecord: false, deleteStandaloneOnOutlookDelete: false },
    });
    const plan = await session.plan();
    const result = await session.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)), force: true });
    cache.close();
    return { plan, result, session };
  }

  it("links, cursors and history survive a reload, so the next sync is incremental and empty", async () => {
    practice.add({ givenName: "Ann", surname: "Lee" });
    outlook.add({ givenName: "Bob" });
    const first = await paneSync();
    expect(first.result.failed).toEqual([]);
    expect(practice.size()).toBe(2);
    expect(outlook.size()).toBe(2);

    practice.requests.reset();
    outlook.requests.reset();
    const second = await paneSync();
    expect(second.plan.changes).toEqual([]);
    // Incremental reads: the change feed and the delta token, never a full listing.
    expect(practice.requests.of("listContacts")).toBe(0);
    expect(practice.requests.of("changesSince")).toBe(1);

    const cache = await openDexieSyncCache(name, { indexedDB: factory, IDBKeyRange });
    caches.push(cache);
    expect((await cache.loadLinks()).filter((l) => l.state === "linked")).toHaveLength(2);
    expect((await cache.listRuns(10)).length).toBeGreaterThanOrEqual(2);
  });

  it("an edit on one side reaches the other after a reload", async () => {
    const p = practice.add({ givenName: "Ann" });
    await paneSync();
    practice.edit(p.id, { jobTitle: "Director" });
    await paneSync();
    expect(outlook.all()[0].fields.jobTitle).toBe("Director");
    expect((await paneSync()).plan.changes).toEqual([]);
  });

  it("a deleted database (new device) re-links by stamp and copies nothing (R2, R8)", async () => {
    practice.add({ givenName: "Ann" });
    outlook.add({ givenName: "Bob" });
    await paneSync();
    await new Promise<void>((resolve, reject) => {
      const req = factory.deleteDatabase(name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
    });
    const again = await paneSync();
    expect(again.plan.changes.filter((c) => c.group === "add")).toEqual([]);
    expect(practice.size()).toBe(2);
    expect(outlook.size()).toBe(2);
    expect((await paneSync()).plan.changes).toEqual([]);
  });
});
