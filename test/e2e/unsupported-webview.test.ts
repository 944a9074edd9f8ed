// The built pane in Chromium posing as Outlook's old webviews: under an Edge Legacy or IE 11 user agent the
// ES5 notice replaces "Loading…" and the bundle leaves it there; under a current one the pane starts.
import type { Page } from "playwright-core";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { distDir, ensureProductionBuild } from "./support/build";
import { startPaneServer, type PaneServer } from "./support/pane-server";

jest.setTimeout(120_000);

const EDGE_LEGACY =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041";
const IE11 = "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; rv:11.0) like Gecko";

let pane: PaneServer;
let browser: PaneBrowser;

beforeAll(async () => {
  await ensureProductionBuild();
  // No API servers: the notice must not depend on them.
  pane = await startPaneServer({ dist: distDir, practiceUrl: "http://127.0.0.1:9", emulatorUrl: "http://127.0.0.1:9", emulatorCaFile: "" });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await pane?.close();
});

async function openAs(userAgent: string | null): Promise<Page> {
  const page = await browser.newPage();
  if (userAgent) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setUserAgentOverride", { userAgent });
  }
  await page.goto(`${pane.url}/taskpane.html`);
  return page;
}

it.each([
  ["Edge Legacy", EDGE_LEGACY],
  ["Internet Explorer 11", IE11],
])("%s: says what to update, and the pane does not replace the message", async (_name, ua) => {
  const page = await openAs(ua);
  const notice = page.getByTestId("unsupported-webview");
  await notice.waitFor({ timeout: 30_000 });
  expect(await notice.getAttribute("role")).toBe("alert");
  expect(await notice.textContent()).toContain("needs a newer version of Outlook");
  await page.waitForLoadState("load");
  await page.waitForTimeout(1000); // time for the bundle to have rendered, had it tried
  expect(await page.locator("#container").textContent()).not.toContain("Loading");
  expect(await page.getByTestId("startup-error").count()).toBe(0);
  await page.close();
});

it("a current engine gets the pane (here its startup error, as no API server runs), not the notice", async () => {
  const page = await openAs(null);
  await page.getByTestId("startup-error").or(page.getByTestId("setup-view")).first().waitFor({ timeout: 30_000 });
  expect(await page.getByTestId("unsupported-webview").count()).toBe(0);
  await page.close();
});
