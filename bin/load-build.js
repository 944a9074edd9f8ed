// Loads one command's compiled bundle from build/cli/ (made by `npm ci`, `npm run build:cli`, `npm start`
// and the tests: scripts/build-cli.mjs). No TypeScript is compiled at run time, so the commands start fast.
//
// V8's code cache: the first run of a bundle saves the compiled code next to it (<bundle>.v8cache), and
// later runs skip compiling the 2 MB bundle again (measured: a third of contact-sync's start-up CPU).
// The cache is tied to the bundle's size and modification time, so a rebuilt bundle is never run with
// code compiled from the old one; a cache that cannot be written (read-only install) is simply skipped.
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

function readCache(cacheFile, key) {
  try {
    const data = fs.readFileSync(cacheFile);
    const newline = data.indexOf(10);
    if (newline > 0 && data.subarray(0, newline).toString() === key) return data.subarray(newline + 1);
  } catch {
    // no cache yet
  }
  return undefined;
}

function writeCache(cacheFile, key, script) {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${key}\n`), script.createCachedData()]));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // read-only or full: the command works the same, only its next start is slower
  }
}

/**
 * The bundle's own `require`, except that a sibling bundle (`./name.js`: contact-sync's entry loads its
 * sync code that way, only for a real command) is run through the code cache as well.
 */
function bundleRequire(file) {
  const plain = Module.createRequire(file);
  const loaded = new Map();
  const load = (id) => {
    if (!/^\.\/[\w-]+\.js$/.test(id)) return plain(id);
    const sibling = path.join(path.dirname(file), id);
    if (!loaded.has(sibling)) loaded.set(sibling, runWithCodeCache(sibling));
    return loaded.get(sibling);
  };
  return Object.assign(load, { resolve: plain.resolve, cache: plain.cache, main: plain.main });
}

function runWithCodeCache(file) {
  const stat = fs.statSync(file);
  const key = `v1 ${process.version} ${stat.size} ${stat.mtimeMs}`;
  const cacheFile = `${file}.v8cache`;
  const cachedData = readCache(cacheFile, key);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // At exit the cache also holds the functions this run compiled lazily, not only the top level.
    process.once("exit", () => writeCache(cacheFile, key, script));
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext()(mod.exports, bundleRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

function loadBuild(name) {
  const file = path.join(__dirname, "..", "build", "cli", `${name}.js`);
  if (!fs.existsSync(file)) {
    process.stderr.write(
      `${name}: the compiled command is missing (${path.relative(process.cwd(), file) || file}).\n` +
        "Run `npm run build:cli` (or `npm ci`, which builds it) in the project folder, then try again.\n",
    );
    process.exit(1);
  }
  runWithCodeCache(file);
}

module.exports = loadBuild;
module.exports.runWithCodeCache = runWithCodeCache;
