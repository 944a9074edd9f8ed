// SyncSession behaviour beyond single rules: progress, stale plans, re-links after moves and restores,
// journal recovery of our own duplicates, history.
import { StalePlanError, FilterMissingError } from "../../src/sync/session";
import type { SyncProgress } from "../../src/sync/plan-types";
import { setup, person, outlookFor, keyOf, FIRM } from "./harness";

describe("session", () => {
  test("progress goes through reading, planning, applying and done", async () => {
    const env = setup();
    env.practice.add(person("Pro", "Gress"));
    const s = env.session();
    const phases: SyncProgress["phase"][] = [];
    const off = s.onProgress((p) => {
      if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
    });
    const plan = await s.plan();
    await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)) });
    off();
    expect(phases).toEqual(["reading-practice", "reading-outlook", "planning", "applying", "done"]);
  });

  test("a plan can be applied once, and only the latest plan", async () => {
    const env = setup();
    env.practice.add(person("Once", "Only"));
    const s = env.session();
    const first = await s.plan();
    const second = await s.plan();
    await expect(s.apply(first, { selected: new Set() })).rejects.toBeInstanceOf(StalePlanError);
    await s.apply(second, { selected: new Set(second.changes.map((c) => c.id)) });
    await expect(s.apply(second, { selected: new Set() })).rejects.toBeInstanceOf(StalePlanError);
  });

  test("a missing filter is a FilterMissingError and is recorded in the history", async () => {
    const env = setup({ filterId: "filter-404" });
    const s = env.session();
    await expect(s.plan()).rejects.toBeInstanceOf(FilterMissingError);
    const [run] = await s.history(5);
    expect(run).toMatchObject({ status: "failed" });
    expect(run.message).toMatch(/filter-404/);
  });

  test("history records each run with its counts, most recent first", async () => {
    const env = setup();
    env.practice.add(person("His", "Tory"));
    await env.sync();
    env.outlook.add(person("Sec", "Ond"));
    await env.sync();
    const runs = await env.session().history();
    expect(runs).toHaveLength(2);
    expect(runs[0].counts).toMatchObject({ "add:toPractice": 1, linked: 2 });
    expect(runs[1].counts).toMatchObject({ "add:toOutlook": 1, linked: 1 });
  });

  test("R8 a contact removed from the folder and put back under a new id keeps its link and base", async () => {
    const env = setup();
    const p = env.practice.add(person("Mov", "Ed"));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.remove(o.id);
    env.outlook.add({ ...o.fields, jobTitle: "Edited while away" }, { stamp: o.stamp });
    const { plan } = await env.sync();
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ rule: "R8", direction: "toPractice" });
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("Edited while away");
    expect(env.outlook.size()).toBe(1);
    expect((await env.cache.loadLinks())[0].state).toBe("linked");
  });

  test("R10 an excluded contact restored in Outlook with its stamp is linked again", async () => {
    const env = setup();
    const p = env.practice.add(person("Res", "Tored"));
    env.practice.add(person("Stays", "Put")); // a bystander: removing every linked contact is R15's alarm
    await env.sync();
    const o = outlookFor(env, p.id)!;
    env.outlook.remove(o.id);
    await env.sync(); // excluded
    env.outlook.add(o.fields, { stamp: o.stamp }); // the user restores it
    const { plan } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect((await env.cache.loadLinks()).find((l) => l.practiceId === p.id)).toMatchObject({ state: "linked" });
    env.practice.edit(p.id, { jobTitle: "Back" });
    await env.sync();
    expect(outlookFor(env, p.id)?.fields.jobTitle).toBe("Back");
  });

  test("R13 recovery deletes a duplicate our own retried create left behind", async () => {
    const env = setup();
    const p = env.practice.add(person("Dup", "Licate"));
    const stamp = `${FIRM}:${p.id}`;
    // State after a crash: the create was journaled, and a retry made it land twice.
    await env.cache.journalAppend([
      {
        id: "j1",
        runId: "r0",
        op: "create-outlook",
        key: stamp,
        practiceId: p.id,
        createdAt: env.clock.now(),
        payload: { practiceId: p.id, stamp, base: { givenName: "Dup", surname: "Licate", displayName: "Dup Licate" }, origin: "practice", practiceVersion: p.version },
      },
    ]);
    env.outlook.add(p.fields, { stamp });
    env.outlook.add(p.fields, { stamp });
    const { plan } = await env.sync();
    expect(plan.changes).toEqual([]);
    expect(env.outlook.size()).toBe(1);
    expect(env.cache.peekJournal()).toEqual([]);
    expect((await env.cache.loadLinks())[0]).toMatchObject({ practiceId: p.id, outlookId: env.outlook.all()[0].id });
  });

  test("R2/R13 a crash between an import and its stamp, then a lost cache, imports nothing twice", async () => {
    const env = setup();
    env.outlook.add(person("Im", "Port"));
    env.outlook.faults.inject("updateContacts", "crash"); // the stamp never lands
    await expect(env.sync()).rejects.toThrow(/crash/i);
    env.restart();
    env.cache.lose(); // and the journal with it
    await env.sync();
    expect(env.practice.size()).toBe(1);
    expect(env.outlook.size()).toBe(1);
    expect(keyOf(env.outlook.all()[0].stamp)).toBe(`${FIRM}:${env.practice.all()[0].id}`);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R3/R5 a link an earlier version wrote after a half-applied update (pendingToOutlook) is read as per-side bases", async () => {
    const env = setup();
    const p = env.practice.add(person("Old", "Link", { jobTitle: "Old" }));
    await env.sync();
    const o = outlookFor(env, p.id)!;
    // What an earlier version left when its practice write landed and its Outlook write did not.
    env.practice.edit(p.id, { jobTitle: "Engine" });
    const [link] = await env.cache.loadLinks();
    await env.cache.commit({ putLinks: [{ ...link, practiceVersion: "", pendingToOutlook: { jobTitle: "Engine" } }] });
    env.outlook.edit(o.id, { jobTitle: "User" }); // the user's edit, within the same second
    await env.sync();
    // The engine's own write is no edit: the user's wins, on both sides.
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("User");
    expect(env.outlook.get(o.id)?.fields.jobTitle).toBe("User");
    const [after] = await env.cache.loadLinks();
    expect(after.pendingToOutlook).toBeUndefined();
    expect(after.outlookBase).toBeUndefined();
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R15 a mass edit in Outlook that would overwrite many practice records stops the run", async () => {
    const env = setup();
    for (let i = 0; i < 40; i++) env.practice.add(person(`M${i}`, "Ass"));
    await env.sync();
    for (const c of env.outlook.all().slice(0, 11)) env.outlook.edit(c.id, { companyName: "Oops Ltd" });
    const plan = await env.plan();
    expect(plan.safety).toMatchObject({ side: "practice", affected: 11, total: 40 });
  });
});
