// MemoryOutlookStore: one Outlook contacts folder in memory, behaving like Graph:
// immutable ids, a new changeKey and lastModifiedDateTime on every write, the product's stamp
// (one extended property), Graph's collection caps (a 4th email is a 400), delta tokens
// (null = full enumeration; expireDeltaTokens() = 410 SyncStateNotFound) and DELETE moving the
// contact to Deleted Items. Tests drive it like a user through add/edit/remove, and inject faults.
import { stampKey, type ContactFields, type FieldPatch, type OutlookContact } from "../../src/sync/model";
import {
  CursorExpiredError,
  type CallOptions,
  type Clock,
  type OutlookChanges,
  type OutlookCreate,
  type OutlookStore,
  type OutlookUpdate,
  type WriteError,
  type WriteResult,
} from "../../src/sync/ports";
import { FaultInjector, Lifeline, RequestCounter, faultyRead, faultyWriteBatch } from "./faults";
import { TestClock } from "./clock";
import { applyPatch, checkFields, type ValidationRules } from "./validate-fields";

const RULES: ValidationRules = { lengths: false, outlookCaps: true, dateTimeBirthday: true };

export type OutlookOp = "readChanges" | "createContacts" | "updateContacts" | "deleteContacts" | "findByStamps";

export const OUTLOOK_WRITE_OPS: readonly OutlookOp[] = ["createContacts", "updateContacts", "deleteContacts"];

export interface MemoryOutlookOptions {
  clock?: Clock;
  /** Shared with the other stores of one simulated process (see Lifeline). */
  lifeline?: Lifeline;
  /**
   * Refuse an update whose changeKey is stale (412 ErrorIrresolvableConflict). Off by default:
   * Graph does not document If-Match on contacts (research/graph-contacts.md §3.2).
   */
  enforceChangeKey?: boolean;
}

interface LogEntry {
  seq: number;
  id: string;
}

/** One write that landed, and who made it: the sync (through the port) or a user (helpers). */
export interface StoreEvent {
  /** restore: a user moved the contact back from Deleted Items. */
  op: "create" | "update" | "delete" | "restore";
  id: string;
  by: "sync" | "user";
  /** What was written: the fields of a create, the patch of an update (copies). */
  fields?: FieldPatch;
}

const fail = (code: WriteError["code"], message: string): { ok: false; error: WriteError } => ({
  ok: false,
  error: { code, message, retryable: false },
});

export class MemoryOutlookStore implements OutlookStore {
  readonly faults = new FaultInjector();
  readonly requests = new RequestCounter();
  /** How many writes the sync (not a user) landed. */
  syncWrites = 0;
  /** Every write that landed, in order. */
  readonly events: StoreEvent[] = [];
  /** Who the current write is for; the helpers switch it to "user". */
  private actor: StoreEvent["by"] = "sync";
  readonly clock: Clock;
  readonly lifeline: Lifeline;
  private readonly enforceChangeKey: boolean;
  private readonly contacts = new Map<string, OutlookContact>();
  /** Contacts removed from the folder, most recent last (Graph DELETE = move to Deleted Items). */
  private readonly trash: OutlookContact[] = [];
  private log: LogEntry[] = [];
  private seq = 0;
  private nextId = 0;
  private nextKey = 0;
  private epoch = 1;

  constructor(opts: MemoryOutlookOptions = {}) {
    this.clock = opts.clock ?? new TestClock();
    this.lifeline = opts.lifeline ?? new Lifeline();
    this.enforceChangeKey = opts.enforceChangeKey ?? false;
  }

  // ---- the port ------------------------------------------------------------------------------

  async readChanges(deltaToken: string | null, opts?: CallOptions): Promise<OutlookChanges> {
    this.read("readChanges", opts);
    if (deltaToken === null) {
      const upserts = [...this.contacts.values()].map((c) => structuredClone(c));
      opts?.onProgress?.(upserts.length, upserts.length);
      return { upserts, removed: [], deltaToken: this.token(), full: true };
    }
    const since = this.parseToken(deltaToken);
    const ids = new Set<string>();
    for (const e of this.log) if (e.seq > since) ids.add(e.id);
    const upserts: OutlookContact[] = [];
    const removed: string[] = [];
    for (const id of ids) {
      const c = this.contacts.get(id);
      if (c) upserts.push(structuredClone(c));
      else removed.push(id);
    }
    return { upserts, removed, deltaToken: this.token(), full: false };
  }

