#!/usr/bin/env node
// `npm stop`: office-addin-debugging stop manifest.xml (unregisters the sideloaded add-in and signals the
// dev server it started), then ends the dev server itself: office-addin-debugging only signals the shell
// it launched, which leaves the stack behind, so scripts/start.mjs's recorded process is stopped too (it
// stops its three services on SIGTERM).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pidFile = process.env.DEV_SERVER_PID_FILE || path.join(root, ".data", "dev-server.pid");
const bin = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "office-addin-debugging.cmd" : "office-addin-debugging");

spawnSync(bin, ["stop", path.join(root, "manifest.xml")], { stdio: "inherit", cwd: root, shell: process.platform === "win32" });

const pid = readPid();
if (pid === null) {
  console.log("No dev server of this project is running.");
  process.exit(0);
}
process.kill(pid, "SIGTERM");
const deadline = Date.now() + 15_000;
while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
if (alive(pid)) {
  console.error(`The dev server (process ${pid}) did not stop within 15 s.`);
  process.exit(1);
}
console.log(`Stopped the dev server (process ${pid}).`);

/** The recorded dev server's id, if that process still runs and (where the system says) is ours. */
function readPid() {
  let pid;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, "utf8"), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  // A stale file may name a process id the system has since reused: on Linux, check it is start.mjs.
  const cmdline = `/proc/${pid}/cmdline`;
  if (fs.existsSync(cmdline) && !fs.readFileSync(cmdline, "utf8").includes("start.mjs")) return null;
  return pid;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === "EPERM";
  }
  // An exited process its parent has not reaped yet (a zombie) still answers signal 0; on Linux,
  // /proc says so ("Z" after the command name in /proc/<pid>/stat).
  try {
    return !/\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}
