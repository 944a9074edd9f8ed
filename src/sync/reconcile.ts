// reconcile(): the pure decision step of a sync (DESIGN §4, R1–R16). No I/O, no clock, no randomness.
//
//   reconcile(input: ReconcileInput): ReconcileOutput
//
//   input.practice  { full, contacts, deleted }  full = `contacts` is the whole in-scope listing plus any
//                   linked contacts outside it (fetched by id); a linked id in neither list is deleted.
//                   Otherwise `contacts`/`deleted` are the change feed (any scope; scope is evaluated here).
//   input.outlook   { full, contacts, removed }  full = the whole folder; a linked id missing is removed.
//   input.links     every cached Link; input.deferred: changes kept from earlier runs (R14, R19).
//   input.filter    the filter definition (null = every contact is in scope, R1).
//   input.settings  importKind (R7), wholeRecord (R5), deleteStandaloneOnOutlookDelete (R10).
//   input.runId     makes idempotency keys unique per run; input.firmId builds stamps (R2).
//
//   output.changes      PlannedChange rows for review, stable ids `${group}:${practiceId || outlookId}`
//   output.actions      change id -> PlannedAction (what apply executes for a selected row)
//   output.conflicts    change id -> { keep, delete } actions for R11 rows
//   output.linkWrites   links to store with no write to either store (R3 version-only bumps, silent re-links)
//   output.linkDeletes  practice ids whose link is dropped with no store write (both sides gone)
//   output.safety       R15 stop, or null; output.counts, output.errors as in SyncPlan
//
// Cost: a linked pair whose practice version and Outlook changeKey both match the link is skipped
// before anything is normalized, so 100,000 unchanged pairs cost a few Map lookups each.
import type { ConflictChoice, OutlookAction, PlannedAction, PracticeAction } from "./actions";
import { contactName, overflowNotes, when } from "./describe";
import { matchesFilter, type FilterDefinition } from "./filters";
import {
  capFields,
  capValue,
  fieldsDiffer,
  fieldsToWriteBack,
  mergeRecords,
  type MergeResult,
  type MergeSide,
  outlookBaseOf,
} from "./merge";
import type { ContactFields, ContactKind, FieldPatch, Link, OutlookContact, PracticeContact } from "./model";
import { makeStamp, parseStamp, type LinkOrigin } from "./model";
import { normalizeFields, valueKey } from "./normalize";
import { FIELD_SPECS } from "./fields";
import type { ContactError, DeferredChange, FolderDecision, FolderDecisionsChange } from "./ports";
import { classifyHolders, type HolderRole } from "./holders";
import { decisionsByRecord, mergeDecisions, successorOf } from "./decisions";
import { agreedOf, agreedWhole, engineWrote } from "./agreed";
import type { ChangeDirection, ChangeGroup, FieldChange, PlannedChange, RuleId, SafetyStop } from "./plan-types";
import { checkSafety, safetyCountsOf } from "./safety";
import { decide, HOLDERS, PAIR, RELINK, UNLINKED_CONTACT, UNLINKED_RECORD, type HolderFacts, type PairFacts, type UnlinkedContactFacts } from "./decision-table";

export interface ReconcileSettings {
  importKind: ContactKind;
  wholeRecord: boolean;
  deleteStandaloneOnOutlookDelete: boolean;
}

export interface PracticeSide {
  full: boolean;
  contacts: readonly PracticeContact[];
  deleted: readonly string[];
}

export interface OutlookSide {
  full: boolean;
  contacts: readonly OutlookContact[];
  removed: readonly string[];
}

export interface ReconcileInput {
  runId: string;
  firmId: string;
  practice: PracticeSide;
  outlook: OutlookSide;
  links: readonly Link[];
  deferred?: readonly DeferredChange[];
  filter: FilterDefinition | null;
  settings: ReconcileSettings;
  /** ISO time written into changed links' updatedAt. */
  now: string;
  /** The folder's mailbox: an import names its Outlook contact with it (R2, PracticeCreate.outlookRef). */
  mailbox?: string;
  /** The user's decisions for this folder, shared by their devices (R2, R10); undefined when not read. */
  decisions?: readonly FolderDecision[];
}

export interface ReconcileOutput {
  changes: PlannedChange[];
  actions: Map<string, PlannedAction>;
  conflicts: Map<string, ConflictChoice>;
  linkWrites: Link[];
  linkDeletes: string[];
  safety: SafetyStop | null;
  counts: { linked: number; excluded: number; conflicts: number };
  errors: ContactError[];
  /** Changes to the shared decisions that go with linkWrites (no row): a restored contact re-linked. */
  decisions: FolderDecisionsChange;
  /** R19: records that could not be planned, kept so the next run tries them again. */
  retry: DeferredChange[];
}

/**
 * A base value neither side can hold: the last agreement is known only by its hash and both sides
 * moved away from it, so both count as changed (R3) and R5 decides.
 */
const UNKNOWN_BASE = "\u0000(agreed value not known here)";

/** A pair's base on each side (Link.base, Link.outlookBase). */
type Bases = { base: ContactFields; outlookBase?: ContactFields };

const GROUP_ORDER: Record<ChangeGroup, number> = { conflict: 0, add: 1, update: 2, remove: 3 };

type Rec = Record<string, unknown>;

function isEmpty(patch: FieldPatch): boolean {
  for (const _ in patch) return false;
  return true;
}

function hasFields(record: { fields?: unknown }): boolean {
  return !!record.fields && typeof record.fields === "object" && !Array.isArray(record.fields);
}

export function reconcile(input: ReconcileInput): ReconcileOutput {
  return new Reconciler(input).run();
}

class Reconciler {
  private readonly out: ReconcileOutput = {
    changes: [],
    actions: new Map(),
    conflicts: new Map(),
    linkWrites: [],
    linkDeletes: [],
    safety: null,
    counts: { linked: 0, excluded: 0, conflicts: 0 },
    errors: [],
    decisions: {},
    retry: [],
  };
  private readonly pMap = new Map<string, PracticeContact>();
  private readonly pDeleted = new Set<string>();
  private readonly oMap = new Map<string, OutlookContact>();
  private readonly oRemoved = new Set<string>();
  private readonly linksByP = new Map<string, Link>();
  private readonly linksByO = new Map<string, Link>();
  /** Practice ids decided by a re-link or a move (linked ones are skipped through linksByP). */
  private readonly claimedP = new Set<string>();
  /** Outlook ids decided outside their own link (moves, re-links, imports). */
  private readonly claimedO = new Set<string>();
  /** A linked contact that reappeared under a new Outlook id (moved out and back): practice id -> contact. */
  private readonly moved = new Map<string, OutlookContact>();
  /** Ids of records read this run that have no link. */
  private readonly unlinkedP = new Set<string>();
  private readonly unlinkedO = new Set<string>();
  private readonly safety = { practiceInScope: 0 };
  /** R2: roles of the Outlook contacts of records that more than one live contact names (holders.ts). */
  private readonly roles = new Map<string, { pid: string; role: HolderRole }>();
  /** Practice ids whose holders are decided by role instead of by their link. */
  private readonly multiHeld = new Set<string>();
  /** Linked contacts whose stamp now names another record (another device re-assigned them). */
  private readonly reassignedO = new Set<string>();
  private readonly reassignedLinks: Link[] = [];
  /** Shared decisions by practice id. */
  private decisionsByP = new Map<string, FolderDecision[]>();
  /** Unlinked contacts of a deleted record, by the record that stands for it now (findSuccessors). */
  private readonly successorO = new Map<string, string>();

  constructor(private readonly input: ReconcileInput) {}

  run(): ReconcileOutput {
    this.index();
    this.classifyHolders();
    this.findMoves();
    for (const link of this.linksToVisit()) {
      if (this.multiHeld.has(link.practiceId)) continue;
      this.linkedPair(link);
    }
    this.multiHolders();
    this.unlinkedOutlook();
    this.unlinkedPractice();
    const { out, input } = this;
    out.changes.sort(
      (a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1),
    );
    out.counts.conflicts = out.conflicts.size;
    out.safety = checkSafety({
      ...this.safety,
      ...safetyCountsOf([...out.actions.values(), ...[...out.conflicts.values()].map((c) => c.keep)], input.outlook, input.practice),
      linked: out.counts.linked,
      practiceFull: input.practice.full,
      outlookFull: input.outlook.full,
      outlookTotal: input.outlook.full ? this.oMap.size : 0,
    });
    return out;
  }

  // ---- indexing ------------------------------------------------------------------------------

