// The engine review's four reproduced bugs (research: engine-review §2) and the cases the multi-device
// simulation found, as deterministic tests through the real engine: each device is its own
// SyncSession and cache over one practice store and one Outlook folder. Behind MULTI_DEVICE
// (sim-config.ts) while the engine's cross-device fixes land; when off, jest lists them as skipped.
import { stampKey } from "../../../src/sync/model";
import { SyncSession, type SyncSettings } from "../../../src/sync/session";
import { MemoryOutlookStore, MemoryPracticeStore, MemorySyncCache, SeededIds, TestClock } from "../../support";
import { FOLDER } from "./multi-world";
import { MULTI_DEVICE } from "./sim-config";
import { runMultiScenario } from "./run-multi";
import type { MultiScenario } from "./multi-scenario";

const MINUTE = 60_000;

/** opts.office: the user syncs with a firm filter selecting that office (R1). */
function world(opts: { office?: string; settings?: Partial<SyncSettings> } = {}) {
  const clock = new TestClock("2026-03-01T09:00:00.000Z", 7);
  const practice = new MemoryPracticeStore({ firmId: "firm-1", clock });
  const outlook = new MemoryOutlookStore({ clock });
  const filterId = opts.office
    ? practice.addFilter({ name: opts.office, match: "all", criteria: [{ field: "office", method: "equals", values: [opts.office] }] }).id
    : null;
  const all: SyncSettings = { filterId, importKind: "client", wholeRecord: false, deleteStandaloneOnOutlookDelete: false, ...opts.settings };
  let n = 0;
  /** A device of the same user: its own cache and ids; a new session per pane load or CLI run. */
  const device = () => {
    const cache = new MemorySyncCache();
    const ids = new SeededIds(++n, `dev${n}`);
    const deps = { practice, outlook, cache, clock, ids, settings: all, folder: FOLDER };
    let session = new SyncSession(deps);
    return {
      cache,
      get session() {
        return session;
      },
      reopen() {
        session = new SyncSession(deps);
      },
      plan: () => session.plan(),
      /** Plans and applies every row; conflicts (R11) resolved as given, "keep" by default. */
      async sync(resolution: "keep" | "delete" = "keep") {
        const plan = await session.plan();
        const resolutions = Object.fromEntries(plan.changes.filter((c) => c.group === "conflict").map((c) => [c.id, resolution]));
        const result = await session.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)), resolutions, force: true });
        return { plan, result };
      },
    };
  };
  /** Live Outlook contacts naming each practice record (by stampKey: origin and create token aside). */
  const holders = () => {
    const m = new Map<string, string[]>();
    for (const o of outlook.all()) {
      const k = o.stamp ? stampKey(o.stamp) : null;
      if (k) m.set(k, [...(m.get(k) ?? []), o.id]);
    }
    return m;
  };
  return { clock, practice, outlook, device, holders, filterId };
}

/**
 * Two devices on one record; B carries a practice edit to Outlook, so A's base predates it. Then the
 * user edits the record again and, later, another field in Outlook. A has not synced since.
 */
async function staleBaseOnA(w: ReturnType<typeof world>, office?: string) {
  const a = w.device();
  const b = w.device();
  const p = w.practice.add({ givenName: "Bo", mobilePhone: "0113 496 0000", nickName: "mP1" }, { kind: "client", ...(office ? { attributes: { office } } : {}) });
  await a.sync();
  await b.sync();
  const [o] = w.outlook.all();
  w.clock.advance(MINUTE);
  w.practice.edit(p.id, { mobilePhone: "020 7946 0999" });
  await b.sync(); // B carries the new number to Outlook; A's base still holds the first one
  w.clock.advance(MINUTE);
  w.practice.edit(p.id, { mobilePhone: "07700 900 123" }); // the user changes it again
  w.clock.advance(MINUTE);
  w.outlook.edit(o.id, { jobTitle: "Owner" }); // and, later, another field in Outlook
  return { a, b, p, o };
}

/** One device, one record: edited in the practice system while its contact is deleted in Outlook (R11), kept. */
async function keptAfterR11() {
  const w = world();
  const a = w.device();
  const p = w.practice.add({ givenName: "Dee", nickName: "mP1" }, { kind: "client" });
  await a.sync();
  const [o1] = w.outlook.all();
  w.clock.advance(MINUTE);
  w.practice.edit(p.id, { jobTitle: "Owner" });
  w.outlook.remove(o1.id); // edited on one side, deleted on the other: R11
  const { plan } = await a.sync("keep");
  return { w, a, p, o1, plan };
}

const suite = MULTI_DEVICE ? describe : describe.skip;

