// What a pending row says is exactly what Apply does: the engine plans over in-memory stores, the
// pane turns each row into its words (pending-rows.ts), Apply runs, and every write the stores
// received is compared with the rows — each field line with the value written to the side it
// names, every field written with a line that shows it, and "Remove" only where something is
// removed (a contact deleted in Outlook whose practice record is kept reads "Stop syncing").
import type { FieldChange, PlannedChange } from "../../src/sync/plan-types";
import type { ContactFields, FieldPatch } from "../../src/sync/model";
import { stampKey } from "../../src/sync/model";
import { actionText, fieldLines, formatValue, pendingGroupOf } from "../../src/taskpane/views/pending/pending-rows";
import { FIRM, outlookFor, person, setup, type Env } from "../sync/harness";

interface Writes {
  outlookCreates: Map<string, ContactFields>; // by practice id (from the stamp)
  outlookUpdates: Map<string, FieldPatch>; // by Outlook id
  outlookDeletes: Set<string>;
  practiceCreates: ContactFields[];
  practiceUpdates: Map<string, FieldPatch>; // by practice id
  practiceDeletes: Set<string>;
}

function spy(env: Env): Writes {
  const w: Writes = {
    outlookCreates: new Map(),
    outlookUpdates: new Map(),
    outlookDeletes: new Set(),
    practiceCreates: [],
    practiceUpdates: new Map(),
    practiceDeletes: new Set(),
  };
  const o = env.outlook;
  const p = env.practice;
  const oc = o.createContacts.bind(o);
  const ou = o.updateContacts.bind(o);
  const od = o.deleteContacts.bind(o);
  const pc = p.createContacts.bind(p);
  const pu = p.updateContacts.bind(p);
  const pd = p.deleteContacts.bind(p);
  o.createContacts = (items, opts) => {
    for (const i of items) w.outlookCreates.set((stampKey(i.stamp) ?? "").replace(`${FIRM}:`, ""), structuredClone(i.fields));
    return oc(items, opts);
  };
  o.updateContacts = (items, opts) => {
    for (const i of items) w.outlookUpdates.set(i.id, { ...w.outlookUpdates.get(i.id), ...structuredClone(i.patch) });
    return ou(items, opts);
  };
  o.deleteContacts = (ids, opts) => {
    for (const id of ids) w.outlookDeletes.add(id);
    return od(ids, opts);
  };
  p.createContacts = (items, opts) => {
    for (const i of items) w.practiceCreates.push(structuredClone(i.fields));
    return pc(items, opts);
  };
  p.updateContacts = (items, opts) => {
    for (const i of items) w.practiceUpdates.set(i.id, { ...w.practiceUpdates.get(i.id), ...structuredClone(i.patch) });
    return pu(items, opts);
  };
  p.deleteContacts = (items, opts) => {
    for (const i of items) w.practiceDeletes.add(i.id);
    return pd(items, opts);
  };
  return w;
}

const shown = (v: unknown) => formatValue(v);

/** The write a row's field goes to, for this contact. */
function written(w: Writes, c: PlannedChange, f: FieldChange): Record<string, unknown> | undefined {
  if (f.target === "outlook") {
    if (c.group === "add" || (c.group === "conflict" && !c.outlookId)) return w.outlookCreates.get(c.practiceId ?? "") as Record<string, unknown>;
    return (w.outlookUpdates.get(c.outlookId ?? "") ?? (c.practiceId ? w.outlookCreates.get(c.practiceId) : undefined)) as Record<string, unknown> | undefined;
  }
  return w.practiceUpdates.get(c.practiceId ?? "") as Record<string, unknown> | undefined;
}

