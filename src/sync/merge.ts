// Per-field three-way merge of one practice record and one Outlook record against the link's base
// (R3, R4, R5, R8, R16). Inputs are normalized; the result says what to write to each side.
import { FIELD_SPECS } from "./fields";
import type { ContactFields, FieldName, FieldPatch, Link } from "./model";
import { normalizeFields, normalizeString, valueKey } from "./normalize";
import type { FieldChange } from "./plan-types";

export type Side = "practice" | "outlook";

/** One side of a merge: its normalized fields, or null when that record did not change since the base. */
export interface MergeSide {
  fields: ContactFields;
  /** ISO time of the record's last change (R5 recency). */
  modified: string;
  /** Fields whose stored value is not in normalized form (R4): written back even when equal. */
  needsWriteBack?: ReadonlySet<FieldName>;
}

export interface MergeInput {
  /** The practice side's base (Link.base): normalized, uncapped; null for a re-link without a base (R8). */
  base: ContactFields | null;
  /**
   * Outlook's side of the base when it differs (Link.outlookBase); else `base` as Outlook holds it. A
   * field where the two differ is the engine's own write still owed to Outlook: the practice record
   * holding it is no edit (so it neither wins the whole record, R5, nor beats a newer Outlook edit),
   * and Outlook not holding it yet is no edit either.
   */
  outlookBase?: ContactFields;
  practice: MergeSide | null;
  outlook: MergeSide | null;
  wholeRecord: boolean;
  /** Which side a same-second tie goes to (R5: the practice side, unless the caller knows better). */
  tie?: Side;
}

export interface MergeResult {
  /** The agreed record after the merge: the next base (normalized, uncapped). */
  merged: ContactFields;
  practicePatch: FieldPatch;
  outlookPatch: FieldPatch;
  fieldChanges: FieldChange[];
  /** Fields each side changed since the base. */
  practiceChanged: FieldName[];
  outlookChanged: FieldName[];
  /** Fields both sides changed to different values, and who won them (R5). */
  contested: FieldName[];
  winner: Side | null;
  /** True when the only writes are R4 normalization write-backs. */
  normalizationOnly: boolean;
}

type Rec = Record<string, unknown>;

const CAPS = new Map<FieldName, number>();
for (const s of FIELD_SPECS) if (s.outlookCap !== undefined) CAPS.set(s.name, s.outlookCap);

/** The value Outlook can hold for a field (R16: the first N entries of a capped collection). */
export function capValue(field: FieldName, value: unknown): unknown {
  const cap = CAPS.get(field);
  if (cap === undefined || !Array.isArray(value) || value.length <= cap) return value;
  return value.slice(0, cap);
}

/** Applies capValue to every field of a normalized record. */
export function capFields(fields: ContactFields): ContactFields {
  let out: Rec | null = null;
  for (const [field, cap] of CAPS) {
    const v = (fields as Rec)[field];
    if (Array.isArray(v) && v.length > cap) {
      out ??= { ...fields };
      out[field] = v.slice(0, cap);
    }
  }
  return (out ?? fields) as ContactFields;
}

/**
 * R16: an Outlook-side edit to a capped collection keeps the practice values beyond the cap. The
 * practice overflow is appended after what Outlook holds, minus anything Outlook now already has.
 */
export function fromOutlook(field: FieldName, outlookValue: unknown, practiceValue: unknown): unknown {
  const cap = CAPS.get(field);
  if (cap === undefined || !Array.isArray(practiceValue) || practiceValue.length <= cap) return outlookValue;
  const kept = Array.isArray(outlookValue) ? outlookValue : [];
  const have = new Set(kept.map(valueKey));
  const overflow = practiceValue.slice(cap).filter((v) => !have.has(valueKey(v)));
  const out = [...kept, ...overflow];
  return out.length ? out : undefined;
}

/**
 * Which record changed most recently (R5); a tie, or an unreadable time, goes to the practice side.
 * Outlook's lastModifiedDateTime has whole seconds and the practice updatedAt milliseconds, so both
 * are compared truncated to the second: within one second the order is unknowable (Graph drops the
 * fraction), and the tie rule decides. Against Graph this equals comparing the raw values; it makes a
 * store that does report fractions on the Outlook side (the emulator, tests) decide as Graph would.
 */
export function moreRecent(practiceModified: string, outlookModified: string, tie: Side = "practice"): Side {
  const p = Date.parse(practiceModified);
  const o = Date.parse(outlookModified);
  // Either time unreadable: nothing says Outlook is newer, so the practice side wins.
  if (Number.isNaN(o) || Number.isNaN(p)) return "practice";
  const ps = Math.floor(p / 1000);
  const os = Math.floor(o / 1000);
  return os === ps ? tie : os > ps ? "outlook" : "practice";
}

function hasUntrimmedString(value: unknown): boolean {
  if (typeof value === "string") return value !== "" && normalizeString(value) !== value;
  if (Array.isArray(value)) return value.some(hasUntrimmedString);
  if (value && typeof value === "object") return Object.values(value).some(hasUntrimmedString);
  return false;
}

/**
 * R4: the fields whose stored value carries blanks that normalization removes. Deliberately narrower
 * than "raw differs from normalized": Graph returns unset strings as "" or null and unset addresses as
 * {} however they were written, and rewriting those would never converge.
 */
export function fieldsToWriteBack(raw: ContactFields, opts: { dates?: boolean } = {}): Set<FieldName> {
  const out = new Set<FieldName>();
  for (const spec of FIELD_SPECS) {
    const v = (raw as Rec)[spec.name];
    if (v === undefined || v === null) continue;
    if (hasUntrimmedString(v)) out.add(spec.name);
    else if (opts.dates && spec.kind === "date" && typeof v === "string" && v.length > 10) out.add(spec.name);
  }
  return out;
}

