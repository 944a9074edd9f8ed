#!/usr/bin/env node
// Compiles the three commands (contact-sync, practice-server, mailbox-emulator) to JavaScript under
// build/cli/, one bundle each, so they start without compiling TypeScript (issue 11: `--version` in
// ≤ 150 ms). Runs on `npm ci` / `npm install` (the `prepare` script), before `npm start` and before
// the tests (jest's globalSetup), so the bins never run code older than the sources.
//
// contact-sync carries its dependencies in its bundle: resolving and reading a few hundred files from
// node_modules at every start cost more than the sync itself takes when nothing changed (about 40 % of
// its start). better-sqlite3 stays external (a native addon found next to its package). The servers
// start once per session, so their dependencies stay in node_modules (fastify's and pino's files).
// Each bundle is written to a temporary file and renamed into place, so a process started while
// another session rebuilds never reads half a file.
import { build } from "esbuild";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_OUT_DIR = path.join(root, "build", "cli");
/** Each bundle with its source under src/cli/ and the packages it leaves in node_modules ("*" = all). */
const ENTRIES = {
  // contact-sync's entry answers --version and --help by itself and loads the sync (the second bundle)
  // only for a real command: parsing and compiling 2 MB at every start was a third of `--version`.
  "contact-sync": { source: "contact-sync.ts", external: [], plugins: () => [syncCodeApart] },
  "contact-sync-main": { source: "sync/main.ts", external: ["better-sqlite3"] },
  "practice-server": { source: "practice-server.ts", external: "*" },
  "mailbox-emulator": { source: "mailbox-emulator.ts", external: "*" },
};

/**
 * A bundle lives in build/cli/, not next to its sources: a source's `__dirname` (the practice server
 * reads ../openapi.yaml from it) is rewritten to the source's own folder, relative to the bundle.
 */
const keepSourceDirname = {
  name: "keep-source-dirname",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!/\b__dirname\b/.test(text)) return undefined;
      const rel = path.relative(CLI_OUT_DIR, path.dirname(args.path)).split(path.sep).join("/");
      return {
        contents: text.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, ${JSON.stringify(rel)})`),
        loader: "ts",
      };
    });
  },
};

/**
 * contact-sync's `import("./sync/main")` requires the sibling bundle at run time instead of inlining it.
 * Through a one-line stand-in module, because esbuild keeps an external dynamic import as `import()`,
 * which the code-cache loader's vm.Script cannot run; a `require` of an external stays a `require`.
 */
const syncCodeApart = {
  name: "sync-code-apart",
  setup(b) {
    b.onResolve({ filter: /^\.\/sync\/main$/ }, (args) =>
      args.kind === "dynamic-import" ? { path: "contact-sync-main", namespace: "sibling-bundle" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "sibling-bundle" }, () => ({ contents: 'module.exports = require("./contact-sync-main.js");', loader: "js" }));
    b.onResolve({ filter: /^\.\/contact-sync-main\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function bundle(name, { source, external, plugins }) {
  return build({
    entryPoints: { [name]: path.join(root, "src", "cli", source) },
    outdir: CLI_OUT_DIR,
    bundle: true,
    ...(external === "*" ? { packages: "external" } : { external }),
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "linked",
    // Smaller to parse at every start; names are kept, and the source map maps stack traces back.
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    logLevel: "warning",
    plugins: [keepSourceDirname, ...(plugins?.() ?? [])],
  });
}

export async function buildCli() {
  const started = Date.now();
  const results = await Promise.all(Object.entries(ENTRIES).map(([name, entry]) => bundle(name, entry)));
  mkdirSync(CLI_OUT_DIR, { recursive: true });
  for (const file of results.flatMap((r) => r.outputFiles)) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return Date.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildCli().then(
    (ms) => {
      if (!process.argv.includes("--quiet")) console.log(`build-cli: ${Object.keys(ENTRIES).join(", ")} → build/cli/ in ${ms} ms`);
    },
    (err) => {
      console.error(`build-cli: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
