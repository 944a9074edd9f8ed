// The contact resource: what a POST/PATCH body may carry, how it is stored, and how it reads back.
// Property list: C-RES and C-UPD; output shape and null/""/[]/{} defaults: the C-GET example
// (graph-examples/contact-get-response.json).
import type { Behaviour } from "./behaviour";
import { GraphError, badRequest } from "./errors";
import type { StoredContact } from "./state-types";

const STRING_PROPS = [
  "assistantName", "businessHomePage", "companyName", "department", "displayName", "fileAs", "generation",
  "givenName", "initials", "jobTitle", "manager", "middleName", "mobilePhone", "nickName", "officeLocation",
  "personalNotes", "profession", "spouseName", "surname", "title", "yomiCompanyName", "yomiGivenName", "yomiSurname",
] as const;
const STRING_ARRAY_PROPS = ["categories", "businessPhones", "homePhones", "imAddresses", "children"] as const;
const ADDRESS_PROPS = ["homeAddress", "businessAddress", "otherAddress"] as const;
const ADDRESS_KEYS = ["street", "city", "state", "countryOrRegion", "postalCode"] as const;
const EMAIL_SLOTS = ["primaryEmailAddress", "secondaryEmailAddress", "tertiaryEmailAddress"] as const;
/** Server-managed: accepted in a body and ignored. parentFolderId in a POST is ignored too ([O] python-o365#764). */
const IGNORED_PROPS = new Set(["id", "changeKey", "createdDateTime", "lastModifiedDateTime", "parentFolderId"]);
/** Name parts whose change makes Graph regenerate displayName when it is not resent (C-RES, C-UPD). */
const NAME_PARTS = ["givenName", "middleName", "surname", "generation"];

/** Output order of the C-GET example; the emulator's extras (none) would follow. */
export const CONTACT_PROPERTIES = [
  "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "parentFolderId", "birthday", "fileAs",
  "displayName", "givenName", "initials", "middleName", "nickName", "surname", "title", "yomiGivenName", "yomiSurname",
  "yomiCompanyName", "generation", "emailAddresses", "primaryEmailAddress", "secondaryEmailAddress",
  "tertiaryEmailAddress", "imAddresses", "jobTitle", "companyName", "department", "officeLocation", "profession",
  "businessHomePage", "assistantName", "manager", "homePhones", "mobilePhone", "businessPhones", "spouseName",
  "personalNotes", "children", "homeAddress", "businessAddress", "otherAddress",
] as const;
const KNOWN_OUTPUT = new Set<string>([...CONTACT_PROPERTIES, "singleValueExtendedProperties", "multiValueExtendedProperties"]);

export interface MultiValueCaps {
  emailAddresses: number;
  businessPhones: number;
  homePhones: number;
  imAddresses: number;
}

/** [O] docs-contrib#560 for emails (3) and business phones (2); home phones and IM addresses by analogy [U]. */
export const DEFAULT_CAPS: MultiValueCaps = { emailAddresses: 3, businessPhones: 2, homePhones: 2, imAddresses: 3 };

const readError = (message: string): GraphError => badRequest(message, "RequestBodyRead");

function unknownProperty(name: string): GraphError {
  // [U] wording modelled on OData's answer to an undeclared property.
  return readError(
    `The property '${name}' does not exist on type 'microsoft.graph.contact'. Make sure to only use property names that are defined by the type.`,
  );
}

function expectString(name: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw readError(`Cannot convert the value of '${name}' to the expected type 'Edm.String'.`);
  return value;
}

function expectStringArray(name: string, value: unknown): string[] {
  if (value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw readError(`Cannot convert the value of '${name}' to the expected type 'Collection(Edm.String)'.`);
  }
  return [...(value as string[])];
}

interface EmailAddress {
  name?: string | null;
  address?: string | null;
}

function expectEmail(name: string, value: unknown): EmailAddress {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw readError(`Cannot convert the value of '${name}' to the expected type 'microsoft.graph.emailAddress'.`);
  }
  const out: EmailAddress = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // "type" appears in the C-GET example but belongs to beta's typedEmailAddress: tolerated, dropped (§1.1).
    if (k === "type" || k.startsWith("@odata.")) continue;
    if (k !== "name" && k !== "address") throw readError(`The property '${k}' does not exist on type 'microsoft.graph.emailAddress'.`);
    out[k] = expectString(`${name}.${k}`, v);
  }
  return out;
}

/** How reads look to a client: the behaviour's read-side switches; absent = as stored (admin inspection). */
export type ReadView = Pick<Behaviour, "unnamedEmail" | "birthdayZoneOffsetMinutes">;

