// The production build loads in Chromium behind the one-origin proxy, gets its development tokens from
// the local servers, reads folders from the emulator through /graph, and keeps its CSP.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser, type PaneBrowser } from "./support/browser";
import { distDir } from "./support/build";
import { startStack, type Stack } from "./support/stack";

jest.setTimeout(240_000);
/** The first beforeAll may run a production build (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;

let stack: Stack;
let browser: PaneBrowser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await browser.newPage();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it("opens on Setup for a new user, signed in with the demo account", async () => {
  await page.goto(stack.paneUrl);
  await page.getByTestId("setup-view").waitFor({ timeout: 30_000 });
  await page.getByTestId("account-name").waitFor();
  expect(await page.getByTestId("account-name").textContent()).toBe("anna@harbour.example");
});

it("lists the demo mailbox's contact folders through the /graph proxy", async () => {
  await page.getByRole("tree").first().waitFor({ timeout: 30_000 });
  expect(await page.getByRole("treeitem").count()).toBeGreaterThan(0);
});

it("ships a Content-Security-Policy as the first thing in <head>", async () => {
  const html = fs.readFileSync(path.join(distDir, "taskpane.html"), "utf8");
  expect(html).toMatch(/^<!doctype html><html[^>]*><head><meta http-equiv="?Content-Security-Policy"?/i);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
});

it("the CSP is enforced: an injected inline script does not run", async () => {
  const ran = await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.head.appendChild(s);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
});

it("sends nothing off the machine except what was blocked (office.js CDN)", () => {
  for (const origin of browser.blocked) expect(origin).toBe("https://appsforoffice.microsoft.com");
});

it("serves the redirect bridge and the dialog page, and config.json beside the pane", async () => {
  const bridge = await page.request.get(stack.paneUrl.replace("taskpane.html", "redirect.html"));
  expect(bridge.status()).toBe(200);
  expect(bridge.headers()["cross-origin-opener-policy"]).toBeUndefined();
  const config = await page.request.get(stack.paneUrl.replace("taskpane.html", "config.json"));
  expect(await config.json()).toEqual({ mode: "local", practiceApiUrl: "/practice", graphUrl: "/graph/v1.0" });
  const icon = await page.request.get(stack.paneUrl.replace("taskpane.html", "assets/icon-80.png"));
  expect(icon.headers()["content-type"]).toBe("image/png");
});
