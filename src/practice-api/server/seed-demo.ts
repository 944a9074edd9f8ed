// The "demo" seed: a firm with 5 staff, 300 clients, 100 standalone contacts and a few filters.
// Deterministic (a seeded PRNG), and deliberately untidy where real data is: non-ASCII names, multi-line
// street addresses, 0–4 email addresses (Outlook keeps 3), fax numbers, trailing blanks.
import type { FilterDefinition } from "../../sync/filters";
import type { ContactFields, ContactKind, EmailAddress, PracticeAttributes } from "../../sync/model";
import type { ContactsRepo } from "./contacts-repo";
import type { FiltersRepo } from "./filters-repo";
import type { FirmsRepo, StaffMember } from "./firms-repo";

export const DEMO_FIRM_ID = "firm-demo";

/** mulberry32: small, fast, good enough for demo data, and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEMO_STAFF: Omit<StaffMember, "firmId">[] = [
  { id: "staff-anna", name: "Anna Lindqvist", email: "anna.lindqvist@demo-practice.example", oid: "00000000-0000-0000-0000-0000000000a1", role: "admin", initials: "AL" },
  { id: "staff-jorg", name: "Jörg Müller", email: "joerg.mueller@demo-practice.example", oid: "00000000-0000-0000-0000-0000000000a2", role: "staff", initials: "JM" },
  { id: "staff-siobhan", name: "Siobhán O'Connor", email: "siobhan.oconnor@demo-practice.example", oid: "00000000-0000-0000-0000-0000000000a3", role: "staff", initials: "SO" },
  { id: "staff-zoe", name: "Zoë Dubois", email: "zoe.dubois@demo-practice.example", oid: "00000000-0000-0000-0000-0000000000a4", role: "staff", initials: "ZD" },
  { id: "staff-kenji", name: "Kenji Tanaka", email: "kenji.tanaka@demo-practice.example", oid: "00000000-0000-0000-0000-0000000000a5", role: "staff", initials: "KT" },
];

const GIVEN = ["Åsa", "Björn", "Chloé", "Dmitri", "Élodie", "François", "Grzegorz", "Hélène", "Íñigo", "Jürgen", "Kateřina", "Łukasz", "Mária", "Nuño", "Øystein", "Pål", "Raphaël", "Søren", "Tomás", "Ümit", "Václav", "William", "Xiù", "Yusuf", "Zofia", "Margaret", "David", "Sarah", "James", "Priya"];
const SURNAMES = ["Ångström", "Bäcker", "Castañeda", "Dvořák", "Eriksson", "Fernández", "García", "Håkansson", "Ibáñez", "Jankowski", "Kovačević", "Lefèvre", "Müller", "Nuñez", "O'Brien", "Petrović", "Quintão", "Rønning", "Schröder", "Thérien", "Újvári", "Vázquez", "Weiß", "Xu", "Yılmaz", "Żółkiewski", "Smith", "Patel", "Brown", "Nguyen"];
const COMPANY_WORDS = ["Nordic", "Alpine", "Harbour", "Crescent", "Oakridge", "Bélanger", "Fjord", "Summit", "Lindenhof", "Château", "Riverside", "Kōyō", "Meridian", "Sørlandet", "Baltic"];
const COMPANY_KINDS = ["Trading", "Holdings", "Bakery", "Consulting", "Logistics", "Architects", "Dental Practice", "Vineyards", "Software", "Joinery"];
const SUFFIXES = ["Ltd", "GmbH", "AB", "SARL", "LLP", "Inc.", "AS", "S.L."];
const CITIES: [string, string, string, string][] = [
  ["München", "BY", "80331", "Germany"],
  ["Göteborg", "", "411 03", "Sweden"],
  ["Zürich", "ZH", "8001", "Switzerland"],
  ["Dublin", "", "D02 X285", "Ireland"],
  ["Montréal", "QC", "H2Y 1C6", "Canada"],
  ["London", "", "EC1A 1BB", "United Kingdom"],
  ["Kraków", "", "31-001", "Poland"],
  ["San José", "CA", "95113", "United States"],
];
const STREETS = ["Hauptstraße", "Kungsgatan", "Rue de la Paix", "High Street", "Calle Mayor", "Ulica Floriańska", "Bahnhofstrasse", "Main Street"];
const OFFICES = ["München", "Dublin", "London"];
const ENTITY_TYPES = ["Individual", "Limited company", "Partnership", "Trust", "Sole trader", "Charity"];
const STATUSES = ["active", "active", "active", "prospect", "inactive"];
const CATEGORIES = ["Tax", "Audit", "Payroll", "Advisory", "VIP"];
const JOB_TITLES = ["Director", "Finance Manager", "Owner", "Bookkeeper", "CFO", "Trustee", "Office Manager"];

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .replace(/[øØ]/g, "o")
    .replace(/ß/g, "ss")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();

function demoId(rand: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () =>
      Math.floor(rand() * 16)
        .toString(16)
        .toLowerCase(),
    ).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`;
}

export interface SeedContact {
  id: string;
  kind: ContactKind;
  fields: ContactFields;
  attributes: PracticeAttributes;
}

/** The demo contacts, in a fixed order; the same every time. */
export function demoContacts(staffIds: string[], counts = { clients: 300, standalone: 100 }, seed = 20240601): SeedContact[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const phone = (cc: string) => `+${cc} ${pad(Math.floor(rand() * 1000), 3)} ${pad(Math.floor(rand() * 10000), 4)} ${pad(Math.floor(rand() * 1000), 3)}`;
  const out: SeedContact[] = [];
  const total = counts.clients + counts.standalone;
  for (let i = 0; i < total; i++) {
    const kind: ContactKind = i < counts.clients ? "client" : "standalone";
    const given = pick(GIVEN);
    const surname = pick(SURNAMES);
    const isCompany = kind === "client" && chance(0.45);
    const company = `${pick(COMPANY_WORDS)} ${pick(COMPANY_KINDS)} ${pick(SUFFIXES)}`;
    const [city, state, postalCode, country] = pick(CITIES);
    const fields: ContactFields = {};
    if (isCompany) {
      fields.displayName = company;
      fields.companyName = company;
      fields.fileAs = company;
      if (chance(0.7)) {
        fields.givenName = given;
        fields.surname = surname;
        fields.jobTitle = pick(JOB_TITLES);
      }
    } else {
      fields.givenName = given;
      fields.surname = surname;
      fields.displayName = `${given} ${surname}`;
      fields.fileAs = `${surname}, ${given}`;
      if (chance(0.3)) fields.middleName = pick(GIVEN);
      if (chance(0.4)) fields.companyName = company;
      if (chance(0.2)) fields.title = pick(["Dr.", "Mr.", "Ms.", "Prof.", "Mx."]);
      if (chance(0.05)) fields.generation = pick(["Jr.", "Sr.", "III"]);
      if (chance(0.25)) fields.birthday = `${1940 + Math.floor(rand() * 60)}-${pad(1 + Math.floor(rand() * 12), 2)}-${pad(1 + Math.floor(rand() * 28), 2)}`;
      if (chance(0.2)) fields.spouseName = `${pick(GIVEN)} ${surname}`;
    }
    const emailCount = Math.floor(rand() * 5); // 0–4: four is more than Outlook keeps (R16)
    if (emailCount) {
      const local = ascii(given) + "." + ascii(surname);
      const domain = ascii(company.split(" ")[0]) + pick([".example", ".example.com", ".example.org"]);
      const emails: EmailAddress[] = [];
      for (let e = 0; e < emailCount; e++) {
        const address = e === 0 ? `${local}@${domain}` : `${local}${e + 1}@${pick(["mail", "post", "inbox"])}.example`;
        emails.push(e === 0 ? { name: fields.displayName ?? `${given} ${surname}`, address } : { address });
      }
      fields.emailAddresses = emails;
    }
    const cc = pick(["49", "46", "41", "353", "1", "44", "48"]);
    if (chance(0.8)) fields.businessPhones = chance(0.25) ? [phone(cc), phone(cc), phone(cc)] : [phone(cc)];
    if (chance(0.3)) fields.homePhones = [phone(cc)];
    if (chance(0.5)) fields.mobilePhone = phone(cc);
    if (chance(0.3)) fields.businessFax = phone(cc);
    if (chance(0.05)) fields.homeFax = phone(cc);
    if (chance(0.03)) fields.otherFax = phone(cc);
    if (chance(0.3)) fields.businessHomePage = `https://www.${ascii(company.split(" ")[0])}.example`;
    const streetLines = [`${pick(STREETS)} ${1 + Math.floor(rand() * 200)}`];
    if (chance(0.3)) streetLines.push(pick(["Hinterhaus, 2. OG", "Suite 400", "c/o Accounts Payable", "Bâtiment B", "Unit 7"]));
    fields.businessAddress = { street: streetLines.join("\n"), city, ...(state ? { state } : {}), postalCode, countryOrRegion: country };
    if (!isCompany && chance(0.3)) fields.homeAddress = { street: `${pick(STREETS)} ${1 + Math.floor(rand() * 99)}`, city, postalCode, countryOrRegion: country };
    if (chance(0.15)) fields.personalNotes = pick(["Prefers phone calls.", "Year end: March.\nSend reminders in January.", "Über den Steuerberater erreichbar.", "Met at the 2023 conference."]);
    if (chance(0.4)) fields.categories = [pick(CATEGORIES)];
    if (chance(0.1)) {
      // Trailing blanks, as typed in the practice system (R4 normalizes them once).
      if (fields.displayName) fields.displayName += "  ";
      if (fields.businessAddress?.street) fields.businessAddress.street = fields.businessAddress.street.replace("\n", " \n") + " ";
    }
    const attributes: PracticeAttributes = {
      status: pick(STATUSES),
      office: pick(OFFICES),
      entityType: isCompany ? pick(ENTITY_TYPES.slice(1)) : pick(["Individual", "Sole trader", "Individual"]),
    };
    if (kind === "client") {
      // The client code is assigned by the server on create (C10001, C10002, …).
      attributes.partnerId = staffIds[Math.floor(rand() * 2)];
      attributes.managerId = pick(staffIds);
      if (chance(0.6)) attributes.associateId = pick(staffIds);
    }
    out.push({ id: demoId(rand), kind, fields, attributes });
  }
  return out;
}

