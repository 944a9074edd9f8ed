#!/usr/bin/env node
// `npm run start:outlook`: the Office way into Outlook, as the yo office template does it.
//   1. Office's developer certificate: office-addin-dev-certs' localhost CA must be trusted by the system
//      (Outlook desktop's webview refuses anything else). If it is not, `office-addin-dev-certs install`
//      runs here, in the foreground, because it asks for an administrator password (sudo, a Keychain or a
//      Windows prompt).
//   2. office-addin-debugging start manifest.xml: starts the dev server (`npm run dev-server`: the local
//      stack over https://localhost:3000) detached and, on Windows and Mac, sideloads the add-in into
//      Outlook desktop. It cannot sideload Outlook on the web, so elsewhere it only starts the dev server
//      and the steps to sideload by hand are printed.
// `npm stop` unregisters the add-in and ends the dev server.
import { spawnSync } from "node:child_process";
import https from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";
import devCert from "./lib/dev-cert.cjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = path.join(root, "manifest.xml");
const bin = (name) => path.join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
const run = (command, args) => spawnSync(command, args, { stdio: "inherit", cwd: root, shell: process.platform === "win32" });

if (!devCert.devCertificateTrusted()) {
  console.log("Installing Office's developer certificate for https://localhost (it may ask for your password)…");
  run(bin("office-addin-dev-certs"), ["install"]);
  // The Office CLIs exit 0 even when they fail, so check the result rather than the exit code.
  if (!devCert.devCertificateTrusted()) {
    console.error(`
  The developer certificate is not trusted yet, so Outlook would refuse the pane. Run
    ${devCert.INSTALL_COMMAND}
  as a user who may install certificates (Linux: with sudo available; Mac: an administrator), then try
  again. docs/admin-guide.md ("Developer certificate") has the steps for each system.`);
    process.exit(1);
  }
}
try {
  devCert.readDevCertificate();
} catch (error) {
  console.error(`start:outlook: ${error.message}`);
  process.exit(1);
}

const sideloads = process.platform === "win32" || process.platform === "darwin";
const args = ["start", manifest, ...(sideloads ? ["desktop", "--app", "outlook"] : ["--no-sideload"]),
  "--dev-server", "npm run dev-server", "--dev-server-port", "3000"];
const started = run(bin("office-addin-debugging"), args);
if (started.status !== 0) process.exit(started.status ?? 1);
// office-addin-debugging exits 0 even when the dev server did not start: ask the pane itself, over HTTPS
// trusting only the developer CA, as Outlook will.
if (!(await paneAnswers("https://localhost:3000/taskpane.html", devCert.readDevCertificate().ca))) {
  console.error("start:outlook: the dev server did not come up at https://localhost:3000; see .data/dev-server.log, then run npm stop.");
  process.exit(1);
}

console.log(`
  The pane is served at https://localhost:3000/taskpane.html (output: .data/dev-server.log).
${sideloads ? "  Outlook desktop opens with the add-in sideloaded." : `
  Sideload it into Outlook on the web (once per mailbox):
    1. Open https://aka.ms/olksideload with a work or school Microsoft 365 mailbox.
       Outlook on the web opens "Add-ins for Outlook".
    2. Choose My add-ins → Custom Addins → Add a custom add-in → Add from File, and pick
       ${path.relative(process.cwd(), manifest) || manifest}
    3. Open any message: the "Contact sync" button is on the message's ribbon (or under "Apps").
       Pin the pane to keep it open while you move between messages.`}

  npm stop   unregisters the add-in and stops the dev server.
`);

/**
 * Polls until the URL answers 200 (the dev server holds requests until its first build is done). Gives up
 * at once-ish when nothing listens at all: office-addin-debugging has already waited for the port.
 */
async function paneAnswers(url, ca, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  let refused = 0;
  while (Date.now() < deadline && refused < 15) {
    const status = await new Promise((resolve) => {
      const req = https.get(url, { ca, timeout: 60_000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("timeout", () => req.destroy());
      req.on("error", (error) => resolve(error.code === "ECONNREFUSED" ? -1 : 0));
    });
    if (status === 200) return true;
    refused = status === -1 ? refused + 1 : 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}
