/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { SetupView } from "../../src/taskpane/views/setup/SetupView";
import { DEFAULT_SETTINGS, type PaneSettings } from "../../src/taskpane/settings";
import { fakeServices, renderPane } from "./helpers";

function setup(settings: PaneSettings | null = null, services = fakeServices()) {
  const onSave = jest.fn(async (_s: PaneSettings) => undefined);
  const onManageFilters = jest.fn();
  renderPane(<SetupView settings={settings} onSave={onSave} onCancel={jest.fn()} onManageFilters={onManageFilters} />, services);
  return { onSave, onManageFilters, services };
}

describe("SetupView", () => {
  it("shows the classic labels with their defaults", async () => {
    setup();
    await screen.findByRole("tree", { name: "Folders in my mailbox" });
    expect(screen.getByText("Synchronize with Outlook folder")).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Contacts to synchronize" })).toBeTruthy();
    expect((screen.getByRole("option", { name: "All contacts" }) as HTMLOptionElement).selected).toBe(true);
    const importAs = screen.getByRole("radiogroup", { name: "Import contacts from Outlook as" });
    expect((within(importAs).getByRole("radio", { name: "Clients" }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("checkbox", { name: "Display confirmation dialog prior to committing changes" }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("checkbox", { name: "Enable automatic contact synchronization" }) as HTMLInputElement).checked).toBe(false);
  });

  it("refuses OK without a folder, and saves every choice with one", async () => {
    const { onSave } = setup();
    fireEvent.click(screen.getByTestId("setup-ok"));
    expect((await screen.findByTestId("setup-error")).textContent).toContain("Choose the Outlook folder");
    expect(onSave).not.toHaveBeenCalled();

    const tree = await screen.findByRole("tree", { name: "Folders in my mailbox" });
    fireEvent.click(within(tree).getByRole("radio", { name: "Clients" }));
    expect(screen.getByTestId("chosen-folder").textContent).toContain("Contacts / Clients");
    await screen.findByRole("option", { name: "Jo's clients" });
    fireEvent.change(screen.getByRole("combobox", { name: "Contacts to synchronize" }), { target: { value: "f1" } });
    fireEvent.click(screen.getByRole("radio", { name: "Standalone contacts" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Enable automatic contact synchronization" }));
    await act(async () => fireEvent.click(screen.getByTestId("setup-ok")));
    expect(onSave).toHaveBeenCalledTimes(1);
    expect(onSave.mock.calls[0][0]).toEqual({
      ...DEFAULT_SETTINGS,
      folder: { mailbox: null, folderId: "clients", path: "Contacts / Clients" },
      filterId: "f1",
      importKind: "standalone",
      autoSync: true,
    });
  });

  it("adds a shared mailbox after checking the address, and lists its folders", async () => {
    setup();
    fireEvent.click(await screen.findByRole("button", { name: "Add shared mailbox…" }));
    const input = screen.getByRole("textbox", { name: "Shared mailbox address" });
    fireEvent.change(input, { target: { value: "not an address" } });
    fireEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(screen.getByText(/Enter the shared mailbox's email address/)).toBeTruthy();
    fireEvent.change(input, { target: { value: "Contacts@Firm.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Add" }));
    const shared = await screen.findByRole("tree", { name: "Folders in contacts@firm.example" });
    fireEvent.click(within(shared).getByRole("radio", { name: "Firm contacts" }));
    expect(screen.getByTestId("chosen-folder").textContent).toContain("Firm contacts");
  });

  it("shows why a mailbox's folders could not be read", async () => {
    const services = fakeServices();
    services.folders.listFolders = async () => {
      throw new Error("The contacts folders of x@y.example are not shared with you.");
    };
    setup(null, services);
    expect((await screen.findByText(/could not be read/)).textContent).toContain("not shared with you");
  });

  it("a slow, older folder listing that fails does not replace the newer tree", async () => {
    const services = fakeServices();
    const real = services.folders.listFolders;
    let failFirst: (err: Error) => void = () => undefined;
    let calls = 0;
    services.folders.listFolders = (mailbox) => {
      calls++;
      // The first listing hangs (as while a throttled request is retried), then fails.
      if (calls === 1) return new Promise((_, reject) => (failFirst = reject));
      return real(mailbox);
    };
    setup(null, services);
    expect(await screen.findByText("Loading folders…")).toBeTruthy();
    // "Create folder" reloads the tree; that newer listing answers first.
    fireEvent.change(screen.getByRole("textbox", { name: "New top-level folder" }), { target: { value: "Leads" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Create folder" })));
    const tree = await screen.findByRole("tree", { name: "Folders in my mailbox" });
    expect(within(tree).getByRole("radio", { name: "Clients" })).toBeTruthy();
    await act(async () => failFirst(new Error("HTTP 429")));
    expect(within(screen.getByRole("tree", { name: "Folders in my mailbox" })).getByRole("radio", { name: "Clients" })).toBeTruthy();
    expect(screen.queryByText(/could not be read/)).toBeNull();
  });

  it("a failed listing shows no empty tree, and Try again loads it", async () => {
    const services = fakeServices();
    const real = services.folders.listFolders;
    let fail = true;
    services.folders.listFolders = async (mailbox) => {
      if (fail) throw new Error("HTTP 503");
      return real(mailbox);
    };
    setup(null, services);
    expect((await screen.findByText(/could not be read/)).textContent).toContain("HTTP 503");
    expect(screen.queryByRole("tree", { name: "Folders in my mailbox" })).toBeNull();
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    const tree = await screen.findByRole("tree", { name: "Folders in my mailbox" });
    expect(within(tree).getByRole("radio", { name: "Clients" })).toBeTruthy();
    expect(screen.queryByText(/could not be read/)).toBeNull();
  });

  it("Manage filters… opens the filter editor", async () => {
    const { onManageFilters } = setup();
    fireEvent.click(screen.getByRole("button", { name: "Manage filters…" }));
    expect(onManageFilters).toHaveBeenCalledWith(DEFAULT_SETTINGS);
    await waitFor(() => screen.getByRole("option", { name: "Jo's clients" }));
  });
});
