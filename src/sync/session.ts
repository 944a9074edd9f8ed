// SyncSession: the engine's facade. plan() reads both sides and decides (writing nothing but crash
// recovery); apply() commits an approved subset. The pane and the CLI drive a sync through this only.
import type { ConflictChoice, PlannedAction } from "./actions";
import { applyActions } from "./apply";
import type { FilterDefinition } from "./filters";
import { recoverJournal } from "./journal";
import type { ContactKind, Link, OutlookContact, PracticeContact } from "./model";
import { makeStamp, parseStamp } from "./model";
import { decisionsByRecord, hasDecisionChanges, mergeDecisions, successorOf } from "./decisions";
import { perSideBases } from "./merge";
import { normalizeFields, valueKey } from "./normalize";
import {
  CursorExpiredError,
  type CacheCommit,
  type Clock,
  type DeferredChange,
  type FolderDecision,
  type FolderDecisionsChange,
  type IdSource,
  type OutlookChanges,
  type OutlookStore,
  type PracticeStore,
  type RunRecord,
  type RunStatus,
  type SyncCache,
  type SyncCursors,
} from "./ports";
import type { ApplyRequest, PlannedChange, SafetyStop, SyncPlan, SyncProgress, SyncResult } from "./plan-types";
import { reconcile, type OutlookSide, type PracticeSide, type ReconcileOutput } from "./reconcile";

export interface SyncSettings {
  /** R1: null = all contacts. */
  filterId: string | null;
  /** R7: what an Outlook-born contact becomes in the practice system. */
  importKind: ContactKind;
  /** R5 option: the most recent record wins every field. */
  wholeRecord: boolean;
  /** R10 option: an Outlook deletion deletes a standalone practice contact too (never a client). */
  deleteStandaloneOnOutlookDelete: boolean;
}

export interface SyncSessionDeps {
  practice: PracticeStore;
  outlook: OutlookStore;
  cache: SyncCache;
  clock: Clock;
  ids: IdSource;
  settings: SyncSettings;
  /**
   * The folder being synced. With it, imports name their Outlook contact in the practice record and
   * the user's decisions (R10 exclusions, contacts let go) are kept in the practice system, where every
   * device of the user sees them (R2). Without it (tests of one device) they live in this cache only.
   */
  folder?: { mailbox: string; folderKey: string };
}

/** R15: the plan needs explicit confirmation (ApplyRequest.force) before anything is written. */
export class SafetyStopError extends Error {
  readonly stop: SafetyStop;
  constructor(stop: SafetyStop) {
    super(`Sync stopped for confirmation: ${stop.reason}`);
    this.name = "SafetyStopError";
    this.stop = stop;
  }
}

/** The user's filter was deleted: nothing is synced (or removed) until setup picks another. */
export class FilterMissingError extends Error {
  readonly filterId: string;
  constructor(filterId: string) {
    super(`The contact filter "${filterId}" no longer exists. Choose another filter (or all contacts) in setup.`);
    this.name = "FilterMissingError";
    this.filterId = filterId;
  }
}

/** apply() was given a plan this session did not make, or one superseded by a newer plan. */
export class StalePlanError extends Error {
  constructor() {
    super("This plan is out of date (a newer sync was planned, or it was already applied). Sync again.");
    this.name = "StalePlanError";
  }
}

/** The filter key recorded with the cursors: a changed definition forces a full practice listing. */
export function filterKeyOf(filter: FilterDefinition | null): string {
  return filter ? valueKey({ match: filter.match, criteria: filter.criteria }) : "all";
}

interface PendingPlan {
  plan: SyncPlan;
  decided: ReconcileOutput;
  cursors: SyncCursors;
  links: Map<string, Link>;
  startedAt: string;
}

export class SyncSession {
  private readonly deps: SyncSessionDeps;
  private readonly listeners = new Set<(p: SyncProgress) => void>();
  private pending: PendingPlan | null = null;

  constructor(deps: SyncSessionDeps) {
    this.deps = deps;
  }

