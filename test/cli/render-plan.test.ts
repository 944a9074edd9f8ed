import { formatValue, renderPlan } from "../../src/cli/sync/render-plan";
import { countPlanned, summaryLine, type SyncReport } from "../../src/cli/sync/report";
import type { PlannedChange, SyncPlan } from "../../src/sync/plan-types";

const change = (over: Partial<PlannedChange>): PlannedChange => ({
  id: "c1",
  group: "update",
  direction: "toOutlook",
  name: "Ann Smith",
  fields: [],
  rule: "R5",
  reason: "Changed in the practice system.",
  notes: [],
  ...over,
});

const plan = (changes: PlannedChange[], extra: Partial<SyncPlan> = {}): SyncPlan => ({
  runId: "r1",
  createdAt: "2026-11-25T06:00:00.000Z",
  changes,
  safety: null,
  counts: { linked: 3, excluded: 0, conflicts: 0 },
  errors: [],
  ...extra,
});

describe("renderPlan", () => {
  test("groups rows as the pane does, with direction, fields old -> new, reason and notes", () => {
    const text = renderPlan(
      plan([
        change({ id: "u", fields: [{ field: "jobTitle", label: "Job title", target: "outlook", old: "Clerk", new: "Partner" }] }),
        change({ id: "a", group: "add", direction: "toPractice", name: "Bob Jones", rule: "R7", reason: "New in Outlook." }),
        change({
          id: "x",
          group: "conflict",
          direction: "none",
          name: "Cy Twombly",
          rule: "R11",
          reason: "Edited in Outlook, deleted in the practice system.",
          notes: ["4th email kept in the practice system: Outlook holds 3."],
        }),
      ]),
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe("Add (1)");
    expect(lines[1]).toContain("Bob Jones  [Outlook -> practice, R7]");
    expect(text).toMatch(/Update \(1\)\n {2}Ann Smith {2}\[practice -> Outlook, R5\]\n {6}Job title: Clerk -> Partner {2}\(in Outlook\)\n {6}why: Changed/);
    expect(text).toMatch(/Conflicts .*\(1\)/);
    expect(text).toContain("note: 4th email kept");
    expect(text.indexOf("Add (1)")).toBeLessThan(text.indexOf("Update (1)"));
  });

  test("says so when there is nothing to do, and shows the safety stop", () => {
    expect(renderPlan(plan([]))).toContain("No pending changes");
    const stopped = renderPlan(plan([], { safety: { reason: "would remove 40 % of Outlook", side: "outlook", affected: 40, total: 100 } }));
    expect(stopped).toMatch(/Safety stop \(R15\): would remove 40 % of Outlook \(40 of 100 outlook contacts\)\. Use --force/);
  });

  test("long groups are cut with a count of the rest", () => {
    const many = Array.from({ length: 5 }, (_, i) => change({ id: `c${i}`, group: "add", name: `N${i}` }));
    const text = renderPlan(plan(many), { maxRowsPerGroup: 2 });
    expect(text).toContain("... and 3 more");
    expect(text).not.toContain("N4");
  });

  test("values read as people write them", () => {
    expect(formatValue(undefined)).toBe("(empty)");
    expect(formatValue("")).toBe("(empty)");
    expect(formatValue([{ name: "Ann", address: "ann@x.test" }, { address: "b@x.test" }])).toBe("Ann <ann@x.test>; b@x.test");
    expect(formatValue({ street: "1 Main St\nSuite 2", city: "Leeds" })).toBe("1 Main St / Suite 2, Leeds");
    expect(formatValue("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
  });
});

describe("report helpers", () => {
  test("planned changes are counted per action and direction", () => {
    expect(
      countPlanned([change({ id: "1" }), change({ id: "2" }), change({ id: "3", group: "add", direction: "toPractice" })]),
    ).toEqual({ "update:toOutlook": 2, "add:toPractice": 1 });
  });

  test("the summary line names what happened and what it cost", () => {
    const base: SyncReport = {
      outcome: "applied",
      exitCode: 0,
      dryRun: false,
      runId: "r",
      folder: { mailbox: "me", id: "f" },
      filter: { id: null },
      planned: { "add:toOutlook": 2 },
      applied: { applied: 2, deferred: 0, failed: 0 },
      counts: {},
      conflicts: [],
      safety: null,
      errors: [],
      requests: { practice: 3, graph: 2 },
      durationMs: 1500,
      changes: [],
    };
    expect(summaryLine(base)).toBe("Applied 2 change(s), 0 deferred (3 practice + 2 Graph requests, 1.5 s).");
    expect(summaryLine({ ...base, outcome: "planned" })).toMatch(/^Dry run: 2 pending change\(s\), nothing written/);
    expect(summaryLine({ ...base, outcome: "no-changes" })).toMatch(/^Nothing to do/);
  });
});