  private index(): void {
    const { practice, outlook, links, deferred = [] } = this.input;
    const unplannable: DeferredChange[] = [];
    for (const l of links) {
      this.linksByP.set(l.practiceId, l);
      this.linksByO.set(l.outlookId, l);
      if (l.state === "excluded") this.out.counts.excluded++;
      else this.out.counts.linked++;
    }
    // Deferred records first: anything this run read is newer and replaces them. A full read of a
    // side supersedes that side's deferred records entirely: what it does not hold is gone.
    for (const d of deferred) {
      if (d.side === "practice" ? practice.full : outlook.full) continue;
      if (d.record && !hasFields(d.record)) {
        unplannable.push(d); // decided below, unless this run read the record afresh
        continue;
      }
      if (d.side === "practice") {
        if (d.deleted) this.pDeleted.add(d.id);
        else if (d.record) this.pMap.set(d.id, d.record as PracticeContact);
      } else if (d.deleted) this.oRemoved.add(d.id);
      else if (d.record) this.oMap.set(d.id, d.record as OutlookContact);
    }
    for (const id of practice.deleted) {
      this.pDeleted.add(id);
      this.pMap.delete(id);
    }
    for (const c of practice.contacts) {
      if (!hasFields(c)) {
        this.error({ practiceId: c.id, name: String(c.id), code: "invalid", message: "The practice record has no fields." });
        this.out.retry.push({ side: "practice", id: c.id, record: c });
        continue;
      }
      this.pMap.set(c.id, c);
      if (this.pDeleted.size) this.pDeleted.delete(c.id);
    }
    for (const id of outlook.removed) {
      this.oRemoved.add(id);
      this.oMap.delete(id);
    }
    for (const c of outlook.contacts) {
      if (!hasFields(c)) {
        this.error({ outlookId: c.id, name: String(c.id), code: "invalid", message: "The Outlook contact has no fields." });
        this.out.retry.push({ side: "outlook", id: c.id, record: c });
        continue;
      }
      this.oMap.set(c.id, c);
      if (this.oRemoved.size) this.oRemoved.delete(c.id);
    }
    // Only the few unlinked records need the unlinked passes; collecting them here spares those
    // passes a walk over every contact of a full read.
    for (const d of unplannable) {
      if ((d.side === "practice" ? this.pMap : this.oMap).has(d.id)) continue;
      // R19: still unplannable: listed again and kept for the next run.
      const ids = d.side === "practice" ? { practiceId: d.id } : { outlookId: d.id };
      this.error({ ...ids, name: String(d.id), code: "invalid", message: `The ${d.side === "practice" ? "practice record" : "Outlook contact"} has no fields.` });
      this.out.retry.push(d);
    }
    // A linked contact whose stamp now names another record was given to that record by another
    // device (an R11 keep, a copy made a record of its own): it is no longer this link's contact.
    for (const l of links) {
      const o = this.oMap.get(l.outlookId);
      const s = o?.stamp ? parseStamp(o.stamp) : null;
      if (!o || !s || s.firmId !== this.input.firmId || s.practiceId === l.practiceId) continue;
      // Only a contact whose own record is gone can have been given to another (an R11 keep on another
      // device). While this link's record lives, a stamp naming another is one not yet rewritten (an
      // import or keep whose stamp write did not land): the link stands and the stamp is written again.
      if (!this.isPracticeGone(l.practiceId) || this.isPracticeGone(s.practiceId)) continue;
      this.reassignedO.add(o.id);
      this.reassignedLinks.push(l);
      if (this.linksByO.get(o.id) === l) this.linksByO.delete(o.id);
    }
    this.decisionsByP = decisionsByRecord(this.input.decisions ?? []);
    for (const id of this.pMap.keys()) if (!this.linksByP.has(id)) this.unlinkedP.add(id);
    for (const id of this.oMap.keys()) if (!this.linksByO.has(id)) this.unlinkedO.add(id);
    this.findSuccessors();
  }

  /**
   * R2: a contact of a deleted record, unlinked here (back from Deleted Items, or made by another device)
   * after the user kept another contact of that record as a record of its own (FolderDecision.replacedBy):
   * it is that person, so it is that record's contact come back (a restore the user decides, or a
   * re-link), never a new record.
   */
  private findSuccessors(): void {
    if (this.decisionsByP.size === 0) return;
    for (const oid of this.unlinkedO) {
      const pid = this.stampedRecord(this.oMap.get(oid)!);
      if (pid === null || !this.isPracticeGone(pid)) continue;
      const q = successorOf(pid, this.decisionsByP);
      if (q !== undefined && this.pMap.has(q)) this.successorO.set(oid, q);
    }
  }

  /**
   * A full read must visit every link (absence means deletion); incremental reads only the links
   * their records touch, so a quiet sync of 100,000 contacts costs almost nothing here.
   */
  private linksToVisit(): Iterable<Link> {
    if (this.input.practice.full || this.input.outlook.full) return this.input.links;
    const touched = new Set<Link>();
    const byP = (id: string) => {
      const l = this.linksByP.get(id);
      if (l) touched.add(l);
    };
    const byO = (id: string) => {
      const l = this.linksByO.get(id);
      if (l) touched.add(l);
    };
    for (const id of this.pMap.keys()) byP(id);
    for (const id of this.pDeleted) byP(id);
    for (const id of this.oMap.keys()) byO(id);
    for (const id of this.oRemoved) byO(id);
    for (const id of this.moved.keys()) byP(id);
    for (const l of this.reassignedLinks) touched.add(l);
    return touched;
  }

  private isPracticeGone(id: string): boolean {
    return this.pDeleted.has(id) || (this.input.practice.full && !this.pMap.has(id));
  }

  private isOutlookGone(id: string): boolean {
    return this.oRemoved.has(id) || this.reassignedO.has(id) || (this.input.outlook.full && !this.oMap.has(id));
  }

  /**
   * The bases for one pair, corrected by what the engine last wrote to the Outlook contact (its stamp's
   * agreed hashes): a field whose Outlook value is exactly what some device's sync wrote there has not
   * been edited in Outlook since, whatever this cache's older base says (R3, R5 across devices).
   */
  private sharedBase(bases: Bases, o: OutlookContact, seen: string | undefined, p: PracticeContact | undefined, pid: string): Bases {
    const s = o.stamp ? parseStamp(o.stamp) : null;
    // Only news counts: hashes this device wrote or saw itself are no newer than its own base. And only
    // about this record: a stamp still naming another (a keep or import whose stamp write did not land)
    // holds that record's agreement.
    if (!s?.agreed || s.firmId !== this.input.firmId || s.agreed === seen || s.practiceId !== pid) return bases;
    const base = bases.base as Rec;
    const outlookBase = bases.outlookBase as Rec | undefined;
    const now = normalizeFields(o.fields) as Rec;
    const prac = p ? (normalizeFields(p.fields) as Rec) : null;
    let out: Rec | null = null;
    let outO: Rec | null = null;
    const put = (rec: Rec, f: string, v: unknown) => {
      if (v === undefined) delete rec[f];
      else rec[f] = v;
    };
    // The agreement, once known, is the base on both sides.
    const set = (f: (typeof FIELD_SPECS)[number]["name"], v: unknown) => {
      put((out ??= { ...base }), f, v);
      if (outlookBase) put((outO ??= { ...outlookBase }), f, v === UNKNOWN_BASE ? v : capValue(f, v));
    };
    for (const spec of FIELD_SPECS) {
      const f = spec.name;
      // This cache already knows the last agreement: on the practice side, or on Outlook's while it
      // still owes Outlook a write there (Link.outlookBase).
      if (agreedWhole(s.agreed, f, base[f]) || (outlookBase && engineWrote(s.agreed, f, outlookBase[f]))) continue;
      // The value the engine last agreed, where one side still holds it, is the base: that side has
      // not changed since, whatever this cache remembers. The practice record is checked against the
      // whole value (a capped field's overflow counts), Outlook against what it was sent (R16).
      const v = now[f];
      if (prac && agreedWhole(s.agreed, f, prac[f])) set(f, prac[f]);
      else if (engineWrote(s.agreed, f, v)) set(f, v);
      // Neither side holds it: both changed since, and R5 recency decides between them.
      else if (prac) set(f, UNKNOWN_BASE);
    }
    if (!out) return bases;
    return { base: out as ContactFields, ...(outlookBase ? { outlookBase: (outO ?? outlookBase) as ContactFields } : {}) };
  }

  /** A token unique to one create (StampInfo.made): the run id, since a run creates a record once. */
  private made(): string {
    return this.input.runId;
  }

  /** The create token of a contact's stamp when it names our firm. */
  private madeOf(o: OutlookContact | undefined): string | undefined {
    const s = o?.stamp ? parseStamp(o.stamp) : null;
    return s && s.firmId === this.input.firmId ? s.made : undefined;
  }

  /** R2: the stamp must name this record and say where it was born (R7 survives a lost cache). */
  private needsRestamp(o: OutlookContact, pid: string, origin: LinkOrigin): boolean {
    const s = o.stamp ? parseStamp(o.stamp) : null;
    return !s || s.firmId !== this.input.firmId || s.practiceId !== pid || s.origin !== origin;
  }

  private ourStamp(o: OutlookContact): string | null {
    return this.successorO.get(o.id) ?? this.stampedRecord(o);
  }

  /** The record a contact's stamp names, when the stamp is our firm's. */
  private stampedRecord(o: OutlookContact): string | null {
    if (!o.stamp) return null;
    const s = parseStamp(o.stamp);
    return s && s.firmId === this.input.firmId ? s.practiceId : null;
  }

  /** A linked contact whose Outlook id vanished while a contact with its stamp appeared: same contact. */
  private findMoves(): void {
    for (const oid of this.unlinkedO) {
      const o = this.oMap.get(oid)!;
      const pid = this.ourStamp(o);
      if (pid === null || this.moved.has(pid) || this.multiHeld.has(pid)) continue;
      // A copy of a contact the sync itself removed is not that contact come back (see copyOfLetGo).
      if (this.copyOfLetGo(o, pid)) continue;
      const link = this.linksByP.get(pid);
      if (link && link.state === "linked" && this.isOutlookGone(link.outlookId)) {
        this.moved.set(pid, o);
        this.claimedO.add(o.id);
      }
    }
  }

