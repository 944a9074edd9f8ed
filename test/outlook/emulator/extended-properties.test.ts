// §12.7: extended properties created inline (not echoed), read with $expand, filtered with
// singleValueExtendedProperties/any(...) — Name case-sensitive, value case-insensitive — and MAPI
// proptags in short or long form (fax numbers, §1.4).
import { startHarness, type Harness, type Json } from "./harness";

const STAMP = "String {3F2504E0-4F89-11D3-9A0C-0305E82C3301} Name PracticeContactId";
const FAX = "String 0x3A24";
/** How Graph echoes a proptag id: lower case, no leading zeros ([O] Q&A 599013). */
const FAX_ECHO = "String 0x3a24";
let h: Harness;
let token: string;
let folderId: string;
let id: string;

beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: "xp@example.test" });
  folderId = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Stamped" })).json.id;
  const r = await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, {
    givenName: "Stamped",
    singleValueExtendedProperties: [
      { id: STAMP, value: "firm1:P-42" },
      { id: FAX, value: "+1 555 0100" },
    ],
  });
  expect(r.status).toBe(201);
  expect(r.json.singleValueExtendedProperties).toBeUndefined(); // not echoed (XP)
  id = r.json.id;
  await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, { givenName: "Plain" });
});
afterAll(() => h.close());

const enc = (s: string) => encodeURIComponent(s);

test("$expand with a filter on the id returns the property; GUID and type are case-insensitive", async () => {
  const r = await h.graph(token, "GET", `/me/contacts/${id}?$expand=${enc(`singleValueExtendedProperties($filter=id eq '${STAMP.toLowerCase().replace("practicecontactid", "PracticeContactId")}')`)}`);
  expect(r.status).toBe(200);
  expect(r.json.singleValueExtendedProperties).toEqual([{ id: STAMP, value: "firm1:P-42" }]);
  const both = await h.graph(token, "GET", `/me/contacts/${id}?$expand=${enc(`singleValueExtendedProperties($filter=id eq '${STAMP}' or id eq '${FAX}')`)}`);
  expect(both.json.singleValueExtendedProperties).toHaveLength(2);
});

test("the Name part is case-sensitive", async () => {
  const r = await h.graph(token, "GET", `/me/contacts/${id}?$expand=${enc(`singleValueExtendedProperties($filter=id eq '${STAMP.replace("PracticeContactId", "practicecontactid")}')`)}`);
  expect(r.json.singleValueExtendedProperties).toBeUndefined();
});

test("proptags are the same property in the 16-bit and the full 32-bit form", async () => {
  const r = await h.graph(token, "GET", `/me/contacts/${id}?$expand=${enc("singleValueExtendedProperties($filter=id eq 'String 0x3a24001F')")}`);
  expect(r.json.singleValueExtendedProperties).toEqual([{ id: FAX_ECHO, value: "+1 555 0100" }]);
  await h.graph(token, "PATCH", `/me/contacts/${id}`, { singleValueExtendedProperties: [{ id: "String 0x3A24001F", value: "+1 555 0199" }] });
  const after = await h.graph(token, "GET", `/me/contacts/${id}?$expand=${enc(`singleValueExtendedProperties($filter=id eq '${FAX}')`)}`);
  expect(after.json.singleValueExtendedProperties[0].value).toBe("+1 555 0199");
});

