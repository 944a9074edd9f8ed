// The simulation's invariants (DESIGN §7): nothing deleted that R9/R10/R11 do not delete, and after
// a fault-free sync: both sides agree, no duplicate, no lost edit (except by R5), full coverage.
import { FIELD_SPECS } from "../../../src/sync/fields";
import { capFields, capValue } from "../../../src/sync/merge";
import type { FieldName, OutlookContact, PracticeContact } from "../../../src/sync/model";
import { parseStamp } from "../../../src/sync/model";
import { normalizeFields, normalizeValue, valueKey } from "../../../src/sync/normalize";
import { EDITED_FIELDS } from "./generators";
import { FIRM_ID, type World } from "./world";

export interface EventMark {
  practice: number;
  outlook: number;
}

export const markEvents = (w: World): EventMark => ({ practice: w.practice.events.length, outlook: w.outlook.events.length });

/** Deletions the sync made since `mark` must each be allowed by a rule. Checked after every round. */
export function checkDeletions(w: World, mark: EventMark): string[] {
  const out: string[] = [];
  for (const e of w.practice.events.slice(mark.practice)) {
    if (e.by !== "sync" || e.op !== "delete") continue;
    // The user deleted its Outlook contact: stamped with it, or the very contact it was imported from (R7).
    const outlookGone = w.outlookDeletedFor.has(e.id) || w.removedOutlookMarkers.has(w.markerOf.get(e.id) ?? "");
    // The store itself refuses to delete a client, so the kind needs no check here.
    const byR10 = w.settings.deleteStandaloneOnOutlookDelete && outlookGone;
    if (!byR10 && !w.conflictDeletes.has(e.id))
      out.push(`R10: the sync deleted practice contact ${e.id} (${w.kindOf.get(e.id)}) without a rule allowing it`);
  }
  const live = w.outlook.peekAll();
  for (const e of w.outlook.events.slice(mark.outlook)) {
    if (e.by !== "sync" || e.op !== "delete") continue;
    if (w.conflictDeletes.has(e.id)) continue;
    const stamp = w.stampOfAny(e.id);
    // Not stamped yet (its stamp write failed): the practice record imported from it carries its marker.
    const s = stamp ? parseStamp(stamp) : importedAs(w, e.id);
    if (!s) {
      out.push(`R9: the sync deleted unstamped Outlook contact ${e.id}`);
      continue;
    }
    const duplicate = live.some((o) => o.id !== e.id && o.stamp === stamp);
    if (duplicate) continue; // R2 repair: one of two copies the sync itself made
    const p = w.practice.get(s.practiceId);
    const practiceGone = !p;
    const leftScope = w.everOutOfScope.has(s.practiceId);
    if (w.conflictDeletes.has(s.practiceId)) continue;
    if (w.userCreatedOutlook.has(e.id) && !w.cacheLostEver && !practiceGone) {
      out.push(`R7: the sync deleted Outlook contact ${e.id}, which a user created, while ${s.practiceId} still exists`);
      continue;
    }
    if (!practiceGone && !leftScope)
      out.push(`R9: the sync deleted Outlook contact ${e.id} though ${s.practiceId} exists and never left scope`);
  }
  return out;
}

function importedAs(w: World, outlookId: string): { practiceId: string } | null {
  const marker = (w.outlook.get(outlookId) ?? w.outlook.deletedItems().find((c) => c.id === outlookId))?.fields.nickName;
  if (!marker) return null;
  for (const [practiceId, m] of w.markerOf) if (m === marker) return { practiceId };
  return null;
}

const norm = (c: { fields: object }) => normalizeFields(c.fields);

/** Value v (as the Outlook user left it) heads the practice value: R16 appends practice overflow after it. */
export function headsWith(field: FieldName, practiceValue: unknown, v: unknown): boolean {
  const cap = FIELD_SPECS.find((s) => s.name === field)?.outlookCap;
  if (cap === undefined) return valueKey(practiceValue) === valueKey(v);
  const a = Array.isArray(practiceValue) ? practiceValue : [];
  const b = Array.isArray(v) ? v : [];
  if (b.length > a.length) return false;
  return b.every((x, i) => valueKey(x) === valueKey(a[i]));
}

