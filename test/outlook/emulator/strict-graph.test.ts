// The emulator refuses what Microsoft does not document and answers as Graph users observed
// (research/graph-checks.md); each answer where Microsoft is silent can be switched to the other
// plausible one through POST /admin/behaviour.
import { STRICT_BEHAVIOUR } from "../../../src/outlook/emulator";
import { startHarness, IMMUTABLE, type Harness, type Json } from "./harness";

let h: Harness;
let token: string;
let folderId: string;
const enc = encodeURIComponent;
const UPN = "strict@example.test";

beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: UPN });
  folderId = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Strict" })).json.id;
  await h.admin("POST", `/mailboxes/${UPN}/contacts`, {
    folderId,
    contacts: Array.from({ length: 450 }, (_, i) => ({ givenName: `S${i}`, emailAddresses: [{ address: `s${i}@example.test` }] })),
  });
});
afterAll(() => h.close());
afterEach(() => h.admin("POST", "/behaviour", STRICT_BEHAVIOUR));

const delta = (query: string, headers: Record<string, string> = {}) => h.graph(token, "GET", `/me/contactFolders/${folderId}/contacts/delta${query}`, undefined, headers);

/** Follows a delta round to its deltaLink; returns the pages. */
async function round(first: string, headers: Record<string, string> = {}): Promise<Json[]> {
  const pages: Json[] = [];
  let r = await delta(first, headers);
  for (;;) {
    expect(r.status).toBe(200);
    pages.push(r.json);
    const next = r.json["@odata.nextLink"];
    if (!next) return pages;
    r = await h.graph(token, "GET", next, undefined, headers);
  }
}

describe("contact delta documents $select only (api/contact-delta.md)", () => {
  it.each([
    ["$expand", `$expand=${enc("singleValueExtendedProperties($filter=id eq 'String 0x3A24')")}`],
    ["$filter", `$filter=${enc("givenName eq 'S1'")}`],
    ["$top", "$top=5"],
    ["$orderby", "$orderby=givenName"],
  ])("refuses %s with Graph's error shape", async (name, query) => {
    const r = await delta(`?$select=givenName&${query}`);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("ErrorInvalidUrlQuery");
    expect(r.json.error.message).toContain(name);
    expect(r.json.error.innerError).toEqual(expect.objectContaining({ "request-id": expect.any(String), date: expect.any(String) }));
  });

  it("drops them silently when switched to that answer, and never expands extended properties", async () => {
    await h.admin("POST", "/behaviour", { deltaQueryOptions: "ignore" });
    const pages = await round(`?$select=givenName&$expand=${enc("singleValueExtendedProperties($filter=id eq 'String 0x3A24')")}`, { Prefer: "odata.maxpagesize=200" });
    const items = pages.flatMap((p) => p.value);
    expect(items).toHaveLength(450);
    expect(items.every((i: Json) => i.singleValueExtendedProperties === undefined)).toBe(true);
  });

  it("caps pages at 200 whatever the client prefers ([O] Q&A a/2052165)", async () => {
    const pages = await round("?$select=id", { Prefer: "odata.maxpagesize=1000" });
    expect(pages.map((p) => p.value.length)).toEqual([200, 200, 50]);
  });

  it("keeps three sync-state generations: an older link answers 410 SyncStateNotFound ([O] docs#2350)", async () => {
    const first = await delta("?$select=id", { Prefer: "odata.maxpagesize=200" });
    const oldNext = first.json["@odata.nextLink"];
    for (let i = 0; i < 3; i++) await delta("?$select=id", { Prefer: "odata.maxpagesize=200" });
    const gone = await h.graph(token, "GET", oldNext);
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe("SyncStateNotFound");
  });

  it("sends only the id and changeKey of an update when switched to partial items, and @removed in a first round when asked", async () => {
    const pages = await round("?$select=givenName,emailAddresses", { Prefer: 'odata.maxpagesize=200, IdType="ImmutableId"' });
    const link = pages[pages.length - 1]["@odata.deltaLink"];
    const target = pages[0].value[0];
    await h.graph(token, "PATCH", `/me/contacts/${target.id}`, { jobTitle: "Edited" }, IMMUTABLE);
    await h.admin("POST", "/behaviour", { partialDeltaItems: true });
    const next = await h.graph(token, "GET", link, undefined, IMMUTABLE);
    expect(next.json.value).toHaveLength(1);
    expect(Object.keys(next.json.value[0]).sort()).toEqual(["@odata.etag", "@odata.type", "changeKey", "id"]);

    const victim = pages[0].value[1];
    await h.graph(token, "DELETE", `/me/contacts/${victim.id}`, undefined, IMMUTABLE);
    const plain = await round("?$select=id", { Prefer: 'odata.maxpagesize=200, IdType="ImmutableId"' });
    expect(plain.flatMap((p) => p.value).some((i: Json) => i["@removed"])).toBe(false);
    await h.admin("POST", "/behaviour", { removedInFirstRound: true });
    const withRemoved = await round("?$select=id", { Prefer: 'odata.maxpagesize=200, IdType="ImmutableId"' });
    expect(withRemoved.flatMap((p) => p.value).filter((i: Json) => i["@removed"]).map((i: Json) => i.id)).toContain(victim.id);
  });
});

