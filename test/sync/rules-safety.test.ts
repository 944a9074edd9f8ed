// R12–R15 and R19: own writes, crash safety and cursors, review, the safety valve, visible failures.
import { SafetyStopError } from "../../src/sync/session";
import { setup, person, outlookFor, keyOf, type Env } from "./harness";

async function seeded(n: number, env: Env = setup()) {
  const ids = [];
  for (let i = 0; i < n; i++) ids.push(env.practice.add(person(`C${i}`, "Seed"), { kind: "standalone" }).id);
  await env.sync();
  return { env, ids };
}

describe("R12 own writes", () => {
  test("R12 the engine's own writes are not read back as changes; a no-op sync only reads the feeds", async () => {
    const { env, ids } = await seeded(5);
    env.outlook.add(person("Out", "Side"));
    env.practice.edit(ids[0], { jobTitle: "x" });
    await env.sync();
    env.practice.requests.reset();
    env.outlook.requests.reset();
    const { plan, result } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect(result.run.status).toBe("ok");
    expect([env.practice.requests.total, env.practice.requests.of("changesSince")]).toEqual([1, 1]);
    expect([env.outlook.requests.total, env.outlook.requests.of("readChanges")]).toEqual([1, 1]);
  });

  test("R12 with a filter, a no-op sync also reads the filter and nothing else", async () => {
    const env = setup();
    const f = env.practice.addFilter({ name: "Clients", match: "all", criteria: [{ field: "kind", method: "equals", values: ["client"] }] });
    env.settings.filterId = f.id;
    env.practice.add(person("Fil", "Ter"));
    await env.sync();
    env.practice.requests.reset();
    await env.sync();
    expect(env.practice.requests.total).toBe(2);
    expect([env.practice.requests.of("getFilter"), env.practice.requests.of("changesSince")]).toEqual([1, 1]);
  });
});

describe("R13 crash safety and cursors", () => {
  test("R13 a crash between Outlook creates: recovery links what landed, nothing is duplicated", async () => {
    const env = setup();
    for (let i = 0; i < 6; i++) env.practice.add(person(`K${i}`, "Crash"));
    env.outlook.faults.inject("createContacts", "crash", 1, 3);
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.outlook.size()).toBe(3);
    await env.sync();
    expect(env.outlook.size()).toBe(6);
    expect(new Set(env.outlook.all().map((c) => c.stamp)).size).toBe(6);
    expect((await env.plan()).changes).toEqual([]);
    expect(env.cache.peekJournal()).toEqual([]);
  });

  test("R13 a crash after a practice create (R7): the idempotency key is replayed, no duplicate", async () => {
    const env = setup();
    const o = env.outlook.add(person("Walk", "In"));
    env.outlook.faults.inject("updateContacts", "crash"); // dies before the stamp is written
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.practice.size()).toBe(1);
    await env.sync();
    expect(env.practice.size()).toBe(1);
    expect(keyOf(env.outlook.get(o.id)?.stamp)).toBe(`firm-1:${env.practice.all()[0].id}`);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R13 a create that timed out after landing is not repeated", async () => {
    const env = setup();
    env.practice.add(person("Time", "Out"));
    env.outlook.faults.inject("createContacts", "timeout-after-write");
    const { result } = await env.sync();
    expect(result.failed).toHaveLength(1);
    await env.sync();
    expect(env.outlook.size()).toBe(1);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R13 a cancelled apply keeps the cursors; the rest is picked up next time", async () => {
    const env = setup();
    for (let i = 0; i < 250; i++) env.practice.add(person(`B${i}`, "Batch"));
    const s = env.session();
    const plan = await s.plan();
    const ctl = new AbortController();
    s.onProgress((p) => {
      if (p.phase === "applying" && p.done >= 100) ctl.abort();
    });
    const result = await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)), signal: ctl.signal });
    expect(result.run.status).toBe("cancelled");
    expect(env.outlook.size()).toBe(100);
    expect(env.cache.peekCursors().practiceCursor).toBeUndefined();
    const next = await env.sync();
    expect(next.plan.changes).toHaveLength(150);
    expect(env.outlook.size()).toBe(250);
  });

  test("R13 an expired cursor or delta token falls back to a full read without duplicates", async () => {
    const { env } = await seeded(4);
    env.practice.expireCursors();
    env.outlook.expireDeltaTokens();
    const { plan } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect(env.outlook.size()).toBe(4);
  });
});

