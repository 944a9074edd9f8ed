// The world of a multi-device scenario: one practice system, one Outlook folder, several devices
// (each its own cache and SyncSession) and the user. Besides performing the user's actions it keeps
// the simulation's own truth, which no device's cache can lose:
// - identity: which logical contact every practice record and Outlook contact is (a copy the user
//   makes is a new one; a record the sync makes from a contact is that contact), so a duplicate is
//   seen as two records of one logical contact, whatever their stamps say;
// - the field ledger: per logical contact and field, the value both sides last agreed on and each
//   side's edits since, with the time of each side's last user change, so the R5 winner of every
//   contest can be computed and checked when the sides agree again.
import { matchesFilter, type FilterDefinition } from "../../../src/sync/filters";
import { capValue } from "../../../src/sync/merge";
import type { ContactFields, FieldName, FieldPatch, Link, OutlookContact, PracticeContact } from "../../../src/sync/model";
import { stampKey } from "../../../src/sync/model";
import { normalizeValue, valueKey } from "../../../src/sync/normalize";
import type { SyncPlan } from "../../../src/sync/plan-types";
import { SyncSession, type SyncSettings } from "../../../src/sync/session";
import { MemoryOutlookStore, MemoryPracticeStore, MemorySyncCache, SeededIds, TestClock } from "../../support";
import { EDITED_FIELDS } from "./generators";
import { deviceCount, type BothSidesEdit, type MultiScenario, type MultiUserAction } from "./multi-scenario";

export const FIRM_ID = "firm-1";
/** One user's folder: every device of that user names it the same way. */
export const FOLDER = { mailbox: "user@firm.example", folderKey: "user@firm.example/folder-1" };
/** Time between two steps, so a user's edit is never in the same instant as an engine write (R5). */
const STEP_GAP_MS = 60_000;

export type Side = "practice" | "outlook";

export interface Device {
  name: string;
  headless: boolean;
  cache: MemorySyncCache;
  ids: SeededIds;
  session: SyncSession;
  /** The plan this device shows (or the terminal prompt holds), until applied or replaced. */
  plan: SyncPlan | null;
  /** The linked links ("practiceId|outlookId") this device had, with their bases, when it planned. */
  basesAtPlan: Map<string, Link>;
  /** Practice ids this device's cache held as excluded at the last look (exclusions are noticed on change). */
  excludedSeen: Set<string>;
}

/** One logical contact's fields: what the sides last agreed on and what users changed since. */
export interface ContactLedger {
  agreed: Map<FieldName, unknown>;
  edits: Record<Side, Map<FieldName, unknown>>;
  /** ISO time of the last user change to that side's record ("" = none). */
  userTime: Record<Side, string>;
  /**
   * Fields a restore from Deleted Items brought back with other values: either side's may win, or an
   * edit the user made before the restore on the copy that stood in for the restored contact (the
   * sync folds that copy into the original and may keep its edit), listed here.
   */
  either: Map<FieldName, unknown[]>;
  /** Values both sides held at once since the last agreement, unseen by a sync: bases an engine may hold. */
  candidates: Map<FieldName, unknown[]>;
}

export class MultiWorld {
  readonly clock = new TestClock("2026-03-01T09:00:00.000Z", 7);
  readonly practice: MemoryPracticeStore;
  readonly outlook: MemoryOutlookStore;
  readonly settings: SyncSettings;
  readonly devices: Device[] = [];
  filter: FilterDefinition | null = null;

  /** Logical contact of every practice record and Outlook contact ever seen. */
  readonly logicalOfP = new Map<string, number>();
  readonly logicalOfO = new Map<string, number>();
  /** Logical contacts born in Outlook (a user's add or copy): R7, they never leave the folder by the filter. */
  readonly outlookBorn = new Set<number>();
  readonly ledger = new Map<number, ContactLedger>();
  /** Contacts a user copied in Outlook (each a new logical contact until a sync adopts it, see adoptCopies). */
  readonly userCopies = new Map<string, string>();
  /** Copies adopted as their original's contact, with the logical contact they were born as. */
  private readonly adopted = new Map<string, number>();
  /** Outlook contacts the sync created (an extra one may go to Deleted Items when merged, R2). */
  readonly syncCreatedOutlook = new Set<string>();
  readonly syncCreatedPractice = new Set<string>();
  /** Logical contacts whose Outlook contact a user deleted (R10). */
  readonly userDeletedLogical = new Set<number>();
  /** R10 exclusions a device recorded and the user has not lifted (include again, R11 keep, restore). */
  readonly excluded = new Set<string>();
  /** Ids (either side) of conflicts the user resolved with "delete" (R11). */
  readonly conflictDeletes = new Set<string>();
  /** Edited fields checked when their sides agreed again, and how many of those were R5 contests. */
  verified = 0;
  contests = 0;
  private nextLogical = 0;
  private practiceEventsSeen = 0;
  private outlookEventsSeen = 0;
  private unresolvedPractice: string[] = [];

