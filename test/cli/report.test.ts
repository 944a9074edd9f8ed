// The command line's one-line summary (src/cli/sync/report.ts).
import { summaryLine, type SyncReport } from "../../src/cli/sync/report";

const base: SyncReport = {
  outcome: "applied",
  exitCode: 0,
  dryRun: false,
  runId: "r1",
  folder: { mailbox: "contacts@firm.example", id: "f1" },
  filter: { id: null },
  planned: { "add:toOutlook": 5 },
  applied: { applied: 3, deferred: 2, failed: 0 },
  counts: {},
  conflicts: [],
  safety: null,
  errors: [],
  requests: { practice: 4, graph: 3 },
  durationMs: 1200,
  changes: [],
};

test("R14 rows not applied because their contact changed after the plan are named, with what to do", () => {
  const line = summaryLine({ ...base, applied: { applied: 3, deferred: 2, failed: 0, changedSincePlan: 2 } });
  expect(line).toContain("2 not applied because the contact changed after the plan");
  expect(line).toContain("run again to review them");
});

test("a run where nothing moved says nothing about it", () => {
  expect(summaryLine(base)).toBe("Applied 3 change(s), 2 deferred (4 practice + 3 Graph requests, 1.2 s).");
});
