// applyActions(): executes the approved actions through the ports (R12, R13, R19).
// Two phases, practice then Outlook (see actions.ts for why), each in batches per operation. Before
// each batch its intents are journaled; after it, the links of finished actions and the journal
// completions land in one cache commit, so a crash between two batches loses nothing and repeats
// nothing. A failed item fails only its contact: it becomes a ContactError and its records are kept
// as deferred changes so it comes back next run. Cancellation is checked between batches. A store that
// takes several calls at once (pipelineDepth) gets the next batch while the previous one is in flight.
import type { PlannedAction } from "./actions";
import { journalEntry } from "./journal";
import { capFields, fieldsDiffer, mergeRecords } from "./merge";
import { derivedDisplayName, normalizeFields } from "./normalize";
import type { ContactFields, FieldPatch, Link, OutlookContact, PracticeContact } from "./model";
import { makeStamp, parseStamp } from "./model";
import { agreedOf } from "./agreed";
import { mergeDecisions } from "./decisions";
import {
  MalformedResponseError,
  StoreUnavailableError,
  type Clock,
  type ContactError,
  type DeferredChange,
  type FolderDecisionsChange,
  type IdSource,
  type JournalEntry,
  type OutlookStore,
  type PracticeStore,
  type SyncCache,
  type WriteError,
  type WriteResult,
} from "./ports";

/** Items per port call; adapters split further (Graph $batch holds 20). */
export const APPLY_BATCH = 100;

/**
 * Items per Outlook call: the store's own round-trip size when it has one (Graph: 80), as the largest
 * multiple of it that fits APPLY_BATCH (or that size alone when it is larger), so a call never ends with
 * a short extra round trip. Anything unusable keeps APPLY_BATCH.
 */
export function outlookChunkSize(store: { writeChunkSize?: unknown }): number {
  const n = store.writeChunkSize;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return APPLY_BATCH;
  return n >= APPLY_BATCH ? n : Math.floor(APPLY_BATCH / n) * n;
}

/**
 * Outlook write calls the engine keeps outstanding at once: the store's `pipelineDepth` when it takes
 * several (the Graph store queues the extra batches behind its in-flight limit, so the next call is
 * ready the moment a slot frees), else one call at a time. At most 4: more would only queue.
 */
export function outlookPipelineDepth(store: { pipelineDepth?: unknown }): number {
  const n = store.pipelineDepth;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return 1;
  return Math.min(n, 4);
}

export interface ApplyDeps {
  practice: PracticeStore;
  outlook: OutlookStore;
  cache: SyncCache;
  clock: Clock;
  ids: IdSource;
  firmId: string;
  runId: string;
  /** Current links by practice id (R10 exclusion keeps the link's other fields). */
  links: ReadonlyMap<string, Link>;
  /** Contact name per change id, for error rows. */
  names: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The Outlook store pauses for its service's request limit and resumes by itself at `resumeAt`. */
  onWaiting?: (resumeAt: string) => void;
}

export interface ApplyOutcome {
  /** Change ids fully applied. */
  applied: string[];
  failed: ContactError[];
  /** Records of failed actions, to come back next run (R19). */
  deferred: DeferredChange[];
  cancelled: boolean;
  /** Shared decisions known only once written: which record replaced a deleted one (PlannedAction.replaces). */
  decisions?: FolderDecisionsChange;
}

interface ActionState {
  action: PlannedAction;
  practiceId?: string;
  practiceVersion?: string;
  outlookId?: string;
  outlookChangeKey?: string;
  practiceCreated: boolean;
  /** The created practice record's normalized fields (the link's base after a create). */
  createdBase?: ContactFields;
  /** Set when only the practice half of a two-sided update landed: Outlook's side of the base (Link.outlookBase). */
  outlookBase?: ContactFields;
  /** Fields the Outlook write must carry besides the planned patch (see verifyCreates). */
  extraOutlookPatch?: FieldPatch;
  /** An import's Outlook write (its stamp) is held back for the next run's review (see verifyCreates). */
  holdOutlook?: boolean;
  failed: boolean;
  /** The action's link is committed (or it failed): nothing is left for it in this run. */
  settled?: boolean;
  /** Journal entry ids not yet completed. */
  journal: string[];
  /** The create token the Outlook contact's stamp carries after this action. */
  made?: string;
  /** The agreed hashes this action's stamp write sent. */
  agreed?: string;
}

