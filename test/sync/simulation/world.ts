// A simulated world: one practice system, one Outlook folder, one device's cache, a clock, and the
// users who edit both sides. It performs the scenario's user actions and keeps the facts the
// invariants need (who created, removed and edited what).
import { matchesFilter, type FilterDefinition } from "../../../src/sync/filters";
import type { FieldName, FieldPatch, OutlookContact, PracticeContact } from "../../../src/sync/model";
import { makeStamp, parseStamp } from "../../../src/sync/model";
import { capFields } from "../../../src/sync/merge";
import type { SyncSettings } from "../../../src/sync/session";
import { Lifeline, MemoryOutlookStore, MemoryPracticeStore, MemorySyncCache, SeededIds, TestClock } from "../../support";
import { EDITED_FIELDS } from "./generators";
import { EditLedger } from "./ledger";
import type { FaultSpec, Scenario, UserAction } from "./scenario";

export const FIRM_ID = "firm-1";

export class World {
  readonly clock = new TestClock("2026-03-01T09:00:00.000Z", 7);
  readonly ids: SeededIds;
  readonly lifeline = new Lifeline();
  readonly practice: MemoryPracticeStore;
  readonly outlook: MemoryOutlookStore;
  readonly cache: MemorySyncCache;
  readonly settings: SyncSettings;
  filter: FilterDefinition | null;
  readonly ledger = new EditLedger();

  /** Outlook contacts a user created (R7: they must never vanish because of the filter). */
  readonly userCreatedOutlook = new Set<string>();
  /** Practice ids whose stamped Outlook contact a user deleted (R10). */
  readonly outlookDeletedFor = new Set<string>();
  readonly userRemovedOutlook = new Set<string>();
  readonly userRemovedPractice = new Set<string>();
  /** Practice ids that were out of scope at some moment (R9 may remove their Outlook contact). */
  readonly everOutOfScope = new Set<string>();
  /** Ids (either side) whose conflict the simulated user resolved with "delete" (R11). */
  readonly conflictDeletes = new Set<string>();
  /** The last stamp seen on each Outlook contact. */
  readonly stampOf = new Map<string, string>();
  /** Kind of every practice contact ever seen. */
  readonly kindOf = new Map<string, PracticeContact["kind"]>();
  /** Marker (nickName) of every practice contact ever seen, and markers of Outlook contacts users deleted. */
  readonly markerOf = new Map<string, string>();
  readonly removedOutlookMarkers = new Set<string>();
  cacheLostEver = false;
  private eventsSeen = 0;
  private marker = 0;

  constructor(readonly scenario: Scenario, seed: number) {
    this.ids = new SeededIds(seed, "sim");
    this.practice = new MemoryPracticeStore({ firmId: FIRM_ID, clock: this.clock, lifeline: this.lifeline });
    this.outlook = new MemoryOutlookStore({
      clock: this.clock,
      lifeline: this.lifeline,
      enforceChangeKey: scenario.settings.outlookIfMatch,
    });
    this.cache = new MemorySyncCache({ lifeline: this.lifeline });
    const s = scenario.settings;
    let filterId: string | null = null;
    this.filter = null;
    if (s.filterOffices) {
      const f = this.practice.addFilter({
        name: "Simulated offices",
        match: "any",
        criteria: [{ field: "office", method: "list", values: s.filterOffices }],
      });
      filterId = f.id;
      this.filter = f;
    }
    this.settings = {
      filterId,
      importKind: s.importKind,
      wholeRecord: s.wholeRecord,
      deleteStandaloneOnOutlookDelete: s.deleteStandaloneOnOutlookDelete,
    };
    const created = scenario.practice.map((c) =>
      this.addPractice(c.kind, c.office, c.fields),
    );
    for (const o of scenario.outlook) {
      if (o.stampedCopyOf === undefined) {
        this.addOutlook(o.fields);
        continue;
      }
      // Made by another device's sync (R8): a stamped copy, possibly edited since, and no link here.
      const p = created[o.stampedCopyOf];
      const fields: Record<string, unknown> = { ...capFields(p.fields) };
      for (const [k, v] of Object.entries(o.fields)) {
        if (v === null) delete fields[k];
        else if (v !== undefined) fields[k] = v;
      }
      const copy = this.outlook.add(fields, { stamp: makeStamp(FIRM_ID, p.id) });
      this.stampOf.set(copy.id, copy.stamp!);
      for (const f of EDITED_FIELDS) {
        this.ledger.record("practice", p.fields.nickName!, f, p.fields[f]);
        this.ledger.record("outlook", p.fields.nickName!, f, copy.fields[f]);
      }
    }
    this.noteScope();
  }

  /**
   * The ledger's key for a contact: its marker (nickName), which every copy of one logical contact
   * shares (an import, a re-created record, a stamped copy), so edits follow the contact across ids.
   */
  contactKey(c: { id: string; fields: { nickName?: string } }): string {
    return c.fields.nickName ?? c.id;
  }

  /** contactKey by id, for contacts known only by id (plan rows, store events). */
  keyOf(side: "practice" | "outlook", id: string): string {
    const c = side === "practice" ? this.practice.get(id) : this.outlook.get(id);
    return c ? this.contactKey(c) : (side === "practice" ? this.markerOf.get(id) : undefined) ?? id;
  }

  inScope(c: PracticeContact): boolean {
    return matchesFilter(this.filter, c);
  }

