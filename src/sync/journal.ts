// R13 crash safety: intents are journaled before every write, and at the start of the next plan()
// pending creates are resolved before anything else: an Outlook create by looking up its stamp, a
// practice create by replaying its idempotency key. A pending update is resolved by reading the record:
// the fields that hold what the update wrote are the engine's own write (R12), so they go into the
// link's base; otherwise the next merge would take them for a user's change, and R5 recency could let
// them beat a newer edit on the other side. Deletes need no resolution (the next read sees what landed),
// except for the shared decision an Outlook delete by the sync records (R9 "let go"): a crash before the
// run's commit would lose it, and the next run would take the sync's own removal for the user's (R10).
import type { PlannedAction } from "./actions";
import type { ContactFields, ContactKind, FieldName, FieldPatch, Link, LinkOrigin, OutlookContact, OutlookRef, PracticeContact } from "./model";
import { makeStamp, parseStamp } from "./model";
import { capFields, capValue, fieldsDiffer, perSideBases } from "./merge";
import { normalizeFields, normalizeValue, valueKey } from "./normalize";
import type { Clock, FolderDecisionsChange, IdSource, JournalEntry, JournalOp, OutlookStore, PracticeStore, SyncCache } from "./ports";
import { MalformedResponseError, StoreUnavailableError } from "./ports";
import { agreedOf } from "./agreed";
import { hasDecisionChanges, mergeDecisions } from "./decisions";

/** What recovery needs to finish an Outlook create: the link it would have written. */
export interface OutlookCreatePayload {
  practiceId: string;
  stamp: string;
  base: ContactFields;
  origin: LinkOrigin;
  practiceVersion: string;
}

/** What recovery needs to settle an update (either side): what it wrote, and the base it would have linked. */
export interface UpdatePayload {
  patch: FieldPatch;
  /** The link's base had the action finished; undefined when the action does not put a link. */
  base?: ContactFields;
  /**
   * A practice update whose action writes Outlook too: what Outlook held before (LinkOutcome.outlookHeld),
   * Outlook's side of the base while its own write has not landed.
   */
  outlookHeld?: ContactFields;
}

/** What recovery needs to finish an Outlook delete: the shared decisions it records once it has landed. */
export interface OutlookDeletePayload {
  decisions: FolderDecisionsChange;
}

/** What recovery needs to finish a practice create: replay it, stamp the Outlook contact, link them. */
export interface PracticeCreatePayload {
  key: string;
  kind: ContactKind;
  fields: ContactFields;
  outlookId: string;
  outlookChangeKey: string;
  base: ContactFields;
  origin: LinkOrigin;
  dropLink?: string;
  outlookRef?: OutlookRef;
}

export function journalEntry(
  action: PlannedAction,
  side: "practice" | "outlook",
  ctx: { runId: string; ids: IdSource; clock: Clock; practiceId?: string },
): JournalEntry {
  const base = { id: ctx.ids.next(), runId: ctx.runId, createdAt: ctx.clock.now() };
  const link = action.link.kind === "put" ? action.link : null;
  if (side === "practice") {
    const p = action.practice!;
    const op: JournalOp = `${p.op}-practice`;
    if (p.op === "create") {
      const payload: PracticeCreatePayload = {
        key: p.key,
        kind: p.kind,
        fields: p.fields,
        outlookId: action.outlookId!,
        outlookChangeKey: link?.outlookChangeKey ?? "",
        base: link?.base ?? p.fields,
        origin: link?.origin ?? "outlook",
        dropLink: action.dropLink,
        ...(p.outlookRef ? { outlookRef: p.outlookRef } : {}),
      };
      return { ...base, op, key: p.key, outlookId: action.outlookId, payload };
    }
    if (p.op === "update") {
      // The Outlook half of the action runs later (and its entry is journaled then): until it lands,
      // Outlook's side of the base is what Outlook held, as in apply's half-applied case.
      const payload: UpdatePayload = { patch: p.patch, base: link?.base, ...(link?.outlookHeld ? { outlookHeld: link.outlookHeld } : {}) };
      return { ...base, op, key: p.id, practiceId: p.id, outlookId: action.outlookId, payload };
    }
    return { ...base, op, key: p.id, practiceId: p.id, outlookId: action.outlookId };
  }
  const o = action.outlook!;
  const op: JournalOp = `${o.op}-outlook`;
  if (o.op === "create") {
    const practiceId = ctx.practiceId ?? action.practiceId!;
    const payload: OutlookCreatePayload = {
      practiceId,
      stamp: o.stamp,
      base: link?.base ?? o.fields,
      origin: link?.origin ?? "practice",
      practiceVersion: link?.practiceVersion ?? "",
    };
    return { ...base, op, key: o.stamp, practiceId, payload };
  }
  const practiceId = ctx.practiceId ?? action.practiceId;
  if (o.op === "update") {
    const payload: UpdatePayload = { patch: o.patch, base: link?.base };
    return { ...base, op, key: o.id, practiceId, outlookId: o.id, payload };
  }
  if (hasDecisionChanges(action.decisions)) {
    const payload: OutlookDeletePayload = { decisions: action.decisions! };
    return { ...base, op, key: o.id, practiceId, outlookId: o.id, payload };
  }
  return { ...base, op, key: o.id, practiceId, outlookId: o.id };
}