  constructor(
    readonly scenario: MultiScenario,
    readonly seed: number,
  ) {
    this.practice = new MemoryPracticeStore({ firmId: FIRM_ID, clock: this.clock });
    this.outlook = new MemoryOutlookStore({ clock: this.clock, enforceChangeKey: scenario.settings.outlookIfMatch });
    const s = scenario.settings;
    let filterId: string | null = null;
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
      wholeRecord: false,
      deleteStandaloneOnOutlookDelete: s.deleteStandaloneOnOutlookDelete,
    };
    for (let i = 0; i < deviceCount(scenario); i++) {
      const headless = i === 2;
      const cache = new MemorySyncCache();
      const ids = new SeededIds(seed + i, headless ? "cli" : `pane${i}`);
      const d: Device = { name: headless ? "headless" : `pane ${i === 0 ? "A" : "B"}`, headless, cache, ids, session: null!, plan: null, basesAtPlan: new Map(), excludedSeen: new Set() };
      d.session = this.newSession(d);
      this.devices.push(d);
    }
    for (const c of scenario.practice) this.addPractice(c.kind, c.office, c.fields);
    for (const f of scenario.outlook) this.addOutlook(f);
  }

  newSession(d: Pick<Device, "cache" | "ids">): SyncSession {
    // `folder` names the user's folder for decisions every device shares (R2, R10); passed as a
    // variable so this compiles whether or not the session's deps declare it yet.
    const deps = { practice: this.practice, outlook: this.outlook, cache: d.cache, clock: this.clock, ids: d.ids, settings: this.settings, folder: FOLDER };
    return new SyncSession(deps);
  }

  inScope(c: PracticeContact): boolean {
    return matchesFilter(this.filter, c);
  }

  /** Moves time on between steps: every user change is strictly later than what came before. */
  tick(): void {
    this.clock.advance(STEP_GAP_MS);
  }

  // ---- the user ----------------------------------------------------------------------------

  perform(a: MultiUserAction): string {
    if (a.side === "both") return this.editBoth(a);
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
      const L = this.logicalOfP.get(c.id);
      switch (a.kind) {
        case "edit": {
          const before = structuredClone(c.fields);
          const after = this.practice.edit(c.id, a.patch);
          if (L !== undefined) this.noteEdit(L, "practice", a.patch, after.updatedAt, before);
          return `practice edit ${c.id} ${JSON.stringify(a.patch)}`;
        }
        case "move": {
          const after = this.practice.edit(c.id, {}, { office: a.office ?? undefined });
          if (L !== undefined) this.ledgerOf(L).userTime.practice = after.updatedAt;
          return `practice move ${c.id} to ${a.office ?? "no office"}`;
        }
        case "remove":
          this.practice.remove(c.id);
          if (L !== undefined) this.forgetSide(L, "practice");
          return `practice remove ${c.id}`;
      }
    }
    if (a.kind === "add") return `outlook add ${this.addOutlook(a.fields).id}`;
    if (a.kind === "restore") {
      const trash = this.outlook.deletedItems().filter((c) => !this.outlook.get(c.id));
      if (trash.length === 0) return "outlook: Deleted Items is empty";
      const o = this.outlook.restore(trash[a.target % trash.length].id);
      this.noteRestore(o);
      return `outlook restore ${o.id} (${o.stamp ?? "unstamped"})`;
    }
    const live = [...this.outlook.peekAll()].sort(byId);
    if (live.length === 0) return "outlook: nothing to act on";
    const o = live[a.target % live.length];
    const L = this.logicalOfO.get(o.id);
    switch (a.kind) {
      case "edit": {
        const before = structuredClone(o.fields);
        const after = this.outlook.edit(o.id, a.patch);
        if (L !== undefined) this.noteEdit(L, "outlook", a.patch, after.lastModified, before);
        return `outlook edit ${o.id} ${JSON.stringify(a.patch)}`;
      }
      case "touch": {
        const after = this.outlook.touch(o.id);
        if (L !== undefined) this.ledgerOf(L).userTime.outlook = after.lastModified;
        return `outlook touch ${o.id}`;
      }
      case "copy": {
        const c = this.outlook.copy(o.id);
        this.born(c, "outlook");
        this.userCopies.set(c.id, c.lastModified);
        return `outlook copy ${o.id} as ${c.id} (${c.stamp ?? "unstamped"})`;
      }
      case "remove":
        this.outlook.remove(o.id);
        if (L !== undefined) {
          this.userDeletedLogical.add(L);
          this.forgetSide(L, "outlook");
        }
        return `outlook remove ${o.id}`;
    }
  }

  private editBoth(a: BothSidesEdit): string {
    const pairs: { L: number; p: string; o: string }[] = [];
    for (const p of this.practice.peekAll()) {
      const L = this.logicalOfP.get(p.id);
      const o = L === undefined ? undefined : this.outlook.peekAll().find((x) => this.logicalOfO.get(x.id) === L);
      if (L !== undefined && o) pairs.push({ L, p: p.id, o: o.id });
    }
    if (pairs.length === 0) return "both: no contact is on both sides";
    pairs.sort((x, y) => x.L - y.L);
    const { L, p, o } = pairs[a.target % pairs.length];
    const onPractice = () => {
      const before = this.practice.get(p)!.fields;
      this.noteEdit(L, "practice", a.practice, this.practice.edit(p, a.practice).updatedAt, before);
    };
    const onOutlook = () => {
      const before = this.outlook.get(o)!.fields;
      this.noteEdit(L, "outlook", a.outlook, this.outlook.edit(o, a.outlook).lastModified, before);
    };
    if (a.outlookFirst) onOutlook();
    else onPractice();
    this.tick();
    if (a.outlookFirst) onPractice();
    else onOutlook();
    return `both sides edited: practice ${p} ${JSON.stringify(a.practice)}, Outlook ${o} ${JSON.stringify(a.outlook)}, ${a.outlookFirst ? "Outlook" : "practice"} first`;
  }

  private addPractice(kind: PracticeContact["kind"], office: string | undefined, fields: FieldPatch): PracticeContact {
    const L = this.nextLogical++;
    const c = this.practice.add({ ...clean(fields), nickName: `mP${L}` }, { kind, attributes: office ? { office } : {} });
    this.logicalOfP.set(c.id, L);
    this.born(c, "practice");
    return c;
  }

  private addOutlook(fields: FieldPatch): OutlookContact {
    const o = this.outlook.add({ ...clean(fields), nickName: `mO${this.nextLogical}` });
    this.born(o, "outlook");
    return o;
  }

  /** A new logical contact: everything it holds is that side's edit over an empty agreement. */
  private born(c: PracticeContact | OutlookContact, side: Side): void {
    const L = side === "outlook" ? this.nextLogical++ : this.logicalOfP.get(c.id)!;
    if (side === "outlook") {
      this.logicalOfO.set(c.id, L);
      this.outlookBorn.add(L);
    }
    const time = "updatedAt" in c ? c.updatedAt : c.lastModified;
    this.ledger.set(L, { agreed: new Map(), edits: { practice: new Map(), outlook: new Map() }, userTime: { practice: "", outlook: "" }, either: new Map(), candidates: new Map() });
    // Every field, the empty ones too: a user's copy carries its original's unsynced edits, clearing a
    // field among them, and those are what it brings when it takes the original's place (adoptCopies).
    this.noteEdit(L, side, Object.fromEntries(EDITED_FIELDS.map((f) => [f, c.fields[f] ?? null])) as FieldPatch, time);
  }

  /**
   * A user's edit of a record (`before`: what it held; none for a new record). A field the patch leaves
   * as the record held it is not edited: no engine can see such a "change" (R5 compares values), so
   * it is not the user's latest value and takes no side after a restore (`either` stays).
   */
  private noteEdit(L: number, side: Side, patch: FieldPatch, time: string, before?: ContactFields): void {
    const led = this.ledgerOf(L);
    for (const [f, v] of Object.entries(patch)) {
      if (!EDITED_FIELDS.includes(f as FieldName)) continue;
      if (before && valueKey(normalizeValue(f as FieldName, before[f as FieldName])) === valueKey(normalizeValue(f as FieldName, v ?? undefined))) continue;
      led.edits[side].set(f as FieldName, normalizeValue(f as FieldName, v ?? undefined));
      led.either.delete(f as FieldName);
    }
    led.userTime[side] = time;
  }

  /** The sync deleted records (R9, R10, R11, R2 repair): their pending edits went with them. */
  noteSyncDeletes(mark: { practice: number; outlook: number }): void {
    for (const e of this.practice.events.slice(mark.practice)) {
      const L = this.logicalOfP.get(e.id);
      if (e.by === "sync" && e.op === "delete" && L !== undefined) this.forgetSide(L, "practice");
    }
    for (const e of this.outlook.events.slice(mark.outlook)) {
      const L = this.logicalOfO.get(e.id);
      // An extra copy the sync removed takes nothing with it: the contact's other copy stays.
      if (e.by !== "sync" || e.op !== "delete" || L === undefined) continue;
      if (this.outlook.peekAll().some((o) => this.logicalOfO.get(o.id) === L)) continue;
      this.forgetSide(L, "outlook");
    }
  }

  /** A side's record is gone: its pending edits died with it; what the other side holds stands. */
  private forgetSide(L: number, side: Side): void {
    const led = this.ledgerOf(L);
    led.edits[side].clear();
    led.userTime[side] = "";
    // A practice record made again (R11 keep) can only hold what Outlook holds: the overflow beyond
    // Outlook's caps (R16) died with the deleted record.
    if (side === "practice") for (const [f, v] of led.agreed) led.agreed.set(f, capValue(f, v));
  }

  /**
   * The contact comes back as it was. Nothing in the rules says whether a restore is a change that
   * beats the other side's edits made while it was deleted, so for fields it brings back with other
   * values either side's value may win; edits made after the restore are checked strictly again.
   */
  private noteRestore(o: OutlookContact): void {
    const L = this.logicalOfO.get(o.id);
    const pid = o.stamp ? practiceIdOf(o.stamp) : null;
    if (pid) this.excluded.delete(pid);
    if (L === undefined) return;
    // The original is back: a copy that took its place is the user's copy again (the restored
    // contact is re-linked or shown as a conflict; the copy becomes a record of its own).
    for (const [copy, own] of this.adopted) {
      const c = this.outlook.get(copy);
      if (this.logicalOfO.get(copy) !== L || !c) continue;
      this.logicalOfO.set(copy, own);
      this.adopted.delete(copy);
      // What the user made of the copy while it stood in for the original is the copy's own again.
      const mine = this.ledgerOf(own);
      for (const f of EDITED_FIELDS) mine.edits.outlook.set(f, normalizeValue(f, c.fields[f]));
      mine.userTime.outlook = c.lastModified;
    }
    const led = this.ledgerOf(L);
    const p = [...this.practice.peekAll()].find((c) => this.logicalOfP.get(c.id) === L);
    for (const f of EDITED_FIELDS) {
      const ov = normalizeValue(f, o.fields[f]);
      const pending = led.edits.outlook.has(f) && valueKey(led.edits.outlook.get(f)) !== valueKey(ov) ? [led.edits.outlook.get(f)] : [];
      led.edits.outlook.set(f, ov);
      const pv = p ? normalizeValue(f, p.fields[f]) : led.agreed.get(f);
      if (valueKey(capValue(f, pv)) !== valueKey(ov) || pending.length > 0) led.either.set(f, pending);
    }
    led.userTime.outlook = o.lastModified;
  }

  ledgerOf(L: number): ContactLedger {
    const led = this.ledger.get(L);
    if (!led) throw new Error(`no ledger for logical contact ${L}`);
    return led;
  }

  // ---- what the sync made ------------------------------------------------------------------

  /**
   * Gives every record the sync created its logical contact: an Outlook contact it made is the
   * practice record its stamp names; a practice record it made is the Outlook contact stamped with it.
   */
  noteSyncCreates(): void {
    const pe = this.practice.events;
    for (; this.practiceEventsSeen < pe.length; this.practiceEventsSeen++) {
      const e = pe[this.practiceEventsSeen];
      if (e.by === "sync" && e.op === "create") {
        this.syncCreatedPractice.add(e.id);
        this.unresolvedPractice.push(e.id);
      }
    }
    const oe = this.outlook.events;
    const newOutlook: string[] = [];
    for (; this.outlookEventsSeen < oe.length; this.outlookEventsSeen++) {
      const e = oe[this.outlookEventsSeen];
      if (e.by === "sync" && e.op === "create") {
        this.syncCreatedOutlook.add(e.id);
        newOutlook.push(e.id);
      }
    }
    const stampedWith = (pid: string) =>
      this.outlook.peekAll().filter((o) => o.stamp && practiceIdOf(o.stamp) === pid && this.logicalOfO.has(o.id));
    this.unresolvedPractice = this.unresolvedPractice.filter((pid) => {
      // An import names the Outlook contact it was made from (outlookRef), even before its stamp lands.
      const ref = this.practice.get(pid)?.outlookRef;
      const byRef = ref ? this.logicalOfO.get(ref.id) : undefined;
      if (byRef !== undefined) {
        this.logicalOfP.set(pid, byRef);
        return false;
      }
      const holders = stampedWith(pid);
      if (holders.length === 0) return true;
      this.logicalOfP.set(pid, this.logicalOfO.get(holders[0].id)!);
      return false;
    });
    for (const id of newOutlook) {
      const o = this.outlook.get(id);
      const pid = o?.stamp ? practiceIdOf(o.stamp) : null;
      const L = pid ? this.logicalOfP.get(pid) : undefined;
      if (L !== undefined) this.logicalOfO.set(id, L);
    }
  }

  /**
   * A copy whose original the user then deleted is the only contact left carrying the stamp: a
   * sync may take it for that contact (the user moved it) rather than import it as a new one. When
   * an apply whose plan saw it (made after the copy) leaves it linked so, or acts on it as that
   * record's contact (removes it as out of scope), with no row taking it for a new one (an import or a
   * conflict), it becomes that contact. `removedNow`: contacts the sync removed in this apply.
   */
  adoptCopies(asNew: ReadonlySet<string>, plannedAt: string, removedNow: ReadonlySet<string> = new Set()): void {
    const holders = this.holdersByPractice();
    for (const [id, copiedAt] of this.userCopies) {
      if (copiedAt >= plannedAt) continue;
      const c = this.outlook.get(id) ?? (removedNow.has(id) ? this.outlook.deletedItems().find((x) => x.id === id) : undefined);
      const pid = c?.stamp ? practiceIdOf(c.stamp) : null;
      const L = pid ? this.logicalOfP.get(pid) : undefined;
      const mine = this.logicalOfO.get(id);
      if (!c || L === undefined || mine === undefined || L === mine || asNew.has(id)) continue;
      if ((holders.get(pid!) ?? []).some((o) => o.id !== id)) continue;
      if ([...this.practice.peekAll()].some((p) => this.logicalOfP.get(p.id) === mine)) continue;
      if (this.outlook.peekAll().some((o) => o.id !== id && this.logicalOfO.get(o.id) === L)) continue;
      this.logicalOfO.set(id, L);
      this.userCopies.delete(id);
      this.adopted.set(id, mine);
      const led = this.ledgerOf(L);
      const copied = this.ledgerOf(mine);
      for (const [f, v] of copied.edits.outlook) led.edits.outlook.set(f, v);
      if (copied.userTime.outlook > led.userTime.outlook) led.userTime.outlook = copied.userTime.outlook;
    }
  }

  /** Notices exclusions (R10) a device or the shared decisions recorded since the last look. */
  async noteExclusions(): Promise<void> {
    for (const d of this.devices) {
      const now = new Set(d.cache.peekLinks().filter((l) => l.state === "excluded").map((l) => l.practiceId));
      for (const p of now) if (!d.excludedSeen.has(p)) this.excluded.add(p);
      d.excludedSeen = now;
    }
    // Decisions every device of the user shares (R10 kept in the practice system).
    const shared = new Set((await this.practice.getDecisions(FOLDER.folderKey)).filter((x) => x.kind === "excluded").map((x) => x.practiceId));
    for (const p of shared) if (!this.sharedExcludedSeen.has(p)) this.excluded.add(p);
    this.sharedExcludedSeen = shared;
  }

  private sharedExcludedSeen = new Set<string>();

  syncWrites(): number {
    return this.practice.syncWrites + this.outlook.syncWrites;
  }

  /** The live Outlook contacts of each practice id, by stamp. */
  holdersByPractice(): Map<string, OutlookContact[]> {
    const m = new Map<string, OutlookContact[]>();
    for (const o of this.outlook.peekAll()) {
      const pid = o.stamp ? practiceIdOf(o.stamp) : null;
      if (pid) m.set(pid, [...(m.get(pid) ?? []), o]);
    }
    return m;
  }
}

/** The practice id a stamp names (compared by stampKey: origin and create token do not matter). */
export function practiceIdOf(stamp: string): string | null {
  const key = stampKey(stamp);
  if (!key || !key.startsWith(`${FIRM_ID}:`)) return null;
  return key.slice(FIRM_ID.length + 1);
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function clean(fields: FieldPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
