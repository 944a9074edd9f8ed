// The engine's decisions as one table (R1–R16). reconcile() states the facts of each subject — a linked
// pair, an unlinked Outlook contact, a contact among several naming one record, an unlinked practice
// record — and takes the first row of its section whose condition holds. The row names the decision;
// one builder per decision (reconcile.ts) turns it into the reviewable row, the actions and what is
// deferred. docs/sync-rules.md prints this table (`decisionTableMarkdown`), so the two cannot drift.

/** A linked pair (or an exclusion), after a moved contact has taken its link's place. */
export interface PairFacts {
  excluded: boolean;
  practiceGone: boolean;
  outlookGone: boolean;
  /** The contact is in the folder (read this run). */
  outlookLive: boolean;
  /** Neither side was read or reported gone this run. */
  untouched: boolean;
  /** Born in the practice system and no longer matching the filter (R1). */
  leftScope: boolean;
  /** The shared decisions say a sync (on another device) removed this very contact (R9, R2). */
  letGoBySync: boolean;
  /** The practice record changed since the link, in its fields. */
  practiceEdited: boolean;
  /** The Outlook contact changed since the link, in its fields. */
  outlookEdited: boolean;
  /** Either side's version moved since the link. */
  changed: boolean;
}

/** A live Outlook contact no link claims (lost cache, another device, new in Outlook). */
export interface UnlinkedContactFacts {
  /** Decided already with another subject (a move, a re-link, several holders). */
  claimed: boolean;
  /** Its stamp names a record of this firm. */
  stamped: boolean;
  /** That record has a live link (to another contact: this one is a copy). */
  recordLinked: boolean;
  /** That record was decided already with another contact this run. */
  recordClaimed: boolean;
  /** Same create token as a contact the sync let go, under another id: the user's copy (R2). */
  copyOfLetGo: boolean;
  /** An unlinked record names this contact as the one it was made from (outlookRef). */
  madeFromRecord: boolean;
  /** Exactly one unlinked record has the same fields (an import interrupted before its stamp). */
  twinRecord: boolean;
}

/** A stamped contact being re-linked to the record its stamp names (R8). */
export interface RelinkFacts {
  recordGone: boolean;
  /** An unlinked record names this contact as the one it was made from (an R11 keep's re-created record). */
  madeFromRecord: boolean;
  /** The stamp (or the link) says the contact was born in the practice system, and it is out of scope. */
  bornInPracticeOutOfScope: boolean;
}

/** One of several live contacts naming one record, with its role (holders.ts). */
export interface HolderFacts {
  role: "primary" | "copy" | "duplicate" | "restored";
  /** The contact the cache links to the record. */
  linked: boolean;
  /** A duplicate holding nothing the kept one lacks: same fields, or untouched since linked. */
  nothingNew: boolean;
  /** A duplicate whose edits can be told apart (stamp hashes or this cache's base) and its record exists. */
  editsKnown: boolean;
  /** Merging those edits writes the record. */
  editsForRecord: boolean;
  /** Another row of this plan writes the record. */
  recordWritten: boolean;
  /** The record was deleted in the practice system. */
  recordGone: boolean;
  /** A duplicate whose edits its stamp's agreed hashes tell apart (the record gone, they go to the kept contact). */
  foldable: boolean;
  /** A primary that a duplicate folds its edits into in this plan. */
  foldedInto: boolean;
  /** A primary whose merge now would make a duplicate's newer edit lose next run, and the other order would not. */
  newerDuplicateFirst: boolean;
}

/** A practice record no link claims. */
export interface UnlinkedRecordFacts {
  claimedOrDeleted: boolean;
  inScope: boolean;
  /** The user's shared decisions exclude it (R10 on another device, or before a lost cache). */
  excludedByDecision: boolean;
}

export type Decision =
  | "nothing"
  | "forget-exclusion"
  | "relink"
  | "forget-link"
  | "conflict-deleted-in-outlook"
  | "exclude"
  | "conflict-deleted-in-practice"
  | "remove-from-outlook"
  | "leave-scope"
  | "refresh-link"
  | "merge"
  | "import-copy"
  | "pair-made-from"
  | "pair-twin"
  | "import"
  | "remove-out-of-scope"
  | "linked-pair"
  | "remove-duplicate"
  | "merge-duplicate"
  | "wait"
  | "conflict-duplicate"
  | "conflict-restored"
  | "fold-duplicate"
  | "record-exclusion"
  | "create";

export interface DecisionRow<F> {
  /** The states this row reads, in words, for the printed table. */
  link: string;
  practice: string;
  outlook: string;
  decision: Decision;
  rules: readonly `R${number}`[];
  /** What the decision does, in words. */
  does: string;
  when: (f: F) => boolean;
}

export interface DecisionSection<F> {
  subject: string;
  rows: readonly DecisionRow<F>[];
}

const always = () => true;

