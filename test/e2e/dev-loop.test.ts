// `npm stop` (scripts/stop-outlook.mjs): after office-addin-debugging stop, it ends the dev server that
// scripts/start.mjs recorded, since office-addin-debugging only signals the shell it launched. A process
// id the file names that is not start.mjs (a stale file, a reused id) is left alone.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-devloop-"));
const pidFile = path.join(dir, "dev-server.pid");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

function stop(): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "stop-outlook.mjs")], {
    cwd: root,
    env: { ...process.env, DEV_SERVER_PID_FILE: pidFile },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("stops the recorded dev server with SIGTERM, so it can stop its own services", async () => {
  // Stands in for scripts/start.mjs: same file name, records that SIGTERM reached it.
  const fake = path.join(dir, "start.mjs");
  const marker = path.join(dir, "stopped");
  const ready = path.join(dir, "ready");
  fs.writeFileSync(
    fake,
    `import fs from "node:fs";
process.on("SIGTERM", () => { fs.writeFileSync(${JSON.stringify(marker)}, "SIGTERM"); process.exit(0); });
fs.writeFileSync(${JSON.stringify(ready)}, "");
setInterval(() => {}, 1000);
`,
  );
  const server = spawn(process.execPath, [fake], { stdio: "ignore" });
  children.push(server);
  await until(() => fs.existsSync(ready));
  fs.writeFileSync(pidFile, `${server.pid}\n`);
  const exited = new Promise((r) => server.on("exit", r));

  const result = stop();
  expect(result.out).toContain("Debugging has been stopped."); // office-addin-debugging stop ran first
  expect(result.out).toContain(`Stopped the dev server (process ${server.pid}).`);
  expect(result.status).toBe(0);
  await exited;
  expect(fs.readFileSync(marker, "utf8")).toBe("SIGTERM");
});

it("leaves alone a process that is not the dev server (a stale or reused process id)", async () => {
  const other = spawn("sleep", ["30"], { stdio: "ignore" });
  children.push(other);
  await until(() => other.pid !== undefined);
  fs.writeFileSync(pidFile, `${other.pid}\n`);
  const result = stop();
  expect(result.out).toContain("No dev server of this project is running.");
  expect(result.status).toBe(0);
  expect(other.exitCode).toBeNull();
  expect(other.signalCode).toBeNull();
});

it("says so when nothing was started", () => {
  fs.rmSync(pidFile, { force: true });
  const result = stop();
  expect(result.out).toContain("No dev server of this project is running.");
  expect(result.status).toBe(0);
});
