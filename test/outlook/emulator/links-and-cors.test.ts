// §12.1 and proxy awareness: absolute https links, links rebuilt from X-Forwarded-* behind the pane's
// dev-server proxy, and CORS for a browser calling the emulator directly.
import { startHarness, type Harness } from "./harness";

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: "links@example.test" });
  await h.admin("POST", "/mailboxes/links@example.test/contacts", { contacts: Array.from({ length: 3 }, (_, i) => ({ givenName: `L${i}` })) });
});
afterAll(() => h.close());

test("nextLinks are absolute https URLs on the emulator's own host", async () => {
  const r = await h.graph(token, "GET", "/me/contacts?$top=2");
  expect(r.json["@odata.nextLink"]).toBe(`${h.emu.graphUrl}/me/contacts?$top=2&$skip=2`);
  const next = await h.graph(token, "GET", r.json["@odata.nextLink"]);
  expect(next.json.value).toHaveLength(1);
  expect(next.json["@odata.nextLink"]).toBeUndefined();
});

test("behind a proxy, links are built from X-Forwarded-Proto/-Host/-Prefix", async () => {
  const fwd = { "X-Forwarded-Proto": "http", "X-Forwarded-Host": "127.0.0.1:3000", "X-Forwarded-Prefix": "/graph" };
  const r = await h.graph(token, "GET", "/me/contacts?$top=2", undefined, fwd);
  expect(r.json["@odata.nextLink"]).toBe("http://127.0.0.1:3000/graph/v1.0/me/contacts?$top=2&$skip=2");
  const folder = (await h.graph(token, "GET", "/me/contacts")).json.value[0].parentFolderId;
  const d = await h.graph(token, "GET", `/me/contactFolders/${folder}/contacts/delta`, undefined, fwd);
  expect(d.json["@odata.deltaLink"]).toMatch(/^http:\/\/127\.0\.0\.1:3000\/graph\/v1\.0\/me\/contactFolders\/.+\/contacts\/delta\?\$deltatoken=/);
  await h.admin("POST", "/faults", { expireDeltaTokens: true });
  // What the proxy does: strip its prefix and forward to the emulator.
  const viaProxy = (d.json["@odata.deltaLink"] as string).replace("http://127.0.0.1:3000/graph", h.emu.url);
  const gone = await h.graph(token, "GET", viaProxy, undefined, fwd);
  expect(gone.status).toBe(410);
  expect(gone.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:3000\/graph\/v1\.0\//);
});

test("forwarded headers that are not a plain host or path are ignored", async () => {
  const r = await h.graph(token, "GET", "/me/contacts?$top=2", undefined, { "X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.test/<script>", "X-Forwarded-Prefix": "/x?y" });
  expect(r.json["@odata.nextLink"].startsWith(h.emu.graphUrl)).toBe(false);
  expect(r.json["@odata.nextLink"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/me\/contacts\?/);
});

test("CORS preflight allows Authorization, Prefer and Content-Type; responses expose Retry-After and ETag", async () => {
  const pre = await h.request("/v1.0/me/contacts", {
    method: "OPTIONS",
    headers: { Origin: "http://127.0.0.1:3000", "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "authorization,prefer,content-type" },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3000");
  const allowed = pre.headers.get("access-control-allow-headers")!.toLowerCase();
  for (const name of ["authorization", "prefer", "content-type"]) expect(allowed).toContain(name);
  expect(pre.headers.get("access-control-allow-methods")).toContain("PATCH");
  const r = await h.graph(token, "GET", "/me/contacts", undefined, { Origin: "http://127.0.0.1:3000" });
  expect(r.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3000");
  const exposed = r.headers.get("access-control-expose-headers")!.toLowerCase();
  expect(exposed).toContain("retry-after");
  expect(exposed).toContain("etag");
});

test("error bodies carry request-id and client-request-id in innerError", async () => {
  const r = await h.graph(token, "GET", "/me/contacts/AAMkUnknownUnknownUnknownUnknown00000=", undefined, { "client-request-id": "abc-123" });
  expect(r.status).toBe(404);
  expect(r.json.error.innerError["client-request-id"]).toBe("abc-123");
  expect(r.json.error.innerError["request-id"]).toBe(r.headers.get("request-id"));
});

test("a created contact's Location is an absolute link that resolves (through the proxy too)", async () => {
  const r = await h.graph(token, "POST", "/me/contacts", { givenName: "Loc" }, { Prefer: 'IdType="ImmutableId"' });
  const location = r.headers.get("location")!;
  expect(location.startsWith(`${h.emu.graphUrl}/users/`)).toBe(true);
  const got = await h.graph(token, "GET", location, undefined, { Prefer: 'IdType="ImmutableId"' });
  expect(got.json.id).toBe(r.json.id);
  const fwd = { "X-Forwarded-Proto": "http", "X-Forwarded-Host": "127.0.0.1:3000", "X-Forwarded-Prefix": "/graph" };
  const viaProxy = await h.graph(token, "POST", "/me/contactFolders", { displayName: "Proxied" }, fwd);
  expect(viaProxy.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:3000\/graph\/v1\.0\/users\/.+\/contactFolders\//);
});
