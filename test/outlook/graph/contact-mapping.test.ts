// Graph contact JSON ⇄ canonical fields, without a server.
import { MalformedResponseError } from "../../../src/sync/ports";
import type { ContactFields } from "../../../src/sync/model";
import {
  CONTACT_SELECT,
  capViolation,
  extendedValuesOf,
  fieldsToCreateBody,
  graphToOutlookContact,
  patchToGraphBody,
} from "../../../src/outlook/graph/contact-mapping";
import { readBirthday } from "../../../src/outlook/graph/contact-mapping";
import { STAMP_PROPERTY_ID, classifyPropertyId, extendedPropertiesExpand } from "../../../src/outlook/graph/extended-properties";
import { FIELD_NAMES } from "../../../src/sync/fields";

const base = { id: "AAkA1", changeKey: "CK1", lastModifiedDateTime: "2026-11-25T06:00:00Z" };

describe("reading a Graph contact", () => {
  it("maps every catalogue field, the faxes and the stamp", () => {
    const c = graphToOutlookContact({
      ...base,
      givenName: "Ann",
      middleName: "B",
      surname: "Lee",
      title: "Dr",
      generation: "Jr",
      nickName: "Annie",
      fileAs: "Lee, Ann",
      displayName: "Ann Lee",
      companyName: "Harbour",
      jobTitle: "Partner",
      department: "Tax",
      officeLocation: "Level 2",
      profession: "Accountant",
      emailAddresses: [{ name: "Ann", address: "ann@example.com", type: "personal" }, { name: null, address: "a2@example.com" }],
      businessPhones: ["+1 1", "+1 2"],
      homePhones: ["+1 3"],
      mobilePhone: "+1 4",
      businessHomePage: "https://example.com",
      businessAddress: { street: "1 Main St\nSuite 4", city: "Town", state: "ST", postalCode: "123", countryOrRegion: "NZ" },
      homeAddress: { postalCode: "9", street: "" },
      otherAddress: { city: "Elsewhere" },
      birthday: "1974-07-22T00:00:00Z",
      spouseName: "Bo",
      personalNotes: "line 1\nline 2",
      categories: ["Clients"],
      singleValueExtendedProperties: [
        { id: STAMP_PROPERTY_ID, value: "firm1:p42" },
        { id: "String 0x3A24", value: "+1 5" },
        { id: "String 0x3a25001f", value: "+1 6" },
        { id: "String 0x3A23", value: "+1 7" },
      ],
    });
    expect(c).toEqual({
      id: "AAkA1",
      changeKey: "CK1",
      lastModified: "2026-11-25T06:00:00Z",
      stamp: "firm1:p42",
      fields: {
        givenName: "Ann",
        middleName: "B",
        surname: "Lee",
        title: "Dr",
        generation: "Jr",
        nickName: "Annie",
        fileAs: "Lee, Ann",
        displayName: "Ann Lee",
        companyName: "Harbour",
        jobTitle: "Partner",
        department: "Tax",
        officeLocation: "Level 2",
        profession: "Accountant",
        emailAddresses: [{ name: "Ann", address: "ann@example.com" }, { address: "a2@example.com" }],
        businessPhones: ["+1 1", "+1 2"],
        homePhones: ["+1 3"],
        mobilePhone: "+1 4",
        businessFax: "+1 5",
        homeFax: "+1 6",
        otherFax: "+1 7",
        businessHomePage: "https://example.com",
        businessAddress: { street: "1 Main St\nSuite 4", city: "Town", state: "ST", postalCode: "123", countryOrRegion: "NZ" },
        homeAddress: { postalCode: "9" },
        otherAddress: { city: "Elsewhere" },
        birthday: "1974-07-22",
        spouseName: "Bo",
        personalNotes: "line 1\nline 2",
        categories: ["Clients"],
      },
    });
    // every catalogue field was exercised
    expect(Object.keys(c.fields).sort()).toEqual([...FIELD_NAMES].sort());
  });

  it("treats Graph's empty defaults as absent: \"\" strings, {} addresses, [] lists, null", () => {
    const c = graphToOutlookContact({ ...base, fileAs: "", personalNotes: "", homeAddress: {}, businessPhones: [], emailAddresses: [], mobilePhone: null, birthday: null });
    expect(c.fields).toEqual({});
    expect(c.stamp).toBeUndefined();
  });

  it("takes the changeKey from @odata.etag when changeKey is not selected", () => {
    const c = graphToOutlookContact({ id: "x", "@odata.etag": 'W/"EQAB"', lastModifiedDateTime: "2026-01-01T00:00:00Z" });
    expect(c.changeKey).toBe("EQAB");
  });

  it("ignores foreign extended properties and a stamp of another GUID or name", () => {
    const c = graphToOutlookContact({
      ...base,
      singleValueExtendedProperties: [
        { id: "String {00000000-0000-0000-0000-000000000000} Name PracticeContactSyncId", value: "x" },
        { id: STAMP_PROPERTY_ID.replace("PracticeContactSyncId", "practicecontactsyncid"), value: "y" },
        { id: "String 0x3A1F", value: "other phone" },
      ],
    });
    expect(c.stamp).toBeUndefined();
    expect(c.fields).toEqual({});
  });

  it.each([
    ["a contact without id", { changeKey: "a", lastModifiedDateTime: "x" }, /no id/],
    ["a number for a string", { ...base, givenName: 5 }, /givenName is not a string/],
    ["an object for a list", { ...base, businessPhones: { a: 1 } }, /businessPhones is not an array/],
    ["a non-date birthday", { ...base, birthday: "soon" }, /birthday/],
    ["an address that is a string", { ...base, homeAddress: "1 Main St" }, /homeAddress is not an object/],
    ["no changeKey", { id: "x", lastModifiedDateTime: "x" }, /changeKey/],
  ])("rejects %s as malformed", (_what, raw, message) => {
    expect(() => graphToOutlookContact(raw)).toThrow(MalformedResponseError);
    expect(() => graphToOutlookContact(raw)).toThrow(message);
  });

  it("keeps non-ASCII, multi-line and long values exactly", () => {
    const long = "x".repeat(10_000);
    const c = graphToOutlookContact({ ...base, givenName: "Zoë 李 Ωmega 🙂", personalNotes: `a\r\nb\n${long}` });
    expect(c.fields.givenName).toBe("Zoë 李 Ωmega 🙂");
    expect(c.fields.personalNotes).toBe(`a\r\nb\n${long}`);
  });

  it("fills in extended values Graph does not echo on writes", () => {
    const c = graphToOutlookContact({ ...base, givenName: "A" }, { stamp: "f:1", businessFax: "9" });
    expect(c.stamp).toBe("f:1");
    expect(c.fields.businessFax).toBe("9");
  });
});

