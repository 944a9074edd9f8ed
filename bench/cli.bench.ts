// The command's start (issue 11, item 3): `contact-sync --version` and `--help` as a person runs them, a fresh process
// each time, from the compiled build (bench/run.ts builds it first). Bound: 150 ms. Also how long a bare
// `node` takes on this machine at the same moment, so a loaded machine shows as such, and the CPU time
// (user + system, through GNU time when installed), which a busy machine disturbs far less than wall time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);
const BOUND_MS = 150;
const bin = path.join(__dirname, "..", "bin", "contact-sync.js");

const GNU_TIME = "/usr/bin/time";

function time(args: string[], okStatus = 0): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  const withCpu = existsSync(GNU_TIME);
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = withCpu
      ? spawnSync(GNU_TIME, ["-f", "CPU %U %S", process.execPath, ...args], { encoding: "utf8" })
      : spawnSync(process.execPath, args, { encoding: "utf8" });
    wall.push(performance.now() - t0);
    if (r.status !== okStatus) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (m) cpu.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const median = (xs: number[]) => (xs.length ? xs[Math.floor(xs.length / 2)] : Number.NaN);
// A first run writes the V8 code cache (bin/load-build.js); what is measured is every start after it.
time([bin, "--version"]);
const versionRuns = time([bin, "--version"]);
const helpRuns = time([bin, "--help"]);
// A real command loads the sync bundle too: `status` of an empty state directory (exit 2: no state yet).
const emptyState = mkdtempSync(path.join(os.tmpdir(), "cli-bench-"));
time([bin, "status", "--state", emptyState], 2);
const statusRuns = time([bin, "status", "--state", emptyState], 2);
rmSync(emptyState, { recursive: true, force: true });
const bareRuns = time(["-e", "0"]);
const version = versionRuns.wall;
const bare = bareRuns.wall;
console.log(`contact-sync start, ${RUNS} runs, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}, load ${os.loadavg()[0].toFixed(1)}`);
console.log("| command | min | median | CPU (median) | bound | median / bound | met |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
const ok = median(version) <= BOUND_MS;
console.log(
  `| contact-sync --version | ${version[0].toFixed(0)} ms | ${median(version).toFixed(0)} ms | ${median(versionRuns.cpu).toFixed(0)} ms | ` +
    `≤ ${BOUND_MS} ms | ${(median(version) / BOUND_MS).toFixed(2)} | ${ok ? "yes" : "NO"} |`,
);
const helpOk = median(helpRuns.wall) <= BOUND_MS;
console.log(
  `| contact-sync --help | ${helpRuns.wall[0].toFixed(0)} ms | ${median(helpRuns.wall).toFixed(0)} ms | ${median(helpRuns.cpu).toFixed(0)} ms | ` +
    `≤ ${BOUND_MS} ms | ${(median(helpRuns.wall) / BOUND_MS).toFixed(2)} | ${helpOk ? "yes" : "NO"} |`,
);
console.log(
  `| contact-sync status (loads the sync bundle) | ${statusRuns.wall[0].toFixed(0)} ms | ${median(statusRuns.wall).toFixed(0)} ms | ${median(statusRuns.cpu).toFixed(0)} ms | | | |`,
);
console.log(`| node -e 0 (the floor) | ${bare[0].toFixed(0)} ms | ${median(bare).toFixed(0)} ms | ${median(bareRuns.cpu).toFixed(0)} ms | | | |`);
if (!ok || !helpOk) process.exitCode = 1;
