// R2: identity and decisions that no device can lose. A cache is only a cache: losing it, or having
// a second one, must not change what the sync does. What it must not forget lives in the stamp (origin,
// create token), in the practice record (the Outlook contact it was made from) and in the user's
// decisions kept by the practice system (exclusions, contacts let go).
import { SafetyStopError } from "../../src/sync/session";
import { makeStamp, parseStamp } from "../../src/sync/model";
import { CrashError } from "../support";
import { setup, person, outlookFor, keyOf, otherDevice, FIRM, FOLDER, type Env } from "./harness";

const holdersOf = (env: Env, pid: string) => env.outlook.all().filter((c) => keyOf(c.stamp) === `${FIRM}:${pid}`);

describe("R10 exclusions survive a lost cache and reach the other devices", () => {
  test("R10 after the cache is lost, a contact the user deleted in Outlook is not created again", async () => {
    const env = setup();
    const p = env.practice.add(person("Del", "Eted"));
    env.practice.add(person("Stays", "Put"));
    await env.sync();
    env.outlook.remove(outlookFor(env, p.id)!.id);
    await env.sync(); // excluded
    expect(await env.practice.getDecisions(FOLDER.folderKey)).toMatchObject([{ practiceId: p.id, kind: "excluded" }]);

    env.cache.lose();
    const { plan } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect(outlookFor(env, p.id)).toBeUndefined();
    expect((await env.session().excluded()).map((l) => l.practiceId)).toEqual([p.id]);
  });

  test("R10 a second device that never saw the contact does not create it again", async () => {
    const env = setup();
    env.practice.add(person("Stays", "Put"));
    const other = otherDevice(env);
    await env.sync();
    await other.sync();
    const p = env.practice.add(person("New", "Comer"));
    await env.sync(); // created in Outlook by this device only
    env.outlook.remove(outlookFor(env, p.id)!.id);
    await env.sync(); // excluded here
    const { plan } = await other.sync(); // the other device sees a new practice record
    expect(plan.changes.filter((c) => c.practiceId === p.id)).toEqual([]);
    expect(outlookFor(env, p.id)).toBeUndefined();
  });

  test("R10 include again on one device is seen by the others", async () => {
    const env = setup();
    const p = env.practice.add(person("Back", "Again"));
    env.practice.add(person("Stays", "Put"));
    await env.sync();
    env.outlook.remove(outlookFor(env, p.id)!.id);
    await env.sync();
    await env.session().includeAgain(p.id);
    const other = otherDevice(env); // a new device: its first sync reads the shared decisions
    await other.sync();
    expect(holdersOf(env, p.id)).toHaveLength(1);
    await env.sync();
    expect(holdersOf(env, p.id)).toHaveLength(1);
  });

  test("R10 a decision the practice system cannot take now is kept and sent by the next sync", async () => {
    const env = setup();
    const p = env.practice.add(person("Lat", "Er"));
    env.practice.add(person("Stays", "Put"));
    await env.sync();
    env.outlook.remove(outlookFor(env, p.id)!.id);
    env.practice.faults.inject("changeDecisions", "unavailable");
    await env.sync();
    expect(await env.practice.getDecisions(FOLDER.folderKey)).toEqual([]);
    expect((await env.cache.getCursors()).pendingDecisions).toBeDefined();
    env.practice.add(person("Some", "Change")); // a run that reads the decisions sends them first
    await env.sync();
    expect(await env.practice.getDecisions(FOLDER.folderKey)).toMatchObject([{ practiceId: p.id, kind: "excluded" }]);
    expect((await env.cache.getCursors()).pendingDecisions).toBeUndefined();
  });
});

describe("R10 the very contact restored", () => {
  test("R10 an excluded contact restored from Deleted Items is re-linked to its record, never re-created", async () => {
    const env = setup();
    const o = env.outlook.add(person("Imp", "Orted"));
    env.practice.add(person("Stays", "Put"));
    await env.sync();
    env.outlook.remove(o.id);
    await env.sync(); // excluded
    env.outlook.restore(o.id); // same immutable id, stamp and fields
    const { plan } = await env.sync();
    expect(plan.changes.filter((c) => c.group === "conflict")).toEqual([]);
    expect(env.practice.size()).toBe(2);
    expect((await env.cache.loadLinks()).find((l) => l.outlookId === o.id)).toMatchObject({ state: "linked" });
    expect(await env.practice.getDecisions(FOLDER.folderKey)).toEqual([]);
  });
});

