/** @jest-environment jsdom */
import { act, fireEvent, screen, within } from "@testing-library/react";
import type { SyncController } from "../../src/taskpane/hooks/useSyncController";
import { StatusView } from "../../src/taskpane/views/status/StatusView";
import { FakeSession, renderPane, result, run } from "./helpers";

function controller(extra: Partial<SyncController> = {}): StatusViewController {
  return {
    busy: null,
    progress: null,
    pending: null,
    lastResult: null,
    lastCheckedAt: null,
    error: null,
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

  it("lists the history of runs and the last run", async () => {
    const session = new FakeSession();
    session.runs = [
      run("r2", { status: "partial", counts: { "add:toOutlook": 3, linked: 120, failed: 1 }, errors: [{ name: "Ada", code: "invalid", message: "Bad email." }] }),
      run("r1", { startedAt: "2026-11-24T06:00:00.000Z", counts: { linked: 117 } }),
    ];
    await show(controller(), session);
    const history = await screen.findByRole("list", { name: "Sync history" });
    const items = Array.from(history.children) as HTMLElement[];
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain("Completed with errors");
    expect(items[0].textContent).toContain("3 added to Outlook, 120 linked, 1 failed; 1 error");
    expect(items[1].textContent).toContain("117 linked");
    expect(within(items[0]).getByText("Show errors")).toBeTruthy();
    expect(items[0].textContent).toContain("Ada: Bad email.");
    expect(screen.getByTestId("last-run").textContent).toContain("Completed with errors");
  });

  it("lists per-contact errors, each with Retry", async () => {
    const c = controller({
      lastResult: result({ failed: [{ practiceId: "p1", name: "<img src=x onerror=alert(1)>", code: "invalid", message: "Outlook refused the birthday." }] }),
    });
    await show(c);
    const failed = await screen.findByRole("list", { name: "Failed contacts" });
    expect(failed.textContent).toContain("Outlook refused the birthday.");
    expect(failed.querySelector("img")).toBeNull();
    expect(failed.textContent).toContain("<img src=x onerror=alert(1)>");
    fireEvent.click(within(failed).getByRole("button", { name: "Retry <img src=x onerror=alert(1)>" }));
    expect(c.syncNow).toHaveBeenCalled();
  });

  it("lists contacts the last plan could not handle, once each", async () => {
    const err = { outlookId: "o1", name: "Broken Card", code: "invalid" as const, message: "Outlook sent a birthday that is not a date." };
    await show(controller({ planErrors: [err], lastResult: result({ failed: [err] }) }));
    const failed = await screen.findByRole("list", { name: "Failed contacts" });
    expect(within(failed).getAllByRole("listitem")).toHaveLength(1);
    expect(failed.textContent).toContain("not a date");
  });

  it("lists excluded contacts and includes one again", async () => {
    const session = new FakeSession();
    session.excludedLinks = [
      { practiceId: "p9", outlookId: "o9", base: { displayName: "Grace Hopper" }, practiceVersion: "1", outlookChangeKey: "k", origin: "practice", state: "excluded", updatedAt: "2026-11-20T00:00:00Z" },
    ];
    await show(controller(), session);
    const list = await screen.findByRole("list", { name: "Excluded contacts" });
    await act(async () => fireEvent.click(within(list).getByRole("button", { name: "Include Grace Hopper again" })));
    expect(session.included).toEqual(["p9"]);
    expect(await screen.findByText(/A contact deleted in Outlook is listed here/)).toBeTruthy();
  });

  it("shows a stopped sync's reason", async () => {
    await show(controller({ error: "The practice system is not answering (HTTP 503)." }));
    expect(screen.getByTestId("sync-error").textContent).toContain("HTTP 503");
  });

  it("without a folder, points to Setup", async () => {
    await show(controller(), null);
    expect(screen.getByTestId("open-setup")).toBeTruthy();
  });
});
