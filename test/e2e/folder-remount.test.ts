// Leaving the filter editor with a new-filter form still open, then going back to Setup: the folder
// tree of the user's mailbox must load again every time (it once stayed empty about one run in four).
import type { Page } from "playwright-core";
import { apisFor } from "./support/apis";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { openPane, showTab } from "./support/pane";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(240_000);
const SETUP_TIMEOUT_MS = 600_000;
const FOLDER = "Practice contacts";
const ROUNDS = 8;

let stack: Stack;
let browser: PaneBrowser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  const { mailbox } = apisFor(stack);
  await mailbox.createFolder(FOLDER);
  await mailbox.close();
  browser = await launchBrowser();
  page = await browser.newPage();
  await openPane(page, stack.paneUrl);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it(`shows the folder tree after leaving Filters with the form open (${ROUNDS} rounds)`, async () => {
  const tree = page.getByRole("tree", { name: "Folders in my mailbox" });
  for (let i = 0; i < ROUNDS; i++) {
    await tree.getByRole("treeitem", { name: FOLDER, exact: false }).first().waitFor({ timeout: 10_000 });
    await showTab(page, "Filters");
    await page.getByTestId("filter-add").click();
    await page.getByTestId("filter-form").waitFor();
    await showTab(page, "Setup");
    const started = Date.now();
    await tree
      .getByRole("treeitem", { name: FOLDER, exact: false })
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(async (err: Error) => {
        const html = await page.locator("main").evaluate((el) => el.outerHTML.slice(0, 6000)).catch(() => "(no main)");
        throw new Error(`${err.message}\nround ${i + 1}; the pane showed:\n${html}\nbrowser errors: ${browser.errors.join("; ")}`);
      });
    console.log(`round ${i + 1}: tree back in ${Date.now() - started} ms`);
  }
});