suite("engine review §2: the four reproduced bugs", () => {
  it("bug 1 (R2, R14): two devices that both plan the same create make one Outlook contact, and rounds add nothing", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const p = w.practice.add({ givenName: "Ann", nickName: "mP1" }, { kind: "client" });
    const planA = await a.plan();
    const planB = await b.plan();
    expect(planA.changes.map((c) => c.rule)).toEqual(["R6"]);
    expect(planB.changes.map((c) => c.rule)).toEqual(["R6"]);
    await b.session.apply(planB, { selected: new Set(planB.changes.map((c) => c.id)) });
    await a.session.apply(planA, { selected: new Set(planA.changes.map((c) => c.id)) });

    for (let round = 0; round < 6; round++) {
      w.clock.advance(MINUTE);
      await (round % 2 ? b : a).sync();
    }
    expect(w.practice.all().map((c) => c.id)).toEqual([p.id]);
    expect([...w.holders().values()]).toEqual([[expect.any(String)]]);
    expect((await a.plan()).changes).toEqual([]);
    expect((await b.plan()).changes).toEqual([]);
  });

  it("bug 2 (R14, R5): an Outlook edit made while the pending list is open is not overwritten, and the newer edit wins", async () => {
    const w = world();
    const a = w.device();
    const p = w.practice.add({ givenName: "Jo", jobTitle: "Clerk", nickName: "mP1" }, { kind: "client" });
    await a.sync();
    const [o] = w.outlook.all();

    w.clock.advance(MINUTE);
    w.practice.edit(p.id, { jobTitle: "Director" });
    const plan = await a.plan();
    w.clock.advance(2 * MINUTE);
    w.outlook.edit(o.id, { jobTitle: "CFO" }); // in Outlook, while the list is open
    await a.session.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)) });
    expect(w.outlook.get(o.id)?.fields.jobTitle).toBe("CFO");

    await a.sync();
    expect(w.practice.get(p.id)?.fields.jobTitle).toBe("CFO");
    expect(w.outlook.get(o.id)?.fields.jobTitle).toBe("CFO");
    expect((await a.plan()).changes).toEqual([]);
  });

  it("bug 3 (R2, R10): restoring the original from Deleted Items after include-again makes no second record", async () => {
    const w = world();
    const a = w.device();
    const p = w.practice.add({ givenName: "Cy", nickName: "mP1" }, { kind: "client" });
    await a.sync();
    const [o1] = w.outlook.all();
    w.outlook.remove(o1.id); // R10: excluded
    await a.sync();
    expect(w.outlook.size()).toBe(0);
    await a.session.includeAgain(p.id);
    await a.sync(); // R6 creates a new Outlook contact
    expect(w.outlook.size()).toBe(1);

    w.outlook.restore(o1.id);
    await a.sync();
    await a.sync();
    expect(w.practice.all().map((c) => c.id)).toEqual([p.id]);
    expect([...w.holders()]).toEqual([[`firm-1:${p.id}`, [expect.any(String)]]]);
    expect((await a.plan()).changes).toEqual([]);
  });

  it("bug 3 (R2, R11): restoring the original after an R11 keep makes no second record", async () => {
    const { w, a, p, o1, plan } = await keptAfterR11();
    expect(plan.changes.map((c) => c.group)).toEqual(["conflict"]);
    expect(w.outlook.size()).toBe(1);

    w.outlook.restore(o1.id);
    await a.sync();
    await a.sync();
    expect(w.practice.all().map((c) => c.id)).toEqual([p.id]);
    expect([...w.holders()]).toEqual([[`firm-1:${p.id}`, [expect.any(String)]]]);
    expect(w.practice.get(p.id)?.fields.jobTitle).toBe("Owner");
  });

  // Found at 41,006 multi-device runs (seed 20261207): keeping a restored contact gave it the record's
  // details, over an edit the user made to it after restoring it (its stamp's agreed hashes predate the
  // contact that replaced it, so they could not tell that edit apart).
  it("R2/R8: keeping a restored contact keeps the edit made to it after the restore", async () => {
    const w = world();
    const a = w.device();
    const p = w.practice.add({ givenName: "Cy", jobTitle: "Partner", nickName: "mP1" }, { kind: "client" });
    await a.sync();
    const [o1] = w.outlook.all();
    w.outlook.remove(o1.id); // R10: excluded
    await a.sync();
    await a.session.includeAgain(p.id);
    await a.sync(); // R6 creates a new Outlook contact
    w.clock.advance(MINUTE);
    w.outlook.restore(o1.id);
    w.clock.advance(MINUTE);
    w.outlook.edit(o1.id, { jobTitle: null }); // the user clears a field of the restored contact

    const { plan } = await a.sync("keep");
    const row = plan.changes.find((c) => c.outlookId === o1.id);
    expect(row?.rule).toBe("R2");
    expect(row?.fields.map((f) => [f.field, f.target])).toEqual([["jobTitle", "practice"]]); // the row says what keep writes
    expect(w.outlook.all().map((o) => o.id)).toEqual([o1.id]);
    expect(w.outlook.get(o1.id)?.fields.jobTitle).toBeUndefined();
    expect(w.practice.get(p.id)?.fields.jobTitle).toBeUndefined();
    expect((await a.plan()).changes).toEqual([]);
  });

  // Found at 19,462 and 45,787 multi-device runs (seeds 8675309, 31337): two devices made one record's
  // contact twice, then the record was deleted with both still in the folder. Each was its own conflict
  // (R11, R2), and keeping both made two records of one person.
  it("R2/R11: a deleted record whose contact two devices made twice is one conflict, the copy's edit kept", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const o1 = w.outlook.add({ personalNotes: "Prefers email.", nickName: "mO1" });
    await a.sync(); // R7: imported as a client
    w.outlook.remove(o1.id); // the user deletes it; A has not synced since
    await b.sync(); // B never synced: the record has no contact, so R6 makes it again
    const o2 = w.outlook.all()[0];
    w.clock.advance(MINUTE);
    w.outlook.edit(o2.id, { givenName: "Ann" });
    w.practice.remove(w.practice.all()[0].id);
    w.outlook.restore(o1.id); // both are in the folder now, naming a deleted record

    const first = await a.sync("keep");
    expect(first.plan.changes.map((c) => `${c.group} ${c.rule}`)).toEqual(["remove R2"]); // the copy folds in; no conflict yet
    expect(w.outlook.all().map((o) => o.id)).toEqual([o1.id]);
    expect(w.outlook.get(o1.id)?.fields.givenName).toBe("Ann");
    const second = await a.sync("keep");
    expect(second.plan.changes.map((c) => `${c.group} ${c.rule}`)).toEqual(["conflict R11"]);
    await a.sync();
    await b.sync();
    expect(w.practice.all()).toHaveLength(1);
    expect(w.practice.all()[0].fields.givenName).toBe("Ann");
    expect(w.outlook.all().map((o) => o.id)).toEqual([o1.id]);
  });

  // Found at 45,787 multi-device runs (seed 31337): as above, but this device had already read the
  // record's deletion (its cursor was past it) when the two copies came back from Deleted Items; a stamp
  // naming a record that no longer exists was not known as deleted, and keeping both made two records.
  it("R2/R11: two copies of a contact restored after their record's deletion was read are one conflict", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    w.practice.add({ personalNotes: "Prefers email.", nickName: "mP1" }, { kind: "client" });
    await a.sync(); // R6: A makes the record's contact
    const [o1] = w.outlook.all();
    w.outlook.remove(o1.id); // the user deletes it; A has not synced since
    await b.sync(); // B never synced: R6 makes it again
    const o2 = w.outlook.all()[0];
    w.clock.advance(MINUTE);
    w.outlook.edit(o2.id, { givenName: "Ann" });
    w.outlook.remove(o2.id);
    w.practice.remove(w.practice.all()[0].id);
    await a.sync(); // A reads the deletion; nothing of the record is left in the folder
    w.outlook.restore(o1.id);
    w.outlook.restore(o2.id);

    await a.sync("keep");
    await a.sync("keep");
    await a.sync("keep");
    expect(w.practice.all()).toHaveLength(1);
    expect(w.practice.all()[0].fields.givenName).toBe("Ann");
    expect(w.outlook.all()).toHaveLength(1);
  });

  it("bug 4a (R10, R2): an exclusion survives a cleared cache and is seen by a new device", async () => {
    const w = world();
    const a = w.device();
    const p = w.practice.add({ givenName: "Eve", nickName: "mP1" }, { kind: "client" });
    await a.sync();
    w.outlook.remove(w.outlook.all()[0].id);
    await a.sync();
    expect(w.outlook.size()).toBe(0);

    await a.cache.clear();
    a.reopen();
    await a.sync();
    const b = w.device(); // a device that never saw the deletion
    await b.sync();
    expect(w.outlook.size()).toBe(0);
    expect(w.practice.get(p.id)).toBeDefined();
  });

  it("bug 4b (R7): an Outlook-born contact re-linked after a lost cache stays when its record leaves the filter", async () => {
    const w = world({ office: "Leeds" });
    const a = w.device();
    const o = w.outlook.add({ givenName: "Fay", nickName: "mO1" });
    await a.sync(); // R7 import: the new record has no office, so it is outside the filter and stays
    const [p] = w.practice.all();
    w.practice.edit(p.id, {}, { office: "Leeds" });
    await a.cache.clear(); // lost while the record is in scope
    a.reopen();
    await a.sync();
    w.practice.edit(p.id, {}, { office: "York" });
    await a.sync();
    expect(w.outlook.get(o.id)).toBeDefined();
  });
});

