// One in-flight limiter per application, shared by every mailbox this process syncs: Microsoft's pages
// disagree on whether Outlook's 4 concurrent requests are per app and mailbox or per app
// (research/graph-checks.md row 9), so the adapter keeps the stricter reading.
import { createGraphOutlookStore } from "../../../src/outlook/graph";
import { startEmulator } from "./emulator-harness";
import type { EmulatorHarness } from "./emulator-harness";

let h: EmulatorHarness;

beforeAll(async () => {
  h = await startEmulator({ latencyMs: 20 });
});
afterAll(async () => {
  await h.close();
});

it("keeps at most 4 requests in flight across two mailboxes written at once", async () => {
  const res = await h.fetch(`${h.emu.url}/dev/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ app: true }) });
  const app = (await res.json()) as { access_token: string };
  let inFlight = 0;
  let peak = 0;
  const counting = (async (input: RequestInfo | URL, init?: RequestInit) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      return await h.fetch(input, init);
    } finally {
      inFlight--;
    }
  }) as typeof fetch;
  const stores = await Promise.all(
    ["left@harbour.example", "right@harbour.example"].map(async (upn) => {
      const created = await h.admin<{ folderId: string }>("POST", `/mailboxes/${upn}/contacts`, { folderName: "Limiter", contacts: [] });
      return createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: upn, folderId: created.folderId, getToken: async () => app.access_token, fetch: counting, access: "application" });
    }),
  );
  const items = (tag: string) => Array.from({ length: 200 }, (_, i) => ({ stamp: `firm:${tag}${i}`, fields: { givenName: `${tag}${i}` } }));
  const [left, right] = await Promise.all([stores[0].createContacts(items("l")), stores[1].createContacts(items("r"))]);
  expect([...left, ...right].every((r) => r.ok)).toBe(true);
  expect(peak).toBeLessThanOrEqual(4);
  expect(peak).toBeGreaterThanOrEqual(3); // the two mailboxes did share the slots
});
