// Where the built pages load office.js from: Office's CDN whenever the pane runs inside Office (a
// production build; the HTTPS dev server that Outlook sideloads), the npm copy only for the local browser
// dev server (and the tests). Read from the webpack configuration itself, which also ships the ES5
// unsupported-webview notice next to the pane.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Plugin = { constructor: { name: string }; officeJsUrl?: string; files?: () => Record<string, Buffer | string> };
const makeConfig = require("../../webpack.config.js") as (env: unknown, argv: { mode: string }) => Promise<{ plugins: Plugin[] }>;
const { generateCertificates } = require("office-addin-dev-certs") as {
  generateCertificates(ca: string, cert: string, key: string, days: number, domains: string[]): Promise<void>;
};
const CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-officejs-cert-"));
const saved = { ...process.env };

beforeAll(async () => {
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  await generateCertificates(path.join(certDir, "ca.crt"), path.join(certDir, "localhost.crt"), path.join(certDir, "localhost.key"), 30, ["localhost"]);
});
afterEach(() => {
  for (const key of ["WEBPACK_SERVE", "PANE_HTTPS", "OFFICE_JS_URL", "OFFICE_ADDIN_DEV_CERTS_DIR", "PANE_CONFIG", "ADDIN_ORIGIN"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});
afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(certDir, { recursive: true, force: true });
});

async function officeJsUrl(mode: "production" | "development", env: Record<string, string> = {}): Promise<string | undefined> {
  for (const key of ["WEBPACK_SERVE", "PANE_HTTPS", "OFFICE_JS_URL", "PANE_CONFIG", "ADDIN_ORIGIN"]) delete process.env[key];
  Object.assign(process.env, { OFFICE_ADDIN_DEV_CERTS_DIR: certDir }, env);
  const config = await makeConfig({}, { mode });
  return config.plugins.find((p) => p.constructor.name === "PageHeadPlugin")?.officeJsUrl;
}

it("a production build (deployed into Office) loads office.js from Office's CDN", async () => {
  expect(await officeJsUrl("production")).toBe(CDN);
});

it("the HTTPS dev server Outlook sideloads loads it from the CDN too", async () => {
  expect(await officeJsUrl("development", { WEBPACK_SERVE: "true", PANE_HTTPS: "1" })).toBe(CDN);
});

it("only the local browser dev server and development builds use the npm copy", async () => {
  expect(await officeJsUrl("development", { WEBPACK_SERVE: "true", PANE_HTTPS: "0" })).toBe("/office/office.js");
  expect(await officeJsUrl("development")).toBe("/office/office.js");
  expect(await officeJsUrl("production", { OFFICE_JS_URL: "/office/office.js" })).toBe("/office/office.js");
});

it("ships unsupported-webview.js as written (not bundled) next to the pane", async () => {
  delete process.env.WEBPACK_SERVE;
  const config = await makeConfig({}, { mode: "production" });
  const files = config.plugins.find((p) => p.constructor.name === "PaneFilesPlugin")?.files?.() ?? {};
  const shipped = String(files["unsupported-webview.js"]);
  expect(shipped).toBe(fs.readFileSync(path.resolve(__dirname, "..", "..", "src", "taskpane", "unsupported-webview.js"), "utf8"));
});

it("a production build for an origin ships both manifests, rendered from the same values", async () => {
  delete process.env.WEBPACK_SERVE;
  process.env.ADDIN_ORIGIN = "https://contacts.firm.example";
  const config = await makeConfig({}, { mode: "production" });
  const files = config.plugins.find((p) => p.constructor.name === "PaneFilesPlugin")?.files?.() ?? {};
  const json = JSON.parse(String(files["manifest.json"])) as { id: string; extensions: Array<{ runtimes: Array<{ code: { page: string } }> }> };
  expect(String(files["manifest.xml"])).toContain(`<Id>${json.id}</Id>`);
  expect(json.extensions[0].runtimes[0].code.page).toBe("https://contacts.firm.example/taskpane.html");
  expect(Object.keys(files)).toEqual(expect.arrayContaining(["assets/color-192.png", "assets/outline-32.png"]));
});
