/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { SetupView } from "../../src/taskpane/views/setup/SetupView";
import { DEFAULT_SETTINGS, type PaneSettings } from "../../src/taskpane/settings";
import { TermsProvider } from "../../src/taskpane/terminology-context";
import { DEFAULT_TERMINOLOGY } from "../../src/taskpane/terminology";
import { fakeServices, renderPane } from "./helpers";

function setup(settings: PaneSettings | null = null, services = fakeServices(), saved: PaneSettings | null = settings) {
  const onSave = jest.fn(async (_s: PaneSettings) => undefined);
  const onManageFilters = jest.fn();
  const onDraftChange = jest.fn();
  renderPane(
    <SetupView settings={settings} saved={saved} onDraftChange={onDraftChange} onSave={onSave} onCancel={jest.fn()} onManageFilters={onManageFilters} />,
    services,
  );
  return { onSave, onManageFilters, onDraftChange, services };
}

describe("SetupView", () => {
  it("shows its labels with their defaults", async () => {
    setup();
    await screen.findByRole("tree", { name: "Folders in my mailbox" });
    expect(screen.getByText("Synchronize with Outlook folder")).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Contacts to synchronize" })).toBeTruthy();
    expect((screen.getByRole("option", { name: "All contacts" }) as HTMLOptionElement).selected).toBe(true);
    const importAs = screen.getByRole("radiogroup", { name: "Import contacts from Outlook as" });
    expect((within(importAs).getByRole("radio", { name: "Clients" }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("checkbox", { name: "Show the changes for my review before applying them" }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("checkbox", { name: "Sync automatically while this pane is open" }) as HTMLInputElement).checked).toBe(false);
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
    fireEvent.click(screen.getByRole("checkbox", { name: "Sync automatically while this pane is open" }));
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
    fireEvent.click(screen.getByRole("button", { name: "New folder…" }));
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

  it("a click on a folder's name chooses it, not only its radio", async () => {
    setup();
    const tree = await screen.findByRole("tree", { name: "Folders in my mailbox" });
    fireEvent.click(within(tree).getByText("Clients"));
    expect(screen.getByTestId("chosen-folder").textContent).toContain("Contacts / Clients");
    expect((within(tree).getByRole("radio", { name: "Clients" }) as HTMLInputElement).checked).toBe(true);
  });

  it("reports every edit as a draft (so it survives a tab switch) and says it is unsaved", async () => {
    const saved = { ...DEFAULT_SETTINGS, folder: { mailbox: null, folderId: "clients", path: "Contacts / Clients" } };
    const { onDraftChange } = setup(saved);
    await screen.findByRole("tree", { name: "Folders in my mailbox" });
    expect(onDraftChange).not.toHaveBeenCalled();
    expect(screen.queryByTestId("setup-unsaved")).toBeNull();
    fireEvent.click(screen.getByRole("switch", { name: "Use default terminology" }));
    await waitFor(() => expect(onDraftChange).toHaveBeenLastCalledWith({ ...saved, useDefaultTerminology: true }));
    expect(screen.getByTestId("setup-unsaved").textContent).toContain("Unsaved changes");
  });

  it("a deleted filter stays shown as chosen, with the message at the field, and OK is refused", async () => {
    const saved = { ...DEFAULT_SETTINGS, folder: { mailbox: null, folderId: "clients", path: "Contacts / Clients" }, filterId: "gone" };
    const { onSave } = setup(saved);
    const select = screen.getByRole("combobox", { name: "Contacts to synchronize" }) as HTMLSelectElement;
    await screen.findByRole("option", { name: "(deleted filter)" });
    expect(select.value).toBe("gone");
    expect(screen.getByText(/The filter you chose was deleted. Pick another one or “All contacts”/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByTestId("setup-ok")));
    expect(onSave).not.toHaveBeenCalled();
    fireEvent.change(select, { target: { value: "" } });
    expect(screen.queryByRole("option", { name: "(deleted filter)" })).toBeNull();
    await act(async () => fireEvent.click(screen.getByTestId("setup-ok")));
    expect(onSave.mock.calls[0][0].filterId).toBeNull();
  });

  it("custom terms read as sentences (no article before the firm's word)", async () => {
    const services = fakeServices();
    renderPane(
      <TermsProvider terms={{ ...DEFAULT_TERMINOLOGY, standalone: "Other person", standalones: "Other people", contacts: "People", contact: "Person" }}>
        <SetupView settings={null} onSave={jest.fn()} onCancel={jest.fn()} onManageFilters={jest.fn()} />
      </TermsProvider>,
      services,
    );
    await screen.findByRole("tree", { name: "Folders in my mailbox" });
    expect(screen.getByRole("checkbox", { name: "Other people I delete in Outlook are deleted in the practice system too" })).toBeTruthy();
    expect(screen.getByRole("option", { name: "All people" })).toBeTruthy();
    expect(screen.queryByText(/a other/i)).toBeNull();
  });
});