describe("a string $filter on a contact's extended property (documented for message and event only)", () => {
  const filter = (idText: string, value: string) =>
    `/me/contactFolders/${folderId}/contacts?$filter=${enc(`singleValueExtendedProperties/any(ep: ep/id eq '${idText}' and ep/value eq '${value}')`)}`;
  afterEach(() => h.admin("POST", "/behaviour", { stringFilterOnContacts: "refuse" }));

  test("is refused by default with Graph's error shape", async () => {
    const r = await h.graph(token, "GET", filter(STAMP, "firm1:P-42"));
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("ErrorInvalidUrlQueryFilter");
    expect(r.json.error.innerError["request-id"]).toEqual(expect.any(String));
    const startsWith = await h.graph(token, "GET", `/me/contactFolders/${folderId}/contacts?$filter=${enc(`singleValueExtendedProperties/any(ep: startswith(ep/value, 'firm1'))`)}`);
    expect(startsWith.status).toBe(400);
  });

  test("answers 200 with no contacts when switched to what was seen on events", async () => {
    await h.admin("POST", "/behaviour", { stringFilterOnContacts: "empty" });
    const r = await h.graph(token, "GET", filter(STAMP, "firm1:P-42"));
    expect(r.status).toBe(200);
    expect(r.json.value).toEqual([]);
  });

  test("when switched to evaluate: value compared case-insensitively, Name case-sensitively", async () => {
    await h.admin("POST", "/behaviour", { stringFilterOnContacts: "evaluate" });
    const hit = await h.graph(token, "GET", filter(STAMP, "FIRM1:p-42"));
  expect(hit.status).toBe(200);
  expect(hit.json.value.map((c: Json) => c.id)).toEqual([id]);
  expect(hit.json.value[0].singleValueExtendedProperties).toBeUndefined(); // not included unless expanded (XP)
    const wrongName = await h.graph(token, "GET", filter(STAMP.replace("PracticeContactId", "PRACTICECONTACTID"), "firm1:P-42"));
    expect(wrongName.json.value).toEqual([]);
  });
});

test("emailAddresses/any filter (C-LIST) and a bad filter gives 400", async () => {
  await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, { givenName: "Mail", emailAddresses: [{ address: "Find.Me@example.test" }] });
  const r = await h.graph(token, "GET", `/me/contactFolders/${folderId}/contacts?$filter=${enc("emailAddresses/any(a:a/address eq 'find.me@example.test')")}`);
  expect(r.json.value.map((c: Json) => c.givenName)).toEqual(["Mail"]);
  const bad = await h.graph(token, "GET", `/me/contactFolders/${folderId}/contacts?$filter=${enc("givenName eq")}`);
  expect(bad.status).toBe(400);
});

test("an invalid extended property id is rejected with 400 and nothing is written", async () => {
  const r = await h.graph(token, "PATCH", `/me/contacts/${id}`, { givenName: "Changed", singleValueExtendedProperties: [{ id: "Nonsense", value: "x" }] });
  expect(r.status).toBe(400);
  expect((await h.graph(token, "GET", `/me/contacts/${id}`)).json.givenName).toBe("Stamped");
});

test("the admin view lists every extended property", async () => {
  const all = await h.admin("GET", `/mailboxes/xp@example.test/folders/${folderId}/contacts`);
  const stamped = all.value.find((c: Json) => c.id === id);
  expect(stamped.singleValueExtendedProperties.map((p: Json) => p.id).sort()).toEqual([FAX_ECHO, STAMP].sort());
});

test("the three MAPI fax proptags (0x3A24 business, 0x3A25 home, 0x3A23 other) are independent properties", async () => {
  const faxes = [
    { id: "String 0x3A24", value: "b" },
    { id: "String 0x3A25", value: "h" },
    { id: "String 0x3A23", value: "o" },
  ];
  const c = (await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, { givenName: "Fax", singleValueExtendedProperties: faxes })).json;
  const filter = faxes.map((f) => `id eq '${f.id}'`).join(" or ");
  const r = await h.graph(token, "GET", `/me/contacts/${c.id}?$expand=${enc(`singleValueExtendedProperties($filter=${filter})`)}`);
  expect(r.json.singleValueExtendedProperties).toEqual(faxes.map((f) => ({ ...f, id: f.id.toLowerCase().replace("string", "String") })));
  // A null value removes one of them [U].
  await h.graph(token, "PATCH", `/me/contacts/${c.id}`, { singleValueExtendedProperties: [{ id: "String 0x3A25", value: null }] });
  const after = await h.graph(token, "GET", `/me/contacts/${c.id}?$expand=${enc(`singleValueExtendedProperties($filter=${filter})`)}`);
  expect(after.json.singleValueExtendedProperties.map((p: Json) => p.id)).toEqual(["String 0x3a24", "String 0x3a23"]);
});
