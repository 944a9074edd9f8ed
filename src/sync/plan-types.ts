// What the engine shows a user before committing (R14) and reports after: the reviewable plan,
// progress and results. The task pane and the CLI render these; they never see engine internals.
import type { ContactKind, FieldName } from "./model";
import type { ContactError, RunRecord } from "./ports";

/** The rule that decided a change; the docs and tests cite the same ids. */
export type RuleId =
  | "R2"
  | "R4"
  | "R5"
  | "R6"
  | "R7"
  | "R8"
  | "R9"
  | "R10"
  | "R11"
  | "R13"
  | "R16";

export type ChangeGroup = "add" | "update" | "remove" | "conflict";

/** toOutlook: practice -> Outlook; toPractice: Outlook -> practice; both: fields flow each way. */
export type ChangeDirection = "toOutlook" | "toPractice" | "both" | "none";

export interface FieldChange {
  field: FieldName;
  label: string;
  /** Which store this field is written to. */
  target: "practice" | "outlook";
  old: unknown;
  new: unknown;
}

export interface PlannedChange {
  /** Stable across runs for the same contact and kind of change (selection survives a re-plan). */
  id: string;
  group: ChangeGroup;
  direction: ChangeDirection;
  /** The contact's display name, for humans. */
  name: string;
  practiceId?: string;
  outlookId?: string;
  kind?: ContactKind;
  fields: FieldChange[];
  rule: RuleId;
  /** One sentence, e.g. "Changed in Outlook on 3 Nov; the practice record did not change." */
  reason: string;
  /** Extra facts for the row, e.g. R16: "4th email kept in the practice system: Outlook holds 3." */
  notes: string[];
  /** Conflicts (R11) need a choice; automatic sync skips them. */
  resolutions?: ConflictResolution[];
}

export type ConflictResolution = "keep" | "delete";

export interface SafetyStop {
  /** R15 trigger, readable by a user. */
  reason: string;
  side: "practice" | "outlook";
  /** How many contacts would be removed or overwritten, and of how many. */
  affected: number;
  total: number;
}

export interface SyncPlan {
  runId: string;
  createdAt: string;
  changes: PlannedChange[];
  /** Set when R15 requires explicit confirmation before any write. */
  safety: SafetyStop | null;
  counts: { linked: number; excluded: number; conflicts: number };
  /** Contacts that could not be planned (e.g. malformed), listed with a reason (R19). */
  errors: ContactError[];
}

export type SyncPhase = "reading-practice" | "reading-outlook" | "planning" | "applying" | "waiting" | "done";

export interface SyncProgress {
  phase: SyncPhase;
  done: number;
  total?: number;
  /** Phase "waiting": what the sync waits for and when it resumes (ISO 8601), e.g. Outlook's request budget. */
  waiting?: { for: "outlook-limit"; resumeAt: string };
}

export interface ApplyRequest {
  /** PlannedChange ids to apply; the others are deferred and come back next time (R14). */
  selected: ReadonlySet<string>;
  /** Choices for selected conflicts, by change id (default: keep). */
  resolutions?: Record<string, ConflictResolution>;
  /** Passes the R15 safety stop. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface SyncResult {
  run: RunRecord;
  applied: number;
  deferred: number;
  failed: ContactError[];
  /**
   * R14: selected rows not applied because their contact changed on either side after the plan was
   * made (an edit, or another device's sync). Nothing was written over that change; the next plan
   * shows them again, so the caller should plan again and show the list.
   */
  changedSincePlan?: string[];
}
