// Every view, light and dark: an axe-core scan must find no serious or critical violation, and a
// screenshot of each is saved to docs/images/ (the user guide uses them).
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { apisFor, uniquelyNamed } from "./support/apis";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { repoRoot } from "./support/build";
import { applySelected, chooseFilter, chooseFolder, openPane, readPending, saveSetup, showTab } from "./support/pane";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(240_000);
/** The first beforeAll may run a production build (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;

const FOLDER = "Practice contacts";
const FILTER = "Anna – key contacts";
const imagesDir = path.join(repoRoot, "docs", "images");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

beforeAll(() => fs.mkdirSync(imagesDir, { recursive: true }));

/** A fresh stack per theme, so both themes show the same first sync. */
async function arrange(): Promise<Stack> {
  const stack = await startStack();
  const { practice, mailbox } = apisFor(stack);
  await mailbox.createFolder(FOLDER);
  const some = uniquelyNamed(await practice.allContacts()).slice(20, 26);
  await practice.createFilter(FILTER, [{ field: "displayName", method: "list", values: some.map((c) => c.displayName ?? "") }]);
  await mailbox.close();
  return stack;
}

async function scan(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } }).axe;
    // Fluent's focus manager (tabster) adds invisible, aria-hidden <i tabindex="0" data-tabster-dummy>
    // sentinels to keep focus inside groups; they are by design and not reachable content, so they are
    // left out of the scan (axe would report them as aria-hidden-focus).
    return axe.run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] });
  });
  return (result.violations as AxeViolation[]).filter((v) => v.impact === "serious" || v.impact === "critical");
}

async function capture(page: Page, view: string, theme: string): Promise<AxeViolation[]> {
  // Let lazy chunks, fonts and transitions settle so the picture is the view, not a spinner.
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(imagesDir, `${view}-${theme}.png`), fullPage: true });
  return (await scan(page)).map((v) => ({ ...v, id: `${view}/${theme}: ${v.id}` }));
}

describe.each(["light", "dark"] as const)("%s theme", (theme) => {
  let stack: Stack;
  let browser: PaneBrowser;
  let page: Page;
  const violations: AxeViolation[] = [];

  beforeAll(async () => {
    stack = await arrange();
    browser = await launchBrowser({ colorScheme: theme, bypassCSP: true });
    page = await browser.newPage();
    await openPane(page, stack.paneUrl);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("renders the theme the browser asks for", async () => {
    const background = await page.evaluate(() => getComputedStyle(document.querySelector("[data-theme]") ?? document.body).backgroundColor);
    const [r, g, b] = (background.match(/\d+/g) ?? ["255", "255", "255"]).map(Number);
    const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    if (theme === "dark") expect(luminance).toBeLessThan(0.3);
    else expect(luminance).toBeGreaterThan(0.7);
  });

  it("setup", async () => {
    await page.getByTestId("setup-view").waitFor();
    await page.getByRole("tree", { name: "Folders in my mailbox" }).waitFor();
    violations.push(...(await capture(page, "setup", theme)));
  });

  it("filters, and the filter editor", async () => {
    await showTab(page, "Filters");
    await page.getByTestId("filters-view").waitFor();
    await page.getByRole("list", { name: "Filters" }).waitFor();
    violations.push(...(await capture(page, "filters", theme)));
    await page.getByTestId("filter-add").click();
    await page.getByTestId("filter-form").waitFor();
    violations.push(...(await capture(page, "filter-editor", theme)));
  });

  it("pending changes", async () => {
    // Leaves Filters with the new-filter form still open: Setup's folder tree must load again.
    await showTab(page, "Setup");
    await page
      .getByRole("tree", { name: "Folders in my mailbox" })
      .getByRole("treeitem", { name: FOLDER, exact: false })
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(async (err: Error) => {
        const html = await page.locator("main").evaluate((el) => el.outerHTML.slice(0, 6000)).catch(() => "(no main)");
        throw new Error(`${err.message}\nThe pane showed:\n${html}`);
      });
    await chooseFolder(page, FOLDER);
    await chooseFilter(page, FILTER);
    await saveSetup(page);
    const rows = await readPending(page);
    expect(rows.length).toBeGreaterThan(0);
    violations.push(...(await capture(page, "pending", theme)));
  });

  it("status, after applying the changes", async () => {
    await applySelected(page);
    await page.getByTestId("history-list").waitFor();
    violations.push(...(await capture(page, "status", theme)));
  });

  it("axe finds no serious or critical violation in any view", () => {
    const report = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(report).toEqual([]);
  });
});