const LABELS = new Map(FIELD_SPECS.map((s) => [s.name, s.label]));

/** The three-way merge itself. Runs only for pairs where at least one side changed. */
export function mergeRecords(input: MergeInput): MergeResult {
  const { base, practice, outlook, wholeRecord } = input;
  const baseRec = (base ?? {}) as Rec;
  const oBaseRec = (base && input.outlookBase ? input.outlookBase : capFields(base ?? {})) as Rec;
  const pRec = (practice?.fields ?? base ?? {}) as Rec;
  const oRec = (outlook?.fields ?? oBaseRec) as Rec;

  const practiceChanged: FieldName[] = [];
  const outlookChanged: FieldName[] = [];
  const contested: FieldName[] = [];
  const keys: { f: FieldName; kp: string; ko: string; pc: boolean; oc: boolean }[] = [];
  for (const s of FIELD_SPECS) {
    const f = s.name;
    // Most fields of most contacts are empty on all three sides: nothing to compare.
    if (baseRec[f] === undefined && oBaseRec[f] === undefined && pRec[f] === undefined && oRec[f] === undefined) continue;
    const kb = valueKey(baseRec[f]);
    const kbo = valueKey(oBaseRec[f]);
    const kp = practice ? valueKey(pRec[f]) : kb;
    const ko = outlook ? valueKey(oRec[f]) : kbo;
    // Without a base (R8 re-link) every field that differs counts as changed on both sides.
    const differs = valueKey(capValue(f, pRec[f])) !== ko;
    const pc = base ? kp !== kb : differs;
    const oc = base ? ko !== kbo : differs;
    if (pc) practiceChanged.push(f);
    if (oc) outlookChanged.push(f);
    keys.push({ f, kp, ko, pc, oc });
  }

  const recency = practice && outlook ? moreRecent(practice.modified, outlook.modified, input.tie) : null;
  // Only an edit competes for the whole record: the engine's own write still owed to Outlook is none.
  const wholeWinner = wholeRecord && practiceChanged.length > 0 && outlookChanged.length > 0 ? recency : null;

  const merged: Rec = {};
  const practicePatch: Rec = {};
  const outlookPatch: Rec = {};
  const fieldChanges: FieldChange[] = [];
  let mergeWrites = 0;
  let winner: Side | null = null;

  for (const { f, kp, ko, pc, oc } of keys) {
    const p = pRec[f];
    const o = oRec[f];
    let m: unknown;
    if (wholeWinner && (pc || oc) && valueKey(capValue(f, p)) !== ko) {
      // "Whole record": the most recent record wins every field that differs (the classic rule).
      m = wholeWinner === "practice" ? p : fromOutlook(f, o, p);
      winner = wholeWinner;
      if (pc && oc) contested.push(f);
    } else if (!pc && !oc) m = p; // as agreed (a value still owed to Outlook goes there), or, with no base, equal
    else if (pc && !oc) m = p;
    else if (!pc && oc) m = fromOutlook(f, o, p);
    else if (valueKey(capValue(f, p)) === ko) m = p; // both sides made the same change
    else {
      contested.push(f);
      winner = recency ?? "practice";
      m = winner === "practice" ? p : fromOutlook(f, o, p);
    }
    if (m !== undefined) merged[f] = m;
    const km = valueKey(m);
    const writePractice = km !== kp;
    const writeOutlook = valueKey(capValue(f, m)) !== ko;
    if (writePractice || writeOutlook) mergeWrites++;
    if (writePractice || practice?.needsWriteBack?.has(f)) {
      practicePatch[f] = m ?? null;
      fieldChanges.push({ field: f, label: LABELS.get(f)!, target: "practice", old: p, new: m });
    }
    if (writeOutlook || outlook?.needsWriteBack?.has(f)) {
      const capped = capValue(f, m);
      outlookPatch[f] = capped ?? null;
      fieldChanges.push({ field: f, label: LABELS.get(f)!, target: "outlook", old: o, new: capped });
    }
  }
  return {
    merged: merged as ContactFields,
    practicePatch: practicePatch as FieldPatch,
    outlookPatch: outlookPatch as FieldPatch,
    fieldChanges,
    practiceChanged,
    outlookChanged,
    contested,
    winner,
    normalizationOnly: mergeWrites === 0 && fieldChanges.length > 0,
  };
}

/** Outlook's side of a link's base (Link.outlookBase): what Outlook holds as the engine last saw or wrote it. */
export function outlookBaseOf(link: { base: ContactFields; outlookBase?: ContactFields }): ContactFields {
  return link.outlookBase ?? capFields(link.base);
}

/**
 * A link as earlier versions wrote it after a half-applied update (base holding Outlook's values for the
 * fields owed to Outlook, pendingToOutlook the practice values), read as per-side bases.
 */
export function perSideBases(link: Link): Link {
  if (!link.pendingToOutlook) return link;
  const { pendingToOutlook, ...rest } = link;
  const practice = { ...link.base } as Rec;
  for (const [f, v] of Object.entries(pendingToOutlook)) {
    if (v === null || v === undefined) delete practice[f];
    else practice[f] = v;
  }
  return { ...rest, base: normalizeFields(practice as ContactFields), outlookBase: capFields(link.base) };
}

/** Do two normalized records differ in any synced field? (R3, R11) */
export function fieldsDiffer(a: ContactFields, b: ContactFields): boolean {
  for (const s of FIELD_SPECS) {
    if (valueKey((a as Rec)[s.name]) !== valueKey((b as Rec)[s.name])) return true;
  }
  return false;
}
