// Single-value extended properties (XP): id formats, inline writes on POST/PATCH, reads via $expand.
import { badRequest } from "./errors";
import type { ExtendedPropertyValue, StoredContact } from "./state-types";

const TYPES = ["binary", "boolean", "clsid", "currency", "double", "float", "integer", "long", "short", "systemtime", "string"];
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

function invalidId(id: string) {
  // [U] The code for a malformed extended-property id is not documented.
  return badRequest(`The extended property id '${id}' is not valid.`, "ErrorInvalidProperty");
}

/**
 * The comparison key of an extended-property id (XP formats):
 *  "{type} {guid} Name {name}": the name is case-sensitive (XP filter notes), type and GUID are not;
 *  "{type} {guid} Id 0xNNNN";
 *  "{type} 0xNNNN" or the full 32-bit tag "{type} 0xNNNNTTTT" (both forms in use: §1.4), same property.
 */
export function normalizeExtendedPropertyId(id: string): string {
  const text = id.trim();
  const firstSpace = text.indexOf(" ");
  if (firstSpace < 0) throw invalidId(id);
  const type = text.slice(0, firstSpace).toLowerCase();
  if (!TYPES.includes(type)) throw invalidId(id);
  const rest = text.slice(firstSpace + 1).trim();
  const tag = /^0x([0-9a-fA-F]{1,8})$/.exec(rest);
  if (tag) {
    const hex = tag[1]!.replace(/^0+(?=.)/, "");
    // Up to 4 significant digits: the property id; more: a full tag (leading zeros may be dropped) whose high half is the id.
    const propId = hex.length > 4 ? parseInt(hex, 16) >>> 16 : parseInt(hex, 16);
    return `${type} tag 0x${propId.toString(16).padStart(4, "0")}`;
  }
  const named = /^(\S+)\s+(Name|Id)\s+(.+)$/i.exec(rest);
  if (!named) throw invalidId(id);
  const guid = GUID.exec(named[1]!);
  if (!guid) throw invalidId(id);
  const guidKey = guid[1]!.toLowerCase();
  if (named[2]!.toLowerCase() === "name") return `${type} {${guidKey}} name ${named[3]}`;
  const num = /^0x([0-9a-fA-F]{1,4})$/.exec(named[3]!.trim());
  if (!num) throw invalidId(id);
  return `${type} {${guidKey}} id 0x${parseInt(num[1]!, 16).toString(16).padStart(4, "0")}`;
}

/**
 * The id as Graph echoes it: a proptag's hex comes back lower case without leading zeros (`'Binary 0x0E0A'`
 * read back as `"Binary 0xe0a"`: [O] Microsoft Q&A 599013; research/graph-checks.md row 13). Named ids
 * are echoed as written [I].
 */
export function echoedId(id: string): string {
  const text = id.trim();
  const m = /^(\S+)\s+0x([0-9a-fA-F]{1,8})$/.exec(text);
  return m ? `${m[1]} 0x${parseInt(m[2]!, 16).toString(16)}` : text;
}

/** Applies `singleValueExtendedProperties: [{id, value}]` from a POST/PATCH body (XP post). */
export function applyExtendedProperties(current: StoredContact["ext"], input: unknown): StoredContact["ext"] {
  const next = { ...current };
  if (input === undefined) return next;
  if (!Array.isArray(input)) throw badRequest("singleValueExtendedProperties must be an array of {id, value}.", "RequestBodyRead");
  for (const item of input) {
    if (typeof item !== "object" || item === null) throw badRequest("Each extended property must be an object {id, value}.", "RequestBodyRead");
    const { id, value } = item as { id?: unknown; value?: unknown };
    if (typeof id !== "string") throw badRequest("An extended property needs a string id.", "RequestBodyRead");
    // [U] A null value is taken as "remove the property"; Graph documents no way to delete a single one inline.
    if (value === null) {
      delete next[normalizeExtendedPropertyId(id)];
      continue;
    }
    if (typeof value !== "string") throw badRequest("An extended property value must be a string.", "RequestBodyRead");
    const key = normalizeExtendedPropertyId(id);
    next[key] = { id: current[key]?.id ?? echoedId(id), value };
  }
  return next;
}

/** Parses "$expand=singleValueExtendedProperties($filter=id eq '…' [or id eq '…'])" into normalized ids. */
export function parseExpand(expand: string | null): string[] | null {
  if (expand === null || expand.trim() === "") return null;
  const m = /^singleValueExtendedProperties\s*\(\s*\$filter\s*=\s*(.+)\)\s*$/i.exec(expand.trim());
  if (!m) {
    // XP: you cannot fetch all extended properties of an item in one call; other expansions are not emulated.
    throw badRequest(`The $expand '${expand}' is not supported: use singleValueExtendedProperties($filter=id eq '…').`, "ErrorInvalidUrlQuery");
  }
  const ids: string[] = [];
  for (const clause of m[1]!.split(/\s+or\s+/i)) {
    const c = /^\s*id\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (!c) throw badRequest(`Unsupported $expand filter: ${m[1]}`, "ErrorInvalidUrlQueryFilter");
    ids.push(normalizeExtendedPropertyId(c[1]!.replace(/''/g, "'")));
  }
  return ids;
}

/** The expanded collection, or undefined when none of the asked properties is set [U: omitted rather than []]. */
export function expandedProperties(contact: StoredContact, keys: string[] | null): ExtendedPropertyValue[] | undefined {
  if (!keys) return undefined;
  const found = keys.map((k) => contact.ext[k]).filter((v): v is ExtendedPropertyValue => v !== undefined);
  return found.length > 0 ? found.map((v) => ({ id: v.id, value: v.value })) : undefined;
}
