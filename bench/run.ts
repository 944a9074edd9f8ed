// `npm run bench`: runs every bench/*.bench.ts in turn (or those named on the command line),
// each in its own process so one benchmark's heap does not skew the next. The commands are compiled
// first (scripts/build-cli.mjs), so the benchmarks that run them measure the current sources.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = __dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
const build = spawnSync(process.execPath, [path.join(dir, "..", "scripts", "build-cli.mjs"), "--quiet"], { stdio: "inherit" });
if (build.status !== 0) {
  console.error("bench: the commands do not compile (scripts/build-cli.mjs)");
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const res = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", path.join(dir, file)], { stdio: "inherit" });
  if (res.status !== 0) failed++;
}
if (failed) {
  console.error(`${failed} benchmark(s) failed`);
  process.exit(1);
}
