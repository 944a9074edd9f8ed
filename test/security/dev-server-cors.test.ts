// Finding 5 of the security review, against the real webpack dev server built from webpack.config.js:
// its /practice and /graph proxies answer no cross-origin reader (no `Access-Control-Allow-Origin: *`,
// and the emulator's reflected Origin is dropped), so a page on another origin cannot mint a dev token
// or read contacts through a developer's machine; and a foreign Host header (DNS rebinding) is refused.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import webpack from "webpack";
import WebpackDevServer from "webpack-dev-server";
import { startPracticeServer, type PracticeServer } from "../../src/practice-api/server";

const EVIL = "https://evil.example";
let practice: PracticeServer;
let echo: http.Server;
let dev: WebpackDevServer;
let url: string;
const dir = mkdtempSync(path.join(tmpdir(), "dev-cors-"));

beforeAll(async () => {
  practice = await startPracticeServer({ seed: "demo", devAuth: true, rateLimit: false });
  // Stands in for the mailbox emulator, which reflects any Origin it is sent.
  echo = http.createServer((req, res) => {
    res.writeHead(req.method === "OPTIONS" ? 204 : 200, {
      "content-type": "application/json",
      ...(req.headers.origin ? { "access-control-allow-origin": req.headers.origin, "access-control-allow-credentials": "true" } : {}),
    });
    res.end(req.method === "OPTIONS" ? undefined : "{}");
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
  const env = { WEBPACK_SERVE: "true", PRACTICE_URL: practice.url, EMULATOR_URL: `http://127.0.0.1:${(echo.address() as AddressInfo).port}` };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let devServerOptions: WebpackDevServer.Configuration;
  try {
    const makeConfig = require("../../webpack.config.js") as (env: unknown, argv: { mode: string }) => Promise<{ devServer: WebpackDevServer.Configuration }>;
    devServerOptions = (await makeConfig({}, { mode: "development" })).devServer;
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  // The project's dev-server settings (headers, proxies, hosts) over a one-line bundle: the pane's own
  // build is not what this probe is about.
  writeFileSync(path.join(dir, "entry.js"), "console.log('probe');\n");
  const compiler = webpack({ mode: "development", entry: path.join(dir, "entry.js"), output: { path: path.join(dir, "out") }, infrastructureLogging: { level: "error" }, stats: "errors-only" });
  dev = new WebpackDevServer({ ...devServerOptions, port: 0, hot: false, client: false, liveReload: false }, compiler);
  await dev.start();
  url = `http://127.0.0.1:${(dev.server!.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await dev?.stop();
  await new Promise<void>((r) => echo.close(() => r()));
  await practice.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a preflight from another origin for the dev-token route gets no Access-Control-Allow-Origin", async () => {
  const r = await fetch(`${url}/practice/api/v1/dev/token`, { method: "OPTIONS", headers: { origin: EVIL, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
  expect(r.headers.get("access-control-allow-origin")).toBeNull();
});

test("a token minted through the proxy from another origin is not readable there", async () => {
  const r = await fetch(`${url}/practice/api/v1/dev/token`, { method: "POST", headers: { origin: EVIL, "content-type": "application/json" }, body: "{}" });
  expect(r.headers.get("access-control-allow-origin")).toBeNull();
  expect(r.headers.get("access-control-allow-credentials")).toBeNull();
});

test("the emulator's reflected Origin does not come back through /graph", async () => {
  const r = await fetch(`${url}/graph/v1.0/me/contactFolders`, { headers: { origin: EVIL } });
  expect(r.status).toBe(200);
  expect(r.headers.get("access-control-allow-origin")).toBeNull();
  expect(r.headers.get("access-control-allow-credentials")).toBeNull();
});

test("a request naming another host (DNS rebinding) is refused", async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const { port } = dev.server!.address() as AddressInfo;
    http.get({ host: "127.0.0.1", port, path: "/practice/api/v1/me", headers: { host: "evil.example" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject);
  });
  expect(status).toBe(403);
});
