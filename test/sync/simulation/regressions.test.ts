// Minimal cases the randomized simulation found, kept as plain tests. Each names the rule it protects
// and how the simulation found it; they go through the real engine (SyncSession) and the fakes.
import { makeStamp } from "../../../src/sync/model";
import { SyncSession, type SyncSettings } from "../../../src/sync/session";
import { MemoryOutlookStore, MemoryPracticeStore, MemorySyncCache, SeededIds, TestClock } from "../../support";

function setup(settings: Partial<SyncSettings> = {}) {
  const clock = new TestClock("2026-03-01T09:00:00.000Z", 7);
  const practice = new MemoryPracticeStore({ firmId: "firm-1", clock });
  const outlook = new MemoryOutlookStore({ clock });
  const cache = new MemorySyncCache();
  const ids = new SeededIds(1);
  const session = (s: Partial<SyncSettings> = {}) =>
    new SyncSession({
      practice,
      outlook,
      cache,
      clock,
      ids,
      settings: {
        filterId: null,
        importKind: "client",
        wholeRecord: false,
        deleteStandaloneOnOutlookDelete: false,
        ...settings,
        ...s,
      },
    });
  /** Plans and applies every change (conflicts: the default, keep). */
  const sync = async (s: Partial<SyncSettings> = {}) => {
    const sess = session(s);
    const plan = await sess.plan();
    const result = await sess.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)), force: true });
    return { plan, result };
  };
  return { clock, practice, outlook, cache, sync };
}

describe("simulation regressions", () => {
  // Found by the simulation (seed 1, path 2): a stamped Outlook copy made by another device whose
  // practice record is outside the filter was listed as "its practice record no longer exists"
  // (R11), and "keep" created a second practice contact: a duplicate.
  it("R8: a stamped contact whose practice record is out of scope is never copied into a new record", async () => {
    const w = setup();
    const leeds = w.practice.addFilter({
      name: "Leeds",
      match: "all",
      criteria: [{ field: "office", method: "equals", values: ["Leeds"] }],
    });
    const p = w.practice.add({ givenName: "Ann", nickName: "mP1" }, { kind: "client", attributes: { office: "York" } });
    w.outlook.add({ givenName: "Ann", nickName: "mP1" }, { stamp: makeStamp("firm-1", p.id) });

    const { plan } = await w.sync({ filterId: leeds.id });

    expect(plan.changes.filter((c) => c.group === "conflict")).toEqual([]);
    expect(w.practice.all().map((c) => c.id)).toEqual([p.id]);
  });
});
