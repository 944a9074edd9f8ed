// The practice API's flat contact JSON ⇄ the engine's PracticeContact (DESIGN §3).
// The API puts fields, attributes and metadata side by side, as Graph does; the engine keeps
// fields (synced) and attributes (practice-only) apart. Shared by the client and the server.
import { FIELD_NAMES, isFieldName } from "../sync/fields";
import type { ContactFields, ContactKind, FieldName, FieldPatch, PracticeAttributes, PracticeContact } from "../sync/model";
import type { OutlookRef } from "../sync/ports";

export const ATTRIBUTE_NAMES = [
  "clientCode",
  "status",
  "associateId",
  "partnerId",
  "managerId",
  "office",
  "entityType",
] as const satisfies readonly (keyof PracticeAttributes)[];

export type AttributeName = (typeof ATTRIBUTE_NAMES)[number];

const ATTRIBUTE_SET = new Set<string>(ATTRIBUTE_NAMES);

export function isAttributeName(name: string): name is AttributeName {
  return ATTRIBUTE_SET.has(name);
}

/** The API's contact: fields, attributes and metadata in one object. */
export type ApiContact = ContactFields &
  PracticeAttributes & { id: string; kind: ContactKind; updatedAt: string; version: string; outlookRef?: OutlookRef };

/** A flat partial update: `null` clears, absent leaves alone. */
export type ApiContactPatch = FieldPatch & { [K in AttributeName]?: string | null };

/** A flat create body. */
export type ApiContactCreate = ContactFields & PracticeAttributes & { kind: ContactKind };

/**
 * The Outlook contact a record was made from rides along (practice-only, never a synced field): the
 * engine pairs an unstamped Outlook contact with the record made from it (R2, R13).
 */
export function toApiContact(c: PracticeContact): ApiContact {
  const out: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) if (c.fields[name] !== undefined) out[name] = c.fields[name];
  for (const name of ATTRIBUTE_NAMES) if (c.attributes[name] !== undefined) out[name] = c.attributes[name];
  out.id = c.id;
  out.kind = c.kind;
  out.updatedAt = c.updatedAt;
  out.version = c.version;
  if (c.outlookRef) out.outlookRef = { mailbox: c.outlookRef.mailbox, id: c.outlookRef.id };
  return out as unknown as ApiContact;
}

/** Splits a flat API contact into the engine's shape; unknown keys are dropped. */
export function fromApiContact(api: ApiContact): PracticeContact {
  const { fields, attributes } = splitFlat(api as unknown as Record<string, unknown>);
  return {
    id: api.id,
    kind: api.kind,
    attributes: attributes as PracticeAttributes,
    fields: fields as ContactFields,
    updatedAt: api.updatedAt,
    version: api.version,
    ...(api.outlookRef ? { outlookRef: { mailbox: api.outlookRef.mailbox, id: api.outlookRef.id } } : {}),
  };
}

/** Separates the synced fields from the practice attributes of any flat object. */
export function splitFlat(flat: Record<string, unknown>): {
  fields: Record<string, unknown>;
  attributes: Record<string, unknown>;
} {
  const fields: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  // Object.keys, not Object.entries: a listing maps 50,000 contacts, and the pair arrays were its garbage.
  for (const k of Object.keys(flat)) {
    const v = flat[k];
    if (v === undefined) continue;
    if (isFieldName(k)) fields[k] = v;
    else if (isAttributeName(k)) attributes[k] = v;
  }
  return { fields, attributes };
}

/** The engine's field patch as the API's flat patch (attributes are never patched by the engine). */
export function toApiPatch(patch: FieldPatch): ApiContactPatch {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch) as [FieldName, unknown][]) {
    if (v !== undefined) out[k] = v;
  }
  return out as ApiContactPatch;
}
