// One user's devices on one folder, through the real command (state directories, the practice server
// on SQLite, the mailbox emulator over HTTPS): runs at the same time, reviews that overlap, a state
// directory lost after an exclusion or in the middle of an import, and a deleted contact restored after
// "include again". What must hold: no duplicate on either side, no edit overwritten unseen, no decision
// forgotten.
import { rmSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createGraphOutlookStore } from "../../src/outlook/graph";
import { openStateDir } from "../../src/cli/sync/state-dir";
import { folderKeyOf } from "../../src/cli/sync/lease";
import { SyncSession } from "../../src/sync/session";
import type { SyncCache } from "../../src/sync/ports";
import { Harness, person, type Scenario } from "./harness";

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());
afterEach(async () => {
  await h.faults({ clear: true, latencyMs: 0 });
  h.clockSkewMs = 0;
});

const people = (n: number, prefix = "P") => Array.from({ length: n }, (_, i) => person(`${prefix}${i}`, `Sur${i}`));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function exited(child: ChildProcess): Promise<Exit> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** No practice record twice by name, no Outlook contact twice by name or stamp, every stamp a live record. */
async function expectNoDuplicates(s: Scenario): Promise<{ practice: number; outlook: number }> {
  const practice = await s.practiceContacts();
  const outlook = await s.outlookContacts();
  const practiceNames = practice.map((p) => p.fields.givenName);
  expect(practiceNames.length).toBe(new Set(practiceNames).size);
  const outlookNames = outlook.map((o) => o.givenName);
  expect(outlookNames.length).toBe(new Set(outlookNames).size);
  const stamps = outlook.map((o) => s.stampOf(o)).filter((x) => x !== undefined);
  expect(stamps.length).toBe(new Set(stamps).size);
  const live = new Set(practice.map((p) => `${s.firmId}:${p.id}`));
  for (const st of stamps) expect(live.has(st!)).toBe(true);
  return { practice: practice.length, outlook: outlook.length };
}

/** Both sides hold the same people exactly once, each Outlook contact stamped with its own record. */
async function expectConverged(s: Scenario, expected: number): Promise<void> {
  const practice = await s.practiceContacts();
  const outlook = await s.outlookContacts();
  expect(practice).toHaveLength(expected);
  expect(outlook).toHaveLength(expected);
  expect(outlook.map((c) => s.stampOf(c)).sort()).toEqual(practice.map((p) => `${s.firmId}:${p.id}`).sort());
  expect(outlook.map((o) => o.givenName).sort()).toEqual(practice.map((p) => p.fields.givenName).sort());
}

/** Runs that end with nothing planned on every device (a run turned away by the lease runs again). */
async function settle(s: Scenario, states: string[]): Promise<void> {
  for (let round = 0; round < 4; round++) {
    let quiet = true;
    for (const state of states) {
      const r = await s.sync({ state });
      expect(r.code).toBe(0);
      if (r.json.outcome !== "no-changes") quiet = false;
    }
    if (quiet) return;
  }
  throw new Error("the devices did not settle in four rounds");
}

async function createPractice(s: Scenario, givenName: string): Promise<void> {
  const [r] = await s.practiceAs().createContacts([{ key: randomUUID(), kind: "client", fields: person(givenName, "New").fields }]);
  if (!r.ok) throw new Error(`practice create failed: ${r.error.message}`);
}

test("two state directories run at the same time on one folder, six rounds: no duplicate on either side", async () => {
  const s = await h.scenario(people(20));
  const devices = [`${s.stateDir}-a`, `${s.stateDir}-b`];
  // The folder exists before the devices meet (chosen in setup); both runs then start from nothing.
  await s.sync({ state: devices[0], mode: ["--dry-run"] });
  // A little latency so the two runs' reads and writes interleave instead of one finishing first.
  await h.faults({ latencyMs: 20 });
  for (let round = 0; round < 6; round++) {
    if (round === 1) {
      await createPractice(s, "Nia");
      await s.addOutlook({ givenName: "Olga", surname: "Outlook", displayName: "Olga Outlook" });
    }
    if (round === 2) {
      await s.editPractice("P3", { jobTitle: "Partner" });
      await s.editOutlook("P7", { jobTitle: "Manager" });
    }
    if (round === 4) await s.editOutlook("P11", { jobTitle: "Clerk" });
    // The second device starts a little later each round, so its plan meets the first one's apply at
    // different points: before it, during it (turned away by the lease), after it (a stale plan).
    const runs = await Promise.all(
      devices.map(async (state, i) => {
        if (i === 1) await new Promise((r) => setTimeout(r, (round % 3) * 40));
        return exited(h.spawnCli(s.args({ state })));
      }),
    );
    for (const r of runs) {
      const report = JSON.parse(r.stdout.trim()) as { exitCode: number; message?: string };
      if (r.code === 2) {
        // The other device held the folder's lease: turned away, to try again later (R18).
        expect(report.message).toMatch(/^This folder is (synced by|being synced on another of your devices)/);
      } else expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    }
    const { practice } = await expectNoDuplicates(s);
    expect(practice).toBe(round === 0 ? 20 : 22);
  }
  await h.faults({ latencyMs: 0 });
  await settle(s, devices);
  await expectConverged(s, 22);
  expect((await s.practiceByName("P7")).fields.jobTitle).toBe("Manager");
  expect((await s.outlookByName("P3")).jobTitle).toBe("Partner");
  expect((await s.practiceByName("P11")).fields.jobTitle).toBe("Clerk");
}, 60_000);