/** Failures after which a create may or may not have landed (a 429 was refused before any effect). */
const AMBIGUOUS: ReadonlySet<WriteError["code"]> = new Set(["unavailable", "unknown"]);

/** The create token after an action: the one its stamp write used, its create's, or the link's. */
function madeOf(s: ActionState): string | undefined {
  const o = s.action.outlook;
  if (o?.op === "create") return parseStamp(o.stamp)?.made;
  return s.made ?? (s.action.link.kind === "put" ? s.action.link.made : undefined);
}

/** The stamp's agreed hashes after an action: the ones it wrote (a create's, an update's), or as seen. */
function agreedAfter(s: ActionState): string | undefined {
  const o = s.action.outlook;
  if (o?.op === "create") return parseStamp(o.stamp)?.agreed;
  return s.agreed ?? (s.action.link.kind === "put" ? s.action.link.agreed : undefined);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A whole-call failure becomes one failure per item, so every contact is reported (R19). */
async function guarded<T>(
  side: "practice" | "outlook",
  items: number,
  call: () => Promise<WriteResult<T>[]>,
): Promise<WriteResult<T>[]> {
  try {
    const results = await call();
    if (!Array.isArray(results) || results.length !== items)
      throw new MalformedResponseError(side, `The ${side} store answered a batch of ${items} with ${Array.isArray(results) ? results.length : "no"} results.`);
    return results;
  } catch (e) {
    if (e instanceof StoreUnavailableError || e instanceof MalformedResponseError) {
      const error: WriteError = { code: "unavailable", message: e.message, retryable: true };
      return Array.from({ length: items }, () => ({ ok: false as const, error }));
    }
    throw e;
  }
}

export async function applyActions(deps: ApplyDeps, actions: PlannedAction[]): Promise<ApplyOutcome> {
  const states = actions.map<ActionState>((a) => ({
    action: a,
    practiceId: a.practiceId,
    outlookId: a.outlookId,
    practiceCreated: false,
    failed: false,
    journal: [],
  }));
  const outcome: ApplyOutcome = { applied: [], failed: [], deferred: [], cancelled: false };
  const total = states.reduce((n, s) => n + (s.action.practice ? 1 : 0) + (s.action.outlook ? 1 : 0), 0);
  let done = 0;
  const now = () => deps.clock.now();
  const outlookBatch = outlookChunkSize(deps.outlook);
  const outlookDepth = outlookPipelineDepth(deps.outlook);
  const outlookCall = { signal: deps.signal, ...(deps.onWaiting ? { onWaiting: deps.onWaiting } : {}) };

  const fail = (s: ActionState, side: "practice" | "outlook", error: WriteError) => {
    s.failed = true;
    outcome.failed.push({
      practiceId: s.practiceId,
      outlookId: s.outlookId,
      name: deps.names.get(s.action.changeId) ?? s.action.changeId,
      code: error.code,
      message: `${side === "practice" ? "Practice system" : "Outlook"}: ${error.message}`,
    });
    outcome.deferred.push(...s.action.defer);
  };

  /** The cache writes that finish an action: its link, and its journal entries. */
  const finish = (s: ActionState, putLinks: Link[], deleteLinks: string[]) => {
    const a = s.action;
    const pid = s.practiceId;
    if (a.dropLink && a.dropLink !== pid) deleteLinks.push(a.dropLink);
    if (a.link.kind === "delete") {
      if (pid) deleteLinks.push(pid);
    } else if (a.link.kind === "exclude") {
      const old = pid ? deps.links.get(pid) : undefined;
      if (old) putLinks.push({ ...old, state: "excluded", updatedAt: now() });
    } else if (a.link.kind === "put" && pid && s.outlookId) {
      putLinks.push({
        practiceId: pid,
        outlookId: s.outlookId,
        base: s.createdBase ?? a.link.base,
        practiceVersion: s.practiceVersion ?? a.link.practiceVersion,
        outlookChangeKey: s.outlookChangeKey ?? a.link.outlookChangeKey,
        origin: a.link.origin,
        state: "linked",
        ...(madeOf(s) ? { made: madeOf(s) } : {}),
        ...(agreedAfter(s) ? { agreed: agreedAfter(s) } : {}),
        ...(s.outlookBase ? { outlookBase: s.outlookBase } : {}),
        updatedAt: now(),
      });
      if (a.replaces && s.practiceCreated) {
        const put = { practiceId: a.replaces, kind: "retired" as const, outlookId: s.outlookId, replacedBy: pid, at: now() };
        outcome.decisions = mergeDecisions(outcome.decisions ?? {}, { put: [put] });
      }
    }
    outcome.applied.push(a.changeId);
  };

  const runBatches = async <I, T>(
    side: "practice" | "outlook",
    batch: ActionState[],
    toItem: (s: ActionState) => I,
    call: (items: I[]) => Promise<WriteResult<T>[]>,
    onOk: (s: ActionState, value: T) => void,
    isCreate: boolean,
    finishesAction: (s: ActionState) => boolean,
  ): Promise<boolean> => {
    /** Settles one group from its call's results; one cache commit holds its links and completions. */
    const settle = async (group: ActionState[], results: WriteResult<T>[]) => {
      const putLinks: Link[] = [];
      const deleteLinks: string[] = [];
      const completeJournal: string[] = [];
      group.forEach((s, i) => {
        const r = results[i];
        if (r.ok) onOk(s, r.value);
        else {
          const practiceLanded = side === "outlook" && s.action.practice?.op === "update" && s.practiceVersion !== undefined;
          const outlookHeld = practiceLanded ? heldOf(s.action) : undefined;
          if (outlookHeld) {
            // The practice write landed, the Outlook one did not. Link with per-side bases: the
            // practice side as written, Outlook's as it still is, so the next run sends the rest to
            // Outlook and a newer Outlook edit is compared with what Outlook held instead of losing to
            // our write's timestamp (R5). Only the Outlook record is kept as deferred.
            fail({ ...s, action: { ...s.action, defer: s.action.defer.filter((d) => d.side === "outlook") } }, side, r.error);
            s.failed = true;
            // practiceVersion "": the record is read again by id and the pair merged next run, which
            // sends Outlook what it is still owed (where the two bases differ).
            // When an Outlook record was read (and is now deferred), its changeKey is left unseen too, so
            // it is compared again and a stamp or write-back that did not land is planned again (R2, R4).
            // Otherwise the link keeps the changeKey it had: nothing else would bring the record back.
            const readOutlook = s.action.defer.some((d) => d.side === "outlook");
            // agreed: the stamp still holds the hashes it had (its rewrite did not land), so the link says so.
            finish(
              { ...s, outlookBase: outlookHeld, agreed: undefined, practiceVersion: "", outlookChangeKey: readOutlook ? "" : undefined },
              putLinks,
              deleteLinks,
            );
            outcome.applied.pop();
          } else fail(s, side, r.error);
          // A write whose outcome is unknown stays journaled: recovery looks a create up before any
          // retry, and takes whatever of an update landed for the engine's own write (R12), so a newer
          // edit on the other side is not met by our write's timestamp.
          if (AMBIGUOUS.has(r.error.code)) s.journal.pop();
          if (side === "outlook" && s.practiceCreated) {
            // The practice record exists now: link it so it is never created twice; "" makes the next
            // run re-check the Outlook side (and write the stamp) from the deferred record.
            finish({ ...s, outlookChangeKey: "" }, putLinks, deleteLinks);
            outcome.applied.pop();
          }
        }
        if (s.failed || finishesAction(s)) {
          s.settled = true;
          if (!s.failed) finish(s, putLinks, deleteLinks);
          completeJournal.push(...s.journal);
          s.journal = [];
        }
      });
      await deps.cache.commit({ putLinks, deleteLinks, completeJournal });
      done += group.length;
      deps.onProgress?.(done, total);
    };

    // Each group's intents are journaled before its writes are sent and its completions committed after
    // its answers, so a crash leaves journaled intents only for writes that may have been sent, never
    // a completion for one that was not (R13). A store that takes several calls at once (pipelineDepth)
    // gets the next group while earlier ones are in flight: the next group's journal append and the
    // earlier group's commit then overlap the round trips instead of sitting between them. Groups settle
    // in order, so links, progress and the applied list read as if the calls had been sequential; with
    // a depth of one, the next group starts only after the previous one settled.
    const depth = side === "outlook" ? outlookDepth : 1;
    const unsettled: Promise<void>[] = [];
    let previous: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | undefined;
    let stopped = false;
    for (const group of chunks(batch, side === "outlook" ? outlookBatch : APPLY_BATCH)) {
      while (unsettled.length >= depth) await unsettled.shift();
      if (failure) break;
      if (deps.signal?.aborted) {
        stopped = true;
        break;
      }
      const entries: JournalEntry[] = group.map((s) =>
        journalEntry(s.action, side, { runId: deps.runId, ids: deps.ids, clock: deps.clock, practiceId: s.practiceId }),
      );
      try {
        await deps.cache.journalAppend(entries);
      } catch (error) {
        failure ??= { error };
        break;
      }
      group.forEach((s, i) => s.journal.push(entries[i].id));
      const answered = guarded(side, group.length, () => call(group.map(toItem)));
      answered.catch(() => undefined); // read in order below; not an unhandled rejection meanwhile
      const after = previous;
      previous = (async () => {
        await after;
        let results: WriteResult<T>[];
        try {
          results = await answered;
        } catch (error) {
          failure ??= { error };
          return;
        }
        // Writes that landed after an earlier group failed are still recorded: they happened.
        try {
          await settle(group, results);
        } catch (error) {
          failure ??= { error };
        }
      })();
      unsettled.push(previous);
    }
    await previous;
    if (failure) throw failure.error;
    if (stopped) outcome.cancelled = true;
    return !stopped;
  };

  // ---- phase 0: actions that only change the link (R10 exclusion) ---------------------------
  const linkOnly = states.filter((s) => !s.action.practice && !s.action.outlook);
  if (linkOnly.length) {
    const putLinks: Link[] = [];
    const deleteLinks: string[] = [];
    for (const s of linkOnly) finish(s, putLinks, deleteLinks);
    await deps.cache.commit({ putLinks, deleteLinks });
  }

  // ---- phase 1: the practice system ---------------------------------------------------------
  const pStates = states.filter((s) => s.action.practice);
  const finishesAfterPractice = (s: ActionState) => !s.action.outlook;
  const pOk = (s: ActionState, c: PracticeContact | null) => {
    if (c) {
      s.practiceVersion = c.version;
      if (s.action.practice!.op === "create") {
        s.practiceId = c.id;
        s.practiceCreated = true;
        // A replayed key answers with the record as first created, which may differ from what this
        // run asked for: the base must be what the practice system holds, or a stale value would
        // later pass for a practice-side edit.
        s.createdBase = normalizeFields(c.fields);
      }
    }
  };
  const creates = pStates.filter((s) => s.action.practice!.op === "create");
  const updates = pStates.filter((s) => s.action.practice!.op === "update");
  const deletes = pStates.filter((s) => s.action.practice!.op === "delete");
  const createsDone = await runBatches(
      "practice",
      creates,
      (s) => {
        const p = s.action.practice as Extract<PlannedAction["practice"], { op: "create" }>;
        return { key: p.key, kind: p.kind, fields: p.fields, ...(p.outlookRef ? { outlookRef: p.outlookRef } : {}) };
      },
      (items) => deps.practice.createContacts(items, { signal: deps.signal }),
      pOk,
      true,
      finishesAfterPractice,
    );
  if (createsDone) {
    // Practice ids an approved R6 row would create in Outlook: their fields were reviewed for Outlook.
    const reviewed = new Set(
      states
        .filter((s) => s.action.outlook?.op === "create" && s.action.practice?.op !== "create" && s.practiceId)
        .map((s) => s.practiceId!),
    );
    await verifyCreates(deps, creates.filter((s) => s.practiceCreated && !s.failed), reviewed, outcome, fail);
  }
  const go =
    createsDone &&
    (await runBatches(
      "practice",
      updates,
      (s) => {
        const p = s.action.practice as Extract<PlannedAction["practice"], { op: "update" }>;
        return { id: p.id, version: p.version, patch: p.patch };
      },
      (items) => deps.practice.updateContacts(items, { signal: deps.signal }),
      pOk,
      false,
      finishesAfterPractice,
    )) &&
    (await runBatches(
      "practice",
      deletes,
      (s) => {
        const p = s.action.practice as Extract<PlannedAction["practice"], { op: "delete" }>;
        return { id: p.id, version: p.version };
      },
      (items) => deps.practice.deleteContacts(items, { signal: deps.signal }),
      () => undefined,
      false,
      finishesAfterPractice,
    ));
  if (!go) return settleCancelled(deps, states, outcome, finish);

  // ---- phase 2: Outlook ---------------------------------------------------------------------
  // An import (R7) whose idempotency key replayed to a record this plan also wants to create in
  // Outlook (R6) means a crash and a lost cache fell between the import and its stamp: the record
  // already has its Outlook contact, so the create would be a duplicate (R2).
  // verifyCreates has already merged the record's current state into the import's Outlook write.
  const imported = new Map(states.filter((s) => s.practiceCreated && s.practiceId).map((s) => [s.practiceId!, s]));
  const held = states.filter((s) => s.holdOutlook && !s.failed && s.action.outlook?.op === "update");
  if (held.length) {
    const putLinks: Link[] = [];
    const deleteLinks: string[] = [];
    for (const s of held) {
      // Linked so the record is never made twice; "" has the next run compare the contact again.
      finish({ ...s, outlookId: s.action.outlookId, outlookChangeKey: "" }, putLinks, deleteLinks);
      // The contact as read: the change feed will not report it again, and the next plan needs it.
      outcome.deferred.push(...s.action.defer.filter((d) => d.side === "outlook"));
      s.settled = true;
    }
    const completeJournal = held.flatMap((s) => s.journal.splice(0));
    await deps.cache.commit({ putLinks, deleteLinks, completeJournal });
  }
  const oStates = states.filter((s) => {
    if (!s.action.outlook || s.failed || s.holdOutlook) return false;
    const importer = s.practiceId ? imported.get(s.practiceId) : undefined;
    if (s.action.outlook.op === "create" && !s.practiceCreated && importer) {
      outcome.applied.push(s.action.changeId);
      return false;
    }
    return true;
  });
  const oOk = (s: ActionState, c: OutlookContact | null) => {
    if (!c) return;
    s.outlookId = c.id;
    const link = s.action.link;
    // R12 records our own write as seen, but only if the answer is what we wrote: Graph answers with
    // the whole contact, so an edit a user made meanwhile rides along. Then "" leaves the changeKey
    // unseen, and the next delta (which always reports our write) compares the fields again.
    const asWritten =
      link.kind !== "put" || !fieldsDiffer(normalizeFields(c.fields), capFields(s.createdBase ?? link.base));
    s.outlookChangeKey = asWritten ? c.changeKey : "";
  };
  const of = (op: string) => oStates.filter((s) => s.action.outlook!.op === op);
  const finished =
    (await runBatches(
    "outlook",
    of("create"),
    (s) => {
      const o = s.action.outlook as Extract<PlannedAction["outlook"], { op: "create" }>;
      return { stamp: o.stamp, fields: o.fields };
    },
    (items) => deps.outlook.createContacts(items, outlookCall),
    oOk,
    true,
    () => true,
  )) &&
    (await runBatches(
      "outlook",
      of("update"),
      (s) => {
        const o = s.action.outlook as Extract<PlannedAction["outlook"], { op: "update" }>;
        const patch = s.extraOutlookPatch ? { ...o.patch, ...s.extraOutlookPatch } : o.patch;
        const link = s.action.link;
        return {
          id: o.id,
          changeKey: o.changeKey,
          stamp: stampFor(deps, s, o, link),
          ...(link.kind === "put" ? displayNameFor(patch, s.createdBase ?? link.base) : { patch }),
        };
      },
      (items) => deps.outlook.updateContacts(items, outlookCall),
      oOk,
      false,
      () => true,
    )) &&
    (await runBatches(
      "outlook",
      of("delete"),
      (s) => (s.action.outlook as Extract<PlannedAction["outlook"], { op: "delete" }>).id,
      (items) => deps.outlook.deleteContacts(items, outlookCall),
      () => undefined,
      false,
      () => true,
    ));
  if (!finished) return settleCancelled(deps, states, outcome, finish);
  await retireReplaced(deps, states, outcome);
  return outcome;
}

/**
 * Contacts replaced by an applied action (a restored contact kept in their place, R2) go to Deleted
 * Items last, once what replaces them is linked. One that is already gone is fine; another failure is
 * listed, and the contact, let go in the shared decisions, comes back as a conflict next time.
 */
async function retireReplaced(deps: ApplyDeps, states: ActionState[], outcome: ApplyOutcome): Promise<void> {
  const applied = new Set(outcome.applied);
  const retiring = states.filter((s) => s.action.retireOutlook && applied.has(s.action.changeId));
  if (retiring.length === 0) return;
  const results = await guarded("outlook", retiring.length, () =>
    deps.outlook.deleteContacts(retiring.map((s) => s.action.retireOutlook!), { signal: deps.signal }),
  );
  retiring.forEach((s, i) => {
    const r = results[i];
    if (r.ok || r.error.code === "not_found") return;
    outcome.failed.push({
      practiceId: s.practiceId,
      outlookId: s.action.retireOutlook,
      name: deps.names.get(s.action.changeId) ?? s.action.changeId,
      code: r.error.code,
      message: `Outlook: the contact it replaces could not be moved to Deleted Items: ${r.error.message}`,
    });
  });
}

/**
 * A cancelled apply whose practice update landed while its Outlook write never ran is linked like a
 * half-applied change (see the failure path in runBatches): the base keeps what Outlook holds for the
 * Outlook-bound fields and the practice version is left unseen, so the next run sends the rest to
 * Outlook, and an Outlook edit made meanwhile is compared with the agreed value instead of losing to
 * the timestamp of the engine's own practice write (R5). Not a failure: nothing is reported.
 */
async function settleCancelled(
  deps: ApplyDeps,
  states: ActionState[],
  outcome: ApplyOutcome,
  finish: (s: ActionState, putLinks: Link[], deleteLinks: string[]) => void,
): Promise<ApplyOutcome> {
  const putLinks: Link[] = [];
  const deleteLinks: string[] = [];
  const completeJournal: string[] = [];
  for (const s of states) {
    if (s.settled || s.failed || !s.action.outlook || s.action.practice?.op !== "update") continue;
    const outlookHeld = s.practiceVersion !== undefined ? heldOf(s.action) : undefined;
    if (!outlookHeld) continue;
    const readOutlook = s.action.defer.some((d) => d.side === "outlook");
    finish({ ...s, outlookBase: outlookHeld, agreed: undefined, practiceVersion: "", outlookChangeKey: readOutlook ? "" : undefined }, putLinks, deleteLinks);
    outcome.applied.pop();
    completeJournal.push(...s.journal);
    s.journal = [];
    s.settled = true;
  }
  if (putLinks.length || completeJournal.length) await deps.cache.commit({ putLinks, deleteLinks, completeJournal });
  return outcome;
}

/**
 * The stamp an Outlook update writes (R2): when the contact must be (re)stamped, and on every write
 * that puts a link whose create token is known, so the stamp's agreed hashes (agreed.ts) always say
 * what the engine last wrote, for every device. A token never seen is not invented for a plain update.
 */
function stampFor(
  deps: ApplyDeps,
  s: ActionState,
  o: Extract<PlannedAction["outlook"], { op: "update" }>,
  link: PlannedAction["link"],
): string | undefined {
  if (!s.practiceId) return undefined;
  const made = o.made ?? (link.kind === "put" ? link.made : undefined) ?? (o.restamp ? deps.runId : undefined);
  if (!o.restamp && (!made || link.kind !== "put")) return undefined;
  s.made = made;
  const origin = link.kind === "put" ? link.origin : "practice";
  const agreed = link.kind === "put" ? agreedOf(s.createdBase ?? link.base) : undefined;
  s.agreed = agreed;
  return makeStamp(deps.firmId, s.practiceId, { origin, made, agreed });
}

/**
 * Every Outlook update says which displayName the contact keeps: Graph regenerates it when name parts
 * change and it is not resent (graph-contacts.md §1.1), and the adapter would otherwise read the old
 * value first, which is stale when the name parts change. The value is the agreed record's, or the one
 * Outlook generates from it when it has none (the normalized form leaves a generated name out). It
 * rides in `OutlookUpdate.displayName`, beside the patch, so the patch still lists only what the row
 * approved (R14). A patch that clears displayName is left alone: Outlook then generates it.
 */
function displayNameFor(patch: FieldPatch, agreed: ContactFields): { patch: FieldPatch; displayName?: string } {
  if ("displayName" in patch) return { patch };
  const name = agreed.displayName ?? derivedDisplayName(agreed);
  return name === undefined ? { patch } : { patch, displayName: name };
}

/**
 * A practice create answered from its idempotency key (a retry, or a re-import after a crash and a
 * lost cache) returns the record as first created. Its current state is read back so that (a) a
 * record deleted since is created afresh under a new key instead of leaving a dangling stamp, and
 * (b) edits made to it since are merged into this run's Outlook write when an approved R6 row already
 * showed that record for Outlook (one sync converges), or else kept for the next run's review.
 */
async function verifyCreates(
  deps: ApplyDeps,
  created: ActionState[],
  reviewed: ReadonlySet<string>,
  outcome: ApplyOutcome,
  fail: (s: ActionState, side: "practice" | "outlook", error: WriteError) => void,
): Promise<void> {
  if (created.length === 0) return;
  let current: PracticeContact[];
  try {
    current = await deps.practice.getContacts(created.map((s) => s.practiceId!), { signal: deps.signal });
  } catch (e) {
    if (!(e instanceof StoreUnavailableError || e instanceof MalformedResponseError)) throw e;
    // Not read back: a record answered from its key may have been edited since its first create, and
    // the change feed will not report that edit again (it came before this run's cursor). The base is
    // what this run asked for (what Outlook holds) and the version unseen: the next plan reads the
    // record by id (session.ts) and compares.
    for (const s of created) {
      s.createdBase = normalizeFields((s.action.practice as Extract<PlannedAction["practice"], { op: "create" }>).fields);
      s.practiceVersion = "";
    }
    return;
  }
  const byId = new Map(current.map((c) => [c.id, c]));
  const gone = created.filter((s) => !byId.has(s.practiceId!));
  const updates: { s: ActionState; cur: PracticeContact; patch: FieldPatch; base: ContactFields }[] = [];
  for (const s of created) {
    const cur = byId.get(s.practiceId!);
    if (!cur) continue;
    const snapshot = s.createdBase!;
    const requested = normalizeFields((s.action.practice as Extract<PlannedAction["practice"], { op: "create" }>).fields);
    const practiceMoved = cur.version !== s.practiceVersion;
    const answeredOld = fieldsDiffer(requested, snapshot);
    if (!practiceMoved && !answeredOld) continue; // a fresh create: the common case
    // Three-way from the record as first created: what this run asked for (the Outlook contact as
    // planned) and what the record holds now. An unknown time gives contested fields to the practice
    // side (R5's tie rule).
    const r = mergeRecords({
      base: snapshot,
      practice: practiceMoved ? { fields: normalizeFields(cur.fields), modified: cur.updatedAt } : null,
      outlook: answeredOld ? { fields: capFields(requested), modified: "" } : null,
      wholeRecord: false,
    });
    const toOutlook = Object.keys(r.outlookPatch).length > 0;
    // Outlook-bound fields are written now only when an approved R6 row showed this record for
    // Outlook (R14); otherwise the base stays the record as first created, the last state both sides
    // agreed: the next run sees each side's edits since as edits and plans a row, R5 deciding with real
    // times (this merge knows no Outlook time, and what Outlook holds is no agreement).
    const writeOutlookNow = toOutlook && reviewed.has(cur.id);
    if (writeOutlookNow) s.extraOutlookPatch = r.outlookPatch;
    const base = toOutlook && !writeOutlookNow ? snapshot : r.merged;
    s.practiceVersion = cur.version;
    s.createdBase = base;
    if (toOutlook && !writeOutlookNow) {
      s.practiceVersion = "";
      // Nor is the stamp written now: any write moves the contact's lastModifiedDateTime, and the next
      // run's R5 would then take that time for the Outlook edit's. Unstamped, the contact keeps its
      // real time, and the record's outlookRef still names it for every device (R2).
      s.holdOutlook = true;
      outcome.deferred.push({ side: "practice", id: cur.id, record: cur });
    }
    // Practice-bound fields are the imported values the approved R7 row listed: written now, unless the
    // pair waits for the next run's row (held above): a write now would give the record this run's time,
    // which R5 would then take for the time of the practice edit it contests there.
    if (Object.keys(r.practicePatch).length > 0 && !s.holdOutlook) updates.push({ s, cur, patch: r.practicePatch, base });
  }
  if (updates.length) {
    const entries = updates.map(({ s }) =>
      journalEntry({ ...s.action, practice: { op: "update", id: s.practiceId!, version: "", patch: {} } }, "practice", {
        runId: deps.runId,
        ids: deps.ids,
        clock: deps.clock,
      }),
    );
    await deps.cache.journalAppend(entries);
    const results = await guarded("practice", updates.length, () =>
      deps.practice.updateContacts(
        updates.map(({ cur, patch }) => ({ id: cur.id, version: cur.version, patch })),
        { signal: deps.signal },
      ),
    );
    updates.forEach(({ s, cur }, i) => {
      const r = results[i];
      if (r.ok) {
        if (s.practiceVersion !== "") s.practiceVersion = r.value.version;
      } else {
        // The link still comes (the record exists); the deferred record makes the next run retry.
        s.practiceVersion = "";
        outcome.deferred.push({ side: "practice", id: cur.id, record: cur });
      }
    });
    await deps.cache.commit({ completeJournal: entries.map((e) => e.id) });
  }
  if (gone.length === 0) return;
  // Deleted since it was first created: create it again under a fresh key.
  const items = gone.map((s) => {
    const p = s.action.practice as Extract<PlannedAction["practice"], { op: "create" }>;
    return { key: `${p.key}:${deps.runId}`, kind: p.kind, fields: p.fields, ...(p.outlookRef ? { outlookRef: p.outlookRef } : {}) };
  });
  const results = await guarded("practice", items.length, () => deps.practice.createContacts(items, { signal: deps.signal }));
  const completeJournal: string[] = [];
  gone.forEach((s, i) => {
    const r = results[i];
    if (r.ok) {
      s.practiceId = r.value.id;
      s.practiceVersion = r.value.version;
      s.createdBase = normalizeFields(r.value.fields);
    } else {
      fail(s, "practice", r.error);
      completeJournal.push(...s.journal); // replaying the old key would only find the deleted record
      s.journal = [];
    }
  });
  if (completeJournal.length) await deps.cache.commit({ completeJournal });
}

/** Outlook's side of the base for an action whose practice write may land alone (LinkOutcome.outlookHeld). */
function heldOf(a: PlannedAction): ContactFields | undefined {
  return a.link.kind === "put" ? a.link.outlookHeld : undefined;
}
