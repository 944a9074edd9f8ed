// Findings 1 and 7 of the security review: a staff member is recognised by the token's object id only.
// A row without one is bound once, by `preferred_username`, then by that oid for good; e-mail and upn
// claims never identify anyone; a tenant's token reaches only its firm; roles count only in app tokens.
import { ANNA, startIdp, startProductionServer, type Idp, type ProductionServer } from "./support";

let idp: Idp;
let t: ProductionServer;

const TENANT_A = "aaaaaaaa-0000-0000-0000-000000000001";
const TENANT_B = "bbbbbbbb-0000-0000-0000-000000000002";
const terms = { client: { singular: "Customer", plural: "Customers" }, contact: { singular: "Person", plural: "People" }, standalone: { singular: "Other", plural: "Others" } };
const staffRows = () => t.db.prepare("SELECT id, firm_id, email, oid FROM staff ORDER BY id").all();

beforeAll(async () => {
  idp = await startIdp();
  t = await startProductionServer(idp);
  // Two firms on one server, each with an unbound row for the same address; firm B has a tenant.
  t.server.addFirm({ id: "firm-b", name: "B & Co", staff: [{ id: "staff-sam-b", name: "Sam B", email: "sam@shared.example", oid: null, role: "admin", initials: "SB" }] });
  t.server.addFirm({ id: "firm-c", name: "C & Co", staff: [{ id: "staff-sam-c", name: "Sam C", email: "sam@shared.example", oid: null, role: "admin", initials: "SC" }, { id: "staff-new", name: "New Person", email: "new.person@demo-practice.example", oid: null, role: "staff", initials: "NP" }] });
  t.db.prepare("UPDATE firms SET tenant_id = ? WHERE id = 'firm-b'").run(TENANT_B);
  t.db.prepare("UPDATE firms SET tenant_id = ? WHERE id = 'firm-demo'").run(TENANT_A);
});
afterAll(async () => {
  await t.close();
  await idp.close();
});

describe("no identity by address (finding 1)", () => {
  test.each([
    ["preferred_username, other case", { preferred_username: ANNA.email.toUpperCase() }],
    ["upn", { upn: ANNA.email }],
    ["email", { email: ANNA.email }],
  ])("an unknown oid with the admin's %s is refused, and the admin-only write does not happen", async (_what, claims) => {
    const before = staffRows();
    const token = await idp.sign({ oid: "99999999-0000-0000-0000-00000000dead", tid: TENANT_A, scp: "Practice.ReadWrite", ...claims });
    const r = await t.call("PUT", "/terminology", { token, body: terms });
    expect(r.status).toBe(403);
    expect(r.body.type).toBe("urn:practice-api:problem:forbidden");
    expect(staffRows()).toEqual(before);
    const anna = await idp.sign({ oid: ANNA.oid, tid: TENANT_A, scp: "Practice.Read" });
    expect((await t.call("GET", "/terminology", { token: anna })).body.customized).toBe(false);
  });

  test("a person not on the staff list gets 403 and nothing is created", async () => {
    const before = staffRows();
    const r = await t.call("GET", "/me", { token: await idp.sign({ oid: "99999999-0000-0000-0000-0000000000aa", tid: TENANT_A, preferred_username: "stranger@demo-practice.example", scp: "Practice.ReadWrite" }) });
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/not a staff member/);
    expect(staffRows()).toEqual(before);
  });
});

