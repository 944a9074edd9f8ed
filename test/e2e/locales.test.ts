// The pane's main journey in each shipped locale, in a 320 px wide pane (Outlook's narrowest): Setup,
// the pending list (a row's details open), Apply, Status with its history, the filter list and the
// filter editor. On every view: no message key is missing (the catalogue shows ⟦key⟧ for one), no
// word is left in English where the locale has its own, nothing scrolls sideways and no button or tab
// is cut off. The browser's language is what the pane speaks outside Office.
import path from "node:path";
import type { Page } from "playwright-core";
import { CATALOGUES } from "../../src/taskpane/i18n/all-catalogues";
import { loadCatalogue } from "../../src/taskpane/i18n/catalogues";
import type { CatalogueLocale } from "../../src/taskpane/i18n/locales";
import { createTranslator, type Translator } from "../../src/taskpane/i18n/translator";
import { apisFor, uniquelyNamed, type EmulatorAdmin, type PracticeApi } from "./support/apis";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { repoRoot } from "./support/build";
import { openPane } from "./support/pane";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(240_000);
/** The first beforeAll may run a production build (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;

const FOLDER = "Practice contacts";
const FILTER = "Anna – key contacts";
const WIDTH = 320;
/** Views saved as docs/images/<locale>-<name>-320.png for the non-English locales. */
const SCREENSHOTS = new Map([
  ["setup", "setup"],
  ["pending", "pending"],
  ["status", "status"],
  ["filter editor", "filter-editor"],
  ["pending, with a conflict", "conflict"],
]);

interface ViewReport {
  text: string;
  scrollWidth: number;
  clientWidth: number;
  clipped: string[];
  lang: string;
}

/** The page's visible text and accessible names, its sideways scroll, and the controls cut off. */
async function inspect(page: Page): Promise<ViewReport> {
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(250); // lazy chunks and transitions settle
  return page.evaluate(() => {
    const names = [...document.querySelectorAll("[aria-label], [placeholder], [title]")].map((e) =>
      ["aria-label", "placeholder", "title"].map((a) => e.getAttribute(a) ?? "").join(" "),
    );
    const options = [...document.querySelectorAll("option")].map((o) => o.textContent ?? "");
    const width = document.documentElement.clientWidth;
    const clipped = [...document.querySelectorAll<HTMLElement>("button, [role=tab]")]
      .filter((b) => {
        const r = b.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false; // not shown
        return r.left < -0.5 || r.right > width + 0.5 || b.scrollWidth > b.clientWidth + 1;
      })
      .map((b) => (b.textContent ?? "").trim() || (b.getAttribute("aria-label") ?? "?"));
    const se = document.scrollingElement ?? document.documentElement;
    return {
      text: [document.body.innerText, ...names, ...options].join("\n"),
      scrollWidth: se.scrollWidth,
      clientWidth: se.clientWidth,
      clipped,
      lang: document.documentElement.lang,
    };
  });
}

/** en-US sentences (no placeholders, long enough to be distinctive) that the locale words differently. */
function englishOnly(locale: CatalogueLocale): string[] {
  if (locale === "en-US") return [];
  const en = CATALOGUES["en-US"];
  const other = CATALOGUES[locale];
  return Object.keys(en).flatMap((k) => {
    const a = en[k as keyof typeof en];
    const b = other[k as keyof typeof en];
    return typeof a === "string" && !a.includes("{") && a.length >= 12 && a !== b ? [a] : [];
  });
}

