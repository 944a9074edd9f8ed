// R1, R2, R6–R11: what enters and leaves each store, driven through SyncSession on in-memory stores.
import { setup, person, outlookFor, keyOf, FIRM } from "./harness";
import { parseStamp } from "../../src/sync/model";

describe("R1 scope", () => {
  test("R1 only contacts matching the filter are synced; no filter syncs all", async () => {
    const env = setup();
    const f = env.practice.addFilter({ name: "London", match: "all", criteria: [{ field: "office", method: "equals", values: ["London"] }] });
    const inLondon = env.practice.add(person("Ann", "Lon"), { attributes: { office: "London" } });
    const inLeeds = env.practice.add(person("Lee", "Ds"), { attributes: { office: "Leeds" } });
    env.settings.filterId = f.id;
    await env.sync();
    expect(outlookFor(env, inLondon.id)).toBeDefined();
    expect(outlookFor(env, inLeeds.id)).toBeUndefined();
    env.settings.filterId = null; // filter changed: a full listing picks up the rest
    await env.sync();
    expect(outlookFor(env, inLeeds.id)).toBeDefined();
  });

  test("R1 a deleted filter stops the sync with a clear error and removes nothing", async () => {
    const env = setup();
    const f = env.practice.addFilter({ name: "All clients", match: "all", criteria: [{ field: "kind", method: "equals", values: ["client"] }] });
    env.practice.add(person("Ann", "One"));
    env.settings.filterId = f.id;
    await env.sync();
    env.practice.removeFilter(f.id);
    await expect(env.plan()).rejects.toThrow(/no longer exists/);
    expect(env.outlook.size()).toBe(1);
  });
});

describe("R2 identity", () => {
  test("R2 each synced Outlook contact carries the firm and practice id as its stamp", async () => {
    const env = setup();
    const p = env.practice.add(person("Sam", "Stamp"));
    await env.sync();
    expect(env.outlook.all().map((c) => keyOf(c.stamp))).toEqual([`${FIRM}:${p.id}`]);
    expect(parseStamp(env.outlook.all()[0].stamp!)).toMatchObject({ origin: "practice", made: expect.any(String) });
  });

  test("R2 losing the cache creates no duplicate and writes nothing", async () => {
    const env = setup();
    for (let i = 0; i < 5; i++) env.practice.add(person(`P${i}`, "Prac"));
    for (let i = 0; i < 3; i++) env.outlook.add(person(`O${i}`, "Look"));
    await env.sync();
    env.cache.lose();
    const writesBefore = env.outlook.events.length + env.practice.events.length;
    const { plan } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect(env.outlook.size()).toBe(8);
    expect(env.practice.size()).toBe(8);
    expect(env.outlook.events.length + env.practice.events.length).toBe(writesBefore);
    expect(await env.cache.loadLinks()).toHaveLength(8);
  });
});

describe("R6 create in Outlook", () => {
  test("R6 an in-scope practice contact with no link is created in the folder, stamped", async () => {
    const env = setup();
    const p = env.practice.add(person("New", "Client", { jobTitle: "CFO" }));
    const { plan } = await env.sync();
    const row = plan.changes[0];
    expect(row).toMatchObject({ id: `add:${p.id}`, group: "add", direction: "toOutlook", rule: "R6", name: "New Client" });
    expect(outlookFor(env, p.id)?.fields.jobTitle).toBe("CFO");
    const link = (await env.cache.loadLinks())[0];
    expect(link).toMatchObject({ practiceId: p.id, origin: "practice", state: "linked" });
  });
});