describe("R13 recovery of updates that landed before a crash", () => {
  test("R13 a practice update that landed before a crash is the engine's own write: a newer Outlook edit wins", async () => {
    const env = setup();
    const o = env.outlook.add(person("Ann", "Lee"));
    await env.sync();
    const [p] = env.practice.all();
    env.outlook.edit(o.id, { jobTitle: "Partner" });
    env.cache.faults.inject("commit", "crash"); // the update lands, the commit recording it does not
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Partner");
    expect(env.cache.peekJournal()).not.toEqual([]);

    env.outlook.edit(o.id, { jobTitle: "Director" });
    await env.sync();
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Director");
    expect(env.outlook.get(o.id)?.fields.jobTitle).toBe("Director");
    expect(env.cache.peekJournal()).toEqual([]);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R13 an Outlook update that landed before a crash is recorded in the base; a later practice edit still syncs", async () => {
    const env = setup();
    const p = env.practice.add(person("Bea", "Moss"));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.practice.edit(p.id, { jobTitle: "Partner" });
    env.cache.faults.inject("commit", "crash");
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.outlook.get(o.id)?.fields.jobTitle).toBe("Partner");

    env.practice.edit(p.id, { companyName: "Moss & Co" });
    const { plan } = await env.sync();
    expect(plan.changes.map((c) => c.direction)).toEqual(["toOutlook"]);
    expect(env.outlook.get(o.id)?.fields).toMatchObject({ jobTitle: "Partner", companyName: "Moss & Co" });
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R13 an update that never landed leaves the base alone: the change is planned again", async () => {
    const env = setup();
    const o = env.outlook.add(person("Cy", "Rowe"));
    await env.sync();
    const [p] = env.practice.all();
    env.outlook.edit(o.id, { jobTitle: "Partner" });
    env.practice.faults.inject("updateContacts", "crash"); // dies before the update is written
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.practice.get(p.id)?.fields.jobTitle).toBeUndefined();

    const { plan } = await env.sync();
    expect(plan.changes.map((c) => c.direction)).toEqual(["toPractice"]);
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Partner");
    expect((await env.plan()).changes).toEqual([]);
  });
});

describe("R14 review", () => {
  test("R14 nothing is written before apply; a deselected row is not applied and comes back with the same id", async () => {
    const env = setup();
    const a = env.practice.add(person("Sel", "Ected"));
    const b = env.practice.add(person("Not", "Selected"));
    const plan = await env.plan();
    expect(env.outlook.size()).toBe(0);
    await env.sync({ select: (id) => id === `add:${a.id}` });
    expect(outlookFor(env, a.id)).toBeDefined();
    expect(outlookFor(env, b.id)).toBeUndefined();
    const again = await env.plan();
    expect(again.changes.map((c) => c.id)).toEqual([`add:${b.id}`]);
    expect(plan.changes.map((c) => c.id)).toContain(`add:${b.id}`);
  });

  test("R14 a deselected Outlook edit comes back after the cursors moved on", async () => {
    const { env, ids } = await seeded(2);
    env.outlook.edit(outlookFor(env, ids[0])!.id, { jobTitle: "Later" });
    await env.sync({ select: () => false });
    expect(env.practice.get(ids[0])?.fields.jobTitle).toBeUndefined();
    const { plan } = await env.sync();
    expect(plan.changes.map((c) => c.id)).toEqual([`update:${ids[0]}`]);
    expect(env.practice.get(ids[0])?.fields.jobTitle).toBe("Later");
  });
});

describe("R15 safety valve", () => {
  test("R15 removing more than max(10, 10 %) stops for confirmation before any write", async () => {
    const { env, ids } = await seeded(30);
    for (const id of ids.slice(0, 12)) env.practice.remove(id);
    const s = env.session();
    const plan = await s.plan();
    expect(plan.safety).toMatchObject({ side: "outlook", affected: 12, total: 30 });
    const writes = env.outlook.events.length;
    await expect(s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)) })).rejects.toBeInstanceOf(SafetyStopError);
    expect(env.outlook.events.length).toBe(writes);
    const forced = await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)), force: true });
    expect(forced.applied).toBe(12);
    expect(env.outlook.size()).toBe(18);
  });

  test("R15 ten removals pass without a stop", async () => {
    const { env, ids } = await seeded(30);
    for (const id of ids.slice(0, 10)) env.practice.remove(id);
    const { plan } = await env.sync();
    expect(plan.safety).toBeNull();
    expect(env.outlook.size()).toBe(20);
  });

  test("R15 an empty store where links exist stops the run", async () => {
    const { env } = await seeded(3);
    for (const c of env.outlook.all()) env.outlook.remove(c.id);
    env.outlook.expireDeltaTokens(); // full read finds the folder empty
    const plan = await env.plan();
    expect(plan.safety).toMatchObject({ side: "outlook" });
    expect(plan.safety!.reason).toMatch(/empty/);
  });
});

