#!/usr/bin/env node
// Compiles the three commands (contact-sync, practice-server, mailbox-emulator) to JavaScript under
// build/cli/, one bundle each, so they start without compiling TypeScript (issue 11: `--version` in
// ≤ 150 ms). Runs on `npm ci` / `npm install` (the `prepare` script), before `npm start` and before
// the tests (jest's globalSetup), so the bins never run code older than the sources.
//
// Dependencies stay in node_modules (required at run time): bundling them would save little and
// would break packages that find their own files (better-sqlite3's native addon, pino's workers).
// Each bundle is written to a temporary file and renamed into place, so a process started while
// another session rebuilds never reads half a file.
import { build } from "esbuild";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_OUT_DIR = path.join(root, "build", "cli");
const ENTRIES = ["contact-sync", "practice-server", "mailbox-emulator"];

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

export async function buildCli() {
  const started = Date.now();
  const result = await build({
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, path.join(root, "src", "cli", `${e}.ts`)])),
    outdir: CLI_OUT_DIR,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "linked",
    write: false,
    logLevel: "warning",
    plugins: [keepSourceDirname],
  });
  mkdirSync(CLI_OUT_DIR, { recursive: true });
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return Date.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildCli().then(
    (ms) => {
      if (!process.argv.includes("--quiet")) console.log(`build-cli: ${ENTRIES.join(", ")} → build/cli/ in ${ms} ms`);
    },
    (err) => {
      console.error(`build-cli: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