/** After a fault-free, fully approved sync. */
export function checkConverged(w: World): string[] {
  const out: string[] = [];
  const outlook = w.outlook.peekAll();
  const practice = new Map(w.practice.peekAll().map((p) => [p.id, p]));
  const links = new Map(w.cache.peekLinks().map((l) => [l.practiceId, l]));

  // No duplicate (R2): one Outlook contact per stamp, one copy of each user's contact per side.
  const byStamp = new Map<string, OutlookContact[]>();
  const outlookMarkers = new Map<string, string>();
  for (const o of outlook) {
    if (o.stamp) byStamp.set(o.stamp, [...(byStamp.get(o.stamp) ?? []), o]);
    const m = o.fields.nickName;
    if (m) {
      if (outlookMarkers.has(m)) out.push(`duplicate: Outlook contacts ${outlookMarkers.get(m)} and ${o.id} are both ${m}`);
      outlookMarkers.set(m, o.id);
    }
  }
  for (const [stamp, list] of byStamp)
    if (list.length > 1) out.push(`duplicate: ${list.length} Outlook contacts carry stamp ${stamp}`);
  const practiceMarkers = new Map<string, string>();
  for (const p of practice.values()) {
    const m = p.fields.nickName;
    if (!m) continue;
    if (practiceMarkers.has(m)) out.push(`duplicate: practice contacts ${practiceMarkers.get(m)} and ${p.id} are both ${m}`);
    practiceMarkers.set(m, p.id);
  }

  // Every Outlook contact is linked to an existing practice contact and agrees with it.
  const pairs: [PracticeContact, OutlookContact][] = [];
  for (const o of outlook) {
    const s = o.stamp ? parseStamp(o.stamp) : null;
    if (!s || s.firmId !== FIRM_ID) {
      out.push(`R7: Outlook contact ${o.id} (${o.fields.nickName}) was not imported (no stamp)`);
      continue;
    }
    const p = practice.get(s.practiceId);
    if (!p) {
      out.push(`R9/R11: Outlook contact ${o.id} is stamped with ${s.practiceId}, which no longer exists`);
      continue;
    }
    pairs.push([p, o]);
    const want = capFields(norm(p));
    const have = norm(o);
    for (const spec of FIELD_SPECS) {
      const a = (want as Record<string, unknown>)[spec.name];
      const b = (have as Record<string, unknown>)[spec.name];
      if (valueKey(a) !== valueKey(b))
        out.push(`convergence: ${spec.name} of ${p.id}/${o.id}: practice ${JSON.stringify(a)} vs Outlook ${JSON.stringify(b)}`);
    }
    if (!w.inScope(p) && !w.cacheLostEver) {
      const link = links.get(p.id);
      if (!link || link.origin !== "outlook")
        out.push(`R9: ${p.id} is out of scope but its Outlook contact ${o.id} stays (link origin ${link?.origin ?? "none"})`);
    }
  }

  // R6/R10: every in-scope practice contact is in the folder, unless excluded.
  const stamped = new Set(pairs.map(([p]) => p.id));
  for (const p of practice.values()) {
    if (!w.inScope(p) || stamped.has(p.id)) continue;
    if (links.get(p.id)?.state === "excluded") continue;
    out.push(`R6: in-scope practice contact ${p.id} (${p.fields.nickName}) is not in the folder and not excluded`);
  }

  // The cache agrees with the stores (R12): a linked link points at the live contact stamped with it.
  for (const l of links.values()) {
    if (l.state !== "linked") continue;
    const o = w.outlook.get(l.outlookId);
    if (!o || !o.stamp || parseStamp(o.stamp)?.practiceId !== l.practiceId)
      out.push(`cache: link ${l.practiceId} -> ${l.outlookId} does not match the folder`);
  }

  out.push(...checkNoLostEdit(w, pairs));
  return out;
}

function checkNoLostEdit(w: World, pairs: [PracticeContact, OutlookContact][]): string[] {
  if (w.ledger.lenient) return [];
  const out: string[] = [];
  for (const [p, o] of pairs) {
    const kP = w.contactKey(p);
    const kO = w.contactKey(o);
    const bothEdited = w.ledger.fieldsTouched("practice", kP).size > 0 && w.ledger.fieldsTouched("outlook", kO).size > 0;
    if (w.settings.wholeRecord && bothEdited) continue; // R5 "whole record": the newer record wins every field
    for (const f of EDITED_FIELDS) {
      const eP = w.ledger.get("practice", kP, f);
      const eO = w.ledger.get("outlook", kO, f);
      if (!eP && !eO) continue;
      const final = normalizeValue(f, p.fields[f]);
      const okP = eP?.allowed.some((v) => valueKey(v) === valueKey(final)) ?? false;
      const okO = eO?.allowed.some((v) => headsWith(f, final, v)) ?? false;
      if (okP || okO) continue;
      out.push(
        `lost edit: ${f} of ${p.id}/${o.id} is ${JSON.stringify(final)}; ` +
          `practice wrote ${JSON.stringify(eP?.allowed)}, Outlook wrote ${JSON.stringify(eO?.allowed)}` +
          (eO ? ` (Outlook holds ${JSON.stringify(capValue(f, normalizeValue(f, o.fields[f])))})` : ""),
      );
    }
  }
  return out;
}