// Found by the multi-device simulation (npm run fuzz -- --sim multi), shrunk by hand to the steps
// that matter. The replay command of each is in its comment.
suite("multi-device simulation findings", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 1 --sim multi --path 18 (and --seed 7 --path 3).
  it("R2/R9: a device whose link predates another device's R11 keep does not remove the kept contact", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const o = w.outlook.add({ personalNotes: "Prefers email.", nickName: "mO1" });
    await b.sync(); // R7 import on B
    const [p1] = w.practice.all();
    w.practice.remove(p1.id); // an administrator deletes the new record
    const kept = await a.sync("keep"); // A: stamped, record gone: R11, the user keeps it
    expect(kept.plan.changes.map((c) => c.group)).toEqual(["conflict"]);
    await b.sync();
    await a.sync();
    expect(w.outlook.get(o.id)).toBeDefined(); // the user's contact is still in the folder
    expect(w.practice.all()).toHaveLength(1);
    expect([...w.holders().values()]).toEqual([[o.id]]);
  });

  // Replay: npm run fuzz -- --runs 1 --seed 7 --sim multi --path 300
  it("R9/R2: a practice-born contact that left the filter is removed even when no device holds its link", async () => {
    const w = world({ office: "Leeds" });
    const b = w.device();
    const p = w.practice.add({ givenName: "Ann", nickName: "mP1" }, { kind: "client", attributes: { office: "Leeds" } });
    await b.sync();
    expect(w.holders().get(`firm-1:${p.id}`)).toHaveLength(1);
    w.practice.edit(p.id, {}, { office: "Hull" }); // leaves the filter
    await b.cache.clear();
    b.reopen();
    const a = w.device();
    await a.sync();
    await b.sync();
    expect(w.holders().get(`firm-1:${p.id}`)).toBeUndefined(); // its stamp says it was born in the practice system
  });

  // Replay: npm run fuzz -- --runs 1 --seed 7 --sim multi --path 402 (the message says "stale base").
  it("R5/R3: an edit is not lost to a device whose base predates another device's sync", async () => {
    const w = world();
    const { a, b, p, o } = await staleBaseOnA(w);
    await a.sync();
    await b.sync();
    expect(w.practice.get(p.id)?.fields.mobilePhone).toBe("07700 900 123");
    expect(w.outlook.get(o.id)?.fields.mobilePhone).toBe("07700 900 123");
    expect(w.practice.get(p.id)?.fields.jobTitle).toBe("Owner");
  });

  // Found at 24,614 multi-device runs (seed 31337): as above, but the record then leaves the filter, so A
  // removes its contact (R9) and saves the contact's Outlook edits in the record first. That merge used
  // A's own base, not the agreement B's sync had written in the stamp: the user's newer practice edit lost.
  it("R9/R5: saving a leaving contact's Outlook edits uses the agreement another device made", async () => {
    const w = world({ office: "Leeds" });
    const { a, p } = await staleBaseOnA(w, "Leeds");
    // then the filter leaves the record out
    w.practice.updateFilter(w.filterId!, { name: "Hull", match: "all", criteria: [{ field: "office", method: "equals", values: ["Hull"] }] });
    const { plan } = await a.sync();
    expect(plan.changes.map((c) => `${c.rule} ${c.direction}`)).toEqual(["R9 both"]);
    expect(w.outlook.all()).toEqual([]);
    expect(w.practice.get(p.id)?.fields.mobilePhone).toBe("07700 900 123");
    expect(w.practice.get(p.id)?.fields.jobTitle).toBe("Owner");
  });

  // Replay: npm run fuzz -- --runs 1 --seed 7 --sim multi --path 29
  it("R10/R14: an exclusion another device recorded after this device planned stops this device's create", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const p = w.practice.add({ givenName: "Cy", nickName: "mP1" }, { kind: "client" });
    await b.sync();
    w.outlook.remove(w.outlook.all()[0].id); // the user deletes it in Outlook
    const planA = await a.plan(); // A never synced: it sees a record with no contact (R6)
    await b.sync(); // B sees the deletion: R10, excluded for every device of the user
    await a.session.apply(planA, { selected: new Set(planA.changes.map((c) => c.id)) });
    await a.sync();
    expect(w.holders().get(`firm-1:${p.id}`)).toBeUndefined();
    expect((await a.plan()).changes).toEqual([]); // and the create does not come back as a row forever
  });

  // Replay: npm run fuzz -- --runs 1 --seed 7 --sim multi --path 204
  it("R12/R2: two devices do not rewrite one contact on every sync after a create the other did not see", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    w.outlook.add({ personalNotes: "Prefers email.", nickName: "mO1" });
    await b.sync(); // R7 import on B
    w.outlook.remove(w.outlook.all()[0].id);
    await a.sync(); // A never saw the contact: it creates the record's contact again (R6)
    await b.sync();
    for (let round = 0; round < 2; round++) {
      await a.sync();
      await b.sync();
    }
    const quiet = [await a.plan(), await b.plan()];
    expect(quiet.map((plan) => plan.changes.map((c) => `${c.group}/${c.rule}`))).toEqual([[], []]);
  });
});

