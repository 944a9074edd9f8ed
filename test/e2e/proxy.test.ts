// The one-origin proxy layout shared by the dev server and the e2e pane server: prefixes are stripped,
// and X-Forwarded-Proto/Host/Prefix tell the servers the public URL to build their links from.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { startPaneServer, type PaneServer } from "./support/pane-server";

let echo: http.Server;
let echoUrl: string;
let pane: PaneServer;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-proxy-"));

beforeAll(async () => {
  echo = http.createServer((req, res) => {
    // Like the emulator, the echo server reflects any Origin: the proxy must not pass that on.
    const cors = req.headers.origin
      ? { "access-control-allow-origin": req.headers.origin, "Access-Control-Allow-Credentials": "true", "access-control-allow-headers": "authorization" }
      : {};
    res.writeHead(req.method === "OPTIONS" ? 204 : 200, { "content-type": "application/json", ...cors });
    res.end(req.method === "OPTIONS" ? undefined : JSON.stringify({ url: req.url, headers: req.headers }));
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  fs.writeFileSync(path.join(dist, "taskpane.html"), "<!doctype html><title>pane</title>");
  pane = await startPaneServer({ dist, practiceUrl: echoUrl, emulatorUrl: echoUrl, emulatorCaFile: "" });
});

afterAll(async () => {
  await pane.close();
  await new Promise<void>((r) => echo.close(() => r()));
  fs.rmSync(dist, { recursive: true, force: true });
});

it.each([
  ["/practice/api/v1/me", "/api/v1/me", "/practice"],
  ["/graph/v1.0/me/contactFolders?$top=5", "/v1.0/me/contactFolders?$top=5", "/graph"],
])("%s reaches the server as %s with forwarding headers", async (requested, seen, prefix) => {
  const res = await fetch(`${pane.url}${requested}`);
  const body = (await res.json()) as { url: string; headers: Record<string, string> };
  expect(body.url).toBe(seen);
  expect(body.headers["x-forwarded-proto"]).toBe("http");
  expect(body.headers["x-forwarded-host"]).toBe(new URL(pane.url).host);
  expect(body.headers["x-forwarded-prefix"]).toBe(prefix);
});

it("serves the built files and nothing outside them", async () => {
  expect((await fetch(`${pane.url}/taskpane.html`)).status).toBe(200);
  expect((await fetch(`${pane.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  expect((await fetch(`${pane.url}/missing.js`)).status).toBe(404);
});

it("answers 502 with a problem document when a server is down", async () => {
  const down = await startPaneServer({ dist, practiceUrl: "http://127.0.0.1:9", emulatorUrl: "http://127.0.0.1:9", emulatorCaFile: "" });
  try {
    const res = await fetch(`${down.url}/practice/api/v1/me`);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { title: string }).title).toBe("The practice server is not reachable");
  } finally {
    await down.close();
  }
});

it.each(["/practice/api/v1/me", "/graph/v1.0/me/contactFolders"])(
  "%s grants no cross-origin access: the server's CORS headers are dropped, and no wildcard is added",
  async (requested) => {
    const read = await fetch(`${pane.url}${requested}`, { headers: { origin: "https://evil.example" } });
    expect(read.status).toBe(200);
    const preflight = await fetch(`${pane.url}${requested}`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    for (const res of [read, preflight]) {
      expect([...res.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
    }
  },
);

it("the webpack dev server sets no Access-Control-Allow-Origin and proxies through the same routes", async () => {
  const saved = process.env.WEBPACK_SERVE;
  process.env.WEBPACK_SERVE = "true";
  try {
    const makeConfig = require("../../webpack.config.js") as (env: unknown, argv: { mode: string }) => Promise<{
      devServer: { headers?: Record<string, string>; proxy: Array<{ context: string[]; onProxyRes?: unknown }> };
    }>;
    const { devServer } = await makeConfig({}, { mode: "development" });
    const headerNames = Object.keys(devServer.headers ?? {}).map((h) => h.toLowerCase());
    expect(headerNames).not.toContain("access-control-allow-origin");
    expect(devServer.proxy.map((p) => p.context)).toEqual([["/practice"], ["/graph"]]);
    expect(devServer.proxy.every((p) => typeof p.onProxyRes === "function")).toBe(true);
  } finally {
    if (saved === undefined) delete process.env.WEBPACK_SERVE;
    else process.env.WEBPACK_SERVE = saved;
  }
});
