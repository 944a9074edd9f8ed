// Graph `contact` JSON ⇄ the canonical ContactFields (src/sync/model.ts). Pure functions, no I/O.
// Property names and shapes: research/graph-contacts.md §1.1; fax numbers §1.4; stamp §7.
import { FIELD_SPECS } from "../../sync/fields";
import type { ContactFields, EmailAddress, FieldName, FieldPatch, OutlookContact, PhysicalAddress } from "../../sync/model";
import { ADDRESS_PARTS } from "../../sync/fields";
import { MalformedResponseError } from "../../sync/ports";
import { FAX_PROPERTIES, STAMP_PROPERTY_ID, classifyPropertyId } from "./extended-properties";

const FAX_FIELDS: ReadonlySet<FieldName> = new Set(FAX_PROPERTIES.map((f) => f.field));

/** Catalogue fields that are plain Graph contact properties (everything but the faxes). */
export const GRAPH_FIELDS: readonly FieldName[] = FIELD_SPECS.map((s) => s.name).filter((n) => !FAX_FIELDS.has(n));

/** `$select` for reads: the mapped fields plus what the engine needs to version a contact. */
export const CONTACT_SELECT = ["id", "changeKey", "createdDateTime", "lastModifiedDateTime", ...GRAPH_FIELDS].join(",");

const KIND = new Map(FIELD_SPECS.map((s) => [s.name, s.kind]));

export interface GraphExtendedProperty {
  id: string;
  value: string | null;
}

function malformed(message: string): MalformedResponseError {
  return new MalformedResponseError("outlook", `Graph returned a malformed contact: ${message}`);
}

function readString(raw: unknown, where: string): string | undefined {
  if (raw === null || raw === undefined || raw === "") return undefined; // Graph sends "" for unset fileAs/notes (§1.1)
  if (typeof raw !== "string") throw malformed(`${where} is not a string`);
  return raw;
}

function readStringList(raw: unknown, where: string): string[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw malformed(`${where} is not an array`);
  const out = raw.map((v, i) => {
    if (typeof v !== "string") throw malformed(`${where}[${i}] is not a string`);
    return v;
  });
  return out.length ? out : undefined;
}

function readEmails(raw: unknown, where: string): EmailAddress[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw malformed(`${where} is not an array`);
  const out: EmailAddress[] = [];
  raw.forEach((item, i) => {
    if (!item || typeof item !== "object") throw malformed(`${where}[${i}] is not an object`);
    // Any extra key (the docs' example carries "type") is ignored (§1.1 "Doc artifact").
    const rec = item as Record<string, unknown>;
    const address = readString(rec.address, `${where}[${i}].address`);
    const name = readString(rec.name, `${where}[${i}].name`);
    if (address === undefined) return; // Outlook can hold a name without an address; nothing to sync
    // An address written without a name reads back with the address as its name ([O] Microsoft staff,
    // OfficeDev/outlook-dev-docs#159; research/graph-checks.md row 11): that echo is no name, not an edit.
    const echoed = name !== undefined && name.trim().toLowerCase() === address.trim().toLowerCase();
    out.push(name === undefined || echoed ? { address } : { name, address });
  });
  return out.length ? out : undefined;
}

function readAddress(raw: unknown, where: string): PhysicalAddress | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) throw malformed(`${where} is not an object`);
  const rec = raw as Record<string, unknown>;
  const out: PhysicalAddress = {};
  let any = false;
  for (const part of ADDRESS_PARTS) {
    const v = readString(rec[part], `${where}.${part}`);
    if (v !== undefined) {
      out[part] = v;
      any = true;
    }
  }
  return any ? out : undefined; // unset addresses come back as {} (§1.1)
}

const BIRTHDAY = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Graph's birthday is a DateTimeOffset ([D] metadata; research/graph-checks.md row 12); the canonical
 * model keeps the date Outlook shows. A date alone, or a time with a non-UTC offset (local wall time),
 * reads as written. A UTC time is a calendar date stored as some zone's midnight (e.g. 22:00Z the day
 * before, for UTC+2) or as 11:59 (MS-ASCNTC: the time is to be ignored), so it reads as the date of the
 * nearest UTC midnight.
 */
