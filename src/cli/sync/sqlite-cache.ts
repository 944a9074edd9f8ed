// The engine's SyncCache port on SQLite, for the headless CLI (the pane uses IndexedDB).
// One file per state directory. WAL mode and one transaction per commit make it crash-safe:
// a process killed mid-run leaves either the old or the new state, never half of a commit (R13).
import Database from "better-sqlite3";
import type {
  CacheCommit,
  DeferredChange,
  JournalEntry,
  RunRecord,
  SyncCache,
  SyncCursors,
} from "../../sync/ports";
import type { Link } from "../../sync/model";

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (practice_id TEXT PRIMARY KEY, outlook_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deferred (seq INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);
`;

/** Thrown when the file is not a state database this version understands. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

export class SqliteSyncCache implements SyncCache {
  private readonly db: Database.Database;
  private seq = 0;

  constructor(file: string) {
    try {
      this.db = new Database(file);
      this.db.pragma("journal_mode = WAL");
      // FULL: a commit that returned survives a power cut, not just a killed process.
      this.db.pragma("synchronous = FULL");
      this.db.pragma("busy_timeout = 5000");
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new StateFileError(`Cannot open the state database ${file}: ${(err as Error).message}`);
    }
    const version = this.getMeta("schemaVersion");
    if (version === undefined) this.setMeta("schemaVersion", String(SCHEMA_VERSION));
    else if (version !== String(SCHEMA_VERSION)) {
      throw new StateFileError(`The state database ${file} has schema version ${version}; this program reads ${SCHEMA_VERSION}.`);
    }
    const row = this.db
      .prepare("SELECT MAX(s) AS s FROM (SELECT MAX(seq) AS s FROM journal UNION ALL SELECT MAX(seq) FROM runs)")
      .get() as { s: number | null };
    this.seq = row.s ?? 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- meta: small named values the CLI keeps beside the engine's state ----

  getMeta(key: string): string | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  deleteMeta(key: string): void {
    this.db.prepare("DELETE FROM meta WHERE key = ?").run(key);
  }

  // ---- SyncCache ----

  async loadLinks(): Promise<Link[]> {
    const rows = this.db.prepare("SELECT data FROM links ORDER BY practice_id").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Link);
  }

  async getCursors(): Promise<SyncCursors> {
    const raw = this.getMeta("cursors");
    return raw ? (JSON.parse(raw) as SyncCursors) : {};
  }

  async getDeferred(): Promise<DeferredChange[]> {
    const rows = this.db.prepare("SELECT data FROM deferred ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as DeferredChange);
  }

  async commit(change: CacheCommit): Promise<void> {
    const putLink = this.db.prepare(
      "INSERT INTO links (practice_id, outlook_id, data) VALUES (?, ?, ?) " +
        "ON CONFLICT(practice_id) DO UPDATE SET outlook_id = excluded.outlook_id, data = excluded.data",
    );
    const deleteLink = this.db.prepare("DELETE FROM links WHERE practice_id = ?");
    const addDeferred = this.db.prepare("INSERT INTO deferred (seq, data) VALUES (?, ?)");
    const completeJournal = this.db.prepare("DELETE FROM journal WHERE id = ?");
    const tx = this.db.transaction((c: CacheCommit) => {
      // Deletes first, so a commit that re-keys a link (delete old, put new) ends with the new one.
      for (const id of c.deleteLinks ?? []) deleteLink.run(id);
      for (const link of c.putLinks ?? []) putLink.run(link.practiceId, link.outlookId, JSON.stringify(link));
      if (c.cursors) this.setMeta("cursors", JSON.stringify(c.cursors));
      if (c.deferred) {
        this.db.prepare("DELETE FROM deferred").run();
        c.deferred.forEach((d, i) => addDeferred.run(i, JSON.stringify(d)));
      }
      for (const id of c.completeJournal ?? []) completeJournal.run(id);
    });
    tx(change);
  }

  async journalAppend(entries: JournalEntry[]): Promise<void> {
    const put = this.db.prepare(
      "INSERT INTO journal (id, seq, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
    );
    this.db.transaction((list: JournalEntry[]) => {
      for (const e of list) put.run(e.id, ++this.seq, JSON.stringify(e));
    })(entries);
  }

  async journalPending(): Promise<JournalEntry[]> {
    const rows = this.db.prepare("SELECT data FROM journal ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as JournalEntry);
  }

  async addRun(run: RunRecord): Promise<void> {
    // A run is added when it starts and again when it ends: keep its first position in the history.
    this.db
      .prepare(
        "INSERT INTO runs (id, started_at, seq, data) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
      )
      .run(run.id, run.startedAt, ++this.seq, JSON.stringify(run));
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    const rows = this.db
      .prepare("SELECT data FROM runs ORDER BY started_at DESC, seq DESC LIMIT ?")
      .all(Math.max(0, Math.floor(limit))) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as RunRecord);
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      for (const t of ["links", "deferred", "journal", "runs"]) this.db.prepare(`DELETE FROM ${t}`).run();
      this.db.prepare("DELETE FROM meta WHERE key <> 'schemaVersion'").run();
    })();
  }

  /** Counts for `status`, without loading every link. */
  linkCounts(): Record<string, number> {
    const rows = this.db
      .prepare("SELECT json_extract(data, '$.state') AS state, COUNT(*) AS n FROM links GROUP BY state")
      .all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
