// §12.8: /contactFolders lists the children of the default folder, childFolders nest, 409 on a
// duplicate name, /users/{upn} needs a share (403 otherwise) unless the token is an application token.
import { startHarness, type Harness, type Json } from "./harness";
import { DEMO_SHARED_MAILBOX, DEMO_USER, DEMO_COLLEAGUE } from "../../../src/outlook/emulator";

let h: Harness;
let anna: string;
let ben: string;
let app: string;
beforeAll(async () => {
  h = await startHarness({ seed: "demo" });
  anna = await h.token({ upn: DEMO_USER });
  ben = await h.token({ upn: DEMO_COLLEAGUE });
  app = await h.token({ app: true });
});
afterAll(() => h.close());

test("contactFolders lists the default folder's children, not the default folder itself", async () => {
  const r = await h.graph(anna, "GET", "/me/contactFolders");
  expect(r.status).toBe(200);
  const names = r.json.value.map((f: Json) => f.displayName).sort();
  expect(names).toEqual(["Clients", "Suppliers"]);
  const defaultId = r.json.value[0].parentFolderId;
  const contacts = await h.graph(anna, "GET", "/me/contacts");
  expect(contacts.json.value.every((c: Json) => c.parentFolderId === defaultId)).toBe(true);
  expect((await h.graph(anna, "GET", `/me/contactFolders/${defaultId}`)).json.displayName).toBe("Contacts");
});

test("childFolders are nested and addressable down the path; contacts of a nested folder", async () => {
  const clients = (await h.graph(anna, "GET", "/me/contactFolders")).json.value.find((f: Json) => f.displayName === "Clients");
  const kids = await h.graph(anna, "GET", `/me/contactFolders/${clients.id}/childFolders`);
  expect(kids.json.value.map((f: Json) => f.displayName)).toEqual(["Priority"]);
  const priority = kids.json.value[0];
  const nested = await h.graph(anna, "GET", `/me/contactFolders/${clients.id}/childFolders/${priority.id}/contacts`);
  expect(nested.json.value.map((c: Json) => c.surname)).toEqual(["Berg"]);
  const made = await h.graph(anna, "POST", `/me/contactFolders/${priority.id}/childFolders`, { displayName: "Deeper" });
  expect(made.status).toBe(201);
  expect(made.json.parentFolderId).toBe(priority.id);
});

test("a duplicate folder name gives 409 ErrorFolderExists", async () => {
  const r = await h.graph(anna, "POST", "/me/contactFolders", { displayName: "clients" });
  expect(r.status).toBe(409);
  expect(r.json.error.code).toBe("ErrorFolderExists");
});

test("a shared mailbox folder is reachable by the user it is shared with; others get 403 ErrorAccessDenied", async () => {
  const list = await h.graph(anna, "GET", `/users/${DEMO_SHARED_MAILBOX}/contactFolders`);
  expect(list.status).toBe(200);
  const firm = list.json.value.find((f: Json) => f.displayName === "Firm address book");
  const contacts = await h.graph(anna, "GET", `/users/${DEMO_SHARED_MAILBOX}/contactFolders/${firm.id}/contacts`);
  expect(contacts.status).toBe(200);
  expect(contacts.json.value.length).toBeGreaterThan(0);
  const created = await h.graph(anna, "POST", `/users/${DEMO_SHARED_MAILBOX}/contactFolders/${firm.id}/contacts`, { givenName: "Shared" });
  expect(created.status).toBe(201);
  const denied = await h.graph(ben, "GET", `/users/${DEMO_SHARED_MAILBOX}/contactFolders/${firm.id}/contacts`);
  expect(denied.status).toBe(403);
  expect(denied.json.error.code).toBe("ErrorAccessDenied");
  expect((await h.graph(ben, "GET", `/users/${DEMO_USER}/contacts`)).status).toBe(403);
});

test("a read grant allows reads but not writes; admin grants take effect at once", async () => {
  await h.admin("POST", "/grants", { ownerUpn: DEMO_USER, granteeUpn: DEMO_COLLEAGUE, role: "read" });
  expect((await h.graph(ben, "GET", `/users/${DEMO_USER}/contacts`)).status).toBe(200);
  const w = await h.graph(ben, "POST", `/users/${DEMO_USER}/contacts`, { givenName: "Nope" });
  expect(w.status).toBe(403);
});

test("an application token reaches every mailbox but not /me", async () => {
  expect((await h.graph(app, "GET", `/users/${DEMO_USER}/contacts`)).status).toBe(200);
  expect((await h.graph(app, "GET", `/users/${DEMO_SHARED_MAILBOX}/contactFolders`)).status).toBe(200);
  expect((await h.graph(app, "GET", "/me/contacts")).status).toBe(400);
  const unknown = await h.graph(app, "GET", "/users/nobody@harbour.example/contacts");
  expect(unknown.status).toBe(404);
});

test("no public-folder endpoints exist", async () => {
  const r = await h.graph(anna, "GET", "/me/publicFolders");
  expect(r.status).toBe(400);
  expect(r.json.error.message).toContain("publicFolders");
});
