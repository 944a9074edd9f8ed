// MemorySyncCache: the cache port in memory. A commit is applied to a copy and swapped in
// whole, so a commit that throws (an injected crash) leaves the cache as it was. lose() wipes
// everything, as a new device or cleared browser storage would (R2: stamps must re-link).
import type { Link } from "../../src/sync/model";
import type { CacheCommit, DeferredChange, JournalEntry, RunRecord, SyncCache, SyncCursors } from "../../src/sync/ports";
import { FaultInjector, Lifeline, RequestCounter } from "./faults";

export type CacheOp =
  | "loadLinks"
  | "getCursors"
  | "getDeferred"
  | "commit"
  | "journalAppend"
  | "journalPending"
  | "addRun"
  | "listRuns"
  | "clear";

interface CacheState {
  links: Map<string, Link>;
  cursors: SyncCursors;
  deferred: DeferredChange[];
  journal: Map<string, JournalEntry>;
  runs: RunRecord[];
}

const empty = (): CacheState => ({ links: new Map(), cursors: {}, deferred: [], journal: new Map(), runs: [] });

export class MemorySyncCache implements SyncCache {
  readonly faults = new FaultInjector();
  readonly requests = new RequestCounter();
  private state: CacheState = empty();
  /** How many runs are kept (the Dexie cache keeps a bounded history too). */
  private readonly maxRuns: number;

  readonly lifeline: Lifeline;

  constructor(opts: { maxRuns?: number; lifeline?: Lifeline } = {}) {
    this.maxRuns = opts.maxRuns ?? 50;
    this.lifeline = opts.lifeline ?? new Lifeline();
  }

  async loadLinks(): Promise<Link[]> {
    this.op("loadLinks");
    return [...this.state.links.values()].map((l) => structuredClone(l));
  }

  async getCursors(): Promise<SyncCursors> {
    this.op("getCursors");
    return structuredClone(this.state.cursors);
  }

  async getDeferred(): Promise<DeferredChange[]> {
    this.op("getDeferred");
    return structuredClone(this.state.deferred);
  }

  async commit(change: CacheCommit): Promise<void> {
    this.op("commit");
    const next: CacheState = {
      ...this.state,
      links: new Map(this.state.links),
      journal: new Map(this.state.journal),
    };
    for (const id of change.deleteLinks ?? []) next.links.delete(id);
    for (const link of change.putLinks ?? []) next.links.set(link.practiceId, structuredClone(link));
    if (change.cursors) next.cursors = structuredClone(change.cursors);
    if (change.deferred) next.deferred = structuredClone(change.deferred);
    for (const id of change.completeJournal ?? []) next.journal.delete(id);
    this.state = next;
  }

  async journalAppend(entries: JournalEntry[]): Promise<void> {
    this.op("journalAppend");
    const journal = new Map(this.state.journal);
    for (const e of entries) journal.set(e.id, structuredClone(e));
    this.state = { ...this.state, journal };
  }

  async journalPending(): Promise<JournalEntry[]> {
    this.op("journalPending");
    return [...this.state.journal.values()]
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((e) => structuredClone(e));
  }

  async addRun(run: RunRecord): Promise<void> {
    this.op("addRun");
    const runs = [...this.state.runs.filter((r) => r.id !== run.id), structuredClone(run)];
    this.state = { ...this.state, runs: runs.slice(-this.maxRuns) };
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    this.op("listRuns");
    return this.state.runs
      .slice()
      .reverse()
      .slice(0, Math.max(0, limit))
      .map((r) => structuredClone(r));
  }

  async clear(): Promise<void> {
    this.op("clear");
    this.state = empty();
  }

  /** The cache is gone (new device, cleared storage): no faults, no counting. */
  lose(): void {
    this.state = empty();
  }

  /** Read-only views for assertions. */
  peekLinks(): Link[] {
    return [...this.state.links.values()].map((l) => structuredClone(l));
  }

  peekCursors(): SyncCursors {
    return structuredClone(this.state.cursors);
  }

  peekJournal(): JournalEntry[] {
    return [...this.state.journal.values()].map((e) => structuredClone(e));
  }

  /** A fault fires before the operation touches anything: a cache write is all or nothing. */
  private op(op: CacheOp): void {
    this.lifeline.check(`cache.${op}`);
    this.requests.hit(op);
    const fault = this.faults.take(op);
    if (fault === "crash") this.lifeline.kill(`cache.${op}`);
    if (fault) throw new Error(`Simulated ${fault} in cache.${op} (as an IndexedDB error would surface).`);
  }
}
