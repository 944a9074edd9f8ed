// Every sync rule (DESIGN §4, R1–R19) as a scenario over real HTTP: the reference practice server and
// the mailbox emulator on random ports, driven through the `contact-sync` CLI.
import { Harness, person } from "./harness";

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const names = (list: { givenName?: string; fields?: { givenName?: string } }[]) =>
  list.map((c) => c.fields?.givenName ?? c.givenName).sort();

describe("sync rules over HTTP", () => {
  test("R1 scope: only contacts matching the filter reach the folder", async () => {
    const s = await h.scenario([
      person("Ann", "Leeds", { businessAddress: { city: "Leeds" } }),
      person("Bob", "York", { businessAddress: { city: "York" } }),
      person("Cat", "Leeds", { businessAddress: { city: "Leeds" } }),
    ]);
    await s.practiceAs().createFilter({ name: "Ann's Leeds clients", match: "all", criteria: [{ field: "businessAddress.city", method: "equals", values: ["Leeds"] }] });
    const r = await s.sync({ filter: "Ann's Leeds clients" });
    expect(r.code).toBe(0);
    expect(r.json.filter.name).toBe("Ann's Leeds clients");
    expect(names(await s.outlookContacts())).toEqual(["Ann", "Cat"]);
  });

  test("R2 identity: every synced contact carries the stamp, and a lost cache re-links without duplicates", async () => {
    const s = await h.scenario([person("Ann", "Smith"), person("Bob", "Jones")]);
    expect((await s.sync()).code).toBe(0);
    const practice = await s.practiceContacts();
    const outlook = await s.outlookContacts();
    expect(outlook.map((c) => s.stampOf(c)).sort()).toEqual(practice.map((p) => `${s.firmId}:${p.id}`).sort());
    const again = await s.sync({ state: `${s.stateDir}-new-device` });
    expect(again.code).toBe(0);
    expect(again.json.planned["add:toOutlook"] ?? 0).toBe(0);
    expect(again.json.planned["add:toPractice"] ?? 0).toBe(0);
    expect(await s.outlookContacts()).toHaveLength(2);
    expect(await s.practiceContacts()).toHaveLength(2);
  });

  test("R3 change detection: a version bump without a synced field change is not a change", async () => {
    const s = await h.scenario([person("Ann", "Smith")]);
    await s.sync();
    await s.editPractice("Ann", { status: "inactive" });
    await s.editPractice("Ann", { surname: "Smith" });
    await s.editOutlook("Ann", { surname: "Smith" });
    const r = await s.sync();
    expect(r.json.planned).toEqual({});
  });

  test("R4 normalization: a value stored with trailing blanks is written back once; the next sync shows nothing", async () => {
    const s = await h.scenario([person("Ann", "Smith   ", { jobTitle: "Partner  " })]);
    const first = await s.sync();
    expect(first.code).toBe(0);
    expect((await s.outlookByName("Ann")).surname).toBe("Smith");
    const second = await s.sync();
    const third = await s.sync();
    expect(third.json.planned).toEqual({});
    expect(second.code).toBe(0);
  });

  test("R5 merge: one-sided fields flow both ways; a field changed on both sides goes to the most recent record", async () => {
    const s = await h.scenario([person("Ann", "Smith", { jobTitle: "Clerk", department: "Audit" })]);
    await s.sync();
    await s.editOutlook("Ann", { department: "Tax" });
    await s.editPractice("Ann", { mobilePhone: "+44 7700 900001" });
    await s.editOutlook("Ann", { jobTitle: "Manager" });
    await new Promise((r) => setTimeout(r, 20));
    await s.editPractice("Ann", { jobTitle: "Partner" });
    const r = await s.sync();
    expect(r.code).toBe(0);
    const p = await s.practiceByName("Ann");
    const o = await s.outlookByName("Ann");
    expect(p.fields.department).toBe("Tax");
    expect(o.mobilePhone).toBe("+44 7700 900001");
    expect(p.fields.jobTitle).toBe("Partner");
    expect(o.jobTitle).toBe("Partner");
  });

  test("R6 a practice contact in scope with no link is created in the folder, stamped", async () => {
    const s = await h.scenario([person("Ann", "Smith")]);
    await s.sync();
    await s.practiceAs().createContacts([{ key: "k-r6", kind: "client", fields: { givenName: "Dan", surname: "New", displayName: "Dan New" } }]);
    const r = await s.sync();
    expect(r.json.planned).toEqual({ "add:toOutlook": 1 });
    expect(r.json.changes[0].rule).toBe("R6");
    const dan = await s.outlookByName("Dan");
    expect(s.stampOf(dan)).toBe(`${s.firmId}:${(await s.practiceByName("Dan")).id}`);
  });

  test("R7 an unstamped Outlook contact becomes a practice contact of the import kind and stays in the folder", async () => {
    const s = await h.scenario([person("Ann", "Leeds", { businessAddress: { city: "Leeds" } })]);
    await s.practiceAs().createFilter({ name: "Leeds", match: "all", criteria: [{ field: "businessAddress.city", method: "equals", values: ["Leeds"] }] });
    await s.sync({ filter: "Leeds", importAs: "standalone" });
    await s.addOutlook({ givenName: "Eve", surname: "Outlook", businessAddress: { city: "Paris" } });
    const r = await s.sync({ filter: "Leeds", importAs: "standalone" });
    expect(r.json.planned).toEqual({ "add:toPractice": 1 });
    const eve = await s.practiceByName("Eve");
    expect(eve.kind).toBe("standalone");
    const again = await s.sync({ filter: "Leeds", importAs: "standalone" });
    expect(again.json.planned).toEqual({});
    expect(s.stampOf(await s.outlookByName("Eve"))).toBe(`${s.firmId}:${eve.id}`);
  });

  test("R8 a stamped contact with no link is re-linked, never copied; differing fields resolved by recency", async () => {
    const s = await h.scenario([person("Ann", "Smith", { jobTitle: "Clerk" })]);
    await s.sync();
    // Outlook's lastModifiedDateTime has whole seconds: let the edit be clearly the more recent record.
    await new Promise((r) => setTimeout(r, 1100));
    await s.editOutlook("Ann", { jobTitle: "Director" });
    const r = await s.sync({ state: `${s.stateDir}-lost` });
    expect(r.code).toBe(0);
    expect(r.json.planned["add:toOutlook"] ?? 0).toBe(0);
    expect(r.json.planned["add:toPractice"] ?? 0).toBe(0);
    expect((await s.practiceByName("Ann")).fields.jobTitle).toBe("Director");
    expect(await s.outlookContacts()).toHaveLength(1);
    expect(await s.practiceContacts()).toHaveLength(1);
  });

  test("R9 a contact that leaves scope is removed from the folder into Deleted Items", async () => {
    const s = await h.scenario([
      person("Ann", "Leeds", { businessAddress: { city: "Leeds" } }),
      person("Bob", "Leeds", { businessAddress: { city: "Leeds" } }),
    ]);
    await s.practiceAs().createFilter({ name: "Leeds", match: "all", criteria: [{ field: "businessAddress.city", method: "equals", values: ["Leeds"] }] });
    await s.sync({ filter: "Leeds" });
    await s.editPractice("Ann", { businessAddress: { city: "York" } });
    const r = await s.sync({ filter: "Leeds" });
    expect(r.json.planned).toEqual({ "remove:toOutlook": 1 });
    expect(r.json.changes[0].rule).toBe("R9");
    expect(names(await s.outlookContacts())).toEqual(["Bob"]);
    const deleted = await s.outlookContacts("deleteditems");
    expect(names(deleted)).toContain("Ann");
    expect(await s.practiceContacts()).toHaveLength(2);
  });

  test("R10 deleted in Outlook: the practice record is kept and not re-added; the option deletes standalone contacts only", async () => {
    // Val stays in both: removing every linked contact at once is R15's alarm, not this rule's case.
    const s = await h.scenario([
      person("Ann", "Client"),
      { ...person("Sam", "Standalone"), kind: "standalone" },
      { ...person("Tia", "Standalone"), kind: "standalone" },
      person("Val", "Bystander"),
    ]);
    await s.sync();
    await s.deleteOutlook("Ann");
    await s.deleteOutlook("Sam");
    const r = await s.sync();
    expect(r.code).toBe(0);
    expect(names(await s.practiceContacts())).toEqual(["Ann", "Sam", "Tia", "Val"]);
    expect(names(await s.outlookContacts())).toEqual(["Tia", "Val"]);
    const again = await s.sync();
    expect(again.json.planned).toEqual({});
    expect(names(await s.outlookContacts())).toEqual(["Tia", "Val"]);

    await s.deleteOutlook("Tia");
    const opt = await s.sync({ extra: ["--delete-standalone"] });
    expect(opt.code).toBe(0);
    expect(names(await s.practiceContacts())).toEqual(["Ann", "Sam", "Val"]);
  });

  test("R11 edited on one side and deleted on the other: nothing is deleted, a conflict is listed and skipped", async () => {
    const s = await h.scenario([{ ...person("Ann", "Smith"), kind: "standalone" }, person("Bob", "Jones")]);
    await s.sync();
    await s.editPractice("Ann", { jobTitle: "Partner" });
    await s.deleteOutlook("Ann");
    const r = await s.sync();
    expect(r.code).toBe(0);
    expect(r.json.conflicts).toHaveLength(1);
    expect(r.json.conflicts[0]).toMatchObject({ group: "conflict", rule: "R11", name: "Ann Smith" });
    expect(names(await s.practiceContacts())).toEqual(["Ann", "Bob"]);
    const again = await s.sync();
    expect(again.json.conflicts).toHaveLength(1);
  });

  test("R12 the engine's own writes are not read back as changes", async () => {
    const s = await h.scenario([person("Ann", "Smith"), person("Bob", "Jones")]);
    await s.sync();
    await s.editPractice("Ann", { jobTitle: "Partner" });
    await s.editOutlook("Bob", { jobTitle: "Director" });
    const r = await s.sync();
    expect(r.json.planned).toEqual({ "update:toOutlook": 1, "update:toPractice": 1 });
    const after = await s.sync();
    expect(after.json.outcome).toBe("no-changes");
    expect(after.json.planned).toEqual({});
  });

  test("R14 review: --dry-run and a declined run write nothing, and the changes come back", async () => {
    const s = await h.scenario([person("Ann", "Smith")]);
    const dry = await s.sync({ mode: ["--dry-run"] });
    expect(dry.json.outcome).toBe("planned");
    expect(dry.json.planned).toEqual({ "add:toOutlook": 1 });
    const noTty = await s.sync({ mode: [] });
    expect(noTty.code).toBe(2);
    expect(noTty.json.message).toMatch(/--yes/);
    expect(await s.outlookContacts()).toHaveLength(0);
    const yes = await s.sync();
    expect(yes.json.planned).toEqual({ "add:toOutlook": 1 });
    expect(await s.outlookContacts()).toHaveLength(1);
  });

  test("R15 safety valve: a practice store emptied of linked contacts stops with exit 3; --force goes ahead", async () => {
    const s = await h.scenario(Array.from({ length: 12 }, (_, i) => ({ ...person(`P${i}`, "Standalone"), kind: "standalone" as const })));
    await s.sync();
    const all = await s.practiceContacts();
    await s.practiceAs().deleteContacts(all.map((c) => ({ id: c.id, version: c.version })));
    const stopped = await s.sync();
    expect(stopped.code).toBe(3);
    expect(stopped.json.outcome).toBe("safety-stop");
    expect(await s.outlookContacts()).toHaveLength(12);
    const forced = await s.sync({ extra: ["--force"] });
    expect(forced.code).toBe(0);
    expect(await s.outlookContacts()).toHaveLength(0);
  });

  test("R16 Outlook's caps: the fourth email stays in the practice system and the row says so", async () => {
    const emails = ["a@x.test", "b@x.test", "c@x.test", "d@x.test"].map((address) => ({ address }));
    const s = await h.scenario([person("Ann", "Smith", { emailAddresses: emails })]);
    const r = await s.sync();
    expect(r.code).toBe(0);
    expect(r.json.changes[0].notes.join(" ")).toMatch(/d@x\.test|4th|fit/i);
    expect((await s.outlookByName("Ann")).emailAddresses).toHaveLength(3);
    expect((await s.practiceByName("Ann")).fields.emailAddresses).toHaveLength(4);
    const again = await s.sync();
    expect(again.json.planned).toEqual({});
    expect((await s.practiceByName("Ann")).fields.emailAddresses).toHaveLength(4);
  });

  test("R17 a change to an unsynced field starts nothing", async () => {
    const s = await h.scenario([person("Ann", "Smith")]);
    await s.sync();
    await s.editPractice("Ann", { office: "Leeds" });
    await s.editOutlook("Ann", { assistantName: "Zoe" });
    const r = await s.sync();
    expect(r.json.planned).toEqual({});
  });

  test("R18 a leased folder turns a second user away; an expired lease is taken over", async () => {
    const s = await h.scenario([person("Ann", "Smith")]);
    const first = await s.sync();
    expect(first.code).toBe(0);
    await s.editPractice("Ann", { jobTitle: "Partner" });
    const bea = s.practiceAs(s.staffBea);
    const key = `${s.mailbox}/${first.json.folder.id}`;
    await bea.acquireLease(key, 10);
    const turned = await s.sync();
    expect(turned.code).toBe(2);
    expect(turned.json.message).toMatch(/^This folder is synced by Bea Lee until \d{4}-\d\d-\d\dT/);
    expect((await s.outlookByName("Ann")).jobTitle).toBeFalsy();
    h.clockSkewMs += 11_000;
    const taken = await s.sync();
    expect(taken.code).toBe(0);
    expect((await s.outlookByName("Ann")).jobTitle).toBe("Partner");
  });

  test("R19 a contact the practice system refuses is listed with its reason (exit 4) and does not block the others", async () => {
    const s = await h.scenario([person("Ann", "Smith")]);
    await s.sync({ importAs: "standalone" });
    await s.addOutlook({ givenName: "X".repeat(300), surname: "Toolong" });
    await s.addOutlook({ givenName: "Fay", surname: "Fine" });
    const r = await s.sync({ importAs: "standalone" });
    expect(r.code).toBe(4);
    expect(r.json.outcome).toBe("partial");
    expect(r.json.errors).toHaveLength(1);
    expect(r.json.errors[0].message).toBeTruthy();
    expect(names(await s.practiceContacts())).toEqual(["Ann", "Fay"]);
  });
});