describe("what Outlook was seen answering", () => {
  it("echoes an unnamed email's address as its name (outlook-dev-docs#159), or null when switched", async () => {
    const c = (await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, { givenName: "Echo", emailAddresses: [{ address: "echo@example.test" }] })).json;
    expect(c.emailAddresses).toEqual([{ name: "echo@example.test", address: "echo@example.test" }]);
    expect(c.primaryEmailAddress).toEqual({ name: "echo@example.test", address: "echo@example.test" });
    await h.admin("POST", "/behaviour", { unnamedEmail: "null" });
    expect((await h.graph(token, "GET", `/me/contacts/${c.id}`)).json.emailAddresses).toEqual([{ name: null, address: "echo@example.test" }]);
  });

  it("answers birthdays as a DateTimeOffset: midnight UTC by default, another zone's midnight, or the date alone", async () => {
    const c = (await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, { givenName: "Born", birthday: "1974-07-22" })).json;
    expect(c.birthday).toBe("1974-07-22T00:00:00Z");
    await h.admin("POST", "/behaviour", { birthdayZoneOffsetMinutes: 120 });
    expect((await h.graph(token, "GET", `/me/contacts/${c.id}`)).json.birthday).toBe("1974-07-21T22:00:00Z");
    await h.admin("POST", "/behaviour", { birthdayZoneOffsetMinutes: null });
    expect((await h.graph(token, "GET", `/me/contacts/${c.id}`)).json.birthday).toBe("1974-07-22");
  });

  it("answers 500 to an address set to null (msgraph-sdk-dotnet#2368) and writes nothing; five null parts clear it", async () => {
    const c = (await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, { givenName: "Addr", homeAddress: { city: "Leeds" } })).json;
    const bad = await h.graph(token, "PATCH", `/me/contacts/${c.id}`, { givenName: "Changed", homeAddress: null });
    expect(bad.status).toBe(500);
    expect(bad.json.error.code).toBe("ErrorInternalServerError");
    const still = (await h.graph(token, "GET", `/me/contacts/${c.id}`)).json;
    expect(still.givenName).toBe("Addr");
    expect(still.homeAddress).toEqual({ city: "Leeds" });
    const cleared = await h.graph(token, "PATCH", `/me/contacts/${c.id}`, { homeAddress: { street: null, city: null, state: null, postalCode: null, countryOrRegion: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.homeAddress).toEqual({});
    await h.admin("POST", "/behaviour", { nullAddress: "clear" });
    expect((await h.graph(token, "PATCH", `/me/contacts/${c.id}`, { homeAddress: null })).status).toBe(200);
  });
});

describe("folders reached through a delegated share (concepts/outlook-get-shared-contacts-folders.md)", () => {
  const owner = "owner@example.test";
  const guest = "guest@example.test";
  let guestToken: string;
  let sharedId: string;

  beforeAll(async () => {
    const ownerToken = await h.token({ upn: owner });
    sharedId = (await h.graph(ownerToken, "POST", "/me/contactFolders", { displayName: "Shared" })).json.id;
    await h.admin("POST", "/grants", { ownerUpn: owner, granteeUpn: guest, folderId: sharedId, role: "write" });
    await h.admin("POST", `/mailboxes/${owner}/contacts`, { folderId: sharedId, contacts: [{ givenName: "Shared" }] });
    guestToken = await h.token({ upn: guest });
  });

  it("serves the documented GETs: the folder, its contacts", async () => {
    expect((await h.graph(guestToken, "GET", `/users/${owner}/contactFolders/${sharedId}`)).status).toBe(200);
    const list = await h.graph(guestToken, "GET", `/users/${owner}/contactFolders/${sharedId}/contacts`);
    expect(list.json.value.map((c: Json) => c.givenName)).toEqual(["Shared"]);
  });

  it("refuses delta through the share with 404 ErrorItemNotFound (docs#12427), or serves it when switched; an app token gets delta", async () => {
    const path = `/users/${owner}/contactFolders/${sharedId}/contacts/delta`;
    const refused = await h.graph(guestToken, "GET", path);
    expect(refused.status).toBe(404);
    expect(refused.json.error.code).toBe("ErrorItemNotFound");
    const app = await h.token({ app: true });
    expect((await h.graph(app, "GET", path)).status).toBe(200);
    await h.admin("POST", "/behaviour", { sharedFolderDelta: "allow" });
    expect((await h.graph(guestToken, "GET", path)).status).toBe(200);
  });

  it("refuses to list the mailbox's folders when only a subfolder is shared (403), or lists the shared ones when switched", async () => {
    const refused = await h.graph(guestToken, "GET", `/users/${owner}/contactFolders`);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("ErrorAccessDenied");
    await h.admin("POST", "/behaviour", { delegateRootListing: "shared-children" });
    const listed = await h.graph(guestToken, "GET", `/users/${owner}/contactFolders`);
    expect(listed.json.value.map((f: Json) => f.displayName)).toEqual(["Shared"]);
  });
});

describe("the behaviour switch", () => {
  it("shows the strict defaults and refuses unknown keys or values with 400", async () => {
    const now = await h.admin("GET", "/behaviour");
    expect(now).toMatchObject({ deltaQueryOptions: "refuse", stringFilterOnContacts: "refuse", sharedFolderDelta: "refuse", nullAddress: "error500" });
    for (const body of [{ nope: true }, { nullAddress: "maybe" }, { birthdayZoneOffsetMinutes: 5000 }, [1]]) {
      const r = await h.request("/admin/behaviour", { method: "POST", body });
      expect(r.status).toBe(400);
    }
    expect(await h.admin("GET", "/behaviour")).toEqual(now);
  });
});
