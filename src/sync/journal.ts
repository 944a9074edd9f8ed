// R13 crash safety: intents are journaled before every write, and at the start of the next plan()
// pending creates are resolved before anything else: an Outlook create by looking up its stamp, a
// practice create by replaying its idempotency key. Updates and deletes need no resolution: the next
// three-way merge sees whatever landed (R12/R3), so their entries are simply completed.
import type { PlannedAction } from "./actions";
import type { ContactFields, ContactKind, Link, LinkOrigin, OutlookContact } from "./model";
import { makeStamp } from "./model";
import { normalizeFields } from "./normalize";
import type { Clock, IdSource, JournalEntry, JournalOp, OutlookStore, PracticeStore, SyncCache } from "./ports";

/** What recovery needs to finish an Outlook create: the link it would have written. */
export interface OutlookCreatePayload {
  practiceId: string;
  stamp: string;
  base: ContactFields;
  origin: LinkOrigin;
  practiceVersion: string;
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
      };
      return { ...base, op, key: p.key, outlookId: action.outlookId, payload };
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
  return { ...base, op, key: o.id, practiceId: ctx.practiceId ?? action.practiceId, outlookId: o.id };
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
      putLinks.push({
        practiceId: p.practiceId,
        outlookId: copies[0].id,
        base: p.base,
        practiceVersion: p.practiceVersion,
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
  if (practiceCreates.length) {
    const payloads = practiceCreates.map((e) => e.payload as PracticeCreatePayload);
    // Replaying the key returns the record if the first attempt landed, or creates it now: either way
    // the intent is fulfilled exactly once.
    const created = await deps.practice.createContacts(
      payloads.map((p) => ({ key: p.key, kind: p.kind, fields: p.fields })),
      { signal: deps.signal },
    );
    const stamps = await deps.outlook.updateContacts(
      payloads.map((p, i) => {
        const r = created[i];
        return { id: p.outlookId, changeKey: p.outlookChangeKey, patch: {}, stamp: r.ok ? makeStamp(deps.firmId, r.value.id) : undefined };
      }).filter((u) => u.stamp !== undefined),
      { signal: deps.signal },
    );
    let s = 0;
    payloads.forEach((p, i) => {
      const r = created[i];
      if (!r.ok) return; // rejected: nothing was created; the Outlook contact comes back as new (R7)
      const stamped = stamps[s++];
      if (!stamped?.ok) needsFullOutlookRead = true;
      if (p.dropLink && p.dropLink !== r.value.id) deleteLinks.push(p.dropLink);
      putLinks.push({
        practiceId: r.value.id,
        outlookId: p.outlookId,
        base: normalizeFields(r.value.fields), // the record as the practice system holds it (see apply.ts)
        practiceVersion: r.value.version,
        outlookChangeKey: "", // as above: compared again on the next read, never assumed seen
        origin: p.origin,
        state: "linked",
        updatedAt: now,
      });
    });
  }

  if (deleteDuplicates.length) await deps.outlook.deleteContacts(deleteDuplicates, { signal: deps.signal });
  await deps.cache.commit({ putLinks, deleteLinks, completeJournal: pending.map((e) => e.id) });
  return { resolved: pending.length, needsFullOutlookRead };
}
