// jest globalSetup: compiles the commands (scripts/build-cli.mjs) before any test spawns a bin, so the
// spawned processes run the current sources, not an older build. If the sources do not compile (a
// half-finished edit elsewhere in the tree), the tests that do not spawn a bin still run: the failure
// is printed and the previous build stays. CI cannot get here with a failed build: `npm ci` builds first.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

module.exports = function buildCliForTests() {
  const r = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "build-cli.mjs"), "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`\nWARNING: build/cli could not be rebuilt; tests that spawn a command run the previous build.\n${r.stderr}\n`);
  }
};