  onProgress(listener: (p: SyncProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(p: SyncProgress): void {
    for (const l of this.listeners) l(p);
  }

  async plan(opts: { signal?: AbortSignal } = {}): Promise<SyncPlan> {
    const { practice, outlook, cache, clock, ids, settings } = this.deps;
    const signal = opts.signal;
    const runId = ids.next();
    const startedAt = clock.now();
    this.pending = null;
    try {
      this.emit({ phase: "reading-practice", done: 0 });
      let cursors = await cache.getCursors();
      const firmId = cursors.firmId ?? (await practice.firmId({ signal }));
      const recovery = await recoverJournal({ practice, outlook, cache, clock, firmId, signal });
      // Recovery may have added decisions for the cursors to carry (journal.ts): read them again.
      if (recovery.resolved > 0) cursors = await cache.getCursors();
      if (recovery.needsFullOutlookRead) cursors = { ...cursors, outlookDeltaToken: undefined };
      const [storedLinks, deferred] = await Promise.all([cache.loadLinks(), cache.getDeferred()]);
      // Bases written before generated display names were left out of the normalized form may still
      // hold one: normalizing again makes them compare like today's (idempotent otherwise). Links written
      // before per-side bases are read as such.
      const linkList = storedLinks.map((l) => perSideBases({ ...l, base: normalizeFields(l.base) }));
      const links = new Map(linkList.map((l) => [l.practiceId, l]));

      let filter: FilterDefinition | null = null;
      if (settings.filterId !== null) {
        filter = await practice.getFilter(settings.filterId, { signal });
        if (!filter) throw new FilterMissingError(settings.filterId);
      }
      const filterKey = filterKeyOf(filter);

      const practiceRead = await this.readPractice(cursors, filterKey, links, signal);
      this.emit({ phase: "reading-outlook", done: 0 });
      const outlookRead = await this.readOutlook(cursors.outlookDeltaToken ?? null, signal);
      const outlookSide: OutlookSide = {
        full: outlookRead.full,
        contacts: outlookRead.upserts,
        removed: outlookRead.removed,
      };
      const practiceSide = await this.fetchMissingPractice(practiceRead.side, outlookSide, deferred, links, firmId, signal);
      // Outlook ids the cache links, for the two look-ups below (built once per plan).
      const linkedO = new Set(linkList.map((l) => l.outlookId));
      await this.fetchOtherHolders(outlookSide, deferred, links, linkedO, firmId, signal);
      const decisions = await this.readDecisions(practiceSide, outlookSide, deferred, links, linkedO, firmId, cursors, signal);
      if (decisions?.length) await this.fetchSuccessors(practiceSide, outlookSide, deferred, decisionsByRecord(decisions), linkedO, firmId, signal);
      // Decisions not yet taken by the practice system stay with the cursors until they are.
      const { pendingDecisions } = decisions ? await cache.getCursors() : cursors;

      this.emit({ phase: "planning", done: 0 });
      const decided = reconcile({
        runId,
        firmId,
        practice: practiceSide,
        outlook: outlookSide,
        links: linkList,
        deferred,
        filter,
        settings,
        now: startedAt,
        mailbox: this.deps.folder?.mailbox,
        decisions,
      });
      const plan: SyncPlan = {
        runId,
        createdAt: startedAt,
        changes: decided.changes,
        safety: decided.safety,
        counts: decided.counts,
        errors: decided.errors,
      };
      this.pending = {
        plan,
        decided,
        links,
        startedAt,
        cursors: { practiceCursor: practiceRead.cursor, outlookDeltaToken: outlookRead.deltaToken, filterKey, firmId, pendingDecisions },
      };
      if (plan.changes.length === 0 && !plan.safety) {
        // Nothing to review: settle the cursors and links now, so a caller that skips apply() for an
        // empty plan does not re-read the same changes forever. apply() of this plan repeats it harmlessly.
        const cursorsNow = await this.saveDecisions(decided.decisions, this.pending.cursors, signal);
        await cache.commit({
          putLinks: decided.linkWrites,
          deleteLinks: decided.linkDeletes,
          cursors: cursorsNow,
          deferred: decided.retry,
        });
        // R19: a run whose only outcome is per-contact errors still leaves them in the history, even
        // when the caller never applies an empty plan. apply() of this plan records the same run id again.
        if (plan.errors.length > 0) {
          await this.record({
            id: runId,
            startedAt,
            finishedAt: clock.now(),
            status: "failed",
            counts: { failed: plan.errors.length },
            errors: plan.errors,
          });
        }
      }
      this.emit({ phase: "planning", done: plan.changes.length, total: plan.changes.length });
      return plan;
    } catch (e) {
      await this.record({
        id: runId,
        startedAt,
        finishedAt: clock.now(),
        status: isAbort(e) ? "cancelled" : "failed",
        counts: {},
        errors: [],
        message: e instanceof Error ? e.message : String(e),
      });
      throw e;
    }
  }

  /** Changes since the cursor; a full listing when there is none, the filter changed, or it expired. */
  private async readPractice(
    cursors: SyncCursors,
    filterKey: string,
    links: Map<string, Link>,
    signal?: AbortSignal,
  ): Promise<{ side: PracticeSide; cursor: string }> {
    const { practice, settings } = this.deps;
    const onProgress = (done: number, total?: number) => this.emit({ phase: "reading-practice", done, total });
    if (cursors.practiceCursor && cursors.filterKey === filterKey) {
      try {
        const ch = await practice.changesSince(cursors.practiceCursor, { signal, onProgress });
        return { side: { full: false, contacts: ch.upserts, deleted: ch.deleted }, cursor: ch.cursor };
      } catch (e) {
        if (!(e instanceof CursorExpiredError)) throw e;
      }
    }
    const snap = await practice.listContacts(settings.filterId, { signal, onProgress });
    // Linked contacts missing from the in-scope listing: out of scope (R9) or deleted? Ask by id.
    const listed = new Set(snap.contacts.map((c) => c.id));
    const missing = [...links.keys()].filter((id) => !listed.has(id));
    const outside = missing.length ? await practice.getContacts(missing, { signal }) : [];
    const found = new Set(outside.map((c) => c.id));
    return {
      side: {
        full: true,
        contacts: [...snap.contacts, ...outside],
        deleted: missing.filter((id) => !found.has(id)),
      },
      cursor: snap.cursor,
    };
  }

  /**
   * The user's shared decisions (R2, R10), read only when this run could act on them: a full read
   * (a new or lost cache), a practice record with no link (R6 would create it), a stamped contact
   * with no link (re-link or restore), or a linked contact gone from the folder. A no-op sync reads nothing more. Decisions a previous run could
   * not save are sent first, so this read already holds them.
   */
  private async readDecisions(
    practice: PracticeSide,
    outlook: OutlookSide,
    deferred: DeferredChange[],
    links: Map<string, Link>,
    linkedO: ReadonlySet<string>,
    firmId: string,
    cursors: SyncCursors,
    signal?: AbortSignal,
  ): Promise<FolderDecision[] | undefined> {
    const folder = this.deps.folder;
    if (!folder) return undefined;
    // Records kept from earlier runs are planned again too (a create that waited, R14).
    const kept = (side: "practice" | "outlook") => deferred.flatMap((d) => (d.side === side && d.record ? [d.record] : []));
    const needed =
      practice.full ||
      outlook.full ||
      [...practice.contacts, ...kept("practice")].some((c) => !links.has(c.id)) ||
      [...outlook.contacts, ...(kept("outlook") as OutlookContact[])].some(
        (o) => !linkedO.has(o.id) && o.stamp !== undefined && parseStamp(o.stamp)?.firmId === firmId,
      ) ||
      // A linked contact gone: the user's deletion (R10), or one a sync on another device removed (R9)?
      [...outlook.removed, ...deferred.flatMap((d) => (d.side === "outlook" && d.deleted ? [d.id] : []))].some((id) => linkedO.has(id));
    if (!needed) return undefined;
    if (hasDecisionChanges(cursors.pendingDecisions)) {
      const list = await this.deps.practice.changeDecisions(folder.folderKey, cursors.pendingDecisions!, { signal });
      await this.deps.cache.commit({ cursors: { ...cursors, pendingDecisions: undefined } });
      return list;
    }
    return this.deps.practice.getDecisions(folder.folderKey, { signal });
  }

  /**
   * Sends a run's changes to the shared decisions. If the practice system cannot take them now they
   * ride in the cursors and are sent before the next read of the decisions: the local links already
   * hold the decision, so this device acts on it meanwhile.
   */
  private async saveDecisions(change: FolderDecisionsChange, cursors: SyncCursors, signal?: AbortSignal): Promise<SyncCursors> {
    const folder = this.deps.folder;
    const all = mergeDecisions(mergeDecisions({}, cursors.pendingDecisions), change);
    if (!folder || !hasDecisionChanges(all)) return cursors;
    try {
      await this.deps.practice.changeDecisions(folder.folderKey, all, { signal });
      return { ...cursors, pendingDecisions: undefined };
    } catch (e) {
      if (isAbort(e)) throw e;
      return { ...cursors, pendingDecisions: all };
    }
  }

  /**
   * R2: an unlinked stamped contact whose record is linked to another contact the read did not bring
   * (an incremental read): that contact is fetched by its stamp, so the two can be told apart by what
   * their stamps record. If it is no longer in the folder, it is reported removed.
   */
  private async fetchOtherHolders(
    outlook: OutlookSide,
    deferred: DeferredChange[],
    links: Map<string, Link>,
    linkedO: ReadonlySet<string>,
    firmId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    if (outlook.full) return;
    const read = new Set(outlook.contacts.map((o) => o.id));
    const removed = new Set(outlook.removed);
    const wanted = new Map<string, Link>();
    // Records kept from earlier runs (a deselected conflict) take part too: reconcile sees them again.
    const kept = deferred.flatMap((d) => (d.side === "outlook" && d.record ? [d.record as OutlookContact] : []));
    for (const o of [...outlook.contacts, ...kept]) {
      const s = o.stamp ? parseStamp(o.stamp) : null;
      if (!s || s.firmId !== firmId || linkedO.has(o.id)) continue;
      const link = links.get(s.practiceId);
      if (link && link.outlookId !== o.id && !read.has(link.outlookId) && !removed.has(link.outlookId)) wanted.set(link.practiceId, link);
    }
    if (wanted.size === 0) return;
    const found = await this.deps.outlook.findByStamps(
      [...wanted.values()].map((l) => makeStamp(firmId, l.practiceId)),
      { signal },
    );
    const foundIds = new Set(found.map((o) => o.id));
    const contacts = [...outlook.contacts];
    for (const o of found) if (!read.has(o.id)) contacts.push(o);
    const gone = [...wanted.values()].filter((l) => !foundIds.has(l.outlookId)).map((l) => l.outlookId);
    (outlook as { contacts: readonly OutlookContact[] }).contacts = contacts;
    (outlook as { removed: readonly string[] }).removed = [...outlook.removed, ...gone];
  }

  /**
   * R2: an unlinked contact whose record was deleted after another of its contacts was kept as a record
   * of its own (FolderDecision.replacedBy) is that record's (reconcile.ts findSuccessors): the record, and the
   * contacts holding it, are read when this read did not bring them, so the two can be told apart. Only
   * on a run that meets such a contact.
   */
  private async fetchSuccessors(
    practice: PracticeSide,
    outlook: OutlookSide,
    deferred: DeferredChange[],
    byP: ReadonlyMap<string, readonly FolderDecision[]>,
    linkedO: ReadonlySet<string>,
    firmId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const deleted = new Set(practice.deleted);
    const have = new Set(practice.contacts.map((c) => c.id));
    const gone = (id: string) => deleted.has(id) || (practice.full && !have.has(id));
    const kept = outlook.full ? [] : deferred.flatMap((d) => (d.side === "outlook" && d.record ? [d.record as OutlookContact] : []));
    const successors = new Set<string>();
    for (const o of [...outlook.contacts, ...kept]) {
      const s = o.stamp ? parseStamp(o.stamp) : null;
      if (!s || s.firmId !== firmId || linkedO.has(o.id) || !gone(s.practiceId)) continue;
      const q = successorOf(s.practiceId, byP);
      if (q !== undefined) successors.add(q);
    }
    if (successors.size === 0) return;
    const wanted = [...successors].filter((q) => !have.has(q) && !deleted.has(q));
    const [records, holders] = await Promise.all([
      wanted.length ? this.deps.practice.getContacts(wanted, { signal }) : Promise.resolve([]),
      outlook.full ? Promise.resolve([]) : this.deps.outlook.findByStamps([...successors].map((q) => makeStamp(firmId, q)), { signal }),
    ]);
    const read = new Set(outlook.contacts.map((o) => o.id));
    const removed = new Set(outlook.removed);
    const found = new Set(records.map((c) => c.id));
    (practice as { contacts: readonly PracticeContact[] }).contacts = [...practice.contacts, ...records];
    (practice as { deleted: readonly string[] }).deleted = [...practice.deleted, ...wanted.filter((q) => !found.has(q))];
    (outlook as { contacts: readonly OutlookContact[] }).contacts = [
      ...outlook.contacts,
      ...holders.filter((o) => !read.has(o.id) && !removed.has(o.id)),
    ];
  }

  private async readOutlook(token: string | null, signal?: AbortSignal): Promise<OutlookChanges> {
    let read = 0;
    const onProgress = (done: number, total?: number) => {
      read = done;
      this.emit({ phase: "reading-outlook", done, total });
    };
    const onWaiting = (resumeAt: string) => this.emit({ phase: "waiting", done: read, waiting: { for: "outlook-limit", resumeAt } });
    try {
      return await this.deps.outlook.readChanges(token, { signal, onProgress, onWaiting });
    } catch (e) {
      // R2/R8: a full read after an expired delta token is safe: stamps re-link, nothing is copied.
      if (token !== null && e instanceof CursorExpiredError) return this.deps.outlook.readChanges(null, { signal, onProgress, onWaiting });
      throw e;
    }
  }

  /**
   * Practice records reconcile needs but the read did not bring: the targets of stamped,
   * unlinked Outlook contacts (R8), and, with the R10 option on, contacts deleted in Outlook (their
   * kind decides whether they may be deleted). A full listing only holds the filter's contacts, so a
   * stamped contact outside it is fetched too (R8: re-linked, never copied). Nothing is fetched on a
   * no-op sync.
   */
  private async fetchMissingPractice(
    side: PracticeSide,
    outlook: OutlookSide,
    deferred: DeferredChange[],
    links: Map<string, Link>,
    firmId: string,
    signal?: AbortSignal,
  ): Promise<PracticeSide> {
    const have = new Set([...side.contacts.map((c) => c.id), ...side.deleted]);
    const want = new Set<string>();
    // Deferred Outlook records count too (a deselected re-link comes back from there), unless a full
    // Outlook read superseded them.
    const deferredOutlook = outlook.full
      ? []
      : deferred.flatMap((d) => (d.side === "outlook" && d.record ? [d.record as OutlookContact] : []));
    for (const o of [...outlook.contacts, ...deferredOutlook]) {
      const s = o.stamp ? parseStamp(o.stamp) : null;
      if (!s || s.firmId !== firmId || have.has(s.practiceId)) continue;
      const link = links.get(s.practiceId);
      // An excluded contact that came back is re-linked (R10) against its record, which must be read.
      if (!link || link.outlookId !== o.id || link.state === "excluded") want.add(s.practiceId);
    }
    // A linked record whose version the cache has not seen (a create answered from its key and not read
    // back, by an apply or a journal recovery): edits made to it before this run's cursor would never be
    // reported again, so it is read by id until a run records its version.
    const linked = new Set<string>();
    for (const l of links.values()) if (l.state === "linked" && l.practiceVersion === "" && !have.has(l.practiceId)) linked.add(l.practiceId);
    // A linked contact gone from the folder (reported removed, or absent from a full read): its record
    // decides what follows: R10 for a standalone with the delete option, and, when a sync removed the
    // contact (R9, another device or a run that crashed), whether the record is created again (R6).
    const removed = new Set(outlook.removed);
    const present = outlook.full ? new Set(outlook.contacts.map((o) => o.id)) : null;
    for (const l of links.values()) {
      const gone = removed.has(l.outlookId) || (present !== null && !present.has(l.outlookId));
      if (gone && l.state === "linked" && !have.has(l.practiceId)) linked.add(l.practiceId);
    }
    if (want.size === 0 && linked.size === 0) return side;
    const got: PracticeContact[] = await this.deps.practice.getContacts([...new Set([...want, ...linked])], { signal });
    // A record read by id that no longer exists was deleted (e.g. a create answered from its key after an
    // administrator deleted the record, not read back then; or a stamp naming a record deleted before
    // this run's cursor): the change feed will not say so again.
    const found = new Set(got.map((c) => c.id));
    const deleted = [...new Set([...want, ...linked])].filter((id) => !found.has(id));
    return { ...side, contacts: [...side.contacts, ...got], deleted: [...side.deleted, ...deleted] };
  }

  async apply(plan: SyncPlan, req: ApplyRequest): Promise<SyncResult> {
    const pending = this.pending;
    if (!pending || pending.plan.runId !== plan.runId) throw new StalePlanError();
    const { cache, clock } = this.deps;
    if (plan.safety && !req.force) {
      await this.record({
        id: plan.runId,
        startedAt: pending.startedAt,
        finishedAt: clock.now(),
        status: "stopped",
        counts: {},
        errors: [],
        message: plan.safety.reason,
      });
      throw new SafetyStopError(plan.safety);
    }
    this.pending = null;
    const { decided } = pending;
    // R14: what changed on either side since the plan was made is never written over unseen.
    const selected = plan.changes.filter((c) => req.selected.has(c.id));
    // An R6 create also checks the shared decisions: another device may have excluded it since.
    const creates = selected.some((c) => decided.actions.get(c.id)?.outlook?.op === "create");
    const moved = selected.length ? await this.changedSincePlan(pending, creates, req.signal) : null;
    const changedSincePlan: string[] = [];
    const chosen: PlannedAction[] = [];
    const deferred: DeferredChange[] = [];
    const names = new Map<string, string>();
    for (const change of plan.changes) {
      names.set(change.id, change.name);
      const action = decided.actions.get(change.id);
      const choice: ConflictChoice | undefined = decided.conflicts.get(change.id);
      const picked = action ?? (choice ? choice[req.resolutions?.[change.id] ?? "keep"] : undefined);
      if (!picked) continue;
      if (req.selected.has(change.id) && moved && touches(change, picked, moved)) {
        changedSincePlan.push(change.id);
        deferred.push(...picked.defer);
      } else if (req.selected.has(change.id)) chosen.push(picked);
      else deferred.push(...picked.defer); // R14: not applied, comes back next time
    }

    this.emit({ phase: "applying", done: 0, total: chosen.length });
    let applyDone = 0;
    let applyTotal = chosen.length;
    // The run's link counts follow the links read at plan time through every commit of this apply,
    // instead of loading all links again (a no-op sync over thousands of links stays cheap).
    const tally = new LinkTally(pending.links);
    const tracked = observeCommits(cache, (c) => tally.apply(c));
    let outcome;
    try {
      outcome = await applyActions(
        {
          practice: this.deps.practice,
          outlook: this.deps.outlook,
          cache: tracked,
          clock,
          ids: this.deps.ids,
          firmId: pending.cursors.firmId!,
          runId: plan.runId,
          links: pending.links,
          names,
          signal: req.signal,
          onProgress: (done, total) => {
            applyDone = done;
            applyTotal = total;
            this.emit({ phase: "applying", done, total });
          },
          // Outlook's request budget is spent: the sync waits by itself and says until when.
          onWaiting: (resumeAt) =>
            this.emit({ phase: "waiting", done: applyDone, total: applyTotal, waiting: { for: "outlook-limit", resumeAt } }),
        },
        chosen,
      );
    } catch (e) {
      if (!isAbort(e)) throw e;
      outcome = { applied: [], failed: [], deferred: [], cancelled: true };
    }

    // The shared decisions follow the actions that were applied (and those no row carries).
    const applied = new Set(outcome.applied);
    const decisionChange = mergeDecisions({}, outcome.cancelled ? undefined : decided.decisions);
    for (const a of chosen) if (applied.has(a.changeId)) mergeDecisions(decisionChange, a.decisions);
    mergeDecisions(decisionChange, outcome.decisions);
    if (!outcome.cancelled) {
      // R13: the cursors move only now that everything they returned is applied or kept as deferred.
      await tracked.commit({
        putLinks: decided.linkWrites,
        deleteLinks: decided.linkDeletes,
        cursors: await this.saveDecisions(decisionChange, pending.cursors),
        deferred: [...deferred, ...outcome.deferred, ...decided.retry],
      });
    } else if (hasDecisionChanges(decisionChange)) {
      const cursors = await cache.getCursors();
      await cache.commit({ cursors: await this.saveDecisions(decisionChange, cursors) });
    }
    const counts = countApplied(plan, new Set(outcome.applied));
    counts.linked = tally.linked();
    counts.excluded = tally.size() - counts.linked;
    counts.failed = outcome.failed.length;
    counts.deferred = deferred.length;
    if (changedSincePlan.length) counts.changedSincePlan = changedSincePlan.length;
    const status: RunStatus = outcome.cancelled
      ? "cancelled"
      : outcome.failed.length === 0
        ? "ok"
        : outcome.applied.length > 0
          ? "partial"
          : "failed";
    const run: RunRecord = {
      id: plan.runId,
      startedAt: pending.startedAt,
      finishedAt: clock.now(),
      status,
      counts,
      errors: [...plan.errors, ...outcome.failed],
      message: outcome.cancelled
        ? "Cancelled; the rest is picked up by the next sync."
        : changedSincePlan.length
          ? `${changedSincePlan.length} change(s) not applied: the contact changed after the list was made; sync again to review them.`
          : undefined,
    };
    await this.record(run);
    this.emit({ phase: "done", done: outcome.applied.length, total: chosen.length });
    return {
      run,
      applied: outcome.applied.length,
      deferred: deferred.length + outcome.deferred.length,
      failed: outcome.failed,
      changedSincePlan,
    };
  }

  /**
   * R14, and two devices on one folder: re-reads both sides from the plan's own cursors (one request
   * each when nothing changed) and returns what moved since. A change there may be a user's edit the
   * plan never saw, or another device's apply (its creates appear as stamped contacts), so the rows
   * touching it are not applied. A cursor that cannot be re-read marks everything as moved: nothing
   * is applied on a guess.
   */
  private async changedSincePlan(pending: PendingPlan, creates: boolean, signal?: AbortSignal): Promise<Moved> {
    const { practice, outlook, folder } = this.deps;
    const everything: Moved = { all: true, practice: new Set(), outlook: new Set(), stamped: new Set() };
    const { practiceCursor, outlookDeltaToken, firmId } = pending.cursors;
    if (!practiceCursor || !outlookDeltaToken) return everything;
    try {
      const filterId = this.deps.settings.filterId;
      const [p, o, decisions, filter] = await Promise.all([
        practice.changesSince(practiceCursor, { signal }),
        outlook.readChanges(outlookDeltaToken, { signal }),
        creates && folder ? practice.getDecisions(folder.folderKey, { signal }) : Promise.resolve([]),
        filterId !== null ? practice.getFilter(filterId, { signal }) : Promise.resolve(null),
      ]);
      // A filter edited since the plan changes what is in scope for every row (R1): plan again.
      if (filterId !== null && (!filter || filterKeyOf(filter) !== pending.cursors.filterKey)) return everything;
      const moved: Moved = { all: false, practice: new Set([...p.upserts.map((c) => c.id), ...p.deleted]), outlook: new Set(o.removed), stamped: new Set() };
      for (const d of decisions) if (d.kind === "excluded") moved.practice.add(d.practiceId);
      for (const c of o.upserts) {
        moved.outlook.add(c.id);
        const s = c.stamp ? parseStamp(c.stamp) : null;
        if (s && s.firmId === firmId) moved.stamped.add(s.practiceId);
      }
      return moved;
    } catch (e) {
      if (e instanceof CursorExpiredError) return everything;
      throw e;
    }
  }

  /** R10: re-include an excluded contact; the next sync creates it in Outlook again if it is in scope. */
  async includeAgain(practiceId: string): Promise<void> {
    const { cache, practice } = this.deps;
    const link = (await cache.loadLinks()).find((l) => l.practiceId === practiceId);
    if (!link || link.state !== "excluded") throw new Error(`Contact ${practiceId} is not excluded from the sync.`);
    const [record] = await practice.getContacts([practiceId]);
    const deferred = (await cache.getDeferred()).filter((d) => !(d.side === "practice" && d.id === practiceId));
    if (record) deferred.push({ side: "practice", id: practiceId, record });
    // Every device of the user forgets the exclusion; the contact deleted then is let go for good, so
    // if it is restored from Deleted Items later it is told apart from the one created again (R2).
    const change: FolderDecisionsChange = {
      remove: [{ practiceId, kind: "excluded" }],
      ...(link.outlookId ? { put: [{ practiceId, kind: "retired" as const, outlookId: link.outlookId, at: this.deps.clock.now() }] } : {}),
    };
    const cursors = await this.saveDecisions(change, await cache.getCursors());
    await cache.commit({ deleteLinks: [practiceId], deferred, cursors });
    this.pending = null; // a plan made before this no longer matches the links
  }

  async excluded(): Promise<Link[]> {
    return (await this.deps.cache.loadLinks()).filter((l) => l.state === "excluded");
  }

  async history(limit = 20): Promise<RunRecord[]> {
    return this.deps.cache.listRuns(limit);
  }

  /**
   * Ends the session: a plan not yet applied can no longer be applied, and progress listeners are
   * dropped. The stores and the cache were handed in by the caller and stay open: the session does
   * not own them (the caller closes its cache or HTTP clients itself). Safe to call twice.
   */
  async close(): Promise<void> {
    this.pending = null;
    this.listeners.clear();
  }

  private async record(run: RunRecord): Promise<void> {
    try {
      await this.deps.cache.addRun(run);
    } catch {
      // History is best effort: failing to record a run must not hide the run's own outcome.
    }
  }
}

/** Link states as of plan time, updated with each cache commit as the cache itself applies it. */
class LinkTally {
  private readonly states: Map<string, Link["state"]>;
  constructor(links: ReadonlyMap<string, Link>) {
    this.states = new Map([...links].map(([id, l]) => [id, l.state]));
  }
  apply(c: CacheCommit): void {
    for (const id of c.deleteLinks ?? []) this.states.delete(id);
    for (const l of c.putLinks ?? []) this.states.set(l.practiceId, l.state);
  }
  size(): number {
    return this.states.size;
  }
  linked(): number {
    let n = 0;
    for (const s of this.states.values()) if (s === "linked") n++;
    return n;
  }
}

/** The cache, with every successful commit also reported to `onCommit`. */
function observeCommits(cache: SyncCache, onCommit: (c: CacheCommit) => void): SyncCache {
  return new Proxy(cache, {
    get(target, prop) {
      if (prop === "commit") {
        return async (c: CacheCommit) => {
          await target.commit(c);
          onCommit(c);
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** What changed on each side after a plan was made (see SyncSession.changedSincePlan). */
interface Moved {
  all: boolean;
  practice: Set<string>;
  outlook: Set<string>;
  /** Practice ids named by the stamps of Outlook contacts that changed or appeared. */
  stamped: Set<string>;
}

/** Whether a row's contact, on either side, is among what moved (a create's too: R6 checks the stamp). */
function touches(change: PlannedChange, action: PlannedAction, moved: Moved): boolean {
  if (moved.all) return true;
  const pids = [change.practiceId, action.practiceId];
  const oids = [change.outlookId, action.outlookId];
  if (action.outlook?.op === "update" || action.outlook?.op === "delete") oids.push(action.outlook.id);
  if (action.practice && action.practice.op !== "create") pids.push(action.practice.id);
  return (
    pids.some((id) => id !== undefined && (moved.practice.has(id) || moved.stamped.has(id))) ||
    oids.some((id) => id !== undefined && moved.outlook.has(id))
  );
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === "AbortError" || e.name === "TimeoutError");
}

function countApplied(plan: SyncPlan, applied: Set<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of plan.changes) {
    if (!applied.has(c.id)) continue;
    const key = `${c.group}:${c.direction}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
