// Serves a built dist/ on 127.0.0.1 with the same one-origin layout as the dev server: static files,
// /practice → the practice server, /graph → the mailbox emulator (scripts/lib/proxy-routes.cjs).
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createProxyMiddleware } from "http-proxy-middleware";

const { paneProxyRoutes } = require("../../../scripts/lib/proxy-routes.cjs") as {
  paneProxyRoutes(targets: { practiceUrl: string; emulatorUrl: string; emulatorCaFile?: string | null }): Array<{
    prefix: string;
    options: Record<string, unknown>;
  }>;
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
};

export interface PaneServer {
  url: string;
  close(): Promise<void>;
}

export async function startPaneServer(opts: {
  dist: string;
  practiceUrl: string;
  emulatorUrl: string;
  emulatorCaFile: string;
}): Promise<PaneServer> {
  const proxies = paneProxyRoutes(opts).map((r) => ({
    prefix: r.prefix,
    handle: createProxyMiddleware(r.options) as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void,
  }));
  const root = path.resolve(opts.dist);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const proxy = proxies.find((p) => url.pathname === p.prefix || url.pathname.startsWith(`${p.prefix}/`));
    if (proxy) {
      proxy.handle(req, res, () => {
        res.writeHead(404);
        res.end();
      });
      return;
    }
    const file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