export const DEMO_FILTERS: { ownerId: string; def: FilterDefinition }[] = [
  { ownerId: "staff-anna", def: { name: "Anna – my clients", match: "all", criteria: [{ field: "kind", method: "equals", values: ["client"] }, { field: "partnerId", method: "equals", values: ["staff-anna"] }] } },
  { ownerId: "staff-jorg", def: { name: "Jörg – München office", match: "all", criteria: [{ field: "office", method: "equals", values: ["München"] }] } },
  { ownerId: "staff-siobhan", def: { name: "Siobhán – tax or payroll", match: "any", criteria: [{ field: "categories", method: "list", values: ["Tax", "Payroll"] }] } },
  { ownerId: "staff-zoe", def: { name: "Zoë – companies A to M", match: "all", criteria: [{ field: "companyName", method: "range", values: ["A", "M"] }, { field: "status", method: "list", values: ["active", "prospect"] }] } },
  { ownerId: "staff-kenji", def: { name: "Kenji – no email yet", match: "all", criteria: [{ field: "emailAddresses", method: "isBlank", values: [] }] } },
];

/** Seeds the demo firm into an empty database. */
export function seedDemo(repos: { firms: FirmsRepo; contacts: ContactsRepo; filters: FiltersRepo }, db: { transaction: <T>(fn: () => T) => () => T }): void {
  db.transaction(() => {
    repos.firms.createFirm(DEMO_FIRM_ID, "Lindqvist & Müller Chartered Accountants");
    DEMO_STAFF.forEach((s, i) => repos.firms.addStaff({ ...s, firmId: DEMO_FIRM_ID }, i));
    for (const c of demoContacts(DEMO_STAFF.map((s) => s.id))) repos.contacts.create(DEMO_FIRM_ID, c);
    DEMO_FILTERS.forEach((f, i) => repos.filters.create(DEMO_FIRM_ID, f.ownerId, f.def, `filter-demo-${i + 1}`));
  })();
}
