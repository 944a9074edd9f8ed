// The engine's ports: what it needs from the practice system, from Outlook, from its cache and
// from the world (clock, ids). Adapters implement them; the engine imports nothing else.
// Every port is async and batch-oriented: the adapters decide how batches become HTTP requests.
import type { ContactFields, ContactKind, FieldPatch, Link, OutlookContact, OutlookRef, PracticeContact } from "./model";
import type { ContactFilter } from "./filters";

// ---- results and errors --------------------------------------------------------------------

export type WriteErrorCode =
  | "conflict" // stale version (412) or a competing write
  | "not_found" // the record is gone
  | "invalid" // the store rejected the value (400/422); retrying the same write will not help
  | "forbidden" // not allowed (e.g. deleting a client)
  | "throttled" // 429 after the adapter's own retries
  | "unavailable" // 5xx, timeout or network failure after retries
  | "unknown";

export interface WriteError {
  code: WriteErrorCode;
  message: string;
  /** True when the same write may succeed later (throttled, unavailable). */
  retryable: boolean;
}

/** One result per item, in the order of the request. A failed item fails only its contact (R19). */
export type WriteResult<T> = { ok: true; value: T } | { ok: false; error: WriteError };

/** The change cursor / delta token is no longer valid: the caller must do a full read (safe by R2/R8). */
export class CursorExpiredError extends Error {
  readonly side: "practice" | "outlook";
  constructor(side: "practice" | "outlook", message?: string) {
    super(message ?? `The ${side} change cursor has expired; a full resync is needed.`);
    this.name = "CursorExpiredError";
    this.side = side;
  }
}

/** A whole store could not be read or reached (after the adapter's retries). The run stops; nothing is lost. */
export class StoreUnavailableError extends Error {
  readonly side: "practice" | "outlook";
  readonly status?: number;
  constructor(side: "practice" | "outlook", message: string, status?: number) {
    super(message);
    this.name = "StoreUnavailableError";
    this.side = side;
    this.status = status;
  }
}

