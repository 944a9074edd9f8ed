/**
 * @jest-environment jsdom
 */
// unsupported-webview.js runs the real file in a DOM with the user agents of Outlook's webviews: Internet
// Explorer 11 and Edge Legacy get a message saying what to update instead of "Loading…"; WebView2,
// Chromium Edge, Safari (Outlook on Mac) and Chrome keep the pane. The build ships the file next to the
// pane, loaded by a tag in taskpane.html.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const script = fs.readFileSync(path.join(root, "src", "taskpane", "unsupported-webview.js"), "utf8");

const AGENTS = {
  ie11: "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; rv:11.0) like Gecko",
  edgeLegacy:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041",
  webView2:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  macSafari: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
  chrome: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};

function runWith(userAgent: string, language = "en-US"): HTMLElement {
  Object.defineProperty(window.navigator, "userAgent", { value: userAgent, configurable: true });
  Object.defineProperty(window.navigator, "language", { value: language, configurable: true });
  delete (window as { __pcsUnsupportedWebview?: string }).__pcsUnsupportedWebview;
  document.body.innerHTML = '<div id="container"><p class="boot">Loading Practice Contact Sync…</p></div>';
  // The file as shipped, evaluated like a classic script.
  new Function(script)();
  return document.getElementById("container")!;
}

it.each([
  ["Internet Explorer 11", AGENTS.ie11, "Internet Explorer"],
  ["Edge Legacy", AGENTS.edgeLegacy, "Microsoft Edge Legacy"],
])("%s: says the add-in needs a newer Outlook and what to install, instead of Loading…", (_name, ua, engine) => {
  const container = runWith(ua);
  const alert = container.querySelector('[role="alert"]');
  expect(alert?.textContent).toContain("needs a newer version of Outlook");
  expect(alert?.textContent).toContain(engine);
  expect(alert?.textContent).toContain("WebView2");
  expect(container.textContent).not.toContain("Loading");
  expect((window as { __pcsUnsupportedWebview?: string }).__pcsUnsupportedWebview).toBe(engine);
});

it("says it in Spanish where the browser's language is Spanish", () => {
  const alert = runWith(AGENTS.ie11, "es-MX").querySelector('[role="alert"]');
  expect(alert?.textContent).toContain("necesita una versión más reciente de Outlook");
  expect(alert?.textContent).toContain("Internet Explorer");
  expect(alert?.textContent).toContain("WebView2");
  expect(alert?.textContent).not.toContain("needs a newer version");
});

it.each([
  ["WebView2 / Chromium Edge", AGENTS.webView2],
  ["Safari (Outlook on Mac)", AGENTS.macSafari],
  ["Chrome", AGENTS.chrome],
])("%s: leaves the pane to start", (_name, ua) => {
  const container = runWith(ua);
  expect(container.textContent).toBe("Loading Practice Contact Sync…");
  expect((window as { __pcsUnsupportedWebview?: string }).__pcsUnsupportedWebview).toBeUndefined();
});

it("is ES5 (no arrow functions, let/const, classes or template literals), so old engines can parse it", () => {
  const code = script.replace(/^\s*\/\/.*$/gm, "");
  expect(code).not.toMatch(/=>|\blet\b|\bconst\b|\bclass\b|`/);
});

it("is loaded by taskpane.html from beside it, after the container", () => {
  const html = fs.readFileSync(path.join(root, "src", "taskpane", "taskpane.html"), "utf8");
  expect(html).toMatch(/<div id="container">[\s\S]*<script src="unsupported-webview\.js"><\/script>\s*<\/body>/);
});
