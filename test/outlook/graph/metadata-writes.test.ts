// What the adapter asks for and writes uses only properties of Microsoft's v1.0 metadata, with their
// types (research/graph-v1-contact-metadata.xml, copied under test/outlook/emulator/fixtures/).
import { CONTACT_SELECT, fieldsToCreateBody, patchToGraphBody } from "../../../src/outlook/graph/contact-mapping";
import { DELTA_SELECT } from "../../../src/outlook/graph/delta-reader";
import type { ContactFields, FieldPatch } from "../../../src/sync/model";
import { FIELD_NAMES } from "../../../src/sync/fields";
import { conformance, loadMetadata, propertyType } from "../graph-metadata";

const types = loadMetadata();

const fields: ContactFields = {
  title: "Dr", givenName: "Ann", middleName: "M", surname: "Lee", generation: "II", nickName: "Annie", fileAs: "Lee, Ann", displayName: "Dr Ann Lee",
  companyName: "Co", jobTitle: "Partner", department: "Tax", officeLocation: "3rd", profession: "Accountant",
  emailAddresses: [{ name: "Ann", address: "ann@example.test" }, { address: "lee@example.test" }], businessPhones: ["1", "2"], homePhones: ["3"],
  mobilePhone: "4", businessHomePage: "https://example.test", businessAddress: { street: "1 High St", city: "Leeds" }, homeAddress: { city: "York" },
  otherAddress: { countryOrRegion: "UK" }, birthday: "1974-07-22", spouseName: "Sam", personalNotes: "n", categories: ["Clients"],
  businessFax: "5", homeFax: "6", otherFax: "7",
};

/** A write body, with the birthday the adapter sends as a date (the C-UPD example does) read as its instant. */
function asRead(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  if (typeof out.birthday === "string") out.birthday = `${out.birthday}T00:00:00Z`;
  return out;
}

describe("the adapter against the v1.0 metadata", () => {
  it("selects only contact properties, on reads and on delta", () => {
    for (const name of [...CONTACT_SELECT.split(","), ...DELTA_SELECT.split(",")]) {
      expect([name, propertyType(types, "graph.contact", name) !== undefined]).toEqual([name, true]);
    }
  });

  it("creates with only contact properties of the right types (the stamp and faxes as extended properties)", () => {
    const body = fieldsToCreateBody(fields, "firm:p1");
    expect(conformance(types, "graph.contact", asRead(body))).toEqual([]);
  });

  it("patches, clearing every field, with only contact properties of the right types", () => {
    const clear = Object.fromEntries(FIELD_NAMES.map((n) => [n, null])) as FieldPatch;
    const body = patchToGraphBody(clear, { stamp: "firm:p1", displayName: "Ann" });
    expect(conformance(types, "graph.contact", asRead(body))).toEqual([]);
    // an address is cleared as its five parts, each an Edm.String property set to null
    expect(body.homeAddress).toEqual({ street: null, city: null, state: null, postalCode: null, countryOrRegion: null });
  });
});
