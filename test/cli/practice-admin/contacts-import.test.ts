// practice-server contacts import: Outlook's CSV export, vCards from Outlook for Mac, Apple Contacts and
// Google Contacts (and a vCard 4.0), any CSV through --map; broken files of each kind are refused whole.
import { Workspace } from "./cli";
import { ALL_VCARDS, BROKEN, OUTLOOK_ROWS, outlookCsv } from "./fixtures";

// Each step spawns the real command; on a busy CI machine one can take seconds.
jest.setTimeout(120_000);

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.ok("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna.lindqvist@harbour.example");
});
afterEach(() => ws.cleanup());

test("an Outlook CSV export: the dry run reports each row and writes nothing; the import keeps every value; a re-import changes nothing", () => {
  ws.file("contacts.csv", outlookCsv());
  const dry = ws.ok("contacts", "import", "contacts.csv", "--db", ws.db, "--dry-run");
  expect(dry).toMatch(/row 2\s+would create\s+Jörg Müller/);
  expect(dry).toMatch(/row 3\s+would create\s+Siobhán O'Connor\n\s+not kept: Pager: \+353 87 000 1111/);
  expect(dry).toMatch(/row 4\s+would create\s+秀 徐/);
  expect(dry).toContain("Dry run: 3 to create, 0 to update, 0 unchanged. Nothing was written.");
  expect(ws.contacts().size).toBe(0);

  expect(ws.ok("contacts", "import", "contacts.csv", "--db", ws.db)).toContain("Imported: 3 created, 0 updated, 0 unchanged.");
  const all = ws.contacts();
  expect(all.get("Jörg Müller")).toMatchObject({
    kind: "client",
    clientCode: expect.stringMatching(/^C\d+$/),
    title: "Dr.",
    givenName: "Jörg",
    surname: "Müller",
    companyName: "Nordic Trading GmbH",
    department: "Finanzen",
    jobTitle: "Finance Manager",
    businessAddress: { street: "Hauptstraße 5\r\nHinterhaus, 2. OG", city: "München", state: "BY", postalCode: "80331", countryOrRegion: "Germany" },
    businessPhones: ["+49 89 1234 567", "+49 89 1234 568"],
    mobilePhone: "+49 170 123 4567",
    businessFax: "+49 89 1234 569",
    birthday: "1972-04-15",
    categories: ["Tax", "VIP"],
    emailAddresses: [{ name: "Jörg Müller", address: "joerg.mueller@nordic.example" }, { address: "j.mueller@privat.example" }],
    personalNotes: 'Prefers "Herr Dr. Müller", by post.\r\nYear end: March, VAT quarterly.',
    spouseName: "Anna Müller",
    businessHomePage: "https://nordic.example/",
  });
  expect(all.get("Siobhán O'Connor")).toMatchObject({
    companyName: "Harbour Bakery, Ltd",
    homeAddress: { street: "12 Merrion Square\nApartment 4", city: "Dublin", postalCode: "D02 X285", countryOrRegion: "Ireland" },
    homePhones: ["+353 1 234 5678"],
  });
  expect(all.get("Siobhán O'Connor")!.birthday).toBeUndefined();
  expect(all.get("秀 徐")).toMatchObject({ companyName: "Kōyō Software 株式会社", officeLocation: "東京 本社", profession: "Engineer" });

  const again = ws.ok("contacts", "import", "contacts.csv", "--db", ws.db);
  expect(again).toContain("Imported: 0 created, 0 updated, 3 unchanged.");
  expect(ws.contacts().size).toBe(3);

  // An edited export updates the contact it names, and says which fields changed.
  const edited = OUTLOOK_ROWS.map((r, i) => (i === 0 ? { ...r, "Job Title": "CFO", "Business Phone 2": "" } : r));
  ws.file("contacts.csv", outlookCsv(edited));
  expect(ws.ok("contacts", "import", "contacts.csv", "--db", ws.db)).toMatch(/row 2\s+update\s+Jörg Müller\s+\(jobTitle, businessPhones\)/);
  expect(ws.contacts().get("Jörg Müller")).toMatchObject({ jobTitle: "CFO", businessPhones: ["+49 89 1234 567"] });
});

test("vCards shaped like Outlook for Mac's, Apple Contacts', Google Contacts' and a vCard 4.0: every field lands; a re-import matches by UID or name and e-mail", () => {
  ws.file("cards.vcf", ALL_VCARDS);
  const out = ws.ok("contacts", "import", "cards.vcf", "--db", ws.db, "--kind", "standalone");
  expect(out).toMatch(/card 2\s+create\s+Ing\. Václav Dvořák\n\s+not kept: BDAY without a year: 1604-03-15/);
  expect(out).toContain("Imported: 4 created, 0 updated, 0 unchanged.");
  const all = ws.contacts();
  expect(all.get("Élodie Marie Lefèvre")).toMatchObject({
    kind: "standalone",
    givenName: "Élodie",
    middleName: "Marie",
    surname: "Lefèvre",
    companyName: "Château Bélanger SARL",
    department: "Comptabilité",
    jobTitle: "Directrice financière",
    emailAddresses: [{ address: "elodie.lefevre@chateau-belanger.example" }, { address: "elodie@maison.example" }],
    businessPhones: ["+33 1 42 68 53 00"],
    mobilePhone: "+33 6 12 34 56 78",
    businessFax: "+33 1 42 68 53 01",
    businessAddress: { street: "12 Rue de la Paix\nBâtiment B", city: "Paris", state: "Île-de-France", postalCode: "75002", countryOrRegion: "France" },
    birthday: "1980-02-29",
    spouseName: "Luc Lefèvre",
    categories: ["Audit", "VIP"],
    personalNotes: "Vendanges en septembre; appeler avant 10h, s'il vous plaît.",
    businessHomePage: "https://chateau-belanger.example",
  });
  expect(all.get("Ing. Václav Dvořák")).toMatchObject({
    title: "Ing.",
    companyName: "Baltic Joinery s.r.o.",
    mobilePhone: "+420 601 234 567",
    businessPhones: ["+420 221 234 567"],
    homePhones: ["+420 222 765 432"],
    businessAddress: { street: "Václavské náměstí 1\nPatro 3", city: "Praha", postalCode: "110 00", countryOrRegion: "Czech Republic" },
    homeAddress: { street: "Na Příkopě 22", city: "Praha" },
    spouseName: "Eva Dvořáková",
    personalNotes: "Joinery, kitchens and doors. Quarterly VAT.",
  });
  expect(all.get("Ing. Václav Dvořák")!.birthday).toBeUndefined();
  expect(all.get("Søren Rønning")).toMatchObject({
    nickName: "Sønny",
    businessHomePage: "https://fjord-logistics.example",
    categories: ["Advisory"],
    spouseName: "Ingrid Rønning",
    birthday: "1975-11-02",
    personalNotes: "Met at the Bergen conference, 2023.\nFollow up in Q2.",
    businessAddress: { street: "Karl Johans gate 1", city: "Oslo", postalCode: "0154", countryOrRegion: "Norway" },
  });
  expect(all.get("Zoë Dubois")).toMatchObject({
    mobilePhone: "+33-6-11-22-33-44",
    homePhones: ["+33-1-44-55-66-77"],
    homeAddress: { street: "3 Place Bellecour\nAppartement 12", city: "Lyon", postalCode: "69002", countryOrRegion: "France" },
    birthday: "1985-07-04",
    spouseName: "Raphaël Dubois",
    companyName: "Meridian Architects",
  });
  expect(ws.ok("contacts", "import", "cards.vcf", "--db", ws.db)).toContain("Imported: 0 created, 0 updated, 4 unchanged.");
  expect(ws.contacts().size).toBe(4);
});

test("broken files of each kind are refused with row (or card), line, column and reason; nothing is written", () => {
  ws.file("good-then-bad.csv", BROKEN.outlookBrokenQuote());
  ws.file("bad-values.csv", BROKEN.outlookBadValues());
  ws.file("no-end.vcf", BROKEN.vcardNoEnd());
  ws.file("outlook-21.vcf", BROKEN.vcard21());
  ws.file("bad-line.vcf", BROKEN.vcardBadLine());
  ws.file("ansi.csv", Buffer.from("First Name,Last Name\r\nBj\xf6rn,B\xe4cker\r\n", "latin1"));
  const refused = (file: string) => {
    const r = ws.run("contacts", "import", file, "--db", ws.db);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} was refused; nothing was written:`);
    return r.stderr;
  };
  expect(refused("good-then-bad.csv")).toContain("row 3, line 3: a quote in the middle of a value");
  const values = refused("bad-values.csv");
  expect(values).toContain('row 3, line 3, column "Birthday": "31/31/1990" is not a real date');
  expect(values).toContain('row 4, line 4, column "E-mail Address": emailAddresses/0/address must NOT have more than 320 characters');
  expect(refused("no-end.vcf")).toContain("card 1, line 1: the card has no END:VCARD before the next BEGIN:VCARD on line 22");
  expect(refused("outlook-21.vcf")).toContain('card 1, line 1, property VERSION: vCard 2.1 (Outlook for Windows\' "Save as vCard") is not read');
  expect(refused("bad-line.vcf")).toMatch(/card 1, line 8, property TEL: .*TEL;TYPE=CELL \+47 912 34 567/);
  expect(refused("ansi.csv")).toContain("line 2: the file is not UTF-8 text; if it came from Outlook for Windows as \"Comma Separated Values\", give --encoding windows-1252");
  expect(ws.contacts().size).toBe(0);

  // The same Windows code-page file, read as what it is.
  expect(ws.ok("contacts", "import", "ansi.csv", "--db", ws.db, "--encoding", "windows-1252")).toMatch(/row 2\s+create\s+Björn Bäcker/);
});

test("a row with a shifted column or an unknown partner is refused whole, even after good rows", () => {
  ws.file("c.csv", "First Name,Last Name,Company,Partner\nÅsa,Ångström,Nordic,anna.lindqvist@harbour.example\nBjörn,Bäcker,Bakery, Ltd,AL\nChloé,Castañeda,,XY\n");
  const r = ws.run("contacts", "import", "c.csv", "--db", ws.db);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("row 3, line 3: the row has 5 values but the header names 4 columns (an unquoted comma?)");
  ws.file("c.csv", "First Name,Last Name,Company,Partner\nÅsa,Ångström,Nordic,anna.lindqvist@harbour.example\nChloé,Castañeda,,XY\n");
  const r2 = ws.run("contacts", "import", "c.csv", "--db", ws.db);
  expect(r2.stderr).toContain('row 3, line 3, column "Partner": "XY" is not a staff member of the firm');
  expect(ws.contacts().size).toBe(0);
});

test("any CSV with --map and --key: columns become fields and attributes, the key column makes a re-import update", () => {
  const csv = [
    "Client;Full name;Mail;Street;Town;Partner;Type",
    'A-100;Margaret Smith;margaret@smith-trading.example;"1 High Street',
    'Floor 2";London;AL;Limited company',
    "A-101;Priya Patel;priya@patel.example;;Leeds;anna.lindqvist@harbour.example;Sole trader",
  ].join("\r\n");
  ws.file("practice.csv", csv.replace(/;/g, ","));
  const map = ["Client=clientCode", "Full name=displayName", "Mail=email1", "Street=businessAddress.street", "Town=businessAddress.city", "Partner=partnerId", "Type=entityType"];
  const args = ["contacts", "import", "practice.csv", "--db", ws.db, "--key", "Client", ...map.flatMap((m) => ["--map", m])];
  expect(ws.ok(...args)).toContain("Imported: 2 created, 0 updated, 0 unchanged.");
  const anna = ws.staffIds().get("anna.lindqvist@harbour.example");
  expect(ws.contacts().get("Margaret Smith")).toMatchObject({
    clientCode: "A-100",
    emailAddresses: [{ address: "margaret@smith-trading.example" }],
    businessAddress: { street: "1 High Street\r\nFloor 2", city: "London" },
    partnerId: anna,
    entityType: "Limited company",
  });
  // Renamed in the practice system: the key still names the same contact.
  ws.file("practice.csv", csv.replace(/;/g, ",").replace("Priya Patel", "Priya Shah"));
  expect(ws.ok(...args)).toMatch(/row 3\s+update\s+Priya Shah\s+\(displayName\)/);
  expect(ws.contacts().size).toBe(2);

  const badMap = ws.run("contacts", "import", "practice.csv", "--db", ws.db, "--map", "Mail=emial");
  expect(badMap.code).toBe(2);
  expect(badMap.stderr).toContain('"emial" is not a target');
  ws.file("other.csv", "Client,Full name,Mail,Street\r\nA-102,Kenji Tanaka,kenji@example.jp,\r\n");
  const unknown = ws.run("contacts", "import", "other.csv", "--db", ws.db);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('no column is one this import knows (the header starts "Client", "Full name", "Mail", "Street")');
  // Without a name column the rows have nothing to be recognised by: refused, not imported nameless.
  const nameless = ws.run("contacts", "import", "practice.csv", "--db", ws.db);
  expect(nameless.stderr).toContain("row 2, line 2: the record has no name, e-mail address or key");
});