  /** Outlook ids of a record that the sync let go: excluded (R10) or retired, per the shared decisions or the link. */
  private letGo(pid: string): Set<string> {
    const ids = new Set<string>();
    for (const d of this.decisionsByP.get(pid) ?? []) if (d.outlookId) ids.add(d.outlookId);
    for (const [oid, q] of this.successorO) if (q === pid) ids.add(oid);
    const link = this.linksByP.get(pid);
    if (link?.state === "excluded") ids.add(link.outlookId);
    return ids;
  }

  private excludedDecision(pid: string): FolderDecision | undefined {
    return (this.decisionsByP.get(pid) ?? []).find((d) => d.kind === "excluded");
  }

  /**
   * R2: records that more than one live Outlook contact names (the linked one included) get a role per
   * contact (holders.ts) and are decided by multiHolders() instead of by their link.
   */
  private classifyHolders(): void {
    const byP = new Map<string, OutlookContact[]>();
    for (const oid of this.unlinkedO) {
      const o = this.oMap.get(oid)!;
      const pid = this.ourStamp(o);
      if (pid !== null) byP.set(pid, [...(byP.get(pid) ?? []), o]);
    }
    for (const [pid, unlinked] of byP) {
      const link = this.linksByP.get(pid);
      const linked = link && !this.reassignedO.has(link.outlookId) ? this.oMap.get(link.outlookId) : undefined;
      const holders = linked ? [linked, ...unlinked] : unlinked;
      if (holders.length < 2) continue;
      this.multiHeld.add(pid);
      for (const o of holders) this.claimedO.add(o.id);
      const roles = classifyHolders(holders, linked?.id, this.letGo(pid));
      for (const [oid, role] of roles) this.roles.set(oid, { pid, role });
    }
  }

  /** Decides every contact of the records classifyHolders() found held twice. */
  private multiHolders(): void {
    // Primaries first: a duplicate's edits go into a record only when no row of this plan writes it.
    const ordered = [...this.roles].sort(([, a], [, b]) => Number(b.role.role === "primary") - Number(a.role.role === "primary"));
    // A record deleted in the practice system: a contact made twice folds its edits into the kept one,
    // which waits a run, so the user meets one conflict (R11) for the record instead of one per contact.
    const folds = new Map<string, MergeResult>();
    const foldedInto = new Set<string>();
    for (const [oid, { pid, role }] of this.roles) {
      if (role.role !== "duplicate" || !this.isPracticeGone(pid)) continue;
      const fold = this.foldMerge(this.oMap.get(oid)!, this.oMap.get(role.of)!);
      if (!fold) continue;
      folds.set(oid, fold);
      foldedInto.add(role.of);
    }
    // R5 across two runs: one run writes a record once, so of a primary and a duplicate that both bring
    // edits for it, one is merged now and the other next run. The record then carries this run's time,
    // and the second merge loses every field it contests with the record to it, however recent its edit.
    // The primary goes first unless that would lose such an edit and the other order would not.
    const dups = new Map<string, { nothingNew: boolean; merge: MergeResult | null }>();
    const withEdits = new Map<string, OutlookContact[]>();
    for (const [oid, { pid, role }] of this.roles) {
      if (role.role !== "duplicate") continue;
      const o = this.oMap.get(oid)!;
      const dup = this.duplicateMerge(o, pid, this.oMap.get(role.of)!, this.linksByP.get(pid));
      dups.set(oid, dup);
      if (dup.merge && !isEmpty(dup.merge.practicePatch) && !this.isPracticeGone(pid)) withEdits.set(role.of, [...(withEdits.get(role.of) ?? []), o]);
    }
    const newerDupFirst = new Set<string>();
    for (const [kid, [d, ...more]] of withEdits) {
      if (more.length) continue; // several: the primary first, as before
      const pid = this.roles.get(kid)!.pid;
      const k = this.oMap.get(kid)!;
      const mk = this.duplicateMerge(k, pid, d, this.linksByP.get(pid)).merge;
      const md = dups.get(d.id)!.merge!;
      const t = this.pMap.get(pid)!.updatedAt;
      if (mk && !isEmpty(mk.practicePatch) && losesNewerEdit(mk, k, md, d, t) && !losesNewerEdit(md, d, mk, k, t)) newerDupFirst.add(kid);
    }
    for (const [oid, { pid, role }] of ordered) {
      const o = this.oMap.get(oid)!;
      const link = this.linksByP.get(pid);
      const kept = role.role === "primary" ? o : this.oMap.get(role.of)!;
      const dup = dups.get(oid) ?? null;
      const back = role.role === "restored" ? this.restoredMerge(o, pid) : null;
      const written = () => this.writesPractice(pid);
      const facts: HolderFacts = {
        recordGone: this.isPracticeGone(pid),
        foldable: folds.has(oid),
        foldedInto: foldedInto.has(oid),
        newerDuplicateFirst: newerDupFirst.has(oid),
        role: role.role,
        linked: !!link && link.state === "linked" && link.outlookId === oid,
        nothingNew: !!dup?.nothingNew,
        editsKnown: !!dup?.merge,
        editsForRecord: (!!dup?.merge && !isEmpty(dup.merge.practicePatch)) || (!!back && !isEmpty(back.practicePatch)),
        get recordWritten() {
          return written();
        },
      };
      const row = decide(HOLDERS, facts);
      switch (row.decision) {
        case "linked-pair":
          this.claimedP.add(pid);
          this.linkedPair(link!);
          break;
        case "relink":
          this.claimedP.add(pid);
          this.relink(o, pid, link);
          break;
        case "import-copy":
          this.importFromOutlook(o, "A copy of a synced contact made in Outlook; created in the practice system as a contact of its own.");
          break;
        case "wait":
          // Both writes against one version would fail the second: the copy is merged next run. A kept
          // contact that a copy folds into is decided next run, with its record's deletion kept for it.
          this.out.retry.push({ side: "outlook", id: o.id, record: o });
          if (facts.recordGone) this.out.retry.push({ side: "practice", id: pid, deleted: true });
          else if (role.role === "primary") this.claimedP.add(pid); // decided next run, never created again (R6)
          break;
        case "remove-duplicate":
        case "merge-duplicate":
          this.removeDuplicate(o, pid, row.decision === "merge-duplicate" ? dup!.merge : null);
          break;
        case "conflict-duplicate":
          this.conflictDuplicate(o, pid);
          break;
        case "fold-duplicate":
          this.foldDuplicate(o, pid, kept, folds.get(oid)!);
          break;
        default:
          this.restored(o, pid, kept, back); // "conflict-restored"
      }
    }
  }

  /**
   * R2: what a contact the sync made twice holds that the kept one lacks. Nothing new when the fields
   * are the same or the cache links it untouched; else its edits, told apart by its stamp's agreed
   * hashes (or this cache's base when it is the linked one), merged with the record — null when they
   * cannot be told apart or the record is gone.
   */
  private duplicateMerge(o: OutlookContact, pid: string, kept: OutlookContact, link: Link | undefined): { nothingNew: boolean; merge: MergeResult | null } {
    const same = !fieldsDiffer(normalizeFields(o.fields), normalizeFields(kept.fields));
    const untouched = link?.outlookId === o.id && link.outlookChangeKey === o.changeKey;
    if (same || untouched) return { nothingNew: true, merge: null };
    const p = this.pMap.get(pid);
    const s = o.stamp ? parseStamp(o.stamp) : null;
    const bases =
      link?.outlookId === o.id
        ? this.sharedBase(link, o, link.agreed, p, pid)
        : s?.agreed && s.practiceId === pid
          ? this.sharedBase({ base: {} }, o, undefined, p, pid)
          : null;
    if (!p || !bases) return { nothingNew: false, merge: null };
    return { nothingNew: false, merge: mergeRecords({ ...bases, practice: this.practiceSide(p), outlook: this.outlookSide(o), wholeRecord: this.input.settings.wholeRecord }) };
  }

  private duplicateRemoval(o: OutlookContact): Omit<PlannedAction, "changeId"> {
    return { outlookId: o.id, outlook: { op: "delete", id: o.id }, link: { kind: "none" }, defer: [{ side: "outlook", id: o.id, record: o }] };
  }

  /** R2: the extra copy goes to Deleted Items, its edits (a merge) kept in the practice record first. */
  private removeDuplicate(o: OutlookContact, pid: string, merge: MergeResult | null): void {
    const p = this.pMap.get(pid);
    const writesP = !!merge && !!p && !isEmpty(merge.practicePatch);
    this.addRow(
      {
        id: `remove:${o.id}`,
        group: "remove",
        direction: writesP ? "both" : "toOutlook",
        name: contactName(normalizeFields(o.fields)),
        practiceId: pid,
        outlookId: o.id,
        kind: merge ? p?.kind : undefined,
        fields: merge ? merge.fieldChanges.filter((f) => f.target === "practice") : [],
        rule: "R2",
        reason:
          "A second copy of this contact, made by a sync on another device at the same time; it goes to Deleted Items and the first one stays." +
          (writesP ? " Its edits are kept in the practice record first." : ""),
        notes: [],
      },
      {
        ...this.duplicateRemoval(o),
        ...(merge ? { practiceId: pid } : {}),
        ...(writesP ? { practice: { op: "update" as const, id: pid, version: p.version, patch: merge.practicePatch } } : {}),
      },
    );
  }