describe("writing a Graph contact", () => {
  const fields: ContactFields = {
    givenName: "Ann",
    displayName: "Ann Lee",
    emailAddresses: [{ name: "Ann", address: "a@example.com" }, { address: "b@example.com" }],
    businessAddress: { city: "Town" },
    businessFax: "+1 5",
    birthday: "1974-07-22",
  };

  it("creates with the stamp and faxes as extended properties and whole addresses", () => {
    expect(fieldsToCreateBody(fields, "firm:p1")).toEqual({
      givenName: "Ann",
      displayName: "Ann Lee",
      emailAddresses: [{ name: "Ann", address: "a@example.com" }, { address: "b@example.com" }],
      businessAddress: { street: null, city: "Town", state: null, postalCode: null, countryOrRegion: null },
      birthday: "1974-07-22",
      singleValueExtendedProperties: [
        { id: STAMP_PROPERTY_ID, value: "firm:p1" },
        { id: "String 0x3A24", value: "+1 5" },
      ],
    });
  });

  it("patches only the given keys, clears with null/[] (an address as its five parts) and resends the display name", () => {
    const body = patchToGraphBody({ givenName: "Anna", homePhones: null, homeAddress: null, homeFax: null, mobilePhone: null }, { displayName: "Ann Lee" });
    expect(body).toEqual({
      givenName: "Anna",
      homePhones: [],
      // A null address was seen answering 500 (msgraph-sdk-dotnet#2368).
      homeAddress: { street: null, city: null, state: null, postalCode: null, countryOrRegion: null },
      mobilePhone: null,
      displayName: "Ann Lee",
      singleValueExtendedProperties: [{ id: "String 0x3A25", value: "" }],
    });
  });

  it("sends the patch's own displayName rather than the remembered one", () => {
    expect(patchToGraphBody({ displayName: "New" }, { displayName: "Old" })).toEqual({ displayName: "New" });
  });

  it("rewrites the stamp when asked", () => {
    expect(patchToGraphBody({}, { stamp: "f:2" })).toEqual({ singleValueExtendedProperties: [{ id: STAMP_PROPERTY_ID, value: "f:2" }] });
  });

  it("refuses collections above Outlook's caps (R16)", () => {
    const four = ["a", "b", "c", "d"].map((x) => ({ address: `${x}@example.com` }));
    expect(capViolation({ emailAddresses: four })).toMatch(/Email: 4 values, Outlook holds at most 3/);
    expect(capViolation({ businessPhones: ["1", "2", "3"], homePhones: ["1", "2", "3"] })).toMatch(/Business phone.*Home phone/);
    expect(capViolation({ emailAddresses: four.slice(0, 3), businessPhones: ["1", "2"] })).toBeNull();
  });

  it("reports the extended values a write carries", () => {
    expect(extendedValuesOf({ businessFax: "1", homeFax: null }, "s")).toEqual({ stamp: "s", businessFax: "1", homeFax: undefined });
  });
});

