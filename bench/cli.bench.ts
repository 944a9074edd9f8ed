// The command's start (issue 11, item 3): `contact-sync --version` as a person runs it, a fresh process
// each time, from the compiled build (bench/run.ts builds it first). Bound: 150 ms. Also how long a bare
// `node` takes on this machine at the same moment, so a loaded machine shows as such.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);
const BOUND_MS = 150;
const bin = path.join(__dirname, "..", "bin", "contact-sync.js");

function time(args: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: "utf8" });
    out.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return out.sort((a, b) => a - b);
}

const version = time([bin, "--version"]);
const bare = time(["-e", "0"]);
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
console.log(`contact-sync start, ${RUNS} runs, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}, load ${os.loadavg()[0].toFixed(1)}`);
console.log("| command | min | median | bound | median / bound | met |");
console.log("| --- | --- | --- | --- | --- | --- |");
const ok = median(version) <= BOUND_MS;
console.log(`| contact-sync --version | ${version[0].toFixed(0)} ms | ${median(version).toFixed(0)} ms | ≤ ${BOUND_MS} ms | ${(median(version) / BOUND_MS).toFixed(2)} | ${ok ? "yes" : "NO"} |`);
console.log(`| node -e 0 (the floor) | ${bare[0].toFixed(0)} ms | ${median(bare).toFixed(0)} ms | | | |`);
if (!ok) process.exitCode = 1;
