// Value checks the in-memory stores apply to writes, as the real stores do: the practice API
// validates types, lengths and dates (400/422); Graph validates shapes and its collection caps.
import { ADDRESS_PARTS, fieldSpec, isFieldName } from "../../src/sync/fields";
import type { FieldName } from "../../src/sync/model";

export interface ValidationRules {
  /** Enforce FIELD_SPECS maxLength on strings (the practice API does; Graph's limits are not documented). */
  lengths: boolean;
  /** Enforce Outlook's collection caps (R16): Graph answers 400 beyond them. */
  outlookCaps: boolean;
  /** Accept an ISO date-time for birthday (Graph's DateTimeOffset) besides YYYY-MM-DD. */
  dateTimeBirthday: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function validDate(s: string, allowTime: boolean): boolean {
  const m = DATE.exec(s) ?? (allowTime ? DATE_TIME.exec(s) : null);
  if (!m) return false;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}`;
}

function checkString(name: string, v: unknown, max: number, rules: ValidationRules): string | null {
  if (typeof v !== "string") return `${name} must be text.`;
  if (rules.lengths && v.length > max) return `${name} is longer than ${max} characters.`;
  return null;
}

function checkValue(name: FieldName, v: unknown, rules: ValidationRules): string | null {
  const spec = fieldSpec(name);
  switch (spec.kind) {
    case "string":
      return checkString(name, v, spec.maxLength, rules);
    case "date":
      if (typeof v !== "string" || !validDate(v, rules.dateTimeBirthday)) return `${name} is not a valid date.`;
      return null;
    case "stringList": {
      if (!Array.isArray(v)) return `${name} must be a list of text values.`;
      for (const item of v) {
        const e = checkString(name, item, spec.maxLength, rules);
        if (e) return e;
      }
      break;
    }
    case "emailList": {
      if (!Array.isArray(v)) return `${name} must be a list of {name, address}.`;
      for (const item of v) {
        if (!item || typeof item !== "object" || Array.isArray(item)) return `${name} entries must be objects.`;
        const rec = item as Record<string, unknown>;
        for (const k of Object.keys(rec)) if (k !== "name" && k !== "address") return `${name} has an unknown key "${k}".`;
        const e = checkString(`${name}.address`, rec.address, spec.maxLength, rules);
        if (e) return e;
        if (rec.name !== undefined) {
          const n = checkString(`${name}.name`, rec.name, 255, rules);
          if (n) return n;
        }
      }
      break;
    }
    case "address": {
      if (!v || typeof v !== "object" || Array.isArray(v)) return `${name} must be an address object.`;
      for (const [k, part] of Object.entries(v as Record<string, unknown>)) {
        if (!(ADDRESS_PARTS as readonly string[]).includes(k)) return `${name} has an unknown part "${k}".`;
        if (part === undefined) continue;
        const e = checkString(`${name}.${k}`, part, 255, rules);
        if (e) return e;
      }
      return null;
    }
  }
  if (rules.outlookCaps && spec.outlookCap !== undefined && (v as unknown[]).length > spec.outlookCap) {
    const label = name.charAt(0).toUpperCase() + name.slice(1);
    return `The multi value property ${label} has ${(v as unknown[]).length} entries, that exceeds the max allowed value of ${spec.outlookCap}`;
  }
  return null;
}

/**
 * Checks a record or a patch; returns a message for the first problem, or null.
 * With allowNull, a null value (a patch clearing the field) is accepted.
 */
export function checkFields(input: unknown, rules: ValidationRules, allowNull: boolean): string | null {
  if (!input || typeof input !== "object" || Array.isArray(input)) return "Fields must be an object.";
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (!isFieldName(k)) return `Unknown field "${k}".`;
    if (v === undefined || (allowNull && v === null)) continue;
    const e = checkValue(k, v, rules);
    if (e) return e;
  }
  return null;
}

/** Applies a patch to a record: null clears, absent leaves alone, collections and addresses are replaced whole. */
export function applyPatch<T extends object>(fields: T, patch: object): T {
  const out: Record<string, unknown> = { ...(fields as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = structuredClone(v);
  }
  return out as T;
}
