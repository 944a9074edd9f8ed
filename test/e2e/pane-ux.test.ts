// The pane read at a glance, in Chromium against the real servers: filters written with people's
// names and their effect shown before saving, focus that lands on the new view and on the safe
// choice, a Setup draft that survives a tab switch, a folder chosen by its name, the Status words
// after a check that found nothing and after a safety stop, and a pane that fits 320 px.
import fs from "node:fs";
import type { Page } from "playwright-core";
import { apisFor, uniquelyNamed, type EmulatorAdmin, type PracticeApi, type PracticeContact } from "./support/apis";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { applySelected, chooseFilter, openPane, readPending, saveSetup, showTab } from "./support/pane";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(240_000);
/** The first beforeAll may run a production build (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;

const FOLDER = "Glance contacts";
const FILTER = "Glance – fourteen";
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let stack: Stack;
let browser: PaneBrowser;
let page: Page;
let practice: PracticeApi;
let mailbox: EmulatorAdmin;
let folderId: string;
let fourteen: PracticeContact[];
/** How many practice contacts the filter matches (names can repeat in the demo firm), and how many its first name alone does. */
let inScope: number;
let firstOnly: number;

beforeAll(async () => {
  stack = await startStack();
  ({ practice, mailbox } = apisFor(stack));
  folderId = await mailbox.createFolder(FOLDER);
  fourteen = uniquelyNamed(await practice.allContacts()).slice(40, 54);
  const filterId = await practice.createFilter(FILTER, [{ field: "displayName", method: "list", values: fourteen.map((c) => c.displayName ?? "") }]);
  inScope = (await practice.allContacts(filterId)).length;
  const probe = await practice.createFilter("Glance probe", [{ field: "displayName", method: "list", values: [fourteen[0].displayName ?? ""] }]);
  firstOnly = (await practice.allContacts(probe)).length;
  await practice.request("DELETE", `/filters/${probe}`);
  browser = await launchBrowser({ bypassCSP: true });
  page = await browser.newPage();
  await page.setViewportSize({ width: 350, height: 900 });
  await openPane(page, stack.paneUrl);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await mailbox?.close();
  await browser?.close();
  await stack?.close();
});

const headline = () => page.getByTestId("status-title-text").textContent();

async function axeRegion(): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[]; html: string }> }> }> } }).axe;
    return axe.run({ exclude: [["[data-tabster-dummy]"]] }, { runOnly: ["region", "label-content-name-mismatch"], resultTypes: ["violations"] });
  });
  return result.violations.map((v) => `${v.id} at ${v.nodes.map((n) => n.html.slice(0, 200)).join(", ")}`);
}

it("a click on a folder's name chooses it, and the Setup draft survives a tab switch", async () => {
  expect(await page.locator("h1").count()).toBe(0);
  const tree = page.getByRole("tree", { name: "Folders in my mailbox" });
  const row = tree.getByRole("treeitem", { name: FOLDER, exact: false }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.getByText(FOLDER, { exact: true }).click();
  await page.getByTestId("chosen-folder").filter({ hasText: FOLDER }).waitFor({ timeout: 5_000 });
  await chooseFilter(page, FILTER);
  // Labels of unticked choices are in the text colour, not a grey that reads as disabled.
  const colour = (text: string) => page.locator("label", { hasText: text }).first().evaluate((el) => getComputedStyle(el).color);
  const text = await colour("Clients");
  expect(await colour("Standalone contacts")).toBe(text);
  expect(await colour("Sync automatically while this pane is open")).toBe(text);

  await showTab(page, "Filters");
  await page.getByTestId("filters-view").waitFor();
  await showTab(page, "Setup");
  await page.getByTestId("chosen-folder").filter({ hasText: FOLDER }).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("filter-select").evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)).toBe(FILTER);
  await page.getByTestId("setup-unsaved").waitFor();
});

it("OK stays in view at 320 px, and after OK focus is on the pending list's heading", async () => {
  await page.setViewportSize({ width: 320, height: 640 });
  const ok = await page.getByTestId("setup-ok").boundingBox();
  expect(ok).not.toBeNull();
  expect(ok!.y + ok!.height).toBeLessThanOrEqual(640);
  await saveSetup(page);
  await readPending(page);
  await page.waitForFunction(() => document.activeElement?.id === "pending-title", undefined, { timeout: 10_000 });

  // Tabs with the count fit 320 px: nothing scrolls sideways.
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  for (const tab of await page.getByRole("tablist", { name: "Views" }).getByRole("tab").all()) {
    const box = await tab.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(320);
  }
  expect(await page.getByRole("tab", { name: `Pending ${inScope}`, exact: true }).count()).toBe(1);
  // The summary counts come first; a row is one line until its details are asked for.
  await expect(page.getByTestId("pending-counts").textContent()).resolves.toBe(`${inScope} adds`);
  const first = page.getByTestId("pending-row").first();
  expect(await first.getByTestId("row-details").count()).toBe(0);
  await first.getByTestId("row-expand").click();
  await first.getByTestId("row-details").waitFor();
  expect(await first.getByTestId("row-details").textContent()).not.toContain("(empty)");
  expect(await axeRegion()).toEqual([]);
  await page.setViewportSize({ width: 350, height: 900 });
});

