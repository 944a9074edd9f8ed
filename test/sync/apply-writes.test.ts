// How apply() shapes its writes: Outlook call sizes, displayName on every Outlook write, Outlook's
// generated display names, run counts without a second link load, runs with only errors, close().
import { APPLY_BATCH, outlookChunkSize } from "../../src/sync/apply";
import { moreRecent } from "../../src/sync/merge";
import { normalizeFields } from "../../src/sync/normalize";
import type { ContactFields } from "../../src/sync/model";
import type { OutlookCreate, OutlookUpdate } from "../../src/sync/ports";
import { generatedDisplayName } from "../../src/outlook/emulator/contact-shape";
import { setup, person, outlookFor, type Env } from "./harness";

/** Records the items of every Outlook write call the engine makes. */
function spyOutlook(env: Env) {
  const creates: OutlookCreate[][] = [];
  const updates: OutlookUpdate[][] = [];
  const create = env.outlook.createContacts.bind(env.outlook);
  const update = env.outlook.updateContacts.bind(env.outlook);
  env.outlook.createContacts = (items, opts) => {
    creates.push(structuredClone(items));
    return create(items, opts);
  };
  env.outlook.updateContacts = (items, opts) => {
    updates.push(structuredClone(items));
    return update(items, opts);
  };
  return { creates, updates };
}

/**
 * Makes the in-memory folder behave like Graph behind the adapter: a contact saved without a display
 * name gets the generated one, and an update resends the display name the engine says to keep.
 */
function graphLikeDisplayNames(env: Env): void {
  const create = env.outlook.createContacts.bind(env.outlook);
  const update = env.outlook.updateContacts.bind(env.outlook);
  const generated = (f: ContactFields) => generatedDisplayName(f as Record<string, unknown>) || undefined;
  env.outlook.createContacts = (items, opts) =>
    create(items.map((i) => (i.fields.displayName ? i : { ...i, fields: { ...i.fields, displayName: generated(i.fields) } })), opts);
  env.outlook.updateContacts = (items, opts) =>
    update(
      items.map((i) => (i.displayName !== undefined && !("displayName" in i.patch) ? { ...i, patch: { ...i.patch, displayName: i.displayName } } : i)),
      opts,
    );
}

describe("Outlook write chunking", () => {
  test("calls are sized by the store's writeChunkSize (a multiple of it within APPLY_BATCH)", () => {
    expect(outlookChunkSize({})).toBe(APPLY_BATCH);
    expect(outlookChunkSize({ writeChunkSize: 80 })).toBe(80);
    expect(outlookChunkSize({ writeChunkSize: 20 })).toBe(100);
    expect(outlookChunkSize({ writeChunkSize: 30 })).toBe(90);
    expect(outlookChunkSize({ writeChunkSize: 250 })).toBe(250);
    for (const bad of [0, -5, 1.5, Number.NaN, "80"]) expect(outlookChunkSize({ writeChunkSize: bad })).toBe(APPLY_BATCH);
  });

  test("an Outlook store with writeChunkSize 80 gets calls of 80; the practice side keeps APPLY_BATCH", async () => {
    const env = setup();
    Object.assign(env.outlook, { writeChunkSize: 80 });
    const spy = spyOutlook(env);
    const practiceCalls: number[] = [];
    const pCreate = env.practice.createContacts.bind(env.practice);
    env.practice.createContacts = (items, opts) => {
      practiceCalls.push(items.length);
      return pCreate(items, opts);
    };
    for (let i = 0; i < 200; i++) env.practice.add(person(`P${i}`, "Chunk"));
    for (let i = 0; i < 130; i++) env.outlook.add(person(`O${i}`, "Chunk"));
    await env.sync({ req: { force: true } });
    expect(spy.creates.map((c) => c.length)).toEqual([80, 80, 40]);
    expect(practiceCalls).toEqual([100, 30]);
    // The imports' stamps are Outlook updates: chunked by 80 too.
    expect(spy.updates.map((c) => c.length)).toEqual([80, 50]);
    expect(env.outlook.size()).toBe(330);
  });

  test("without writeChunkSize Outlook calls stay at APPLY_BATCH", async () => {
    const env = setup();
    const spy = spyOutlook(env);
    for (let i = 0; i < 150; i++) env.practice.add(person(`P${i}`, "Plain"));
    await env.sync({ req: { force: true } });
    expect(spy.creates.map((c) => c.length)).toEqual([100, 50]);
  });
});

