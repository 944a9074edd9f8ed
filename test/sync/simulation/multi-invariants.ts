// Invariants of the multi-device simulation, checked against the world's own truth (identity and
// the field ledger in multi-world.ts), never against a device's cache. None is relaxed after a lost
// cache: the rules say a lost or second cache must not create a duplicate or forget a decision.
import { FIELD_SPECS } from "../../../src/sync/fields";
import { capFields, capValue } from "../../../src/sync/merge";
import type { FieldName, OutlookContact } from "../../../src/sync/model";
import { normalizeFields, normalizeValue, valueKey } from "../../../src/sync/normalize";
import { EDITED_FIELDS } from "./generators";
import { headsWith } from "./invariants";
import { practiceIdOf, type ContactLedger, type Device, type MultiWorld, type Side } from "./multi-world";

export interface StepMark {
  practice: number;
  outlook: number;
}

export const markStores = (w: MultiWorld): StepMark => ({ practice: w.practice.events.length, outlook: w.outlook.events.length });

/**
 * What the sync created in one step. R2: never a second live Outlook contact for a practice record
 * (another device's create, a restored original), never a second practice record for one contact
 * (an import of the sync's own extra copy, or of a restored original). R10: never re-create a
 * contact the user deleted in Outlook and did not include again.
 */
export function checkCreates(w: MultiWorld, mark: StepMark): string[] {
  const out: string[] = [];
  const holders = w.holdersByPractice();
  for (const e of w.outlook.events.slice(mark.outlook)) {
    if (e.by !== "sync" || e.op !== "create") continue;
    const o = w.outlook.get(e.id);
    const pid = o?.stamp ? practiceIdOf(o.stamp) : null;
    if (!o || !pid) continue;
    const others = (holders.get(pid) ?? []).filter((x) => x.id !== o.id);
    if (others.length)
      out.push(`R2 duplicate: the sync created Outlook contact ${o.id} for ${pid}, which ${others.map((x) => x.id).join(", ")} already carries`);
    if (w.excluded.has(pid)) out.push(`R10: the sync re-created ${pid} in Outlook (${o.id}), which the user deleted there and did not include again`);
  }
  const live = w.practice.peekAll();
  for (const e of w.practice.events.slice(mark.practice)) {
    if (e.by !== "sync" || e.op !== "create") continue;
    const L = w.logicalOfP.get(e.id);
    if (L === undefined || !w.practice.get(e.id)) continue;
    const twins = live.filter((p) => p.id !== e.id && w.logicalOfP.get(p.id) === L);
    if (twins.length)
      out.push(`R2 duplicate: the sync created practice record ${e.id} for a contact ${twins.map((p) => p.id).join(", ")} already is (logical #${L})`);
  }
  return out;
}

/** Every delete the sync made in one step is allowed by a rule at the time it was made. */
export function checkDeletes(w: MultiWorld, mark: StepMark): string[] {
  const out: string[] = [];
  for (const e of w.outlook.events.slice(mark.outlook)) {
    if (e.by !== "sync" || e.op !== "delete") continue;
    const gone = w.outlook.deletedItems().find((c) => c.id === e.id);
    const pid = gone?.stamp ? practiceIdOf(gone.stamp) : null;
    const L = w.logicalOfO.get(e.id);
    if (w.conflictDeletes.has(e.id) || (pid && w.conflictDeletes.has(pid))) continue; // R11 "delete"
    // R2 repair: the sync's own extra copy of a contact that is still in the folder.
    if (w.syncCreatedOutlook.has(e.id) && L !== undefined && w.outlook.peekAll().some((o) => w.logicalOfO.get(o.id) === L)) continue;
    const p = pid ? w.practice.get(pid) : undefined;
    if (!p) continue; // R9: its practice record is gone
    if (!w.inScope(p)) {
      if (L !== undefined && w.outlookBorn.has(L))
        out.push(`R7: the sync removed Outlook contact ${e.id}, which a user created, because ${pid} left the filter`);
      continue; // R9: left the filter
    }
    out.push(`R9: the sync removed Outlook contact ${e.id} though ${pid} exists and is in scope`);
  }
  for (const e of w.practice.events.slice(mark.practice)) {
    if (e.by !== "sync" || e.op !== "delete") continue;
    const L = w.logicalOfP.get(e.id);
    if (w.conflictDeletes.has(e.id)) continue;
    const outlookOfL = L === undefined ? [] : [...w.logicalOfO].filter(([, l]) => l === L).map(([id]) => id);
    if (outlookOfL.some((id) => w.conflictDeletes.has(id))) continue;
    // R10 option: the user deleted its Outlook contact (the store refuses to delete a client).
    if (w.settings.deleteStandaloneOnOutlookDelete && L !== undefined && w.userDeletedLogical.has(L)) continue;
    if (w.syncCreatedPractice.has(e.id) && L !== undefined && w.practice.peekAll().some((p) => w.logicalOfP.get(p.id) === L)) continue;
    out.push(`R10: the sync deleted practice record ${e.id} without a rule allowing it`);
  }
  return out;
}

