// The multi-device simulation's invariants must see what they claim to: here a stand-in "engine"
// writes to the stores directly (through the ports, so the writes count as the sync's) and the
// checks must accept the writes the rules call for and report the others.
import { makeStamp } from "../../../src/sync/model";
import { checkConverged, checkCreates, checkDeletes, markStores, observeAgreement } from "./multi-invariants";
import type { MultiScenario } from "./multi-scenario";
import { FIRM_ID, MultiWorld, type Device } from "./multi-world";

function worldWithOneLinkedContact() {
  const scenario: MultiScenario = {
    settings: { filterOffices: null, importKind: "client", wholeRecord: false, deleteStandaloneOnOutlookDelete: false, outlookIfMatch: false },
    headless: false,
    practice: [{ kind: "client", fields: { givenName: "Ann", jobTitle: "Clerk" } }],
    outlook: [],
    steps: [],
  };
  const w = new MultiWorld(scenario, 1);
  const [p] = w.practice.all();
  return { w, p };
}

/** The engine's first sync: the contact is created in Outlook from the practice record (R6). */
async function firstSync(w: MultiWorld, pid: string, device: Device) {
  const mark = markStores(w);
  const p = w.practice.get(pid)!;
  const [r] = await w.outlook.createContacts([{ stamp: makeStamp(FIRM_ID, pid), fields: p.fields }]);
  if (!r.ok) throw new Error("create failed");
  w.noteSyncCreates();
  expect(checkCreates(w, mark)).toEqual([]);
  expect(observeAgreement(w, { kind: "apply", device, mark })).toEqual([]);
  // From now on this device holds a base for the pair.
  device.basesAtPlan = new Map([[`${pid}|${r.value.id}`, { practiceId: pid, outlookId: r.value.id, base: p.fields, practiceVersion: p.version, outlookChangeKey: r.value.changeKey, origin: "practice", state: "linked", updatedAt: "" }]]);
  return r.value;
}

function editBothSides(w: MultiWorld, practiceFirst: boolean) {
  const edits = [
    () => w.perform({ side: "practice", kind: "edit", target: 0, patch: { jobTitle: "Director" } }),
    () => w.perform({ side: "outlook", kind: "edit", target: 0, patch: { jobTitle: "CFO" } }),
  ];
  if (!practiceFirst) edits.reverse();
  w.tick();
  edits[0]();
  w.tick();
  edits[1]();
  expect(observeAgreement(w, { kind: "user" })).toEqual([]);
}

describe("multi-device invariants", () => {
  it("R5: an engine write that overwrites the newer side's edit is a lost edit; the newer edit winning is not", async () => {
    for (const overwrite of [true, false]) {
      const { w, p } = worldWithOneLinkedContact();
      const device = w.devices[0];
      const o = await firstSync(w, p.id, device);
      editBothSides(w, true); // Outlook's CFO is the more recent edit
      const mark = markStores(w);
      if (overwrite) await w.outlook.updateContacts([{ id: o.id, changeKey: "", patch: { jobTitle: "Director" } }]);
      else await w.practice.updateContacts([{ id: p.id, version: w.practice.get(p.id)!.version, patch: { jobTitle: "CFO" } }]);
      const found = observeAgreement(w, { kind: "apply", device, mark });
      if (overwrite) expect(found).toEqual([expect.stringMatching(/^lost edit \(R5 on pane A\): jobTitle .* is "Director"; expected "CFO" \(outlook\)/)]);
      else expect(found).toEqual([]);
    }
  });

  it("R5: with the practice edit the more recent, practice wins", async () => {
    const { w, p } = worldWithOneLinkedContact();
    const device = w.devices[0];
    const o = await firstSync(w, p.id, device);
    editBothSides(w, false);
    const mark = markStores(w);
    await w.outlook.updateContacts([{ id: o.id, changeKey: "", patch: { jobTitle: "Director" } }]);
    expect(observeAgreement(w, { kind: "apply", device, mark })).toEqual([]);
  });

  it("R8: a device with no base gives every differing field to the more recent record", async () => {
    const { w, p } = worldWithOneLinkedContact();
    const o = await firstSync(w, p.id, w.devices[0]);
    w.tick();
    w.perform({ side: "practice", kind: "edit", target: 0, patch: { givenName: "Bob" } });
    w.tick();
    w.perform({ side: "outlook", kind: "edit", target: 0, patch: { jobTitle: "CFO" } }); // Outlook is newer
    const other = w.devices[1]; // never synced: no base
    const mark = markStores(w);
    await w.practice.updateContacts([{ id: p.id, version: w.practice.get(p.id)!.version, patch: { givenName: "Ann", jobTitle: "CFO" } }]);
    expect(observeAgreement(w, { kind: "apply", device: other, mark })).toEqual([]);

    // With a base, the same write loses the practice edit.
    const again = worldWithOneLinkedContact();
    const device = again.w.devices[0];
    const o2 = await firstSync(again.w, again.p.id, device);
    again.w.tick();
    again.w.perform({ side: "practice", kind: "edit", target: 0, patch: { givenName: "Bob" } });
    again.w.tick();
    again.w.perform({ side: "outlook", kind: "edit", target: 0, patch: { jobTitle: "CFO" } });
    const mark2 = markStores(again.w);
    await again.w.practice.updateContacts([{ id: again.p.id, version: again.w.practice.get(again.p.id)!.version, patch: { givenName: "Ann", jobTitle: "CFO" } }]);
    expect(observeAgreement(again.w, { kind: "apply", device, mark: mark2 })).toEqual([expect.stringMatching(/^lost edit \(R5 on pane A\): givenName/)]);
    expect(o.id).toBe(o2.id);
  });

  it("R2, R9, R10: a second create, an unjustified delete and a re-created exclusion are reported", async () => {
    const { w, p } = worldWithOneLinkedContact();
    const o = await firstSync(w, p.id, w.devices[0]);
    let mark = markStores(w);
    await w.outlook.createContacts([{ stamp: makeStamp(FIRM_ID, p.id, { made: "other-device" }), fields: p.fields }]);
    w.noteSyncCreates();
    expect(checkCreates(w, mark)).toEqual([expect.stringMatching(/^R2 duplicate: the sync created Outlook contact .* which .* already carries/)]);
    expect(checkConverged(w)).toContainEqual(expect.stringMatching(/^duplicate: 2 Outlook contacts/));

    mark = markStores(w);
    await w.outlook.deleteContacts([o.id]); // the sync's own extra copy stays: allowed (R2 repair)
    expect(checkDeletes(w, mark)).toEqual([]);
    mark = markStores(w);
    await w.outlook.deleteContacts([w.outlook.all()[0].id]); // the last one, record in scope
    expect(checkDeletes(w, mark)).toEqual([expect.stringMatching(/^R9: the sync removed Outlook contact/)]);

    w.excluded.add(p.id);
    mark = markStores(w);
    await w.outlook.createContacts([{ stamp: makeStamp(FIRM_ID, p.id), fields: p.fields }]);
    w.noteSyncCreates();
    expect(checkCreates(w, mark)).toEqual([expect.stringMatching(/^R10: the sync re-created/)]);
  });

  it("R2: a user's copy must end as its own practice record", async () => {
    const { w, p } = worldWithOneLinkedContact();
    await firstSync(w, p.id, w.devices[0]);
    w.perform({ side: "outlook", kind: "copy", target: 0 });
    expect(checkConverged(w)).toContainEqual(expect.stringMatching(/^duplicate: 2 Outlook contacts .* carry/));
  });
});
