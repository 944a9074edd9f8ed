// The main journey with the keyboard alone (Tab, Shift+Tab, arrows, Space, Enter; no clicks):
// Setup (folder, filter) → OK → pending list → clear one row → Apply changes.
import type { Page } from "playwright-core";
import { apisFor, uniquelyNamed, type EmulatorAdmin } from "./support/apis";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { openPane, readPending } from "./support/pane";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(240_000);
/** The first beforeAll may run a production build (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;

const FOLDER = "Keyboard contacts";
const FILTER = "Keyboard – four contacts";

let stack: Stack;
let browser: PaneBrowser;
let page: Page;
let mailbox: EmulatorAdmin;
let folderId: string;
let chosen: string[];

beforeAll(async () => {
  stack = await startStack();
  const apis = apisFor(stack);
  mailbox = apis.mailbox;
  folderId = await mailbox.createFolder(FOLDER);
  chosen = uniquelyNamed(await apis.practice.allContacts())
    .slice(30, 34)
    .map((c) => c.displayName ?? "");
  await apis.practice.createFilter(FILTER, [{ field: "displayName", method: "list", values: chosen }]);
  browser = await launchBrowser();
  page = await browser.newPage();
  await openPane(page, stack.paneUrl);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await mailbox?.close();
  await stack?.close();
});

/** What has focus, described for matching and for failure messages. */
async function focused(): Promise<{ tag: string; role: string; label: string; testId: string; changeId: string; text: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const labelled = el?.getAttribute("aria-labelledby");
    const byId = labelled ? labelled.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ") : "";
    const input = el as HTMLInputElement | null;
    const fromLabel = input?.labels?.[0]?.textContent ?? "";
    return {
      tag: el?.tagName.toLowerCase() ?? "",
      role: el?.getAttribute("role") ?? "",
      label: el?.getAttribute("aria-label") ?? (byId || fromLabel),
      testId: el?.getAttribute("data-testid") ?? el?.closest("[data-testid]")?.getAttribute("data-testid") ?? "",
      changeId: el?.closest("[data-change-id]")?.getAttribute("data-change-id") ?? "",
      // A tree item's own name, without the names of the items nested in it.
      text: (() => {
        if (!el) return "";
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('[role="group"], [role="tree"]').forEach((n) => n.remove());
        return (copy.textContent ?? "").trim().slice(0, 80);
      })(),
    };
  });
}

type Focus = Awaited<ReturnType<typeof focused>>;

/** Presses `key` until the focused element matches, within `max` presses. */
async function pressUntil(key: string, match: (f: Focus) => boolean, what: string, max = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i <= max; i++) {
    const f = await focused();
    if (match(f)) return;
    seen.push(`${f.tag}[${f.role}] "${f.label || f.text}"`);
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${what}; focus went: ${seen.join(" → ")}`);
}

it("setup → OK → pending list → clear one row → Apply, with the keyboard only", async () => {
  await page.getByTestId("setup-view").waitFor();
  const tree = page.getByRole("tree", { name: "Folders in my mailbox" });
  await tree.getByRole("treeitem", { name: FOLDER, exact: false }).first().waitFor({ timeout: 30_000 });

  // Into the folder tree, then along it with the arrow keys; Space chooses the folder.
  await pressUntil("Tab", (f) => f.role === "treeitem", "the folder tree");
  await pressUntil("ArrowDown", (f) => f.role === "treeitem" && f.text === FOLDER, `the "${FOLDER}" folder`, 30);
  await page.keyboard.press("Space");
  await page.getByTestId("chosen-folder").filter({ hasText: FOLDER }).waitFor({ timeout: 5_000 });

  // The filter list: a native select, chosen with the arrow keys.
  await pressUntil("Tab", (f) => f.testId === "filter-select", "the filter list");
  const select = page.getByTestId("filter-select");
  await select.locator("option", { hasText: FILTER }).waitFor({ state: "attached", timeout: 30_000 });
  for (let i = 0; i < 10 && (await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)) !== FILTER; i++) {
    await page.keyboard.press("ArrowDown");
  }
  expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)).toBe(FILTER);

  // OK, by Tab from here; Shift+Tab back once past it shows both directions work.
  await pressUntil("Tab", (f) => f.testId === "setup-ok", "OK");
  await page.keyboard.press("Tab");
  await pressUntil("Shift+Tab", (f) => f.testId === "setup-ok", "OK (backwards)", 3);
  await page.keyboard.press("Enter");

  await page.getByTestId("pending-summary").waitFor({ timeout: 60_000 });
  const rows = await readPending(page);
  const adds = rows.filter((r) => r.group === "add").map((r) => r.name);
  expect(adds).toEqual(expect.arrayContaining(chosen));
  const total = rows.length;
  await expect(page.getByTestId("pending-summary").textContent()).resolves.toContain(`${total} of ${total} changes selected`);

  // The list is one tab stop: Tab into it (the group's checkbox first), then ArrowDown to the first
  // change row's checkbox; Space clears it.
  await pressUntil("Tab", (f) => f.tag === "input" && f.label.startsWith("Select "), "the pending list");
  await pressUntil("ArrowDown", (f) => f.tag === "input" && f.label.startsWith("Select ") && !f.label.startsWith("Select all"), "a change row's checkbox", 3);
  const { label: rowLabel, changeId } = await focused();
  const name = rowLabel.replace(/^Select /, "");
  expect(adds).toContain(name);
  await page.keyboard.press("Space");
  await expect(page.getByTestId("pending-summary").textContent()).resolves.toContain(`${total - 1} of ${total} changes selected`);
  expect(await page.locator(`[data-change-id="${changeId}"]`).getByRole("checkbox").isChecked()).toBe(false);

  // Inside the list the arrow keys move between rows; the list is one tab stop, so Tab leaves it.
  await page.keyboard.press("ArrowDown");
  const next = await focused();
  expect(next.tag).toBe("input");
  expect(next.changeId).not.toBe(changeId);
  await page.keyboard.press("ArrowUp");
  expect((await focused()).changeId).toBe(changeId);
  await pressUntil("Tab", (f) => f.testId === "apply-changes", "Apply changes", 2);
  await page.keyboard.press("Enter");
  await page.getByTestId("pending-view").waitFor({ state: "detached", timeout: 60_000 });
  await page.getByTestId("status-view").waitFor({ timeout: 30_000 });

  // Every added contact but the cleared one is now in the folder.
  const inFolder = (await mailbox.contactsIn(folderId)).map((c) => c.displayName ?? "").sort();
  const kept = [...adds];
  kept.splice(kept.indexOf(name), 1);
  expect(inFolder).toEqual(kept.sort());
});
