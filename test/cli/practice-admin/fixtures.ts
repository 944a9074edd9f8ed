// Files as the real programs write them, made here: Outlook's CSV export (its real header row), vCards
// shaped like those of Outlook for Mac, Apple Contacts and Google Contacts, one vCard 4.0, and broken ones.

/** Classic Outlook's "Comma Separated Values" export header, column for column. */
export const OUTLOOK_HEADER = [
  "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
  "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State", "Business Postal Code", "Business Country/Region",
  "Home Street", "Home Street 2", "Home Street 3", "Home City", "Home State", "Home Postal Code", "Home Country/Region",
  "Other Street", "Other Street 2", "Other Street 3", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
  "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone", "Company Main Phone",
  "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax", "Other Phone", "Pager", "Primary Phone",
  "Radio Phone", "TTY/TDD Phone", "Telex", "Account", "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
  "Business Address PO Box", "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type", "E-mail Display Name",
  "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type", "E-mail 3 Display Name",
  "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials", "Internet Free Busy", "Keywords", "Language",
  "Location", "Manager's Name", "Mileage", "Notes", "Office Location", "Organizational ID Number", "Other Address PO Box",
  "Priority", "Private", "Profession", "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
];

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** One Outlook row: every column present, Outlook's "none" values where a column is empty. */
function outlookRow(values: Record<string, string>): string {
  const defaults: Record<string, string> = { Anniversary: "0/0/00", Birthday: "0/0/00", Gender: "Unspecified", Priority: "Normal", Private: "False", Sensitivity: "Normal" };
  for (const k of Object.keys(values)) if (!OUTLOOK_HEADER.includes(k)) throw new Error(`not an Outlook column: ${k}`);
  return OUTLOOK_HEADER.map((h) => quote(values[h] ?? defaults[h] ?? "")).join(",");
}

export const OUTLOOK_ROWS: Record<string, string>[] = [
  {
    Title: "Dr.", "First Name": "Jörg", "Last Name": "Müller", Company: "Nordic Trading GmbH", Department: "Finanzen", "Job Title": "Finance Manager",
    "Business Street": "Hauptstraße 5\r\nHinterhaus, 2. OG", "Business City": "München", "Business State": "BY", "Business Postal Code": "80331",
    "Business Country/Region": "Germany", "Business Phone": "+49 89 1234 567", "Business Phone 2": "+49 89 1234 568", "Mobile Phone": "+49 170 123 4567",
    "Business Fax": "+49 89 1234 569", Birthday: "4/15/1972", Categories: "Tax;VIP", "E-mail Address": "joerg.mueller@nordic.example", "E-mail Type": "SMTP",
    "E-mail Display Name": "Jörg Müller (joerg.mueller@nordic.example)", "E-mail 2 Address": "j.mueller@privat.example", "E-mail 2 Type": "SMTP",
    "E-mail 2 Display Name": "j.mueller@privat.example", Notes: 'Prefers "Herr Dr. Müller", by post.\r\nYear end: March, VAT quarterly.', Initials: "J.M.",
    Spouse: "Anna Müller", "Web Page": "https://nordic.example/",
  },
  {
    "First Name": "Siobhán", "Last Name": "O'Connor", Company: "Harbour Bakery, Ltd", "Job Title": "Owner", "Home Street": "12 Merrion Square",
    "Home Street 2": "Apartment 4", "Home City": "Dublin", "Home Postal Code": "D02 X285", "Home Country/Region": "Ireland", "Home Phone": "+353 1 234 5678",
    Pager: "+353 87 000 1111", "E-mail Address": "siobhan@harbour-bakery.example", "E-mail Type": "SMTP", Categories: "Payroll", Initials: "S.O.",
  },
  {
    "First Name": "秀", "Last Name": "徐", Company: "Kōyō Software 株式会社", "Office Location": "東京 本社", "E-mail Address": "xiu.xu@koyo.example",
    "E-mail Type": "SMTP", Notes: "Zürich office: Bahnhofstrasse 1, 8001 Zürich", Profession: "Engineer",
  },
];