function expectAddress(name: string, value: unknown, nullAddress: Behaviour["nullAddress"]): Record<string, string> {
  if (value === null) {
    // [O] msgraph-sdk-dotnet#2368: a contact with an address set to null answered 500 (research/graph-checks.md row 5).
    if (nullAddress === "error500") throw new GraphError(500, "ErrorInternalServerError", "An internal server error occurred. The operation failed.");
    return {};
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw readError(`Cannot convert the value of '${name}' to the expected type 'microsoft.graph.physicalAddress'.`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.startsWith("@odata.")) continue;
    if (!(ADDRESS_KEYS as readonly string[]).includes(k)) {
      throw readError(`The property '${k}' does not exist on type 'microsoft.graph.physicalAddress'.`);
    }
    const s = expectString(`${name}.${k}`, v);
    if (s !== null) out[k] = s;
  }
  return out;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function expectBirthday(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === "string") {
    // The C-UPD example sends "1974-07-22" and gets the same text back; full timestamps are normalized to UTC seconds.
    if (DATE_ONLY.test(value) && !Number.isNaN(Date.parse(value + "T00:00:00Z"))) return value;
    const parsed = Date.parse(value);
    if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(parsed)) return new Date(parsed).toISOString().slice(0, 19) + "Z";
  }
  throw readError(`Cannot convert the literal '${String(value)}' to the expected type 'Edm.DateTimeOffset'.`);
}

function capError(graphName: string, count: number, max: number): GraphError {
  // Message: [O] docs-contrib#560. The error code is not confirmed (§13): ErrorInvalidArgument is assumed.
  return badRequest(
    `The multi value property ${graphName} has ${count} entries, that exceeds the max allowed value of ${max}`,
    "ErrorInvalidArgument",
  );
}

function enforceCaps(props: Record<string, unknown>, caps: MultiValueCaps): void {
  const check = (key: keyof MultiValueCaps, graphName: string) => {
    const list = props[key];
    if (Array.isArray(list) && list.length > caps[key]) throw capError(graphName, list.length, caps[key]);
  };
  check("emailAddresses", "EmailAddresses");
  check("businessPhones", "BusinessPhones");
  check("homePhones", "HomePhones");
  check("imAddresses", "ImAddresses");
}

/** Generated the way Outlook builds a full name from its parts; company or first email as fallbacks [U]. */
export function generatedDisplayName(props: Record<string, unknown>): string {
  const parts = ["givenName", "middleName", "surname", "generation"]
    .map((k) => props[k])
    .filter((v): v is string => typeof v === "string" && v.trim() !== "");
  if (parts.length > 0) return parts.join(" ");
  if (typeof props.companyName === "string" && props.companyName.trim() !== "") return props.companyName;
  const emails = props.emailAddresses as EmailAddress[] | undefined;
  const first = emails?.find((e) => e.address);
  return first?.address ?? "";
}

/**
 * Applies a POST or PATCH body to stored props and returns the new props. Collections and addresses
 * are replaced whole ([U] OData PATCH semantics; C-UPD for structured properties). Extended
 * properties are handled by the caller; they are returned untouched in `extendedProperties`.
 */
export function applyContactBody(
  current: Record<string, unknown>,
  body: Record<string, unknown>,
  caps: MultiValueCaps,
  isCreate: boolean,
  nullAddress: Behaviour["nullAddress"] = "clear",
): { props: Record<string, unknown>; extendedProperties: unknown } {
  const props: Record<string, unknown> = { ...current };
  let extendedProperties: unknown = undefined;
  const slots: Array<[number, unknown]> = [];
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("@odata.") || IGNORED_PROPS.has(key)) continue;
    if ((STRING_PROPS as readonly string[]).includes(key)) props[key] = expectString(key, value);
    else if ((STRING_ARRAY_PROPS as readonly string[]).includes(key)) props[key] = expectStringArray(key, value);
    else if ((ADDRESS_PROPS as readonly string[]).includes(key)) props[key] = expectAddress(key, value, nullAddress);
    else if (key === "birthday") props.birthday = expectBirthday(value);
    else if (key === "emailAddresses") {
      if (value !== null && !Array.isArray(value)) {
        throw readError("Cannot convert the value of 'emailAddresses' to the expected type 'Collection(microsoft.graph.emailAddress)'.");
      }
      props.emailAddresses = ((value as unknown[] | null) ?? []).map((v, i) => expectEmail(`emailAddresses[${i}]`, v));
    } else if ((EMAIL_SLOTS as readonly string[]).includes(key)) {
      slots.push([EMAIL_SLOTS.indexOf(key as (typeof EMAIL_SLOTS)[number]), value]);
    } else if (key === "singleValueExtendedProperties") extendedProperties = value;
    else if (key === "multiValueExtendedProperties" || key === "extensions" || key === "photo") {
      throw badRequest(`The emulator does not support '${key}' on contacts.`, "ErrorInvalidRequest");
    } else throw unknownProperty(key);
  }
  // [U] The positional slots (GA March 2026, NEW) are assumed to be views of emailAddresses[0..2].
  for (const [index, value] of slots.sort((a, b) => a[0] - b[0])) {
    const list = [...((props.emailAddresses as EmailAddress[] | undefined) ?? [])];
    if (value === null) list.splice(index, 1);
    else if (index < list.length) list[index] = expectEmail(EMAIL_SLOTS[index]!, value);
    else list.push(expectEmail(EMAIL_SLOTS[index]!, value));
    props.emailAddresses = list;
  }
  enforceCaps(props, caps);
  const nameChanged = NAME_PARTS.some((k) => k in body);
  const displayNameSent = "displayName" in body && typeof body.displayName === "string" && body.displayName !== "";
  if ((isCreate && !displayNameSent) || (!isCreate && nameChanged && !("displayName" in body)) || ("displayName" in body && !displayNameSent)) {
    // C-RES/C-UPD: Graph generates displayName and may overwrite it when name parts change and it is not resent.
    props.displayName = generatedDisplayName(props);
  }
  return { props, extendedProperties };
}

