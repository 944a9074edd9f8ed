// The internal operations behind each reviewable PlannedChange: what apply.ts executes when the row
// is selected, and what is kept as deferred when it is not (R14) or fails (R19).
// Every action writes the practice side first, then Outlook: a practice create yields the id the
// Outlook stamp needs (R7), and a practice update that loses an If-Match race stops the action before
// Outlook is touched.
import type { ContactFields, ContactKind, FieldPatch, LinkOrigin, OutlookRef } from "./model";
import type { DeferredChange, FolderDecisionsChange } from "./ports";

export type PracticeAction =
  | { op: "create"; key: string; kind: ContactKind; fields: ContactFields; outlookRef?: OutlookRef }
  | { op: "update"; id: string; version: string; patch: FieldPatch }
  | { op: "delete"; id: string; version: string };

export type OutlookAction =
  /** The practice id is always known when Outlook gets a new contact, so the stamp is too (R2). */
  | { op: "create"; stamp: string; fields: ContactFields }
  /**
   * restamp: write the stamp too (R7 after the practice create; R2 repair). The stamp is built at
   * apply time (an import's practice id is known only then) from the link's origin and `made`, the
   * create token to keep (the contact's own, when it has one, so a user's copy stays recognizable).
   */
  | { op: "update"; id: string; changeKey: string; patch: FieldPatch; restamp: boolean; made?: string }
  | { op: "delete"; id: string };

/** The link after the action succeeds. */
export type LinkOutcome =
  | {
      kind: "put";
      base: ContactFields;
      origin: LinkOrigin;
      /** Versions as seen at planning; replaced by the write results when a side is written (R12). */
      practiceVersion: string;
      outlookChangeKey: string;
      /** The create token the Outlook contact's stamp carries, when known (kept on every rewrite). */
      made?: string;
      /** The stamp's agreed hashes as seen at planning (replaced by what the write sends). */
      agreed?: string;
      /**
       * For an action that writes both sides: what the Outlook contact holds before its write
       * (normalized, capped). Outlook's side of the base (Link.outlookBase) should the practice write
       * land and the Outlook one not.
       */
      outlookHeld?: ContactFields;
    }
  | { kind: "exclude" }
  | { kind: "delete" }
  /** The link is not this action's business (an extra Outlook copy removed, R2). */
  | { kind: "none" };

export interface PlannedAction {
  changeId: string;
  /** Known practice id (undefined for an R7 import until the create returns it). */
  practiceId?: string;
  outlookId?: string;
  practice?: PracticeAction;
  outlook?: OutlookAction;
  link: LinkOutcome;
  /** A link (by practice id) this action replaces, e.g. a re-created practice record (R11 keep). */
  dropLink?: string;
  /** What to keep so the change comes back next run when it is deselected or fails. */
  defer: DeferredChange[];
  /** The user's shared decisions this action changes once it is applied (R2, R10). */
  decisions?: FolderDecisionsChange;
  /**
   * A deleted record whose contact this action makes a record of its own (R11 keep): once applied, the
   * shared decisions say which record replaced it (FolderDecision.replacedBy), known only then.
   */
  replaces?: string;
  /** An Outlook contact this action replaces: moved to Deleted Items once the action's writes land. */
  retireOutlook?: string;
}

/** A conflict row (R11) carries one action per resolution; the user (or the default, keep) picks. */
export interface ConflictChoice {
  keep: PlannedAction;
  delete: PlannedAction;
}
