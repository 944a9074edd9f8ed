// Contacts in SQLite: reads (pages by id, by ids), writes that bump the firm's change sequence, and the
// change feed with tombstones kept for a retention period (DESIGN §5).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { matchesFilter, type FilterDefinition } from "../../sync/filters";
import { derivedDisplayName, normalizeString } from "../../sync/normalize";
import type { ContactFields, ContactKind, PracticeAttributes, PracticeContact } from "../../sync/model";
import type { OutlookRef } from "../../sync/ports";
import { fromApiContact, toApiContact, type ApiContact } from "../contact-mapping";
import type { Db } from "./db";
import { PAGE_SCAN_MAX, PAGE_SCAN_MS, PAGE_SCAN_SLICE } from "./limits";
import { ProblemError, notFound } from "./problem";

interface ContactRow {
  id: string;
  firm_id: string;
  kind: ContactKind;
  fields: string;
  attributes: string;
  updated_at: string;
  seq: number;
  deleted_at: string | null;
  /** The contact's API JSON, written with every change. */
  doc: string | null;
  /** The Outlook contact the record was made from (R2): set on create only. */
  outlook_mailbox: string | null;
  outlook_id: string | null;
}

/** A stored contact: the engine's record plus the practice-only reference to its Outlook origin. */
export type StoredContact = PracticeContact & { outlookRef?: OutlookRef };

export interface NewContact {
  kind: ContactKind;
  fields: ContactFields;
  attributes: PracticeAttributes;
  /** Seeding only: a fixed id and time. */
  id?: string;
  outlookRef?: OutlookRef;
}

