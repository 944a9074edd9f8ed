// The installed commands run the compiled build (build/cli/, made by jest's globalSetup here).
import { spawnSync } from "node:child_process";
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
