// apply() with an Outlook store that takes several write calls at once (OutlookStore.pipelineDepth):
// the next call is journaled and sent while the previous one is in flight, groups settle in order, and
// crash safety (R13), cancellation and per-item failures (R19) hold as with one call at a time.
import { outlookPipelineDepth } from "../../src/sync/apply";
import type { SyncProgress } from "../../src/sync/plan-types";
import { setup, person, type Env } from "./harness";

/** Holds every Outlook create call until released, and records what the engine did meanwhile. */
function gatedCreates(env: Env) {
  const events: string[] = [];
  const waiting: Array<() => void> = [];
  let open = 0;
  let maxOpen = 0;
  const create = env.outlook.createContacts.bind(env.outlook);
  env.outlook.createContacts = async (items, opts) => {
    const n = events.filter((e) => e.startsWith("call")).length + 1;
    events.push(`call ${n} (${items.length})`);
    open++;
    maxOpen = Math.max(maxOpen, open);
    await new Promise<void>((resolve) => waiting.push(resolve));
    open--;
    events.push(`answer ${n}`);
    return create(items, opts);
  };
  const append = env.cache.journalAppend.bind(env.cache);
  env.cache.journalAppend = async (entries) => {
    events.push(`journal (${entries.length})`);
    return append(entries);
  };
  const commit = env.cache.commit.bind(env.cache);
  env.cache.commit = async (change) => {
    if (change.putLinks?.length) events.push(`commit (${change.putLinks.length} links)`);
    return commit(change);
  };
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise((r) => setImmediate(r));
  };
  /** Releases the oldest held call once it is there. */
  const release = async () => {
    await until(() => waiting.length > 0);
    waiting.shift()!();
  };
  return { events, release, until, maxOpen: () => maxOpen };
}

describe("outlookPipelineDepth", () => {
  test("reads the store's pipelineDepth; anything unusable means one call at a time; at most 4", () => {
    expect(outlookPipelineDepth({})).toBe(1);
    expect(outlookPipelineDepth({ pipelineDepth: 2 })).toBe(2);
    expect(outlookPipelineDepth({ pipelineDepth: 9 })).toBe(4);
    for (const bad of [0, -1, 1.5, Number.NaN, "2"]) expect(outlookPipelineDepth({ pipelineDepth: bad })).toBe(1);
  });
});