describe("display names", () => {
  test("every Outlook update says which displayName to keep, also when only another field changed", async () => {
    const env = setup();
    const spy = spyOutlook(env);
    const a = env.practice.add(person("Ann", "Lee"));
    const b = env.practice.add({ givenName: "Bo", surname: "Ng", displayName: "Ng, Bo" });
    const c = env.practice.add({ companyName: "Acme Ltd" });
    await env.sync();
    env.practice.edit(a.id, { jobTitle: "Partner" });
    env.practice.edit(b.id, { jobTitle: "Clerk" });
    env.practice.edit(c.id, { jobTitle: "Supplier" });
    await env.sync();
    const sent = new Map(spy.updates.flat().map((u) => [u.id, { patch: u.patch, displayName: u.displayName }]));
    // The patch lists only the approved change (R14); the name to resend rides beside it.
    expect(sent.get(outlookFor(env, a.id)!.id)).toEqual({ patch: { jobTitle: "Partner" }, displayName: "Ann Lee" });
    expect(sent.get(outlookFor(env, b.id)!.id)).toEqual({ patch: { jobTitle: "Clerk" }, displayName: "Ng, Bo" });
    expect(sent.get(outlookFor(env, c.id)!.id)).toEqual({ patch: { jobTitle: "Supplier" }, displayName: "Acme Ltd" });
    // A displayName cleared in the practice system is cleared in Outlook (which then generates one).
    env.practice.edit(b.id, { displayName: null });
    await env.sync();
    const last = spy.updates.flat().pop()!;
    expect("displayName" in last.patch && last.patch.displayName == null).toBe(true);
    expect(last.displayName).toBeUndefined();
    expect((await env.sync()).plan.changes).toEqual([]);
  });

  test("a practice record without displayName: Outlook gets the generated one and the next sync writes nothing", async () => {
    const env = setup();
    graphLikeDisplayNames(env);
    const named = env.practice.add({ givenName: "Cy", middleName: "J", surname: "Ray" });
    const mailOnly = env.practice.add({ emailAddresses: [{ address: "only@mail.test" }] });
    await env.sync();
    expect(outlookFor(env, named.id)?.fields.displayName).toBe("Cy J Ray");
    expect(outlookFor(env, mailOnly.id)?.fields.displayName).toBe("only@mail.test");
    const writes = env.outlook.syncWrites;
    const { plan } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect(env.outlook.syncWrites).toBe(writes);
    expect(env.practice.get(named.id)?.fields.displayName).toBeUndefined();
    // A later name change regenerates it, and still converges in one sync.
    env.practice.edit(named.id, { surname: "Rey" });
    await env.sync();
    expect(outlookFor(env, named.id)?.fields.displayName).toBe("Cy J Rey");
    expect((await env.sync()).plan.changes).toEqual([]);
  });

  test("a display name set in Outlook is a real edit and reaches the practice system", async () => {
    const env = setup();
    const p = env.practice.add({ givenName: "Di", surname: "Fox" });
    await env.sync();
    env.outlook.edit(outlookFor(env, p.id)!.id, { displayName: "Fox, Di (home)" });
    await env.sync();
    expect(env.practice.get(p.id)?.fields.displayName).toBe("Fox, Di (home)");
  });

  test("an import: a generated display name stays in Outlook, a typed one reaches the practice record", async () => {
    const env = setup();
    graphLikeDisplayNames(env);
    const gen = env.outlook.add({ givenName: "Ed", surname: "Hale", displayName: "Ed Hale" });
    const typed = env.outlook.add({ givenName: "Flo", surname: "Ives", displayName: "Ives & Co" });
    await env.sync();
    const byName = (s: string) => env.practice.all().find((c) => c.fields.surname === s)!;
    expect(byName("Hale").fields.displayName).toBeUndefined();
    expect(byName("Ives").fields.displayName).toBe("Ives & Co");
    expect(outlookFor(env, byName("Hale").id)?.id).toBe(gen.id);
    expect(outlookFor(env, byName("Ives").id)?.id).toBe(typed.id);
    // A later name change in the practice system reaches Outlook with its regenerated name.
    env.practice.edit(byName("Hale").id, { givenName: "Eddie" });
    await env.sync();
    expect(env.outlook.get(gen.id)?.fields.displayName).toBe("Eddie Hale");
    expect((await env.sync()).plan.changes).toEqual([]);
  });

  test("the normalized form leaves out a generated display name only", () => {
    const f = (x: ContactFields) => normalizeFields(x).displayName;
    expect(f({ givenName: "A", surname: "B", displayName: "A B" })).toBeUndefined();
    expect(f({ givenName: "A", surname: "B", displayName: "B, A" })).toBe("B, A");
    expect(f({ companyName: "Co", displayName: "Co " })).toBeUndefined();
    expect(f({ displayName: "Only a name" })).toBe("Only a name");
  });
});

