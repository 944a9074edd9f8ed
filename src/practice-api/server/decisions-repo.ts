// A user's decisions per Outlook folder (R2, R10): kept here so that every device of that user sees them.
// One set per (firm, owner, folder); changes are set operations, so two devices writing at once lose nothing.
import type { FolderDecision, FolderDecisionsChange } from "../../sync/ports";
import type { Db } from "./db";

interface DecisionRow {
  practice_id: string;
  kind: FolderDecision["kind"];
  outlook_id: string;
  made: string | null;
  replaced_by: string | null;
  at: string;
}

/** Who a set belongs to, within a firm. */
export interface DecisionScope {
  firmId: string;
  owner: string;
  folderKey: string;
}

function toDecision(row: DecisionRow): FolderDecision {
  const d: FolderDecision = { practiceId: row.practice_id, kind: row.kind, at: row.at };
  if (row.outlook_id !== "") d.outlookId = row.outlook_id;
  if (row.made !== null) d.made = row.made;
  if (row.replaced_by !== null) d.replacedBy = row.replaced_by;
  return d;
}

export class DecisionsRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      list: db.prepare<[string, string, string], DecisionRow>(
        "SELECT practice_id, kind, outlook_id, made, replaced_by, at FROM folder_decisions WHERE firm_id = ? AND owner = ? AND folder_key = ? " +
          "ORDER BY practice_id, kind, outlook_id",
      ),
      count: db.prepare<[string, string, string], { n: number }>(
        "SELECT COUNT(*) AS n FROM folder_decisions WHERE firm_id = ? AND owner = ? AND folder_key = ?",
      ),
      remove: db.prepare("DELETE FROM folder_decisions WHERE firm_id = ? AND owner = ? AND folder_key = ? AND practice_id = ? AND kind = ?"),
      put: db.prepare(
        "INSERT INTO folder_decisions (firm_id, owner, folder_key, practice_id, kind, outlook_id, made, replaced_by, at) " +
          "VALUES (@firmId, @owner, @folderKey, @practiceId, @kind, @outlookId, @made, @replacedBy, @at) " +
          "ON CONFLICT (firm_id, owner, folder_key, practice_id, kind, outlook_id) " +
          "DO UPDATE SET made = excluded.made, replaced_by = excluded.replaced_by, at = excluded.at",
      ),
    };
  }

  list(s: DecisionScope): FolderDecision[] {
    return this.stmts.list.all(s.firmId, s.owner, s.folderKey).map(toDecision);
  }

  count(s: DecisionScope): number {
    return this.stmts.count.get(s.firmId, s.owner, s.folderKey)?.n ?? 0;
  }

  /**
   * Removes first, then puts (as the port describes). The caller runs this inside a transaction, with any
   * limit check after it, so a refused change leaves nothing behind.
   */
  apply(s: DecisionScope, change: FolderDecisionsChange): void {
    for (const r of change.remove ?? []) this.stmts.remove.run(s.firmId, s.owner, s.folderKey, r.practiceId, r.kind);
    for (const d of change.put ?? []) {
      this.stmts.put.run({
        ...s,
        practiceId: d.practiceId,
        kind: d.kind,
        outlookId: d.outlookId ?? "",
        made: d.made ?? null,
        replacedBy: d.replacedBy ?? null,
        at: d.at,
      });
    }
  }
}
