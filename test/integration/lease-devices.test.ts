// R18 across one person's devices: two `contact-sync` state directories of the same user on one folder.
// While the first run holds the folder's lease, the second is turned away saying another of the user's
// devices is syncing, writes nothing, and goes ahead once the first is done.
import type { ChildProcess } from "node:child_process";
import { Harness, person } from "./harness";

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());
afterEach(() => h.faults({ clear: true, latencyMs: 0 }));

function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string }> {
  let stdout = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout })));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("R18 the same user's second device is refused while the first applies, then syncs once it is done", async () => {
  const n = 120;
  const s = await h.scenario(Array.from({ length: n }, (_, i) => person(`D${i}`, `Dev${i}`)));
  // A dry run makes the folder (and tells the scenario its id) without writing contacts.
  await s.sync({ state: `${s.stateDir}-desktop`, mode: ["--dry-run"] });
  await h.faults({ latencyMs: 150 });
  const first = h.spawnCli(s.args({ state: `${s.stateDir}-desktop` }));
  const firstRun = exited(first);
  const key = `${s.mailbox}/${s.folderId}`;
  await waitFor(async () => (await s.practiceAs().getLease(key))?.holder.device !== undefined, 60_000, "the first device to take the lease");
  const heldBy = (await s.practiceAs().getLease(key))!.holder;
  expect(heldBy.staffId).toBe(s.staffAnn);
  // Pause the first run while it holds the lease, so the second device's attempt cannot race its end.
  first.kill("SIGSTOP");
  let second;
  try {
    second = await s.sync({ state: `${s.stateDir}-laptop` });
  } finally {
    first.kill("SIGCONT");
  }
  expect(second.code).toBe(2);
  expect(second.json.message).toMatch(/^This folder is being synced on another of your devices \(Ann Admin until .+\); try again later\.$/);
  expect(second.json.applied).toBeNull();
  // The refused device did not release or replace the first device's lease.
  expect((await s.practiceAs().getLease(key))?.holder.device).toBe(heldBy.device);

  const done = await firstRun;
  expect(done.code).toBe(0);
  expect(await s.practiceAs().getLease(key)).toBeNull();
  await h.faults({ latencyMs: 0 });
  const again = await s.sync({ state: `${s.stateDir}-laptop` });
  expect(again.code).toBe(0);
  expect(again.json.planned["add:toOutlook"] ?? 0).toBe(0);
  expect(await s.outlookContacts()).toHaveLength(n);
}, 120_000);
