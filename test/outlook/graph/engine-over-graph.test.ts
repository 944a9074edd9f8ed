// The engine's SyncSession driving this adapter against the emulator: the port contract as the
// engine uses it (an in-memory practice store stands in for the practice API).
import { SyncSession } from "../../../src/sync/session";
import type { SyncSettings } from "../../../src/sync/session";
import type { SyncPlan } from "../../../src/sync/plan-types";
import { MemoryPracticeStore, MemorySyncCache, SeededIds, TestClock } from "../../support";
import { createGraphFolders, createGraphOutlookStore } from "../../../src/outlook/graph";
import { startEmulator } from "./emulator-harness";
import type { EmulatorHarness } from "./emulator-harness";

const settings: SyncSettings = { filterId: null, importKind: "standalone", wholeRecord: false, deleteStandaloneOnOutlookDelete: false };
let h: EmulatorHarness;
let token: string;

beforeAll(async () => {
  h = await startEmulator();
  token = await h.token("engine@harbour.example");
});

afterAll(async () => {
  await h.close();
});

const everything = (plan: SyncPlan) => ({ selected: new Set(plan.changes.filter((c) => c.group !== "conflict").map((c) => c.id)) });

it("syncs into an empty folder, then finds nothing to do; a lost cache re-links by stamp without duplicates", async () => {
  const folder = await createGraphFolders({ graphUrl: h.graphUrl, getToken: async () => token, fetch: h.fetch }).createFolder("me", "Engine");
  const newStore = () => createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: "me", folderId: folder.id, getToken: async () => token, fetch: h.fetch });
  const practice = new MemoryPracticeStore({ firmId: "firm1" });
  for (let i = 0; i < 45; i++) {
    // With a display name: Outlook generates one for a contact created without it (research §1.1),
    // which the engine would then bring back to the practice side as an Outlook edit.
    practice.add({
      displayName: `Given${i} Ngā-Müller`,
      givenName: `Given${i}`,
      surname: "Ngā-Müller",
      emailAddresses: [{ address: `p${i}@example.com` }],
      businessFax: `+64 9 ${i}`,
      businessAddress: { street: `${i} Quay St\nLevel 2`, city: "Auckland" },
      personalNotes: i === 0 ? "n".repeat(10_000) : undefined,
    });
  }
  const session = (outlook = newStore(), cache = new MemorySyncCache()) =>
    ({ outlook, cache, s: new SyncSession({ practice, outlook, cache, clock: new TestClock(), ids: new SeededIds(), settings }) });

  const first = session();
  const plan = await first.s.plan();
  expect(plan.changes.filter((c) => c.group === "add" && c.direction === "toOutlook")).toHaveLength(45);
  const result = await first.s.apply(plan, everything(plan));
  expect(result.run.errors).toEqual([]);

  // R12: our own writes are not read back as changes; the quiet sync costs one Graph request
  const before = first.outlook.stats().requests;
  const again = await first.s.plan();
  expect(again.changes).toEqual([]);
  expect(first.outlook.stats().requests - before).toBe(1);

  // R2/R8: a new device (no cache, a new store) re-links every contact by its stamp
  const fresh = session();
  const relink = await fresh.s.plan();
  expect(relink.changes.filter((c) => c.direction === "toOutlook" && c.group === "add")).toEqual([]);
  await fresh.s.apply(relink, everything(relink));
  const inFolder = (await newStore().readChanges(null)).upserts;
  expect(inFolder).toHaveLength(45);
  expect(new Set(inFolder.map((c) => c.stamp)).size).toBe(45);
  expect((await fresh.s.plan()).changes).toEqual([]);
});