/** The stamp an interrupted import's recovery writes: what the import made (the record as first created). */
function stampOf(e: JournalEntry, p: PracticeCreatePayload, r: PracticeContact): { origin: LinkOrigin; made: string; agreed: string } {
  return { origin: p.origin, made: e.runId, agreed: agreedOf(normalizeFields(r.fields)) };
}

/** Ids of replayed creates whose record still holds the version the create answered (read by id). */
async function unmovedSinceCreate(deps: RecoveryDeps, created: PracticeContact[]): Promise<Set<string>> {
  if (created.length === 0) return new Set();
  let current: PracticeContact[];
  try {
    current = await deps.practice.getContacts(created.map((c) => c.id), { signal: deps.signal });
  } catch (e) {
    if (e instanceof StoreUnavailableError || e instanceof MalformedResponseError) return new Set(); // unknown: moved
    throw e;
  }
  const version = new Map(current.map((c) => [c.id, c.version]));
  return new Set(created.filter((c) => version.get(c.id) === c.version).map((c) => c.id));
}

export interface RecoveryDeps {
  practice: PracticeStore;
  outlook: OutlookStore;
  cache: SyncCache;
  clock: Clock;
  firmId: string;
  signal?: AbortSignal;
}

export interface RecoveryResult {
  resolved: number;
  /** True when a stamp could not be written: the caller should re-read the whole folder. */
  needsFullOutlookRead: boolean;
}

