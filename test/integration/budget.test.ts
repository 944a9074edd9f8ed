// Outlook's request budget (10,000 per 10 minutes per app and mailbox, batch items counted;
// research/graph-contacts.md §6), compressed in the emulator to 50 requests per 2 s: a sync that needs
// several windows waits each one out by itself, says so, exits 0 and creates nothing twice; a run
// killed while it waits is finished by the next one.
import type { ChildProcess } from "node:child_process";
import { expectConverged, Harness, person, type Scenario } from "./harness";

const WINDOW_MS = 2000;
const h = new Harness();
beforeAll(() => h.start({ rateLimit: { requests: 50, windowMs: WINDOW_MS } }));
afterAll(() => h.stop());

const people = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => person(`${prefix}${i}`, `Sur${i}`));
/** The sync's arguments with its progress lines on stderr. */
const loud = (s: Scenario) => s.args().filter((a) => a !== "--quiet");

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}

test("a sync over several budget windows waits them out by itself, says when it resumes, exits 0, no duplicate", async () => {
  const n = 150;
  const s = await h.scenario(people(n, "B"));
  const started = Date.now();
  const run = await h.cli(loud(s));
  const elapsed = Date.now() - started;
  expect(run.code).toBe(0);
  expect(run.json.errors).toEqual([]);
  expect(run.json.planned["add:toOutlook"]).toBe(n);
  // 150 creates and a few reads at 50 per window: at least two windows waited out.
  expect(elapsed).toBeGreaterThanOrEqual(2 * WINDOW_MS);
  expect(run.stderr).toMatch(/^Outlook's request limit reached; resuming at \d\d:\d\d:\d\d \(\d+\/\d+ done\)$/m);
  expect(run.stderr).toMatch(/^Applying: \d+\/\d+/m);
  s.folderId = run.json.folder.id;
  await expectConverged(s, n);
  const stats = (await h.admin("GET", "/admin/stats")) as { throttled: number };
  expect(stats.throttled).toBeGreaterThan(0);
}, 60_000);

test("a run killed while it waits for the budget is finished by the next run, without duplicates", async () => {
  const n = 120;
  const s = await h.scenario(people(n, "K"));
  await new Promise((r) => setTimeout(r, WINDOW_MS)); // a fresh window for this scenario's mailbox
  const child = h.spawnCli(loud(s));
  const killed = exited(child);
  let seen = "";
  child.stderr?.on("data", (d: Buffer) => {
    seen += d.toString();
    if (seen.includes("Outlook's request limit reached")) child.kill("SIGKILL");
  });
  const first = await killed;
  expect(first.signal).toBe("SIGKILL");
  expect(first.stderr).toContain("resuming at");
  const { folders } = (await h.admin("GET", `/admin/mailboxes/${s.mailbox}/folders`)) as { folders: { displayName: string; contacts: number }[] };
  const landed = folders.find((f) => f.displayName === "Practice contacts")?.contacts;
  expect(landed).toBeGreaterThan(0); // it was killed mid-apply, not before
  expect(landed).toBeLessThan(n);

  const again = await h.cli(loud(s));
  expect(again.code).toBe(0);
  expect(again.json.errors).toEqual([]);
  s.folderId = again.json.folder.id;
  await expectConverged(s, n);
}, 60_000);
