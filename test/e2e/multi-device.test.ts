// One user with the pane open on two devices: two Chromium profiles (two IndexedDBs) on one folder,
// against the production build, the practice server and the mailbox emulator. Both sync, their reviews
// overlap, and a decision taken on one (R10: a contact deleted in Outlook is not synced again) holds on
// the other after its site data is cleared, because the decisions live in the practice API.
import type { Page } from "playwright-core";
import { apisFor, uniquelyNamed, type EmulatorAdmin, type PracticeApi, type PracticeContact } from "./support/apis";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { applySelected, chooseFilter, chooseFolder, openPane, readPending, saveSetup, syncNow } from "./support/pane";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(180_000);
/** The first beforeAll may run a production build (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;

const FOLDER = "E2E Two devices";
const FILTER = "E2E – two devices";
const NEWCOMER = "Tova Twin-Devices";

let stack: Stack;
let practice: PracticeApi;
let mailbox: EmulatorAdmin;
let folderId: string;
let chosen: PracticeContact[];
const browsers: PaneBrowser[] = [];
/** HTTP errors the pages saw ("status METHOD url"), to tell expected ones from the rest. */
const failedResponses: string[] = [];
let pageA: Page;
let pageB: Page;

const names = (list: Array<{ displayName?: string }>) => list.map((c) => c.displayName ?? "").sort();

