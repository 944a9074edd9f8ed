// Loads one command's compiled bundle from build/cli/ (made by `npm ci`, `npm run build:cli`, `npm start`
// and the tests: scripts/build-cli.mjs). No TypeScript is compiled at run time, so the commands start fast.
const path = require("node:path");

module.exports = function loadBuild(name) {
  const file = path.join(__dirname, "..", "build", "cli", `${name}.js`);
  try {
    require.resolve(file);
  } catch {
    process.stderr.write(`${name}: the compiled command is missing (${path.relative(process.cwd(), file) || file}).\n` +
      "Run `npm run build:cli` (or `npm ci`, which builds it) in the project folder, then try again.\n");
    process.exit(1);
  }
  require(file);
};