describe("R7 import from Outlook", () => {
  test("R7 an unstamped Outlook contact becomes a practice contact of the import kind, origin outlook", async () => {
    const env = setup({ importKind: "standalone" });
    const o = env.outlook.add(person("Walk", "In", { mobilePhone: "+44 7000" }));
    const { plan } = await env.sync();
    expect(plan.changes[0]).toMatchObject({ id: `add:${o.id}`, rule: "R7", direction: "toPractice", kind: "standalone" });
    const [p] = env.practice.all();
    expect(p).toMatchObject({ kind: "standalone", fields: { mobilePhone: "+44 7000" } });
    expect(keyOf(env.outlook.get(o.id)?.stamp)).toBe(`${FIRM}:${p.id}`);
    expect((await env.cache.loadLinks())[0]).toMatchObject({ origin: "outlook", outlookId: o.id });
    // R7 origin travels with the contact, so a lost cache cannot forget it.
    expect(parseStamp(env.outlook.get(o.id)!.stamp!)?.origin).toBe("outlook");
  });

  test("R7 an imported contact stays in the folder although it does not match the filter", async () => {
    const env = setup();
    const f = env.practice.addFilter({ name: "London", match: "all", criteria: [{ field: "office", method: "equals", values: ["London"] }] });
    env.settings.filterId = f.id;
    const o = env.outlook.add(person("Mine", "Own"));
    await env.sync();
    env.practice.edit(env.practice.all()[0].id, { jobTitle: "Owner" });
    const { plan } = await env.sync();
    expect(plan.changes.map((c) => c.group)).toEqual(["update"]);
    expect(env.outlook.get(o.id)?.fields.jobTitle).toBe("Owner");
  });
});

describe("R8 re-link by stamp", () => {
  test("R8 a stamped, unlinked contact is re-linked, never copied; recency resolves differing fields", async () => {
    const env = setup();
    const p = env.practice.add(person("Rel", "Ink", { jobTitle: "Old" }));
    await env.sync();
    env.cache.lose();
    env.practice.edit(p.id, { jobTitle: "Practice" });
    const o = outlookFor(env, p.id)!;
    env.clock.advance(1000); // R5 compares whole seconds
    env.outlook.edit(o.id, { jobTitle: "Outlook" }); // later: wins
    const { plan } = await env.sync();
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ rule: "R8", direction: "toPractice" });
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Outlook");
    expect(env.outlook.size()).toBe(1);
    expect(env.practice.size()).toBe(1);
  });

  test("R8 a copy of a linked contact that still exists is a new contact, not a re-link", async () => {
    const env = setup();
    const p = env.practice.add(person("Orig", "Inal"));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.add({ ...o.fields, givenName: "Copy" }, { stamp: o.stamp });
    const { plan } = await env.sync();
    expect(plan.changes.map((c) => c.rule)).toEqual(["R7"]);
    expect(env.practice.size()).toBe(2);
    expect(outlookFor(env, p.id)?.id).toBe(o.id);
  });
});

describe("R8 pairing without a stamp", () => {
  test("R8 an unstamped contact identical to one unlinked practice record is linked and stamped, not copied", async () => {
    const env = setup();
    const fields = person("Twin", "Record", { emailAddresses: [{ address: "t@x.test" }] });
    const p = env.practice.add(fields);
    const o = env.outlook.add(fields);
    const { plan } = await env.sync();
    expect(plan.changes.map((c) => [c.rule, c.direction])).toEqual([["R8", "toOutlook"]]);
    expect(env.practice.size()).toBe(1);
    expect(env.outlook.size()).toBe(1);
    expect(keyOf(env.outlook.get(o.id)?.stamp)).toBe(`${FIRM}:${p.id}`);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R8 two identical practice records make the match ambiguous: nothing is paired", async () => {
    const env = setup();
    const fields = person("Twin", "Record");
    env.practice.add(fields);
    env.practice.add(fields);
    env.outlook.add(fields);
    const plan = await env.plan();
    expect(plan.changes.map((c) => c.rule).sort()).toEqual(["R6", "R6", "R7"]);
  });
});