describe("run records", () => {
  test("apply() counts links without loading them again", async () => {
    const env = setup();
    for (let i = 0; i < 30; i++) env.practice.add(person(`L${i}`, "Oad"));
    await env.sync();
    const before = env.cache.requests.of("loadLinks");
    const { result } = await env.sync();
    expect(env.cache.requests.of("loadLinks") - before).toBe(1); // plan() only
    expect(result.run.counts).toMatchObject({ linked: 30, excluded: 0 });
    // Counts still follow the run's own commits: a deletion in Outlook excludes a client (R10).
    env.outlook.remove(outlookFor(env, env.practice.all()[0].id)!.id);
    const next = await env.sync();
    expect(next.result.run.counts).toMatchObject({ linked: 29, excluded: 1 });
  });

  test("R19 a plan with nothing to apply but per-contact errors is recorded, even if never applied", async () => {
    const env = setup();
    const read = env.outlook.readChanges.bind(env.outlook);
    env.outlook.readChanges = async (token, opts) => {
      const r = await read(token, opts);
      const broken = { id: "broken-1", changeKey: "k", lastModified: "2026-01-01T00:00:00Z" } as never;
      return { ...r, upserts: [...r.upserts, broken] };
    };
    const s = env.session();
    const plan = await s.plan();
    expect(plan.changes).toEqual([]);
    expect(plan.errors).toHaveLength(1);
    const [run] = await s.history(1);
    expect(run).toMatchObject({ id: plan.runId, status: "failed" });
    expect(run.errors).toEqual(plan.errors);
  });

  test("close() ends the session's pending plan and keeps the caller's stores usable", async () => {
    const env = setup();
    env.practice.add(person("Clo", "Se"));
    const s = env.session();
    const seen: string[] = [];
    s.onProgress((p) => seen.push(p.phase));
    const plan = await s.plan();
    await s.close();
    await expect(s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)) })).rejects.toThrow(/out of date/);
    const count = seen.length;
    await s.close();
    await env.sync(); // the stores and cache were not closed
    expect(env.outlook.size()).toBe(1);
    await s.plan();
    expect(seen.length).toBe(count); // listeners were dropped
  });
});

describe("R5 recency precision", () => {
  test("times are compared in whole seconds; within one second the practice side wins", () => {
    expect(moreRecent("2026-01-05T10:00:00.400Z", "2026-01-05T10:00:00.900Z")).toBe("practice");
    expect(moreRecent("2026-01-05T10:00:00.999Z", "2026-01-05T10:00:01Z")).toBe("outlook");
    expect(moreRecent("2026-01-05T10:00:01.200Z", "2026-01-05T10:00:01Z")).toBe("practice");
    // An unreadable time on either side proves nothing newer: the tie rule (practice) decides.
    expect(moreRecent("garbage", "2026-01-05T10:00:01Z")).toBe("practice");
    expect(moreRecent("2026-01-05T10:00:01Z", "garbage")).toBe("practice");
  });
});

