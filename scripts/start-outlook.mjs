#!/usr/bin/env node
// `npm run start:outlook`: the local stack served over HTTPS (https://localhost:3000) for Outlook.
// On Windows, office-addin-debugging sideloads manifest.xml into Outlook desktop and starts the stack as
// its dev server. Elsewhere (no Outlook desktop; office-addin-debugging cannot sideload Outlook on the
// web) this prints the Outlook on the web sideloading steps and starts the stack itself.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = path.join(root, "manifest.xml");
const startCommand = `"${process.execPath}" "${path.join(root, "scripts", "start.mjs")}" --https`;

function run(command, args) {
  const child = spawn(command, args, { stdio: "inherit", cwd: root, shell: process.platform === "win32" });
  const forward = (signal) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("exit", (code) => process.exit(code ?? 0));
}

if (process.platform === "win32") {
  run(path.join(root, "node_modules", ".bin", "office-addin-debugging.cmd"), [
    "start", manifest, "desktop", "--app", "outlook",
    "--dev-server", startCommand, "--dev-server-port", "3000",
  ]);
} else {
  console.log(`
  Sideload the add-in into Outlook on the web (once per mailbox):

    1. Wait until the pane is served below, then open https://localhost:3000/taskpane.html in this
       browser and accept the self-signed certificate (Outlook loads the pane only if the browser trusts it).
    2. Open https://aka.ms/olksideload with a work or school Microsoft 365 mailbox.
       Outlook on the web opens "Add-ins for Outlook".
    3. Choose My add-ins → Custom Addins → Add a custom add-in → Add from File, and pick
       ${path.relative(process.cwd(), manifest) || manifest}
    4. Open any message: the "Contact sync" button is on the message's ribbon (or under "Apps").
       Pin the pane to keep it open while you move between messages.

  Remove it later from the same dialog (… → Remove).
  Outlook desktop on Windows: run this command on Windows; it sideloads with office-addin-debugging.
`);
  run(process.execPath, [path.join(root, "scripts", "start.mjs"), "--https"]);
}