suite("multi-device simulation findings (2)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 3 --sim multi --path 869 (and --seed 1 --path 571).
  it.each(["original", "copy"])("R2/R8: another device's re-link does not make the first device take the user's contact for a second create (%s approved first)", async (first) => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const o = w.outlook.add({ personalNotes: "Prefers email.", nickName: "mO1" });
    const copy = w.outlook.copy(o.id); // the user copies it before any sync: two contacts of their own
    const planA = await a.plan();
    // A imports only one of the two (the other row deselected, R14); B then syncs everything.
    const firstId = first === "original" ? o.id : copy.id;
    await a.session.apply(planA, { selected: new Set(planA.changes.filter((c) => c.outlookId === firstId).map((c) => c.id)) });
    await b.sync();
    await a.sync();
    await b.sync();
    expect(w.outlook.get(o.id)).toBeDefined();
    expect(w.outlook.get(copy.id)).toBeDefined();
    expect(w.practice.all()).toHaveLength(2);
    expect((await a.plan()).changes).toEqual([]);
  });
});

suite("multi-device simulation findings (3)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 20261203 --sim multi --path 777
  it("R2: a copy, then the original deleted and restored, ends as two records, not three", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    w.practice.add({ birthday: "1970-01-31", nickName: "mP1" }, { kind: "client" });
    const first = await a.plan();
    await b.sync();
    await a.session.apply(first, { selected: new Set(first.changes.map((c) => c.id)) });
    const [o] = w.outlook.all();
    w.outlook.copy(o.id);
    w.outlook.remove(o.id);
    w.outlook.restore(o.id);
    await a.sync();
    await b.sync();
    await a.sync();
    expect(w.outlook.all()).toHaveLength(2);
    expect(w.practice.all()).toHaveLength(2);
    expect([...w.holders().values()].map((ids) => ids.length)).toEqual([1, 1]);
    expect((await a.plan()).changes).toEqual([]);
    expect((await b.plan()).changes).toEqual([]);
  });
});

suite("multi-device simulation findings (4)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 424242 --sim multi --path 3400
  it("R9/R14: a removal planned because the filter changed is not applied once the filter takes the contact back", async () => {
    const w = world({ office: "York" });
    const a = w.device();
    const byOffices = (offices: string[]) => ({ name: "Offices", match: "any" as const, criteria: [{ field: "office", method: "list" as const, values: offices }] });
    w.practice.add({ givenName: "Ann", nickName: "mP1" }, { kind: "client", attributes: { office: "York" } });
    await a.sync();
    const [o] = w.outlook.all();
    w.practice.updateFilter(w.filterId!, byOffices(["Leeds"]));
    const plan = await a.plan();
    expect(plan.changes.map((c) => c.rule)).toEqual(["R9"]);
    w.practice.updateFilter(w.filterId!, byOffices(["York", "Leeds"])); // while the list is open
    await a.session.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)), force: true });
    expect(w.outlook.get(o.id)).toBeDefined();
  });
});

suite("multi-device simulation findings (5)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 424242 --sim multi --path 210
  it("R2: a copy that took its deleted original's place, then the original restored, ends as two records", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const o = w.outlook.add({ personalNotes: "Prefers email.", nickName: "mO1" });
    await a.sync(); // R7 import
    const [p1] = w.practice.all();
    const open = await a.plan(); // nothing to do; the list stays open while the user works in Outlook
    const copy = w.outlook.copy(o.id);
    w.outlook.remove(o.id);
    await a.session.apply(open, { selected: new Set() });
    await a.sync(); // the copy now stands for the contact
    w.outlook.restore(o.id);
    await a.sync();
    await b.sync();
    await a.sync();
    expect(w.outlook.all().map((c) => c.id).sort()).toEqual([o.id, copy.id].sort());
    expect(w.practice.all()).toHaveLength(2);
    expect([...w.holders().values()].map((ids) => ids.length)).toEqual([1, 1]);
    // The original came back: it is re-linked to its record; the copy is the new one (R2).
    expect(w.holders().get(`firm-1:${p1.id}`)).toEqual([o.id]);
    expect((await a.plan()).changes).toEqual([]);
    expect((await b.plan()).changes).toEqual([]);
  });
});