/** An Outlook export of the rows above: UTF-8 with a byte order mark and CRLF, as Outlook writes it. */
export function outlookCsv(rows = OUTLOOK_ROWS): string {
  return `\uFEFF${[OUTLOOK_HEADER.map(quote).join(","), ...rows.map(outlookRow)].join("\r\n")}\r\n`;
}

export const OUTLOOK_MAC_VCARD = [
  "BEGIN:VCARD",
  "VERSION:3.0",
  "PRODID:-//Microsoft Corporation//Outlook for Mac 16.0//EN",
  "N;LANGUAGE=de-de:Lefèvre;Élodie;Marie;;",
  "FN:Élodie Marie Lefèvre",
  "ORG:Château Bélanger SARL;Comptabilité",
  "TITLE:Directrice financière",
  "EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=PREF:elodie.lefevre@chateau-belanger.example",
  "EMAIL;TYPE=INTERNET;TYPE=HOME:elodie@maison.example",
  "TEL;TYPE=WORK;TYPE=VOICE:+33 1 42 68 53 00",
  "TEL;TYPE=CELL;TYPE=VOICE:+33 6 12 34 56 78",
  "TEL;TYPE=WORK;TYPE=FAX:+33 1 42 68 53 01",
  "ADR;TYPE=WORK;TYPE=PREF:;;12 Rue de la Paix\\nBâtiment B;Paris;Île-de-France;75002;France",
  "LABEL;TYPE=WORK;TYPE=PREF:12 Rue de la Paix\\nBâtiment B\\nParis\\, Île-de-France 75002\\nFrance",
  "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",
  "URL;TYPE=WORK:https://chateau-belanger.example",
  "BDAY:1980-02-29",
  "X-MS-SPOUSE;N=Lefèvre;Luc:Luc Lefèvre",
  "CATEGORIES:Audit,VIP",
  "NOTE:Vendanges en septembre\\; appeler avant 10h\\, s'il vous plaît.",
  "UID:040000008200E00074C5B7101A82E00800000000D0A1B2C3",
  "REV:20240501T101500Z",
  "END:VCARD",
].join("\r\n");

export const APPLE_VCARD = [
  "BEGIN:VCARD",
  "VERSION:3.0",
  "PRODID:-//Apple Inc.//macOS 14.4//EN",
  "N:Dvořák;Václav;;Ing.;",
  "FN:Ing. Václav Dvořák",
  "ORG:Baltic Joinery s.r.o.;",
  "TITLE:Owner",
  "EMAIL;type=INTERNET;type=WORK;type=pref:vaclav@baltic-joinery.example",
  "TEL;type=CELL;type=VOICE;type=pref:+420 601 234 567",
  "TEL;type=WORK;type=VOICE:+420 221 234 567",
  "TEL;type=HOME;type=VOICE:+420 222 765 432",
  "item1.ADR;type=WORK;type=pref:;;Václavské náměstí 1\\nPatro 3;Praha;;110 00;Czech Republic",
  "item1.X-ABADR:cz",
  "item2.ADR;type=HOME:;;Na Příkopě 22;Praha;;110 00;Czech Republic",
  "item2.X-ABADR:cz",
  "item3.X-ABRELATEDNAMES;type=pref:Eva Dvořáková",
  "item3.X-ABLabel:_$!<Spouse>!$_",
  "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15",
  "NOTE:Joinery\\, kitchens and doors. Quarterly VAT.",
  "UID:6A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
  "X-ABUID:6A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D:ABPerson",
  "END:VCARD",
].join("\r\n");