export interface ContactChanges {
  fields: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

/** Upserts carry the contact's API JSON, ready to send. */
export type FeedEntry = { type: "upsert"; doc: string } | { type: "delete"; id: string; deletedAt: string };

const SCAN_CHUNK = 500;

function rowToContact(row: ContactRow): StoredContact {
  const c: StoredContact = {
    id: row.id,
    kind: row.kind,
    fields: JSON.parse(row.fields) as ContactFields,
    attributes: JSON.parse(row.attributes) as PracticeAttributes,
    updatedAt: row.updated_at,
    version: String(row.seq),
  };
  if (row.outlook_mailbox !== null && row.outlook_id !== null) c.outlookRef = { mailbox: row.outlook_mailbox, id: row.outlook_id };
  return c;
}

/** The API JSON of a row, as stored; computed for a row written before docs existed. */
function docOf(row: ContactRow): string {
  return row.doc ?? JSON.stringify(toApiContact(rowToContact(row)));
}

/** "3", "\"3\"" and W/"3" all name version 3. */
export function parseVersion(tag: string): string {
  return tag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

/** Applies a patch: null (or an empty value) clears, a value replaces, an absent key is left alone. */
/**
 * Like Outlook, a contact without a display name of its own shows the one built from its name parts
 * (given, middle, surname, suffix; else company; else first email), and that built name follows the parts
 * when they change. A name typed by someone is kept as it is.
 */
function withBuiltDisplayName(fields: Record<string, unknown>, wasBuilt: boolean): Record<string, unknown> {
  if (!wasBuilt) return fields;
  const out = { ...fields };
  const built = derivedDisplayName(out as ContactFields);
  if (built === undefined) delete out.displayName;
  else out.displayName = built;
  return out;
}

function hasBuiltDisplayName(fields: Record<string, unknown>): boolean {
  const own = normalizeString(fields.displayName);
  return own === undefined || own === derivedDisplayName(fields as ContactFields);
}

function applyChanges(target: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Deep equality of JSON values, ignoring key order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export class ContactsRepo {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.stmts = {
      get: db.prepare<[string, string], ContactRow>("SELECT * FROM contacts WHERE firm_id = ? AND id = ? AND deleted_at IS NULL"),
      // Served by the partial unique index contacts_outlook_ref (same expression, same condition).
      byOutlookRef: db.prepare<[string, string, string], ContactRow>(
        "SELECT * FROM contacts WHERE firm_id = ? AND lower(outlook_mailbox) = lower(?) AND outlook_id = ? AND deleted_at IS NULL AND outlook_id IS NOT NULL",
      ),
      // A listing reads the stored JSON only: the other columns would double what SQLite copies out.
      scan: db.prepare<[string, string, number], Pick<ContactRow, "id" | "doc">>(
        "SELECT id, doc FROM contacts WHERE firm_id = ? AND id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?",
      ),
      // The same rows with the JSON as its stored UTF-8 bytes: a listing sends them on as they are, with
      // no decoding into a JavaScript string and no encoding back (about 40 % of a page's server time).
      scanBytes: db.prepare<[string, string, number], { id: string; doc: Buffer | null }>(
        "SELECT id, CAST(doc AS BLOB) AS doc FROM contacts WHERE firm_id = ? AND id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?",
      ),
      nextSeq: db.prepare<[string], { last_seq: number }>("UPDATE firms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq"),
      lastSeq: db.prepare<[string], { last_seq: number; purged_seq: number }>("SELECT last_seq, purged_seq FROM firms WHERE id = ?"),
      nextCode: db.prepare<[string], { code: number }>(
        "UPDATE firms SET next_client_code = next_client_code + 1 WHERE id = ? RETURNING next_client_code - 1 AS code",
      ),
      insert: db.prepare(
        "INSERT INTO contacts (id, firm_id, kind, fields, attributes, updated_at, seq, doc, outlook_mailbox, outlook_id) " +
          "VALUES (@id, @firm_id, @kind, @fields, @attributes, @updated_at, @seq, @doc, @outlook_mailbox, @outlook_id)",
      ),
      update: db.prepare("UPDATE contacts SET fields = @fields, attributes = @attributes, updated_at = @updated_at, seq = @seq, doc = @doc WHERE id = @id"),
      tombstone: db.prepare("UPDATE contacts SET deleted_at = @deleted_at, updated_at = @deleted_at, seq = @seq WHERE id = @id"),
      feed: db.prepare<[string, number, number], ContactRow>("SELECT * FROM contacts WHERE firm_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
      purgeable: db.prepare<[string, string], { max_seq: number | null }>(
        "SELECT MAX(seq) AS max_seq FROM contacts WHERE firm_id = ? AND deleted_at IS NOT NULL AND deleted_at < ?",
      ),
      purge: db.prepare("DELETE FROM contacts WHERE firm_id = ? AND deleted_at IS NOT NULL AND deleted_at < ?"),
      setPurged: db.prepare("UPDATE firms SET purged_seq = MAX(purged_seq, ?) WHERE id = ?"),
    };
  }

  get(firmId: string, id: string): StoredContact | undefined {
    const row = this.stmts.get.get(firmId, id);
    return row ? rowToContact(row) : undefined;
  }

  byIds(firmId: string, ids: string[]): StoredContact[] {
    return ids.map((id) => this.get(firmId, id)).filter((c): c is StoredContact => c !== undefined);
  }

  /** The live contact made from this Outlook contact (mailbox compared case-insensitively), if any. */
  byOutlookRef(firmId: string, ref: OutlookRef): StoredContact | undefined {
    const row = this.stmts.byOutlookRef.get(firmId, ref.mailbox, ref.id);
    return row ? rowToContact(row) : undefined;
  }

  /**
   * One page of contacts in id order, after `afterId`, matching the filter, as API JSON strings. The scan
   * walks the index in chunks, so a page costs what it reads, whatever the filter; without a filter the
   * stored JSON goes out as it is.
   */
  page(firmId: string, filter: FilterDefinition | null, afterId: string, limit: number): { docs: string[]; lastId: string | null } {
    const scan = this.scanPage(firmId, filter, afterId, limit);
    for (;;) {
      const step = scan.next();
      if (step.done) return step.value;
    }
  }

  /** The same page for a request: between slices of a filtered scan, other callers' requests take their turn. */
  async pageForRequest(firmId: string, filter: FilterDefinition | null, afterId: string, limit: number): Promise<{ docs: string[]; lastId: string | null }> {
    const scan = this.scanPage(firmId, filter, afterId, limit);
    for (;;) {
      const step = scan.next();
      if (step.done) return step.value;
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** A page for a request as UTF-8 JSON bytes per contact, ready to send. */
  async pageBytesForRequest(firmId: string, filter: FilterDefinition | null, afterId: string, limit: number): Promise<{ docs: Buffer[]; lastId: string | null }> {
    if (filter) {
      const page = await this.pageForRequest(firmId, filter, afterId, limit);
      return { docs: page.docs.map((d) => Buffer.from(d)), lastId: page.lastId };
    }
    const rows = this.stmts.scanBytes.all(firmId, afterId, limit + 1);
    const page = rows.slice(0, limit);
    return {
      docs: page.map((row) => row.doc ?? Buffer.from(this.docOfListed(firmId, { id: row.id, doc: null }))),
      lastId: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  /** Yields after every PAGE_SCAN_SLICE contacts a filtered scan reads; returns the page. */
  private *scanPage(firmId: string, filter: FilterDefinition | null, afterId: string, limit: number): Generator<void, { docs: string[]; lastId: string | null }> {
    const docs: string[] = [];
    let cursor = afterId;
    let scanned = 0;
    const deadline = performance.now() + PAGE_SCAN_MS;
    if (!filter) {
      // One read of a page and the row after it, which says whether there is a next page.
      const rows = this.stmts.scan.all(firmId, afterId, limit + 1);
      const page = rows.slice(0, limit);
      return { docs: page.map((row) => this.docOfListed(firmId, row)), lastId: rows.length > limit ? page[page.length - 1].id : null };
    }
    for (;;) {
      const rows = this.stmts.scan.all(firmId, cursor, SCAN_CHUNK);
      for (const row of rows) {
        cursor = row.id;
        const doc = this.docOfListed(firmId, row);
        if (matchesFilter(filter, fromApiContact(JSON.parse(doc) as ApiContact))) docs.push(doc);
        if (docs.length === limit) return { docs, lastId: this.hasAfter(firmId, cursor) ? cursor : null };
        // A filter that matches little would otherwise scan the whole firm in one request, holding the
        // event loop for every other caller; so a filtered page also ends after PAGE_SCAN_MAX rows or
        // PAGE_SCAN_MS, however few matched.
        if (++scanned === PAGE_SCAN_MAX || performance.now() > deadline) return { docs, lastId: this.hasAfter(firmId, cursor) ? cursor : null };
        if (scanned % PAGE_SCAN_SLICE === 0) yield;
      }
      if (rows.length < SCAN_CHUNK) return { docs, lastId: null };
    }
  }

  /** A listed row's JSON; a row written before docs existed is read whole and converted. */
  private docOfListed(firmId: string, row: Pick<ContactRow, "id" | "doc">): string {
    if (row.doc !== null) return row.doc;
    const full = this.stmts.get.get(firmId, row.id);
    if (!full) throw new Error(`contact ${row.id} vanished while it was listed`);
    return docOf(full);
  }

  private hasAfter(firmId: string, id: string): boolean {
    return this.stmts.scan.all(firmId, id, 1).length > 0;
  }

  /** The firm's change position now (for a listing's change cursor). */
  position(firmId: string): number {
    return this.stmts.lastSeq.get(firmId)?.last_seq ?? 0;
  }

  private bump(firmId: string): number {
    const row = this.stmts.nextSeq.get(firmId);
    if (!row) throw notFound("No such firm.");
    return row.last_seq;
  }

  create(firmId: string, input: NewContact): StoredContact {
    const attributes = { ...input.attributes };
    if (input.kind === "client" && !attributes.clientCode) {
      attributes.clientCode = `C${this.stmts.nextCode.get(firmId)!.code}`;
    }
    const seq = this.bump(firmId);
    const contact: StoredContact = {
      id: input.id ?? randomUUID(),
      kind: input.kind,
      fields: withBuiltDisplayName(input.fields as Record<string, unknown>, normalizeString(input.fields.displayName) === undefined) as ContactFields,
      attributes,
      updatedAt: new Date(this.now()).toISOString(),
      version: String(seq),
    };
    if (input.outlookRef) contact.outlookRef = { mailbox: input.outlookRef.mailbox, id: input.outlookRef.id };
    this.stmts.insert.run({
      id: contact.id,
      firm_id: firmId,
      kind: contact.kind,
      fields: JSON.stringify(contact.fields),
      attributes: JSON.stringify(contact.attributes),
      updated_at: contact.updatedAt,
      seq,
      doc: JSON.stringify(toApiContact(contact)),
      outlook_mailbox: contact.outlookRef?.mailbox ?? null,
      outlook_id: contact.outlookRef?.id ?? null,
    });
    return contact;
  }

  update(firmId: string, id: string, ifMatch: string | undefined, changes: ContactChanges): StoredContact {
    const current = this.get(firmId, id);
    if (!current) throw notFound("No such contact.");
    if (ifMatch !== undefined && parseVersion(ifMatch) !== current.version)
      throw new ProblemError(412, "stale-version", `The contact is at version ${current.version}.`);
    const before = current.fields as Record<string, unknown>;
    const changed = applyChanges(before, changes.fields);
    // A display name sent in this patch is the caller's; otherwise a built one follows the name parts,
    // and a contact left with none gets the built one.
    const sentName = normalizeString(changes.fields.displayName) !== undefined;
    const partsMoved = derivedDisplayName(before as ContactFields) !== derivedDisplayName(changed as ContactFields);
    const rebuild = !sentName && ((partsMoved && hasBuiltDisplayName(before)) || normalizeString(changed.displayName) === undefined);
    const fields = withBuiltDisplayName(changed, rebuild);
    const attributes = applyChanges(current.attributes as Record<string, unknown>, changes.attributes);
    // A patch that changes nothing is not a change: no new version, nothing in the feed (R3, R12).
    if (sameValue(fields, current.fields) && sameValue(attributes, current.attributes)) return current;
    const seq = this.bump(firmId);
    const updatedAt = new Date(this.now()).toISOString();
    const next: StoredContact = { ...current, fields: fields as ContactFields, attributes: attributes as PracticeAttributes, updatedAt, version: String(seq) };
    this.stmts.update.run({
      id,
      fields: JSON.stringify(fields),
      attributes: JSON.stringify(attributes),
      updated_at: updatedAt,
      seq,
      doc: JSON.stringify(toApiContact(next)),
    });
    return next;
  }

  /** Standalone contacts only: the sync never deletes a client (R10). Leaves a tombstone for the feed. */
  delete(firmId: string, id: string, ifMatch: string | undefined): void {
    const current = this.get(firmId, id);
    if (!current) throw notFound("No such contact.");
    if (current.kind === "client") throw new ProblemError(409, "cannot-delete-client", "Clients are never deleted through the API.");
    if (ifMatch !== undefined && parseVersion(ifMatch) !== current.version)
      throw new ProblemError(412, "stale-version", `The contact is at version ${current.version}.`);
    const seq = this.bump(firmId);
    this.stmts.tombstone.run({ id, deleted_at: new Date(this.now()).toISOString(), seq });
  }

  /** Drops tombstones older than the retention and remembers the newest change they took with them. */
  purgeTombstones(firmId: string, retentionMs: number): void {
    const cutoff = new Date(this.now() - retentionMs).toISOString();
    const { max_seq } = this.stmts.purgeable.get(firmId, cutoff) ?? { max_seq: null };
    if (max_seq === null) return;
    this.db.transaction(() => {
      this.stmts.purge.run(firmId, cutoff);
      this.stmts.setPurged.run(max_seq, firmId);
    })();
  }

  /**
   * Changes after `afterSeq` (undefined: from the beginning), oldest first. Throws cursor-expired when the
   * cursor predates purged tombstones, or comes from the future (a reset database).
   */
  changes(firmId: string, afterSeq: number | undefined, limit: number): { entries: FeedEntry[]; seq: number; hasMore: boolean } {
    const pos = this.stmts.lastSeq.get(firmId)!;
    if (afterSeq !== undefined && (afterSeq < pos.purged_seq || afterSeq > pos.last_seq))
      throw new ProblemError(410, "cursor-expired", "The cursor is older than the change history kept; list the contacts again.");
    const rows = this.stmts.feed.all(firmId, afterSeq ?? 0, limit + 1);
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const entries: FeedEntry[] = page.map((row) =>
      row.deleted_at ? { type: "delete", id: row.id, deletedAt: row.deleted_at } : { type: "upsert", doc: docOf(row) },
    );
    const seq = page.length ? page[page.length - 1].seq : (afterSeq ?? 0);
    return { entries, seq, hasMore };
  }
}
