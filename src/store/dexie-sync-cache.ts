// The SyncCache port on IndexedDB through Dexie 4. Every commit runs in one read-write
// transaction over all the tables it touches, so it lands whole or not at all (R13).
import type { DexieOptions } from "dexie";
import type { Link } from "../sync/model";
import type { CacheCommit, DeferredChange, JournalEntry, RunRecord, SyncCache, SyncCursors } from "../sync/ports";
import { CacheDatabase } from "./cache-database";

/** How many runs the history keeps (the Status view shows recent runs only). */
export const MAX_RUNS = 100;

export interface DexieCacheDeps {
  /** An IDBFactory (fake-indexeddb in unit tests; the browser's by default). */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export class DexieSyncCache implements SyncCache {
  constructor(readonly db: CacheDatabase) {}

  async loadLinks(): Promise<Link[]> {
    return this.db.links.toArray();
  }

  /** The link holding an Outlook contact, if any (indexed; for hosts that look up one contact). */
  async findLinkByOutlookId(outlookId: string): Promise<Link | undefined> {
    return this.db.links.where("outlookId").equals(outlookId).first();
  }

  async getCursors(): Promise<SyncCursors> {
    const row = await this.db.meta.get("cursors");
    return row?.value ?? {};
  }

  async getDeferred(): Promise<DeferredChange[]> {
    const rows = await this.db.deferred.orderBy("seq").toArray();
    return rows.map((r) => r.change);
  }

  async commit(change: CacheCommit): Promise<void> {
    const db = this.db;
    await db.transaction("rw", [db.links, db.meta, db.deferred, db.journal], async () => {
      if (change.deleteLinks?.length) await db.links.bulkDelete(change.deleteLinks);
      if (change.putLinks?.length) await db.links.bulkPut(change.putLinks);
      if (change.cursors) await db.meta.put({ key: "cursors", value: change.cursors });
      if (change.deferred) {
        await db.deferred.clear();
        if (change.deferred.length) await db.deferred.bulkAdd(change.deferred.map((c) => ({ change: c })));
      }
      if (change.completeJournal?.length) await db.journal.bulkDelete(change.completeJournal);
    });
  }

  async journalAppend(entries: JournalEntry[]): Promise<void> {
    if (entries.length) await this.db.journal.bulkPut(entries);
  }

  async journalPending(): Promise<JournalEntry[]> {
    return this.db.journal.orderBy("createdAt").toArray();
  }

  async addRun(run: RunRecord): Promise<void> {
    const db = this.db;
    await db.transaction("rw", db.runs, async () => {
      await db.runs.put(run);
      const extra = (await db.runs.count()) - MAX_RUNS;
      if (extra > 0) await db.runs.bulkDelete(await db.runs.orderBy("startedAt").limit(extra).primaryKeys());
    });
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    return this.db.runs.orderBy("startedAt").reverse().limit(Math.max(0, limit)).toArray();
  }

  async clear(): Promise<void> {
    const db = this.db;
    await db.transaction("rw", db.tables, async () => {
      await Promise.all(db.tables.map((t) => t.clear()));
    });
  }

  /** Closes the database connection; the cache cannot be used afterwards. */
  close(): void {
    this.db.close();
  }
}

/** Opens (creating or upgrading) the cache database with the given name. */
export async function openDexieSyncCache(name: string, deps: DexieCacheDeps = {}): Promise<DexieSyncCache> {
  const options: DexieOptions = {};
  if (deps.indexedDB) options.indexedDB = deps.indexedDB;
  if (deps.IDBKeyRange) options.IDBKeyRange = deps.IDBKeyRange;
  const db = new CacheDatabase(name, options);
  await db.open();
  return new DexieSyncCache(db);
}