  /**
   * R2, the record deleted: what a contact made twice holds beyond the kept one, told apart by its stamp's
   * agreed hashes (the values the sync wrote when it made it); null when the stamp has none.
   */
  private foldMerge(dup: OutlookContact, kept: OutlookContact): MergeResult | null {
    const s = dup.stamp ? parseStamp(dup.stamp) : null;
    if (!s?.agreed || s.firmId !== this.input.firmId) return null;
    return mergeRecords({
      base: this.sharedBase({ base: {} }, dup, undefined, undefined, s.practiceId).base,
      practice: { fields: normalizeFields(kept.fields), modified: kept.lastModified },
      outlook: { fields: normalizeFields(dup.fields), modified: dup.lastModified },
      wholeRecord: false,
    });
  }

  /** R2: the duplicate's edits go into the kept contact (the "practice" side of `fold`), then it goes to Deleted Items. */
  private foldDuplicate(dup: OutlookContact, pid: string, kept: OutlookContact, fold: MergeResult): void {
    if (isEmpty(fold.practicePatch)) return this.removeDuplicate(dup, pid, null);
    this.addRow(
      {
        id: `remove:${dup.id}`,
        group: "remove",
        direction: "toOutlook",
        name: contactName(normalizeFields(dup.fields)),
        practiceId: pid,
        outlookId: dup.id,
        fields: [],
        rule: "R2",
        reason:
          "Made twice by syncs on two devices, and its practice record was deleted since: its edits go into the other contact, then it goes to Deleted Items.",
        notes: [],
      },
      {
        outlookId: kept.id,
        outlook: { op: "update", id: kept.id, changeKey: kept.changeKey, patch: fold.practicePatch, restamp: false },
        link: { kind: "none" },
        retireOutlook: dup.id,
        defer: [
          { side: "outlook", id: dup.id, record: dup },
          { side: "outlook", id: kept.id, record: kept },
        ],
      },
    );
  }

  /** R2: made twice and edited, with no way to tell its edits apart: the user decides. */
  private conflictDuplicate(o: OutlookContact, pid: string): void {
    this.addConflict(
      {
        id: `conflict:${o.id}`,
        group: "conflict",
        direction: "none",
        name: contactName(normalizeFields(o.fields)),
        practiceId: pid,
        outlookId: o.id,
        fields: [],
        rule: "R2",
        reason: "Two Outlook contacts were made for this record by syncs on two devices, and they differ.",
        notes: [
          "Keep: this copy becomes a contact of its own in the practice system.",
          "Delete: this copy goes to Deleted Items; the other one stays linked.",
        ],
        resolutions: ["keep", "delete"],
      },
      { keep: { changeId: `conflict:${o.id}`, ...this.importAction(o) }, delete: { changeId: `conflict:${o.id}`, ...this.duplicateRemoval(o) } },
    );
  }

  /**
   * The restored contact and its record merged as two records with no base (R8): what the contact went
   * through in Deleted Items is unknown, and its stamp's agreed hashes predate the contact that replaced
   * it. The more recent of the two wins every field that differs, so an edit the user made after
   * restoring it is kept (and a practice edit made after that wins in turn). Null: no record.
   */
  private restoredMerge(o: OutlookContact, pid: string): MergeResult | null {
    const p = this.pMap.get(pid);
    if (!p || this.pDeleted.has(pid)) return null;
    return mergeRecords({ base: null, practice: this.practiceSide(p), outlook: this.outlookSide(o), wholeRecord: this.input.settings.wholeRecord });
  }

  /**
   * R2: a contact the sync had let go (excluded, or replaced after include-again or an R11 keep) is
   * back in the folder, restored from Deleted Items, while another contact holds its record. The user
   * decides which one stays; nothing is imported as a new record.
   */
  private restored(o: OutlookContact, pid: string, current: OutlookContact, r: MergeResult | null): void {
    const id = `conflict:${o.id}`;
    const p = this.pMap.get(pid);
    const name = contactName(normalizeFields(o.fields));
    const defer: DeferredChange[] = [{ side: "outlook", id: o.id, record: o }];
    const drop: PlannedAction = { changeId: id, outlookId: o.id, outlook: { op: "delete", id: o.id }, link: { kind: "none" }, defer };
    let keep: PlannedAction;
    let fields: FieldChange[] = [];
    if (p && r) {
      const writesP = !isEmpty(r.practicePatch);
      const s = parseStamp(o.stamp!)!;
      fields = r.fieldChanges;
      keep = {
        changeId: id,
        practiceId: pid,
        outlookId: o.id,
        practice: writesP ? { op: "update", id: pid, version: p.version, patch: r.practicePatch } : undefined,
        outlook: { op: "update", id: o.id, changeKey: o.changeKey, patch: r.outlookPatch, restamp: true, made: s.made },
        link: {
          kind: "put",
          base: r.merged,
          origin: s.origin,
          practiceVersion: p.version,
          outlookChangeKey: o.changeKey,
          made: s.made,
          ...(writesP ? { outlookHeld: outlookHeld(r) } : {}),
        },
        retireOutlook: current.id,
        decisions: {
          remove: [{ practiceId: pid, kind: "retired" }, { practiceId: pid, kind: "excluded" }],
          put: [{ practiceId: pid, kind: "retired", outlookId: current.id, at: this.input.now }],
        },
        defer,
      };
    } else keep = { ...drop }; // no record to link it to: only removing it is possible
    this.addConflict(
      {
        id,
        group: "conflict",
        direction: "none",
        name,
        practiceId: pid,
        outlookId: o.id,
        fields,
        rule: "R2",
        reason: "Restored from Deleted Items, but another Outlook contact now holds this record.",
        notes: [
          "Keep: the restored contact and the practice record are merged, the more recently changed one winning where they differ, and the other contact goes to Deleted Items.",
          "Delete: the restored contact goes back to Deleted Items.",
        ],
        resolutions: ["keep", "delete"],
      },
      { keep, delete: drop },
    );
  }

  // ---- linked pairs --------------------------------------------------------------------------

  private linkedPair(original: Link): void {
    let link = original;
    const pid = link.practiceId;
    const p = this.pMap.get(pid);
    let o = this.reassignedO.has(link.outlookId) ? undefined : this.oMap.get(link.outlookId);
    const pGone = !p && this.isPracticeGone(pid);
    let oGone = !o && this.isOutlookGone(link.outlookId);
    const movedTo = link.state === "linked" ? this.moved.get(pid) : undefined;
    if (oGone && movedTo) {
      link = { ...link, outlookId: movedTo.id, outlookChangeKey: "" };
      o = movedTo;
      oGone = false;
    }
    // R7: a stamp that records where the contact was born is the truth every device shares; a link
    // made on another footing (a device that created it again after the original went) follows it.
    const so = o?.stamp ? parseStamp(o.stamp) : null;
    if (link.state === "linked" && so && so.firmId === this.input.firmId && so.practiceId === pid && so.made !== undefined && so.origin !== link.origin) {
      link = { ...link, origin: so.origin };
    }
    const pChanged = !!p && p.version !== link.practiceVersion;
    const oChanged = !!o && o.changeKey !== link.outlookChangeKey;
    const base = link.base;
    // Plain booleans (no closures): a full read decides 100,000 pairs this way. The edit checks
    // normalize only a side that changed.
    const facts: PairFacts = {
      excluded: link.state === "excluded",
      practiceGone: pGone,
      outlookGone: oGone,
      outlookLive: !!o && !oGone,
      untouched: !p && !pGone && !o && !oGone,
      leftScope: !!p && link.origin === "practice" && !matchesFilter(this.input.filter, p),
      letGoBySync: oGone && (this.decisionsByP.get(pid) ?? []).some((d) => d.kind === "retired" && d.outlookId === link.outlookId),
      // Edited since Outlook last agreed: a value still owed to Outlook counts (Link.outlookBase).
      practiceEdited: pChanged && (fieldsDiffer(normalizeFields(p.fields), base) || (!!link.outlookBase && fieldsDiffer(capFields(normalizeFields(p.fields)), link.outlookBase))),
      outlookEdited: oChanged && fieldsDiffer(normalizeFields(o!.fields), outlookBaseOf(link)),
      changed: pChanged || oChanged,
    };
    switch (decide(PAIR, facts).decision) {
      case "forget-exclusion":
        this.out.linkDeletes.push(pid);
        mergeDecisions(this.out.decisions, { remove: [{ practiceId: pid, kind: "excluded" }] });
        return;
      case "relink":
        this.claimedP.add(pid);
        return this.relink(o!, pid, link);
      case "forget-link":
        this.out.linkDeletes.push(pid);
        // A record still there is planned as one with no link: in scope again, it is created anew (R6).
        if (p) this.unlinkedP.add(pid);
        return;
      case "conflict-deleted-in-outlook":
        return this.conflictDeletedInOutlook(link, p!);
      case "exclude":
        return this.exclude(link, p);
      case "conflict-deleted-in-practice": {
        // Kept, the contact becomes the record: what the deleted record held beyond Outlook's caps (R16)
        // went with it, as on a re-link (the base is capped, so only what Outlook holds is carried).
        const merged = mergeRecords({ base: outlookBaseOf(link), practice: null, outlook: this.outlookSide(o!), wholeRecord: false }).merged;
        return this.recreateConflict(o!, merged, `Deleted in the practice system, but changed in Outlook on ${when(o!.lastModified)}.`, pid);
      }
      case "remove-from-outlook":
        return this.removeFromOutlook(link, o);
      case "leave-scope":
        return this.leftScope(link, p!, o, pChanged, oChanged);
      case "refresh-link":
        if (p) this.safety.practiceInScope++;
        if (link !== original) this.out.linkWrites.push(this.touch(link, {}));
        return;
      case "merge":
        if (p) this.safety.practiceInScope++;
        return this.mergePair(link, pChanged ? p : undefined, oChanged ? o : undefined, link !== original);
      default:
        return; // "nothing"
    }
  }

