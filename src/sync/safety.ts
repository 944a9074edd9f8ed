// R15 safety valve: a run that would remove or overwrite more than max(10, 10 %) of either store's
// contacts, or that finds a store empty where links exist, stops for explicit confirmation. The counts
// come from the planned actions themselves (safetyCountsOf), so no kind of write escapes them.
import type { PlannedAction } from "./actions";
import type { SafetyStop } from "./plan-types";

export interface SafetyCounts {
  /** Practice records the run would overwrite or delete. */
  practiceAffected: number;
  /**
   * Outlook contacts the run would overwrite, restamp or remove, plus Outlook deletions it would act
   * on (R10 exclusions).
   */
  outlookAffected: number;
  /** Records the run would add to the practice system from Outlook (R7 imports, R11 keeps). */
  added: number;
  /** Linked contacts whose deletion in Outlook, or in the practice system, the run acts on. */
  outlookDeletions: number;
  practiceDeletions: number;
  /** In-scope practice contacts seen by this run (meaningful after a full listing). */
  practiceInScope: number;
}

/** R15's counts, derived from what the run would do: one pass over its actions (conflicts: "keep"). */
export function safetyCountsOf(
  actions: readonly PlannedAction[],
  outlookRead: { removed: readonly string[] },
  practiceRead: { deleted: readonly string[] },
): Omit<SafetyCounts, "practiceInScope"> {
  const c = { practiceAffected: 0, outlookAffected: 0, added: 0, outlookDeletions: 0, practiceDeletions: 0 };
  const removed = new Set(outlookRead.removed);
  const deleted = new Set(practiceRead.deleted);
  for (const a of actions) {
    const p = a.practice;
    const o = a.outlook;
    // An R4 write-back riding on a create (R6) only trims what the record holds: not an overwrite.
    if (p && p.op !== "create" && o?.op !== "create") c.practiceAffected++;
    if (o && (o.op === "delete" || (o.op === "update" && (o.restamp || Object.keys(o.patch).length > 0)))) c.outlookAffected++;
    if (a.retireOutlook) c.outlookAffected++;
    if (a.link.kind === "exclude" && !o) c.outlookAffected++;
    if (p?.op === "create") c.added++;
    if (a.outlookId && removed.has(a.outlookId)) c.outlookDeletions++;
    if (a.practiceId && deleted.has(a.practiceId)) c.practiceDeletions++;
  }
  return c;
}

export interface SafetyInput extends SafetyCounts {
  /** Links in state linked before the run. */
  linked: number;
  practiceFull: boolean;
  outlookFull: boolean;
  /** Contacts in the folder when the Outlook read was a full enumeration. */
  outlookTotal: number;
}

/** The threshold: more than this many affected contacts stops the run. */
export function safetyThreshold(total: number): number {
  return Math.max(10, Math.floor(total * 0.1));
}

export function checkSafety(s: SafetyInput): SafetyStop | null {
  if (s.linked > 0 && s.practiceFull && s.practiceInScope === 0) {
    return {
      side: "practice",
      reason: `The practice system returned no contacts in scope, but ${s.linked} are linked.`,
      affected: s.linked,
      total: 0,
    };
  }
  if (s.linked > 0 && s.outlookFull && s.outlookTotal === 0) {
    return {
      side: "outlook",
      reason: `The Outlook folder is empty, but ${s.linked} contacts are linked to it.`,
      affected: s.linked,
      total: 0,
    };
  }
  // Incremental reads cannot see an empty store; every linked contact deleted at once is the same alarm.
  if (s.linked > 0 && s.outlookDeletions >= s.linked) {
    return {
      side: "outlook",
      reason: `All ${s.linked} linked contacts were deleted from the Outlook folder.`,
      affected: s.outlookDeletions,
      total: s.linked,
    };
  }
  if (s.linked > 0 && s.practiceDeletions >= s.linked) {
    return {
      side: "practice",
      reason: `All ${s.linked} linked contacts were deleted in the practice system.`,
      affected: s.practiceDeletions,
      total: s.linked,
    };
  }
  const practiceTotal = Math.max(s.linked, s.practiceInScope);
  if (s.practiceAffected > safetyThreshold(practiceTotal)) {
    return {
      side: "practice",
      reason: `This sync would change or delete ${s.practiceAffected} of ${practiceTotal} practice contacts.`,
      affected: s.practiceAffected,
      total: practiceTotal,
    };
  }
  const outlookTotal = Math.max(s.linked, s.outlookTotal);
  if (s.outlookAffected > safetyThreshold(outlookTotal)) {
    return {
      side: "outlook",
      reason: `This sync would change or remove ${s.outlookAffected} of ${outlookTotal} Outlook contacts.`,
      affected: s.outlookAffected,
      total: outlookTotal,
    };
  }
  // Many Outlook contacts becoming new practice records in a folder that is already synced is how
  // duplicates look (R2): a first sync (nothing linked) imports freely, a later one asks beyond the
  // threshold. Creates in Outlook follow the practice system's own records and scope, so they do not.
  if (s.linked > 0 && s.added > safetyThreshold(s.linked)) {
    return {
      side: "practice",
      reason: `This sync would add ${s.added} new practice contacts from Outlook where ${s.linked} are synced.`,
      affected: s.added,
      total: s.linked,
    };
  }
  return null;
}
