/** @jest-environment jsdom */
import { act, fireEvent, screen, within } from "@testing-library/react";
import { PendingChangesView } from "../../src/taskpane/views/pending/PendingChangesView";
import { change, plan, renderPane } from "./helpers";

function setup(p = plan([change("a1", "add"), change("u1", "update"), change("u2", "update"), change("c1", "conflict")])) {
  const onApply = jest.fn();
  const onCancel = jest.fn();
  renderPane(<PendingChangesView plan={p} applying={false} onApply={onApply} onCancel={onCancel} />);
  return { onApply, onCancel };
}

describe("PendingChangesView", () => {
  it("shows group counts first, then conflicts and removals before updates and adds", () => {
    setup(
      plan([
        change("a1", "add"),
        change("u1", "update"),
        change("r1", "remove", "Gone Folder", { direction: "toOutlook", fields: [] }),
        change("x1", "remove", "Deleted In Outlook", { direction: "none", fields: [] }),
        change("c1", "conflict"),
      ]),
    );
    const summary = screen.getByRole("list", { name: "Summary of changes" });
    expect(within(summary).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "1 conflict",
      "1 to remove from Outlook",
      "1 to stop syncing",
      "1 update",
      "1 add",
    ]);
    const list = screen.getByTestId("pending-list");
    const headings = within(list).getAllByRole("heading").map((h) => h.textContent);
    expect(headings).toEqual(["Conflict (1)", "Remove from Outlook (1)", "Stop syncing (1)", "Update (1)", "Add (1)"]);
    const order = within(list).getAllByTestId("pending-row").map((r) => r.getAttribute("data-change-id"));
    expect(order).toEqual(["c1", "r1", "x1", "u1", "a1"]);
  });

  it("a contact deleted in Outlook whose practice record is kept says Stop syncing, never Remove", () => {
    setup(plan([change("x1", "remove", "Margaret", { direction: "none", fields: [] })]));
    const row = screen.getByTestId("pending-row");
    expect(within(row).getByTestId("row-action").textContent).toBe("Stop syncing (practice record kept)");
    expect(row.textContent).not.toMatch(/remove/i);
  });

  it("each row is one line that expands to its fields and reason", () => {
    setup(plan([change("u1", "update", "Ada Lovelace", { notes: ["4th email kept in the practice system."] })]));
    const row = screen.getByTestId("pending-row");
    expect(within(row).getByTestId("row-action").textContent).toBe("Update 1 field to the practice system");
    expect(row.textContent).not.toContain("Clerk");
    expect(row.textContent).toContain("4th email kept in the practice system.");
    fireEvent.click(within(row).getByRole("button", { name: "Details of Ada Lovelace" }));
    expect(row.textContent).toContain("Job title: Clerk → Partner");
    expect(row.textContent).toContain("Reason for u1.");
    const hide = within(row).getByRole("button", { name: "Hide details of Ada Lovelace" });
    expect(hide.getAttribute("aria-expanded")).toBe("true");
    // From the keyboard: Left on the row's checkbox hides the details, Right shows them.
    const box = within(row).getByRole("checkbox", { name: "Select Ada Lovelace" });
    fireEvent.keyDown(box, { key: "ArrowLeft" });
    expect(row.textContent).not.toContain("Clerk");
    fireEvent.keyDown(box, { key: "ArrowRight" });
    expect(row.textContent).toContain("Job title: Clerk → Partner");
  });

  it("an add shows its values once; a blank fix says what it is; a two-way update says each field's direction", () => {
    setup(
      plan([
        change("a1", "add", "Alpine Logistics Inc.", {
          direction: "both",
          fields: [
            { field: "companyName", label: "Company", target: "outlook", old: undefined, new: "Alpine Logistics Inc." },
            { field: "companyName", label: "Company", target: "practice", old: "Alpine Logistics Inc.  ", new: "Alpine Logistics Inc." },
          ],
        }),
        change("u1", "update", "Bo Both", {
          direction: "both",
          fields: [
            { field: "jobTitle", label: "Job title", target: "outlook", old: "Clerk", new: "Partner" },
            { field: "mobilePhone", label: "Mobile phone", target: "practice", old: "1", new: "2" },
          ],
        }),
      ]),
    );
    for (const b of screen.getAllByRole("button", { name: /^Details of / })) fireEvent.click(b);
    const [update, add] = screen.getAllByTestId("pending-row");
    const addLines = within(add).getAllByRole("listitem").map((li) => li.textContent);
    expect(addLines).toEqual(["Company: Alpine Logistics Inc. (to Outlook)", "Company: trailing spaces removed (to the practice system)"]);
    expect(add.textContent).not.toContain("(empty)");
    expect(add.textContent).not.toContain("→");
    const updateLines = within(update).getAllByRole("listitem").map((li) => li.textContent);
    expect(updateLines).toEqual(["Job title: Clerk → Partner (to Outlook)", "Mobile phone: 1 → 2 (to the practice system)"]);
  });

  it("two rows with the same name are told apart by an email, never an id", () => {
    const email = (a: string) => [{ field: "emailAddresses" as const, label: "Email", target: "outlook" as const, old: undefined, new: [{ address: a }] }];
    setup(plan([change("a1", "add", "Yusuf Rønning", { fields: email("y1@x.example") }), change("a2", "add", "Yusuf Rønning", { fields: email("y2@x.example") })]));
    const rows = screen.getAllByTestId("pending-row");
    expect(rows[0].textContent).toContain("y1@x.example");
    expect(rows[1].textContent).toContain("y2@x.example");
    expect(rows.map((r) => r.textContent).join(" ")).not.toContain("p-a1");
  });

  it("applies every row except the one deselected", () => {
    const { onApply } = setup();
    fireEvent.click(screen.getByRole("checkbox", { name: "Select Contact u1" }));
    expect(screen.getByTestId("pending-summary").textContent).toContain("3 of 4 changes selected");
    fireEvent.click(screen.getByTestId("apply-changes"));
    expect(onApply).toHaveBeenCalledTimes(1);
    const req = onApply.mock.calls[0][0];
    expect([...req.selected].sort()).toEqual(["a1", "c1", "u2"]);
    expect(req.resolutions).toEqual({ c1: "keep" });
    expect(req.force).toBeUndefined();
  });

  it("a group checkbox deselects and reselects the whole group, mixed in between", () => {
    const { onApply } = setup();
    const group = screen.getByRole("checkbox", { name: "Select all updates" });
    fireEvent.click(screen.getByRole("checkbox", { name: "Select Contact u1" }));
    expect(group).toHaveProperty("indeterminate", true);
    fireEvent.click(group); // mixed -> all selected
    expect(screen.getByTestId("pending-summary").textContent).toContain("4 of 4");
    fireEvent.click(group); // all -> none
    expect(screen.getByTestId("pending-summary").textContent).toContain("2 of 4");
    fireEvent.click(screen.getByTestId("apply-changes"));
    expect([...onApply.mock.calls[0][0].selected].sort()).toEqual(["a1", "c1"]);
  });

  it("passes the conflict choice", () => {
    const { onApply } = setup();
    const choice = screen.getByRole("radiogroup", { name: "Resolution for Contact c1" });
    fireEvent.click(within(choice).getByRole("radio", { name: "Delete" }));
    fireEvent.click(screen.getByTestId("apply-changes"));
    expect(onApply.mock.calls[0][0].resolutions).toEqual({ c1: "delete" });
  });

  it("shows why an apply failed, keeping the list", () => {
    renderPane(<PendingChangesView plan={plan([change("a1", "add")])} applying={false} error="This plan is out of date." onApply={jest.fn()} onCancel={jest.fn()} />);
    expect(screen.getByTestId("apply-error").textContent).toContain("This plan is out of date.");
    expect(screen.getAllByTestId("pending-row")).toHaveLength(1);
  });

  it("Cancel applies nothing", () => {
    const { onApply, onCancel } = setup();
    fireEvent.click(screen.getByTestId("cancel-changes"));
    expect(onCancel).toHaveBeenCalled();
    expect(onApply).not.toHaveBeenCalled();
  });

  it("a safety stop needs the dialog's confirmation, which passes force", async () => {
    const safety = { reason: "This run would remove 40 of 50 Outlook contacts.", side: "outlook" as const, affected: 40, total: 50 };
    const { onApply } = setup(
      plan([change("r1", "remove", "R1", { direction: "toOutlook" }), change("r2", "remove", "R2", { direction: "toOutlook" })], { safety }),
    );
    fireEvent.click(screen.getByTestId("apply-changes"));
    expect(onApply).not.toHaveBeenCalled();
    const dialog = await screen.findByRole("alertdialog");
    // The cause, with numbers, once; the safe choice has the focus (one Enter does not apply).
    expect(screen.getByTestId("safety-cause").textContent).toBe("2 contacts would be removed from your Outlook folder (to Deleted Items).");
    expect(dialog.textContent).toContain("This run would remove 40 of 50 Outlook contacts.");
    // The dialog focuses its first focusable element (checked in Chromium by test/e2e/focus.test.ts).
    expect(within(dialog).getAllByRole("button").map((b) => b.textContent)).toEqual(["Don't apply", "Apply anyway"]);
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Don't apply" })));
    expect(onApply).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("apply-changes"));
    fireEvent.click(await screen.findByTestId("safety-confirm"));
    expect(onApply).toHaveBeenCalledTimes(1);
    expect(onApply.mock.calls[0][0].force).toBe(true);
  });

  it("renders a script-like contact name as text, never as markup", () => {
    const evil = "<img src=x onerror=alert(1)>";
    setup(plan([change("x1", "add", evil, { fields: [{ field: "companyName", label: "Company", target: "outlook", old: undefined, new: evil }] })]));
    const row = screen.getByTestId("pending-row");
    expect(row.querySelector("img")).toBeNull();
    expect(row.textContent).toContain(evil);
    expect(screen.getByRole("checkbox", { name: `Select ${evil}` })).toBeTruthy();
  });

  it("keeps 10,000 rows virtualized: only a window of rows is in the DOM", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => change(`u${i}`, "update"));
    const { onApply } = setup(plan(many));
    const rendered = screen.getAllByTestId("pending-row").length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
    fireEvent.click(screen.getByRole("checkbox", { name: "Select Contact u3" }));
    expect(screen.getByTestId("pending-summary").textContent).toContain("9,999 of 10,000");
    fireEvent.click(screen.getByTestId("apply-changes"));
    const sel: Set<string> = onApply.mock.calls[0][0].selected;
    expect(sel.size).toBe(9999);
    expect(sel.has("u3")).toBe(false);
  });
});