/** When the world is looked at: after a user's step, a device's plan, or a device's apply. */
export type Moment = { kind: "user" } | { kind: "plan" } | { kind: "apply"; device: Device; mark: StepMark };

/**
 * Watches each linked pair. When an apply wrote the contact, every field whose sides agree is checked
 * against the rules and becomes the new agreement. The check: the agreed value is the one the rules pick from the edits made since the
 * last agreement (R5 per field: one side changed → that side; both → the side whose record a user
 * changed last; R8, when the device that merged had no base for the pair → the more recent record's
 * value for every field that differed).
 * Sides that agree otherwise (the user typed the same on both, or a plan saw them agree but its
 * device never applied it) are only remembered as a base the engine may hold: R3 compares with the
 * base the engine recorded, and an A→B→A edit it never recorded is no change.
 */
export function observeAgreement(w: MultiWorld, at: Moment): string[] {
  const out: string[] = [];
  const holders = w.holdersByPractice();
  const practiceByL = new Map<number, number>();
  for (const p of w.practice.peekAll()) {
    const L = w.logicalOfP.get(p.id);
    if (L !== undefined) practiceByL.set(L, (practiceByL.get(L) ?? 0) + 1);
  }
  const written = new Set<string>();
  if (at.kind === "apply") {
    for (const e of w.practice.events.slice(at.mark.practice)) if (e.by === "sync") written.add(e.id);
    for (const e of w.outlook.events.slice(at.mark.outlook)) if (e.by === "sync") written.add(e.id);
  }
  // Pairs by stamp, and an import's record with the unstamped contact it names (its stamp write did not
  // land yet: the sync linked them all the same, with the imported values as their agreement).
  const pairs: [string, OutlookContact][] = [];
  // A user's copy carrying the same stamp is a contact of its own (another logical contact): it does not
  // hide the pair from the check.
  for (const [pid, list] of holders) {
    const own = list.filter((o) => w.logicalOfO.get(o.id) === w.logicalOfP.get(pid));
    if (own.length === 1) pairs.push([pid, own[0]]);
  }
  for (const p of w.practice.peekAll()) {
    const o = p.outlookRef ? w.outlook.get(p.outlookRef.id) : undefined;
    if (o && o.stamp === undefined) pairs.push([p.id, o]);
  }
  // A contact this apply removed (R9) after saving its Outlook edits in the record: the fields the two
  // then share are that merge's outcome, checked like any other (the contact as it went to Deleted Items).
  if (at.kind === "apply") {
    for (const e of w.outlook.events.slice(at.mark.outlook)) {
      if (e.by !== "sync" || e.op !== "delete" || w.outlook.get(e.id)) continue;
      const o = w.outlook.deletedItems().find((x) => x.id === e.id);
      const pid = o?.stamp ? practiceIdOf(o.stamp) : null;
      if (o && pid && written.has(pid) && !holders.has(pid)) pairs.push([pid, o]);
    }
  }
  for (const [pid, o] of pairs) {
    const p = w.practice.get(pid);
    const L = w.logicalOfP.get(pid);
    if (!p || L === undefined || w.logicalOfO.get(o.id) !== L || practiceByL.get(L) !== 1) continue;
    const led = w.ledgerOf(L);
    const seen = at.kind === "apply" && (written.has(pid) || written.has(o.id));
    const merger = at.kind === "apply" && seen ? at.device : null;
    const base = merger?.basesAtPlan.get(`${pid}|${o.id}`);
    const noBase = merger !== null && !base;
    for (const f of EDITED_FIELDS) {
      const pv = normalizeValue(f, p.fields[f]);
      if (valueKey(capValue(f, pv)) !== valueKey(normalizeValue(f, o.fields[f]))) continue;
      if (!seen) {
        if (valueKey(pv) !== valueKey(led.agreed.get(f))) led.candidates.set(f, [...(led.candidates.get(f) ?? []), pv]);
        continue;
      }
      if (led.edits.practice.has(f) || led.edits.outlook.has(f)) {
        const problem = verify(w, led, f, pv, noBase);
        if (problem) {
          const stale =
            base && valueKey(normalizeValue(f, base.base[f])) !== valueKey(led.agreed.get(f))
              ? ` [${merger!.name}'s base holds ${JSON.stringify(normalizeValue(f, base.base[f]))}: it did not see the last agreement]`
              : "";
          out.push(`lost edit (${noBase ? "R8, no base" : stale ? "R5, stale base" : "R5"}${merger ? ` on ${merger.name}` : ""}): ${f} of ${pid}/${o.id} is ${JSON.stringify(pv)}; ${problem}${stale}`);
        }
      }
      led.agreed.set(f, pv);
      led.candidates.delete(f);
      led.edits.practice.delete(f);
      led.edits.outlook.delete(f);
      led.either.delete(f);
    }
  }
  return out;
}

