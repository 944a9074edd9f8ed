// Findings 8 and 12 of the security review, through the real contact-sync command: the state directory
// and every file in it are the user's alone, even when the directory was made beforehand with open
// permissions; and a stale lock found by several runs at once is taken over by exactly one of them.
import { spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Harness, type Scenario } from "../integration/harness";

let h: Harness;
let s: Scenario;

beforeAll(async () => {
  h = new Harness();
  await h.start({ latencyMs: 150 });
  s = await h.scenario([{ fields: { givenName: "Ada", surname: "Private" } }, { fields: { givenName: "Bo", surname: "Secret" } }]);
}, 60_000);
afterAll(() => h.stop());

/** Runs the command to its end; `err` is what it said (stderr, and stdout, where --json puts errors). */
function run(child: ChildProcess): Promise<{ code: number | null; err: string }> {
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout?.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, err })));
}

const modes = (dir: string): Record<string, number> => Object.fromEntries([[".", statSync(dir).mode & 0o777], ...readdirSync(dir).map((f) => [f, statSync(path.join(dir, f)).mode & 0o777])]);

test("a pre-made 0755 state directory (and a 0644 database left in it) ends up 0700 with 0600 files", async () => {
  const dir = path.join(h.dir, "premade");
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  const first = await run(h.spawnCli(s.args({ state: dir })));
  expect(first).toMatchObject({ code: 0 });
  for (const [name, mode] of Object.entries(modes(dir))) expect([name, mode & 0o077]).toEqual([name, 0]);
  expect(modes(dir)["contact-sync.db"]).toBe(0o600);

  // Someone loosens it again: the next run tightens it before it reads anything.
  chmodSync(dir, 0o777);
  chmodSync(path.join(dir, "contact-sync.db"), 0o644);
  const second = await run(h.spawnCli(s.args({ state: dir })));
  expect(second).toMatchObject({ code: 0 });
  expect(modes(dir)["."]).toBe(0o700);
  expect(modes(dir)["contact-sync.db"]).toBe(0o600);
}, 60_000);

test("a state path that is a file is refused", async () => {
  const file = path.join(h.dir, "not-a-dir");
  writeFileSync(file, "");
  const r = await run(h.spawnCli(s.args({ state: file })));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/state directory/);
});

test("a stale lock found by four runs at once: exactly one runs, the others are told who holds it", async () => {
  const dir = path.join(h.dir, "contended");
  mkdirSync(dir, { mode: 0o700 });
  expect((await run(h.spawnCli(s.args({ state: dir })))).code).toBe(0);
  // A lock left by a process that is gone.
  const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
  writeFileSync(path.join(dir, "contact-sync.lock"), gone, { mode: 0o600 });
  // Whoever takes the lock over must still hold it when the others look, however loaded the machine:
  // Graph answers slowly until three runs have ended, then at the usual pace again.
  await h.faults({ latencyMs: 5_000 });
  let ended = 0;
  const runs = await Promise.all(
    Array.from({ length: 4 }, () =>
      run(h.spawnCli(s.args({ state: dir, mode: ["--dry-run"] }))).then(async (r) => {
        if (++ended === 3) await h.faults({ latencyMs: 150 });
        return r;
      }),
    ),
  );
  const codes = runs.map((r) => r.code).sort();
  expect(codes).toEqual([0, 2, 2, 2]);
  for (const r of runs.filter((x) => x.code === 2)) expect(r.err).toMatch(/Another contact-sync \(pid \d+\) is running/);
  expect(readdirSync(dir)).not.toContain("contact-sync.lock.takeover");
}, 60_000);