beforeAll(async () => {
  stack = await startStack();
  ({ practice, mailbox } = apisFor(stack));
  folderId = await mailbox.createFolder(FOLDER);
  chosen = uniquelyNamed(await practice.allContacts()).slice(20, 24);
  // The filter also names a contact that does not exist yet, so creating it later brings it in scope.
  await practice.createFilter(FILTER, [{ field: "displayName", method: "list", values: [...names(chosen), NEWCOMER] }]);
  for (let i = 0; i < 2; i++) browsers.push(await launchBrowser());
  [pageA, pageB] = await Promise.all(browsers.map((b) => b.newPage()));
  for (const p of [pageA, pageB]) p.on("response", (r) => void (r.status() >= 400 && failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`)));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await mailbox?.close();
  await stack?.close();
});

/** The folder holds each name once and each stamp once; returns the names. */
async function folderWithoutDuplicates(): Promise<string[]> {
  const inFolder = await mailbox.contactsIn(folderId);
  const stamps = inFolder.map((c) => c.singleValueExtendedProperties?.[0]?.value?.split(";")[0]);
  expect(stamps.every((s) => s !== undefined)).toBe(true);
  expect(new Set(stamps).size).toBe(inFolder.length);
  const list = names(inFolder);
  expect(new Set(list).size).toBe(list.length);
  return list;
}

/** Setup on a pane with no stored settings; resolves with the first plan's rows ([] when it settles on Status). */
async function setUp(page: Page): Promise<Array<{ name: string; group: string }>> {
  await openPane(page, stack.paneUrl);
  await page.getByTestId("setup-view").waitFor({ timeout: 60_000 });
  await chooseFolder(page, FOLDER);
  await chooseFilter(page, FILTER);
  await saveSetup(page);
  await page.getByTestId("setup-view").waitFor({ state: "detached", timeout: 60_000 });
  const settled = page.getByTestId("pending-summary").or(page.getByTestId("sync-now").and(page.locator(":enabled")));
  await settled.first().waitFor({ timeout: 60_000 });
  return (await page.getByTestId("pending-view").isVisible()) ? readPending(page) : [];
}

it("the first device syncs the filter's contacts; the second, set up on the same folder, links them instead of adding", async () => {
  const rowsA = await setUp(pageA);
  expect(rowsA.map((r) => r.name).sort()).toEqual(names(chosen));
  await applySelected(pageA);
  expect(await folderWithoutDuplicates()).toEqual(names(chosen));

  const rowsB = await setUp(pageB);
  expect(rowsB.filter((r) => r.group === "add")).toEqual([]);
  if (rowsB.length) await applySelected(pageB);
  expect(await folderWithoutDuplicates()).toEqual(names(chosen));
});

it("both devices review the same new contact; applied on one then the other, it is created once", async () => {
  await practice.createContact({ kind: "client", displayName: NEWCOMER, givenName: "Tova", surname: "Twin-Devices" });
  await Promise.all([syncNow(pageA), syncNow(pageB)]);
  const [rowsA, rowsB] = await Promise.all([readPending(pageA), readPending(pageB)]);
  expect(rowsA).toEqual([{ name: NEWCOMER, group: "add" }]);
  expect(rowsB).toEqual([{ name: NEWCOMER, group: "add" }]);
  await applySelected(pageA);
  // B's list was made before A's apply: its apply finds the contact there (stamped since the plan),
  // does not add it again, and plans again: nothing is left to review.
  await applySelected(pageB);
  await expect(pageB.getByTestId("history-list").textContent()).resolves.toContain("1 changed after the list was made");
  expect(await folderWithoutDuplicates()).toEqual([...names(chosen), NEWCOMER].sort());
});

it("R10 a contact deleted in Outlook and let go on one device is not created again by the other after its site data is cleared", async () => {
  const gone = chosen[1];
  const contact = (await mailbox.contactsIn(folderId)).find((c) => c.displayName === gone.displayName)!;
  // Outlook's delete: the contact moves to Deleted Items.
  await mailbox.request("POST", `/mailboxes/${mailbox.upn}/contacts/${encodeURIComponent(contact.id)}/move`, { folderId: "deleteditems" });
  await syncNow(pageA);
  expect(await readPending(pageA)).toEqual([{ name: gone.displayName, group: "remove" }]);
  await applySelected(pageA);
  const remaining = [...names(chosen), NEWCOMER].filter((n) => n !== gone.displayName).sort();
  expect(await folderWithoutDuplicates()).toEqual(remaining);

  // Device B loses everything it stored for the pane's origin (IndexedDB, local storage), as "clear site data" does.
  const origin = new URL(stack.paneUrl).origin;
  await pageB.goto("about:blank");
  const cdp = await browsers[1].context.newCDPSession(pageB);
  await cdp.send("Storage.clearDataForOrigin", { origin, storageTypes: "all" });
  await cdp.detach();
  const rowsB = await setUp(pageB);
  expect(rowsB.filter((r) => r.name === gone.displayName)).toEqual([]);
  expect(rowsB.filter((r) => r.group === "add")).toEqual([]);
  if (rowsB.length) await applySelected(pageB);
  expect(await folderWithoutDuplicates()).toEqual(remaining);
  expect((await practice.allContacts()).filter((c) => c.displayName === gone.displayName)).toHaveLength(1);
  // The exclusion came from the practice API, not from B's (cleared) storage: B lists it.
  await expect(pageB.getByTestId("excluded-list").textContent()).resolves.toContain(gone.displayName);
});

it("R2 included again on one device, then the deleted contact restored from Deleted Items: the other device shows a conflict, not a second contact", async () => {
  const gone = chosen[1];
  const deleted = (await mailbox.request<{ value: Array<{ id: string; displayName?: string }> }>("GET", `/mailboxes/${mailbox.upn}/folders/deleteditems/contacts`)).value.find(
    (c) => c.displayName === gone.displayName,
  )!;
  expect(deleted).toBeDefined();
  await pageB.getByTestId("excluded-list").getByRole("button", { name: "Include again" }).click();
  await pageB.getByTestId("included-note").waitFor();
  await syncNow(pageB);
  expect(await readPending(pageB)).toEqual([{ name: gone.displayName, group: "add" }]);
  await applySelected(pageB);
  expect(await folderWithoutDuplicates()).toEqual([...names(chosen), NEWCOMER].sort());

  // The user restores the contact deleted earlier (Outlook's move back: same immutable id).
  await mailbox.request("POST", `/mailboxes/${mailbox.upn}/contacts/${encodeURIComponent(deleted.id)}/move`, { folderId });
  await syncNow(pageA);
  // Two contacts carry the record's stamp; the restored one is the user's to decide (R2), nothing is added.
  expect(await readPending(pageA)).toEqual([{ name: gone.displayName, group: "conflict" }]);
  await pageA.getByTestId("cancel-changes").click();
  expect((await practice.allContacts()).filter((c) => c.displayName === gone.displayName)).toHaveLength(1);
  expect((await mailbox.contactsIn(folderId)).filter((c) => c.displayName === gone.displayName)).toHaveLength(2);
});

it("logged no errors in either browser's console but the expected ones", () => {
  // Each device's delta reads push the folder's sync-state generations along (the emulator keeps
  // three, as Exchange does), so the other device's token may be gone: a 410, then a full read.
  const unexpectedHttp = failedResponses.filter((r) => !/^410 GET .*\/contacts\/delta\?\$deltatoken=/.test(r));
  expect(unexpectedHttp).toEqual([]);
  for (const b of browsers) {
    const unexpected = b.errors.filter((e) => !/appsforoffice|ERR_BLOCKED_BY_CLIENT|net::ERR_FAILED|status of 410 \(Gone\)/i.test(e));
    expect(unexpected).toEqual([]);
  }
});