export const PAIR: DecisionSection<PairFacts> = {
  subject: "A linked pair",
  rows: [
    { link: "excluded", practice: "deleted", outlook: "any", decision: "forget-exclusion", rules: ["R10"], does: "drop the exclusion for good", when: (f) => f.excluded && f.practiceGone },
    { link: "excluded", practice: "exists", outlook: "the very contact, back", decision: "relink", rules: ["R10", "R8"], does: "re-link, lift the exclusion", when: (f) => f.excluded && f.outlookLive },
    { link: "excluded", practice: "any", outlook: "any", decision: "nothing", rules: ["R10"], does: "not re-added", when: (f) => f.excluded },
    { link: "linked", practice: "not read", outlook: "not read", decision: "nothing", rules: [], does: "a quiet sync's common case", when: (f) => f.untouched },
    { link: "linked", practice: "deleted", outlook: "deleted", decision: "forget-link", rules: ["R9", "R10"], does: "drop the link", when: (f) => f.practiceGone && f.outlookGone },
    { link: "linked", practice: "out of scope, practice-born", outlook: "deleted", decision: "forget-link", rules: ["R9"], does: "drop the link", when: (f) => f.outlookGone && f.leftScope },
    { link: "linked", practice: "any", outlook: "removed by a sync: another device, or a run that crashed (shared)", decision: "forget-link", rules: ["R2", "R9"], does: "drop the link: not the user's deletion; the record is planned as one with no link (R6)", when: (f) => f.outlookGone && f.letGoBySync },
    { link: "linked", practice: "edited", outlook: "deleted", decision: "conflict-deleted-in-outlook", rules: ["R11"], does: "keep creates the contact again (the old one let go), delete excludes", when: (f) => f.outlookGone && f.practiceEdited },
    { link: "linked", practice: "unchanged", outlook: "deleted", decision: "exclude", rules: ["R10"], does: "exclude (shared), or delete a standalone record with the option", when: (f) => f.outlookGone },
    { link: "linked", practice: "deleted", outlook: "edited", decision: "conflict-deleted-in-practice", rules: ["R11"], does: "keep creates the record again, delete removes the contact", when: (f) => f.practiceGone && f.outlookEdited },
    { link: "linked", practice: "deleted", outlook: "unchanged", decision: "remove-from-outlook", rules: ["R9"], does: "remove from the folder (to Deleted Items)", when: (f) => f.practiceGone },
    { link: "linked", practice: "out of scope, practice-born", outlook: "any", decision: "leave-scope", rules: ["R9"], does: "remove from the folder, Outlook edits saved in the record first", when: (f) => f.leftScope },
    { link: "linked", practice: "version only", outlook: "changeKey only", decision: "refresh-link", rules: ["R3"], does: "no row; the link is rewritten only if the contact moved", when: (f) => !f.changed },
    { link: "linked", practice: "changed, or not", outlook: "changed, or not (one side changed)", decision: "merge", rules: ["R3", "R4", "R5", "R16"], does: "per-field three-way merge, the base corrected by the stamp's agreed hashes", when: always },
  ],
};

export const UNLINKED_CONTACT: DecisionSection<UnlinkedContactFacts> = {
  subject: "An Outlook contact no link claims",
  rows: [
    { link: "—", practice: "—", outlook: "decided with another subject", decision: "nothing", rules: [], does: "nothing more", when: (f) => f.claimed },
    { link: "none", practice: "exists or not", outlook: "stamped; same create token as a contact the sync let go", decision: "import-copy", rules: ["R2", "R7"], does: "the user's copy: a new record", when: (f) => f.stamped && !f.recordLinked && f.copyOfLetGo },
    { link: "none or excluded", practice: "see re-link", outlook: "stamped", decision: "relink", rules: ["R8"], does: "re-link (see the re-link section)", when: (f) => f.stamped && !f.recordClaimed && !f.recordLinked },
    { link: "none", practice: "made from this contact (outlookRef)", outlook: "unstamped", decision: "pair-made-from", rules: ["R2", "R13"], does: "link and stamp, never copy", when: (f) => !f.stamped && f.madeFromRecord },
    { link: "none", practice: "unlinked, the same fields, unique", outlook: "unstamped", decision: "pair-twin", rules: ["R8"], does: "link and stamp (an interrupted import)", when: (f) => !f.stamped && f.twinRecord },
    { link: "none", practice: "none", outlook: "unstamped, or a copy of a linked contact", decision: "import", rules: ["R7"], does: "import as the import kind, stamp", when: always },
  ],
};

export const RELINK: DecisionSection<RelinkFacts> = {
  subject: "Re-linking a stamped contact",
  rows: [
    { link: "none or excluded", practice: "gone; another record made from this contact (outlookRef)", outlook: "stamped", decision: "pair-made-from", rules: ["R2", "R13"], does: "link to that record and stamp, never copy", when: (f) => f.recordGone && f.madeFromRecord },
    { link: "none or excluded", practice: "gone", outlook: "stamped", decision: "conflict-deleted-in-practice", rules: ["R11"], does: "keep creates the record again, delete removes the contact", when: (f) => f.recordGone },
    { link: "none or excluded", practice: "out of scope; the stamp says practice-born", outlook: "stamped", decision: "remove-out-of-scope", rules: ["R9"], does: "remove from the folder, the contact let go", when: (f) => f.bornInPracticeOutOfScope },
    { link: "none or excluded", practice: "exists", outlook: "stamped", decision: "relink", rules: ["R8", "R7"], does: "re-link, origin from the stamp; the agreed hashes or recency decide", when: always },
  ],
};

