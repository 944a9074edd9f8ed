/** @jest-environment jsdom */
import { act, fireEvent, screen, within } from "@testing-library/react";
import type { SyncController } from "../../src/taskpane/hooks/useSyncController";
import { StatusView } from "../../src/taskpane/views/status/StatusView";
import { clockText, timeText } from "../../src/taskpane/time-text";
import { FakeSession, change, plan, renderPane, result, run } from "./helpers";

function controller(extra: Partial<SyncController> = {}): StatusViewController {
  return {
    busy: null,
    progress: null,
    pending: null,
    lastResult: null,
    lastCheckedAt: null,
    error: null,
    failure: null,
    localRuns: [],
    runCount: 0,
    planErrors: [],
    syncNow: jest.fn(async () => "nothing" as const),
    cancel: jest.fn(),
    clearError: jest.fn(),
    ...extra,
  };
}
type StatusViewController = Parameters<typeof StatusView>[0]["controller"];

async function show(c: StatusViewController, session: FakeSession | null = new FakeSession()) {
  renderPane(
    <StatusView controller={c} session={session} folderPath="Contacts / Clients" autoSync={{ enabled: false, error: null }} onOpenSetup={jest.fn()} onOpenPending={jest.fn()} />,
  );
  await act(async () => undefined); // let history and excluded load
  return session;
}

