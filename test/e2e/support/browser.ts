// Debian's Chromium driven by playwright-core, hermetic: a throwaway profile (XDG dirs inside it, or
// Chromium writes to ~/.config), and every request that is not to 127.0.0.1 is aborted.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface PaneBrowser {
  context: BrowserContext;
  /** Console errors and page errors seen so far (for assertions and failure messages). */
  errors: string[];
  /** Non-local requests that were blocked. */
  blocked: string[];
  newPage(opts?: { colorScheme?: "light" | "dark" }): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  colorScheme?: "light" | "dark";
  bypassCSP?: boolean;
  /** The browser's language (navigator.language), which the pane speaks outside Office; en-US unless set. */
  locale?: string;
  viewport?: { width: number; height: number };
}

export async function launchBrowser(opts: LaunchOptions = {}): Promise<PaneBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
    env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
    viewport: opts.viewport ?? { width: 420, height: 900 },
    // Fixed, so the pane's words and number formats do not depend on the machine's LANG.
    locale: opts.locale ?? "en-US",
    colorScheme: opts.colorScheme ?? "light",
    // Only for injecting axe-core (an inline script the pane's CSP rightly refuses).
    bypassCSP: opts.bypassCSP ?? false,
  });
  const errors: string[] = [];
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    blocked.push(url.origin);
    return route.abort("blockedbyclient");
  });
  const watch = (page: Page) => {
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  };
  context.on("page", watch);
  return {
    context,
    errors,
    blocked,
    async newPage(pageOpts = {}) {
      const page = await context.newPage();
      if (pageOpts.colorScheme) await page.emulateMedia({ colorScheme: pageOpts.colorScheme });
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