describe("R9 leaving scope", () => {
  test("R9 a practice contact deleted is removed from the folder (to Deleted Items)", async () => {
    const env = setup();
    const p = env.practice.add(person("Gone", "Soon"), { kind: "standalone" });
    env.practice.add(person("Stays", "Put")); // a bystander: removing every linked contact is R15's alarm
    await env.sync();
    env.practice.remove(p.id);
    const { plan } = await env.sync();
    expect(plan.changes[0]).toMatchObject({ group: "remove", rule: "R9", direction: "toOutlook" });
    expect(env.outlook.size()).toBe(1);
    expect(env.outlook.deletedItems()).toHaveLength(1);
    expect((await env.cache.loadLinks()).map((l) => l.practiceId)).not.toContain(p.id);
  });

  test("R9 a contact that stops matching the filter is removed; its Outlook edits are saved first", async () => {
    const env = setup();
    const f = env.practice.addFilter({ name: "London", match: "all", criteria: [{ field: "office", method: "equals", values: ["London"] }] });
    env.settings.filterId = f.id;
    const p = env.practice.add(person("Mo", "Ving"), { attributes: { office: "London" } });
    await env.sync();
    env.outlook.edit(outlookFor(env, p.id)!.id, { mobilePhone: "+1 555" });
    env.practice.edit(p.id, {}, { office: "Paris" });
    const { plan } = await env.sync();
    expect(plan.changes[0]).toMatchObject({ group: "remove", rule: "R9", direction: "both" });
    expect(env.outlook.size()).toBe(0);
    expect(env.practice.get(p.id)?.fields.mobilePhone).toBe("+1 555");
  });

  test("R9 never removes an Outlook-born contact for not matching the filter", async () => {
    const env = setup();
    const f = env.practice.addFilter({ name: "London", match: "all", criteria: [{ field: "office", method: "equals", values: ["London"] }] });
    env.settings.filterId = f.id;
    env.outlook.add(person("Out", "Born"));
    await env.sync();
    env.settings.filterId = null;
    await env.sync();
    env.settings.filterId = f.id; // filter change: full listing, the import is out of scope
    const { plan } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect(env.outlook.size()).toBe(1);
  });
});

describe("R10 deleted in Outlook", () => {
  test("R10 the practice record is kept, the link excluded, and the contact not re-added", async () => {
    const env = setup();
    const p = env.practice.add(person("Keep", "Me"));
    env.practice.add(person("Stays", "Put")); // a bystander: removing every linked contact is R15's alarm
    await env.sync();
    env.outlook.remove(outlookFor(env, p.id)!.id);
    const { plan } = await env.sync();
    expect(plan.changes[0]).toMatchObject({ group: "remove", rule: "R10", direction: "none" });
    expect(env.practice.get(p.id)).toBeDefined();
    const s = env.session();
    expect((await s.excluded()).map((l) => l.practiceId)).toEqual([p.id]);
    env.practice.edit(p.id, { jobTitle: "Still here" });
    const again = await env.sync();
    expect(again.plan.changes).toEqual([]);
    expect(env.outlook.size()).toBe(1);
  });

  test("R10 includeAgain re-adds an excluded contact on the next sync", async () => {
    const env = setup();
    const p = env.practice.add(person("Back", "Again"));
    env.practice.add(person("Stays", "Put")); // a bystander: removing every linked contact is R15's alarm
    await env.sync();
    env.outlook.remove(outlookFor(env, p.id)!.id);
    await env.sync();
    await env.session().includeAgain(p.id);
    const { plan } = await env.sync();
    expect(plan.changes[0]).toMatchObject({ rule: "R6", practiceId: p.id });
    expect(outlookFor(env, p.id)).toBeDefined();
  });

  test("R10 with the option on, a standalone contact is deleted; a client never is", async () => {
    const env = setup({ deleteStandaloneOnOutlookDelete: true });
    const s = env.practice.add(person("Stand", "Alone"), { kind: "standalone" });
    const c = env.practice.add(person("Cli", "Ent"), { kind: "client" });
    env.practice.add(person("Stays", "Put")); // a bystander: removing every linked contact is R15's alarm
    await env.sync();
    env.outlook.remove(outlookFor(env, s.id)!.id);
    env.outlook.remove(outlookFor(env, c.id)!.id);
    const { plan, result } = await env.sync();
    expect(result.failed).toEqual([]);
    expect(plan.changes.find((r) => r.practiceId === s.id)).toMatchObject({ direction: "toPractice", rule: "R10" });
    expect(plan.changes.find((r) => r.practiceId === c.id)).toMatchObject({ direction: "none", rule: "R10" });
    expect(env.practice.get(s.id)).toBeUndefined();
    expect(env.practice.get(c.id)).toBeDefined();
  });
});