describe("StatusView", () => {
  it("Sync now starts a sync", async () => {
    const c = controller();
    await show(c);
    fireEvent.click(screen.getByTestId("sync-now"));
    expect(c.syncNow).toHaveBeenCalled();
  });

  it("shows progress with counts while busy, and Cancel", async () => {
    const c = controller({ busy: "applying", progress: { phase: "applying", done: 40, total: 200 } });
    await show(c);
    expect(screen.getByText("Applying changes: 40 of 200")).toBeTruthy();
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("0.2");
    expect((screen.getByTestId("sync-now") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("cancel-sync"));
    expect(c.cancel).toHaveBeenCalled();
  });

  it("lists every run in words, with the engine's and the pane's own records merged", async () => {
    const session = new FakeSession();
    session.runs = [
      run("r2", {
        startedAt: "2026-11-25T06:00:00.000Z",
        finishedAt: "2026-11-25T06:00:40.000Z",
        status: "partial",
        counts: { "add:toOutlook": 3, "add:both": 2, "remove:none": 1, linked: 120, failed: 1 },
        errors: [{ name: "Ada", code: "invalid", message: "Bad email." }],
      }),
      run("r1", { startedAt: "2026-11-24T06:00:00.000Z", finishedAt: "2026-11-24T06:00:01.000Z", counts: { linked: 117 } }),
    ];
    // A later check that found nothing (the engine does not record it).
    const localRuns = [run("r3", { startedAt: "2026-11-25T07:00:00.000Z", finishedAt: "2026-11-25T07:00:01.000Z", counts: { linked: 120 } })];
    await show(controller({ localRuns }), session);
    const history = await screen.findByRole("list", { name: "Sync history" });
    const items = Array.from(history.children) as HTMLElement[];
    expect(items).toHaveLength(3);
    expect(items[0].textContent).toContain("Up to date");
    expect(items[1].textContent).toContain("Some changes failed");
    expect(items[1].textContent).toContain("5 added to Outlook, 1 no longer synced (deleted in Outlook), 1 failed");
    // No codes and no running totals in the words.
    expect(history.textContent).not.toMatch(/add:|remove:|linked/);
    expect(within(items[1]).getByText("Details")).toBeTruthy();
    expect(items[1].textContent).toContain("Ada: Bad email.");
    expect(items[2].textContent).toContain("Up to date");
    // The headline is the latest run, with the same time as its history line (one clock).
    expect(screen.getByTestId("status-title-text").textContent).toBe("Up to date");
    const at = timeText("2026-11-25T07:00:01.000Z");
    expect(screen.getByTestId("status-headline").textContent).toContain(`Last checked ${at}`);
    expect(items[0].textContent).toContain(at);
    expect(screen.getByTestId("status-headline").textContent).toContain("120 contacts in sync");
  });

  it("a success after a failure reads as success: the failed run does not stay on top", async () => {
    const session = new FakeSession();
    session.runs = [run("bad", { status: "failed", counts: {}, message: "Could not write contacts (Outlook): HTTP 503 serviceNotAvailable", finishedAt: "2026-11-25T06:00:00.000Z" })];
    await show(controller({ localRuns: [run("good", { finishedAt: "2026-11-25T06:05:00.000Z", counts: { "update:toOutlook": 12, linked: 40 } })] }), session);
    await screen.findByRole("list", { name: "Sync history" });
    expect(screen.getByTestId("status-title-text").textContent).toBe("12 changes applied");
    expect(screen.getByTestId("status-headline").getAttribute("data-tone")).toBe("success");
  });

  it("a failure says which side in words; the HTTP status is only behind Details; automatic sync says when it retries", async () => {
    const c = controller({
      error: "Could not read contacts (Outlook): HTTP 503 serviceNotAvailable",
      failure: { kind: "outlook", message: "Could not read contacts (Outlook): HTTP 503 serviceNotAvailable" },
    });
    const retryAt = Date.parse("2026-11-25T10:42:00Z");
    renderPane(
      <StatusView controller={c} session={new FakeSession()} folderPath="Contacts" autoSync={{ enabled: true, error: "x", retryAt }} onOpenSetup={jest.fn()} onOpenPending={jest.fn()} />,
    );
    await act(async () => undefined);
    const head = screen.getByTestId("status-headline");
    expect(screen.getByTestId("status-title-text").textContent).toBe("Couldn't reach Outlook");
    expect(head.textContent).toContain(`Will retry at ${clockText(retryAt)}`);
    const details = screen.getByTestId("status-details");
    expect(details.tagName).toBe("DETAILS");
    expect(details.textContent).toContain("HTTP 503");
    // Outside the closed disclosure, no status code.
    const visible = head.textContent!.replace(details.textContent!, "");
    expect(visible).not.toMatch(/HTTP|503/);
    fireEvent.click(within(head).getByRole("button", { name: "Try again" }));
    expect(c.syncNow).toHaveBeenCalled();
  });

  it("a deleted filter names no id and offers Setup", async () => {
    const onOpenSetup = jest.fn();
    const message = 'The contact filter "filter-demo-5" no longer exists. Choose another filter (or all contacts) in setup.';
    renderPane(
      <StatusView
        controller={controller({ error: message, failure: { kind: "filter", message } })}
        session={new FakeSession()}
        folderPath="Contacts"
        autoSync={{ enabled: false, error: null }}
        onOpenSetup={onOpenSetup}
        onOpenPending={jest.fn()}
      />,
    );
    await act(async () => undefined);
    expect(screen.getByTestId("status-title-text").textContent).toBe("Your contact filter was deleted");
    expect(screen.getByTestId("status-view").textContent).not.toContain("filter-demo-5");
    fireEvent.click(screen.getByTestId("open-setup"));
    expect(onOpenSetup).toHaveBeenCalled();
  });

  it("a run stopped by the safety valve says why with numbers and offers the review", async () => {
    const safety = { reason: "This sync would change or remove 2 of 3 Outlook contacts.", side: "outlook" as const, affected: 2, total: 3 };
    const stopped = plan([change("r1", "remove", "A", { direction: "toOutlook" }), change("r2", "remove", "B", { direction: "toOutlook" })], { safety });
    const onOpenPending = jest.fn();
    renderPane(
      <StatusView controller={controller({ pending: stopped })} session={new FakeSession()} folderPath="Contacts" autoSync={{ enabled: false, error: null }} onOpenSetup={jest.fn()} onOpenPending={onOpenPending} />,
    );
    await act(async () => undefined);
    expect(screen.getByTestId("status-title-text").textContent).toBe("Stopped: 2 contacts would be removed from your Outlook folder (to Deleted Items).");
    fireEvent.click(screen.getByRole("button", { name: "Review" }));
    expect(onOpenPending).toHaveBeenCalled();
  });

  it("history shows a stopped run and a review closed without applying", async () => {
    const localRuns = [
      run("r2", { status: "cancelled", finishedAt: "2026-11-25T08:00:00.000Z", counts: {}, message: "Closed without applying; the changes come back at the next sync." }),
      run("r1", { status: "stopped", finishedAt: "2026-11-25T07:00:00.000Z", counts: {}, message: "This sync would change or remove 30 of 70 Outlook contacts." }),
    ];
    await show(controller({ localRuns }));
    const items = within(await screen.findByRole("list", { name: "Sync history" })).getAllByRole("listitem");
    expect(items[0].textContent).toContain("Cancelled");
    expect(items[1].textContent).toContain("Stopped for your confirmation");
    expect(screen.getByTestId("status-title-text").textContent).toBe("Review closed without applying");
  });

  it("lists per-contact errors, each with Retry (named by its label, described by the contact)", async () => {
    const c = controller({
      lastResult: result({ failed: [{ practiceId: "p1", name: "<img src=x onerror=alert(1)>", code: "invalid", message: "Outlook refused the birthday." }] }),
    });
    await show(c);
    const failed = await screen.findByRole("list", { name: "Contacts that failed" });
    expect(failed.textContent).toContain("Outlook refused the birthday.");
    expect(failed.querySelector("img")).toBeNull();
    expect(failed.textContent).toContain("<img src=x onerror=alert(1)>");
    const retry = within(failed).getByRole("button", { name: "Retry" });
    expect(retry.getAttribute("aria-describedby")).toBeTruthy();
    fireEvent.click(retry);
    expect(c.syncNow).toHaveBeenCalled();
  });

  it("lists contacts the last plan could not handle, once each", async () => {
    const err = { outlookId: "o1", name: "Broken Card", code: "invalid" as const, message: "Outlook sent a birthday that is not a date." };
    await show(controller({ planErrors: [err], lastResult: result({ failed: [err] }) }));
    const failed = await screen.findByRole("list", { name: "Contacts that failed" });
    expect(within(failed).getAllByRole("listitem")).toHaveLength(1);
    expect(failed.textContent).toContain("not a date");
  });

  it("includes an excluded contact again and says it returns at the next sync", async () => {
    const session = new FakeSession();
    session.excludedLinks = [
      { practiceId: "p9", outlookId: "o9", base: { displayName: "Grace Hopper" }, practiceVersion: "1", outlookChangeKey: "k", origin: "practice", state: "excluded", updatedAt: "2026-11-20T00:00:00Z" },
    ];
    await show(controller(), session);
    const list = await screen.findByRole("list", { name: "Excluded contacts" });
    // WCAG 2.5.3: the accessible name is the visible label.
    await act(async () => fireEvent.click(within(list).getByRole("button", { name: "Include again" })));
    expect(session.included).toEqual(["p9"]);
    expect(screen.getByTestId("included-note").textContent).toBe("Grace Hopper will be added to your Outlook folder again at the next sync.");
    expect(await screen.findByText(/A contact you delete in Outlook is listed here/)).toBeTruthy();
  });

  it("without a folder, points to Setup", async () => {
    await show(controller(), null);
    expect(screen.getByTestId("open-setup")).toBeTruthy();
  });
});