describe("cancellation between the practice and the Outlook writes", () => {
  test("a landed practice update is linked as half-applied: a later Outlook edit in the same second is not lost", async () => {
    const env = setup();
    const p = env.practice.add(person("Can", "Cel", { jobTitle: "Base" }));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { jobTitle: "Dee" });
    env.practice.edit(p.id, { birthday: "1970-01-31" });
    const s = env.session();
    const cancel = new AbortController();
    s.onProgress((e) => {
      if (e.phase === "applying" && e.done >= 1) cancel.abort(); // after the practice batch
    });
    const plan = await s.plan();
    expect(plan.changes).toEqual([expect.objectContaining({ direction: "both" })]);
    const res = await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)), signal: cancel.signal });
    expect(res.run.status).toBe("cancelled");
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Dee"); // the practice write landed
    expect(env.cache.peekJournal()).toEqual([]);
    env.outlook.edit(o.id, { jobTitle: "Ann" }); // the user's newer edit, within the same second
    await env.sync();
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Ann");
    expect(env.outlook.get(o.id)?.fields).toMatchObject({ jobTitle: "Ann", birthday: "1970-01-31" });
  });

  test("a practice edit still owed to Outlook counts as an edit when the Outlook contact is then deleted (R11, not R10)", async () => {
    const env = setup({ deleteStandaloneOnOutlookDelete: true });
    const p = env.practice.add(person("Ow", "Ed", { jobTitle: "Base" }), { kind: "standalone" });
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.practice.edit(p.id, { birthday: "1970-01-31" });
    env.outlook.edit(o.id, { jobTitle: "Dee" }); // a two-sided update: jobTitle to practice, birthday to Outlook
    env.outlook.faults.inject("updateContacts", "unavailable"); // the Outlook half fails
    await env.sync();
    expect((await env.cache.loadLinks())[0].outlookBase).toBeDefined(); // the practice half landed
    expect(env.outlook.get(o.id)?.fields.birthday).toBeUndefined();
    env.outlook.remove(o.id); // the user deletes a contact that never showed the practice edit
    const plan = await env.plan();
    expect(plan.changes.map((c) => [c.rule, c.group])).toEqual([["R11", "conflict"]]);
    expect(env.practice.get(p.id)).toBeDefined();
  });

  // Found at 57,449 single-device runs (seed 20261207): a create settled by recovery was linked without its
  // stamp's create token and agreed hashes. Those hashes then read as another device's newer agreement and
  // took the place of this device's base: an Outlook edit made later (a field cleared) went unseen.
  test("a create settled by recovery keeps its stamp's hashes as its own: a later Outlook edit is still seen", async () => {
    const env = setup();
    const p = env.practice.add(person("Re", "Cover"));
    env.cache.faults.inject("commit", "crash"); // the create landed, its link did not
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { birthday: "1970-01-31" });
    env.outlook.faults.inject("updateContacts", "crash"); // the practice write lands, the stamp refresh does not
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.practice.get(p.id)?.fields.birthday).toBe("1970-01-31");
    env.outlook.edit(o.id, { birthday: null }); // the user clears it again
    await env.sync();
    expect(env.practice.get(p.id)?.fields.birthday).toBeUndefined();
    expect((await env.plan()).changes).toEqual([]);
  });

  test("a practice write that landed in part: its fields taken from Outlook count as held there, so a later Outlook edit is seen", async () => {
    const env = setup();
    const p = env.practice.add(person("Pa", "Rt", { jobTitle: "Base" }));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { birthday: "1970-01-31", jobTitle: null });
    env.cache.faults.inject("commit", "crash"); // the practice write landed, its link did not
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    env.practice.edit(p.id, { jobTitle: "Partner" }); // one field of the write no longer holds: a partial landing
    env.outlook.edit(o.id, { birthday: null }); // and the user clears the other in Outlook
    await env.sync();
    expect(env.practice.get(p.id)?.fields).toMatchObject({ jobTitle: "Partner" });
    expect(env.practice.get(p.id)?.fields.birthday).toBeUndefined();
    expect(env.outlook.get(o.id)?.fields.birthday).toBeUndefined();
    expect(env.outlook.get(o.id)?.fields.jobTitle).toBe("Partner");
    expect((await env.plan()).changes).toEqual([]);
  });

  // Found at 32,406 single-device runs (seed 31337), with per-side bases: the practice write never
  // landed, but its R4 write-back read as landed (the trimmed value equals the untrimmed one normalized).
  // Recovery then moved Outlook's side of the base with it and lost, in turn, each side's edit.
  test("a crash before the practice write: recovery moves only the practice side, and neither side's edit is lost", async () => {
    const env = setup();
    const p = env.practice.add(person("Par", "Tial"));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { givenName: "Ann" });
    env.practice.edit(p.id, { jobTitle: "Partner\t" }); // R4: written back trimmed
    env.practice.faults.inject("updateContacts", "crash"); // before the write
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.practice.get(p.id)?.fields.givenName).toBe("Par"); // nothing landed
    await env.sync();
    expect(env.practice.get(p.id)?.fields).toMatchObject({ givenName: "Ann", jobTitle: "Partner" });
    expect(env.outlook.get(o.id)?.fields).toMatchObject({ givenName: "Ann", jobTitle: "Partner" });
    expect((await env.plan()).changes).toEqual([]);
  });

  test("a crash after the practice write: recovery keeps per-side bases, so a later Outlook edit in the same second is not lost", async () => {
    const env = setup();
    const p = env.practice.add(person("Cra", "Sh", { jobTitle: "Base" }));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { jobTitle: "Dee" });
    env.practice.edit(p.id, { birthday: "1970-01-31" });
    env.outlook.faults.inject("updateContacts", "crash"); // the Outlook half never lands
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Dee"); // the practice write landed
    env.outlook.edit(o.id, { jobTitle: "Ann" }); // the user's newer edit, within the same second
    // Whole record (R5) now: a practice-side "edit" would win every differing field; the engine's own write is none.
    env.settings.wholeRecord = true;
    await env.sync();
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Ann");
    expect(env.outlook.get(o.id)?.fields).toMatchObject({ jobTitle: "Ann", birthday: "1970-01-31" });
    expect((await env.plan()).changes).toEqual([]);
  });
});