describe("pipelined Outlook writes", () => {
  test("the next call is journaled and sent before the previous answers; links commit in order", async () => {
    const env = setup();
    Object.assign(env.outlook, { writeChunkSize: 50, pipelineDepth: 2 }); // calls of 100
    for (let i = 0; i < 250; i++) env.practice.add(person(`P${i}`, "Pipe"));
    const gate = gatedCreates(env);
    const progress: number[] = [];
    const session = env.session();
    session.onProgress((p: SyncProgress) => p.phase === "applying" && progress.push(p.done));
    const run = env.sync({ req: { force: true }, session });
    await gate.until(() => gate.events.includes("call 2 (100)"));
    await gate.release();
    await gate.until(() => gate.events.includes("call 3 (50)"));
    await gate.release();
    await gate.until(() => gate.events.filter((e) => e.startsWith("commit")).length === 2);
    await gate.release();
    await run;
    const writes = gate.events.filter((e) => !e.startsWith("journal (0"));
    expect(writes).toEqual([
      "journal (100)",
      "call 1 (100)",
      "journal (100)",
      "call 2 (100)", // sent while call 1 is in flight
      "answer 1",
      "commit (100 links)",
      "journal (50)",
      "call 3 (50)", // sent once call 1 settled, while call 2 is in flight
      "answer 2",
      "commit (100 links)",
      "answer 3",
      "commit (50 links)",
    ]);
    expect(gate.maxOpen()).toBe(2);
    expect(progress.filter((d) => d > 0)).toEqual([100, 200, 250]);
    expect(env.outlook.size()).toBe(250);
    expect(env.cache.peekJournal()).toEqual([]);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("without pipelineDepth a call starts only after the previous one settled", async () => {
    const env = setup();
    Object.assign(env.outlook, { writeChunkSize: 50 });
    for (let i = 0; i < 150; i++) env.practice.add(person(`S${i}`, "Serial"));
    const gate = gatedCreates(env);
    const run = env.sync({ req: { force: true } });
    for (let i = 0; i < 2; i++) await gate.release();
    await run;
    expect(gate.maxOpen()).toBe(1);
    expect(gate.events.filter((e) => !e.startsWith("journal (0"))).toEqual([
      "journal (100)",
      "call 1 (100)",
      "answer 1",
      "commit (100 links)",
      "journal (50)",
      "call 2 (50)",
      "answer 2",
      "commit (50 links)",
    ]);
  });

  test("R13 a crash while two calls are out: recovery links what landed, nothing is duplicated", async () => {
    const env = setup();
    Object.assign(env.outlook, { writeChunkSize: 5, pipelineDepth: 2 }); // calls of 100
    for (let i = 0; i < 300; i++) env.practice.add(person(`K${i}`, "Crash"));
    env.outlook.faults.inject("createContacts", "crash", 1, 150); // in the middle of the second call
    await expect(env.sync({ req: { force: true } })).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.outlook.size()).toBe(150);
    await env.sync({ req: { force: true } });
    expect(env.outlook.size()).toBe(300);
    expect(new Set(env.outlook.all().map((c) => c.stamp)).size).toBe(300);
    expect((await env.plan()).changes).toEqual([]);
    expect(env.cache.peekJournal()).toEqual([]);
  });

  test("R13 a failed commit stops the run; the next run links what landed without duplicates", async () => {
    const env = setup();
    Object.assign(env.outlook, { writeChunkSize: 50, pipelineDepth: 2 });
    for (let i = 0; i < 300; i++) env.practice.add(person(`C${i}`, "Commit"));
    env.cache.faults.inject("commit", "crash", 1, 1); // the first group's commit lands, the second's does not
    await expect(env.sync({ req: { force: true } })).rejects.toThrow(/crash/i);
    env.restart();
    await env.sync({ req: { force: true } });
    expect(env.outlook.size()).toBe(300);
    expect(new Set(env.outlook.all().map((c) => c.stamp)).size).toBe(300);
    expect((await env.plan()).changes).toEqual([]);
    expect(env.cache.peekJournal()).toEqual([]);
  });

  test("cancelled after the first group: what was sent is recorded, the rest comes next run", async () => {
    const env = setup();
    Object.assign(env.outlook, { writeChunkSize: 50, pipelineDepth: 2 });
    for (let i = 0; i < 400; i++) env.practice.add(person(`X${i}`, "Cancel"));
    const session = env.session();
    const cancel = new AbortController();
    session.onProgress((p) => p.phase === "applying" && p.done >= 100 && cancel.abort());
    const { result } = await env.sync({ session, req: { force: true, signal: cancel.signal } });
    expect(result.run.status).toBe("cancelled");
    // The second call was already out when the first settled; nothing after it was sent.
    expect(env.outlook.size()).toBe(200);
    expect(env.cache.peekJournal()).toEqual([]);
    await env.sync({ req: { force: true } });
    expect(env.outlook.size()).toBe(400);
    expect(new Set(env.outlook.all().map((c) => c.stamp)).size).toBe(400);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R19 a failed item in one call fails only its contact while the next call goes on", async () => {
    const env = setup();
    Object.assign(env.outlook, { writeChunkSize: 50, pipelineDepth: 2 });
    for (let i = 0; i < 250; i++) env.practice.add(person(`F${i}`, "Fail"));
    env.outlook.faults.inject("createContacts", "throttled", 1, 120);
    const { result } = await env.sync({ req: { force: true } });
    expect(result.failed).toHaveLength(1);
    expect(env.outlook.size()).toBe(249);
    await env.sync({ req: { force: true } });
    expect(env.outlook.size()).toBe(250);
    expect((await env.plan()).changes).toEqual([]);
  });
});
