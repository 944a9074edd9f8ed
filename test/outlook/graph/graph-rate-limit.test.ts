// Outlook's per-mailbox request budget (research/graph-contacts.md §6), scaled down in the emulator:
// batch items beyond it are throttled with a Retry-After, which the adapter waits out for real.
import { createGraphFolders, createGraphOutlookStore } from "../../../src/outlook/graph";
import { startEmulator } from "./emulator-harness";
import type { EmulatorHarness } from "./emulator-harness";

let h: EmulatorHarness;

beforeAll(async () => {
  h = await startEmulator({ rateLimit: { requests: 60, windowMs: 1000 } });
});

afterAll(async () => {
  await h.close();
});

it("writes past the mailbox's request budget by waiting out Retry-After, creating nothing twice", async () => {
  const token = await h.token("budget@harbour.example");
  const getToken = async () => token;
  const folder = await createGraphFolders({ graphUrl: h.graphUrl, getToken, fetch: h.fetch }).createFolder("me", "Budget");
  const s = createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: "me", folderId: folder.id, getToken, fetch: h.fetch });
  const started = Date.now();
  const results = await s.createContacts(Array.from({ length: 100 }, (_, i) => ({ stamp: `firm:b${i}`, fields: { givenName: `B${i}` } })));
  expect(results.filter((r) => !r.ok)).toEqual([]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // it did have to wait
  const stats = await h.stats();
  expect(stats.throttled).toBeGreaterThan(0);
  const read = await s.readChanges(null);
  expect(new Set(read.upserts.map((c) => c.stamp)).size).toBe(100);
  expect(read.upserts).toHaveLength(100);
});
