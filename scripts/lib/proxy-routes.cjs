// The pane's one-origin layout, shared by the webpack dev server (npm start) and the static server the
// end-to-end tests use for the production build:
//   /practice/* → the practice server (prefix removed)
//   /graph/*    → the mailbox emulator over HTTPS (prefix removed), trusting its self-signed certificate
// X-Forwarded-Proto/Host/Prefix tell the emulator (and the practice server) the public URL, so the links
// they build (@odata.nextLink, deltaLink) come back through this proxy.
// The pane calls both APIs on its own origin, so the proxy grants no cross-origin access: any CORS
// header a server sends (the emulator reflects the caller's Origin) is dropped on the way back, so a page
// on another origin cannot read the APIs through the developer's machine.
"use strict";
const fs = require("node:fs");
const https = require("node:https");

/**
 * @param {{ practiceUrl: string, emulatorUrl: string, emulatorCaFile?: string | null }} targets
 * @returns {Array<{ prefix: string, options: object }>} http-proxy-middleware 2 options per prefix
 */
function paneProxyRoutes({ practiceUrl, emulatorUrl, emulatorCaFile }) {
  const emulatorAgent = emulatorUrl.startsWith("https:")
    ? new https.Agent({
        keepAlive: true,
        // Trust exactly the emulator's certificate (written by --cert-out), not every certificate.
        ...(emulatorCaFile ? { ca: fs.readFileSync(emulatorCaFile) } : {}),
      })
    : undefined;
  return [
    { prefix: "/practice", options: route("/practice", practiceUrl, undefined, "practice server") },
    { prefix: "/graph", options: route("/graph", emulatorUrl, emulatorAgent, "mailbox emulator") },
  ];
}

function route(prefix, target, agent, label) {
  return {
    target,
    changeOrigin: true,
    secure: true,
    agent,
    ws: false,
    logLevel: "silent",
    pathRewrite: { [`^${prefix}`]: "" },
    onProxyReq(proxyReq, req) {
      proxyReq.setHeader("x-forwarded-proto", req.socket.encrypted ? "https" : "http");
      if (req.headers.host) proxyReq.setHeader("x-forwarded-host", req.headers.host);
      proxyReq.setHeader("x-forwarded-prefix", prefix);
    },
    onProxyRes(proxyRes) {
      for (const name of Object.keys(proxyRes.headers)) {
        if (name.toLowerCase().startsWith("access-control-")) delete proxyRes.headers[name];
      }
    },
    onError(error, _req, res) {
      if (res.headersSent || typeof res.writeHead !== "function") {
        res.destroy?.();
        return;
      }
      res.writeHead(502, { "content-type": "application/problem+json" });
      res.end(
        JSON.stringify({
          type: "about:blank",
          title: `The ${label} is not reachable`,
          status: 502,
          detail: `${target}: ${error.code ?? error.message}`,
        }),
      );
    },
  };
}

module.exports = { paneProxyRoutes };
