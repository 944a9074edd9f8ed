// Normalization and comparison of field values (R3, R4, R16).
// Normalized form: trailing blanks trimmed (at the end of every line and of the value),
// empty strings and empty collections/addresses absent, collections kept in order.
import { ADDRESS_PARTS, FIELD_SPECS, fieldSpec } from "./fields";
import type { ContactFields, EmailAddress, FieldName, PhysicalAddress } from "./model";

const TRAILING_BLANKS_PER_LINE = /[ \t\u00a0]+(?=\r?\n)/g;

/** Trims trailing blanks; returns undefined for an empty result. */
export function normalizeString(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const s = value.replace(TRAILING_BLANKS_PER_LINE, "").trimEnd();
  return s === "" ? undefined : s;
}

function normalizeStringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const s = normalizeString(item);
    if (s !== undefined) out.push(s);
  }
  return out.length ? out : undefined;
}

function normalizeEmailList(value: unknown): EmailAddress[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: EmailAddress[] = [];
  for (const item of value) {
    if (!item || typeof item !== "object") continue;
    const raw = item as Record<string, unknown>;
    const address = normalizeString(raw.address);
    if (address === undefined) continue;
    // Outlook echoes an email written without a name with the address as its name (graph-checks.md
    // #11): a name that only repeats the address says nothing, on either side.
    const given = normalizeString(raw.name);
    const name = given !== undefined && given.toLowerCase() === address.toLowerCase() ? undefined : given;
    out.push(name === undefined ? { address } : { name, address });
  }
  return out.length ? out : undefined;
}

function normalizeAddress(value: unknown): PhysicalAddress | undefined {
  if (!value || typeof value !== "object") return undefined;
  const raw = value as Record<string, unknown>;
  const out: PhysicalAddress = {};
  let any = false;
  for (const part of ADDRESS_PARTS) {
    const s = normalizeString(raw[part]);
    if (s !== undefined) {
      out[part] = s;
      any = true;
    }
  }
  return any ? out : undefined;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})/;

/** Accepts YYYY-MM-DD or an ISO date-time (Graph's birthday is a DateTimeOffset); keeps the date. */
function normalizeDate(value: unknown): string | undefined {
  const s = normalizeString(value);
  if (s === undefined) return undefined;
  const m = DATE_ONLY.exec(s);
  if (!m) return s; // kept as is: the practice API rejects invalid dates, Outlook never sends them
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function normalizeValue(name: FieldName, value: unknown): unknown {
  switch (fieldSpec(name).kind) {
    case "string":
      return normalizeString(value);
    case "date":
      return normalizeDate(value);
    case "stringList":
      return normalizeStringList(value);
    case "emailList":
      return normalizeEmailList(value);
    case "address":
      return normalizeAddress(value);
  }
}

/**
 * The display name Outlook generates for a contact saved without one (as Graph and the emulator do):
 * the name parts, else the company, else the first email address. Undefined when there is none.
 */
export function derivedDisplayName(fields: ContactFields): string | undefined {
  const rec = fields as Record<string, unknown>;
  const parts = ["givenName", "middleName", "surname", "generation"]
    .map((k) => normalizeString(rec[k]))
    .filter((v): v is string => v !== undefined);
  if (parts.length) return parts.join(" ");
  return normalizeString(rec.companyName) ?? normalizeEmailList(rec.emailAddresses)?.[0]?.address;
}

/**
 * The normalized form of a whole record: only catalogue fields, each normalized, absent when empty.
 * A displayName equal to the one Outlook would generate from the other fields counts as absent: Outlook
 * fills it in for a contact saved without one, and "no display name" and "the generated one" must
 * compare equal or that fill-in would read as an edit (see docs/sync-rules.md, display names).
 */
export function normalizeFields(fields: ContactFields): ContactFields {
  const out: Record<string, unknown> = {};
  for (const spec of FIELD_SPECS) {
    const v = normalizeValue(spec.name, (fields as Record<string, unknown>)[spec.name]);
    if (v !== undefined) out[spec.name] = v;
  }
  if (out.displayName !== undefined && out.displayName === derivedDisplayName(out as ContactFields)) delete out.displayName;
  return out as ContactFields;
}

/** A stable string for a normalized value: equal keys <=> equal values (order-sensitive for lists). */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueKey).join(",")}]`;
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${valueKey(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Equality of two values of one field after normalization (R3). */
export function sameValue(name: FieldName, a: unknown, b: unknown): boolean {
  return valueKey(normalizeValue(name, a)) === valueKey(normalizeValue(name, b));
}

/** Fields whose stored value differs from its normalized form (R4 write-back). */
export function fieldsNeedingNormalization(fields: ContactFields): FieldName[] {
  const out: FieldName[] = [];
  for (const spec of FIELD_SPECS) {
    const raw = (fields as Record<string, unknown>)[spec.name];
    if (raw === undefined || raw === null) continue;
    const norm = normalizeValue(spec.name, raw);
    if (valueKey(raw) !== valueKey(norm)) out.push(spec.name);
  }
  return out;
}

export interface CapOverflow {
  field: FieldName;
  /** Values kept in the practice system that Outlook cannot hold. */
  dropped: unknown[];
}

/** Cuts collections to Outlook's caps (R16). Returns the capped record and what did not fit. */
export function capForOutlook(fields: ContactFields): { fields: ContactFields; overflow: CapOverflow[] } {
  const out: Record<string, unknown> = { ...fields };
  const overflow: CapOverflow[] = [];
  for (const spec of FIELD_SPECS) {
    if (spec.outlookCap === undefined) continue;
    const v = out[spec.name];
    if (Array.isArray(v) && v.length > spec.outlookCap) {
      out[spec.name] = v.slice(0, spec.outlookCap);
      overflow.push({ field: spec.name, dropped: v.slice(spec.outlookCap) });
    }
  }
  return { fields: out as ContactFields, overflow };
}