describe("binding a row that has no oid yet", () => {
  const NEW_OID = "99999999-0000-0000-0000-0000000000b1";

  test("the first sign-in binds by preferred_username; afterwards the oid alone identifies; a second oid is refused", async () => {
    // The email claim alone never binds.
    const byEmail = await t.call("GET", "/me", { token: await idp.sign({ oid: NEW_OID, email: "new.person@demo-practice.example", scp: "Practice.Read" }) });
    expect(byEmail.status).toBe(403);
    expect(t.db.prepare("SELECT oid FROM staff WHERE id = 'staff-new'").get()).toEqual({ oid: null });

    const first = await t.call("GET", "/me", { token: await idp.sign({ oid: NEW_OID, preferred_username: "New.Person@demo-practice.example", scp: "Practice.Read" }) });
    expect(first.status).toBe(200);
    expect(first.body.staff.id).toBe("staff-new");
    expect(t.db.prepare("SELECT oid FROM staff WHERE id = 'staff-new'").get()).toEqual({ oid: NEW_OID });

    // Renamed in the directory: still the same person, by oid.
    const renamed = await t.call("GET", "/me", { token: await idp.sign({ oid: NEW_OID, preferred_username: "np@elsewhere.example", scp: "Practice.Read" }) });
    expect(renamed.body.staff.id).toBe("staff-new");

    // Someone else who now carries that sign-in name is not that person.
    const before = staffRows();
    const thief = await t.call("GET", "/me", { token: await idp.sign({ oid: "99999999-0000-0000-0000-0000000000b2", preferred_username: "new.person@demo-practice.example", scp: "Practice.Read" }) });
    expect(thief.status).toBe(403);
    expect(thief.body.detail).toMatch(/already bound/);
    expect(staffRows()).toEqual(before);
  });

  test("an application token (no preferred_username) never binds a row", async () => {
    const r = await t.call("GET", "/me", { token: await idp.sign({ oid: "99999999-0000-0000-0000-0000000000c1", idtyp: "app", roles: ["Practice.Read"], preferred_username: "sam@shared.example" }) });
    expect(r.status).toBe(403);
    expect(t.db.prepare("SELECT COUNT(*) AS n FROM staff WHERE oid = ?").get("99999999-0000-0000-0000-0000000000c1")).toEqual({ n: 0 });
  });
});

describe("the tenant names the firm", () => {
  test("the same address in two firms: the token's tenant decides which row is bound", async () => {
    const r = await t.call("GET", "/me", { token: await idp.sign({ oid: "99999999-0000-0000-0000-0000000000d1", tid: TENANT_B, preferred_username: "sam@shared.example", scp: "Practice.Read" }) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ staff: { id: "staff-sam-b" }, firm: { id: "firm-b" } });
    expect(t.db.prepare("SELECT oid FROM staff WHERE id = 'staff-sam-c'").get()).toEqual({ oid: null });
  });

  test("a bound staff member's oid presented with another tenant is refused", async () => {
    const r = await t.call("GET", "/me", { token: await idp.sign({ oid: ANNA.oid, tid: TENANT_B, scp: "Practice.Read" }) });
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/tenant/);
  });
});

describe("roles only in application tokens (finding 7)", () => {
  const contact = { kind: "standalone", displayName: "Made through a role" };

  test("a user token's roles do not add scopes", async () => {
    for (const claims of [{ scp: "Practice.Read", roles: ["Practice.ReadWrite"] }, { idtyp: "user", roles: ["Practice.ReadWrite"] }]) {
      const r = await t.call("POST", "/contacts", { token: await idp.sign({ oid: ANNA.oid, tid: TENANT_A, ...claims }), body: contact });
      expect(r.status).toBe(403);
    }
    const list = await t.call("GET", "/contacts?limit=1000", { token: await idp.sign({ oid: ANNA.oid, tid: TENANT_A, scp: "Practice.Read" }) });
    expect(list.body.items.map((c: { displayName?: string }) => c.displayName)).not.toContain(contact.displayName);
  });

  test("an application token bound to a staff row gets its role as its scope", async () => {
    t.server.addFirm({ id: "firm-app", name: "App firm", staff: [{ id: "staff-app", name: "Headless sync", email: "sync@app.example", oid: "99999999-0000-0000-0000-0000000000e1", role: "staff", initials: "HS" }] });
    const r = await t.call("POST", "/contacts", { token: await idp.sign({ oid: "99999999-0000-0000-0000-0000000000e1", idtyp: "app", roles: ["Practice.ReadWrite"] }), body: contact });
    expect(r.status).toBe(201);
  });
});
