// The decisions table across the migration that added replacedBy: decisions written before it read back
// unchanged, and a retired decision then carries the record its contact became.
import Database from "better-sqlite3";
import { migrate } from "../../../src/practice-api/server/db";
import { DecisionsRepo } from "../../../src/practice-api/server/decisions-repo";

test("decisions taken before replacedBy existed survive the migration; new ones carry it", () => {
  const db = new Database(":memory:");
  migrate(db, 6);
  db.prepare("INSERT INTO firms (id, name) VALUES ('f', 'F')").run();
  db.prepare(
    "INSERT INTO folder_decisions (firm_id, owner, folder_key, practice_id, kind, outlook_id, made, at) VALUES ('f', 's', 'k', 'p1', 'retired', 'o1', 'm1', '2026-12-01T10:00:00Z')",
  ).run();
  migrate(db);
  const repo = new DecisionsRepo(db);
  const scope = { firmId: "f", owner: "s", folderKey: "k" };
  expect(repo.list(scope)).toEqual([{ practiceId: "p1", kind: "retired", outlookId: "o1", made: "m1", at: "2026-12-01T10:00:00Z" }]);
  repo.apply(scope, { put: [{ practiceId: "p1", kind: "retired", outlookId: "o2", replacedBy: "p2", at: "2026-12-02T10:00:00Z" }] });
  expect(repo.list(scope)).toEqual([
    { practiceId: "p1", kind: "retired", outlookId: "o1", made: "m1", at: "2026-12-01T10:00:00Z" },
    { practiceId: "p1", kind: "retired", outlookId: "o2", replacedBy: "p2", at: "2026-12-02T10:00:00Z" },
  ]);
  db.close();
});
