// Several devices of one user on one folder (R2, R14): each device has its own cache, the stores are
// shared. Plans and applies interleave as they do with Outlook on the desktop and on the web side by
// side, or with the scheduled headless sync of a shared mailbox.
import { setup, person, keyOf, otherDevice, type Env } from "./harness";

/** Live Outlook contacts per practice record they name. */
function holders(env: Env): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of env.outlook.all()) {
    const k = keyOf(c.stamp);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe("R14 an edit made while the pending list is open", () => {
  test("R14 an Outlook edit made after the plan is not overwritten; the row comes back and the newer edit wins (R5)", async () => {
    const env = setup();
    const p = env.practice.add(person("Jo", "Review", { jobTitle: "Clerk" }));
    await env.sync();
    const o = env.outlook.all()[0];

    env.clock.advance(60_000);
    env.practice.edit(p.id, { jobTitle: "Director" });
    const s = env.session();
    const plan = await s.plan();
    expect(plan.changes.map((c) => c.id)).toEqual([`update:${p.id}`]);

    env.clock.advance(120_000); // two minutes later, in Outlook, while the list is open
    env.outlook.edit(o.id, { jobTitle: "CFO" });
    const result = await s.apply(plan, { selected: new Set([`update:${p.id}`]) });
    expect(result.changedSincePlan).toEqual([`update:${p.id}`]);
    expect(env.outlook.get(o.id)?.fields.jobTitle).toBe("CFO");

    // Shown again, now with both edits known: Outlook's is the more recent (R5).
    const again = await env.sync();
    expect(again.plan.changes.map((c) => c.id)).toEqual([`update:${p.id}`]);
    expect(env.practice.get(p.id)?.fields.jobTitle).toBe("CFO");
    expect(env.outlook.get(o.id)?.fields.jobTitle).toBe("CFO");
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R14 a practice edit made after the plan is not overwritten by an Outlook-bound row", async () => {
    const env = setup();
    const p = env.practice.add(person("Kim", "Late", { department: "Tax" }));
    await env.sync();
    const o = env.outlook.all()[0];
    env.clock.advance(60_000);
    env.outlook.edit(o.id, { department: "Audit" });
    const s = env.session();
    const plan = await s.plan();
    env.clock.advance(60_000);
    env.practice.edit(p.id, { department: "Advisory" });
    const result = await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)) });
    expect(result.changedSincePlan).toEqual([`update:${p.id}`]);
    expect(env.practice.get(p.id)?.fields.department).toBe("Advisory");
    await env.sync();
    expect(env.outlook.get(o.id)?.fields.department).toBe("Advisory");
  });

  test("R14 rows whose contacts did not move are applied; only the moved one waits", async () => {
    const env = setup();
    const a = env.practice.add(person("Ann", "Still"));
    const b = env.practice.add(person("Ben", "Moved"));
    const s = env.session();
    const plan = await s.plan();
    env.practice.edit(b.id, { jobTitle: "Partner" });
    const result = await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)) });
    expect(result.changedSincePlan).toEqual([`add:${b.id}`]);
    expect(holders(env).get(`firm-1:${a.id}`)).toBe(1);
    expect(holders(env).get(`firm-1:${b.id}`)).toBeUndefined();
    await env.sync();
    expect(env.outlook.all().find((c) => keyOf(c.stamp) === `firm-1:${b.id}`)?.fields.jobTitle).toBe("Partner");
  });
});

describe("R2 two devices on one folder", () => {
  test("R2 two devices that plan the same creates and apply one after the other make each contact once", async () => {
    const env = setup();
    for (let i = 0; i < 20; i++) env.practice.add(person(`P${i}`, "Twice"));
    const other = otherDevice(env);
    const mine = env.session();
    const theirs = other.session();
    const myPlan = await mine.plan();
    const theirPlan = await theirs.plan();
    expect(myPlan.changes).toHaveLength(20);
    expect(theirPlan.changes).toHaveLength(20);
    await theirs.apply(theirPlan, { selected: new Set(theirPlan.changes.map((c) => c.id)) });
    const mineResult = await mine.apply(myPlan, { selected: new Set(myPlan.changes.map((c) => c.id)) });
    expect(mineResult.changedSincePlan).toHaveLength(20);
    expect(env.outlook.size()).toBe(20);

    // Four more rounds on each device: nothing grows, nothing is written.
    for (let round = 0; round < 4; round++) {
      await env.sync();
      await other.sync();
    }
    expect(env.outlook.size()).toBe(20);
    expect(env.practice.size()).toBe(20);
    expect([...holders(env).values()].every((n) => n === 1)).toBe(true);
    expect((await env.plan()).changes).toEqual([]);
  });

  test("R2 an Outlook-born contact imported on one device while the other reviews is imported once", async () => {
    const env = setup();
    env.outlook.add(person("Olga", "Born"));
    const other = otherDevice(env);
    const mine = env.session();
    const myPlan = await mine.plan();
    await other.sync();
    const r = await mine.apply(myPlan, { selected: new Set(myPlan.changes.map((c) => c.id)) });
    expect(r.changedSincePlan).toHaveLength(1);
    await env.sync();
    await other.sync();
    expect(env.practice.size()).toBe(1);
    expect(env.outlook.size()).toBe(1);
  });
});