/** An email as read back: unnamed ones carry their address as name when the view says so (OfficeDev/outlook-dev-docs#159). */
function emailOut(e: EmailAddress, view: ReadView | undefined): { name: string | null; address: string | null } {
  const name = e.name ?? (view?.unnamedEmail === "address" ? e.address : null) ?? null;
  return { name, address: e.address ?? null };
}

/**
 * A stored birthday as read back: a DateTimeOffset (metadata type) at the date's midnight in a zone
 * `birthdayZoneOffsetMinutes` east of UTC, written in UTC; the date alone when the view says null.
 */
function birthdayOut(stored: unknown, view: ReadView | undefined): string | null {
  if (typeof stored !== "string") return null;
  if (!view || view.birthdayZoneOffsetMinutes === null || !DATE_ONLY.test(stored)) return stored;
  const midnight = Date.parse(`${stored}T00:00:00Z`) - view.birthdayZoneOffsetMinutes * 60_000;
  return new Date(midnight).toISOString().slice(0, 19) + "Z";
}

function outputValue(contact: StoredContact, key: string, folderIdOut: string, idOut: string, view?: ReadView): unknown {
  const p = contact.props;
  switch (key) {
    case "id":
      return idOut;
    case "createdDateTime":
    case "lastModifiedDateTime":
    case "changeKey":
      return contact[key];
    case "parentFolderId":
      return folderIdOut;
    case "fileAs":
    case "personalNotes":
      return (p[key] as string | null | undefined) ?? ""; // "" when unset (C-GET)
    case "birthday":
      return birthdayOut(p.birthday, view);
    case "emailAddresses":
      return ((p.emailAddresses as EmailAddress[] | undefined) ?? []).map((e) => emailOut(e, view));
    case "primaryEmailAddress":
    case "secondaryEmailAddress":
    case "tertiaryEmailAddress": {
      const e = ((p.emailAddresses as EmailAddress[] | undefined) ?? [])[EMAIL_SLOTS.indexOf(key)];
      return e ? emailOut(e, view) : null;
    }
    case "homeAddress":
    case "businessAddress":
    case "otherAddress":
      return { ...((p[key] as Record<string, string> | undefined) ?? {}) }; // {} when unset (C-GET)
    default:
      if ((STRING_ARRAY_PROPS as readonly string[]).includes(key)) return [...((p[key] as string[] | undefined) ?? [])];
      return p[key] ?? null;
  }
}

/** Validates a $select list against the contact's properties. */
export function parseSelect(select: string | null): string[] | null {
  if (select === null || select.trim() === "") return null;
  const names = select.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!KNOWN_OUTPUT.has(name)) {
      // [U] RequestBroker--ParseUri is what Outlook endpoints answer for unknown $select names.
      throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.contact'.`, "RequestBroker--ParseUri");
    }
  }
  return names;
}

/** The JSON a client sees: @odata.etag W/"<changeKey>" (§1.3), then the properties (all, or $select plus id). */
export function serializeContact(contact: StoredContact, opts: { immutableIds: boolean; select: string[] | null; behaviour?: ReadView }): Record<string, unknown> {
  const idOut = opts.immutableIds ? contact.immutableId : contact.restId;
  const out: Record<string, unknown> = { "@odata.etag": `W/"${contact.changeKey}"` };
  const keys = opts.select ? ["id", ...opts.select.filter((k) => k !== "id" && !k.endsWith("ExtendedProperties"))] : CONTACT_PROPERTIES;
  for (const key of keys) out[key] = outputValue(contact, key, contact.folderId, idOut, opts.behaviour);
  return out;
}

export function isContactProperty(name: string): boolean {
  return KNOWN_OUTPUT.has(name);
}

/** For $filter on scalar properties: the value as a client would read it. */
export function readProperty(contact: StoredContact, key: string): unknown {
  if (!KNOWN_OUTPUT.has(key)) throw badRequest(`Could not find a property named '${key}' on type 'microsoft.graph.contact'.`, "RequestBroker--ParseUri");
  return outputValue(contact, key, contact.folderId, contact.restId);
}