/** Resolves every pending journal entry (R13). Idempotent: running it twice is harmless. */
export async function recoverJournal(deps: RecoveryDeps): Promise<RecoveryResult> {
  const pending = await deps.cache.journalPending();
  if (pending.length === 0) return { resolved: 0, needsFullOutlookRead: false };
  const now = deps.clock.now();
  const putLinks: Link[] = [];
  const deleteLinks: string[] = [];
  const deleteDuplicates: string[] = [];
  let needsFullOutlookRead = false;

  const outlookCreates = pending.filter((e) => e.op === "create-outlook" && e.payload);
  if (outlookCreates.length) {
    const found = await deps.outlook.findByStamps(
      outlookCreates.map((e) => (e.payload as OutlookCreatePayload).stamp),
      { signal: deps.signal },
    );
    const byStamp = new Map<string, OutlookContact[]>();
    for (const c of found) {
      if (!c.stamp) continue;
      const list = byStamp.get(c.stamp) ?? [];
      list.push(c);
      byStamp.set(c.stamp, list);
    }
    for (const e of outlookCreates) {
      const p = e.payload as OutlookCreatePayload;
      const copies = (byStamp.get(p.stamp) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1));
      if (copies.length === 0) continue; // never landed: the next plan creates it again (R6)
      // A retried create that landed twice: keep one, the others are our own duplicates (R2).
      for (const extra of copies.slice(1)) deleteDuplicates.push(extra.id);
      // The stamp as written: its create token and agreed hashes are this device's own, as after an apply
      // (so they are not taken for another device's newer agreement, agreed.ts).
      const written = parseStamp(p.stamp);
      putLinks.push({
        practiceId: p.practiceId,
        outlookId: copies[0].id,
        base: p.base,
        practiceVersion: p.practiceVersion,
        ...(written?.made ? { made: written.made } : {}),
        ...(written?.agreed ? { agreed: written.agreed } : {}),
        // Not recorded as seen: a user may have edited it since the crash, and the next delta reports
        // it anyway (the cursors did not move), so the fields are compared once more.
        outlookChangeKey: "",
        origin: p.origin,
        state: "linked",
        updatedAt: now,
      });
    }
  }

  const practiceCreates = pending.filter((e) => e.op === "create-practice" && e.payload);
  const unfinished = new Set<string>();
  if (practiceCreates.length) {
    const payloads = practiceCreates.map((e) => e.payload as PracticeCreatePayload);
    // Replaying the key returns the record if the first attempt landed, or creates it now: either way
    // the intent is fulfilled exactly once.
    const created = await deps.practice.createContacts(
      payloads.map((p) => ({ key: p.key, kind: p.kind, fields: p.fields, ...(p.outlookRef ? { outlookRef: p.outlookRef } : {}) })),
      { signal: deps.signal },
    );
    // The stamp is written only on a record unchanged since its create. Any write gives the contact a new
    // lastModifiedDateTime, which R5 would take for the time of an edit the user made there since the
    // crash; with no practice edit to contest it, that time decides nothing. A record that moved on (or
    // cannot be read) is linked unstamped: its outlookRef names the contact for every device, and the next
    // plan compares the pair with real times and stamps it with its row.
    const unmoved = await unmovedSinceCreate(deps, created.flatMap((r) => (r.ok ? [r.value] : [])));
    const marks = created.map((r, i) => (r.ok ? stampOf(practiceCreates[i], payloads[i], r.value) : undefined));
    const stamps = await deps.outlook.updateContacts(
      payloads.map((p, i) => {
        const r = created[i];
        // The agreed hashes say what the import made (the record as first created), so another device
        // pairing them later can tell a later edit on either side from the import's own values (R2, R5).
        const stamp = r.ok && unmoved.has(r.value.id) ? makeStamp(deps.firmId, r.value.id, marks[i]!) : undefined;
        return { id: p.outlookId, changeKey: p.outlookChangeKey, patch: {}, stamp };
      }).filter((u) => u.stamp !== undefined),
      { signal: deps.signal },
    );
    let s = 0;
    payloads.forEach((p, i) => {
      const r = created[i];
      // Not answered now (throttled, unavailable): the first attempt may have landed, so the intent
      // stays journaled and this run stops before planning around it (the next one finishes it).
      if (!r.ok && r.error.retryable) unfinished.add(practiceCreates[i].id);
      if (!r.ok) return; // rejected: nothing was created; the Outlook contact comes back as new (R7)
      const stamped = unmoved.has(r.value.id) ? stamps[s++] : undefined;
      if (!stamped?.ok) needsFullOutlookRead = true;
      if (p.dropLink && p.dropLink !== r.value.id) deleteLinks.push(p.dropLink);
      putLinks.push({
        practiceId: r.value.id,
        outlookId: p.outlookId,
        // The stamp as written, when it landed: its token and hashes are this device's own (as after an apply).
        ...(stamped?.ok ? { made: marks[i]!.made, agreed: marks[i]!.agreed } : {}),
        base: normalizeFields(r.value.fields), // the record as the practice system holds it (see apply.ts)
        // A replayed key answers the record as first created: edits since then are not in it, and the
        // change feed may not report them again. Unseen, so the next plan reads it by id (session.ts).
        practiceVersion: "",
        outlookChangeKey: "", // as above: compared again on the next read, never assumed seen
        origin: p.origin,
        state: "linked",
        updatedAt: now,
      });
    });
  }

  const updates = pending.filter((e) => (e.op === "update-practice" || e.op === "update-outlook") && e.practiceId && e.payload);
  if (updates.length) putLinks.push(...(await settleUpdates(deps, updates, putLinks)));

  const decisions = await landedDeleteDecisions(deps, pending);
  const before = hasDecisionChanges(decisions) ? await deps.cache.getCursors() : undefined;
  const cursors = before && { ...before, pendingDecisions: mergeDecisions(mergeDecisions({}, before.pendingDecisions), decisions) };

  if (deleteDuplicates.length) await deps.outlook.deleteContacts(deleteDuplicates, { signal: deps.signal });
  await deps.cache.commit({ putLinks, deleteLinks, ...(cursors ? { cursors } : {}), completeJournal: pending.filter((e) => !unfinished.has(e.id)).map((e) => e.id) });
  if (unfinished.size) {
    throw new StoreUnavailableError("practice", `The practice system did not answer while finishing an interrupted sync (${unfinished.size} record(s)); try again shortly.`);
  }
  return { resolved: pending.length, needsFullOutlookRead };
}

