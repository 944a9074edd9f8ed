// Child processes for `npm start`: each service runs in its own process group (detached), its output is
// prefixed with its name, and stopAll() ends every group by PID: SIGTERM, then SIGKILL after a grace period.
import { spawn } from "node:child_process";
import http from "node:http";
import https from "node:https";
import net from "node:net";

export function spawnService(name, command, args, { env, cwd } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true, // its own process group, so grandchildren (tsx, webpack workers) stop with it
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `[${name}]`.padEnd(11);
  const forward = (stream, out) => {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) out.write(`${prefix} ${line}\n`);
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { name, child, exited };
}

/** Resolves when `url` answers any HTTP status; rejects when the service exits first or time runs out. */
export async function waitForHttp(service, url, { timeoutMs = 90_000, ca } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  service.exited.then((e) => (exited = e));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${service.name} exited (${exited.signal ?? `code ${exited.code}`}) before it was ready`);
    if (await answers(url, ca)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${service.name} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function answers(url, ca) {
  return new Promise((resolve) => {
    const lib = url.startsWith("https:") ? https : http;
    // A long per-request timeout: the dev server holds a request until its first build is done, and
    // re-asking every few seconds would only fill the log with "wait until bundle finished".
    const req = lib.get(url, { ca, rejectUnauthorized: Boolean(ca), timeout: 30_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

/** True when something already listens on host:port (a second `npm start`, another app). */
export function portInUse(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function stopAll(services, graceMs = 5000) {
  const running = services.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
  for (const s of running) signalGroup(s, "SIGTERM");
  await Promise.race([Promise.all(running.map((s) => s.exited)), new Promise((r) => setTimeout(r, graceMs))]);
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) signalGroup(s, "SIGKILL");
  await Promise.all(running.map((s) => s.exited));
}

function signalGroup(service, signal) {
  try {
    // Negative PID: the whole process group this service leads (Windows has no groups: the PID alone).
    process.kill(process.platform === "win32" ? service.child.pid : -service.child.pid, signal);
  } catch {
    // already gone
  }
}
