// The data a multi-device scenario is made of: one practice system and one Outlook folder, synced by
// two panes of one user (desktop and web, each its own cache) and optionally a scheduled headless
// device, whose plan() and apply() calls interleave with each other and with the user's edits.
// Everything random is plain data, so fast-check can shrink a failing scenario and replay it.
import type { FaultSpec, InitialPractice, ScenarioSettings, UserAction } from "./scenario";
import type { FieldPatch } from "../../../src/sync/model";

/** What a user does in Outlook beyond the single-device actions. `target` picks by index modulo. */
export type OutlookExtraAction =
  /** Moves a contact back from Deleted Items (same immutable id, stamp and fields). */
  | { side: "outlook"; kind: "restore"; target: number }
  /** Copies a contact in the folder; the copy keeps the stamp (Outlook keeps named properties). */
  | { side: "outlook"; kind: "copy"; target: number };

/**
 * One contact edited on both sides, one after the other (the first of its two records first):
 * `target` picks among contacts that have both, so R5 contests are common rather than lucky.
 */
export interface BothSidesEdit {
  side: "both";
  kind: "edit";
  target: number;
  practice: FieldPatch;
  outlook: FieldPatch;
  outlookFirst: boolean;
}

export type MultiUserAction = UserAction | OutlookExtraAction | BothSidesEdit;

export type Step =
  | { kind: "user"; action: MultiUserAction }
  /** The device reads both sides and shows its pending list (kept until applied or replaced). */
  | { kind: "plan"; device: number }
  /**
   * The device applies the plan it holds, however old. approveMask null: every row; else bit i
   * approves row i (R14). Bit i of deleteMask resolves conflict i by "delete" instead of "keep" (R11).
   * `faults` fail some of its writes (429/503 after retries): the engine knows what landed (R19).
   */
  | { kind: "apply"; device: number; approveMask: number | null; deleteMask: number; faults: FaultSpec[] }
  /** The device plans, the user edits while the pending list is open, then approves (R14). */
  | { kind: "review"; device: number; edits: MultiUserAction[]; approveMask: number | null }
  /** Plan and apply at once: a pane applies every row (keep), the headless device every non-conflict. */
  | { kind: "sync"; device: number }
  /** Device `first` plans, `second` plans and applies, then `first` applies its older plan. */
  | { kind: "race"; first: number; second: number }
  /** R10: the user re-includes an excluded contact (the target-th excluded link of that device). */
  | { kind: "includeAgain"; device: number; target: number }
  /** The device's cache is cleared (new device, cleared storage); its pane reopens. */
  | { kind: "loseCache"; device: number };

export interface MultiScenario {
  settings: ScenarioSettings;
  /** Whether a scheduled headless device (the CLI on a timer) syncs the folder too; it is the last device. */
  headless: boolean;
  practice: InitialPractice[];
  outlook: FieldPatch[];
  steps: Step[];
}

/** Panes 0 and 1, and the headless device as 2 when present. */
export const deviceCount = (s: MultiScenario) => (s.headless ? 3 : 2);