describe("R8 a lost cache keeps edits the stamp can tell apart", () => {
  test("R8 an Outlook edit made just before the cache is lost reaches the practice record, even within the same second", async () => {
    const env = setup();
    const p = env.practice.add(person("Same", "Second", { jobTitle: "Clerk" }));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { jobTitle: "Partner" }); // no time passes: recency alone would call it a tie
    env.cache.lose();
    const { plan } = await env.sync();
    expect(plan.changes).toMatchObject([{ rule: "R8", direction: "toPractice" }]);
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Partner");
  });

  test("R8 edits on both sides of different fields both survive a lost cache", async () => {
    const env = setup();
    const p = env.practice.add(person("Two", "Sides", { jobTitle: "Clerk", department: "Tax" }));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { jobTitle: "Partner" });
    env.clock.advance(5_000);
    env.practice.edit(p.id, { department: "Audit" }); // newer, but another field
    env.cache.lose();
    await env.sync();
    expect(env.practice.get(p.id)?.fields).toMatchObject({ jobTitle: "Partner", department: "Audit" });
    expect(env.outlook.get(o.id)?.fields).toMatchObject({ jobTitle: "Partner", department: "Audit" });
  });
});

describe("R7 origin travels with the contact", () => {
  test("R7 an Outlook-born contact that does not match the filter stays in the folder after a lost cache", async () => {
    const env = setup({ importKind: "standalone" });
    const f = env.practice.addFilter({ name: "Clients", match: "all", criteria: [{ field: "kind", method: "equals", values: ["client"] }] });
    env.settings.filterId = f.id;
    env.practice.add(person("In", "Scope"), { kind: "client" });
    const o = env.outlook.add(person("Born", "InOutlook"));
    await env.sync();
    env.cache.lose();
    await env.sync();
    await env.sync();
    expect(env.outlook.get(o.id)).toBeDefined();
    expect((await env.cache.loadLinks()).find((l) => l.outlookId === o.id)).toMatchObject({ origin: "outlook", state: "linked" });
  });
});

describe("R2 an import interrupted before its stamp, with the cache lost", () => {
  test("R2 the next sync links the Outlook contact to the record made from it: one on each side", async () => {
    const env = setup();
    const o = env.outlook.add(person("Half", "Done"));
    env.outlook.faults.inject("updateContacts", "crash"); // dies after the practice create, before the stamp
    await expect(env.sync()).rejects.toBeInstanceOf(CrashError);
    env.restart();
    env.cache.lose(); // and the journal with it
    expect(env.practice.all()[0].outlookRef).toEqual({ mailbox: FOLDER.mailbox, id: o.id });

    await env.sync();
    expect(env.practice.size()).toBe(1);
    expect(env.outlook.size()).toBe(1);
    const stamp = parseStamp(env.outlook.get(o.id)!.stamp!);
    expect(stamp).toMatchObject({ practiceId: env.practice.all()[0].id, origin: "outlook" });
    expect((await env.plan()).changes).toEqual([]);
  });
});

