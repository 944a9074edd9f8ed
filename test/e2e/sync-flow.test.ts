// The main user journey in Chromium against the production build, the practice server and the mailbox
// emulator: setup → sync → review → apply, filter changes, import from Outlook, automatic sync, and a
// hostile contact name. Each step builds on the previous one (one firm, one folder).
import type { Page } from "playwright-core";
import { apisFor, type EmulatorAdmin, type PracticeApi, type PracticeContact } from "./support/apis";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import {
  applySelected,
  chooseFilter,
  chooseFolder,
  deselect,
  openPane,
  readPending,
  saveSetup,
  setCheckbox,
  setImportKind,
  showTab,
  syncNow,
} from "./support/pane";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(240_000);
/** The first beforeAll may run a production build (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;

const XSS_NAME = "<img src=x onerror=alert(1)>";
const FOLDER = "E2E Sync";

let stack: Stack;
let browser: PaneBrowser;
let page: Page;
let practice: PracticeApi;
let mailbox: EmulatorAdmin;
let folderId: string;
let setA: PracticeContact[];
let setB: PracticeContact[];
const dialogs: string[] = [];

const names = (list: Array<{ displayName?: string }>) => list.map((c) => c.displayName ?? "").sort();

beforeAll(async () => {
  stack = await startStack();
  ({ practice, mailbox } = apisFor(stack));
  folderId = await mailbox.createFolder(FOLDER);

  // Two small, disjoint sets of demo contacts, each selected by a filter on their names.
  const all = await practice.allContacts();
  // Names that occur once in the whole firm, so a filter on the name selects exactly that contact.
  const counts = new Map<string, number>();
  for (const c of all) counts.set((c.displayName ?? "").toLowerCase(), (counts.get((c.displayName ?? "").toLowerCase()) ?? 0) + 1);
  const unique = all.filter((c) => {
    const n = c.displayName ?? "";
    return n.length > 0 && n.length < 40 && counts.get(n.toLowerCase()) === 1;
  });
  setA = unique.slice(0, 4);
  const xss = await practice.createContact({ kind: "client", displayName: XSS_NAME, givenName: "Mallory", surname: "Markup" });
  setB = [...unique.slice(10, 13), xss];
  await practice.createFilter("E2E – set A", [{ field: "displayName", method: "list", values: names(setA) }]);
  await practice.createFilter("E2E – set B", [{ field: "displayName", method: "list", values: names(setB) }]);

  browser = await launchBrowser();
  page = await browser.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openPane(page, stack.paneUrl);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await mailbox?.close();
  await stack?.close();
});

describe("first sync with review", () => {
  it("setup runs a sync whose pending list holds one add per contact in the filter", async () => {
    await page.getByTestId("setup-view").waitFor();
    await chooseFolder(page, FOLDER);
    await chooseFilter(page, "E2E – set A");
    await setImportKind(page, "standalone");
    await saveSetup(page);
    const rows = await readPending(page);
    expect(rows.map((r) => r.name).sort()).toEqual(names(setA));
    expect(rows.every((r) => r.group === "add")).toBe(true);
  });

  it("applies only the selected rows: the folder holds exactly those contacts, stamped", async () => {
    await deselect(page, setA[0].displayName!);
    await applySelected(page);
    const inFolder = await mailbox.contactsIn(folderId);
    expect(names(inFolder)).toEqual(names(setA.slice(1)));
    for (const c of inFolder) expect(c.singleValueExtendedProperties?.length ?? 0).toBeGreaterThan(0);
  });

  it("the deselected row comes back on the next sync", async () => {
    await syncNow(page);
    const rows = await readPending(page);
    expect(rows).toEqual([{ name: setA[0].displayName, group: "add" }]);
    await page.getByTestId("cancel-changes").click();
    await page.getByTestId("status-view").waitFor();
  });
});

describe("changing the filter", () => {
  it("lists removals of the old set and additions of the new one", async () => {
    await showTab(page, "Setup");
    await chooseFilter(page, "E2E – set B");
    await saveSetup(page);
    const rows = await readPending(page);
    const removed = rows.filter((r) => r.group === "remove").map((r) => r.name).sort();
    const added = rows.filter((r) => r.group === "add").map((r) => r.name).sort();
    expect(removed).toEqual(names(setA.slice(1)));
    expect(added).toEqual(names(setB));
  });

  it(`renders a contact named ${XSS_NAME} as text`, async () => {
    const row = page.getByTestId("pending-row").filter({ hasText: "onerror" });
    await expect(row.count()).resolves.toBe(1);
    // The name is shown as its literal characters (in the heading, and as the new Name value).
    await expect(row.getByText(XSS_NAME, { exact: true }).first().isVisible()).resolves.toBe(true);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("applying leaves exactly the new filter's contacts in the folder", async () => {
    await applySelected(page);
    expect(names(await mailbox.contactsIn(folderId))).toEqual(names(setB));
    expect(dialogs).toEqual([]);
  });
});

describe("importing from Outlook", () => {
  it("a contact made in Outlook is created in the practice system as the chosen kind", async () => {
    await mailbox.addContact(folderId, {
      givenName: "Ingrid",
      surname: "Imported",
      displayName: "Ingrid Imported",
      emailAddresses: [{ address: "ingrid@imported.example", name: "Ingrid Imported" }],
    });
    await syncNow(page);
    const rows = await readPending(page);
    expect(rows).toEqual([{ name: "Ingrid Imported", group: "add" }]);
    await applySelected(page);
    const created = (await practice.allContacts()).filter((c) => c.displayName === "Ingrid Imported");
    expect(created).toHaveLength(1);
    expect(created[0].kind).toBe("standalone");
    // It stays in the folder although it does not match the filter (R7), now stamped.
    const inFolder = (await mailbox.contactsIn(folderId)).find((c) => c.displayName === "Ingrid Imported");
    expect(inFolder?.singleValueExtendedProperties?.length ?? 0).toBeGreaterThan(0);
  });
});

describe("automatic sync", () => {
  it("picks up a practice change without a click and shows it for review", async () => {
    await showTab(page, "Setup");
    await setCheckbox(page, /Sync automatically/i, true);
    await saveSetup(page);
    // Saving runs a sync; with nothing to change the pane settles on Status (or an empty review).
    await page.getByTestId("sync-now").and(page.locator(":enabled")).or(page.getByTestId("pending-view")).first().waitFor({ timeout: 60_000 });
    if (await page.getByTestId("pending-view").isVisible()) {
      await page.getByTestId("cancel-changes").click();
    }
    const target = setB[0];
    await practice.patchContact(target.id, { jobTitle: "E2E Auditor" });
    const rows = await readPending(page, 45_000); // R17: within 30 s; the pane polls every 15 s
    expect(rows).toEqual([{ name: target.displayName, group: "update" }]);
    // A row is one line; its fields show when its details are opened.
    await page.getByRole("button", { name: `Details of ${target.displayName}` }).click();
    await expect(page.getByRole("list", { name: `Fields of ${target.displayName}` }).textContent()).resolves.toContain("E2E Auditor");
    await applySelected(page);
    const updated = (await mailbox.contactsIn(folderId)).find((c) => c.displayName === target.displayName);
    expect(updated?.jobTitle).toBe("E2E Auditor");
  });
});

it("logged no errors in the browser console", () => {
  // The office.js CDN request is blocked on purpose (no internet); nothing else may fail.
  const unexpected = browser.errors.filter((e) => !/appsforoffice|ERR_BLOCKED_BY_CLIENT|net::ERR_FAILED/i.test(e));
  expect(unexpected).toEqual([]);
});
