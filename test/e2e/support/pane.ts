// Steps a user takes in the pane, by the names the views give their controls.
import type { Locator, Page } from "playwright-core";

export async function openPane(page: Page, paneUrl: string): Promise<void> {
  await page.goto(paneUrl);
  await page.locator('[data-testid="setup-view"], [data-testid="status-view"]').first().waitFor({ timeout: 60_000 });
}

export async function showTab(page: Page, name: RegExp | string): Promise<void> {
  await page.getByRole("tablist", { name: "Views" }).getByRole("tab", { name }).click();
}

export async function chooseFolder(page: Page, folderName: string): Promise<void> {
  const tree = page.getByRole("tree", { name: "Folders in my mailbox" });
  const item = tree.getByRole("treeitem", { name: folderName, exact: false }).first();
  await item.waitFor({ timeout: 30_000 });
  const radio = item.getByRole("radio").first();
  if (await radio.count()) await radio.check();
  else await item.click();
  await page.getByTestId("chosen-folder").filter({ hasText: folderName }).waitFor();
}

export async function chooseFilter(page: Page, filterName: string | null): Promise<void> {
  const select = page.getByTestId("filter-select");
  await select.locator("option", { hasText: filterName ?? "" }).first().waitFor({ state: "attached", timeout: 30_000 });
  if (filterName === null) await select.selectOption({ index: 0 });
  else await select.selectOption({ label: filterName });
}

export async function setImportKind(page: Page, kind: "client" | "standalone"): Promise<void> {
  await page.locator(`input[type="radio"][value="${kind}"]`).check();
}

export async function setCheckbox(page: Page, label: RegExp | string, checked: boolean): Promise<void> {
  const box = page.getByRole("checkbox", { name: label });
  if (checked) await box.check();
  else await box.uncheck();
}

export async function saveSetup(page: Page): Promise<void> {
  await page.getByTestId("setup-ok").click();
}

export function pendingRows(page: Page): Locator {
  return page.getByTestId("pending-row");
}

/** Waits for the pending list of a finished plan and returns its rows' names and groups. */
export async function readPending(page: Page, timeout = 60_000): Promise<Array<{ name: string; group: string }>> {
  await page.getByTestId("pending-view").waitFor({ timeout });
  await page.getByTestId("pending-summary").waitFor({ timeout });
  const rows = pendingRows(page);
  const n = await rows.count();
  const out: Array<{ name: string; group: string }> = [];
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const label = (await row.getByRole("checkbox").getAttribute("aria-label")) ?? "";
    out.push({ name: label.replace(/^Select /, ""), group: (await row.getAttribute("data-group")) ?? "" });
  }
  return out;
}

export async function deselect(page: Page, name: string): Promise<void> {
  await page.getByRole("checkbox", { name: `Select ${name}`, exact: true }).uncheck();
}

/** Applies the selected rows and waits until the pane is back on Status with the run finished. */
export async function applySelected(page: Page): Promise<void> {
  await page.getByTestId("apply-changes").click();
  await page.getByTestId("pending-view").waitFor({ state: "detached", timeout: 60_000 });
  await page.getByTestId("status-view").waitFor({ timeout: 30_000 });
  await page.getByTestId("sync-now").and(page.locator(":enabled")).waitFor({ timeout: 60_000 });
}

export async function syncNow(page: Page): Promise<void> {
  await showTab(page, "Status");
  await page.getByTestId("sync-now").click();
}