/** Null when `final` is what the rules pick, with the last agreement or a base the engine may hold. */
function verify(w: MultiWorld, led: ContactLedger, f: FieldName, final: unknown, noBase: boolean): string | null {
  w.verified++;
  const bases = [led.agreed.get(f), ...(led.candidates.get(f) ?? [])];
  // With no base for the pair (R8) the more recent record wins every differing field; an engine that
  // still knows one side's history (e.g. the practice record's, linked before to another contact)
  // may do better and keep every edit, which the per-field rule (R5) describes.
  const tries = bases.flatMap((agreed) => (noBase ? [expect(led, f, final, true, agreed), expect(led, f, final, false, agreed)] : [expect(led, f, final, false, agreed)]));
  if (tries.some((t) => t.ok)) {
    if (tries[0].contest) w.contests++;
    return null;
  }
  return tries[0].problem + (bases.length > 1 ? ` (nor with a base of ${bases.slice(1).map((b) => JSON.stringify(b)).join(" or ")})` : "");
}

function expect(led: ContactLedger, f: FieldName, final: unknown, noBase: boolean, agreed: unknown): { ok: boolean; contest: boolean; problem: string } {
  // What each record holds now: its user's edit, else the agreed value (Outlook holds it capped, R16).
  const pHeld = led.edits.practice.has(f) ? led.edits.practice.get(f) : agreed;
  const oHeld = led.edits.outlook.has(f) ? led.edits.outlook.get(f) : capValue(f, agreed);
  const okAs = (side: Side | "agreed", v: unknown) => (side === "outlook" ? headsWith(f, final, v) : valueKey(final) === valueKey(v));
  const either = led.either.get(f);
  if (either) {
    const ok = okAs("practice", pHeld) || okAs("outlook", oHeld) || either.some((v) => okAs("outlook", v));
    return { ok, contest: false, problem: `expected ${[pHeld, oHeld, ...either].map((v) => JSON.stringify(v)).join(" or ")} after a restore` };
  }
  const newer: Side = led.userTime.outlook > led.userTime.practice ? "outlook" : "practice";
  let side: Side | "agreed";
  let contest = false;
  if (noBase) {
    side = valueKey(capValue(f, pHeld)) === valueKey(oHeld) ? "practice" : newer;
  } else {
    const pChanged = led.edits.practice.has(f) && valueKey(pHeld) !== valueKey(agreed);
    const oChanged = led.edits.outlook.has(f) && valueKey(capValue(f, oHeld)) !== valueKey(capValue(f, agreed));
    side = pChanged && oChanged ? newer : pChanged ? "practice" : oChanged ? "outlook" : "agreed";
    contest = pChanged && oChanged && valueKey(capValue(f, pHeld)) !== valueKey(oHeld);
  }
  const want = side === "practice" ? pHeld : side === "outlook" ? oHeld : agreed;
  return {
    ok: okAs(side, want),
    contest,
    problem:
      `expected ${JSON.stringify(want)} (${side}); last agreed ${JSON.stringify(agreed)}, ` +
      `practice holds ${JSON.stringify(pHeld)} (user change ${led.userTime.practice || "never"}), ` +
      `Outlook holds ${JSON.stringify(oHeld)} (user change ${led.userTime.outlook || "never"})`,
  };
}

