// practice-server init and staff: an empty server becomes a firm with staff, and the development token
// route (what the pane in local mode signs in with) answers for its admin.
import { startPracticeServer } from "../../../src/practice-api/server";
import { Workspace } from "./cli";

// Each step spawns the real command; on a busy CI machine one can take seconds.
jest.setTimeout(120_000);

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.cleanup());

test("init creates the firm and its admin; the server started on that database issues a dev token for them", async () => {
  const out = ws.ok("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna.lindqvist@harbour.example", "--tenant", "72F988BF-86F1-41AF-91AB-2D7CD011DB47");
  expect(out).toContain('Created the firm "Harbour & Co"');
  expect(out).toContain("Entra tenant 72f988bf-86f1-41af-91ab-2d7cd011db47");
  expect(out).toContain("Anna Lindqvist <anna.lindqvist@harbour.example> (AL)");

  const server = await startPracticeServer({ db: ws.db, devAuth: true, seed: "demo" });
  try {
    const tokenRes = await fetch(`${server.url}/api/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as {
      staff: { email: string; role: string };
      firm: { name: string };
    };
    expect(me.staff).toMatchObject({ email: "anna.lindqvist@harbour.example", role: "admin" });
    // --seed demo seeds only an empty database: the firm's own data stays the only firm.
    expect(me.firm.name).toBe("Harbour & Co");
  } finally {
    await server.close();
  }
});

test("init refuses a second firm, a tenant that is not a GUID and an admin that is not an e-mail address", () => {
  const bad = ws.run("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna", "--tenant", "contoso.onmicrosoft.com");
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain("--tenant must be the Microsoft Entra tenant ID");
  const noEmail = ws.run("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna");
  expect(noEmail.code).toBe(1);
  expect(noEmail.stderr).toContain('"anna" is not an e-mail address');
  ws.ok("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna@harbour.example");
  const again = ws.run("init", "--db", ws.db, "--firm", "Other", "--admin", "bob@other.example");
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('already holds the firm "Harbour & Co"');
  const usage = ws.run("init", "--db", ws.db);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain("init needs --firm NAME and --admin EMAIL");
});

test("a staff command on a database that does not exist says to run init, and creates nothing", () => {
  const r = ws.run("staff", "list", "--db", ws.db);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("run `practice-server init");
  expect(ws.run("contacts", "export", "--db", ws.db).code).toBe(1);
  expect(require("node:fs").existsSync(ws.db)).toBe(false);
});

test("staff add, list and remove; an e-mail names one person; the only admin and a referenced partner stay", () => {
  ws.initFirm();
  const dup = ws.run("staff", "add", "--db", ws.db, "--email", "JOERG.MUELLER@harbour.example");
  expect(dup.code).toBe(1);
  expect(dup.stderr).toContain("already a staff member");
  const list = ws.ok("staff", "list", "--db", ws.db);
  expect(list.split("\n")[0]).toMatch(/^Name\s+Email\s+Initials\s+Role\s+Microsoft 365$/);
  expect(list).toMatch(/Jörg Müller\s+joerg\.mueller@harbour\.example\s+JM\s+staff\s+not yet signed in/);
  expect(list).toMatch(/Zoë Dubois\s+zoe\.dubois@harbour\.example\s+ZD\s+staff/);

  const lastAdmin = ws.run("staff", "remove", "--db", ws.db, "anna.lindqvist@harbour.example");
  expect(lastAdmin.code).toBe(1);
  expect(lastAdmin.stderr).toContain("only admin");

  ws.file("c.csv", "First Name,Last Name,Partner\r\nÅsa,Ångström,ZD\r\n");
  ws.ok("contacts", "import", "c.csv", "--db", ws.db);
  const referenced = ws.run("staff", "remove", "--db", ws.db, "zoe.dubois@harbour.example");
  expect(referenced.code).toBe(1);
  expect(referenced.stderr).toContain("1 contact(s) name zoe.dubois@harbour.example as partner");

  expect(ws.ok("staff", "remove", "--db", ws.db, "joerg.mueller@harbour.example")).toContain("Removed Jörg Müller");
  expect(ws.ok("staff", "list", "--db", ws.db)).not.toContain("Jörg");
});

test("staff import: a dry run reports and writes nothing; the import adds, a re-import changes nothing, an edit updates", () => {
  ws.ok("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna.lindqvist@harbour.example");
  const csv = "\uFEFFName,Email,Initials\r\nSiobhán O'Connor,siobhan.oconnor@harbour.example,SOC\r\n\"Tanaka, Kenji\",kenji.tanaka@harbour.example,\r\nAnna Lindqvist,anna.lindqvist@harbour.example,AL\r\n";
  ws.file("staff.csv", csv);
  const dry = ws.ok("staff", "import", "staff.csv", "--db", ws.db, "--dry-run");
  expect(dry).toMatch(/row 2\s+would create\s+Siobhán O'Connor <siobhan\.oconnor@harbour\.example> \(SOC, staff\)/);
  expect(dry).toMatch(/row 3\s+would create\s+Tanaka, Kenji <kenji\.tanaka@harbour\.example> \(TK, staff\)/);
  expect(dry).toMatch(/row 4\s+unchanged\s+Anna Lindqvist/);
  expect(dry).toContain("Nothing was written");
  expect(ws.staffIds().size).toBe(1);

  expect(ws.ok("staff", "import", "staff.csv", "--db", ws.db)).toContain("Staff: 2 added, 0 updated, 1 unchanged.");
  expect(ws.ok("staff", "import", "staff.csv", "--db", ws.db)).toContain("Staff: 0 added, 0 updated, 3 unchanged.");
  // The admin keeps the admin role: the file has no Role column.
  expect(ws.ok("staff", "list", "--db", ws.db)).toMatch(/Anna Lindqvist\s+anna\.lindqvist@harbour\.example\s+AL\s+admin/);
  ws.file("staff.csv", csv.replace("SOC", "SO"));
  expect(ws.ok("staff", "import", "staff.csv", "--db", ws.db)).toContain("Staff: 0 added, 1 updated, 2 unchanged.");
  expect(ws.staffIds().size).toBe(3);
});

test("a bad staff file is refused with row, column and reason, and nothing is added", () => {
  ws.ok("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna.lindqvist@harbour.example");
  ws.file("staff.csv", "Name,Email,Initials,Role\nGood Person,good@harbour.example,GP,staff\nNo Mail,not-an-address,NM,staff\nBoss,boss@harbour.example,BO,owner\nTwice,GOOD@harbour.example,TW,\n");
  const r = ws.run("staff", "import", "staff.csv", "--db", ws.db);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("nothing was written");
  expect(r.stderr).toContain('row 3, line 3, column "Email": "not-an-address" is not an e-mail address');
  expect(r.stderr).toContain('row 4, line 4, column "Role": "owner" is not a role: write admin or staff');
  expect(r.stderr).toContain('row 5, line 5, column "Email": GOOD@harbour.example is already on row 2');
  expect(ws.staffIds().size).toBe(1);
});