/**
 * The shared decisions of Outlook deletes that landed (the contact is no longer in the folder under its
 * stamp). They go with the cursors' pending decisions, which the next read of the decisions sends first.
 * A delete that did not land records nothing: the next plan sees the contact and decides again.
 */
async function landedDeleteDecisions(deps: RecoveryDeps, pending: JournalEntry[]): Promise<FolderDecisionsChange> {
  const deletes = pending.filter((e) => e.op === "delete-outlook" && e.practiceId && e.outlookId && e.payload);
  const out: FolderDecisionsChange = {};
  if (!deletes.length) return out;
  const stamps = [...new Set(deletes.map((e) => makeStamp(deps.firmId, e.practiceId!)))];
  const live = new Set((await deps.outlook.findByStamps(stamps, { signal: deps.signal })).map((c) => c.id));
  for (const e of deletes) if (!live.has(e.outlookId!)) mergeDecisions(out, (e.payload as OutlookDeletePayload).decisions);
  return out;
}

function put(rec: Record<string, unknown>, field: string, value: unknown): void {
  if (value === undefined) delete rec[field];
  else rec[field] = value;
}

/**
 * Pending updates (R13, R12): whatever of each intent the record now holds was written by the engine
 * (or, indistinguishably and harmlessly, set to the same value by a user), so it joins the link's base,
 * as a finished apply would have recorded it. Fields the record does not hold as intended keep their old
 * base and are merged as usual. The practice version is stored only when the record then equals the
 * base in every field: any other difference is a change the next merge must still see. The Outlook
 * changeKey is left as it was: the delta did not move, so the record is read and compared again.
 * Returns the links to put (those already in `putLinks` are updated in place).
 */