suite("multi-device simulation findings (6)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 20261203 --sim multi --path 7071:0:0:1:2:2:2:2:3:2:2:2:2:4:2:4:5:5:5:4:4:8:12:0:11:14:14:14:14:14:17:18:18:18:18:18:18:18:15:15
  it("an edit on the copy a second device made of a deleted contact survives the original's restore", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const o = w.outlook.add({ emailAddresses: [{ name: "Work", address: "ann@acme.test" }] });
    await b.sync(); // R7 import
    const [p] = w.practice.all();
    w.outlook.remove(o.id); // B never sees the delete
    await a.sync(); // A has no cache: the record is put back as a new contact
    const [copy] = w.outlook.all();
    expect(copy.id).not.toBe(o.id);
    w.clock.advance(MINUTE);
    w.outlook.edit(copy.id, { givenName: "Ann" });
    w.outlook.restore(o.id);
    await a.sync();
    await a.sync();
    await b.sync();
    // One contact, the original, holding the edit made on the copy (no duplicate, no lost edit).
    expect(w.outlook.all().map((c) => c.id)).toEqual([o.id]);
    expect(w.practice.all().map((c) => c.id)).toEqual([p.id]);
    expect(w.practice.get(p.id)?.fields.givenName).toBe("Ann");
    expect(w.outlook.get(o.id)?.fields.givenName).toBe("Ann");
    expect((await a.plan()).changes).toEqual([]);
    expect((await b.plan()).changes).toEqual([]);
  });
});

suite("multi-device simulation findings (7)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 20261204 --sim multi --path 528:0:0:2:2:2:3:2:2:2:2:2:2:2:5:4:8:0:8:8:8:8:9:8:8:8:8:10:11:13:13:13:14:15:16:16:16:14:14:14:14
  it("a sync-made duplicate with edits waits while the kept contact's own changes write the record (no self-made version conflict)", async () => {
    const w = world();
    const a = w.device();
    const b = w.device();
    const p = w.practice.add({ companyName: "Acme Ltd" }, { kind: "client" });
    const planA = await a.plan();
    await b.sync(); // B creates the contact first
    await a.session.apply(planA, { selected: new Set(planA.changes.map((c) => c.id)), force: true }); // A's create waits: B's is there
    const [first] = w.outlook.all();
    w.clock.advance(MINUTE);
    w.outlook.edit(first.id, { givenName: "Ann" });
    w.outlook.remove(first.id); // A never linked it: A creates the contact again
    await a.sync();
    const second = w.outlook.all().find((c) => c.id !== first.id)!;
    w.clock.advance(MINUTE);
    w.practice.edit(p.id, { givenName: "Cy" });
    w.outlook.edit(second.id, { personalNotes: "Prefers email." });
    w.clock.advance(MINUTE);
    w.outlook.restore(first.id); // two contacts made by two creates now name the record; the restore is the newest change
    const { result } = await a.sync();
    expect(result.run.counts.failed ?? 0).toBe(0);
    await a.sync();
    await b.sync();
    expect(w.outlook.all()).toHaveLength(1);
    expect(w.practice.all()).toHaveLength(1);
    const kept = w.outlook.all()[0];
    expect(w.practice.get(p.id)?.fields.personalNotes).toBe("Prefers email.");
    expect(kept.fields.personalNotes).toBe("Prefers email.");
    expect(kept.fields.givenName).toBe(w.practice.get(p.id)?.fields.givenName);
    expect((await a.plan()).changes).toEqual([]);
    expect((await b.plan()).changes).toEqual([]);
  });
});

suite("multi-device simulation findings (8)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 31337 --sim multi --path 3258:2:2:3:7:6:6:6:6:6:6:6:6:6:6:8:8:8:8:8:8:8:8:8:8:8:8:10:10:10:10:10:10:10:10:10:10:10:14:14:14:14:14:14:14:14:14:4:4:16:16:16:3:13:12:12:12:12
  it("a contact another device's sync removed (R9) is not taken for the user's deletion (R10) by a device still linking it", async () => {
    const w = world({ office: "York", settings: { deleteStandaloneOnOutlookDelete: true } });
    const a = w.device();
    const b = w.device();
    const p = w.practice.add({ personalNotes: "Prefers email." }, { kind: "standalone", attributes: { office: "York" } });
    await a.sync();
    const [o] = w.outlook.all();
    w.practice.edit(p.id, {}, { office: "Leeds" });
    const { plan } = await b.sync(); // B has no link: the stamp says practice-born, out of scope (R9)
    expect(plan.changes.map((c) => c.rule)).toEqual(["R9"]);
    expect(w.outlook.get(o.id)).toBeUndefined();
    w.practice.updateFilter(w.filterId!, { name: "Leeds", match: "all", criteria: [{ field: "office", method: "equals", values: ["Leeds"] }] });
    const next = await a.sync(); // A still links the removed contact
    expect(next.plan.changes.filter((c) => c.rule === "R10" || c.rule === "R11")).toEqual([]);
    expect(w.practice.get(p.id)).toBeDefined();
    await a.sync();
    await b.sync();
    expect(w.practice.get(p.id)).toBeDefined();
    expect(w.outlook.all()).toHaveLength(1);
    expect([...w.holders().keys()]).toEqual([`firm-1:${p.id}`]);
  });
});