describe("R19 visible failures", () => {
  test("R19 a failed contact is listed with its reason, never blocks the others, and comes back", async () => {
    const env = setup();
    for (let i = 0; i < 4; i++) env.practice.add(person(`F${i}`, "Fail"));
    env.outlook.faults.inject("createContacts", "unavailable", 1, 1);
    const { result } = await env.sync();
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ code: "unavailable", name: "F1 Fail" });
    expect(result.run.status).toBe("partial");
    expect(env.outlook.size()).toBe(3);
    const history = await env.session().history();
    expect(history[0].errors[0].message).toMatch(/Outlook/);
    const { plan } = await env.sync();
    expect(plan.changes.map((c) => c.name)).toEqual(["F1 Fail"]);
    expect(env.outlook.size()).toBe(4);
  });

  test("R19 a rejected practice update fails only that contact", async () => {
    const { env, ids } = await seeded(3);
    env.outlook.edit(outlookFor(env, ids[0])!.id, { jobTitle: "x".repeat(300) }); // too long for the practice API
    env.outlook.edit(outlookFor(env, ids[1])!.id, { jobTitle: "fine" });
    const { result } = await env.sync();
    expect(result.failed.map((f) => f.code)).toEqual(["invalid"]);
    expect(env.practice.get(ids[1])?.fields.jobTitle).toBe("fine");
  });
});

describe("R19 whole-store failures", () => {
  test("R19 a store that cannot be read fails the run visibly and writes nothing", async () => {
    const { env, ids } = await seeded(2);
    env.outlook.edit(outlookFor(env, ids[0])!.id, { jobTitle: "Pending" });
    env.practice.faults.inject("changesSince", "unavailable");
    const writes = env.practice.events.length + env.outlook.events.length;
    await expect(env.plan()).rejects.toThrow(/unavailable/i);
    expect(env.practice.events.length + env.outlook.events.length).toBe(writes);
    const [run] = await env.session().history(1);
    expect(run.status).toBe("failed");
    // Nothing was lost: the next sync picks the edit up.
    const { plan } = await env.sync();
    expect(plan.changes.map((c) => c.id)).toEqual([`update:${ids[0]}`]);
    expect(env.practice.get(ids[0])?.fields.jobTitle).toBe("Pending");
  });

  test("R19 a batch call that throws StoreUnavailableError fails each of its contacts, not the run", async () => {
    const env = setup();
    for (let i = 0; i < 3; i++) env.practice.add(person(`U${i}`, "Navail"));
    const { StoreUnavailableError } = await import("../../src/sync/ports");
    const create = env.outlook.createContacts.bind(env.outlook);
    let calls = 0;
    env.outlook.createContacts = async (items, opts) => {
      if (calls++ === 0) throw new StoreUnavailableError("outlook", "Graph answered 503 after retries.", 503);
      return create(items, opts);
    };
    const { result } = await env.sync();
    expect(result.failed).toHaveLength(3);
    expect(result.failed[0].message).toMatch(/503/);
    expect(result.run.status).toBe("failed");
    await env.sync();
    expect(env.outlook.size()).toBe(3);
    expect((await env.plan()).changes).toEqual([]);
  });
});

describe("R19 records that cannot be planned", () => {
  test("R19 a record that cannot be planned is listed and tried again next run, and planned once it is readable", async () => {
    const env = setup();
    const p = env.practice.add(person("Broken", "Record"));
    await env.sync();
    env.practice.edit(p.id, { jobTitle: "Edited" });
    // The change feed answers once with that record missing its fields.
    const original = env.practice.changesSince.bind(env.practice);
    let armed = true;
    env.practice.changesSince = async (cursor, opts) => {
      const r = await original(cursor, opts);
      if (!armed) return r;
      armed = false;
      return { ...r, upserts: r.upserts.map((c) => (c.id === p.id ? { ...c, fields: undefined as never } : c)) };
    };
    const bad = await env.sync();
    expect(bad.plan.errors.map((e) => e.practiceId)).toEqual([p.id]);
    expect((await env.cache.getDeferred()).map((d) => d.id)).toContain(p.id);
    // The cursor moved past the change, yet the record is not forgotten: still listed while unreadable.
    const stillBad = await env.plan();
    expect(stillBad.errors.map((e) => e.practiceId)).toEqual([p.id]);
    // Once the record reads again (any new change brings it), it is planned and synced.
    env.practice.edit(p.id, { department: "Tax" });
    const fixed = await env.sync();
    expect(fixed.plan.errors).toEqual([]);
    expect(outlookFor(env, p.id)?.fields).toMatchObject({ jobTitle: "Edited", department: "Tax" });
    expect((await env.cache.getDeferred()).map((d) => d.id)).not.toContain(p.id);
  });
});