/** After the settle passes: one record per contact on each side, linked, equal, in scope or kept. */
export function checkConverged(w: MultiWorld): string[] {
  const out: string[] = [];
  for (const [pid, list] of w.holdersByPractice())
    if (list.length > 1) out.push(`duplicate: ${list.length} Outlook contacts (${list.map((o) => o.id).join(", ")}) carry ${pid}`);
  const count = (ids: Iterable<string>, of: Map<string, number>) => {
    const m = new Map<number, string[]>();
    for (const id of ids) {
      const L = of.get(id);
      if (L !== undefined) m.set(L, [...(m.get(L) ?? []), id]);
    }
    return m;
  };
  for (const [L, ids] of count(w.practice.peekAll().map((p) => p.id), w.logicalOfP))
    if (ids.length > 1) out.push(`duplicate: practice records ${ids.join(", ")} are one contact (logical #${L})`);
  for (const [L, ids] of count(w.outlook.peekAll().map((o) => o.id), w.logicalOfO))
    if (ids.length > 1) out.push(`duplicate: Outlook contacts ${ids.join(", ")} are one contact (logical #${L})`);

  const inFolder = new Set<string>();
  for (const o of w.outlook.peekAll()) {
    const pid = o.stamp ? practiceIdOf(o.stamp) : null;
    const p = pid ? w.practice.get(pid) : undefined;
    if (!pid) {
      out.push(`R7: Outlook contact ${o.id} (${o.fields.nickName}) has no stamp of this firm: not imported`);
      continue;
    }
    if (!p) {
      out.push(`R9/R11: Outlook contact ${o.id} is stamped with ${pid}, which no longer exists`);
      continue;
    }
    inFolder.add(pid);
    const Lo = w.logicalOfO.get(o.id);
    const Lp = w.logicalOfP.get(pid);
    if (Lo !== undefined && Lp !== Lo)
      out.push(`R2: Outlook contact ${o.id} (logical #${Lo}) is stamped with ${pid}, which is another contact (logical #${Lp ?? "?"})`);
    const want = capFields(normalizeFields(p.fields)) as Record<string, unknown>;
    const have = normalizeFields(o.fields) as Record<string, unknown>;
    for (const spec of FIELD_SPECS)
      if (valueKey(want[spec.name]) !== valueKey(have[spec.name]))
        out.push(`convergence: ${spec.name} of ${pid}/${o.id}: practice ${JSON.stringify(want[spec.name])} vs Outlook ${JSON.stringify(have[spec.name])}`);
    // A record the sync made from an Outlook contact (R11 keep re-creates one) may count as born there.
    if (!w.inScope(p) && !(Lp !== undefined && w.outlookBorn.has(Lp)) && !w.syncCreatedPractice.has(pid))
      out.push(`R9: ${pid} is out of scope and not born in Outlook, but its contact ${o.id} stays in the folder`);
  }
  for (const p of w.practice.peekAll()) {
    if (!w.inScope(p) || inFolder.has(p.id) || w.excluded.has(p.id)) continue;
    out.push(`R6: in-scope practice record ${p.id} (${p.fields.nickName}) is not in the folder and not excluded`);
  }
  return out;
}