test("overlapping reviews: the prompt answered on one device, then on the other; the second apply writes over nothing it did not show", async () => {
  const s = await h.scenario(people(6));
  const [a, b] = [`${s.stateDir}-a`, `${s.stateDir}-b`];
  expect((await s.sync({ state: a })).code).toBe(0);
  expect((await s.sync({ state: b })).code).toBe(0);

  await s.editPractice("P1", { jobTitle: "Partner" });
  await createPractice(s, "Nia");
  // Both devices show the same two changes and wait at the prompt.
  const onA = h.cliAtTerminal(s.args({ state: a, mode: [] }));
  // B as a person at the terminal sees it: the plan and the summary in words (no --json, no --quiet).
  const onB = h.cliAtTerminal(s.args({ state: b, mode: [] }).filter((arg) => arg !== "--json" && arg !== "--quiet"));
  await Promise.all([onA.asked, onB.asked]);
  onA.answer("y");
  const ranA = await onA.done;
  expect(ranA.code).toBe(0);
  expect(ranA.json.planned).toEqual({ "add:toOutlook": 1, "update:toOutlook": 1 });
  // While B's list is still open, the user edits P1 in Outlook.
  await s.editOutlook("P1", { jobTitle: "Senior Partner" });
  onB.answer("yes");
  const ranB = await onB.done;
  expect(ranB.code).toBe(0);
  expect(ranB.stderr).toContain("Apply 2 change(s)? [y/N]");
  // Neither row is applied: Nia now exists (A made her) and P1 was edited since B's list was made.
  expect(ranB.stdout).toMatch(/Applied 0 change\(s\), .*; 2 not applied because the contact changed after the plan/);
  expect((await s.outlookByName("P1")).jobTitle).toBe("Senior Partner");
  await expectNoDuplicates(s);

  // B's next review shows the Outlook edit; applying it takes it to the practice record.
  const next = await s.sync({ state: b });
  expect(next.code).toBe(0);
  expect(next.json.planned).toEqual({ "update:toPractice": 1 });
  expect((await s.practiceByName("P1")).fields.jobTitle).toBe("Senior Partner");
  await settle(s, [a, b]);
  await expectConverged(s, 7);
}, 60_000);

test("R10 the state directory deleted after an exclusion: the contact deleted in Outlook is not created again, on this or a new device", async () => {
  const s = await h.scenario(people(4));
  expect((await s.sync()).code).toBe(0);
  await s.deleteOutlook("P2");
  const excluded = await s.sync();
  expect(excluded.code).toBe(0);
  expect(excluded.json.changes.map((c) => c.rule)).toEqual(["R10"]);
  expect(await s.practiceContacts()).toHaveLength(4);

  rmSync(s.stateDir, { recursive: true, force: true });
  const lost = await s.sync();
  expect(lost.code).toBe(0);
  expect(lost.json.planned["add:toOutlook"] ?? 0).toBe(0);
  const other = await s.sync({ state: `${s.stateDir}-other` });
  expect(other.code).toBe(0);
  expect(other.json.planned["add:toOutlook"] ?? 0).toBe(0);
  expect((await s.outlookContacts()).map((c) => c.givenName).sort()).toEqual(["P0", "P1", "P3"]);
  expect(await s.practiceContacts()).toHaveLength(4);
  // Later practice edits to the excluded record still do not bring it back.
  await s.editPractice("P2", { jobTitle: "Edited" });
  expect((await s.sync()).json.planned).toEqual({});
  await expectNoDuplicates(s);
});

/**
 * An Outlook-born contact whose import is killed after its practice create and before its stamp
 * write, then the state directory lost: a practice record, and an unstamped contact it was made from.
 */