export function readBirthday(raw: unknown): string | undefined {
  const s = readString(raw, "birthday");
  if (s === undefined) return undefined;
  const m = BIRTHDAY.exec(s.trim());
  if (!m || Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`))) throw malformed(`birthday "${s.slice(0, 40)}" is not a date`);
  const [, date, hh, mm, ss, zone] = m;
  if (hh === undefined || (zone !== undefined && zone !== "Z" && zone !== "+00:00" && zone !== "-00:00")) return date;
  const at = Date.parse(`${date}T${hh}:${mm}:${ss ?? "00"}Z`);
  if (Number.isNaN(at)) throw malformed(`birthday "${s.slice(0, 40)}" is not a date`);
  return new Date(at + 12 * 3_600_000).toISOString().slice(0, 10);
}

/** Reads the catalogue fields of a Graph contact object (the faxes come from extended properties). */
export function graphToFields(raw: Record<string, unknown>): ContactFields {
  const out: Record<string, unknown> = {};
  for (const name of GRAPH_FIELDS) {
    const value = raw[name];
    let v: unknown;
    switch (KIND.get(name)) {
      case "string":
        v = readString(value, name);
        break;
      case "date":
        v = readBirthday(value);
        break;
      case "stringList":
        v = readStringList(value, name);
        break;
      case "emailList":
        v = readEmails(value, name);
        break;
      case "address":
        v = readAddress(value, name);
        break;
    }
    if (v !== undefined) out[name] = v;
  }
  return out as ContactFields;
}

export interface ExtendedValues {
  stamp?: string;
  businessFax?: string;
  homeFax?: string;
  otherFax?: string;
}

/** Reads our extended properties from an `$expand`ed `singleValueExtendedProperties` array. */
export function readExtendedValues(raw: unknown): ExtendedValues {
  const out: ExtendedValues = {};
  if (raw === null || raw === undefined) return out;
  if (!Array.isArray(raw)) throw malformed("singleValueExtendedProperties is not an array");
  for (const item of raw) {
    if (!item || typeof item !== "object") throw malformed("an extended property is not an object");
    const { id, value } = item as Record<string, unknown>;
    if (typeof id !== "string") throw malformed("an extended property has no id");
    const key = classifyPropertyId(id);
    const v = readString(value, `extended property ${id}`);
    if (key && v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * A whole Graph contact as the engine sees it. `known` fills in extended values Graph does not echo
 * (create and update responses omit extended properties: §7).
 */
export function graphToOutlookContact(raw: unknown, known?: ExtendedValues): OutlookContact {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw malformed("a contact is not an object");
  const rec = raw as Record<string, unknown>;
  if (typeof rec.id !== "string" || rec.id === "") throw malformed("a contact has no id");
  const changeKey = typeof rec.changeKey === "string" ? rec.changeKey : etagChangeKey(rec["@odata.etag"]);
  if (!changeKey) throw malformed(`contact ${rec.id} has no changeKey`);
  if (typeof rec.lastModifiedDateTime !== "string") throw malformed(`contact ${rec.id} has no lastModifiedDateTime`);
  const fields = graphToFields(rec);
  const ext = { ...known, ...withoutUndefined(readExtendedValues(rec.singleValueExtendedProperties)) };
  for (const f of FAX_PROPERTIES) {
    if (ext[f.field] !== undefined) fields[f.field] = ext[f.field];
  }
  const contact: OutlookContact = { id: rec.id, changeKey, lastModified: rec.lastModifiedDateTime, fields };
  if (ext.stamp !== undefined) contact.stamp = ext.stamp;
  if (typeof rec.createdDateTime === "string") contact.created = rec.createdDateTime;
  return contact;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `@odata.etag` is W/"<changeKey>" (§1.3). */
function etagChangeKey(etag: unknown): string | undefined {
  if (typeof etag !== "string") return undefined;
  const m = /^(?:W\/)?"(.*)"$/.exec(etag);
  return m ? m[1] : undefined;
}

// ---- writes ----------------------------------------------------------------------------------

/** Outlook's multi-value caps (§1.2). The engine caps first (R16); this is the last line of defence. */
const CAPS = FIELD_SPECS.filter((s) => s.outlookCap !== undefined).map((s) => ({ name: s.name, cap: s.outlookCap as number, label: s.label }));

/** A message naming every collection that would exceed Outlook's cap, or null when all fit. */
export function capViolation(fields: FieldPatch | ContactFields): string | null {
  const over: string[] = [];
  for (const { name, cap, label } of CAPS) {
    const v = (fields as Record<string, unknown>)[name];
    if (Array.isArray(v) && v.length > cap) over.push(`${label}: ${v.length} values, Outlook holds at most ${cap}`);
  }
  return over.length ? `Not sent to Outlook (R16): ${over.join("; ")}.` : null;
}

function writeValue(name: FieldName, value: unknown): unknown {
  const kind = KIND.get(name);
  if (value === null || value === undefined) {
    // Clearing an address sends its five parts as null: a null address was seen answering 500
    // ([O] msgraph-sdk-dotnet#2368; research/graph-checks.md row 5). Collections become empty,
    // other scalars null (Graph's PATCH semantics, §1.1).
    if (kind === "address") return Object.fromEntries(ADDRESS_PARTS.map((p) => [p, null]));
    return kind === "stringList" || kind === "emailList" ? [] : null;
  }
  if (kind === "address") {
    // A structured property is sent whole: every part, absent ones as null (C-UPD, §1.1).
    const rec = value as Record<string, unknown>;
    return Object.fromEntries(ADDRESS_PARTS.map((p) => [p, typeof rec[p] === "string" && rec[p] !== "" ? rec[p] : null]));
  }
  if (kind === "emailList") {
    return (value as EmailAddress[]).map((e) => (e.name ? { name: e.name, address: e.address } : { address: e.address }));
  }
  return value;
}

/**
 * The JSON body of a PATCH (or, with every field present, a POST). Keys absent from `patch` are
 * left out; `null` clears. Faxes and the stamp go in `singleValueExtendedProperties` (§1.4, §7).
 * `displayName` is always sent when known, because Graph regenerates it otherwise (§1.1).
 */
export function patchToGraphBody(patch: FieldPatch, opts: { stamp?: string; displayName?: string | null } = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of GRAPH_FIELDS) {
    if (!(name in patch)) continue;
    body[name] = writeValue(name, patch[name]);
  }
  if (!("displayName" in patch) && opts.displayName !== undefined && opts.displayName !== null) {
    body.displayName = opts.displayName;
  }
  const ext: GraphExtendedProperty[] = [];
  if (opts.stamp !== undefined) ext.push({ id: STAMP_PROPERTY_ID, value: opts.stamp });
  for (const f of FAX_PROPERTIES) {
    if (!(f.field in patch)) continue;
    // An extended property cannot be removed through a PATCH; an empty value reads back as absent.
    const v = patch[f.field];
    ext.push({ id: f.id, value: typeof v === "string" ? v : "" });
  }
  if (ext.length) body.singleValueExtendedProperties = ext;
  return body;
}

/** The JSON body of a create: only the fields that have a value, plus the stamp. */
export function fieldsToCreateBody(fields: ContactFields, stamp: string): Record<string, unknown> {
  const patch: FieldPatch = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && v !== null) (patch as Record<string, unknown>)[k] = v;
  }
  return patchToGraphBody(patch, { stamp });
}

/** The extended values a write body carries, to complete the response (Graph does not echo them). */
export function extendedValuesOf(patch: FieldPatch, stamp?: string): ExtendedValues {
  const out: ExtendedValues = {};
  if (stamp !== undefined) out.stamp = stamp;
  for (const f of FAX_PROPERTIES) {
    if (!(f.field in patch)) continue;
    const v = patch[f.field];
    out[f.field] = typeof v === "string" && v !== "" ? v : undefined;
  }
  return out;
}
