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
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
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