export const GOOGLE_VCARD = [
  "BEGIN:VCARD",
  "VERSION:3.0",
  "FN:Søren Rønning",
  "N:Rønning;Søren;;;",
  "NICKNAME:Sønny",
  "EMAIL;TYPE=INTERNET;TYPE=WORK:soren@fjord-logistics.example",
  "EMAIL;TYPE=INTERNET;TYPE=HOME:soren.ronning@mail.example",
  "TEL;TYPE=CELL:+47 912 34 567",
  "TEL;TYPE=WORK:+47 22 12 34 56",
  "ADR;TYPE=WORK:;;Karl Johans gate 1;Oslo;;0154;Norway;NO",
  "ORG:Fjord Logistics AS",
  "TITLE:CFO",
  "BDAY:1975-11-02",
  "URL:https\\://fjord-logistics.example",
  "item1.X-ABRELATEDNAMES:Ingrid Rønning",
  "item1.X-ABLabel:Spouse",
  "NOTE:Met at the Bergen conference\\, 2023.\\nFollow up in Q2.",
  "CATEGORIES:myContacts,Advisory",
  "END:VCARD",
].join("\r\n");

export const VCARD_4 = [
  "BEGIN:VCARD",
  "VERSION:4.0",
  "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
  "KIND:individual",
  "FN:Zoë Dubois",
  "N:Dubois;Zoë;;;",
  "EMAIL;TYPE=work;PREF=1:zoe.dubois@meridian.example",
  "TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+33-6-11-22-33-44",
  "TEL;VALUE=uri;TYPE=\"home,voice\":tel:+33-1-44-55-66-77",
  "ADR;TYPE=home:;;3 Place Bellecour,Appartement 12;Lyon;;69002;France",
  "BDAY:19850704",
  "RELATED;TYPE=spouse;VALUE=text:Raphaël Dubois",
  "ORG:Meridian Architects",
  "END:VCARD",
].join("\r\n");

/** Every good card in one file, as a phone's "share all" or a mixed export would put them. */
export const ALL_VCARDS = `${[OUTLOOK_MAC_VCARD, APPLE_VCARD, GOOGLE_VCARD, VCARD_4].join("\r\n")}\r\n`;

// Broken files: each is refused as a whole, with where and why.
export const BROKEN = {
  /** A notes value with a stray quote on row 3 (line 3). */
  outlookBrokenQuote: () => {
    const good = outlookCsv(OUTLOOK_ROWS.slice(0, 1)).trimEnd();
    const bad = outlookRow({ "First Name": "Åsa", "Last Name": "Ångström", Notes: "x" }).replace('"x"', '"unfinished note');
    return `${good.split("\r\n").slice(0, 1).join("")}\r\n${outlookRow({ "First Name": "Björn", "Last Name": "Bäcker" })}\r\n${bad}\r\n`;
  },
  /** A birthday that is no date on row 3, an e-mail address too long on row 4. */
  outlookBadValues: () =>
    outlookCsv([
      { "First Name": "Björn", "Last Name": "Bäcker" },
      { "First Name": "Chloé", "Last Name": "Castañeda", Birthday: "31/31/1990" },
      { "First Name": "Dmitri", "Last Name": "Petrović", "E-mail Address": `${"d".repeat(330)}@example.com` },
    ]),
  /** Apple's card with its END:VCARD lost, followed by Google's. */
  vcardNoEnd: () => `${APPLE_VCARD.replace("\r\nEND:VCARD", "")}\r\n${GOOGLE_VCARD}\r\n`,
  /** Outlook for Windows' vCard 2.1. */
  vcard21: () =>
    ["BEGIN:VCARD", "VERSION:2.1", "N;LANGUAGE=en-us:Smith;Margaret", "FN:Margaret Smith", "TEL;WORK;VOICE:+44 20 7946 0000", "EMAIL;PREF;INTERNET:margaret@example.co.uk", "END:VCARD"].join("\r\n"),
  /** Google's card with a line that lost its colon (line 6). */
  vcardBadLine: () => GOOGLE_VCARD.replace("TEL;TYPE=CELL:+47 912 34 567", "TEL;TYPE=CELL +47 912 34 567"),
};