describe("extended property ids and queries", () => {
  it("recognises proptags in short and long form, any case", () => {
    expect(classifyPropertyId("String 0x3A24")).toBe("businessFax");
    expect(classifyPropertyId("string 0x3a24001F")).toBe("businessFax");
    expect(classifyPropertyId("String 0x3A23")).toBe("otherFax");
    expect(classifyPropertyId(STAMP_PROPERTY_ID.toUpperCase().replace("PRACTICECONTACTSYNCID", "PracticeContactSyncId"))).toBe("stamp");
  });

  it("recognises proptags echoed without leading zeros (Q&A 599013: 'Binary 0x0E0A' came back as 'Binary 0xe0a')", () => {
    expect(classifyPropertyId("String 0x3a24")).toBe("businessFax");
    expect(classifyPropertyId("String 0x03A25")).toBe("homeFax");
    expect(classifyPropertyId("String 0x3a23001f")).toBe("otherFax");
    expect(classifyPropertyId("String 0x3A2")).toBeNull();
    expect(classifyPropertyId("String 0xe0a")).toBeNull();
  });

  it("builds the $expand with OData quoting", () => {
    expect(extendedPropertiesExpand()).toContain(`id eq '${STAMP_PROPERTY_ID}' or id eq 'String 0x3A24'`);
  });

  it("selects every mapped Graph property and no fax (faxes are not contact properties)", () => {
    const select = CONTACT_SELECT.split(",");
    expect(select).toEqual(expect.arrayContaining(["id", "changeKey", "lastModifiedDateTime", "emailAddresses", "birthday", "categories"]));
    expect(select).not.toContain("businessFax");
  });
});

describe("what Outlook echoes is not an edit", () => {
  it("reads an email whose name is its own address (Outlook's echo of an unnamed one) as unnamed", () => {
    const c = graphToOutlookContact({
      ...base,
      emailAddresses: [
        { name: "a@example.com", address: "a@example.com" },
        { name: "B@Example.com", address: "b@example.com" },
        { name: "Ann", address: "c@example.com" },
      ],
    });
    expect(c.fields.emailAddresses).toEqual([{ address: "a@example.com" }, { address: "b@example.com" }, { name: "Ann", address: "c@example.com" }]);
  });

  it.each([
    ["1974-07-22", "1974-07-22"],
    ["1974-07-22T00:00:00Z", "1974-07-22"],
    ["1974-07-21T22:00:00Z", "1974-07-22"], // local midnight at UTC+2
    ["1974-07-22T05:00:00Z", "1974-07-22"], // local midnight at UTC-5
    ["1974-07-22T11:59:00Z", "1974-07-22"], // MS-ASCNTC's 11:59
    ["1974-07-22T11:59:00.000Z", "1974-07-22"],
    ["1974-07-22T00:00:00+02:00", "1974-07-22"], // a local wall time reads as written
    ["1974-07-22T23:30:00-05:00", "1974-07-22"],
  ])("reads birthday %s as %s", (raw, date) => {
    expect(readBirthday(raw)).toBe(date);
  });

  it.each(["1974-13-01", "22/07/1974", "1974-07-22T25:00:00Z"])("refuses birthday %s", (raw) => {
    expect(() => readBirthday(raw)).toThrow(MalformedResponseError);
  });
});
