// The emulator's responses have the shape of the documented examples (fixtures/, from the Graph docs).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startHarness, type Harness, type Json } from "./harness";

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8"));
const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: "shapes@example.test" });
});
afterAll(() => h.close());

test("GET contact: the same properties in the same order as the C-GET example, with the same JSON kinds", async () => {
  const example = fixture("contact-get-response.json");
  const created = await h.graph(token, "POST", "/me/contacts", {
    givenName: "Alex",
    surname: "Wilber",
    emailAddresses: [{ name: "Alex Wilber", address: "alexw@contoso.com" }, { name: "Alex Wilber", address: "alex.wilber@outlook.com" }],
    imAddresses: ["sip:alexw@contoso.com"],
    jobTitle: "Web Marketing Manager",
  });
  const got = (await h.graph(token, "GET", `/me/contacts/${created.json.id}`)).json;
  expect(Object.keys(got)).toEqual(Object.keys(example));
  for (const key of Object.keys(example)) {
    if (key === "emailAddresses") continue; // the example's "type" member is beta-only (§1.1)
    expect([key, kind(got[key])]).toEqual([key, kind(example[key])]);
  }
  expect(got.emailAddresses.map((e: Json) => Object.keys(e))).toEqual([["name", "address"], ["name", "address"]]);
  expect(got.primaryEmailAddress).toEqual(example.primaryEmailAddress);
  expect(got.secondaryEmailAddress).toEqual(example.secondaryEmailAddress);
  expect(got.tertiaryEmailAddress).toBeNull();
  expect(got["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#users\('.+'\)\/contacts\/\$entity$/);
  expect(got.createdDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test("delta with a removal: the envelope and @removed entries have the DQ-MSG example's shape", async () => {
  const example = fixture("delta-response-with-removed.json");
  const folder = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Shape" })).json.id;
  const c = (await h.graph(token, "POST", `/me/contactFolders/${folder}/contacts`, { givenName: "Gone" })).json;
  await h.graph(token, "POST", `/me/contactFolders/${folder}/contacts`, { givenName: "Stays" });
  const first = (await h.graph(token, "GET", `/me/contactFolders/${folder}/contacts/delta`)).json;
  await h.graph(token, "DELETE", `/me/contacts/${c.id}`);
  await h.graph(token, "PATCH", `/me/contacts/${first.value[1].id}`, { surname: "Changed" });
  const next = (await h.graph(token, "GET", first["@odata.deltaLink"])).json;
  expect(Object.keys(next)).toEqual(Object.keys(example));
  expect(Object.keys(next.value[0])).toEqual(Object.keys(example.value[0]));
  expect(next.value[0]["@removed"]).toEqual(example.value[0]["@removed"]);
  expect(next.value[1]["@odata.type"]).toBe("#microsoft.graph.contact");
  expect(next.value[1]["@odata.etag"]).toMatch(/^W\/".+"$/);
});

test("$batch response: {responses:[{id,status,headers,body}]} with the example's item headers", async () => {
  const example = fixture("batch-response.json");
  const r = (await h.graph(token, "POST", "/$batch", {
    requests: [
      { id: "1", method: "GET", url: "/me/contacts?$top=1" },
      { id: "2", method: "GET", url: "/me/contacts/AAMkNotThereNotThereNotThereNotThere00=" },
    ],
  })).json;
  expect(Object.keys(r)).toEqual(Object.keys(example));
  const ok = r.responses.find((x: Json) => x.id === "1");
  const err = r.responses.find((x: Json) => x.id === "2");
  expect(Object.keys(ok).sort()).toEqual(Object.keys(example.responses[0]).sort());
  expect(Object.keys(ok.headers).sort()).toEqual(Object.keys(example.responses[0].headers).sort());
  expect(ok.headers["Content-Type"]).toBe(example.responses[0].headers["Content-Type"]);
  expect(Object.keys(err.body.error).sort()).toEqual(Object.keys(example.responses[2].body.error).sort());
  expect(Object.keys(err.body.error.innerError).sort()).toEqual(["date", "request-id"]);
});

test("injected 429: the body has the THR sample's members", async () => {
  const example = fixture("throttled-429-response.json");
  await h.admin("POST", "/faults", { status: 429, count: 1, retryAfter: 2 });
  const r = await h.graph(token, "GET", "/me/contacts");
  expect(r.status).toBe(429);
  expect(Object.keys(r.json.error).sort()).toEqual(Object.keys(example.error).sort());
  expect(Object.keys(r.json.error.innerError).sort()).toEqual(Object.keys(example.error.innerError).sort());
  expect(r.json.error.code).toBe(example.error.code);
});