async function settleUpdates(deps: RecoveryDeps, entries: JournalEntry[], putLinks: Link[]): Promise<Link[]> {
  const fresh = new Map(putLinks.map((l) => [l.practiceId, l]));
  const stored = new Map((await deps.cache.loadLinks()).map((l) => [l.practiceId, perSideBases(l)]));
  const touched = new Map<string, Link>();
  const linkOf = (id: string): Link | undefined => touched.get(id) ?? fresh.get(id) ?? stored.get(id);

  const practiceIds = [...new Set(entries.filter((e) => e.op === "update-practice").map((e) => e.practiceId!))].filter((id) => linkOf(id));
  const practiceNow = new Map(
    (practiceIds.length ? await deps.practice.getContacts(practiceIds, { signal: deps.signal }) : []).map((c) => [c.id, c]),
  );
  const outlookLinks = [...new Set(entries.filter((e) => e.op === "update-outlook").map((e) => e.practiceId!))]
    .map((id) => linkOf(id))
    .filter((l): l is Link => l !== undefined);
  const outlookNow = new Map<string, OutlookContact>();
  if (outlookLinks.length) {
    const found = await deps.outlook.findByStamps(
      outlookLinks.map((l) => makeStamp(deps.firmId, l.practiceId)),
      { signal: deps.signal },
    );
    for (const c of found) outlookNow.set(c.id, c);
  }

  // Practice halves first: an action's Outlook half, when it landed too, completes the base.
  const ordered = [...entries.filter((e) => e.op === "update-practice"), ...entries.filter((e) => e.op === "update-outlook")];
  for (const e of ordered) {
    const link = linkOf(e.practiceId!);
    if (!link) continue; // unlinked since: nothing to record
    const current =
      e.op === "update-practice" ? practiceNow.get(link.practiceId)?.fields : outlookNow.get(e.outlookId ?? link.outlookId)?.fields;
    if (!current || (e.op === "update-outlook" && e.outlookId && e.outlookId !== link.outlookId)) continue;
    const { patch, base: planned, outlookHeld } = e.payload as UpdatePayload;
    const base: Record<string, unknown> = { ...link.base };
    // Per-side bases: a practice write moves the practice side only; Outlook's stays what it was.
    let outlookBase: Record<string, unknown> | undefined = link.outlookBase
      ? { ...link.outlookBase }
      : e.op === "update-practice"
        ? { ...capFields(link.base) }
        : undefined;
    let landed = 0;
    const fields = Object.entries(patch) as [FieldName, unknown][];
    for (const [name, wanted] of fields) {
      const intended = normalizeValue(name, wanted);
      const holds = normalizeValue(name, (current as Record<string, unknown>)[name]);
      if (valueKey(intended) !== valueKey(holds)) continue;
      landed++;
      const value = planned ? normalizeValue(name, (planned as Record<string, unknown>)[name]) : intended;
      put(base, name, value);
      if (e.op === "update-outlook" && outlookBase) put(outlookBase, name, capValue(name, value));
      // A field the practice write took from Outlook: Outlook held it when the merge was made.
      const held = outlookHeld ?? (planned ? capFields(planned) : undefined);
      if (e.op === "update-practice" && outlookBase && held) put(outlookBase, name, normalizeValue(name, (held as Record<string, unknown>)[name]));
    }
    if (!landed) continue;
    // The whole write landed: that side holds what the finished action would have linked (its fields
    // the merge took from the same side included, so none of them reads as an edit of that side).
    const whole = landed === fields.length && planned ? normalizeFields(planned) : null;
    const next: Link = { ...link, base: whole ?? normalizeFields(base as ContactFields), updatedAt: deps.clock.now() };
    // A practice write that landed whole: Outlook's side is what Outlook held when the merge was made
    // (its edits the merge took included). Not after a partial landing: the practice side then lacks
    // some of those edits, and they would read as owed to Outlook.
    // An action that writes no Outlook field leaves Outlook holding what the merge took from it.
    if (whole && e.op === "update-practice") outlookBase = { ...(outlookHeld ?? capFields(whole)) };
    if (whole && e.op === "update-outlook" && outlookBase) outlookBase = { ...capFields(whole) };
    // The two sides agree again once Outlook holds the practice side's base.
    if (outlookBase && fieldsDiffer(capFields(next.base), outlookBase as ContactFields)) next.outlookBase = outlookBase as ContactFields;
    else delete next.outlookBase;
    touched.set(link.practiceId, next);
  }
  // The version is decided on the final base (an Outlook half may move it after the practice half):
  // stored only when the record equals that base in every field, else left as it was. While Outlook is
  // still owed a write it stays unseen, so the record is read by id and the pair merged next run.
  for (const [id, next] of touched) {
    const cur = practiceNow.get(id);
    if (!cur) continue;
    const before = (fresh.get(id) ?? stored.get(id))!.practiceVersion;
    next.practiceVersion = next.outlookBase ? "" : !fieldsDiffer(normalizeFields(cur.fields), next.base) ? cur.version : before;
  }

  const out: Link[] = [];
  for (const [id, l] of touched) {
    const i = putLinks.findIndex((p) => p.practiceId === id);
    if (i >= 0) putLinks[i] = l;
    else out.push(l);
  }
  return out;
}
