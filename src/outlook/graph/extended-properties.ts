// The MAPI extended properties the adapter reads and writes on contacts.
// Formats and the one-GUID-one-name rule: research/graph-contacts.md §7; fax proptags: §1.4.
import type { FieldName } from "../../sync/model";

/**
 * The product's stamp (R2): ONE named property with a fixed GUID and name, the value carrying the
 * practice id. Never mint property names per contact: each distinct name consumes a slot in the
 * mailbox's named-property table (§7, "Limits").
 */
export const STAMP_GUID = "0aaf2070-647a-4428-85bb-6e7b34c786a2";
export const STAMP_NAME = "PracticeContactSyncId";
export const STAMP_PROPERTY_ID = `String {${STAMP_GUID}} Name ${STAMP_NAME}`;

/** Graph v1.0 has no fax properties; they live in MAPI proptags (§1.4). */
export const FAX_PROPERTIES: ReadonlyArray<{ field: Extract<FieldName, "businessFax" | "homeFax" | "otherFax">; id: string; tag: number }> = [
  { field: "businessFax", id: "String 0x3A24", tag: 0x3a24 },
  { field: "homeFax", id: "String 0x3A25", tag: 0x3a25 },
  { field: "otherFax", id: "String 0x3A23", tag: 0x3a23 },
];

export type ExtendedPropertyKey = "stamp" | "businessFax" | "homeFax" | "otherFax";

const NAMED_ID = /^String\s+\{([0-9a-f-]{36})\}\s+Name\s+(.+)$/i;
const PROPTAG_ID = /^String\s+0x([0-9a-f]{1,8})$/i;

/**
 * Which of our properties an id returned by Graph denotes. Graph may echo a proptag in its 16-bit
 * or full 32-bit form (§1.4, unconfirmed) and drops leading zeros and upper case (`'Binary 0x0E0A'`
 * came back as `"Binary 0xe0a"`: [O] Microsoft Q&A 599013, research/graph-checks.md row 13), so hex
 * is compared by value on the property id part: up to 4 significant digits is the id, more is a full tag whose
 * high 16 bits are the id. The GUID is case-insensitive, the Name part case-sensitive (§7).
 */
export function classifyPropertyId(id: string): ExtendedPropertyKey | null {
  const named = NAMED_ID.exec(id.trim());
  if (named) {
    return named[1].toLowerCase() === STAMP_GUID && named[2] === STAMP_NAME ? "stamp" : null;
  }
  const tag = PROPTAG_ID.exec(id.trim());
  if (tag) {
    const digits = tag[1].replace(/^0+(?=.)/, "");
    const n = digits.length > 4 ? parseInt(digits, 16) >>> 16 : parseInt(digits, 16);
    const fax = FAX_PROPERTIES.find((f) => f.tag === n);
    return fax ? fax.field : null;
  }
  return null;
}

/** OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `$expand` value that returns the stamp and the three fax numbers (one call cannot fetch all: §7). */
export function extendedPropertiesExpand(): string {
  const ids = [STAMP_PROPERTY_ID, ...FAX_PROPERTIES.map((f) => f.id)];
  return `singleValueExtendedProperties($filter=${ids.map((id) => `id eq ${odataString(id)}`).join(" or ")})`;
}