  async createContacts(items: OutlookCreate[], opts?: CallOptions): Promise<WriteResult<OutlookContact>[]> {
    return this.writeBatch("createContacts", items, opts, (item) => {
      const problem = checkFields(item.fields, RULES, false);
      if (problem) return fail("invalid", problem);
      return { ok: true, value: structuredClone(this.insert(item.fields, item.stamp)) };
    });
  }

  async updateContacts(items: OutlookUpdate[], opts?: CallOptions): Promise<WriteResult<OutlookContact>[]> {
    return this.writeBatch("updateContacts", items, opts, (item) => {
      const current = this.contacts.get(item.id);
      if (!current) return fail("not_found", "The specified object was not found in the store.");
      if (this.enforceChangeKey && current.changeKey !== item.changeKey)
        return fail("conflict", "The change key passed in the request does not match the current change key for the item.");
      const problem = checkFields(item.patch, RULES, true);
      if (problem) return fail("invalid", problem);
      const merged = applyPatch(current.fields, item.patch);
      const capped = checkFields(merged, RULES, false);
      if (capped) return fail("invalid", capped);
      return { ok: true, value: structuredClone(this.change(current, item.patch, item.stamp)) };
    });
  }

  async deleteContacts(ids: string[], opts?: CallOptions): Promise<WriteResult<null>[]> {
    return this.writeBatch("deleteContacts", ids, opts, (id) => {
      if (!this.contacts.has(id)) return fail("not_found", "The specified object was not found in the store.");
      this.drop(id);
      return { ok: true, value: null };
    });
  }

  async findByStamps(stamps: string[], opts?: CallOptions): Promise<OutlookContact[]> {
    this.read("findByStamps", opts);
    const wanted = new Set(stamps.map(stampKey));
    return [...this.contacts.values()].filter((c) => c.stamp !== undefined && wanted.has(stampKey(c.stamp))).map((c) => structuredClone(c));
  }

  // ---- acting like a user in Outlook (no faults, not counted). Outlook's own UI has fixed slots,
  // so a user cannot exceed the caps either: the helpers throw rather than build an impossible state.

  /** A user creates a contact; stamp is for tests that build a state the sync made earlier. */
  add(fields: ContactFields, opts: { stamp?: string } = {}): OutlookContact {
    assertUserValue(checkFields(fields, RULES, false));
    return structuredClone(this.asUser(() => this.insert(fields, opts.stamp)));
  }

  edit(id: string, patch: FieldPatch): OutlookContact {
    const current = this.contacts.get(id);
    if (!current) throw new Error(`MemoryOutlookStore.edit: no contact ${id}.`);
    assertUserValue(checkFields(applyPatch(current.fields, patch), RULES, false));
    return structuredClone(this.asUser(() => this.change(current, patch)));
  }

  /** A user deletes the contact (it goes to Deleted Items). */
  remove(id: string): void {
    if (!this.contacts.has(id)) throw new Error(`MemoryOutlookStore.remove: no contact ${id}.`);
    this.asUser(() => this.drop(id));
  }

  /**
   * A user moves a contact back from Deleted Items into the folder. It keeps its immutable id, stamp
   * and fields (the move is one item changing folders), and delta reports it as an upsert again.
   */
  restore(id: string): OutlookContact {
    const i = this.trash.findIndex((c) => c.id === id);
    if (i < 0) throw new Error(`MemoryOutlookStore.restore: no contact ${id} in Deleted Items.`);
    if (this.contacts.has(id)) throw new Error(`MemoryOutlookStore.restore: ${id} is already in the folder.`);
    const [c] = this.trash.splice(i, 1);
    const back: OutlookContact = { ...c, changeKey: this.newChangeKey(), lastModified: this.clock.now() };
    this.contacts.set(id, back);
    this.asUser(() => this.logChange(id, "restore"));
    return structuredClone(back);
  }

