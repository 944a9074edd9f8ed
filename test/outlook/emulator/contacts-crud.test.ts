// §12.2/§12.3: contact CRUD, versions, caps, displayName, whole-value replacement, ids.
import { startHarness, type Harness, IMMUTABLE } from "./harness";

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: "ursula@example.test" });
});
afterAll(() => h.close());

describe("contacts CRUD", () => {
  test("POST /me/contacts answers 201 with the full contact, ids base64-like ending in '='", async () => {
    const r = await h.graph(token, "POST", "/me/contacts", { givenName: "Alex", surname: "Wilber", emailAddresses: [{ name: "Alex", address: "alex@contoso.com", type: "unknown" }] });
    expect(r.status).toBe(201);
    expect(r.json.id).toMatch(/^AAMk[A-Za-z0-9_-]+=$/);
    expect(r.json["@odata.etag"]).toBe(`W/"${r.json.changeKey}"`);
    expect(r.json.displayName).toBe("Alex Wilber");
    expect(r.json.emailAddresses).toEqual([{ name: "Alex", address: "alex@contoso.com" }]);
    expect(r.json.fileAs).toBe("");
    expect(r.json.homeAddress).toEqual({});
    expect(r.json.lastModifiedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.headers.get("etag")).toBe(r.json["@odata.etag"]);
  });

  test("GET, PATCH (200 full object, new changeKey) and DELETE (204)", async () => {
    const created = (await h.graph(token, "POST", "/me/contacts", { givenName: "Bea", surname: "Ng", businessPhones: ["1", "2"], homeAddress: { street: "1 Main", city: "Oslo" } })).json;
    const got = await h.graph(token, "GET", `/me/contacts/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.json.changeKey).toBe(created.changeKey);
    const patched = await h.graph(token, "PATCH", `/me/contacts/${created.id}`, { businessPhones: ["3"], homeAddress: { city: "Bergen" } });
    expect(patched.status).toBe(200);
    expect(patched.json.changeKey).not.toBe(created.changeKey);
    expect(patched.json.givenName).toBe("Bea");
    // Arrays and addresses are replaced whole.
    expect(patched.json.businessPhones).toEqual(["3"]);
    expect(patched.json.homeAddress).toEqual({ city: "Bergen" });
    const again = await h.graph(token, "PATCH", `/me/contacts/${created.id}`, { businessPhones: ["3"] });
    expect(again.json.changeKey).not.toBe(patched.json.changeKey); // every write regenerates it
    const del = await h.graph(token, "DELETE", `/me/contacts/${created.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    const gone = await h.graph(token, "GET", `/me/contactFolders/${created.parentFolderId}/contacts/${created.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe("ErrorItemNotFound");
    expect(gone.json.error.innerError["request-id"]).toEqual(expect.any(String));
    expect(gone.json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  test("caps: 4 emails or 3 business phones give 400 with Graph's message", async () => {
    const emails = [1, 2, 3, 4].map((i) => ({ address: `e${i}@x.test` }));
    const r = await h.graph(token, "POST", "/me/contacts", { givenName: "Cap", emailAddresses: emails });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe("The multi value property EmailAddresses has 4 entries, that exceeds the max allowed value of 3");
    const p = await h.graph(token, "POST", "/me/contacts", { givenName: "Cap", businessPhones: ["1", "2", "3"] });
    expect(p.status).toBe(400);
    expect(p.json.error.message).toContain("BusinessPhones has 3 entries");
    const hp = await h.graph(token, "POST", "/me/contacts", { givenName: "Cap", homePhones: ["1", "2", "3"] });
    expect(hp.status).toBe(400);
  });

  test("malformed id → 400 ErrorInvalidIdMalformed; ids are case-sensitive", async () => {
    const bad = await h.graph(token, "GET", "/me/contacts/not-an-id");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("ErrorInvalidIdMalformed");
    const c = (await h.graph(token, "POST", "/me/contacts", { givenName: "Case" })).json;
    const flipped = c.id.slice(0, 10) + (c.id[10] === c.id[10].toLowerCase() ? c.id[10].toUpperCase() : c.id[10].toLowerCase()) + c.id.slice(11);
    if (flipped !== c.id) {
      const r = await h.graph(token, "GET", `/me/contacts/${flipped}`);
      expect(r.status).toBe(404);
    }
  });

  test("displayName is regenerated when name parts change and it is not resent", async () => {
    const c = (await h.graph(token, "POST", "/me/contacts", { givenName: "Dan", surname: "Roe", displayName: "Danny" })).json;
    expect(c.displayName).toBe("Danny");
    const p = (await h.graph(token, "PATCH", `/me/contacts/${c.id}`, { surname: "Row" })).json;
    expect(p.displayName).toBe("Dan Row");
    const keep = (await h.graph(token, "PATCH", `/me/contacts/${c.id}`, { surname: "Rho", displayName: "Danny" })).json;
    expect(keep.displayName).toBe("Danny");
  });

  test("ImmutableId: stable across a move, REST id changes", async () => {
    const c = (await h.graph(token, "POST", "/me/contacts", { givenName: "Imm" }, IMMUTABLE)).json;
    const rest = (await h.graph(token, "GET", `/me/contacts/${c.id}`)).json;
    expect(rest.id).not.toBe(c.id);
    await h.graph(token, "DELETE", `/me/contacts/${rest.id}`);
    // Deleted Items: found by the immutable id, not by the old REST id.
    const byImm = await h.graph(token, "GET", `/me/contacts/${c.id}`, undefined, IMMUTABLE);
    expect(byImm.status).toBe(200);
    expect(byImm.json.id).toBe(c.id);
    expect(byImm.json.parentFolderId).not.toBe(c.parentFolderId);
    const byOldRest = await h.graph(token, "GET", `/me/contacts/${rest.id}`);
    expect(byOldRest.status).toBe(404);
  });

  test("unknown property and malformed JSON give clear 400s and write nothing", async () => {
    const before = (await h.graph(token, "GET", "/me/contacts?$count=true&$top=1")).json["@odata.count"];
    const r = await h.graph(token, "POST", "/me/contacts", { givenName: "X", favouriteColour: "red" });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("favouriteColour");
    const bad = await h.request("/v1.0/me/contacts", { method: "POST", raw: "{not json", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });
    expect(bad.status).toBe(400);
    const after = (await h.graph(token, "GET", "/me/contacts?$count=true&$top=1")).json["@odata.count"];
    expect(after).toBe(before);
  });
});

test("DELETE is recoverable: the contact sits in Deleted Items and can be moved back", async () => {
  const upn = "ursula@example.test";
  const c = (await h.graph(token, "POST", "/me/contacts", { givenName: "Lazarus" }, IMMUTABLE)).json;
  expect((await h.graph(token, "DELETE", `/me/contacts/${c.id}`)).status).toBe(204);
  const bin = await h.admin("GET", `/mailboxes/${upn}/folders/deleteditems/contacts`);
  const binned = bin.value.find((x: { immutableId: string }) => x.immutableId === c.id);
  expect(binned.givenName).toBe("Lazarus");
  await h.admin("POST", `/mailboxes/${upn}/contacts/${c.id}/move`, { folderId: "default" });
  const back = await h.graph(token, "GET", `/me/contactFolders/${c.parentFolderId}/contacts/${c.id}`, undefined, IMMUTABLE);
  expect(back.status).toBe(200);
  // Deleting from Deleted Items purges it.
  await h.graph(token, "DELETE", `/me/contacts/${c.id}`);
  await h.graph(token, "DELETE", `/me/contacts/${c.id}`);
  expect((await h.graph(token, "GET", `/me/contacts/${c.id}`)).status).toBe(404);
});

test("the caps are configurable (home phones, IM addresses)", async () => {
  const wide = await startHarness({ caps: { homePhones: 3, imAddresses: 4 } });
  try {
    const t = await wide.token({ upn: "wide@example.test" });
    const r = await wide.graph(t, "POST", "/me/contacts", { givenName: "W", homePhones: ["1", "2", "3"], imAddresses: ["a", "b", "c", "d"] });
    expect(r.status).toBe(201);
    const over = await wide.graph(t, "POST", "/me/contacts", { givenName: "W", emailAddresses: [1, 2, 3, 4].map((i) => ({ address: `${i}@x.test` })) });
    expect(over.status).toBe(400);
  } finally {
    await wide.close();
  }
});

test("If-Match is ignored by default and honoured with ifMatch: 412 ErrorIrresolvableConflict when stale", async () => {
  const c = (await h.graph(token, "POST", "/me/contacts", { givenName: "Etag" })).json;
  const stale = 'W/"EQAAABYAAAAstale"';
  expect((await h.graph(token, "PATCH", `/me/contacts/${c.id}`, { surname: "A" }, { "If-Match": stale })).status).toBe(200);
  const strict = await startHarness({ ifMatch: true });
  try {
    const t = await strict.token({ upn: "strict@example.test" });
    const d = (await strict.graph(t, "POST", "/me/contacts", { givenName: "Etag" })).json;
    const refused = await strict.graph(t, "PATCH", `/me/contacts/${d.id}`, { surname: "B" }, { "If-Match": stale });
    expect(refused.status).toBe(412);
    expect(refused.json.error.code).toBe("ErrorIrresolvableConflict");
    expect((await strict.graph(t, "GET", `/me/contacts/${d.id}`)).json.surname).toBeNull();
    const ok = await strict.graph(t, "PATCH", `/me/contacts/${d.id}`, { surname: "B" }, { "If-Match": d["@odata.etag"] });
    expect(ok.status).toBe(200);
    expect((await strict.graph(t, "DELETE", `/me/contacts/${d.id}`, undefined, { "If-Match": d["@odata.etag"] })).status).toBe(412);
    expect((await strict.graph(t, "DELETE", `/me/contacts/${d.id}`, undefined, { "If-Match": ok.json["@odata.etag"] })).status).toBe(204);
  } finally {
    await strict.close();
  }
});