suite("a deleted record kept as a new one (R11), then its older contact restored", () => {
  // Found at 45,787 multi-device runs (seed 31337): R11 "keep" replaced a contact; the record was later
  // deleted and the replacement kept as a record of its own. Restoring the original from Deleted Items
  // was then an R11 conflict of its own, and keeping it made a second record of that person.
  /** crashKeep: the keep's practice create lands, its Outlook write crashes, and the cache is lost. */
  async function keptAsNewRecord(opts: { crashKeep?: boolean } = {}) {
    const { w, a, p, o1 } = await keptAfterR11(); // keep created a new Outlook contact; o1 is let go
    const [o2] = w.outlook.all();
    w.clock.advance(MINUTE);
    w.outlook.edit(o2.id, { mobilePhone: "07700 900 123" });
    w.practice.remove(p.id); // R11 again: keep makes o2 a record of its own
    if (opts.crashKeep) {
      w.outlook.faults.inject("updateContacts", "crash");
      await expect(a.sync("keep")).rejects.toThrow(/crash/i);
      w.outlook.lifeline.revive();
      a.reopen();
      a.cache.lose();
      const { plan } = await a.sync(); // the record made from o2 is found by its outlookRef and linked
      expect(plan.changes.map((c) => c.rule)).toEqual(["R8"]);
    } else {
      const { plan } = await a.sync("keep");
      expect(plan.changes.map((c) => c.rule)).toEqual(["R11"]);
    }
    const [p2] = w.practice.all();
    expect(p2.id).not.toBe(p.id);
    expect(w.holders().get(`firm-1:${p2.id}`)).toEqual([o2.id]);
    w.clock.advance(MINUTE);
    w.outlook.restore(o1.id);
    return { w, a, o1, o2, p2 };
  }

  it("the restored contact is the new record's: keep merges it into that record, and no record is made", async () => {
    const { w, a, o1, o2, p2 } = await keptAsNewRecord();
    const { plan } = await a.sync("keep");
    expect(plan.changes.map((c) => [c.rule, c.practiceId, c.outlookId])).toEqual([["R2", p2.id, o1.id]]);
    // R8 with no base: the restored contact, changed last, wins where the two differ; the row says so.
    expect(plan.changes[0].fields.map((f) => [f.field, f.target, f.new])).toContainEqual(["mobilePhone", "practice", undefined]);
    expect(w.practice.all().map((c) => c.id)).toEqual([p2.id]);
    expect(w.outlook.all().map((o) => o.id)).toEqual([o1.id]);
    expect(w.holders().get(`firm-1:${p2.id}`)).toEqual([o1.id]);
    expect(w.outlook.deletedItems().map((o) => o.id)).toContain(o2.id);
    expect(w.practice.get(p2.id)?.fields.mobilePhone).toBeUndefined();
    expect(w.practice.get(p2.id)?.fields.givenName).toBe("Dee");
    expect((await a.plan()).changes).toEqual([]);
    // A new device (a lost cache) agrees, from the two stores and the shared decisions alone.
    expect((await w.device().plan()).changes).toEqual([]);
  });

  it("a keep cut short after its create (and a lost cache) still records the replacement when it is paired", async () => {
    const { w, a, o1, p2 } = await keptAsNewRecord({ crashKeep: true });
    const { plan } = await a.sync("keep");
    expect(plan.changes.map((c) => [c.rule, c.practiceId, c.outlookId])).toEqual([["R2", p2.id, o1.id]]);
    expect(w.practice.all().map((c) => c.id)).toEqual([p2.id]);
    expect(w.holders().get(`firm-1:${p2.id}`)).toEqual([o1.id]);
  });

  it("delete sends the restored contact back, leaving the new record and its contact alone", async () => {
    const { w, a, o1, o2, p2 } = await keptAsNewRecord();
    await a.sync("delete");
    expect(w.practice.all().map((c) => c.id)).toEqual([p2.id]);
    expect(w.outlook.all().map((o) => o.id)).toEqual([o2.id]);
    expect(w.outlook.deletedItems().map((o) => o.id)).toContain(o1.id);
    expect((await a.plan()).changes).toEqual([]);
  });
});

