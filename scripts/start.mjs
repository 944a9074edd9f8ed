#!/usr/bin/env node
// `npm start`: the whole product on one machine, with demo data.
//   practice server  http://127.0.0.1:4100  (demo firm, SQLite file .data/practice.db, development auth)
//   mailbox emulator https://127.0.0.1:4200 (demo mailbox, state .data/mailbox.json, cert .data/emulator-cert.pem)
//   task pane        http://127.0.0.1:3000/taskpane.html (webpack dev server, local mode), proxying
//                    /practice → the practice server and /graph → the emulator
// Options: --https      serve the pane at https://localhost:3000 instead (what Outlook needs; see start-outlook.mjs)
//          --log FILE   also write the output to FILE (office-addin-debugging runs the dev server detached,
//                       without a console)
// Ports: PRACTICE_PORT, EMULATOR_PORT, PANE_PORT. Ctrl-C (or `npm stop`) stops all three.
// While running it records its process id in .data/dev-server.pid, which `npm stop` uses.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { portInUse, spawnService, stopAll, waitForHttp } from "./lib/services.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { https: { type: "boolean", default: false }, log: { type: "string" } } });
if (values.log) teeOutput(path.resolve(values.log));
const port = (name, fallback) => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) {
    console.error(`start: ${name} must be a port number, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const ports = { practice: port("PRACTICE_PORT", 4100), emulator: port("EMULATOR_PORT", 4200), pane: port("PANE_PORT", 3000) };
const dataDir = path.join(root, ".data");
// DEV_SERVER_PID_FILE moves it (tests); `npm stop` reads the same variable.
const pidFile = process.env.DEV_SERVER_PID_FILE || path.join(dataDir, "dev-server.pid");
const emulatorCa = path.join(dataDir, "emulator-cert.pem");
const paneUrl = values.https ? `https://localhost:${ports.pane}` : `http://127.0.0.1:${ports.pane}`;

const services = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping the pane, the mailbox emulator and the practice server…");
  await stopAll(services);
  removePidFile();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  for (const [name, p] of Object.entries(ports)) {
    if (await portInUse(p)) throw new Error(`port ${p} (${name}) is already in use; stop what uses it or set ${name.toUpperCase()}_PORT`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  const node = process.execPath;

  const practice = spawnService("practice", node, [
    path.join(root, "bin", "practice-server.js"),
    "--port", String(ports.practice), "--seed", "demo", "--dev-auth", "--db", path.join(dataDir, "practice.db"),
  ], { cwd: root });
  services.push(practice);
  const emulator = spawnService("emulator", node, [
    path.join(root, "bin", "mailbox-emulator.js"),
    "--port", String(ports.emulator), "--seed", "demo",
    "--state", path.join(dataDir, "mailbox.json"), "--cert-out", emulatorCa,
  ], { cwd: root });
  services.push(emulator);

  await Promise.all([
    waitForHttp(practice, `http://127.0.0.1:${ports.practice}/api/v1/openapi.json`),
    waitForHttp(emulator, `https://127.0.0.1:${ports.emulator}/`),
  ]);

  const pane = spawnService("pane", node, [
    path.join(root, "node_modules", "webpack-cli", "bin", "cli.js"), "serve", "--mode", "development",
  ], {
    cwd: root,
    env: {
      PANE_PORT: String(ports.pane),
      PANE_HTTPS: values.https ? "1" : "0",
      PRACTICE_URL: `http://127.0.0.1:${ports.practice}`,
      EMULATOR_URL: `https://127.0.0.1:${ports.emulator}`,
      EMULATOR_CA: emulatorCa,
    },
  });
  services.push(pane);
  // The first development build takes a while on a small machine.
  await waitForHttp(pane, `${paneUrl}/taskpane.html`, { timeoutMs: 180_000 });

  for (const s of services) {
    s.exited.then((e) => {
      if (!stopping) {
        console.error(`\n${s.name} stopped unexpectedly (${e.signal ?? `code ${e.code}`}).`);
        void shutdown(1);
      }
    });
  }

  console.log(`
  Practice Contact Sync is running (local mode, demo data).

    Open  ${paneUrl}/taskpane.html
    User  anna@harbour.example (the demo mailbox owner and the practice firm's first admin)

    Practice server   http://127.0.0.1:${ports.practice}/api/v1   (proxied at ${paneUrl}/practice)
    Mailbox emulator  https://127.0.0.1:${ports.emulator}/v1.0    (proxied at ${paneUrl}/graph)
    Data              .data/ (delete it to start again from the demo seed)

  Press Ctrl-C to stop all three.
`);
}

main().catch(async (error) => {
  console.error(`start: ${error.message}`);
  await shutdown(1);
});

/** Removes .data/dev-server.pid if it is still ours (a second instance may have replaced it). */
function removePidFile() {
  try {
    if (fs.readFileSync(pidFile, "utf8").trim() === String(process.pid)) fs.rmSync(pidFile);
  } catch {
    // never written or already gone
  }
}

/** Copies everything written to stdout and stderr into a file as well. */
function teeOutput(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const log = fs.createWriteStream(file, { flags: "a" });
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      log.write(chunk);
      return write(chunk, ...rest);
    };
  }
}
