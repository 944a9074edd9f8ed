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
  it("groups rows as add, update, remove, conflict with a header per group", () => {
    setup(plan([change("c1", "conflict"), change("u1", "update"), change("a1", "add"), change("r1", "remove")]));
    const list = screen.getByTestId("pending-list");
    const headings = within(list).getAllByRole("heading").map((h) => h.textContent);
    expect(headings).toEqual(["Add (1)", "Update (1)", "Remove (1)", "Conflict (1)"]);
    const order = within(list).getAllByTestId("pending-row").map((r) => r.getAttribute("data-change-id"));
    expect(order).toEqual(["a1", "u1", "r1", "c1"]);
  });

  it("shows direction, fields old → new, reason and notes as text", () => {
    setup(plan([change("u1", "update", "Ada Lovelace", { notes: ["4th email kept in the practice system."] })]));
    const row = screen.getByTestId("pending-row");
    expect(row.textContent).toContain("Outlook → Practice");
    expect(row.textContent).toContain("Job title: Clerk → Partner");
    expect(row.textContent).toContain("Reason for u1.");
    expect(row.textContent).toContain("4th email kept in the practice system.");
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
    const { onApply } = setup(plan([change("r1", "remove"), change("r2", "remove")], { safety }));
    fireEvent.click(screen.getByTestId("apply-changes"));
    expect(onApply).not.toHaveBeenCalled();
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog.textContent).toContain("40 of 50 contacts in the Outlook folder");
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
    expect(screen.getByTestId("pending-summary").textContent).toContain("9999 of 10000");
    fireEvent.click(screen.getByTestId("apply-changes"));
    const sel: Set<string> = onApply.mock.calls[0][0].selected;
    expect(sel.size).toBe(9999);
    expect(sel.has("u3")).toBe(false);
  });
});
