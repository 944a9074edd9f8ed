// Every property the emulator answers with exists in Microsoft's v1.0 metadata with that type
// (research/graph-v1-contact-metadata.xml, copied under fixtures/): contacts read whole, listed with
// extended properties, through delta (whole and partial items), created and patched; folders.
import { STRICT_BEHAVIOUR } from "../../../src/outlook/emulator";
import { conformance, loadMetadata } from "../graph-metadata";
import { startHarness, IMMUTABLE, type Harness, type Json } from "./harness";

const types = loadMetadata();
let h: Harness;
let token: string;
let folderId: string;
let contactId: string;
const enc = encodeURIComponent;

/** A contact with every writable property set, so every property is answered with a value. */
const everything = {
  assistantName: "Asst", birthday: "1974-07-22", businessAddress: { street: "1 High St", city: "Leeds", state: "WY", postalCode: "LS1", countryOrRegion: "UK" },
  businessHomePage: "https://example.test", businessPhones: ["+44 1", "+44 2"], children: ["Kid"], companyName: "Co", department: "Dept",
  displayName: "Dr Ann Lee", emailAddresses: [{ name: "Ann", address: "ann@example.test" }, { address: "lee@example.test" }], fileAs: "Lee, Ann",
  generation: "II", givenName: "Ann", homeAddress: { city: "York" }, homePhones: ["+44 3"], imAddresses: ["ann@im"], initials: "A.L.",
  jobTitle: "Partner", manager: "Boss", middleName: "M", mobilePhone: "+44 4", nickName: "Annie", officeLocation: "3rd", otherAddress: { street: "Other" },
  personalNotes: "Notes", profession: "Accountant", spouseName: "Sam", surname: "Lee", title: "Dr", yomiCompanyName: "Y", yomiGivenName: "Y", yomiSurname: "Y",
  categories: ["Clients"],
  singleValueExtendedProperties: [{ id: "String 0x3A24", value: "+44 5" }, { id: "String {0aaf2070-647a-4428-85bb-6e7b34c786a2} Name PracticeContactSyncId", value: "f:1" }],
};
const expand = enc("singleValueExtendedProperties($filter=id eq 'String 0x3A24' or id eq 'String {0aaf2070-647a-4428-85bb-6e7b34c786a2} Name PracticeContactSyncId')");

beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: "meta@example.test" });
  folderId = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Meta" })).json.id;
});
afterAll(() => h.close());
afterEach(() => h.admin("POST", "/behaviour", STRICT_BEHAVIOUR));

const contactProblems = (value: Json) => conformance(types, "graph.contact", value);

describe("the metadata file", () => {
  it("parses, and the checker catches a wrong property name and a wrong type", () => {
    expect(types.get("graph.contact")!.properties.get("birthday")).toBe("Edm.DateTimeOffset");
    expect(contactProblems({ id: "x", fax: "1" })).toEqual(["$.fax: no such property on graph.contact"]);
    expect(contactProblems({ birthday: "1974-07-22" })).toEqual(['$.birthday: expected Edm.DateTimeOffset, got "1974-07-22"']);
    expect(contactProblems({ homeAddress: { town: "Leeds" } })).toEqual(["$.homeAddress.town: no such property on graph.physicalAddress"]);
    expect(contactProblems({ changeKey: "k", categories: ["a"] })).toEqual([]); // inherited from outlookItem
  });
});

describe("every property the emulator answers with is in the v1.0 metadata with that type", () => {
  it("create (201) and patch (200)", async () => {
    const created = await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, everything, IMMUTABLE);
    expect(created.status).toBe(201);
    contactId = created.json.id;
    expect(contactProblems(created.json)).toEqual([]);
    const patched = await h.graph(token, "PATCH", `/me/contacts/${contactId}`, { jobTitle: "Director", homeAddress: { street: null, city: null, state: null, postalCode: null, countryOrRegion: null } }, IMMUTABLE);
    expect(patched.status).toBe(200);
    expect(contactProblems(patched.json)).toEqual([]);
  });

  it("a whole contact with its extended properties, by id and listed", async () => {
    const got = await h.graph(token, "GET", `/me/contacts/${contactId}?$expand=${expand}`, undefined, IMMUTABLE);
    expect(got.json.singleValueExtendedProperties).toHaveLength(2);
    expect(contactProblems(got.json)).toEqual([]);
    const listed = await h.graph(token, "GET", `/me/contactFolders/${folderId}/contacts?$expand=${expand}&$top=5`, undefined, IMMUTABLE);
    expect(listed.json.value).toHaveLength(1);
    for (const c of listed.json.value) expect(contactProblems(c)).toEqual([]);
  });

  it.each([
    ["whole delta items", {}],
    ["partial delta items and @removed in a first round", { partialDeltaItems: true, removedInFirstRound: true }],
    ["birthdays in another zone", { birthdayZoneOffsetMinutes: -300 }],
  ])("%s", async (_what, behaviour) => {
    await h.admin("POST", "/behaviour", behaviour);
    const first = await h.graph(token, "GET", `/me/contactFolders/${folderId}/contacts/delta`, undefined, IMMUTABLE);
    for (const c of first.json.value) expect(contactProblems(c)).toEqual([]);
    await h.graph(token, "PATCH", `/me/contacts/${contactId}`, { nickName: "Ann2" }, IMMUTABLE);
    const next = await h.graph(token, "GET", first.json["@odata.deltaLink"], undefined, IMMUTABLE);
    expect(next.json.value.length).toBeGreaterThan(0);
    for (const c of next.json.value) expect(contactProblems(c)).toEqual([]);
  });

  it("folders", async () => {
    const list = await h.graph(token, "GET", "/me/contactFolders");
    for (const f of list.json.value) expect(conformance(types, "graph.contactFolder", f)).toEqual([]);
    const one = await h.graph(token, "GET", `/me/contactFolders/${folderId}`);
    expect(conformance(types, "graph.contactFolder", one.json)).toEqual([]);
  });
});