describe("R10 option on a full read", () => {
  test("R10 with the option on, a standalone contact missing from a full read of the folder is deleted too", async () => {
    const env = setup({ deleteStandaloneOnOutlookDelete: true });
    const s = env.practice.add(person("Stand", "Alone"), { kind: "standalone" });
    env.practice.add(person("Stays", "Put")); // a bystander: removing every linked contact is R15's alarm
    await env.sync();
    env.outlook.remove(outlookFor(env, s.id)!.id);
    env.outlook.expireDeltaTokens(); // the next read enumerates the folder
    const { plan } = await env.sync();
    expect(plan.changes.find((r) => r.practiceId === s.id)).toMatchObject({ direction: "toPractice", rule: "R10" });
    expect(env.practice.get(s.id)).toBeUndefined();
  });
});

describe("R11 edit versus delete", () => {
  test("R11 practice edit + Outlook delete is a conflict; automatic sync deletes nothing", async () => {
    const env = setup({ deleteStandaloneOnOutlookDelete: true });
    const p = env.practice.add(person("Con", "Flict"), { kind: "standalone" });
    await env.sync();
    env.outlook.remove(outlookFor(env, p.id)!.id);
    env.practice.edit(p.id, { jobTitle: "Edited" });
    const { plan } = await env.sync(); // conflicts are not selected
    expect(plan.changes[0]).toMatchObject({ id: `conflict:${p.id}`, group: "conflict", rule: "R11" });
    expect(plan.counts.conflicts).toBe(1);
    expect(env.practice.get(p.id)).toBeDefined();
    // It comes back, and "keep" re-creates it in Outlook.
    const { plan: again } = await env.sync({ select: () => true, req: { resolutions: {} } });
    expect(again.changes[0].id).toBe(`conflict:${p.id}`);
    expect(outlookFor(env, p.id)?.fields.jobTitle).toBe("Edited");
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R11 Outlook edit + practice delete is a conflict; keep re-creates the practice record", async () => {
    const env = setup({ importKind: "standalone" });
    const p = env.practice.add(person("Del", "Eted"), { kind: "standalone" });
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { jobTitle: "Edited in Outlook" });
    env.practice.remove(p.id);
    const { plan } = await env.sync();
    expect(plan.changes[0]).toMatchObject({ group: "conflict", rule: "R11" });
    expect(env.outlook.get(o.id)).toBeDefined();
    await env.sync({ select: () => true });
    expect(env.practice.size()).toBe(1);
    const np = env.practice.all()[0];
    expect(np.fields.jobTitle).toBe("Edited in Outlook");
    expect(keyOf(env.outlook.get(o.id)?.stamp)).toBe(`${FIRM}:${np.id}`);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R11 the delete resolution removes the Outlook contact", async () => {
    const env = setup();
    const p = env.practice.add(person("Del", "Both"), { kind: "standalone" });
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.edit(o.id, { jobTitle: "x" });
    env.practice.remove(p.id);
    await env.sync({ select: () => true, req: { resolutions: { [`conflict:${p.id}`]: "delete" } } });
    expect(env.outlook.size()).toBe(0);
    expect(env.practice.size()).toBe(0);
    expect(await env.cache.loadLinks()).toEqual([]);
  });
});
