// R15 safety valve: a run that would remove or overwrite more than max(10, 10 %) of either store's
// contacts, or that finds a store empty where links exist, stops for explicit confirmation.
import type { SafetyStop } from "./plan-types";

export interface SafetyCounts {
  /** Practice records the run would overwrite or delete. */
  practiceAffected: number;
  /** Outlook contacts the run would overwrite or remove, plus Outlook deletions it would act on (R10). */
  outlookAffected: number;
  /** In-scope practice contacts seen by this run (meaningful after a full listing). */
  practiceInScope: number;
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
  return null;
}
