// jest globalSetup: compiles the commands (scripts/build-cli.mjs) before any test spawns a bin, so the
// spawned processes run the current sources, not an older build.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = function buildCliForTests() {
  execFileSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "build-cli.mjs"), "--quiet"], { stdio: "inherit" });
};
