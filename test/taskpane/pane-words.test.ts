// The pure words of the pane: field lines of a pending row, the safety stop's cause, the Status
// headline and counts, one clock for times, and the filter preview's counts and warnings.
import type { PlannedChange } from "../../src/sync/plan-types";
import { clockText, localizeTimes, timeText } from "../../src/taskpane/time-text";
import { criterionText, folderEffect, folderEffectText, previewDraft } from "../../src/taskpane/views/filters/filter-preview";
import { actionText, fieldLines, tidyText } from "../../src/taskpane/views/pending/pending-rows";
import { safetyCause } from "../../src/taskpane/views/pending/safety-words";
import { countsText, mergeHistory, statusHeadline, type HeadlineInput } from "../../src/taskpane/views/status/status-text";
import { change, practiceContacts, run } from "./helpers";

describe("pending row words", () => {
  it("names a blank-only change instead of showing X → X", () => {
    expect(tidyText("Alpine Logistics Inc. ", "Alpine Logistics Inc.")).toBe("trailing spaces removed");
    expect(tidyText("a  b", "a b")).toBe("extra spaces removed");
    expect(tidyText("   ", undefined)).toBe("blank value removed");
    expect(tidyText("Clerk", "Partner")).toBeNull();
    expect(tidyText(undefined, undefined)).toBeNull();
  });

  it("a cleared field says cleared, not (empty)", () => {
    const c = change("u", "update", "U", { fields: [{ field: "jobTitle", label: "Job title", target: "outlook", old: "Clerk", new: undefined }] });
    expect(fieldLines(c)).toEqual([{ key: "jobTitle:outlook:0", label: "Job title", value: null, old: "Clerk", new: "cleared", target: null }]);
  });

  it("an import from Outlook (R7) shows its values once, going to the practice system", () => {
    const c: PlannedChange = change("i", "add", "Imp", {
      direction: "toPractice",
      fields: [{ field: "companyName", label: "Company", target: "practice", old: undefined, new: "Acme" }],
    });
    expect(actionText(c)).toBe("Add to the practice system");
    expect(fieldLines(c)[0]).toMatchObject({ label: "Company", value: "Acme", old: null, new: null });
  });

  it("actions say what happens; only real removals say Remove", () => {
    expect(actionText(change("r", "remove", "R", { direction: "toOutlook" }))).toBe("Remove from Outlook");
    expect(actionText(change("r", "remove", "R", { direction: "none" }))).toBe("Stop syncing (practice record kept)");
    expect(actionText(change("r", "remove", "R", { direction: "toPractice" }))).toBe("Delete in the practice system");
    expect(actionText(change("c", "conflict"))).toBe("Needs your choice");
  });
});

describe("safety stop cause", () => {
  it("counts what the stopped plan would do, and says a folder already emptied is not a removal", () => {
    const stop = { reason: "This sync would change or remove 72 of 72 Outlook contacts.", side: "outlook" as const, affected: 72, total: 72 };
    const gone = Array.from({ length: 70 }, (_, i) => change(`g${i}`, "remove", `G${i}`, { direction: "none", fields: [] }));
    const upd = [change("u1", "update", "U1", { direction: "toOutlook", fields: [{ field: "jobTitle", label: "Job title", target: "outlook", old: "a", new: "b" }] })];
    const cause = safetyCause(stop, [...gone, ...upd, change("r", "remove", "R", { direction: "toOutlook", fields: [] })]);
    expect(cause.parts).toEqual([
      "1 contact would be removed from your Outlook folder (to Deleted Items).",
      "70 contacts are no longer in your Outlook folder; applying stops syncing them.",
      "1 contact would be overwritten in Outlook.",
    ]);
  });
});