  private practiceSide(p: PracticeContact): MergeSide {
    return {
      fields: normalizeFields(p.fields),
      modified: p.updatedAt,
      needsWriteBack: fieldsToWriteBack(p.fields, { dates: true }),
    };
  }

  private outlookSide(o: OutlookContact): MergeSide {
    return { fields: normalizeFields(o.fields), modified: o.lastModified, needsWriteBack: fieldsToWriteBack(o.fields) };
  }

  private touch(link: Link, patch: Partial<Link>): Link {
    return { ...link, ...patch, updatedAt: this.input.now };
  }

  private mergePair(link: Link, p: PracticeContact | undefined, o: OutlookContact | undefined, moved: boolean): void {
    const pid = link.practiceId;
    const bases = o ? this.sharedBase(link, o, link.agreed, p, pid) : link;
    const r = mergeRecords({
      base: bases.base,
      outlookBase: bases.outlookBase,
      practice: p ? this.practiceSide(p) : null,
      outlook: o ? this.outlookSide(o) : null,
      wholeRecord: this.input.settings.wholeRecord,
    });
    const made = this.madeOf(o) ?? link.made;
    const agreed = (o?.stamp ? parseStamp(o.stamp)?.agreed : undefined) ?? link.agreed;
    const practiceVersion = p?.version ?? link.practiceVersion;
    const outlookChangeKey = o?.changeKey ?? link.outlookChangeKey;
    const restamp = !!o && this.needsRestamp(o, pid, link.origin);
    const writesP = !isEmpty(r.practicePatch);
    const writesO = !isEmpty(r.outlookPatch) || restamp;
    if (!writesP && !writesO) {
      // R3: a version bump with no field change only refreshes the link.
      this.out.linkWrites.push(this.touch(link, { base: r.merged, practiceVersion, outlookChangeKey, outlookBase: undefined, made, agreed }));
      return;
    }
    // An Outlook edit taken into the practice record moves the agreement: the stamp's agreed hashes
    // are rewritten too (no field changes), or a later revert of that edit would read as no edit.
    const refresh = !writesO && writesP && !!o && made !== undefined;
    const rule: RuleId = moved ? "R8" : r.normalizationOnly ? "R4" : "R5";
    const notes = !isEmpty(r.outlookPatch) ? overflowNotes(r.merged) : [];
    if (restamp) notes.push("The Outlook contact's sync stamp is written back (R2).");
    this.addRow(
      {
        id: `update:${pid}`,
        group: "update",
        direction: direction(writesP, writesO),
        name: contactName(r.merged),
        practiceId: pid,
        outlookId: link.outlookId,
        kind: p?.kind,
        fields: r.fieldChanges,
        rule,
        reason: moved ? "The contact came back into the folder under a new id and is re-linked." : mergeReason(r, p, o),
        notes,
      },
      {
        practiceId: pid,
        outlookId: link.outlookId,
        practice: writesP ? { op: "update", id: pid, version: practiceVersion, patch: r.practicePatch } : undefined,
        outlook:
          writesO || refresh
            ? { op: "update", id: link.outlookId, changeKey: outlookChangeKey, patch: r.outlookPatch, restamp, made }
            : undefined,
        link: {
          kind: "put",
          base: r.merged,
          origin: link.origin,
          practiceVersion,
          outlookChangeKey,
          made,
          agreed,
          // The practice half may land without the Outlook one (a field write or only the stamp refresh).
          ...(writesP && (writesO || refresh) ? { outlookHeld: outlookHeld(r) } : {}),
        },
        defer: this.deferOf(p, o),
      },
    );
  }

  /** What a contact deleted in Outlook defers: the removal, and the record as read. */
  private deferOutlookDeleted(link: Link, p: PracticeContact | undefined): DeferredChange[] {
    const defer: DeferredChange[] = [{ side: "outlook", id: link.outlookId, deleted: true }];
    if (p) defer.push({ side: "practice", id: link.practiceId, record: p });
    return defer;
  }

  /** R11: deleted in Outlook while the practice record was edited. */
  private conflictDeletedInOutlook(link: Link, p: PracticeContact): void {
    const pid = link.practiceId;
    const pFields = normalizeFields(p.fields);
    const defer = this.deferOutlookDeleted(link, p);
    const practiceVersion = p.version;
    const isClient = p.kind !== "standalone";
    const keep: PlannedAction = {
      changeId: `conflict:${pid}`,
      practiceId: pid,
      outlook: {
        op: "create",
        stamp: makeStamp(this.input.firmId, pid, { origin: link.origin, made: this.made(), agreed: agreedOf(pFields) }),
        fields: capFields(pFields),
      },
      link: { kind: "put", base: pFields, origin: link.origin, practiceVersion, outlookChangeKey: "", made: this.made() },
      dropLink: undefined,
      defer,
      // The deleted contact is let go: if it comes back from Deleted Items it is a restore (R2).
      decisions: { put: [{ practiceId: pid, kind: "retired", outlookId: link.outlookId, at: this.input.now }] },
    };
    const del: PlannedAction = isClient
      ? { changeId: `conflict:${pid}`, practiceId: pid, link: { kind: "exclude" }, defer, decisions: this.exclusion(link) }
      : {
          changeId: `conflict:${pid}`,
          practiceId: pid,
          practice: { op: "delete", id: pid, version: practiceVersion },
          link: { kind: "delete" },
          defer,
        };
    this.addConflict(
      {
        id: `conflict:${pid}`,
        group: "conflict",
        direction: "none",
        name: contactName(pFields),
        practiceId: pid,
        outlookId: link.outlookId,
        kind: p.kind,
        fields: fieldList(capFields(pFields), "outlook"), // what "keep" writes: the whole contact
        rule: "R11",
        reason: `Deleted in Outlook, but changed in the practice system on ${when(p.updatedAt)}.`,
        notes: [
          "Keep: the contact is created again in Outlook and stays linked.",
          isClient
            ? "Delete: the client stays in the practice system (a client is never deleted) and is no longer synced."
            : "Delete: the standalone contact is deleted in the practice system too.",
        ],
        resolutions: ["keep", "delete"],
      },
      { keep, delete: del },
    );
  }

  /** R10: deleted in Outlook; the record is kept and excluded (shared), or a standalone deleted with the option. */
  private exclude(link: Link, p: PracticeContact | undefined): void {
    const pid = link.practiceId;
    const pFields = p ? normalizeFields(p.fields) : link.base;
    const defer = this.deferOutlookDeleted(link, p);
    const practiceVersion = p?.version ?? link.practiceVersion;
    const deleteIt = this.input.settings.deleteStandaloneOnOutlookDelete && p?.kind === "standalone";
    this.addRow(
      {
        id: `remove:${pid}`,
        group: "remove",
        direction: deleteIt ? "toPractice" : "none",
        name: contactName(pFields),
        practiceId: pid,
        outlookId: link.outlookId,
        kind: p?.kind,
        fields: [],
        rule: "R10",
        reason: deleteIt
          ? "Deleted in Outlook; the standalone contact is deleted in the practice system too."
          : "Deleted in Outlook; the practice record is kept and no longer synced (it can be included again).",
        notes: [],
      },
      {
        practiceId: pid,
        outlookId: link.outlookId,
        practice: deleteIt ? { op: "delete", id: pid, version: practiceVersion } : undefined,
        link: deleteIt ? { kind: "delete" } : { kind: "exclude" },
        defer,
        decisions: deleteIt ? undefined : this.exclusion(link),
      },
    );
  }

  /** R10: the user's decision not to sync this contact again, shared with their other devices (R2). */
  private exclusion(link: Link): FolderDecisionsChange {
    return { put: [{ practiceId: link.practiceId, kind: "excluded", outlookId: link.outlookId, at: this.input.now }] };
  }

  /** R9: deleted in the practice system; removed from the folder. */
  private removeFromOutlook(link: Link, o: OutlookContact | undefined): void {
    const pid = link.practiceId;
    const defer: DeferredChange[] = [{ side: "practice", id: pid, deleted: true }];
    if (o) defer.push({ side: "outlook", id: o.id, record: o });
    this.addRow(
      {
        id: `remove:${pid}`,
        group: "remove",
        direction: "toOutlook",
        name: contactName(link.base),
        practiceId: pid,
        outlookId: link.outlookId,
        fields: [],
        rule: "R9",
        reason: "Deleted in the practice system; removed from the Outlook folder (to Deleted Items).",
        notes: [],
      },
      { practiceId: pid, outlookId: link.outlookId, outlook: { op: "delete", id: link.outlookId }, link: { kind: "delete" }, defer },
    );
  }

