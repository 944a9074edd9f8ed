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

test("contact-sync help still goes through the full command", () => {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "contact-sync.js"), "help", "sync"], { encoding: "utf8" });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("contact-sync sync --practice-url URL");
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

  test("a rebuilt bundle of the same length never runs the old bundle's cached code", () => {
    const bundle = path.join(dir, "cmd.js");
    writeFileSync(bundle, "process.stdout.write(String(41 + 1));");
    expect(run(bundle).stdout).toBe("42");
    writeFileSync(bundle, "process.stdout.write(String(41 + 2));");
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    expect(run(bundle).stdout).toBe("43");
  });
});