describe("status words", () => {
  const base: HeadlineInput = { busy: null, pending: null, failure: null, latest: null, retryAt: null };

  it("counts in words, never codes; unknown keys by their group; running totals left out", () => {
    expect(countsText({ "add:both": 20, "remove:none": 1, "conflict:none": 1, linked: 193, excluded: 4 })).toBe(
      "20 added to Outlook, 1 no longer synced (deleted in Outlook), 1 conflicts resolved",
    );
    expect(countsText({ "update:sideways": 2, mystery: 5 })).toBe("2 updated");
    expect(countsText({ linked: 5 })).toBe("");
  });

  it("the headline: not synchronized, up to date, applied, partial, failed, stopped", () => {
    expect(statusHeadline(base).title).toBe("Not synchronized yet");
    expect(statusHeadline({ ...base, latest: run("a", { counts: { linked: 3 } }) }).title).toBe("Up to date");
    expect(statusHeadline({ ...base, latest: run("a", { counts: { "add:toOutlook": 1 } }) }).title).toBe("1 change applied");
    const partial = statusHeadline({ ...base, latest: run("a", { status: "partial", counts: { "add:toOutlook": 4, failed: 2 } }) });
    expect([partial.title, partial.action]).toEqual(["4 changes applied, 2 failed", "retry"]);
    const failed = statusHeadline({ ...base, latest: run("a", { status: "failed", counts: {}, message: "Could not read (practice): The practice API answered 503." }) });
    expect(failed.title).toBe("Couldn't reach the practice system");
    expect(failed.title + failed.detail).not.toContain("503");
    expect(failed.technical).toContain("503");
    expect(statusHeadline({ ...base, busy: "planning", latest: run("a") }).title).toBe("Syncing…");
  });

  it("History merges the pane's records with the engine's, the engine's winning for the same run", () => {
    const merged = mergeHistory(
      [run("same", { status: "stopped", finishedAt: "2026-11-25T06:00:00Z" }), run("old", { finishedAt: "2026-11-24T06:00:00Z" })],
      [run("same", { status: "cancelled", finishedAt: "2026-11-25T06:00:00Z" }), run("new", { finishedAt: "2026-11-26T06:00:00Z" })],
    );
    expect(merged.map((r) => `${r.id}:${r.status}`)).toEqual(["new:ok", "same:stopped", "old:ok"]);
  });
});

describe("one clock", () => {
  it("rewrites the engine's UTC stamps in a sentence to the same local format as everything else", () => {
    const iso = "2026-12-02T20:03:00.000Z";
    expect(localizeTimes("Changed in Outlook on 2026-12-02 20:03 UTC; kept.")).toBe(`Changed in Outlook on ${timeText(iso)}; kept.`);
    expect(localizeTimes("No stamp here.")).toBe("No stamp here.");
    expect(clockText(Date.parse(iso))).toMatch(/\d/);
  });
});

describe("filter preview", () => {
  const staff = [
    { id: "s1", name: "Jo Partner" },
    { id: "s2", name: "Anna Lindqvist" },
  ];
  const draft = (values: string[], field = "partnerId", method: "equals" | "list" = "equals") => ({
    id: null,
    name: "",
    match: "all" as const,
    criteria: [{ key: "k", field, method, values }],
  });

  it("counts matches with the engine's evaluation and flags a name typed where a person is wanted", () => {
    expect(previewDraft(draft(["s1"]), practiceContacts, staff).matches).toBe(3);
    const typed = previewDraft(draft(["Anna Lindqvist"]), practiceContacts, staff);
    expect(typed.matches).toBe(0);
    expect(typed.warnings.get(0)).toBe("This is not one of the firm's staff: pick a person from the list.");
  });

  it("says who leaves and joins the folder when the filter in use changes", () => {
    const jo = { name: "Jo", match: "all" as const, criteria: [{ field: "partnerId", method: "equals" as const, values: ["s1"] }] };
    const anna = { ...jo, criteria: [{ field: "partnerId", method: "equals" as const, values: ["s2"] }] };
    const effect = folderEffect(jo, anna, practiceContacts);
    expect(effect).toEqual({ leaving: 3, joining: 2 });
    expect(folderEffectText(effect)).toBe("3 contacts will leave your Outlook folder (to Deleted Items), 2 will be added.");
    expect(folderEffectText({ leaving: 0, joining: 0 })).toBe("Your Outlook folder will not change.");
  });

  it("describes a criterion with people's names", () => {
    expect(criterionText({ field: "partnerId", method: "list", values: ["s2", "gone"] }, "Partner", staff)).toBe("Partner is one of Anna Lindqvist, an unknown person");
    expect(criterionText({ field: "office", method: "beginsWith", values: ["Os"] }, "Office", staff)).toBe("Office begins with “Os”");
  });
});