async function importKilledThenStateLost(s: Scenario): Promise<void> {
  expect((await s.sync()).code).toBe(0);
  await s.addOutlook({ givenName: "Olga", surname: "Outlook", displayName: "Olga Outlook" });
  // Every Graph request takes 400 ms, so the stamp write lands well after the practice create is seen.
  await h.faults({ latencyMs: 400 });
  const child = h.spawnCli(s.args());
  const done = exited(child);
  const until = Date.now() + 30_000;
  while (!(await s.practiceContacts()).some((p) => p.fields.givenName === "Olga")) {
    if (Date.now() > until) throw new Error("the import's practice create never came");
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGKILL");
  expect((await done).signal).toBe("SIGKILL");
  await h.faults({ latencyMs: 0 });
  // The crash came in the window this test is about: a practice record, an Outlook contact with no stamp.
  expect(s.rawStampOf(await s.outlookByName("Olga"))).toBeUndefined();
  rmSync(s.stateDir, { recursive: true, force: true });
  // The killed run's lease lapses (the practice server's clock moves past it).
  h.clockSkewMs += 10 * 60_000;
}

test("R13 an import killed before its stamp, the state lost, the record edited meanwhile: one record, linked, the edit in Outlook", async () => {
  const s = await h.scenario(people(2));
  await importKilledThenStateLost(s);
  // Another user edits the record, so it no longer equals the contact by its fields: only the record's
  // reference to the contact it was made from (outlookRef) can pair them.
  await s.editPractice("Olga", { jobTitle: "Buyer", emailAddresses: [{ address: "olga@buyer.test" }] });

  const again = await s.sync();
  expect(again.code).toBe(0);
  expect(again.json.planned).toEqual({ "update:toOutlook": 1 });
  await expectConverged(s, 3);
  const olga = await s.outlookByName("Olga");
  expect(olga.jobTitle).toBe("Buyer");
  expect(olga.emailAddresses?.map((e) => e.address)).toEqual(["olga@buyer.test"]);
  expect((await s.sync()).json.outcome).toBe("no-changes");
}, 60_000);

test("R13 an import killed before its stamp, the state lost, the contact edited in Outlook meanwhile: the Outlook edit is not lost", async () => {
  const s = await h.scenario(people(2));
  await importKilledThenStateLost(s);
  // The user edits the contact after the crash: the record still holds what the import read. With no
  // stamp and no link there is no base, so R8 orders the two records by time; Graph keeps whole seconds
  // and a tie goes to the practice side (R5), so the edit comes a second after the import, as a person's would.
  await new Promise((r) => setTimeout(r, 1_100));
  await s.editOutlook("Olga", { jobTitle: "Buyer", emailAddresses: [{ address: "olga@buyer.test" }] });

  const again = await s.sync();
  expect(again.code).toBe(0);
  expect(again.json.planned["add:toPractice"] ?? 0).toBe(0);
  expect(again.json.planned["add:toOutlook"] ?? 0).toBe(0);
  await expectConverged(s, 3);
  // The edit is the newest thing on either side: it reaches the record, and Outlook keeps it.
  expect((await s.outlookByName("Olga")).jobTitle).toBe("Buyer");
  const olga = await s.practiceByName("Olga");
  expect(olga.fields.jobTitle).toBe("Buyer");
  expect(olga.fields.emailAddresses?.map((e) => e.address)).toEqual(["olga@buyer.test"]);
  expect((await s.sync()).json.outcome).toBe("no-changes");
}, 60_000);

test("R2 a contact restored from Deleted Items after include-again: a conflict row for the user, not a second record", async () => {
  const s = await h.scenario(people(3));
  expect((await s.sync()).code).toBe(0);
  const old = await s.outlookByName("P1");
  await s.deleteOutlook("P1");
  expect((await s.sync()).json.changes.map((c) => c.rule)).toEqual(["R10"]);

  // "Include again", as the pane offers it: the engine over the same state directory and the real stores.
  const p1 = await s.practiceByName("P1");
  const state = openStateDir(s.stateDir, { create: false, lock: true });
  try {
    const appToken = ((await h.http("POST", `${h.emulator.url}/dev/token`, { app: true })) as { access_token: string }).access_token;
    const session = new SyncSession({
      practice: s.practiceAs(),
      outlook: createGraphOutlookStore({
        graphUrl: h.emulator.graphUrl,
        mailbox: s.mailbox,
        folderId: s.folderId!,
        getToken: async () => appToken,
        fetch: h.fetch,
      }),
      cache: state.cache as SyncCache,
      clock: { now: () => new Date().toISOString() },
      ids: { next: () => randomUUID() },
      settings: { filterId: null, importKind: "client", wholeRecord: false, deleteStandaloneOnOutlookDelete: false },
      folder: { mailbox: s.mailbox, folderKey: folderKeyOf(s.mailbox, s.folderId!) },
    });
    await session.includeAgain(p1.id);
  } finally {
    state.close();
  }
  const recreated = await s.sync();
  expect(recreated.json.planned).toEqual({ "add:toOutlook": 1 });
  const current = await s.outlookByName("P1");
  expect(current.immutableId).not.toBe(old.immutableId);

  // The user restores the deleted P1 from Deleted Items (Outlook's move: same immutable id).
  const binned = (await h.admin("GET", `/admin/mailboxes/${s.mailbox}/folders/deleteditems/contacts`)) as { value: { id: string; immutableId: string }[] };
  const restored = binned.value.find((c) => c.immutableId === old.immutableId);
  expect(restored).toBeDefined();
  await h.admin("POST", `/admin/mailboxes/${s.mailbox}/contacts/${encodeURIComponent(restored!.id)}/move`, { folderId: s.folderId });

  const after = await s.sync();
  expect(after.code).toBe(0);
  // Two contacts hold P1's stamp; the restored one is shown as an R2 conflict, nothing is created.
  expect(after.json.conflicts.map((c) => c.rule)).toEqual(["R2"]);
  expect(after.json.planned["add:toPractice"] ?? 0).toBe(0);
  expect(await s.practiceContacts()).toHaveLength(3);
  const inFolder = await s.outlookContacts();
  expect(inFolder.map((c) => c.givenName).sort()).toEqual(["P0", "P1", "P1", "P2"]);
  // The contact made by "include again" keeps its link; the conflict waits for the user (R11).
  expect(s.stampOf(inFolder.find((c) => c.immutableId === current.immutableId)!)).toBe(`${s.firmId}:${p1.id}`);
  const quiet = await s.sync();
  expect(quiet.json.planned).toEqual({ "conflict:none": 1 });
  expect(await s.practiceContacts()).toHaveLength(3);
});

/** A copy the user made in Outlook of P0: Outlook copies named properties, so it holds P0's stamp, token and all. */
async function copyInOutlook(s: Scenario): Promise<void> {
  const original = await s.outlookByName("P0");
  await s.addOutlook({
    givenName: "P0",
    surname: "Sur0",
    displayName: "P0 Sur0",
    jobTitle: "Copied",
    singleValueExtendedProperties: original.singleValueExtendedProperties,
  });
}

/** After a copy: three records, the copy's own edit kept on both sides, and nothing more to do. */
async function expectCopyKept(s: Scenario): Promise<void> {
  const practice = await s.practiceContacts();
  expect(practice).toHaveLength(3);
  expect(practice.filter((p) => p.fields.jobTitle === "Copied")).toHaveLength(1);
  expect((await s.outlookContacts()).filter((c) => c.jobTitle === "Copied")).toHaveLength(1);
  await expectConverged(s, 3);
  expect((await s.sync({ state: `${s.stateDir}-new-device` })).json.planned).toEqual({});
  expect((await s.sync()).json.planned).toEqual({});
}

test("R2 a contact the user copied in Outlook (the copy carries the stamp) becomes a record of its own, and a new device agrees", async () => {
  const s = await h.scenario(people(2));
  expect((await s.sync()).code).toBe(0);
  const original = await s.outlookByName("P0");
  await copyInOutlook(s);
  const r = await s.sync();
  expect(r.code).toBe(0);
  expect(r.json.planned).toEqual({ "add:toPractice": 1 });
  // The original keeps its link; the copy is stamped with its own new record.
  const inFolder = await s.outlookContacts();
  expect(s.stampOf(inFolder.find((c) => c.immutableId === original.immutableId)!)).toBe(s.stampOf(original));
  await expectCopyKept(s);
});

test("R8 an Outlook edit, then the state directory lost, the practice server's clock 30 s ahead: the edit reaches the record", async () => {
  // Two systems' clocks never agree to the second (Graph's times have whole seconds): the stamp's
  // agreed hashes, not the times, say which side changed since the last sync.
  h.clockSkewMs = 30_000;
  const s = await h.scenario(people(2));
  expect((await s.sync()).code).toBe(0);
  await s.editOutlook("P0", { jobTitle: "Edited" });
  rmSync(s.stateDir, { recursive: true, force: true });
  const r = await s.sync();
  expect(r.code).toBe(0);
  expect(r.json.planned).toEqual({ "update:toPractice": 1 });
  expect((await s.practiceByName("P0")).fields.jobTitle).toBe("Edited");
  expect((await s.outlookByName("P0")).jobTitle).toBe("Edited");
  await expectConverged(s, 2);
});
