// MemoryPracticeStore: the practice port in memory, behaving like the practice API:
// versions and updatedAt move on every write, If-Match on updates and deletes, idempotency keys
// on creates, a change feed with tombstones and a monotonic cursor, clients cannot be deleted,
// values are validated. Tests drive it like a user through add/edit/remove, and inject faults.
import type { ContactFields, ContactKind, FieldPatch, OutlookRef, PracticeAttributes, PracticeContact } from "../../src/sync/model";
import { matchesFilter, validateFilter, type ContactFilter, type FilterDefinition } from "../../src/sync/filters";
import {
  CursorExpiredError,
  type CallOptions,
  type Clock,
  type FolderDecision,
  type FolderDecisionsChange,
  type PracticeChanges,
  type PracticeCreate,
  type PracticeDelete,
  type PracticeSnapshot,
  type PracticeStore,
  type PracticeUpdate,
  type WriteError,
  type WriteResult,
} from "../../src/sync/ports";
import { applyDecisionChange } from "../../src/sync/decisions";
import { FaultInjector, Lifeline, RequestCounter, faultyRead, faultyWriteBatch } from "./faults";
import { TestClock } from "./clock";
import { applyPatch, checkFields, type ValidationRules } from "./validate-fields";

const RULES: ValidationRules = { lengths: true, outlookCaps: false, dateTimeBirthday: false };

export type PracticeOp =
  | "firmId"
  | "getFilter"
  | "listContacts"
  | "changesSince"
  | "getContacts"
  | "createContacts"
  | "updateContacts"
  | "deleteContacts"
  | "getDecisions"
  | "changeDecisions";

export const PRACTICE_WRITE_OPS: readonly PracticeOp[] = ["createContacts", "updateContacts", "deleteContacts"];

/** A listing asked for a filter that does not exist (the API's 404). */
export class FilterNotFoundError extends Error {
  constructor(id: string) {
    super(`Filter ${id} does not exist.`);
    this.name = "FilterNotFoundError";
  }
}

interface FeedEntry {
  seq: number;
  id: string;
}

export interface MemoryPracticeOptions {
  firmId?: string;
  clock?: Clock;
  /** Shared with the other stores of one simulated process (see Lifeline). */
  lifeline?: Lifeline;
}

/** One write that landed, and who made it: the sync (through the port) or a user (helpers). */
export interface StoreEvent {
  op: "create" | "update" | "delete";
  id: string;
  by: "sync" | "user";
  /** What was written: the fields of a create, the patch of an update (copies). */
  fields?: FieldPatch;
}

const fail = (code: WriteError["code"], message: string): { ok: false; error: WriteError } => ({
  ok: false,
  error: { code, message, retryable: false },
});

export class MemoryPracticeStore implements PracticeStore {
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
  private readonly firm: string;
  private readonly contacts = new Map<string, PracticeContact>();
  private readonly filters = new Map<string, ContactFilter>();
  private readonly keys = new Map<string, PracticeContact>();
  /** Practice id by the Outlook contact it was made from (mailbox/id): PracticeCreate.outlookRef. */
  private readonly outlookRefs = new Map<string, string>();
  /** Decisions per folder key (one user: tests model one staff member per store). */
  private readonly decisions = new Map<string, FolderDecision[]>();
  private feed: FeedEntry[] = [];
  private seq = 0;
  private version = 0;
  private nextId = 0;
  private nextFilterId = 0;
  /** Cursors issued in an older epoch are refused (expireCursors). */
  private epoch = 1;

  constructor(opts: MemoryPracticeOptions = {}) {
    this.firm = opts.firmId ?? "firm-1";
    this.clock = opts.clock ?? new TestClock();
    this.lifeline = opts.lifeline ?? new Lifeline();
  }

  // ---- the port ------------------------------------------------------------------------------

  async firmId(opts?: CallOptions): Promise<string> {
    this.read("firmId", opts);
    return this.firm;
  }

  async getFilter(id: string, opts?: CallOptions): Promise<ContactFilter | null> {
    this.read("getFilter", opts);
    const f = this.filters.get(id);
    return f ? structuredClone(f) : null;
  }

  async listContacts(filterId: string | null, opts?: CallOptions): Promise<PracticeSnapshot> {
    this.read("listContacts", opts);
    const cursor = this.cursor();
    let filter: FilterDefinition | null = null;
    if (filterId !== null) {
      const f = this.filters.get(filterId);
      if (!f) throw new FilterNotFoundError(filterId);
      filter = f;
    }
    const contacts = [...this.contacts.values()].filter((c) => matchesFilter(filter, c)).map((c) => structuredClone(c));
    opts?.onProgress?.(contacts.length, contacts.length);
    return { contacts, cursor };
  }

