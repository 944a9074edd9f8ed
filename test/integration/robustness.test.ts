// The sync under the conditions real deployments meet: several devices, a lost state directory, a
// process killed mid-apply, an expired delta token, throttling and flaky servers, and a shared mailbox
// two people want to sync at once. Invariants everywhere: nothing lost, no duplicates, and a second
// sync writes nothing.
import { rmSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { expectConverged, Harness, person } from "./harness";

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());
afterEach(() => h.faults({ clear: true, latencyMs: 0 }));

const people = (n: number, prefix = "P") => Array.from({ length: n }, (_, i) => person(`${prefix}${i}`, `Sur${i}`));

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("two devices (two state directories) syncing one folder make no duplicates", async () => {
  const s = await h.scenario(people(5));
  const a = `${s.stateDir}-device-a`;
  const b = `${s.stateDir}-device-b`;
  expect((await s.sync({ state: a })).code).toBe(0);
  const onB = await s.sync({ state: b });
  expect(onB.code).toBe(0);
  expect(onB.json.planned["add:toOutlook"] ?? 0).toBe(0);
  await s.addOutlook({ givenName: "Olga", surname: "Outlook" });
  await s.editPractice("P1", { jobTitle: "Partner" });
  expect((await s.sync({ state: a })).code).toBe(0);
  const b2 = await s.sync({ state: b });
  expect(b2.code).toBe(0);
  expect(b2.json.planned["add:toPractice"] ?? 0).toBe(0);
  await expectConverged(s, 6);
  expect((await s.sync({ state: a })).json.planned).toEqual({});
  expect((await s.sync({ state: b })).json.planned).toEqual({});
});

test("the state directory deleted: the next run re-links by stamp, no duplicates", async () => {
  const s = await h.scenario(people(8));
  await s.sync();
  rmSync(s.stateDir, { recursive: true, force: true });
  const r = await s.sync();
  expect(r.code).toBe(0);
  expect(r.json.planned["add:toOutlook"] ?? 0).toBe(0);
  expect(r.json.planned["add:toPractice"] ?? 0).toBe(0);
  await expectConverged(s, 8);
});

test("R13 the sync process killed with SIGKILL during apply, then run again: nothing lost, no duplicates", async () => {
  const n = 300;
  const s = await h.scenario(people(n));
  // Create the folder first so the killed run spends its time on contacts.
  await s.sync({ mode: ["--dry-run"] });
  await h.faults({ latencyMs: 150 });
  const child = h.spawnCli(s.args());
  const done = exited(child);
  await waitFor(async () => (await s.outlookContacts()).length >= 40, 60_000, "the apply to start");
  child.kill("SIGKILL");
  const killed = await done;
  expect(killed.signal).toBe("SIGKILL");
  const landed = (await s.outlookContacts()).length;
  expect(landed).toBeLessThan(n);
  await h.faults({ latencyMs: 0 });

  const again = await s.sync();
  expect(again.code).toBe(0);
  await expectConverged(s, n);
  const third = await s.sync();
  expect(third.json.outcome).toBe("no-changes");
}, 90_000);

test("R13 Ctrl-C (SIGINT) during apply stops cleanly, releases the lease, and the next run finishes the rest", async () => {
  const n = 200;
  const s = await h.scenario(people(n));
  await s.sync({ mode: ["--dry-run"] });
  await h.faults({ latencyMs: 150 });
  const child = h.spawnCli(s.args());
  const done = exited(child);
  await waitFor(async () => (await s.outlookContacts()).length >= 20, 60_000, "the apply to start");
  child.kill("SIGINT");
  const stopped = await done;
  expect(stopped.code).toBe(1);
  const report = JSON.parse(stopped.stdout.trim()) as { outcome: string; message: string };
  expect(report.outcome).toBe("cancelled");
  expect(stopped.stderr).toContain("SIGINT");
  const lease = await s.practiceAs().getLease(`${s.mailbox}/${s.folderId}`);
  expect(lease).toBeNull();
  // The emulator applies its latency before it handles a request, so a $batch the killed process had
  // sent can still land a moment later (Graph handles a request as it arrives). Wait until the folder
  // stops changing, as it would have on Graph by the time anyone runs the command again.
  let before = -1;
  for (let now = (await s.outlookContacts()).length; now !== before; now = (await s.outlookContacts()).length) {
    before = now;
    await new Promise((r) => setTimeout(r, 500));
  }
  await h.faults({ latencyMs: 0 });
  const again = await s.sync();
  expect(again.code).toBe(0);
  await expectConverged(s, n);
}, 90_000);

