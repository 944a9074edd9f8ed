/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { PaneRoot } from "../../src/taskpane/App";
import type { ThemeName } from "../../src/taskpane/services";
import { change, configuredSettings, fakeServices, plan, result } from "./helpers";

async function settle() {
  await act(async () => undefined);
}

describe("the pane end to end (fake services)", () => {
  it("setup → sync → pending list → deselect one row → apply", async () => {
    const services = fakeServices();
    services.session.plans = [plan([change("a1", "add", "Ada"), change("a2", "add", "Grace"), change("u1", "update", "Linus")])];
    services.session.applyResult = () => result({ applied: 2, deferred: 1 });
    render(<PaneRoot services={services} />);

    // Not configured yet: Setup comes first (lazy-loaded).
    const tree = await screen.findByRole("tree", { name: "Folders in my mailbox" });
    fireEvent.click(within(tree).getByRole("radio", { name: "Clients" }));
    await act(async () => fireEvent.click(screen.getByTestId("setup-ok")));
    expect(services.saved).toHaveLength(1);
    expect(services.sessionsCreated[0].folder?.folderId).toBe("clients");

    // OK synced; confirmation is on, so the pending list shows and nothing was written.
    await screen.findByTestId("pending-view");
    expect(services.session.applied).toHaveLength(0);
    // The tab's count is in its accessible name, which starts with its visible label.
    expect(screen.getByRole("tab", { name: "Pending 3" })).toBeTruthy();
    // Focus left the Setup form for the list's heading, not <body>.
    await waitFor(() => expect(document.activeElement?.id).toBe("pending-title"));

    fireEvent.click(screen.getByRole("checkbox", { name: "Select Grace" }));
    await act(async () => fireEvent.click(screen.getByTestId("apply-changes")));
    expect(services.session.applied).toHaveLength(1);
    expect(services.session.applied[0].selected).toEqual(["a1", "u1"]);

    // Back on Status, with focus on its heading.
    expect(await screen.findByTestId("status-view")).toBeTruthy();
    expect(screen.queryByTestId("pending-view")).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe("status-title"));
  });

  it("starts on Status when configured and follows the host's theme", async () => {
    const services = fakeServices({ settings: configuredSettings });
    let themeListener: ((t: ThemeName) => void) | null = null;
    services.host.theme = () => "dark";
    services.host.onThemeChange = (cb) => {
      themeListener = cb;
      return () => (themeListener = null);
    };
    const { container } = render(<PaneRoot services={services} />);
    await settle();
    expect(screen.getByTestId("status-view")).toBeTruthy();
    expect(container.querySelector("[data-theme]")?.getAttribute("data-theme")).toBe("dark");
    act(() => themeListener?.("light"));
    expect(container.querySelector("[data-theme]")?.getAttribute("data-theme")).toBe("light");
  });

  it("uses the firm's terminology unless default terminology is switched on", async () => {
    const services = fakeServices({ settings: configuredSettings });
    services.practice.terminology = async () => ({ client: "Customer", clients: "Customers", contact: "Person", contacts: "People" });
    render(<PaneRoot services={services} />);
    await settle();
    fireEvent.click(screen.getByRole("tab", { name: "Setup" }));
    expect(await screen.findByRole("combobox", { name: "People to synchronize" })).toBeTruthy();
    expect(screen.getByRole("radio", { name: "Customers" })).toBeTruthy();
    fireEvent.click(screen.getByRole("switch", { name: "Use default terminology" }));
    await act(async () => fireEvent.click(screen.getByTestId("setup-ok")));
    fireEvent.click(await screen.findByRole("tab", { name: "Setup" }));
    expect(await screen.findByRole("combobox", { name: "Contacts to synchronize" })).toBeTruthy();
  });

  it("keeps Setup's unsaved choices across a visit to the filter editor", async () => {
    const services = fakeServices();
    render(<PaneRoot services={services} />);
    const tree = await screen.findByRole("tree", { name: "Folders in my mailbox" });
    fireEvent.click(within(tree).getByRole("radio", { name: "Clients" }));
    fireEvent.click(screen.getByRole("button", { name: "Manage filters…" }));
    fireEvent.click(await screen.findByRole("button", { name: "Done" }));
    expect((await screen.findByTestId("chosen-folder")).textContent).toContain("Contacts / Clients");
  });

  it("shows the folder tree again after leaving Filters with a new-filter form open", async () => {
    const services = fakeServices();
    render(<PaneRoot services={services} />);
    for (let round = 0; round < 3; round++) {
      await screen.findByRole("tree", { name: "Folders in my mailbox" });
      fireEvent.click(screen.getByRole("tab", { name: "Filters" }));
      // "Add filter" is enabled once the firm's filters have loaded.
      await screen.findByRole("list", { name: "Filters" });
      fireEvent.click(screen.getByTestId("filter-add"));
      await screen.findByTestId("filter-form");
      fireEvent.click(screen.getByRole("tab", { name: "Setup" }));
      const tree = await screen.findByRole("tree", { name: "Folders in my mailbox" });
      expect(within(tree).getByRole("radio", { name: "Clients" })).toBeTruthy();
    }
  });

  it("automatic sync with confirmation on shows the pending list instead of writing", async () => {
    const services = fakeServices({ settings: { ...configuredSettings, autoSync: true } });
    services.session.plans = [plan([change("a1", "add", "Ada")])];
    render(<PaneRoot services={services} />);
    expect(await screen.findByTestId("pending-view")).toBeTruthy();
    expect(services.session.applied).toHaveLength(0);
  });

  it("Sync now with nothing to do shows no pending list", async () => {
    const services = fakeServices({ settings: configuredSettings });
    render(<PaneRoot services={services} />);
    await settle();
    await act(async () => fireEvent.click(screen.getByTestId("sync-now")));
    expect(services.session.planCalls).toBe(1);
    expect(screen.queryByTestId("pending-view")).toBeNull();
    expect(screen.getByTestId("status-title-text").textContent).toBe("Up to date");
    expect(screen.getByText(/Last checked/)).toBeTruthy();
    // The check is in History although the engine recorded no run for it.
    expect(within(screen.getByRole("list", { name: "Sync history" })).getAllByRole("listitem")[0].textContent).toContain("Up to date");
  });

  it("keeps Setup's unsaved choices across a switch to another tab", async () => {
    const services = fakeServices({ settings: configuredSettings });
    render(<PaneRoot services={services} />);
    await settle();
    fireEvent.click(screen.getByRole("tab", { name: "Setup" }));
    fireEvent.click(await screen.findByRole("switch", { name: "Use default terminology" }));
    fireEvent.click(screen.getByRole("tab", { name: "Status" }));
    await screen.findByTestId("status-view");
    fireEvent.click(screen.getByRole("tab", { name: "Setup" }));
    const toggle = (await screen.findByRole("switch", { name: "Use default terminology" })) as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    expect(screen.getByTestId("setup-unsaved")).toBeTruthy();
    // Cancel drops the draft.
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    fireEvent.click(await screen.findByRole("tab", { name: "Setup" }));
    expect(((await screen.findByRole("switch", { name: "Use default terminology" })) as HTMLInputElement).checked).toBe(false);
  });

  it("closing a review leaves a trace in History and the headline", async () => {
    const services = fakeServices({ settings: configuredSettings });
    services.session.plans = [plan([change("a1", "add", "Ada")])];
    render(<PaneRoot services={services} />);
    await settle();
    await act(async () => fireEvent.click(screen.getByTestId("sync-now")));
    await screen.findByTestId("pending-view");
    fireEvent.click(screen.getByTestId("cancel-changes"));
    await screen.findByTestId("status-view");
    expect(screen.getByTestId("status-title-text").textContent).toBe("Review closed without applying");
    const first = within(await screen.findByRole("list", { name: "Sync history" })).getAllByRole("listitem")[0];
    expect(first.textContent).toContain("Cancelled");
  });

  it("has no title of its own and keeps the tab list inside a landmark", async () => {
    render(<PaneRoot services={fakeServices({ settings: configuredSettings })} />);
    await settle();
    expect(screen.queryByRole("heading", { level: 1 })).toBeNull();
    const nav = screen.getByRole("navigation", { name: "Pane views" });
    expect(within(nav).getByRole("tablist", { name: "Views" })).toBeTruthy();
  });

  it("rows that changed after the list was made are planned again and shown, not lost (R14)", async () => {
    const services = fakeServices({ settings: configuredSettings });
    services.session.plans = [
      plan([change("a1", "add", "Ada"), change("u1", "update", "Linus")]),
      plan([change("u1", "update", "Linus", { reason: "Changed again in Outlook." })], { runId: "run-2" }),
    ];
    services.session.applyResult = () => result({ applied: 1, changedSincePlan: ["u1"] });
    render(<PaneRoot services={services} />);
    await settle();
    await act(async () => fireEvent.click(screen.getByTestId("sync-now")));
    await screen.findByTestId("pending-view");
    await act(async () => fireEvent.click(screen.getByTestId("apply-changes")));
    await waitFor(() => expect(services.session.planCalls).toBe(2));
    const rows = await screen.findAllByTestId("pending-row");
    expect(rows.map((r) => r.getAttribute("data-change-id"))).toEqual(["u1"]);
  });
});