  /**
   * R11 for a contact whose practice record is gone while Outlook has edits (or, after a lost cache,
   * a stamped contact whose record is gone): keep = create it again in the practice system.
   */
  private recreateConflict(o: OutlookContact, fields: ContactFields, reason: string, oldPid: string | undefined): void {
    const id = `conflict:${oldPid ?? o.id}`;
    const defer: DeferredChange[] = [{ side: "outlook", id: o.id, record: o }];
    if (oldPid) defer.push({ side: "practice", id: oldPid, deleted: true });
    const dropLink = oldPid && this.linksByP.has(oldPid) ? oldPid : undefined;
    // What Outlook must hold afterwards: the record capped (R16 overflow kept in the practice record
    // may move up into a slot Outlook freed), and normalized (R4).
    const current = normalizeFields(o.fields) as Rec;
    const outlookPatch: Rec = {};
    for (const s of FIELD_SPECS) {
      const want = capValue(s.name, (fields as Rec)[s.name]);
      if (valueKey(want) !== valueKey(current[s.name])) outlookPatch[s.name] = want ?? null;
    }
    for (const f of fieldsToWriteBack(o.fields)) outlookPatch[f] = capValue(f, (fields as Rec)[f]) ?? null;
    const keep: PlannedAction = {
      changeId: id,
      outlookId: o.id,
      // One key per Outlook contact, as for imports (R7): a retried or re-planned keep replays, and a
      // replay whose record was deleted since is created afresh (apply.ts).
      // Named after its contact (outlookRef) like an import, so an interrupted keep is paired, not copied.
      practice: {
        op: "create",
        key: `keep:${o.id}`,
        kind: this.input.settings.importKind,
        fields,
        ...(this.input.mailbox ? { outlookRef: { mailbox: this.input.mailbox, id: o.id } } : {}),
      },
      outlook: { op: "update", id: o.id, changeKey: o.changeKey, patch: outlookPatch as FieldPatch, restamp: true, made: this.madeOf(o) },
      link: { kind: "put", base: fields, origin: "outlook", practiceVersion: "", outlookChangeKey: o.changeKey },
      dropLink,
      ...(oldPid ? { replaces: oldPid } : {}),
      defer,
    };
    const del: PlannedAction = {
      changeId: id,
      practiceId: oldPid,
      outlookId: o.id,
      outlook: { op: "delete", id: o.id },
      link: { kind: "delete" },
      dropLink,
      defer,
    };
    this.addConflict(
      {
        id,
        group: "conflict",
        direction: "none",
        name: contactName(fields),
        practiceId: oldPid,
        outlookId: o.id,
        kind: this.input.settings.importKind,
        // What "keep" writes: the new practice record, and what Outlook must change to match it.
        fields: [
          ...fieldList(fields, "practice"),
          ...Object.keys(outlookPatch).map((f) => ({
            field: f as FieldChange["field"],
            label: LABEL.get(f as FieldChange["field"])!,
            target: "outlook" as const,
            old: current[f],
            new: outlookPatch[f] ?? undefined,
          })),
        ],
        rule: "R11",
        reason,
        notes: [
          `Keep: the contact is created again in the practice system as a ${this.input.settings.importKind} contact.`,
          "Delete: the contact is removed from the Outlook folder (to Deleted Items).",
        ],
        resolutions: ["keep", "delete"],
      },
      { keep, delete: del },
    );
  }

  /** R9: no longer matches the filter. Outlook edits are saved in the practice record first, then removed. */
  private leftScope(link: Link, p: PracticeContact, o: OutlookContact | undefined, pChanged: boolean, oChanged: boolean): void {
    const pid = link.practiceId;
    let patch: FieldPatch = {};
    let fields: FieldChange[] = [];
    if (o && oChanged) {
      // The same base as any merge of the pair: what another device agreed since counts (the stamp).
      const r = mergeRecords({
        ...this.sharedBase(link, o, link.agreed, p, link.practiceId),
        practice: pChanged ? this.practiceSide(p) : null,
        outlook: this.outlookSide(o),
        wholeRecord: this.input.settings.wholeRecord,
      });
      patch = r.practicePatch;
      fields = r.fieldChanges.filter((f) => f.target === "practice");
    }
    const savesEdits = !isEmpty(patch);
    const practiceVersion = pChanged ? p.version : link.practiceVersion;
    this.addRow(
      {
        id: `remove:${pid}`,
        group: "remove",
        direction: savesEdits ? "both" : "toOutlook",
        name: contactName(p.fields),
        practiceId: pid,
        outlookId: link.outlookId,
        kind: p.kind,
        fields,
        rule: "R9",
        reason:
          "No longer matches the filter; removed from the Outlook folder (to Deleted Items)." +
          (savesEdits ? " Its Outlook edits are saved in the practice record first." : ""),
        notes: [],
      },
      {
        practiceId: pid,
        outlookId: link.outlookId,
        practice: savesEdits ? { op: "update", id: pid, version: practiceVersion, patch } : undefined,
        outlook: { op: "delete", id: link.outlookId },
        link: { kind: "delete" },
        defer: this.deferOf(p, o),
        decisions: this.letGoDecision(pid, link.outlookId, this.madeOf(o) ?? link.made),
      },
    );
  }

  /**
   * R2: a contact the sync removes is let go: a copy of it the user made (same create token, another
   * id) that is still in the folder is then recognizably a copy, and a restore of it a restore.
   */
  private letGoDecision(pid: string, outlookId: string, made: string | undefined): FolderDecisionsChange {
    return { put: [{ practiceId: pid, kind: "retired", outlookId, ...(made ? { made } : {}), at: this.input.now }] };
  }

  /** A contact carrying the create token of a contact the sync let go, under another id: the user's copy. */
  private copyOfLetGo(o: OutlookContact, pid: string): boolean {
    const made = this.madeOf(o);
    if (made === undefined) return false;
    return (this.decisionsByP.get(pid) ?? []).some((d) => d.kind === "retired" && d.made === made && d.outlookId !== o.id);
  }

  // ---- unlinked contacts ---------------------------------------------------------------------

  private unlinkedOutlook(): void {
    // Stamped contacts first: a stamp names its record for certain, so no pairing by reference or
    // by equal fields may take that record before its own contact is seen.
    const ordered = [...this.unlinkedO].sort((a, b) => Number(this.oMap.get(a)!.stamp === undefined) - Number(this.oMap.get(b)!.stamp === undefined));
    for (const oid of ordered) {
      const o = this.oMap.get(oid)!;
      const claimed = this.claimedO.has(o.id);
      this.claimedO.add(o.id);
      const pid = this.ourStamp(o);
      const link = pid === null ? undefined : this.linksByP.get(pid);
      const madeFrom = pid === null && !claimed ? this.madeFromRecord(o) : undefined;
      const twin = pid === null && !claimed && !madeFrom ? this.twinRecord(o) : undefined;
      const facts: UnlinkedContactFacts = {
        claimed,
        stamped: pid !== null,
        recordLinked: link?.state === "linked",
        recordClaimed: pid !== null && this.claimedP.has(pid),
        copyOfLetGo: pid !== null && this.copyOfLetGo(o, pid),
        madeFromRecord: !!madeFrom,
        twinRecord: !!twin,
      };
      switch (decide(UNLINKED_CONTACT, facts).decision) {
        case "import-copy":
          this.importFromOutlook(o, "A copy made in Outlook of a contact the sync has since removed; created in the practice system as a contact of its own.");
          break;
        case "relink":
          // R8: stamped but unlinked (lost cache, another device, restored after an exclusion): re-link, never copy.
          this.claimedP.add(pid!);
          this.relink(o, pid!, link);
          break;
        case "pair-made-from":
          this.claimedP.add(madeFrom!.id);
          this.madeFrom!.delete(o.id);
          this.relink(o, madeFrom!.id, undefined, {
            origin: "outlook",
            madeFrom: true,
            reason: "Made in the practice system from this Outlook contact by an import that did not finish: linked and stamped instead of copied.",
          });
          break;
        case "pair-twin":
          this.unlinkedByFields!.set(valueKey(normalizeFields(o.fields)), null); // one Outlook contact per record
          this.claimedP.add(twin!.id);
          this.pairAsImported(o, twin!, "An unstamped Outlook contact identical to an unlinked practice record (an interrupted import): linked and stamped instead of copied.");
          break;
        case "import":
          // R7: never synced, or a copy of a linked contact that still exists: a new contact.
          this.importFromOutlook(o);
          break;
        default: // "nothing": decided with another subject
      }
    }
  }

  /** Unlinked practice records by the Outlook contact they were made from, built on first need. */
  private madeFrom: Map<string, PracticeContact> | null = null;

  /**
   * R2/R13: a record the practice system made from this very Outlook contact (its outlookRef names
   * the folder's mailbox and the contact's immutable id) while the stamp was never written (a crash,
   * then a lost cache and journal). They are the same contact: linked and stamped, never copied.
   */
  private madeFromRecord(o: OutlookContact): PracticeContact | undefined {
    if (!this.input.mailbox) return undefined;
    if (!this.madeFrom) {
      this.madeFrom = new Map();
      const mailbox = this.input.mailbox.toLowerCase();
      for (const id of this.unlinkedP) {
        const p = this.pMap.get(id)!;
        if (p.outlookRef && p.outlookRef.mailbox.toLowerCase() === mailbox && !this.pDeleted.has(id)) this.madeFrom.set(p.outlookRef.id, p);
      }
    }
    const p = this.madeFrom.get(o.id);
    return p && !this.claimedP.has(p.id) ? p : undefined;
  }