  async changesSince(cursor: string, opts?: CallOptions): Promise<PracticeChanges> {
    this.read("changesSince", opts);
    const since = this.parseCursor(cursor);
    const ids = new Set<string>();
    for (const e of this.feed) if (e.seq > since) ids.add(e.id);
    const upserts: PracticeContact[] = [];
    const deleted: string[] = [];
    for (const id of ids) {
      const c = this.contacts.get(id);
      if (c) upserts.push(structuredClone(c));
      else deleted.push(id);
    }
    return { upserts, deleted, cursor: this.cursor() };
  }

  async getContacts(ids: string[], opts?: CallOptions): Promise<PracticeContact[]> {
    this.read("getContacts", opts);
    const out: PracticeContact[] = [];
    for (const id of ids) {
      const c = this.contacts.get(id);
      if (c) out.push(structuredClone(c));
    }
    return out;
  }

  async createContacts(items: PracticeCreate[], opts?: CallOptions): Promise<WriteResult<PracticeContact>[]> {
    return this.writeBatch("createContacts", items, opts, (item) => {
      const replay = this.keys.get(item.key);
      if (replay) return { ok: true, value: structuredClone(replay) };
      const refKey = item.outlookRef ? `${item.outlookRef.mailbox.toLowerCase()}/${item.outlookRef.id}` : null;
      const made = refKey ? this.contacts.get(this.outlookRefs.get(refKey) ?? "") : undefined;
      if (made) return { ok: true, value: structuredClone(made) };
      if (item.kind !== "client" && item.kind !== "standalone") return fail("invalid", `Unknown kind "${String(item.kind)}".`);
      const problem = checkFields(item.fields, RULES, false);
      if (problem) return fail("invalid", problem);
      const created = this.insert(item.kind, {}, item.fields, item.outlookRef);
      this.keys.set(item.key, structuredClone(created));
      if (refKey) this.outlookRefs.set(refKey, created.id);
      return { ok: true, value: structuredClone(created) };
    });
  }

  async updateContacts(items: PracticeUpdate[], opts?: CallOptions): Promise<WriteResult<PracticeContact>[]> {
    return this.writeBatch("updateContacts", items, opts, (item) => {
      const current = this.contacts.get(item.id);
      if (!current) return fail("not_found", `Contact ${item.id} does not exist.`);
      if (current.version !== item.version)
        return fail("conflict", `Contact ${item.id} is at version ${current.version}, not ${item.version}.`);
      const problem = checkFields(item.patch, RULES, true);
      if (problem) return fail("invalid", problem);
      return { ok: true, value: structuredClone(this.change(current, item.patch)) };
    });
  }

  async deleteContacts(items: PracticeDelete[], opts?: CallOptions): Promise<WriteResult<null>[]> {
    return this.writeBatch("deleteContacts", items, opts, (item) => {
      const current = this.contacts.get(item.id);
      if (!current) return fail("not_found", `Contact ${item.id} does not exist.`);
      if (current.kind === "client") return fail("forbidden", "A client cannot be deleted.");
      if (current.version !== item.version)
        return fail("conflict", `Contact ${item.id} is at version ${current.version}, not ${item.version}.`);
      this.drop(item.id);
      return { ok: true, value: null };
    });
  }

  async getDecisions(folderKey: string, opts?: CallOptions): Promise<FolderDecision[]> {
    this.read("getDecisions", opts);
    return structuredClone(this.decisions.get(folderKey) ?? []);
  }

  async changeDecisions(folderKey: string, change: FolderDecisionsChange, opts?: CallOptions): Promise<FolderDecision[]> {
    // A write, but not of a contact: it fails like a read (all or nothing) and is not a contact event.
    this.read("changeDecisions", opts);
    const list = applyDecisionChange(this.decisions.get(folderKey) ?? [], structuredClone(change));
    this.decisions.set(folderKey, list);
    return structuredClone(list);
  }

  // ---- acting like a user or an administrator (no faults, not counted) ------------------------

  add(fields: ContactFields, opts: { kind?: ContactKind; attributes?: PracticeAttributes } = {}): PracticeContact {
    return structuredClone(this.asUser(() => this.insert(opts.kind ?? "client", opts.attributes ?? {}, fields)));
  }

  /** Edits fields (null clears) and/or attributes (merged; undefined removes an attribute). */
  edit(id: string, patch: FieldPatch, attributes?: Partial<PracticeAttributes>): PracticeContact {
    const current = this.contacts.get(id);
    if (!current) throw new Error(`MemoryPracticeStore.edit: no contact ${id}.`);
    return structuredClone(this.asUser(() => this.change(current, patch, attributes)));
  }

