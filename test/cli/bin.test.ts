// The installed commands run the compiled build (build/cli/, made by jest's globalSetup here).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { version } from "../../package.json";

const root = path.join(__dirname, "..", "..");

test("contact-sync --version prints the package version", () => {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "contact-sync.js"), "--version"], { encoding: "utf8" });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`contact-sync ${version}\n`);
});

describe("contact-sync's entry answers --version and help without loading the sync bundle", () => {
  const bin = path.join(root, "bin", "contact-sync.js");
  // Logs every compiled bundle the process reads, so a test sees whether the sync code was loaded.
  const spy = `const fs = require("node:fs"); const read = fs.readFileSync;
fs.readFileSync = function (file, ...rest) { if (/build[\\/]cli[\\/][\\w-]+\\.js$/.test(String(file))) process.stderr.write("READ " + require("node:path").basename(String(file)) + "\\n"); return read.call(this, file, ...rest); };`;
  const runBin = (args: string[]) => spawnSync(process.execPath, ["-e", `${spy}\nprocess.argv.splice(1, 0, ${JSON.stringify(bin)}); require(${JSON.stringify(bin)});`, "--", ...args], { encoding: "utf8" });
  const bundlesRead = (stderr: string) => [...stderr.matchAll(/^READ (.+)$/gm)].map((m) => m[1]);

  async function mainOutput(argv: string[]): Promise<{ code: number; out: string }> {
    const { main } = await import("../../src/cli/sync/main");
    let out = "";
    const sink = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
    const code = await main(argv, { stdout: sink, stderr: sink, input: process.stdin, output: sink });
    return { code, out };
  }

  test.each([[["--version"]], [["-V"]]])("%j reads only the entry", (args) => {
    const r = runBin(args);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`contact-sync ${version}\n`);
    expect(bundlesRead(r.stderr)).toEqual(["contact-sync.js"]);
  });

  test.each([[[]], [["help"]], [["help", "sync"]], [["help", "status"]], [["help", "nonsense"]], [["--help"]], [["-h"]]])(
    "%j prints what the full command prints, reading only the entry",
    async (args) => {
      const r = runBin(args);
      expect(r.status).toBe(0);
      expect(bundlesRead(r.stderr)).toEqual(["contact-sync.js"]);
      const full = await mainOutput(args);
      expect(full.code).toBe(0);
      expect(r.stdout).toBe(full.out);
    },
  );

  test("a real command loads the sync bundle and runs it", () => {
    const state = mkdtempSync(path.join(tmpdir(), "pcs-bin-state-"));
    try {
      const r = runBin(["status", "--state", state]);
      expect(bundlesRead(r.stderr)).toEqual(["contact-sync.js", "contact-sync-main.js"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`There is no sync state in ${state}`);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  test("help for one command with its options still goes through the full command", () => {
    const r = runBin(["sync", "--help"]);
    expect(r.status).toBe(0);
    expect(bundlesRead(r.stderr)).toEqual(["contact-sync.js", "contact-sync-main.js"]);
    expect(r.stdout).toContain("contact-sync sync --practice-url URL");
  });
});

test("a missing build says how to make it instead of a stack trace", () => {
  const loader = path.join(root, "bin", "load-build.js");
  const r = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(loader)})("no-such-command")`], { encoding: "utf8", cwd: root });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("the compiled command is missing (build/cli/no-such-command.js)");
  expect(r.stderr).toContain("npm run build:cli");
  expect(r.stderr).not.toMatch(/at Module\./);
});

describe("the V8 code cache next to a bundle", () => {
  const { runWithCodeCache } = require("../../bin/load-build.js") as { runWithCodeCache: (file: string) => void };
  const run = (file: string) => spawnSync(process.execPath, ["-e", `require(${JSON.stringify(path.join(root, "bin", "load-build.js"))}).runWithCodeCache(${JSON.stringify(file)})`], { encoding: "utf8" });
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "pcs-bin-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("is written by the first run and used by the next, with the bundle's require and module", () => {
    expect(typeof runWithCodeCache).toBe("function");
    const bundle = path.join(dir, "cmd.js");
    writeFileSync(bundle, 'const p = require("node:path"); process.stdout.write(p.basename(__filename) + " " + typeof module.exports + " " + String(41 + 1));');
    expect(run(bundle).stdout).toBe("cmd.js object 42");
    expect(existsSync(`${bundle}.v8cache`)).toBe(true);
    expect(run(bundle).stdout).toBe("cmd.js object 42");
  });

  test("a sibling bundle the bundle requires runs through the code cache too, once", () => {
    const bundle = path.join(dir, "cmd.js");
    writeFileSync(path.join(dir, "lazy-part.js"), "module.exports = { n: (globalThis.loads = (globalThis.loads ?? 0) + 1) };");
    writeFileSync(bundle, 'const a = require("./lazy-part.js"); const b = require("./lazy-part.js"); process.stdout.write(a.n + " " + (a === b) + " " + typeof require("node:path").join);');
    expect(run(bundle).stdout).toBe("1 true function");
    expect(existsSync(path.join(dir, "lazy-part.js.v8cache"))).toBe(true);
    expect(run(bundle).stdout).toBe("1 true function");
  });

  test("a rebuilt bundle of the same length never runs the old bundle's cached code", () => {
    const bundle = path.join(dir, "cmd.js");
    writeFileSync(bundle, "process.stdout.write(String(41 + 1));");
    expect(run(bundle).stdout).toBe("42");
    writeFileSync(bundle, "process.stdout.write(String(41 + 2));");
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    expect(run(bundle).stdout).toBe("43");
  });
});