export const HOLDERS: DecisionSection<HolderFacts> = {
  subject: "Several contacts naming one record",
  rows: [
    { link: "any", practice: "deleted", outlook: "primary; a contact made twice folds into it now", decision: "wait", rules: ["R2", "R11"], does: "kept for the next run, then decided alone (one conflict, not two)", when: (f) => f.role === "primary" && f.foldedInto },
    { link: "any", practice: "deleted", outlook: "made twice, edits known from its stamp", decision: "fold-duplicate", rules: ["R2"], does: "its edits into the kept contact, then to Deleted Items", when: (f) => f.role === "duplicate" && f.recordGone && f.foldable },
    { link: "any", practice: "exists", outlook: "primary; merged first, a contact made twice would lose a newer edit next run (the other order would not)", decision: "wait", rules: ["R2", "R5"], does: "kept for the next run: the copy's edits go in first (a write now beats every older edit next run)", when: (f) => f.role === "primary" && f.newerDuplicateFirst },
    { link: "linked to this contact", practice: "exists", outlook: "primary", decision: "linked-pair", rules: ["R2"], does: "decided as a linked pair", when: (f) => f.role === "primary" && f.linked },
    { link: "any", practice: "exists", outlook: "primary, not the linked one", decision: "relink", rules: ["R2", "R8"], does: "re-link", when: (f) => f.role === "primary" },
    { link: "any", practice: "exists", outlook: "copy (same create token)", decision: "import-copy", rules: ["R2", "R7"], does: "the user's copy: a new record", when: (f) => f.role === "copy" },
    { link: "any", practice: "exists", outlook: "made twice, nothing new", decision: "remove-duplicate", rules: ["R2"], does: "the extra copy goes to Deleted Items", when: (f) => f.role === "duplicate" && f.nothingNew },
    { link: "any", practice: "written by another row", outlook: "made twice, edited", decision: "wait", rules: ["R2"], does: "kept for the next run (one write per record and run)", when: (f) => f.role === "duplicate" && f.editsKnown && f.editsForRecord && f.recordWritten },
    { link: "any", practice: "exists", outlook: "made twice, edited", decision: "merge-duplicate", rules: ["R2"], does: "its edits into the record, then to Deleted Items", when: (f) => f.role === "duplicate" && f.editsKnown },
    { link: "any", practice: "any", outlook: "made twice, edits unknown", decision: "conflict-duplicate", rules: ["R2"], does: "keep makes it a record of its own, delete removes it", when: (f) => f.role === "duplicate" },
    { link: "any", practice: "written by another row", outlook: "let go, restored; keeping it writes the record", decision: "wait", rules: ["R2"], does: "kept for the next run (one write per record and run)", when: (f) => f.role === "restored" && f.editsForRecord && f.recordWritten },
    { link: "any", practice: "any", outlook: "let go, restored from Deleted Items", decision: "conflict-restored", rules: ["R2"], does: "keep merges it with the record (R8: the more recent wins where they differ) and replaces the other contact; delete removes it again", when: always },
  ],
};

export const UNLINKED_RECORD: DecisionSection<UnlinkedRecordFacts> = {
  subject: "A practice record no link claims",
  rows: [
    { link: "—", practice: "decided with another subject, or deleted", outlook: "—", decision: "nothing", rules: [], does: "nothing more", when: (f) => f.claimedOrDeleted },
    { link: "none", practice: "out of scope", outlook: "none", decision: "nothing", rules: ["R1"], does: "not in the folder", when: (f) => !f.inScope },
    { link: "none", practice: "in scope, excluded by a shared decision", outlook: "none", decision: "record-exclusion", rules: ["R10"], does: "an excluded link, no row", when: (f) => f.excludedByDecision },
    { link: "none", practice: "in scope", outlook: "none", decision: "create", rules: ["R6"], does: "create in the folder, stamped", when: always },
  ],
};

/** The first row whose condition holds (every section ends with an unconditional row). */
export function decide<F>(section: DecisionSection<F>, facts: F): DecisionRow<F> {
  for (const row of section.rows) if (row.when(facts)) return row;
  throw new Error(`decision table "${section.subject}": no row matched`);
}

const SECTIONS: readonly DecisionSection<never>[] = [PAIR, UNLINKED_CONTACT, RELINK, HOLDERS, UNLINKED_RECORD] as never;

/** The table as docs/sync-rules.md prints it: one line per row, first match wins within a section. */
export function decisionTableMarkdown(): string {
  const lines = ["| subject | link | practice record | Outlook contact | decision | rule |", "| --- | --- | --- | --- | --- | --- |"];
  for (const s of SECTIONS) {
    for (const r of s.rows) {
      lines.push(`| ${s.subject} | ${r.link} | ${r.practice} | ${r.outlook} | \`${r.decision}\`: ${r.does} | ${r.rules.join(", ") || "—"} |`);
    }
  }
  return lines.join("\n");
}