/** Checks every applied row against the writes; returns the mismatches in words. */
function compare(rows: PlannedChange[], w: Writes): string[] {
  const problems: string[] = [];
  for (const c of rows) {
    const lines = fieldLines(c);
    c.fields.forEach((f, i) => {
      const target = written(w, c, f);
      if (!target || !(f.field in target)) {
        problems.push(`${c.name}: the row shows ${f.label} going to ${f.target}, but nothing wrote it there`);
        return;
      }
      if (shown(target[f.field]) !== shown(f.new)) problems.push(`${c.name}: ${f.label} shows ${shown(f.new)}, ${f.target} got ${shown(target[f.field])}`);
      const line = lines[i];
      // The words show the written value, or name a blank-only change, or say it is cleared.
      const words = line.value ?? line.new;
      if (words !== shown(f.new) && !/spaces removed|blank value removed|tidied|cleared/.test(words ?? "")) problems.push(`${c.name}: ${f.label} reads "${words}" for ${shown(f.new)}`);
    });
    // Every field Apply writes for this contact is on the row (the Outlook create of an add).
    if (c.group === "add" && c.direction !== "toPractice") {
      const created = w.outlookCreates.get(c.practiceId ?? "") ?? {};
      for (const [k, v] of Object.entries(created)) {
        if (v === undefined) continue;
        if (!c.fields.some((f) => f.field === k && f.target === "outlook")) problems.push(`${c.name}: Apply writes ${k} to Outlook but the row does not show it`);
      }
    }
    const removedFromOutlook = !!c.outlookId && w.outlookDeletes.has(c.outlookId);
    const deletedInPractice = !!c.practiceId && w.practiceDeletes.has(c.practiceId);
    const says = actionText(c);
    if (/Remove from Outlook/.test(says) !== removedFromOutlook) problems.push(`${c.name}: says "${says}" but Outlook delete = ${removedFromOutlook}`);
    if (/Delete in the practice system/.test(says) !== deletedInPractice) problems.push(`${c.name}: says "${says}" but practice delete = ${deletedInPractice}`);
    if (pendingGroupOf(c) === "stopSync" && (removedFromOutlook || deletedInPractice)) problems.push(`${c.name}: "Stop syncing" but something was deleted`);
  }
  return problems;
}

describe("a pending row says exactly what Apply does", () => {
  it("adds (with a trailing-blank fix), updates both ways, a stop-syncing row and a removal", async () => {
    const env = setup();
    const alpine = env.practice.add({ companyName: "Alpine Logistics Inc. ", displayName: "Alpine Logistics Inc. ", emailAddresses: [{ address: "a@alpine.example" }] });
    const ada = env.practice.add(person("Ada", "Lovelace", { jobTitle: "Clerk", mobilePhone: "+44 1" }));
    const ben = env.practice.add(person("Ben", "Bell", { businessPhones: ["+1 2", "+1 3"] }));
    const cy = env.practice.add(person("Cy", "Young"));

    // First sync: everything is an add; the blank fix rides along to the practice side.
    let w = spy(env);
    let s = env.session();
    let plan = await s.plan();
    expect(plan.changes.length).toBe(4);
    await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id)) });
    expect(compare(plan.changes, w)).toEqual([]);
    const alpineRow = plan.changes.find((c) => c.practiceId === alpine.id)!;
    expect(fieldLines(alpineRow).some((l) => l.value === "trailing spaces removed")).toBe(true);

    // Then: Ada edited in the practice system and in Outlook (different fields), Ben deleted in
    // Outlook (kept in the practice system), Cy deleted in the practice system (removed from Outlook).
    env.clock.advance(60_000);
    env.practice.edit(ada.id, { jobTitle: "Partner" });
    const adaOutlook = outlookFor(env, ada.id)!;
    env.outlook.edit(adaOutlook.id, { mobilePhone: "+44 2" });
    const benOutlook = outlookFor(env, ben.id)!;
    env.outlook.remove(benOutlook.id);
    env.practice.remove(cy.id);

    w = spy(env);
    s = env.session();
    plan = await s.plan();
    const byName = new Map(plan.changes.map((c) => [c.name, c]));
    expect(actionText(byName.get("Ben Bell")!)).toBe("Stop syncing (practice record kept)");
    expect(actionText(byName.get("Cy Young")!)).toBe("Remove from Outlook");
    const adaRow = byName.get("Ada Lovelace")!;
    expect(adaRow.direction).toBe("both");
    expect(fieldLines(adaRow).map((l) => `${l.label}: ${l.old} → ${l.new} (${l.target})`).sort()).toEqual(
      ["Job title: Clerk → Partner (to Outlook)", "Mobile phone: +44 1 → +44 2 (to the practice system)"].sort(),
    );
    await s.apply(plan, { selected: new Set(plan.changes.filter((c) => c.group !== "conflict").map((c) => c.id)) });
    expect(compare(plan.changes.filter((c) => c.group !== "conflict"), w)).toEqual([]);
    expect(env.practice.get(ben.id)).toBeDefined();
  });
});