describe("R2 a record held by two Outlook contacts", () => {
  test("R2 a copy the user made in Outlook becomes a contact of its own", async () => {
    const env = setup();
    const p = env.practice.add(person("Orig", "Inal"));
    await env.sync();
    const copy = env.outlook.copy(outlookFor(env, p.id)!.id);
    env.outlook.edit(copy.id, { givenName: "Copy" });
    const { plan } = await env.sync();
    expect(plan.changes).toMatchObject([{ id: `add:${copy.id}`, rule: "R7" }]);
    expect(env.practice.size()).toBe(2);
    expect(keyOf(env.outlook.get(copy.id)!.stamp)).not.toBe(`${FIRM}:${p.id}`);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R2 two creates of one record by two devices are merged: the extra copy goes to Deleted Items, on both devices alike", async () => {
    const env = setup();
    const p = env.practice.add(person("Made", "Twice"));
    env.practice.add(person("Stays", "Put"));
    // Two devices created p's contact at the same moment (as if neither saw the other's write).
    const a = env.outlook.add(p.fields, { stamp: makeStamp(FIRM, p.id, { made: "run-a" }) });
    const b = env.outlook.add(p.fields, { stamp: makeStamp(FIRM, p.id, { made: "run-b" }) });
    const other = otherDevice(env);
    const mine = env.session();
    const theirs = other.session();
    const myPlan = await mine.plan();
    const theirPlan = await theirs.plan();
    expect(myPlan.changes.find((c) => c.outlookId === b.id)).toMatchObject({ id: `remove:${b.id}`, rule: "R2" });
    expect(theirPlan.changes.find((c) => c.outlookId === b.id)).toMatchObject({ id: `remove:${b.id}`, rule: "R2" });
    await mine.apply(myPlan, { selected: new Set(myPlan.changes.map((c) => c.id)) });
    await other.sync();
    expect(holdersOf(env, p.id).map((c) => c.id)).toEqual([a.id]);
    expect(env.outlook.deletedItems().map((c) => c.id)).toEqual([b.id]);
    expect(env.practice.size()).toBe(2);
    expect((await env.plan()).changes).toEqual([]);
    expect((await other.session().plan()).changes).toEqual([]);
  });

  test("R2 a contact restored from Deleted Items after include-again is a conflict, never a new record", async () => {
    const env = setup();
    const p = env.practice.add(person("Come", "Back"));
    env.practice.add(person("Stays", "Put"));
    await env.sync();
    const first = outlookFor(env, p.id)!;
    env.outlook.remove(first.id);
    await env.sync(); // excluded
    await env.session().includeAgain(p.id);
    await env.sync(); // created again
    const second = holdersOf(env, p.id)[0];
    expect(second.id).not.toBe(first.id);

    env.outlook.restore(first.id);
    const { plan } = await env.sync();
    expect(plan.changes).toMatchObject([{ id: `conflict:${first.id}`, group: "conflict", rule: "R2" }]);
    expect(env.practice.size()).toBe(2);

    // The user keeps the restored one: it takes the record's details, the other goes to Deleted Items.
    const s = env.session();
    const again = await s.plan();
    const kept = await s.apply(again, { selected: new Set([`conflict:${first.id}`]), resolutions: { [`conflict:${first.id}`]: "keep" } });
    expect(kept.changedSincePlan).toEqual([]);
    expect(kept.failed).toEqual([]);
    expect(kept.applied).toBe(1);
    expect(holdersOf(env, p.id).map((c) => c.id)).toEqual([first.id]);
    expect(env.practice.size()).toBe(2);
    expect((await env.plan()).changes).toEqual([]);
    // And after a lost cache nothing changes either: the shared decisions remember which was let go.
    env.cache.lose();
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R2 a restored contact the user does not want goes back to Deleted Items", async () => {
    const env = setup();
    const p = env.practice.add(person("Not", "Wanted"));
    env.practice.add(person("Stays", "Put"));
    await env.sync();
    const first = outlookFor(env, p.id)!;
    env.outlook.remove(first.id);
    await env.sync();
    await env.session().includeAgain(p.id);
    await env.sync();
    env.outlook.restore(first.id);
    const s = env.session();
    const plan = await s.plan();
    await s.apply(plan, { selected: new Set([`conflict:${first.id}`]), resolutions: { [`conflict:${first.id}`]: "delete" } });
    expect(holdersOf(env, p.id)).toHaveLength(1);
    expect(env.outlook.get(first.id)).toBeUndefined();
    expect((await env.plan()).changes).toEqual([]);
  });
});

describe("R15 counts every kind of write", () => {
  test("R15 deleting every linked contact in Outlook stops for confirmation, even on an incremental read", async () => {
    const env = setup();
    const ps = [env.practice.add(person("A", "One")), env.practice.add(person("B", "Two")), env.practice.add(person("C", "Three"))];
    await env.sync();
    for (const p of ps) env.outlook.remove(outlookFor(env, p.id)!.id);
    await expect(env.sync()).rejects.toBeInstanceOf(SafetyStopError);
    const { result } = await env.sync({ req: { force: true } });
    expect(result.run.counts.excluded).toBe(3);
  });

  test("R15 many Outlook contacts imported into a folder already synced stop for confirmation", async () => {
    const env = setup();
    env.practice.add(person("Only", "One"));
    await env.sync();
    for (let i = 0; i < 11; i++) env.outlook.add(person(`New${i}`, "Import"));
    const plan = await env.plan();
    // Each import also restamps its Outlook contact: either side's count stops it.
    expect(plan.safety).toMatchObject({ affected: 11 });
  });
});