suite("multi-device simulation findings (9)", () => {
  // Replay: npm run fuzz -- --runs 1 --seed 31337 --sim multi --path 49213:1:1:1:1:1:2:5:3:3:3:3:3:3:3:3:3:4:6:6:6:6:6:16:15:15:15:15:15:15:15:15:15:15:18:19:21:26:29:27:27:28:32:32:34:11:1:26:26:23:19:16:16:16:16
  // Found at 49,214 multi-device runs (seed 31337): an import whose stamp write failed, its follow-up row
  // under review while both sides were edited, then a device that had never synced replayed the import.
  // The replay linked what Outlook held as the agreement (and wrote it into the stamp's agreed hashes), so
  // the newer Outlook edit read as no edit on the first device, and the older practice edit overwrote it.
  it("R5/R7: a device replaying an import whose stamp never landed leaves both sides' edits to R5", async () => {
    const scenario: MultiScenario = {"settings":{"filterOffices":["Leeds"],"importKind":"client","wholeRecord":false,"deleteStandaloneOnOutlookDelete":false,"outlookIfMatch":false},"headless":false,"practice":[],"outlook":[{"givenName":"Ann"},{"companyName":"Birch & Co"}],"steps":[{"kind":"plan","device":1},{"kind":"apply","device":1,"approveMask":null,"deleteMask":0,"faults":[{"target":"outlook","op":"updateContacts","fault":"throttled","count":1,"after":1}]},{"kind":"review","device":1,"edits":[{"side":"both","kind":"edit","target":21,"outlookFirst":false,"practice":{"givenName":"Ann"},"outlook":{"givenName":"Eve "}}],"approveMask":null},{"kind":"user","action":{"side":"practice","kind":"edit","target":0,"patch":{"givenName":"Ann"}}}]};
    const outcome = await runMultiScenario(scenario, 1);
    expect(outcome.violations).toEqual([]);
  });

  // Replay: npm run fuzz -- --runs 1 --seed 8675309 --sim multi --path 61995
  // Found at 61,996 multi-device runs (seed 8675309): a contact deleted while its Outlook edit was under
  // review, made again by another device, then restored; the new copy was edited after the restore. The
  // restored contact (the primary) was merged first and wrote the record; the copy's newer edit, merged a
  // run later, lost to that write's time. The more recently changed of the two now goes first.
  it("R2/R5: of two contacts made for one record, the more recently edited one's edits win", async () => {
    const scenario: MultiScenario = {"settings":{"filterOffices":["Leeds"],"importKind":"client","wholeRecord":false,"deleteStandaloneOnOutlookDelete":false,"outlookIfMatch":false},"headless":false,"practice":[{"kind":"client","office":"Leeds","fields":{"birthday":"1970-01-31"}}],"outlook":[],"steps":[{"kind":"race","first":1,"second":0},{"kind":"user","action":{"side":"outlook","kind":"edit","target":0,"patch":{"businessAddress":{"street":"1 High St","city":"Leeds"},"givenName":"Ann"}}},{"kind":"review","device":0,"edits":[{"side":"outlook","kind":"remove","target":0}],"approveMask":0},{"kind":"review","device":1,"edits":[{"side":"both","kind":"edit","target":0,"outlookFirst":false,"practice":{"givenName":"Ann"},"outlook":{"givenName":"Ann"}}],"approveMask":null},{"kind":"review","device":0,"edits":[{"side":"outlook","kind":"restore","target":0},{"side":"outlook","kind":"edit","target":7,"patch":{"businessAddress":null,"givenName":"Cy","businessPhones":["0113 496 0000"]}}],"approveMask":null}]};
    const outcome = await runMultiScenario(scenario, 1);
    expect(outcome.violations).toEqual([]);
  });

  // Replay: npm run fuzz -- --runs 1 --seed 8675309 --sim multi --path 61097:1:0:0:0:2:1:1:1:1:1:1:1:1:1:4:6:10:13:13:13:15:18:20:20:20:15:15:15:15:15:15:15
  // Found at 61,098 multi-device runs (seed 8675309): an import whose stamp write was throttled, then an
  // Outlook edit and a newer practice edit; another device replayed the import and, with the practice edit
  // left for review, wrote the stamp anyway. That write gave the contact a new time, so the next run's R5
  // took the older Outlook edit for the newer one. The replay now leaves the contact alone (unstamped,
  // its real time kept) until the row the user reviews.
  it("R7/R5: a replayed import whose record changed since leaves the contact's time alone for R5", async () => {
    const scenario: MultiScenario = {"settings":{"filterOffices":["Leeds"],"importKind":"client","wholeRecord":false,"deleteStandaloneOnOutlookDelete":false,"outlookIfMatch":false},"headless":false,"practice":[],"outlook":[{"personalNotes":"Prefers email."}],"steps":[{"kind":"plan","device":0},{"kind":"apply","device":0,"approveMask":null,"deleteMask":0,"faults":[{"target":"outlook","op":"updateContacts","fault":"throttled","count":1,"after":0}]},{"kind":"user","action":{"side":"both","kind":"edit","target":0,"outlookFirst":true,"practice":{"givenName":"Ann"},"outlook":{"givenName":"Fay"}}},{"kind":"race","first":0,"second":0},{"kind":"race","first":0,"second":0},{"kind":"user","action":{"side":"both","kind":"edit","target":0,"outlookFirst":false,"practice":{"givenName":"Ann"},"outlook":{"givenName":"Ann"}}}]};
    const outcome = await runMultiScenario(scenario, 1);
    expect(outcome.violations).toEqual([]);
  });

  // Replay: npm run fuzz -- --runs 1 --seed 20261207 --sim multi --path 41519:1:0:0:0:0:0:3:1:1:1:1:1:1:1:3:4:3:3:3:3:3:3:3:5:4:4:4:4:4:4:4:4:4:4:7:5:9:9:0:0:8:8:9:10:10:10:10:10:10:13:14:14:14:14:14
  // Found at 41,520 multi-device runs (seed 20261207): the same, with the importing device's cache lost and
  // the replay made by that device; the other device, with no base, ordered the two by time (R8).
  it("R7/R8: after a lost cache, a replayed import's stamp does not make the older Outlook edit the newer", async () => {
    const scenario: MultiScenario = {"settings":{"filterOffices":["Leeds"],"importKind":"client","wholeRecord":false,"deleteStandaloneOnOutlookDelete":false,"outlookIfMatch":false},"headless":false,"practice":[],"outlook":[{"givenName":"Ann"}],"steps":[{"kind":"plan","device":0},{"kind":"apply","device":0,"approveMask":null,"deleteMask":0,"faults":[{"target":"outlook","op":"*","fault":"throttled","count":1,"after":1}]},{"kind":"review","device":0,"edits":[{"side":"both","kind":"edit","target":0,"outlookFirst":true,"practice":{"givenName":"Bob"},"outlook":{"givenName":"Eve "}}],"approveMask":null},{"kind":"loseCache","device":0},{"kind":"includeAgain","device":0,"target":0}]};
    const outcome = await runMultiScenario(scenario, 1);
    expect(outcome.violations).toEqual([]);
  });

  // Replay: npm run fuzz -- --runs 1 --seed 31337 --sim multi --path 2136:1:3:2:2:2:2:2:2:2:2:2:2:3:3:3:3:3:3:3:3:3:5:4:4:4:4:5:4:4:4:7:8:7:7:7:6:6:6:7:7:7:7:7:7:7:7:7:12:18:19:20:18:19:23:6:3:17:17:17:17:17:18:18:18:18:20:20:1:1:15:15:15:15
  // Found at 2,137 multi-device runs (seed 31337) once a replayed import left for review no longer wrote the
  // stamp: it still wrote the imported values the practice record lacked, which gave the record this run's
  // time, and the next run's R5 took that for the time of an older practice edit it contested. Nothing is
  // written now when the pair waits for its row.
  it("R7/R5: a replayed import left for review writes neither side, so R5 next run sees the users' own times", async () => {
    const scenario: MultiScenario = {"settings":{"filterOffices":["Leeds"],"importKind":"client","wholeRecord":false,"deleteStandaloneOnOutlookDelete":false,"outlookIfMatch":false},"headless":false,"practice":[],"outlook":[{"jobTitle":"Director"}],"steps":[{"kind":"plan","device":1},{"kind":"apply","device":1,"approveMask":null,"deleteMask":0,"faults":[{"target":"outlook","op":"*","fault":"throttled","count":1,"after":1}]},{"kind":"review","device":0,"edits":[{"side":"both","kind":"edit","target":0,"outlookFirst":false,"practice":{"givenName":"Bob"},"outlook":{"givenName":"Ann"}},{"side":"outlook","kind":"edit","target":0,"patch":{"jobTitle":"Owner"}}],"approveMask":null},{"kind":"loseCache","device":0}]};
    const outcome = await runMultiScenario(scenario, 1);
    expect(outcome.violations).toEqual([]);
  });

  // Replay: npm run fuzz -- --runs 1 --seed 20261207 --sim multi --path 49444:0:0:0:3:2:2:2:2:2:2:2:2:2:2:2:2:2:3:1:6:10:13:13:13:13:13:13:13:13:14:14:14:15:15:15:15:15:16:16:16:16:14:13:14:14:10:12:12:13:11:11:11
  // Found at 49,445 multi-device runs (seed 20261207) with the duplicate merged first whenever it was the
  // more recently changed: its edit touched no field the primary's contested, while the primary's newer
  // edit then lost to the record's new time. The order is now chosen by what each would lose.
  it("R2/R5: a primary and a duplicate are merged in the order that loses no newer edit", async () => {
    const scenario: MultiScenario = {"settings":{"filterOffices":null,"importKind":"client","wholeRecord":false,"deleteStandaloneOnOutlookDelete":false,"outlookIfMatch":false},"headless":false,"practice":[{"kind":"client","fields":{"personalNotes":"Prefers email."}}],"outlook":[],"steps":[{"kind":"sync","device":1},{"kind":"user","action":{"side":"outlook","kind":"remove","target":0}},{"kind":"sync","device":0},{"kind":"user","action":{"side":"outlook","kind":"restore","target":0}},{"kind":"review","device":0,"edits":[{"side":"both","kind":"edit","target":0,"outlookFirst":false,"practice":{"givenName":"Ann"},"outlook":{"givenName":"Dee"}},{"side":"outlook","kind":"edit","target":0,"patch":{"givenName":null,"companyName":"Acme Ltd"}}],"approveMask":0}]};
    const outcome = await runMultiScenario(scenario, 1);
    expect(outcome.violations).toEqual([]);
  });

  // Replay: npm run fuzz -- --runs 1 --seed 8675309 --sim multi --path 13655:3:3:3:4:6:5:5:5:5:5:5:5:5:6:0:1:2:2:3:3:3:2:2:2:2:2:2:5:3:3:3:3:3:3:3:6:5:5:5:5:5:5:5:6:6:6:6:6:6:8:8:8:8:18:6:14:14:14:14:14:14:14:14:14:24:0:35:18:18:22:31:31:31:36:36:36:38:37:37:37:37:32:32:32
  // Found at 13,656 multi-device runs (seed 8675309) when recovery stopped writing the stamp at all: a
  // create whose answer was lost was replayed by recovery after an Outlook edit, so the record was newer
  // than the edit, and another device, with no stamp to tell the import's values, took the record's. A
  // record unchanged since its create is stamped again (its agreed hashes say what the import made).
  it("R13/R8: recovery stamps an import whose record is unchanged, so other devices know what it made", async () => {
    const scenario: MultiScenario = {"settings":{"filterOffices":null,"importKind":"client","wholeRecord":false,"deleteStandaloneOnOutlookDelete":false,"outlookIfMatch":false},"headless":false,"practice":[{"kind":"client","fields":{"personalNotes":"Prefers email."}}],"outlook":[{"givenName":"Ann"},{"givenName":"Ann"},{"emailAddresses":[{"name":"Work","address":"ann@acme.test"}]}],"steps":[{"kind":"plan","device":1},{"kind":"user","action":{"side":"outlook","kind":"add","fields":{"givenName":"Ann"}}},{"kind":"apply","device":1,"approveMask":524529110,"deleteMask":0,"faults":[]},{"kind":"plan","device":0},{"kind":"apply","device":0,"approveMask":null,"deleteMask":0,"faults":[{"target":"practice","op":"createContacts","fault":"unavailable","count":1,"after":1},{"target":"practice","op":"createContacts","fault":"throttled","count":1,"after":0}]},{"kind":"user","action":{"side":"outlook","kind":"edit","target":2,"patch":{"givenName":"Ann"}}},{"kind":"race","first":0,"second":0},{"kind":"plan","device":0}]};
    const outcome = await runMultiScenario(scenario, 1);
    expect(outcome.violations).toEqual([]);
  });
});