  /** Unlinked practice records by their normalized fields, built on first need (rarely needed). */
  private unlinkedByFields: Map<string, PracticeContact | null> | null = null;

  /**
   * R2/R13: an import that created the practice record but died before stamping the Outlook contact,
   * followed by a lost cache (and journal), leaves an unstamped contact and an unlinked record with
   * identical fields. Importing one and creating the other would duplicate the contact on both sides;
   * an exact, unique match on every synced field is instead linked and stamped.
   */
  private twinRecord(o: OutlookContact): PracticeContact | undefined {
    if (!this.unlinkedByFields) {
      this.unlinkedByFields = new Map();
      for (const id of this.unlinkedP) {
        const p = this.pMap.get(id)!;
        if (this.claimedP.has(id) || this.pDeleted.has(id)) continue;
        // A record made from a known Outlook contact belongs to that one, never to a look-alike.
        if (p.outlookRef && this.input.mailbox && p.outlookRef.mailbox.toLowerCase() === this.input.mailbox.toLowerCase()) continue;
        const key = valueKey(capFields(normalizeFields(p.fields)));
        if (key === "{}") continue;
        // A second record with the same fields makes the match ambiguous: no pairing.
        this.unlinkedByFields.set(key, this.unlinkedByFields.has(key) ? null : p);
      }
    }
    const p = this.unlinkedByFields.get(valueKey(normalizeFields(o.fields)));
    return p && !this.claimedP.has(p.id) ? p : undefined;
  }

  /** Links an Outlook-born contact with the practice record its import made, and stamps it (R7, R8). */
  private pairAsImported(o: OutlookContact, p: PracticeContact, reason: string): void {
    const fields = normalizeFields(o.fields);
    const base = normalizeFields(p.fields);
    const writeBack: Rec = {};
    for (const f of fieldsToWriteBack(o.fields)) writeBack[f] = (fields as Rec)[f] ?? null;
    this.addRow(
      {
        id: `update:${p.id}`,
        group: "update",
        direction: "toOutlook",
        name: contactName(base),
        practiceId: p.id,
        outlookId: o.id,
        kind: p.kind,
        fields: writeBackList(o.fields, writeBack, "outlook"),
        rule: "R8",
        reason,
        notes: ["The Outlook contact's sync stamp is written (R2)."],
      },
      {
        practiceId: p.id,
        outlookId: o.id,
        outlook: { op: "update", id: o.id, changeKey: o.changeKey, patch: writeBack as FieldPatch, restamp: true },
        link: { kind: "put", base, origin: "outlook", practiceVersion: p.version, outlookChangeKey: o.changeKey },
        defer: this.deferOf(p, o),
      },
    );
  }

  /**
   * R8: pair a stamped Outlook contact (or one its record was made from) with its practice record; no
   * base, so recency decides (R5). A contact the sync had let go and that is back is no longer let go.
   */
  private relink(
    o: OutlookContact,
    pid: string,
    prior: Link | undefined,
    opts: { origin?: LinkOrigin; reason?: string; madeFrom?: boolean; replaced?: string } = {},
  ): void {
    const p = this.pMap.get(pid);
    const live = !!p && !this.pDeleted.has(pid);
    const inScope = live && matchesFilter(this.input.filter, p);
    // R7: the stamp says where the contact was born. A stamp written before stamps recorded it (no
    // create token) cannot tell: out of scope, keep it (origin outlook), and write the stamp anew.
    const stamp = o.stamp ? parseStamp(o.stamp) : null;
    const origin: LinkOrigin =
      opts.origin ??
      (stamp && (stamp.origin === "outlook" || stamp.made !== undefined) ? stamp.origin : (prior?.origin ?? (inScope ? "practice" : "outlook")));
    const madeFrom = !live && !opts.madeFrom ? this.madeFromRecord(o) : undefined;
    switch (decide(RELINK, { recordGone: !live, madeFromRecord: !!madeFrom, bornInPracticeOutOfScope: origin === "practice" && !inScope }).decision) {
      case "pair-made-from":
        // An R11 keep re-created the record from this contact and its stamp was never rewritten.
        this.claimedP.add(madeFrom!.id);
        this.madeFrom!.delete(o.id);
        return this.relink(o, madeFrom!.id, undefined, {
          origin: "outlook",
          madeFrom: true,
          replaced: pid,
          reason: "Its practice record was made again from this contact (keep) by a sync that did not finish: linked and stamped instead of copied.",
        });
      case "conflict-deleted-in-practice":
        return this.recreateConflict(o, normalizeFields(o.fields), "Found in Outlook with a sync stamp, but its practice record no longer exists.", pid);
      case "remove-out-of-scope":
        return this.removeOutOfScope(o, p!, prior);
      default: // "relink"
    }
    if (!p) return;
    if (inScope) this.safety.practiceInScope++;
    const restamp = this.needsRestamp(o, pid, origin);
    let decisions: FolderDecisionsChange | undefined =
      this.letGo(pid).has(o.id) || this.excludedDecision(pid)
        ? { remove: [{ practiceId: pid, kind: "excluded" }, ...(this.letGo(pid).has(o.id) ? [{ practiceId: pid, kind: "retired" as const }] : [])] }
        : undefined;
    // A keep whose record was deleted (R11) that a crash cut short: the shared decisions still learn
    // which record replaced the deleted one (what apply records for a keep that finishes).
    if (opts.replaced) {
      const put = { practiceId: opts.replaced, kind: "retired" as const, outlookId: o.id, replacedBy: pid, at: this.input.now };
      decisions = mergeDecisions(decisions ?? {}, { put: [put] });
    }
    // No link, so no base of this cache's own; the stamp's agreed hashes still say, per field, which side
    // holds the last agreement (that side has not changed since). Without them, recency decides (R5).
    // A record made from this very contact (its import): what differs within the same second can only be
    // an Outlook edit after the import read it, so a tie goes to Outlook here (R5 orders by whole seconds).
    const r = mergeRecords({
      base: stamp?.agreed && stamp.firmId === this.input.firmId && stamp.practiceId === pid ? this.sharedBase({ base: {} }, o, undefined, p, pid).base : null,
      practice: this.practiceSide(p),
      tie: opts.madeFrom ? "outlook" : undefined,
      outlook: this.outlookSide(o),
      wholeRecord: this.input.settings.wholeRecord,
    });
    const writesP = !isEmpty(r.practicePatch);
    const writesO = !isEmpty(r.outlookPatch) || restamp;
    const link: Link = {
      practiceId: pid,
      outlookId: o.id,
      base: r.merged,
      practiceVersion: p.version,
      outlookChangeKey: o.changeKey,
      origin,
      state: "linked",
      ...(stamp?.made ? { made: stamp.made } : {}),
      ...(stamp?.agreed ? { agreed: stamp.agreed } : {}),
      updatedAt: this.input.now,
    };
    if (!writesP && !writesO) {
      this.out.linkWrites.push(link);
      if (decisions) mergeDecisions(this.out.decisions, decisions);
      return;
    }
    this.addRow(
      {
        id: `update:${pid}`,
        group: "update",
        direction: direction(writesP, writesO),
        name: contactName(r.merged),
        practiceId: pid,
        outlookId: o.id,
        kind: p.kind,
        fields: r.fieldChanges,
        rule: "R8",
        reason: opts.reason ?? "Found in Outlook by its sync stamp and re-linked; where the two differ, the more recent record wins.",
        notes: [...(isEmpty(r.outlookPatch) ? [] : overflowNotes(r.merged)), ...(restamp ? ["The Outlook contact's sync stamp is written back (R2)."] : [])],
      },
      {
        practiceId: pid,
        outlookId: o.id,
        practice: writesP ? { op: "update", id: pid, version: p.version, patch: r.practicePatch } : undefined,
        // A practice-only re-link still rewrites the stamp's agreed hashes (see mergePair).
        outlook:
          writesO || stamp?.made !== undefined
            ? { op: "update", id: o.id, changeKey: o.changeKey, patch: r.outlookPatch, restamp, made: stamp?.made }
            : undefined,
        link: {
          kind: "put",
          base: r.merged,
          origin,
          practiceVersion: p.version,
          outlookChangeKey: o.changeKey,
          made: stamp?.made,
          agreed: stamp?.agreed,
          ...(writesP && (writesO || stamp?.made !== undefined) ? { outlookHeld: outlookHeld(r) } : {}),
        },
        defer: this.deferOf(p, o),
        decisions,
      },
    );
  }

  /**
   * R9 without a link: a contact the stamp says was created from the practice system, whose record no
   * longer matches the filter (no device kept the link that would have removed it). It goes to Deleted
   * Items, where it can be recovered; with no base to tell edits apart, nothing is written to the record.
   */
  private removeOutOfScope(o: OutlookContact, p: PracticeContact, prior: Link | undefined): void {
    this.addRow(
      {
        id: `remove:${p.id}`,
        group: "remove",
        direction: "toOutlook",
        name: contactName(normalizeFields(p.fields)),
        practiceId: p.id,
        outlookId: o.id,
        kind: p.kind,
        fields: [],
        rule: "R9",
        reason: "No longer matches the filter; removed from the Outlook folder (to Deleted Items).",
        notes: [],
      },
      {
        practiceId: p.id,
        outlookId: o.id,
        outlook: { op: "delete", id: o.id },
        link: prior ? { kind: "delete" } : { kind: "none" },
        defer: this.deferOf(p, o),
        decisions: this.letGoDecision(p.id, o.id, this.madeOf(o)),
      },
    );
  }