  /** Remembers which practice contacts are (or were) out of scope, kinds and stamps. */
  noteScope(): void {
    for (const c of this.practice.peekAll()) {
      this.kindOf.set(c.id, c.kind);
      if (c.fields.nickName) this.markerOf.set(c.id, c.fields.nickName);
      if (!this.inScope(c)) this.everOutOfScope.add(c.id);
    }
    for (const o of this.outlook.peekAll()) if (o.stamp) this.stampOf.set(o.id, o.stamp);
    // Records the sync created and deleted between two looks are known from its writes.
    for (let i = this.eventsSeen; i < this.practice.events.length; i++) {
      const e = this.practice.events[i];
      if (e.op === "create" && e.fields?.nickName && !this.markerOf.has(e.id)) this.markerOf.set(e.id, e.fields.nickName);
    }
    this.eventsSeen = this.practice.events.length;
  }

  perform(a: UserAction): string {
    const note = this.performOne(a);
    this.noteScope();
    return note;
  }

  private performOne(a: UserAction): string {
    if (a.side === "practice") {
      if (a.kind === "add") return `practice add ${this.addPractice(a.contact.kind, a.contact.office, a.contact.fields).id}`;
      if (a.kind === "filter") {
        if (!this.settings.filterId) return "practice: no filter to redefine";
        this.filter = this.practice.updateFilter(this.settings.filterId, {
          name: "Simulated offices",
          match: "any",
          criteria: [{ field: "office", method: "list", values: a.offices }],
        });
        return `practice filter now ${a.offices.join(", ")}`;
      }
      const live = [...this.practice.peekAll()].sort(byId);
      if (live.length === 0) return "practice: nothing to act on";
      const c = live[a.target % live.length];
      switch (a.kind) {
        case "edit":
          this.practice.edit(c.id, a.patch);
          for (const [f, v] of Object.entries(a.patch)) this.ledger.record("practice", this.contactKey(c), f as FieldName, v);
          return `practice edit ${c.id} ${JSON.stringify(a.patch)}`;
        case "move":
          this.practice.edit(c.id, {}, { office: a.office ?? undefined });
          return `practice move ${c.id} to ${a.office ?? "no office"}`;
        case "remove":
          this.practice.remove(c.id);
          this.userRemovedPractice.add(c.id);
          this.forgetSide("practice", this.contactKey(c));
          return `practice remove ${c.id}`;
      }
    }
    if (a.kind === "add") return `outlook add ${this.addOutlook(a.fields).id}`;
    const live = [...this.outlook.peekAll()].sort(byId);
    if (live.length === 0) return "outlook: nothing to act on";
    const o = live[a.target % live.length];
    switch (a.kind) {
      case "edit":
        this.outlook.edit(o.id, a.patch);
        for (const [f, v] of Object.entries(a.patch)) this.ledger.record("outlook", this.contactKey(o), f as FieldName, v);
        return `outlook edit ${o.id} ${JSON.stringify(a.patch)}`;
      case "touch":
        this.outlook.touch(o.id);
        return `outlook touch ${o.id}`;
      case "remove": {
        this.outlook.remove(o.id);
        this.userRemovedOutlook.add(o.id);
        this.forgetSide("outlook", this.contactKey(o));
        const s = o.stamp ? parseStamp(o.stamp) : null;
        if (s) this.outlookDeletedFor.add(s.practiceId);
        if (o.fields.nickName) this.removedOutlookMarkers.add(o.fields.nickName);
        return `outlook remove ${o.id}`;
      }
    }
  }

  /**
   * A contact is deleted on one side: its edits there died with it. The other side's recorded edits
   * may already have lost to them by R5 in a run that was never checked, so what that side holds now
   * becomes an allowed outcome too.
   */
  private forgetSide(side: "practice" | "outlook", key: string): void {
    this.ledger.forget(side, key);
    const other = side === "practice" ? "outlook" : "practice";
    const store = other === "practice" ? this.practice : this.outlook;
    for (const c of store.peekAll()) {
      if (this.contactKey(c) !== key) continue;
      for (const f of this.ledger.fieldsTouched(other, key)) this.ledger.allowAlso(other, key, f, c.fields[f]);
    }
  }

  private addPractice(kind: PracticeContact["kind"], office: string | undefined, fields: FieldPatch): PracticeContact {
    this.marker += 1;
    const c = this.practice.add(
      { ...clean(fields), nickName: `mP${this.marker}` },
      { kind, attributes: office ? { office } : {} },
    );
    for (const [f, v] of Object.entries(c.fields)) this.ledger.record("practice", this.contactKey(c), f as FieldName, v);
    return c;
  }

  private addOutlook(fields: FieldPatch): OutlookContact {
    this.marker += 1;
    const o = this.outlook.add({ ...clean(fields), nickName: `mO${this.marker}` });
    this.userCreatedOutlook.add(o.id);
    for (const [f, v] of Object.entries(o.fields)) this.ledger.record("outlook", this.contactKey(o), f as FieldName, v);
    return o;
  }

  arm(faults: FaultSpec[]): void {
    for (const f of faults) {
      const target = f.target === "practice" ? this.practice : f.target === "outlook" ? this.outlook : this.cache;
      target.faults.inject(f.op, f.fault, f.count, f.after);
    }
  }

  disarm(): void {
    this.practice.faults.clear();
    this.outlook.faults.clear();
    this.cache.faults.clear();
  }

  /** The stamp an Outlook contact carries or carried (live or in Deleted Items). */
  stampOfAny(id: string): string | undefined {
    return this.outlook.get(id)?.stamp ?? this.stampOf.get(id) ?? this.outlook.deletedItems().find((c) => c.id === id)?.stamp;
  }

  /** Writes the sync made to either store so far (for "plan writes nothing", "a second sync writes nothing"). */
  syncWrites(): number {
    return this.practice.syncWrites + this.outlook.syncWrites;
  }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A generated record without the nulls a patch may carry. */
function clean(fields: FieldPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