it("after Apply focus is on Status's heading; a sync with nothing to do reads Up to date", async () => {
  await applySelected(page);
  await page.waitForFunction(() => document.activeElement?.id === "status-title", undefined, { timeout: 10_000 });
  expect((await mailbox.contactsIn(folderId)).length).toBe(inScope);
  await expect(headline()).resolves.toBe(`${inScope} changes applied`);

  await page.getByTestId("sync-now").click();
  await page.getByTestId("status-title-text").filter({ hasText: "Up to date" }).waitFor({ timeout: 60_000 });
  const history = page.getByTestId("history-list").getByRole("listitem");
  await expect(history.first().textContent()).resolves.toContain("Up to date");
  await expect(history.nth(1).textContent()).resolves.toContain("Changes applied");
  expect(await page.getByTestId("status-view").textContent()).not.toMatch(/add:|remove:|HTTP|\blinked\b/);
  expect(await axeRegion()).toEqual([]);
});

it("a Partner filter picks a person by name and counts what it matches as the server does", async () => {
  await showTab(page, "Filters");
  await page.getByRole("list", { name: "Filters" }).waitFor();
  // Filters are described with people's names, never staff ids.
  expect(await page.getByTestId("filters-view").textContent()).not.toContain("staff-");
  await page.getByTestId("filter-add").click();
  await page.getByTestId("filter-form").waitFor();
  await page.getByRole("textbox", { name: "Filter name" }).fill("Glance – Anna's clients");
  const criterion = page.getByRole("group", { name: "Criterion 1" });
  await criterion.getByRole("combobox", { name: "Field" }).selectOption({ label: "Partner" });
  await criterion.getByRole("combobox", { name: "Person" }).click();
  await page.getByRole("option", { name: "Anna Lindqvist" }).click();
  const count = page.getByTestId("filter-match-count");
  await count.filter({ hasText: /^\d+ contacts match$/ }).waitFor({ timeout: 30_000 });
  const shown = Number((await count.textContent())!.split(" ")[0]);
  await page.getByTestId("filter-save").click();
  await page.getByTestId("filter-form").waitFor({ state: "detached", timeout: 30_000 });

  const saved = (await practice.request<{ items: Array<{ id: string; name: string; criteria: Array<{ values: string[] }> }> }>("GET", "/filters")).body.items.find(
    (f) => f.name === "Glance – Anna's clients",
  );
  expect(saved?.criteria[0].values).toEqual(["staff-anna"]);
  expect(shown).toBe((await practice.allContacts(saved!.id)).length);
  expect(shown).toBeGreaterThan(0);
});

it("saving the filter in use says first what leaves the folder; the safety stop opens on Don't apply and is reported", async () => {
  await page.getByRole("button", { name: `Edit ${FILTER}` }).click();
  await page.getByTestId("filter-form").waitFor();
  await page.getByRole("textbox", { name: "Values (one per line)" }).fill(fourteen[0].displayName ?? "");
  await page.getByTestId("filter-match-count").filter({ hasText: firstOnly === 1 ? "1 contact matches" : `${firstOnly} contacts match` }).waitFor({ timeout: 30_000 });
  await page.getByTestId("filter-save").click();
  const effect = page.getByTestId("filter-effect");
  await effect.waitFor();
  const leaving = inScope - firstOnly;
  await expect(effect.textContent()).resolves.toContain(`${leaving} contacts will leave your Outlook folder`);
  await page.waitForFunction(() => document.activeElement?.textContent === "Keep editing", undefined, { timeout: 5_000 });
  await page.getByTestId("filter-effect-save").click();
  await page.getByTestId("filter-form").waitFor({ state: "detached", timeout: 30_000 });

  await showTab(page, "Status");
  await page.getByTestId("sync-now").click();
  await page.getByTestId("pending-stop").waitFor({ timeout: 60_000 });
  await page.getByTestId("apply-changes").click();
  const dialog = page.getByTestId("safety-dialog");
  await dialog.waitFor();
  await expect(page.getByTestId("safety-cause").textContent()).resolves.toBe(`${leaving} contacts would be removed from your Outlook folder (to Deleted Items).`);
  // One Enter on the focused (safe) choice applies nothing.
  await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "safety-cancel", undefined, { timeout: 5_000 });
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  expect((await mailbox.contactsIn(folderId)).length).toBe(inScope);

  await showTab(page, "Status");
  await expect(headline()).resolves.toBe(`Stopped: ${leaving} contacts would be removed from your Outlook folder (to Deleted Items).`);
  await expect(page.getByTestId("history-list").getByRole("listitem").first().textContent()).resolves.toContain("Stopped for your confirmation");
});