  /** R7: created in the practice system as the import kind, then stamped in Outlook. */
  private importFromOutlook(o: OutlookContact, reason?: string): void {
    const fields = normalizeFields(o.fields);
    const action = this.importAction(o);
    const writeBack = (action.outlook as Extract<OutlookAction, { op: "update" }>).patch as Rec;
    const kind = this.input.settings.importKind;
    this.addRow(
      {
        id: `add:${o.id}`,
        group: "add",
        direction: "toPractice",
        name: contactName(fields),
        outlookId: o.id,
        kind,
        fields: [...fieldList(fields, "practice"), ...writeBackList(o.fields, writeBack, "outlook")],
        rule: "R7",
        reason: reason ?? `New in Outlook; created in the practice system as a ${kind} contact. It stays in the folder whatever the filter.`,
        notes: [],
      },
      action,
    );
  }

  private importAction(o: OutlookContact): Omit<PlannedAction, "changeId"> {
    const fields = normalizeFields(o.fields);
    const writeBack: Rec = {};
    for (const f of fieldsToWriteBack(o.fields)) writeBack[f] = (fields as Rec)[f] ?? null;
    const mailbox = this.input.mailbox;
    return {
      outlookId: o.id,
      // One key per Outlook contact, and the contact named in the record (outlookRef): a create that
      // timed out after landing, or a re-import after the cache was lost before the stamp was written,
      // answers with the same practice record (R2, R13).
      practice: {
        op: "create",
        key: `import:${o.id}`,
        kind: this.input.settings.importKind,
        fields,
        ...(mailbox ? { outlookRef: { mailbox, id: o.id } } : {}),
      },
      outlook: { op: "update", id: o.id, changeKey: o.changeKey, patch: writeBack as FieldPatch, restamp: true, made: this.madeOf(o) },
      link: { kind: "put", base: fields, origin: "outlook", practiceVersion: "", outlookChangeKey: o.changeKey },
      defer: [{ side: "outlook", id: o.id, record: o }],
    };
  }

  /** R6: an in-scope practice contact with no link is created in the folder, stamped. */
  private unlinkedPractice(): void {
    for (const pid of this.unlinkedP) {
      const p = this.pMap.get(pid)!;
      const claimedOrDeleted = this.claimedP.has(p.id) || this.pDeleted.has(p.id);
      const inScope = !claimedOrDeleted && matchesFilter(this.input.filter, p);
      const excluded = inScope ? this.excludedDecision(p.id) : undefined;
      const decision = decide(UNLINKED_RECORD, { claimedOrDeleted, inScope, excludedByDecision: !!excluded }).decision;
      if (decision === "nothing") continue;
      this.safety.practiceInScope++;
      if (decision === "record-exclusion") {
        // R10 decided on another device, or before this cache was lost: not re-added.
        this.out.linkWrites.push({
          practiceId: p.id,
          outlookId: excluded!.outlookId ?? "",
          base: normalizeFields(p.fields),
          practiceVersion: p.version,
          outlookChangeKey: "",
          origin: "practice",
          state: "excluded",
          updatedAt: this.input.now,
        });
        continue;
      }
      const fields = normalizeFields(p.fields);
      const writeBack: Rec = {};
      for (const f of fieldsToWriteBack(p.fields, { dates: true })) writeBack[f] = (fields as Rec)[f] ?? null;
      const practice: PracticeAction | undefined = isEmpty(writeBack as FieldPatch)
        ? undefined
        : { op: "update", id: p.id, version: p.version, patch: writeBack as FieldPatch };
      const outlook: OutlookAction = {
        op: "create",
        stamp: makeStamp(this.input.firmId, p.id, { made: this.made(), agreed: agreedOf(fields) }),
        fields: capFields(fields),
      };
      this.addRow(
        {
          id: `add:${p.id}`,
          group: "add",
          direction: practice ? "both" : "toOutlook",
          name: contactName(fields),
          practiceId: p.id,
          kind: p.kind,
          fields: [...fieldList(capFields(fields), "outlook"), ...writeBackList(p.fields, writeBack, "practice")],
          rule: "R6",
          reason: "In scope in the practice system and not in the folder; created in Outlook with the sync stamp.",
          notes: overflowNotes(fields),
        },
        {
          practiceId: p.id,
          practice,
          outlook,
          link: { kind: "put", base: fields, origin: "practice", practiceVersion: p.version, outlookChangeKey: "", made: this.made() },
          defer: [{ side: "practice", id: p.id, record: p }],
        },
      );
    }
  }

  // ---- output helpers ------------------------------------------------------------------------

  /** Whether a row planned so far writes this practice record (its conflicts' choices included). */
  private writesPractice(pid: string): boolean {
    for (const a of this.out.actions.values()) if (a.practice && a.practiceId === pid) return true;
    for (const c of this.out.conflicts.values()) if ((c.keep.practice || c.delete.practice) && c.keep.practiceId === pid) return true;
    return false;
  }

  private deferOf(p: PracticeContact | undefined, o: OutlookContact | undefined): DeferredChange[] {
    const d: DeferredChange[] = [];
    if (p) d.push({ side: "practice", id: p.id, record: p });
    if (o) d.push({ side: "outlook", id: o.id, record: o });
    return d;
  }

  private addRow(change: PlannedChange, action: Omit<PlannedAction, "changeId">): void {
    this.out.changes.push(change);
    this.out.actions.set(change.id, { changeId: change.id, ...action });
  }

  private addConflict(change: PlannedChange, choice: ConflictChoice): void {
    this.out.changes.push(change);
    this.out.conflicts.set(change.id, choice);
  }

  private error(e: ContactError): void {
    this.out.errors.push(e);
  }
}

/** The merged record, with every Outlook-bound field at the value Outlook holds now. */
/** What the Outlook contact holds before a merge's write: the merged record except the fields bound for Outlook. */
function outlookHeld(r: MergeResult): ContactFields {
  const held: Rec = { ...r.merged };
  for (const fc of r.fieldChanges) {
    if (fc.target !== "outlook") continue;
    if (fc.old === undefined) delete held[fc.field];
    else held[fc.field] = fc.old;
  }
  return capFields(held as ContactFields);
}

function direction(toPractice: boolean, toOutlook: boolean): ChangeDirection {
  if (toPractice && toOutlook) return "both";
  if (toPractice) return "toPractice";
  return toOutlook ? "toOutlook" : "none";
}

const LABEL = new Map(FIELD_SPECS.map((s) => [s.name, s.label]));

/** Every present field of a new record, as written to the target store. */
function fieldList(fields: ContactFields, target: "practice" | "outlook"): FieldChange[] {
  const out: FieldChange[] = [];
  for (const s of FIELD_SPECS) {
    const v = (fields as Rec)[s.name];
    if (v !== undefined) out.push({ field: s.name, label: s.label, target, old: undefined, new: v });
  }
  return out;
}

/** R4 write-backs that ride along with a create: stored value -> normalized value. */
function writeBackList(raw: ContactFields, patch: Rec, target: "practice" | "outlook"): FieldChange[] {
  return Object.keys(patch).map((f) => ({
    field: f as FieldChange["field"],
    label: LABEL.get(f as FieldChange["field"])!,
    target,
    old: (raw as Rec)[f],
    new: patch[f] ?? undefined,
  }));
}

function mergeReason(r: MergeResult, p: PracticeContact | undefined, o: OutlookContact | undefined): string {
  if (r.normalizationOnly) return "Stored with blanks that normalization removes; the normalized value is written back once.";
  if (r.contested.length > 0 && p && o) {
    const winner = r.winner === "outlook" ? `Outlook (${when(o.lastModified)})` : `the practice system (${when(p.updatedAt)})`;
    return `Changed on both sides; where they differ the more recent record wins: ${winner}.`;
  }
  if (r.practiceChanged.length && r.outlookChanged.length) return "Changed on both sides in different fields; both changes are kept.";
  if (r.outlookChanged.length) return "Changed in Outlook; the practice record did not change.";
  return "Changed in the practice system; Outlook did not change.";
}

/**
 * R2/R5: merging `first` (its merge with the record: `m1`) this run and `second` (`m2`) the next, does the
 * second lose a field it changed more recently than the record (changed at `recordModified`) and the first
 * did? The first merge's write gives the record this run's time, which beats the second in every contest.
 */
function losesNewerEdit(m1: MergeResult, first: OutlookContact, m2: MergeResult, second: OutlookContact, recordModified: string): boolean {
  const t2 = Date.parse(second.lastModified);
  const held = normalizeFields(second.fields);
  for (const f of m2.outlookChanged) {
    const byRecord = m2.practiceChanged.includes(f);
    const byFirst = m1.outlookChanged.includes(f);
    if (!byRecord && !byFirst) continue;
    if (valueKey(capValue(f, m1.merged[f])) === valueKey(held[f])) continue;
    const rival = Math.max(byRecord ? Date.parse(recordModified) : -Infinity, byFirst ? Date.parse(first.lastModified) : -Infinity);
    if (!(t2 <= rival)) return true;
  }
  return false;
}
