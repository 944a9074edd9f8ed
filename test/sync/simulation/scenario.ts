// The data a simulated scenario is made of. Everything random is decided here, as plain data,
// so fast-check can shrink a failing scenario and replay it from its seed and path.
import type { ContactKind, FieldPatch } from "../../../src/sync/model";
import type { FaultKind } from "../../support";

/** Offices a practice contact can belong to; the filter (when any) selects some of them. */
export const OFFICES = ["Leeds", "York", "Hull"] as const;
export type Office = (typeof OFFICES)[number];

export interface ScenarioSettings {
  /** null: sync every contact (R1); else the offices a firm filter selects. */
  filterOffices: Office[] | null;
  importKind: ContactKind;
  wholeRecord: boolean;
  deleteStandaloneOnOutlookDelete: boolean;
  /** Whether the Outlook side refuses a stale changeKey (If-Match): Graph may or may not (research §3.2). */
  outlookIfMatch: boolean;
}

export interface InitialPractice {
  kind: ContactKind;
  office?: Office;
  fields: FieldPatch;
}

export interface InitialOutlook {
  fields: FieldPatch;
  /** Index of a practice contact this Outlook contact is a stamped copy of (made by another device, R8). */
  stampedCopyOf?: number;
}

/**
 * What a user does. `target` picks a live contact by index modulo the live count (sorted by id),
 * so an action always applies to something when anything exists.
 */
export type UserAction =
  | { side: "practice"; kind: "add"; contact: InitialPractice }
  | { side: "practice"; kind: "edit"; target: number; patch: FieldPatch }
  | { side: "practice"; kind: "move"; target: number; office: Office | null }
  | { side: "practice"; kind: "remove"; target: number }
  /** An administrator redefines the firm filter the user syncs with (no-op without a filter). */
  | { side: "practice"; kind: "filter"; offices: Office[] }
  | { side: "outlook"; kind: "add"; fields: FieldPatch }
  | { side: "outlook"; kind: "edit"; target: number; patch: FieldPatch }
  | { side: "outlook"; kind: "touch"; target: number }
  | { side: "outlook"; kind: "remove"; target: number };

export interface FaultSpec {
  target: "practice" | "outlook" | "cache";
  /** An operation of that store, or "*". */
  op: string;
  fault: FaultKind;
  count: number;
  /** Matching operations (or write items) let through before the fault fires. */
  after: number;
}

export interface Round {
  /** Edits made between the previous sync and this one. */
  before: UserAction[];
  /** Edits made after the plan was read and before it is applied (R13, R14). */
  during: UserAction[];
  faults: FaultSpec[];
  loseCache: boolean;
  expirePracticeCursor: boolean;
  expireDeltaToken: boolean;
  /** null: approve every change; else bit i of the mask approves change i (R14). */
  approveMask: number | null;
  /** Bit i set: resolve conflict i by "delete" instead of the default "keep" (R11). */
  deleteMask: number;
  /** Pass the R15 safety stop when the plan has one. */
  force: boolean;
  /** Cancel the apply (AbortSignal) once this many changes are done; null: never (R13 resume). */
  cancelAfter: number | null;
  /** Start a new SyncSession for this round (a reopened pane); a crash always does. */
  freshSession: boolean;
}

export interface Scenario {
  settings: ScenarioSettings;
  practice: InitialPractice[];
  outlook: InitialOutlook[];
  rounds: Round[];
}

/** A round with no faults, no concurrent edits, everything approved: after it, the stores must agree. */
export function isCleanRound(r: Round): boolean {
  return (
    r.faults.length === 0 &&
    r.during.length === 0 &&
    !r.loseCache &&
    r.approveMask === null &&
    r.cancelAfter === null &&
    r.deleteMask === 0 &&
    r.force
  );
}
