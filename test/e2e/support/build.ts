// The production build the e2e tests run against. Built once when dist/ is missing or older than any
// source it is made from; a lock directory keeps parallel test files from building at the same time.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const repoRoot = path.resolve(__dirname, "..", "..", "..");
export const distDir = path.join(repoRoot, "dist");
const lockDir = path.join(repoRoot, ".data", "e2e-build.lock");
const INPUTS = ["src", "assets", "webpack.config.js", "scripts/lib", "package.json"];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

export function buildIsStale(): boolean {
  const built = fs.statSync(path.join(distDir, "taskpane.html"), { throwIfNoEntry: false });
  const config = fs.statSync(path.join(distDir, "config.json"), { throwIfNoEntry: false });
  if (!built || !config) return true;
  // A build for another deployment (its own config.json) is not what these tests expect.
  const shipped = JSON.parse(fs.readFileSync(path.join(distDir, "config.json"), "utf8")) as { mode?: string };
  if (shipped.mode !== "local") return true;
  return INPUTS.some((input) => newestMtime(path.join(repoRoot, input)) > built.mtimeMs);
}

async function withLock<T>(task: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lockDir, { recursive: true, force: true }); // left by a killed run
      if (Date.now() > deadline) throw new Error("Timed out waiting for another e2e build to finish");
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await task();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Runs `webpack --mode production` (local-mode config.json) unless dist/ is current. */
export async function ensureProductionBuild(): Promise<void> {
  if (!buildIsStale()) return;
  await withLock(async () => {
    if (!buildIsStale()) return; // another file built it while we waited
    const env = { ...process.env };
    delete env.PANE_CONFIG;
    delete env.OFFICE_JS_URL;
    delete env.ADDIN_ORIGIN;
    await run(process.execPath, [path.join(repoRoot, "node_modules", "webpack-cli", "bin", "cli.js"), "--mode", "production"], {
      cwd: repoRoot,
      env,
      maxBuffer: 32 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`The production build failed:\n${error.stdout ?? ""}${error.stderr ?? error.message}`);
    });
  });
}