  /**
   * A user copies a contact within the folder (copy and paste in Outlook): a new item with a new id
   * and the same fields. The copy keeps the stamp, as Outlook's copy keeps named extended properties.
   */
  copy(id: string): OutlookContact {
    const c = this.contacts.get(id);
    if (!c) throw new Error(`MemoryOutlookStore.copy: no contact ${id}.`);
    return structuredClone(this.asUser(() => this.insert(c.fields, c.stamp)));
  }

  /** Something other than a field edit touches the item (Outlook does this): new changeKey, same fields. */
  touch(id: string): OutlookContact {
    return this.edit(id, {});
  }

  /** The live records themselves, without copies: for fast read-only inspection in tests. Do not mutate. */
  peekAll(): readonly OutlookContact[] {
    return [...this.contacts.values()];
  }

  get(id: string): OutlookContact | undefined {
    const c = this.contacts.get(id);
    return c ? structuredClone(c) : undefined;
  }

  all(): OutlookContact[] {
    return [...this.contacts.values()].map((c) => structuredClone(c));
  }

  size(): number {
    return this.contacts.size;
  }

  /** What is in Deleted Items (recoverable, R9). */
  deletedItems(): OutlookContact[] {
    return this.trash.map((c) => structuredClone(c));
  }

  /** Every delta token issued so far becomes invalid (410 SyncStateNotFound). */
  expireDeltaTokens(): void {
    this.epoch += 1;
  }

  /** Runs a helper as a user's write (recorded as such in events). */
  private asUser<T>(write: () => T): T {
    this.actor = "user";
    try {
      return write();
    } finally {
      this.actor = "sync";
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private read(op: OutlookOp, opts?: CallOptions): void {
    faultyRead(this, "outlook", op, opts?.signal);
  }

  private writeBatch<I, T>(op: OutlookOp, items: I[], opts: CallOptions | undefined, write: (item: I) => WriteResult<T>): Promise<WriteResult<T>[]> {
    return faultyWriteBatch(this, op, items, opts, write);
  }

  private newChangeKey(): string {
    this.nextKey += 1;
    return `CK${this.nextKey.toString(36).padStart(6, "0")}`;
  }

  private insert(fields: ContactFields, stamp: string | undefined): OutlookContact {
    this.nextId += 1;
    const c: OutlookContact = {
      id: `AAMkImm${this.nextId.toString(36).padStart(5, "0")}=`,
      changeKey: this.newChangeKey(),
      lastModified: this.clock.now(),
      fields: structuredClone(fields),
    };
    c.created = c.lastModified;
    if (stamp !== undefined) c.stamp = stamp;
    this.contacts.set(c.id, c);
    this.logChange(c.id, "create", fields);
    return c;
  }

  private change(current: OutlookContact, patch: FieldPatch, stamp?: string): OutlookContact {
    const next: OutlookContact = {
      ...current,
      fields: applyPatch(current.fields, patch),
      changeKey: this.newChangeKey(),
      lastModified: this.clock.now(),
    };
    if (stamp !== undefined) next.stamp = stamp;
    this.contacts.set(next.id, next);
    this.logChange(next.id, "update", patch);
    return next;
  }

  private drop(id: string): void {
    const c = this.contacts.get(id);
    if (c) this.trash.push(c);
    this.contacts.delete(id);
    this.logChange(id, "delete");
  }

  private logChange(id: string, op: StoreEvent["op"], fields?: FieldPatch): void {
    this.events.push(fields ? { op, id, by: this.actor, fields: structuredClone(fields) } : { op, id, by: this.actor });
    if (this.actor === "sync") this.syncWrites += 1;
    this.seq += 1;
    this.log.push({ seq: this.seq, id });
  }

  private token(): string {
    return `delta.${this.epoch}.${this.seq}`;
  }

  private parseToken(token: string): number {
    const m = /^delta\.(\d+)\.(\d+)$/.exec(token);
    if (!m) throw new CursorExpiredError("outlook", `"${token}" is not a delta token.`);
    const seq = Number(m[2]);
    if (Number(m[1]) !== this.epoch || seq > this.seq) throw new CursorExpiredError("outlook");
    return seq;
  }
}

function assertUserValue(problem: string | null): void {
  if (problem) throw new Error(`MemoryOutlookStore: a user cannot enter this in Outlook: ${problem}`);
}