describe.each<[CatalogueLocale]>([["en-US"], ["es-ES"]])("%s pane, 320 px wide", (locale) => {
  let stack: Stack;
  let practice: PracticeApi;
  let mailbox: EmulatorAdmin;
  let folderId: string;
  let browser: PaneBrowser;
  let page: Page;
  // The expected words, from the same catalogue (loaded in beforeAll).
  let tr: Translator = createTranslator();
  const t: Translator["t"] = (key, params) => tr.t(key, params);
  const english = englishOnly(locale);

  async function checkView(view: string): Promise<ViewReport> {
    const r = await inspect(page);
    // The Spanish pane at its narrowest, for the guides and for a reviewer's eye.
    if (locale !== "en-US" && SCREENSHOTS.has(view)) {
      await page.screenshot({ path: path.join(repoRoot, "docs", "images", `${locale}-${SCREENSHOTS.get(view)}-320.png`), fullPage: true });
    }
    const missing = r.text.match(/⟦[^⟧]*⟧/g) ?? [];
    const leftovers = english.filter((s) => r.text.includes(s));
    expect({ view, missing, leftovers, clipped: r.clipped }).toEqual({ view, missing: [], leftovers: [], clipped: [] });
    expect({ view, scrollWidth: r.scrollWidth }).toEqual({ view, scrollWidth: r.clientWidth });
    expect(r.lang.split("-")[0]).toBe(locale.split("-")[0]);
    return r;
  }

  const tab = (name: string) => page.getByRole("tablist", { name: t("app.tabsLabel") }).getByRole("tab", { name });

  beforeAll(async () => {
    await loadCatalogue(locale);
    tr = createTranslator({ locale });
    stack = await startStack();
    ({ practice, mailbox } = apisFor(stack));
    folderId = await mailbox.createFolder(FOLDER);
    const some = uniquelyNamed(await practice.allContacts()).slice(20, 26);
    await practice.createFilter(FILTER, [{ field: "displayName", method: "list", values: some.map((c) => c.displayName ?? "") }]);
    browser = await launchBrowser({ locale, viewport: { width: WIDTH, height: 800 } });
    page = await browser.newPage();
    await openPane(page, stack.paneUrl);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await mailbox?.close();
    await browser?.close();
    await stack?.close();
  });

  it("opens on Setup in the browser's language", async () => {
    await page.getByTestId("setup-view").waitFor();
    const tree = page.getByRole("tree", { name: t("folders.treeLabelMine") });
    await tree.getByRole("treeitem", { name: FOLDER, exact: false }).first().waitFor({ timeout: 30_000 });
    const r = await checkView("setup");
    expect(r.text).toContain(t("setup.title"));
    expect(r.text).toContain(t("setup.confirm"));
    expect(r.text).toContain(t("setup.all"));
  });

  it("the pending list, with a row's details open", async () => {
    const item = page.getByRole("tree", { name: t("folders.treeLabelMine") }).getByRole("treeitem", { name: FOLDER, exact: false }).first();
    await item.getByRole("radio").first().check();
    await page.getByTestId("chosen-folder").filter({ hasText: FOLDER }).waitFor();
    await page.getByTestId("filter-select").selectOption({ label: FILTER });
    await page.getByTestId("setup-ok").click();
    await page.getByTestId("pending-view").waitFor({ timeout: 60_000 });
    const rows = page.getByTestId("pending-row");
    await rows.first().waitFor();
    const n = await rows.count();
    expect(n).toBeGreaterThan(0);
    await rows.first().getByTestId("row-expand").click();
    await rows.first().getByTestId("row-details").waitFor();
    const r = await checkView("pending");
    expect(r.text).toContain(t("pending.selected", { selected: n, count: n }));
    expect(r.text).toContain(t("pending.summary.add", { count: n }));
    expect(r.text).toContain(`${t("field.displayName")}:`);
  });

  it("Status after applying, with the run in the history", async () => {
    const n = await page.getByTestId("pending-row").count();
    await page.getByTestId("apply-changes").click();
    await page.getByTestId("status-view").waitFor({ timeout: 60_000 });
    await page.getByTestId("history-list").waitFor({ timeout: 60_000 });
    await page.getByTestId("sync-now").and(page.locator(":enabled")).waitFor({ timeout: 60_000 });
    const r = await checkView("status");
    await expect(page.getByTestId("status-title-text").textContent()).resolves.toBe(t("head.applied", { count: n }));
    expect(r.text).toContain(t("counts.addedToOutlook", { count: n }));
    expect(r.text).toContain(t("status.excludedHeading"));
  });

  it("the filter list and the filter editor", async () => {
    await tab(t("app.tab.filters")).click();
    await page.getByTestId("filters-view").waitFor();
    await page.getByRole("list", { name: t("filters.listLabel") }).waitFor();
    await checkView("filters");
    await page.getByRole("button", { name: t("filters.editLabel", { name: FILTER }) }).click();
    await page.getByTestId("filter-form").waitFor();
    await page.getByTestId("filter-match-count").filter({ hasText: t("filters.matches", { count: 6 }) }).waitFor({ timeout: 30_000 });
    await checkView("filter editor");
  });

  it("Setup once configured", async () => {
    await tab(t("app.tab.setup")).click();
    await page.getByTestId("setup-view").waitFor();
    await page.getByTestId("chosen-folder").filter({ hasText: FOLDER }).waitFor();
    await checkView("setup, configured");
  });

  it("a conflict (edited in the practice system, deleted in Outlook) with its two choices", async () => {
    const [inFolder] = await mailbox.contactsIn(folderId);
    const record = (await practice.allContacts()).find((c) => c.displayName === inFolder.displayName)!;
    await mailbox.request("POST", `/mailboxes/${mailbox.upn}/contacts/${encodeURIComponent(inFolder.id)}/move`, { folderId: "deleteditems" });
    await practice.patchContact(record.id, { jobTitle: "Edited while deleted" });
    await tab(t("app.tab.status")).click();
    await page.getByTestId("sync-now").click();
    const conflict = page.locator('[data-testid="pending-row"][data-group="conflict"]');
    await conflict.first().waitFor({ timeout: 60_000 });
    const r = await checkView("pending, with a conflict");
    expect(r.text).toContain(t("pending.keep"));
    expect(r.text).toContain(t("pending.group.conflict", { count: 1 }));
    await page.getByTestId("cancel-changes").click();
    await page.getByTestId("status-view").waitFor();
    await checkView("status, review closed");
    await expect(page.getByTestId("status-title-text").textContent()).resolves.toBe(t("head.closed"));
  });
});
