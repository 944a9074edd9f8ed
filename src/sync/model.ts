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

export interface PracticeContact {
  id: string;
  kind: ContactKind;
  attributes: PracticeAttributes;
  fields: ContactFields;
  /** ISO 8601 UTC time of the record's last change (R5 recency). */
  updatedAt: string;
  /** Opaque version (the API's ETag). */
  version: string;
}

export interface OutlookContact {
  /** Immutable id (Prefer: IdType="ImmutableId"). */
  id: string;
  /** Graph changeKey: changes on every write. */
  changeKey: string;
  /** ISO 8601 UTC lastModifiedDateTime (R5 recency). */
  lastModified: string;
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
  /** Normalized synced fields as last agreed by both sides (R3's base). */
  base: ContactFields;
  /** Versions as last written or seen (R12). */
  practiceVersion: string;
  outlookChangeKey: string;
  origin: LinkOrigin;
  state: LinkState;
  /**
   * A half-applied two-sided update (the practice write landed, the Outlook one did not): the values
   * the engine wrote to the practice record that Outlook does not hold yet (null = cleared). While the
   * practice record still holds them they are the engine's own write, not a user's edit, so they do
   * not make the practice record the more recent one (R5). Absent on every other link.
   */
  pendingToOutlook?: FieldPatch;
  /** ISO time this link was last written. */
  updatedAt: string;
}

/** Builds and parses the stamp value (R2): firm id + practice id. */
export function makeStamp(firmId: string, practiceId: string): string {
  return `${firmId}:${practiceId}`;
}

export function parseStamp(stamp: string): { firmId: string; practiceId: string } | null {
  const i = stamp.indexOf(":");
  if (i <= 0 || i === stamp.length - 1) return null;
  return { firmId: stamp.slice(0, i), practiceId: stamp.slice(i + 1) };
}
