// The cache's IndexedDB schema (Dexie 4). Bump CACHE_SCHEMA_VERSION and add a new
// `this.version(n)` block (never edit an old one) when the shape changes: Dexie upgrades
// existing databases in place, in order.
import Dexie, { type DexieOptions, type Table } from "dexie";
import type { Link } from "../sync/model";
import type { DeferredChange, JournalEntry, RunRecord, SyncCursors } from "../sync/ports";

export const CACHE_SCHEMA_VERSION = 1;

/** Single-row key/value settings of the cache (the cursors live under "cursors"). */
export interface MetaRow {
  key: "cursors";
  value: SyncCursors;
}

/** A deferred change with an auto-increment key that keeps the engine's order. */
export interface DeferredRow {
  seq?: number;
  change: DeferredChange;
}

export class CacheDatabase extends Dexie {
  links!: Table<Link, string>;
  meta!: Table<MetaRow, string>;
  journal!: Table<JournalEntry, string>;
  deferred!: Table<DeferredRow, number>;
  runs!: Table<RunRecord, string>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(CACHE_SCHEMA_VERSION).stores({
      // Primary key first; the others are indexes. Links are found by either side's id.
      links: "practiceId, outlookId, state",
      meta: "key",
      journal: "id, createdAt, runId",
      deferred: "++seq",
      runs: "id, startedAt",
    });
  }
}
