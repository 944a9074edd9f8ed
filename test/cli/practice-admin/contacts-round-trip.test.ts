// practice-server contacts export: what it writes reads back as the same contacts (CSV exactly, line breaks
// inside values included; vCard up to the carriage returns vCard cannot hold), and a re-import of an export
// into the same firm changes nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { portable, Workspace } from "./cli";
import { ALL_VCARDS, outlookCsv, OUTLOOK_HEADER } from "./fixtures";

// Each step spawns the real command; on a busy CI machine one can take seconds.
jest.setTimeout(120_000);

// One source firm for every test (a re-import into it changes nothing, as each test checks); a fresh
// firm per test to read the export into.

let a: Workspace;
let b: Workspace;
const setUpFirm = (ws: Workspace) => {
  ws.ok("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna.lindqvist@harbour.example");
  ws.file("staff.csv", "Name,Email,Initials\nZoë Dubois,zoe.dubois@harbour.example,ZD\n");
  ws.ok("staff", "import", "staff.csv", "--db", ws.db);
};
beforeAll(() => {
  a = new Workspace();
  setUpFirm(a);
  a.file("contacts.csv", outlookCsv());
  a.ok("contacts", "import", "contacts.csv", "--db", a.db);
  a.file("cards.vcf", ALL_VCARDS);
  a.ok("contacts", "import", "cards.vcf", "--db", a.db, "--kind", "standalone");
  // A practice attribute and a staff reference travel too.
  a.file("partner.csv", "First Name,Last Name,E-mail Address,Partner,Status,Office\nJörg,Müller,joerg.mueller@nordic.example,ZD,active,München\n");
  a.ok("contacts", "import", "partner.csv", "--db", a.db, "--map", "First Name=givenName");
});
afterAll(() => a.cleanup());
beforeEach(() => {
  b = new Workspace();
  setUpFirm(b);
});
afterEach(() => b.cleanup());

const byName = (ws: Workspace) => [...ws.contacts().values()].map(portable).sort((x, y) => String(x.displayName).localeCompare(String(y.displayName)));
const withoutStaffIds = (list: Record<string, unknown>[]) => list.map(({ partnerId, ...rest }) => ({ ...rest, partner: partnerId ? "set" : undefined }));

test("CSV: Outlook's header first, UTF-8 with a byte order mark, CRLF; read back it is the same contacts; a re-import changes nothing", () => {
  a.ok("contacts", "export", "--db", a.db, "--out", "export.csv");
  const bytes = readFileSync(path.join(a.dir, "export.csv"));
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString("utf8").slice(1);
  const rows = parse(text, { record_delimiter: "\r\n" }) as string[][];
  // Every Outlook column the practice system fills, named as Outlook names it, in Outlook's order.
  expect(rows[0].filter((h) => OUTLOOK_HEADER.includes(h))).toEqual(OUTLOOK_HEADER.filter((h) => rows[0].includes(h)));
  expect(rows[0]).toEqual(expect.arrayContaining(["First Name", "Last Name", "E-mail Address", "Business Street", "Notes", "Partner", "Practice ID"]));
  expect(text.split("\r\n")[0].startsWith('"Title","First Name","Middle Name","Last Name"')).toBe(true);
  expect(rows).toHaveLength(1 + 7);
  expect(rows.find((r) => r.includes("Jörg"))).toContain("zoe.dubois@harbour.example");

  expect(a.ok("contacts", "import", "export.csv", "--db", a.db)).toContain("Imported: 0 created, 0 updated, 7 unchanged.");

  b.file("export.csv", bytes);
  expect(b.ok("contacts", "import", "export.csv", "--db", b.db)).toContain("Imported: 7 created, 0 updated, 0 unchanged.");
  expect(withoutStaffIds(byName(b))).toEqual(withoutStaffIds(byName(a)));
  expect(b.contacts().get("Jörg Müller")!.partnerId).toBe(b.staffIds().get("zoe.dubois@harbour.example"));
});

test.each(["3.0", "4.0"])("vCard %s: read back it is the same contacts (line breaks as LF); a re-import matches every card by its UID", (version) => {
  a.ok("contacts", "export", "--db", a.db, "--format", "vcard", "--vcard-version", version, "--out", "export.vcf");
  const text = readFileSync(path.join(a.dir, "export.vcf"), "utf8");
  expect(text.match(/^BEGIN:VCARD\r\nVERSION:(\d\.\d)\r\n/gm)).toHaveLength(7);
  expect(text).toContain(`VERSION:${version}\r\n`);
  expect(text).not.toMatch(/[^\r]\n/);

  expect(a.ok("contacts", "import", "export.vcf", "--db", a.db)).toContain("Imported: 0 created, 0 updated, 7 unchanged.");

  b.file("export.vcf", text);
  expect(b.ok("contacts", "import", "export.vcf", "--db", b.db)).toContain("Imported: 7 created, 0 updated, 0 unchanged.");
  const lf = (list: Record<string, unknown>[]) => JSON.parse(JSON.stringify(list).replace(/\\r\\n/g, "\\n")) as Record<string, unknown>[];
  expect(withoutStaffIds(byName(b))).toEqual(lf(withoutStaffIds(byName(a))));
});