  /** Deletes any contact, client or not (an administrator can; the sync API cannot). */
  remove(id: string): void {
    if (!this.contacts.has(id)) throw new Error(`MemoryPracticeStore.remove: no contact ${id}.`);
    this.asUser(() => this.drop(id));
  }

  /** The live records themselves, without copies: for fast read-only inspection in tests. Do not mutate. */
  peekAll(): readonly PracticeContact[] {
    return [...this.contacts.values()];
  }

  get(id: string): PracticeContact | undefined {
    const c = this.contacts.get(id);
    return c ? structuredClone(c) : undefined;
  }

  all(): PracticeContact[] {
    return [...this.contacts.values()].map((c) => structuredClone(c));
  }

  size(): number {
    return this.contacts.size;
  }

  addFilter(def: FilterDefinition, ownerId = "staff-1"): ContactFilter {
    const v = validateFilter(def);
    if (!v.ok) throw new Error(`MemoryPracticeStore.addFilter: ${v.errors.map((e) => e.message).join(" ")}`);
    this.nextFilterId += 1;
    const f: ContactFilter = { ...v.value, id: `filter-${this.nextFilterId}`, ownerId, updatedAt: this.clock.now() };
    this.filters.set(f.id, f);
    return structuredClone(f);
  }

  updateFilter(id: string, def: FilterDefinition): ContactFilter {
    const old = this.filters.get(id);
    if (!old) throw new Error(`MemoryPracticeStore.updateFilter: no filter ${id}.`);
    const v = validateFilter(def);
    if (!v.ok) throw new Error(`MemoryPracticeStore.updateFilter: ${v.errors.map((e) => e.message).join(" ")}`);
    const f: ContactFilter = { ...v.value, id, ownerId: old.ownerId, updatedAt: this.clock.now() };
    this.filters.set(id, f);
    return structuredClone(f);
  }

  removeFilter(id: string): void {
    this.filters.delete(id);
  }

  /** Every cursor issued so far becomes invalid (the server pruned its change log). */
  expireCursors(): void {
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

  private read(op: PracticeOp, opts?: CallOptions): void {
    faultyRead(this, "practice", op, opts?.signal);
  }

  private writeBatch<I, T>(op: PracticeOp, items: I[], opts: CallOptions | undefined, write: (item: I) => WriteResult<T>): Promise<WriteResult<T>[]> {
    return faultyWriteBatch(this, op, items, opts, write);
  }

  private insert(kind: ContactKind, attributes: PracticeAttributes, fields: ContactFields, outlookRef?: OutlookRef): PracticeContact {
    this.nextId += 1;
    const c: PracticeContact = {
      id: `p${this.nextId}`,
      kind,
      attributes: structuredClone(attributes),
      fields: structuredClone(fields),
      updatedAt: this.clock.now(),
      version: this.bumpVersion(),
      ...(outlookRef ? { outlookRef: { ...outlookRef } } : {}),
    };
    this.contacts.set(c.id, c);
    this.log(c.id, "create", fields);
    return c;
  }

  private change(current: PracticeContact, patch: FieldPatch, attributes?: Partial<PracticeAttributes>): PracticeContact {
    const next: PracticeContact = {
      ...current,
      fields: applyPatch(current.fields, patch),
      attributes: attributes ? pruneUndefined({ ...current.attributes, ...attributes }) : current.attributes,
      updatedAt: this.clock.now(),
      version: this.bumpVersion(),
    };
    this.contacts.set(next.id, next);
    this.log(next.id, "update", patch);
    return next;
  }

  private drop(id: string): void {
    this.contacts.delete(id);
    this.log(id, "delete");
  }

  private bumpVersion(): string {
    this.version += 1;
    return `W/"${this.version}"`;
  }

  private log(id: string, op: StoreEvent["op"], fields?: FieldPatch): void {
    this.events.push(fields ? { op, id, by: this.actor, fields: structuredClone(fields) } : { op, id, by: this.actor });
    if (this.actor === "sync") this.syncWrites += 1;
    this.seq += 1;
    this.feed.push({ seq: this.seq, id });
  }

  private cursor(): string {
    return `${this.epoch}.${this.seq}`;
  }

  private parseCursor(cursor: string): number {
    const m = /^(\d+)\.(\d+)$/.exec(cursor);
    if (!m) throw new CursorExpiredError("practice", `"${cursor}" is not a change cursor.`);
    const seq = Number(m[2]);
    if (Number(m[1]) !== this.epoch || seq > this.seq) throw new CursorExpiredError("practice");
    return seq;
  }
}

function pruneUndefined(a: PracticeAttributes): PracticeAttributes {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
  return out as PracticeAttributes;
}
