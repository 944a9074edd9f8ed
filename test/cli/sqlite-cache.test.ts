import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteSyncCache, StateFileError } from "../../src/cli/sync/sqlite-cache";
import type { Link } from "../../src/sync/model";
import type { JournalEntry, RunRecord } from "../../src/sync/ports";

const link = (practiceId: string, outlookId: string, state: Link["state"] = "linked"): Link => ({
  practiceId,
  outlookId,
  base: { displayName: `Contact ${practiceId}` },
  practiceVersion: "v1",
  outlookChangeKey: "ck1",
  origin: "practice",
  state,
  updatedAt: "2026-11-25T06:00:00.000Z",
});

const entry = (id: string): JournalEntry => ({
  id,
  runId: "run1",
  op: "create-outlook",
  key: `firm:${id}`,
  practiceId: id,
  createdAt: "2026-11-25T06:00:00.000Z",
});

const run = (id: string, startedAt: string, status: RunRecord["status"] = "ok"): RunRecord => ({
  id,
  startedAt,
  status,
  counts: { linked: 1 },
  errors: [],
});

describe("SqliteSyncCache", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "pcs-cache-"));
    file = path.join(dir, "state.db");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("a commit's links, cursors and deferred changes survive reopening the file", async () => {
    const a = new SqliteSyncCache(file);
    await a.commit({
      putLinks: [link("p1", "o1"), link("p2", "o2", "excluded")],
      cursors: { practiceCursor: "c1", outlookDeltaToken: "d1", filterKey: "f", firmId: "firm" },
      deferred: [{ side: "outlook", id: "o9", deleted: true }],
    });
    a.close();
    const b = new SqliteSyncCache(file);
    expect((await b.loadLinks()).map((l) => [l.practiceId, l.outlookId, l.state])).toEqual([
      ["p1", "o1", "linked"],
      ["p2", "o2", "excluded"],
    ]);
    expect(await b.getCursors()).toEqual({ practiceCursor: "c1", outlookDeltaToken: "d1", filterKey: "f", firmId: "firm" });
    expect(await b.getDeferred()).toEqual([{ side: "outlook", id: "o9", deleted: true }]);
    expect(b.linkCounts()).toEqual({ linked: 1, excluded: 1 });
    b.close();
  });

  test("a commit replaces links by practice id, deletes links, and replaces the deferred set only when given", async () => {
    const c = new SqliteSyncCache(file);
    await c.commit({ putLinks: [link("p1", "o1"), link("p2", "o2")], deferred: [{ side: "practice", id: "p7" }] });
    await c.commit({ putLinks: [link("p1", "o1b")], deleteLinks: ["p2"] });
    expect((await c.loadLinks()).map((l) => l.outlookId)).toEqual(["o1b"]);
    expect(await c.getDeferred()).toEqual([{ side: "practice", id: "p7" }]);
    await c.commit({ deferred: [] });
    expect(await c.getDeferred()).toEqual([]);
    c.close();
  });

  test("a commit that fails part-way leaves nothing of it behind", async () => {
    const c = new SqliteSyncCache(file);
    await c.commit({ putLinks: [link("p1", "o1")], cursors: { practiceCursor: "c1" } });
    const bad = { ...link("p2", "o2"), outlookId: null as unknown as string };
    // Not rejects.toThrow(): better-sqlite3's error class may come from another test file's realm in
    // the same jest worker, where instanceof Error is false.
    const failure = await c.commit({ putLinks: [link("p3", "o3"), bad], cursors: { practiceCursor: "c2" } }).then(
      () => null,
      (e: unknown) => e as { message?: string },
    );
    expect(failure?.message).toMatch(/NOT NULL/);
    expect((await c.loadLinks()).map((l) => l.practiceId)).toEqual(["p1"]);
    expect((await c.getCursors()).practiceCursor).toBe("c1");
    c.close();
  });

  test("journal entries stay pending, in order, until a commit completes them", async () => {
    const c = new SqliteSyncCache(file);
    await c.journalAppend([entry("j2"), entry("j1")]);
    await c.journalAppend([entry("j3")]);
    c.close();
    const d = new SqliteSyncCache(file);
    expect((await d.journalPending()).map((e) => e.id)).toEqual(["j2", "j1", "j3"]);
    await d.commit({ completeJournal: ["j1", "j3"], putLinks: [link("p1", "o1")] });
    expect((await d.journalPending()).map((e) => e.id)).toEqual(["j2"]);
    await d.journalAppend([entry("j4")]);
    expect((await d.journalPending()).map((e) => e.id)).toEqual(["j2", "j4"]);
    d.close();
  });

  test("runs list most recent first, and re-adding a run updates it in place", async () => {
    const c = new SqliteSyncCache(file);
    await c.addRun(run("r1", "2026-11-25T06:00:00.000Z"));
    await c.addRun(run("r2", "2026-11-25T07:00:00.000Z", "partial"));
    await c.addRun({ ...run("r1", "2026-11-25T06:00:00.000Z"), finishedAt: "2026-11-25T06:01:00.000Z" });
    const runs = await c.listRuns(10);
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      ["r2", "partial"],
      ["r1", "ok"],
    ]);
    expect(runs[1].finishedAt).toBe("2026-11-25T06:01:00.000Z");
    expect(await c.listRuns(1)).toHaveLength(1);
    c.close();
  });

  test("clear forgets everything but keeps the file usable", async () => {
    const c = new SqliteSyncCache(file);
    await c.commit({ putLinks: [link("p1", "o1")], cursors: { practiceCursor: "c" }, deferred: [{ side: "practice", id: "p1" }] });
    await c.journalAppend([entry("j1")]);
    await c.addRun(run("r1", "2026-11-25T06:00:00.000Z"));
    c.setMeta("target", "x");
    await c.clear();
    expect(await c.loadLinks()).toEqual([]);
    expect(await c.getCursors()).toEqual({});
    expect(await c.getDeferred()).toEqual([]);
    expect(await c.journalPending()).toEqual([]);
    expect(await c.listRuns(5)).toEqual([]);
    expect(c.getMeta("target")).toBeUndefined();
    await c.commit({ putLinks: [link("p2", "o2")] });
    expect(await c.loadLinks()).toHaveLength(1);
    c.close();
  });

  test("a file that is not a state database is refused with a clear error", () => {
    writeFileSync(file, "this is not sqlite, just some text that is long enough to have a header".repeat(20));
    expect(() => new SqliteSyncCache(file)).toThrow(StateFileError);
  });
});