test("an expired delta token means a full read, safe by stamps: the edit arrives, nothing is duplicated", async () => {
  const s = await h.scenario(people(6));
  await s.sync();
  await s.editOutlook("P2", { jobTitle: "Director" });
  await h.faults({ expireDeltaTokens: true });
  const r = await s.sync();
  expect(r.code).toBe(0);
  expect(r.json.planned).toEqual({ "update:toPractice": 1 });
  expect((await s.practiceByName("P2")).fields.jobTitle).toBe("Director");
  await expectConverged(s, 6);
  expect((await s.sync()).json.planned).toEqual({});
});

test("a 429 storm (whole requests and $batch items) is ridden out with Retry-After; a longer one fails contacts visibly and the next run finishes", async () => {
  const s = await h.scenario(people(60));
  await s.sync({ mode: ["--dry-run"] });
  // Three chains of 20: each throttled round stalls all three heads; four stalls are within the adapter's patience.
  await h.faults({ status: 429, count: 3, retryAfter: 0 });
  await h.faults({ status: 429, count: 12, retryAfter: 0, items: true });
  const r = await s.sync();
  expect(r.code).toBe(0);
  expect(r.json.requests.graph).toBeGreaterThan(4);
  await expectConverged(s, 60);

  for (let i = 0; i < 60; i += 7) await s.editPractice(`P${i}`, { jobTitle: "Storm" });
  await h.faults({ status: 429, count: 200, retryAfter: 0, items: true });
  const stormy = await s.sync();
  expect(stormy.code).toBe(4);
  expect(stormy.json.errors.length).toBeGreaterThan(0);
  // Throttled items, and the items chained behind them that were never attempted (424: unavailable), both retryable.
  expect(stormy.json.errors.every((e) => e.code === "throttled" || e.code === "unavailable")).toBe(true);
  await h.faults({ clear: true });
  const after = await s.sync();
  expect(after.code).toBe(0);
  expect((await s.outlookContacts()).filter((c) => c.jobTitle === "Storm")).toHaveLength(9);
  await expectConverged(s, 60);
  expect((await s.sync()).json.planned).toEqual({});
});

test("a 503 on every third request: retried, the run completes, nothing duplicated", async () => {
  const s = await h.scenario(people(40));
  await s.sync({ mode: ["--dry-run"] });
  await h.faults({ status: 503, share: 1 / 3, retryAfter: 0 });
  await h.faults({ status: 503, share: 1 / 3, retryAfter: 0, items: true });
  let r = await s.sync();
  // A contact whose every retry drew a 503 is listed (R19) and retried by the next run.
  for (let i = 0; i < 3 && r.code === 4; i++) r = await s.sync();
  expect(r.code).toBe(0);
  await h.faults({ clear: true });
  await expectConverged(s, 40);
  expect((await s.sync()).json.planned).toEqual({});
});

test("R18 a shared mailbox folder: while one user's run holds the lease, a second user is turned away", async () => {
  const s = await h.scenario(people(200));
  await s.sync({ mode: ["--dry-run"] });
  await h.faults({ latencyMs: 150 });
  const annChild = h.spawnCli(s.args());
  const annRun = exited(annChild);
  const key = `${s.mailbox}/${s.folderId}`;
  await waitFor(async () => (await s.practiceAs().getLease(key))?.holder.name === "Ann Admin", 60_000, "Ann's run to take the lease");
  // Pause Ann's run while it holds the lease, so the second user's attempt cannot race its end.
  annChild.kill("SIGSTOP");
  const bea = await s.sync({ staff: s.staffBea, state: `${s.stateDir}-bea` });
  annChild.kill("SIGCONT");
  expect(bea.code).toBe(2);
  expect(bea.json.message).toMatch(/^This folder is synced by Ann Admin until /);
  const ann = await annRun;
  expect(ann.code).toBe(0);
  await h.faults({ latencyMs: 0 });
  const lease = await s.practiceAs().getLease(key);
  expect(lease === null || lease.expired).toBe(true);
  const beaAfter = await s.sync({ staff: s.staffBea, state: `${s.stateDir}-bea` });
  expect(beaAfter.code).toBe(0);
  await expectConverged(s, 200);
}, 90_000);
