// The field catalogue: every synced field with its kind and its Outlook cap (DESIGN §3, R16).
// Caps come from Graph's multi-value limits (research/graph-contacts.md §1.2).
import type { FieldName } from "./model";

export type FieldKind = "string" | "date" | "stringList" | "emailList" | "address";

export interface FieldSpec {
  name: FieldName;
  kind: FieldKind;
  /** Human label, as Outlook shows it. */
  label: string;
  /** Max entries Outlook accepts for a collection (R16); undefined = no cap. */
  outlookCap?: number;
  /** Max length a single string value may have (the practice API enforces it). */
  maxLength: number;
}

const S = (name: FieldName, label: string, maxLength = 255): FieldSpec => ({ name, kind: "string", label, maxLength });

export const FIELD_SPECS: readonly FieldSpec[] = [
  S("title", "Title"),
  S("givenName", "First name"),
  S("middleName", "Middle name"),
  S("surname", "Last name"),
  S("generation", "Suffix"),
  S("nickName", "Nickname"),
  S("fileAs", "File as"),
  S("displayName", "Display name"),
  S("companyName", "Company"),
  S("jobTitle", "Job title"),
  S("department", "Department"),
  S("officeLocation", "Office"),
  S("profession", "Profession"),
  { name: "emailAddresses", kind: "emailList", label: "Email", outlookCap: 3, maxLength: 320 },
  { name: "businessPhones", kind: "stringList", label: "Business phone", outlookCap: 2, maxLength: 64 },
  { name: "homePhones", kind: "stringList", label: "Home phone", outlookCap: 2, maxLength: 64 },
  S("mobilePhone", "Mobile phone", 64),
  S("businessFax", "Business fax", 64),
  S("homeFax", "Home fax", 64),
  S("otherFax", "Other fax", 64),
  S("businessHomePage", "Web page", 2048),
  { name: "businessAddress", kind: "address", label: "Business address", maxLength: 1024 },
  { name: "homeAddress", kind: "address", label: "Home address", maxLength: 1024 },
  { name: "otherAddress", kind: "address", label: "Other address", maxLength: 1024 },
  { name: "birthday", kind: "date", label: "Birthday", maxLength: 10 },
  S("spouseName", "Spouse/partner"),
  S("personalNotes", "Notes", 32768),
  { name: "categories", kind: "stringList", label: "Categories", maxLength: 255 },
];

export const FIELD_NAMES: readonly FieldName[] = FIELD_SPECS.map((f) => f.name);

const byName = new Map<FieldName, FieldSpec>(FIELD_SPECS.map((f) => [f.name, f]));

export function fieldSpec(name: FieldName): FieldSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`Unknown contact field: ${name}`);
  return spec;
}

export function isFieldName(name: string): name is FieldName {
  return byName.has(name as FieldName);
}

export const ADDRESS_PARTS = ["street", "city", "state", "postalCode", "countryOrRegion"] as const;
