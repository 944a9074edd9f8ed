// A pane closed while the sync waits for Outlook's request budget (research/graph-contacts.md §6): the
// engine's SyncSession over the Graph store and the emulator, its budget compressed to 40 requests per
// 1.5 s. The session says it waits and when it resumes; cancelled there (the pane closed), a new session
// over the same cache (the pane opened again) finishes the rest without a duplicate.
import { SyncSession, type SyncSettings } from "../../../src/sync/session";
import type { SyncPlan, SyncProgress } from "../../../src/sync/plan-types";
import { createGraphFolders, createGraphOutlookStore } from "../../../src/outlook/graph";
import { MemoryPracticeStore, MemorySyncCache, SeededIds, TestClock } from "../../support";
import { startEmulator, type EmulatorHarness } from "./emulator-harness";

const WINDOW_MS = 1500;
const settings: SyncSettings = { filterId: null, importKind: "standalone", wholeRecord: false, deleteStandaloneOnOutlookDelete: false };
let h: EmulatorHarness;

beforeAll(async () => {
  h = await startEmulator({ rateLimit: { requests: 40, windowMs: WINDOW_MS } });
});

afterAll(async () => {
  await h.close();
});

const everything = (plan: SyncPlan) => ({ selected: new Set(plan.changes.filter((c) => c.group !== "conflict").map((c) => c.id)) });

it("says it waits for Outlook's limit and until when; closed while waiting, the next session finishes without duplicates", async () => {
  const token = await h.token("budget-pane@harbour.example");
  const getToken = async () => token;
  const folder = await createGraphFolders({ graphUrl: h.graphUrl, getToken, fetch: h.fetch }).createFolder("me", "Budget pane");
  await new Promise((r) => setTimeout(r, WINDOW_MS)); // the folder's requests out of the window
  const practice = new MemoryPracticeStore({ firmId: "firm1" });
  const n = 100;
  for (let i = 0; i < n; i++) practice.add({ displayName: `Given${i} Pane`, givenName: `Given${i}`, surname: "Pane" });
  const cache = new MemorySyncCache();
  const session = () =>
    new SyncSession({
      practice,
      outlook: createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: "me", folderId: folder.id, getToken, fetch: h.fetch }),
      cache,
      clock: new TestClock(),
      ids: new SeededIds(),
      settings,
    });

  const first = session();
  const closed = new AbortController();
  const waiting: SyncProgress[] = [];
  first.onProgress((p) => {
    if (p.phase !== "waiting") return;
    waiting.push(p);
    // The pane is closed while it waits. (An explicit AbortError: jest's sandbox does not take the host's
    // DOMException for an Error, which a browser and Node do.)
    closed.abort(Object.assign(new Error("The pane was closed."), { name: "AbortError" }));
  });
  const plan = await first.plan();
  const before = Date.now();
  const cancelled = await first.apply(plan, { ...everything(plan), signal: closed.signal });
  expect(cancelled.run.status).toBe("cancelled");
  expect(waiting).toHaveLength(1);
  expect(waiting[0].waiting?.for).toBe("outlook-limit");
  const resumeAt = Date.parse(waiting[0].waiting!.resumeAt);
  expect(resumeAt).toBeGreaterThan(before);
  expect(resumeAt - before).toBeLessThanOrEqual(WINDOW_MS + 2000);
  expect(waiting[0].done).toBeLessThan(waiting[0].total!);
  const landed = (await h.admin<{ value: unknown[] }>("GET", `/mailboxes/budget-pane@harbour.example/folders/${folder.id}/contacts`)).value.length;
  expect(landed).toBeGreaterThan(0);
  expect(landed).toBeLessThan(n);

  // The pane opened again: same cache, a new session and store; it waits on its own and finishes.
  const second = session();
  const rest = await second.plan();
  const done = await second.apply(rest, everything(rest));
  expect(done.run.status).toBe("ok");
  expect(done.run.errors).toEqual([]);
  const folderNow = (await h.admin<{ value: { singleValueExtendedProperties?: { value: string }[] }[] }>(
    "GET",
    `/mailboxes/budget-pane@harbour.example/folders/${folder.id}/contacts`,
  )).value;
  expect(folderNow).toHaveLength(n);
  const stamps = folderNow.map((c) => c.singleValueExtendedProperties?.map((p) => p.value).join("|"));
  expect(new Set(stamps).size).toBe(n);
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  expect((await session().plan()).changes).toEqual([]);
}, 60_000);
