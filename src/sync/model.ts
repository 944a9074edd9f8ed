// The canonical contact model shared by both stores (DESIGN §3).
// Field names and JSON shapes follow Microsoft Graph's `contact` resource so a contact
// reads the same in the practice API and in Outlook.

export interface EmailAddress {
  name?: string;
  address: string;
}

export interface PhysicalAddress {
  street?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  countryOrRegion?: string;
}

/** The synced "Contact Info" fields. Absent = empty (R3: empty string and absent are equal). */
export interface ContactFields {
  givenName?: string;
  middleName?: string;
  surname?: string;
  title?: string;
  generation?: string;
  nickName?: string;
  fileAs?: string;
  displayName?: string;
  companyName?: string;
  jobTitle?: string;
  department?: string;
  officeLocation?: string;
  profession?: string;
  emailAddresses?: EmailAddress[];
  businessPhones?: string[];
  homePhones?: string[];
  mobilePhone?: string;
  businessFax?: string;
  homeFax?: string;
  otherFax?: string;
  businessHomePage?: string;
  businessAddress?: PhysicalAddress;
  homeAddress?: PhysicalAddress;
  otherAddress?: PhysicalAddress;
  /** Calendar date, YYYY-MM-DD. */
  birthday?: string;
  spouseName?: string;
  personalNotes?: string;
  categories?: string[];
}

export type FieldName = keyof ContactFields;

/**
 * A partial update of contact fields. A key that is present with `null` clears the field;
 * a key that is absent is left alone.
 */
export type FieldPatch = { [K in FieldName]?: ContactFields[K] | null };

export type ContactKind = "client" | "standalone";

/** Practice-only attributes: never synced to Outlook, but filters can use them. */
export interface PracticeAttributes {
  clientCode?: string;
  status?: string;
  associateId?: string;
  partnerId?: string;
  managerId?: string;
  office?: string;
  entityType?: string;
}

/** An Outlook contact, named so that any device can find it again: mailbox + immutable id. */
export interface OutlookRef {
  mailbox: string;
  id: string;
}

export interface PracticeContact {
  id: string;
  kind: ContactKind;
  attributes: PracticeAttributes;
  fields: ContactFields;
  /** ISO 8601 UTC time of the record's last change (R5 recency). */
  updatedAt: string;
  /** Opaque version (the API's ETag). */
  version: string;
  /** R2: the Outlook contact this record was made from (an R7 import), kept by the practice system. */
  outlookRef?: OutlookRef;
}

export interface OutlookContact {
  /** Immutable id (Prefer: IdType="ImmutableId"). */
  id: string;
  /** Graph changeKey: changes on every write. */
  changeKey: string;
  /** ISO 8601 UTC lastModifiedDateTime (R5 recency). */
  lastModified: string;
  /**
   * ISO 8601 UTC createdDateTime, when the store reports it: a copy made in Outlook is a new item (a
   * later time), a contact restored from Deleted Items keeps its own (R2: which of two is the original).
   */
  created?: string;
  /** The product's stamp (R2): `${firmId}:${practiceId}`, absent on contacts the sync never wrote. */
  stamp?: string;
  fields: ContactFields;
}

export type LinkOrigin = "practice" | "outlook";
export type LinkState = "linked" | "excluded" | "conflict";

/** The correspondence between a practice contact and an Outlook contact (DESIGN §3). */
export interface Link {
  practiceId: string;
  outlookId: string;
  /**
   * R3's base on the practice side: the record's normalized, uncapped synced fields as the engine last
   * saw or wrote them. Outlook's side is the same record as Outlook holds it (capped, R16), unless
   * `outlookBase` says otherwise.
   */
  base: ContactFields;
  /**
   * R3's base on the Outlook side, kept apart only while the two sides differ: after a two-sided update
   * whose practice write landed and whose Outlook write did not, what the Outlook contact still holds
   * (normalized, capped). The fields where it differs from `base` are the engine's own write, still owed
   * to Outlook: not a user's edit on either side. Absent on every other link.
   */
  outlookBase?: ContactFields;
  /** Versions as last written or seen (R12). */
  practiceVersion: string;
  outlookChangeKey: string;
  origin: LinkOrigin;
  state: LinkState;
  /**
   * Written by earlier versions for a half-applied update, instead of per-side bases: `base` then held
   * Outlook's values for these fields, and this the practice values owed to Outlook. Read by
   * perSideBases() only.
   */
  pendingToOutlook?: FieldPatch;
  /** The create token of the Outlook contact's stamp, when known: kept whenever the stamp is rewritten. */
  made?: string;
  /**
   * The stamp's agreed hashes as this device last wrote or saw them. A stamp holding others was
   * written by another device since, and says what Outlook's values were then (agreed.ts).
   */
  agreed?: string;
  /** ISO time this link was last written. */
  updatedAt: string;
}

/**
 * What an Outlook contact's stamp records (R2). The stamp is the only identity that travels with the
 * contact itself, so it also carries what a lost or second cache must not forget:
 * - `origin`: the contact was born in Outlook (R7: it stays in the folder whatever the filter says);
 * - `made`: which create wrote this contact (a token unique to one create). Two live contacts with
 *   the same `made` are one contact and a copy the user made; two with different `made` for one
 *   practice record were created twice (two devices racing) or one came back from Deleted Items.
 */
export interface StampInfo {
  firmId: string;
  practiceId: string;
  origin: LinkOrigin;
  made?: string;
  /** Hashes of the values the engine last wrote to the contact (agreed.ts): not a user's edit. */
  agreed?: string;
}

// Format: `${firmId}:${practiceId}` then optional `;o=outlook`, `;m=<token>` and `;a=<hashes>`. The
// bare form is what earlier versions wrote: it reads as origin "practice" with no create token.
export function makeStamp(
  firmId: string,
  practiceId: string,
  opts: { origin?: LinkOrigin; made?: string; agreed?: string } = {},
): string {
  let s = `${firmId}:${practiceId}`;
  if (opts.origin === "outlook") s += ";o=outlook";
  if (opts.made) s += `;m=${opts.made}`;
  if (opts.agreed) s += `;a=${opts.agreed}`;
  return s;
}

export function parseStamp(stamp: string): StampInfo | null {
  const [head, ...extras] = stamp.split(";");
  const i = head.indexOf(":");
  if (i <= 0 || i === head.length - 1) return null;
  const info: StampInfo = { firmId: head.slice(0, i), practiceId: head.slice(i + 1), origin: "practice" };
  for (const e of extras) {
    if (e === "o=outlook") info.origin = "outlook";
    else if (e.startsWith("m=") && e.length > 2) info.made = e.slice(2);
    else if (e.startsWith("a=") && e.length > 2) info.agreed = e.slice(2);
  }
  return info;
}

/**
 * The record a stamp names (firm + practice id), whatever else it records: two stamps with the same
 * key point at the same practice contact. Adapters match stamps by this key (findByStamps).
 */
export function stampKey(stamp: string): string | null {
  const s = parseStamp(stamp);
  return s ? `${s.firmId}:${s.practiceId}` : null;
}