/** A store answered with something that is not what the contract promises. Nothing is written. */
export class MalformedResponseError extends Error {
  readonly side: "practice" | "outlook";
  constructor(side: "practice" | "outlook", message: string) {
    super(message);
    this.name = "MalformedResponseError";
    this.side = side;
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Called as pages arrive or batches complete: (done, total if known). */
  onProgress?: (done: number, total?: number) => void;
  /**
   * Called when the store pauses for the service's request limit (e.g. Outlook's budget per 10 minutes)
   * and will continue by itself at `resumeAt` (ISO 8601).
   */
  onWaiting?: (resumeAt: string) => void;
}

// ---- practice system -------------------------------------------------------------------------

export interface PracticeSnapshot {
  contacts: PracticeContact[];
  /** A change-feed cursor taken *before* the listing, so nothing changed during it is missed. */
  cursor: string;
}

export interface PracticeChanges {
  /** Created or changed contacts, whatever the filter (the engine evaluates scope). */
  upserts: PracticeContact[];
  /** Ids of deleted contacts (tombstones). */
  deleted: string[];
  cursor: string;
}

export type { OutlookRef } from "./model";

export interface PracticeCreate {
  /** Idempotency key: replaying a key returns the first result (R13). */
  key: string;
  kind: ContactKind;
  fields: ContactFields;
  /**
   * R2/R13: the Outlook contact this record is made from (R7 imports). The store keeps it with the
   * record, atomically with the create, and a create naming an Outlook contact that a live record
   * already names returns that record instead of making a second one. So a crash between the
   * practice create and the Outlook stamp needs no local journal: the next sync's create links them.
   */
  outlookRef?: OutlookRef;
}

export interface PracticeUpdate {
  id: string;
  /** If-Match: the update fails with "conflict" when the record moved on. */
  version: string;
  patch: FieldPatch;
}

export interface PracticeDelete {
  id: string;
  version: string;
}

/**
 * One of a user's decisions about one folder, kept in the practice system so that every device of the
 * user sees it (R2): a lost or new cache rebuilds from the two stores and these alone.
 * - `excluded`: R10, the user deleted the contact in Outlook; it is not re-added until included again.
 * - `retired`: an Outlook contact the sync let go (excluded then included again, or replaced after an
 *   R11 keep). If it comes back from Deleted Items it is a restore, not a second create.
 */
export interface FolderDecision {
  practiceId: string;
  kind: "excluded" | "retired";
  /** The Outlook contact concerned (immutable id). */
  outlookId?: string;
  /** The create token of that contact's stamp (StampInfo.made). */
  made?: string;
  /**
   * `retired` only: the record this contact became after its own record (practiceId) was deleted and
   * the user kept the contact (R11). Another contact of the deleted record that comes back from Deleted
   * Items is then that record's, not a new person (R2).
   */
  replacedBy?: string;
  /** ISO time the decision was taken. */
  at: string;
}

export interface FolderDecisionsChange {
  /** Added, or replacing the decision with the same practiceId, kind and outlookId. */
  put?: FolderDecision[];
  /** Removes every decision of this kind for this practice id. */
  remove?: { practiceId: string; kind: FolderDecision["kind"] }[];
}

export interface PracticeStore {
  /** The firm's id, used in stamps (R2). */
  firmId(opts?: CallOptions): Promise<string>;
  /** A firm filter by id (null when it no longer exists). */
  getFilter(id: string, opts?: CallOptions): Promise<ContactFilter | null>;
  /** Every contact in scope of the filter (null: all contacts). */
  listContacts(filterId: string | null, opts?: CallOptions): Promise<PracticeSnapshot>;
  /** Changes since the cursor. Throws CursorExpiredError when the cursor is too old. */
  changesSince(cursor: string, opts?: CallOptions): Promise<PracticeChanges>;
  /** Current state of specific contacts; ids that no longer exist are omitted. */
  getContacts(ids: string[], opts?: CallOptions): Promise<PracticeContact[]>;
  createContacts(items: PracticeCreate[], opts?: CallOptions): Promise<WriteResult<PracticeContact>[]>;
  updateContacts(items: PracticeUpdate[], opts?: CallOptions): Promise<WriteResult<PracticeContact>[]>;
  /** Standalone contacts only; a client is never deleted (R10). */
  deleteContacts(items: PracticeDelete[], opts?: CallOptions): Promise<WriteResult<null>[]>;
  /** The signed-in user's decisions for a folder (folderKey: mailbox + folder id); [] when none. */
  getDecisions(folderKey: string, opts?: CallOptions): Promise<FolderDecision[]>;
  /** Applies a change to those decisions (commutative set operations) and returns the whole set. */
  changeDecisions(folderKey: string, change: FolderDecisionsChange, opts?: CallOptions): Promise<FolderDecision[]>;
}

// ---- Outlook folder --------------------------------------------------------------------------

export interface OutlookChanges {
  upserts: OutlookContact[];
  /** Ids reported as removed from the folder. */
  removed: string[];
  /** Token for the next incremental read (Graph's deltaLink). */
  deltaToken: string;
  /** True when this read enumerated the whole folder (no token, or a reset). */
  full: boolean;
}

export interface OutlookCreate {
  /** The stamp to write with the contact (R2); undefined is never used by the engine. */
  stamp: string;
  fields: ContactFields;
}

export interface OutlookUpdate {
  id: string;
  /** The changeKey the engine last saw; adapters may use it for If-Match. */
  changeKey: string;
  patch: FieldPatch;
  /** Set to (re)write the stamp, e.g. after an Outlook-born contact got its practice id (R7). */
  stamp?: string;
  /**
   * The display name the contact holds after this write, set by the engine when the patch does not
   * change it. Graph regenerates displayName when other properties change and it is not resent
   * (graph-contacts.md §1.1): an adapter resends this value instead of reading the old one first.
   * It is not a change: the patch alone says what the write changes (R14).
   */
  displayName?: string;
}

export interface OutlookStore {
  /**
   * Items per write call that the adapter sends in one round trip (Graph: 20 per $batch × requests in
   * flight). When present, apply() sizes its Outlook calls by it so no call ends with a short round trip.
   */
  readonly writeChunkSize?: number;
  /**
   * Write calls the adapter takes at once (Graph: 2, queued behind its in-flight limit). apply() then
   * journals and sends the next call while the previous one is in flight; absent: one at a time.
   */
  readonly pipelineDepth?: number;
  /** Delta read of the folder: null token = full enumeration. Throws CursorExpiredError on 410. */
  readChanges(deltaToken: string | null, opts?: CallOptions): Promise<OutlookChanges>;
  createContacts(items: OutlookCreate[], opts?: CallOptions): Promise<WriteResult<OutlookContact>[]>;
  updateContacts(items: OutlookUpdate[], opts?: CallOptions): Promise<WriteResult<OutlookContact>[]>;
  /** Graph DELETE moves the contact to Deleted Items (R9: recoverable). */
  deleteContacts(ids: string[], opts?: CallOptions): Promise<WriteResult<null>[]>;
  /**
   * Contacts of the folder whose stamp names the same practice record as any of these stamps
   * (compare with `stampKey` from model.ts, not the whole string: a stamp also records origin and
   * create token). R13: resolve in-flight creates; R2: find a record's other copies.
   */
  findByStamps(stamps: string[], opts?: CallOptions): Promise<OutlookContact[]>;
}

// ---- cache ------------------------------------------------------------------------------------

export interface SyncCursors {
  practiceCursor?: string;
  outlookDeltaToken?: string;
  /** valueKey of the filter definition the cursors were taken with; a change forces a full read. */
  filterKey?: string;
  firmId?: string;
  /** Changes to the user's shared decisions that the practice system has not taken yet (sent first next run). */
  pendingDecisions?: FolderDecisionsChange;
}

export type JournalOp =
  | "create-practice"
  | "create-outlook"
  | "update-practice"
  | "update-outlook"
  | "delete-practice"
  | "delete-outlook";

/** An intent written before the write it describes (R13). */
export interface JournalEntry {
  id: string;
  runId: string;
  op: JournalOp;
  /** Idempotency key (practice creates) or stamp (Outlook creates); the id otherwise. */
  key: string;
  practiceId?: string;
  outlookId?: string;
  createdAt: string;
  /** Whatever the engine needs to finish or roll forward the intent. */
  payload?: unknown;
}

/** A change the user deselected (R14) or that failed (R19): kept so it comes back next time. */
export interface DeferredChange {
  side: "practice" | "outlook";
  id: string;
  /** The record as last read; undefined when the change was a deletion. */
  record?: PracticeContact | OutlookContact;
  deleted?: boolean;
}

export interface ContactError {
  practiceId?: string;
  outlookId?: string;
  name: string;
  code: WriteErrorCode | "conflict-rule";
  message: string;
}

export type RunStatus = "ok" | "partial" | "failed" | "cancelled" | "stopped";

export interface RunRecord {
  id: string;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  /** Counts per action and direction, e.g. {"add:toOutlook": 3, linked: 120, excluded: 2, failed: 1}. */
  counts: Record<string, number>;
  errors: ContactError[];
  message?: string;
}

/** One atomic write to the cache: everything in it lands together or not at all. */
export interface CacheCommit {
  putLinks?: Link[];
  deleteLinks?: string[];
  cursors?: SyncCursors;
  /** Replaces the whole deferred set when present. */
  deferred?: DeferredChange[];
  completeJournal?: string[];
}

export interface SyncCache {
  loadLinks(): Promise<Link[]>;
  getCursors(): Promise<SyncCursors>;
  getDeferred(): Promise<DeferredChange[]>;
  commit(change: CacheCommit): Promise<void>;
  journalAppend(entries: JournalEntry[]): Promise<void>;
  journalPending(): Promise<JournalEntry[]>;
  addRun(run: RunRecord): Promise<void>;
  /** Most recent first. */
  listRuns(limit: number): Promise<RunRecord[]>;
  /** Forget everything (links, cursors, journal, deferred, runs). */
  clear(): Promise<void>;
}

// ---- the world ------------------------------------------------------------------------------

export interface Clock {
  /** Current time as ISO 8601 UTC. */
  now(): string;
}

export interface IdSource {
  /** A new unique id (idempotency keys, run ids, journal ids). */
  next(): string;
}
