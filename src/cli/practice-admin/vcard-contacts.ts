// Contacts as vCard 3.0 (RFC 2426: Apple Contacts, Google Contacts, Outlook for Mac) and 4.0 (RFC 6350),
// parsed and written by ical.js. Here: finding each card and its line, and the mapping between vCard
// properties and the practice contact. Practice attributes travel as X-PRACTICE-* properties.
import ICAL from "ical.js";
import type { ApiContact } from "../../practice-api/contact-mapping";
import type { ContactFields, EmailAddress, PhysicalAddress } from "../../sync/model";
import type { StaffNames } from "./csv-contacts";
import { FileRefusal, type FileProblem } from "./file-refusal";
import {
  emptyRecord,
  parseBirthday,
  problem,
  setField,
  PLAIN_ATTRIBUTES,
  STAFF_REFERENCES,
  type ImportRecord,
  type PlainAttribute,
  type StaffReference,
} from "./import-record";

type JProp = [string, Record<string, unknown>, string, ...unknown[]];
type JCard = ["vcard", JProp[], unknown[]];

const X_ATTRIBUTE: Record<PlainAttribute | StaffReference, string> = {
  clientCode: "x-practice-client-code",
  status: "x-practice-status",
  office: "x-practice-office",
  entityType: "x-practice-entity-type",
  partnerId: "x-practice-partner",
  managerId: "x-practice-manager",
  associateId: "x-practice-associate",
};

interface CardText {
  row: number;
  line: number;
  text: string;
  lines: { n: number; text: string }[];
}

/** Splits a file into its cards (BEGIN:VCARD … END:VCARD), each with its number and first line. */
function splitCards(file: string, text: string): CardText[] {
  const lines = text.split(/\r\n|\n|\r/);
  const cards: CardText[] = [];
  const problems: FileProblem[] = [];
  let open: CardText | null = null;
  lines.forEach((raw, i) => {
    const n = i + 1;
    const t = raw.trim().toUpperCase();
    if (open === null) {
      if (t === "BEGIN:VCARD") open = { row: cards.length + 1, line: n, text: "", lines: [{ n, text: raw }] };
      else if (t !== "") problems.push({ line: n, reason: `text outside a card: "${raw.slice(0, 40)}" (each card starts with BEGIN:VCARD)` });
      return;
    }
    const card: CardText = open;
    if (t === "BEGIN:VCARD") {
      problems.push({ row: card.row, line: card.line, reason: `the card has no END:VCARD before the next BEGIN:VCARD on line ${n}` });
      open = { row: card.row + 1, line: n, text: "", lines: [{ n, text: raw }] };
      cards.push(card);
      return;
    }
    card.lines.push({ n, text: raw });
    if (t === "END:VCARD") {
      card.text = card.lines.map((l) => l.text).join("\r\n");
      cards.push(card);
      open = null;
    }
  });
  if (open !== null) {
    const card: CardText = open;
    problems.push({ row: card.row, line: card.line, reason: "the card never ends (no END:VCARD)" });
  }
  if (problems.length) throw new FileRefusal(file, problems, "card");
  if (cards.length === 0) throw new FileRefusal(file, [{ reason: "the file holds no vCard (no BEGIN:VCARD line)" }], "card");
  return cards;
}

/** Unfolded content lines of a card with the line each starts on (a folded line continues with a blank). */
function contentLines(card: CardText): { n: number; text: string }[] {
  const out: { n: number; text: string }[] = [];
  for (const l of card.lines) {
    if ((l.text.startsWith(" ") || l.text.startsWith("\t")) && out.length) out[out.length - 1].text += l.text.slice(1);
    else out.push({ ...l });
  }
  return out;
}

function versionOf(card: CardText): string | undefined {
  const v = contentLines(card).find((l) => /^VERSION:/i.test(l.text));
  return v?.text.slice("VERSION:".length).trim();
}

function parseCard(card: CardText): JCard | FileProblem {
  const version = versionOf(card);
  if (version === undefined) return { row: card.row, line: card.line, column: "VERSION", reason: "the card has no VERSION (3.0 or 4.0)" };
  if (version === "2.1")
    return { row: card.row, line: card.line, column: "VERSION", reason: "vCard 2.1 (Outlook for Windows' \"Save as vCard\") is not read: export Outlook's contacts as CSV, or save the cards as vCard 3.0" };
  if (version !== "3.0" && version !== "4.0") return { row: card.row, line: card.line, column: "VERSION", reason: `version "${version}" is not 3.0 or 4.0` };
  try {
    return ICAL.parse(card.text) as unknown as JCard;
  } catch (e) {
    // Name the first line the parser cannot read, so the admin can find it.
    const design = version === "3.0" ? ICAL.design.vcard3 : ICAL.design.vcard;
    for (const l of contentLines(card).slice(1, -1)) {
      try {
        ICAL.parse.property(l.text, design);
      } catch (lineError) {
        const name = /^[A-Za-z0-9.-]+/.exec(l.text)?.[0];
        return { row: card.row, line: l.n, column: name?.replace(/^.*\./, "").toUpperCase(), reason: (lineError as Error).message };
      }
    }
    return { row: card.row, line: card.line, reason: (e as Error).message };
  }
}

const str = (v: unknown): string => (Array.isArray(v) ? v.map(str).join(",") : v === null || v === undefined ? "" : String(v));
const typesOf = (p: JProp): Set<string> => {
  const t = p[1].type;
  const list = (Array.isArray(t) ? t : t === undefined ? [] : [t]).flatMap((x) => String(x).split(","));
  return new Set(list.map((x) => x.trim().toLowerCase()));
};
/** A structured component: a list (vCard 4.0 commas) joined, as lines for a street, else with ", ". */
const part = (v: unknown, sep = ", "): string => (Array.isArray(v) ? v.map((x) => str(x)).filter(Boolean).join(sep) : str(v));

// Google Contacts puts every contact in these system groups; they are not the firm's categories.
const GOOGLE_SYSTEM_GROUPS = new Set(["mycontacts", "starred"]);

/** Reads every card of a vCard file as an import record; refuses a file with a card it cannot read. */
export function vcardRecords(file: string, text: string): ImportRecord[] {
  const cards = splitCards(file, text);
  const problems: FileProblem[] = [];
  const records: ImportRecord[] = [];
  for (const card of cards) {
    const parsed = parseCard(card);
    if (!Array.isArray(parsed)) {
      problems.push(parsed);
      continue;
    }
    records.push(cardRecord(card, parsed));
  }
  if (problems.length) throw new FileRefusal(file, problems, "card");
  return records;
}

function cardRecord(card: CardText, jcard: JCard): ImportRecord {
  const rec = emptyRecord(card.row, card.line);
  const props = jcard[1];
  const all = (name: string) => props.filter((p) => p[0] === name);
  const first = (name: string) => all(name)[0];
  // ical.js leaves the value of an x-property it has no type for as written: undo vCard's text escapes.
  // ical.js leaves "\;" in a 3.0 text value (RFC 2426 escapes it too) and an x-property it has no type
  // for as written: undo vCard's text escapes there.
  const text = (p: JProp | undefined) => (!p ? "" : p[2] === "unknown" ? unescapeText(str(p[3])) : str(p[3]).replace(/\\;/g, ";"));
  // Apple and Google label a related name through a property of the same group.
  const labelOf = (p: JProp) => {
    const g = p[1].group;
    return g ? text(props.find((q) => q[0] === "x-ablabel" && q[1].group === g)).toLowerCase() : "";
  };

  const n = first("n");
  const nParts = n ? (n[3] as unknown[]) : [];
  setField(rec, "surname", part(nParts[0], " "), "N");
  setField(rec, "givenName", part(nParts[1], " "), "N");
  setField(rec, "middleName", part(nParts[2], " "), "N");
  setField(rec, "title", part(nParts[3], " "), "N");
  setField(rec, "generation", part(nParts[4], " "), "N");
  setField(rec, "displayName", text(first("fn")), "FN");
  setField(rec, "nickName", text(first("nickname")), "NICKNAME");
  const org = first("org");
  const orgParts = org ? (org.slice(3).length > 1 ? org.slice(3) : Array.isArray(org[3]) ? (org[3] as unknown[]) : [org[3]]) : [];
  setField(rec, "companyName", str(orgParts[0]), "ORG");
  setField(rec, "department", orgParts.slice(1).map(str).filter(Boolean).join(", "), "ORG");
  setField(rec, "jobTitle", text(first("title")), "TITLE");
  setField(rec, "profession", text(first("role")), "ROLE");
  setField(rec, "fileAs", text(first("x-practice-file-as")), "X-PRACTICE-FILE-AS");
  setField(rec, "officeLocation", text(first("x-practice-office-location")), "X-PRACTICE-OFFICE-LOCATION");
  setField(rec, "personalNotes", all("note").map(text).join("\n"), "NOTE");

  const emails: EmailAddress[] = prefFirst(all("email")).map((p) => {
    const name = p[1]["x-name"];
    return typeof name === "string" && name.trim() ? { name, address: text(p) } : { address: text(p) };
  });
  setField(rec, "emailAddresses", emails, "EMAIL");

  readPhones(rec, prefFirst(all("tel")));
  readAddresses(rec, prefFirst(all("adr")));

  const bday = first("bday");
  setField(rec, "birthday", undefined, "BDAY");
  if (bday) {
    const raw = text(bday);
    if (bday[1]["x-apple-omit-year"] !== undefined || raw.startsWith("--")) rec.notKept.push(`BDAY without a year: ${raw}`);
    else {
      const parsed = parseBirthday(raw.slice(0, 10), "mdy");
      if (parsed instanceof Error) problem(rec, "BDAY", parsed.message);
      else setField(rec, "birthday", parsed ?? undefined, "BDAY");
    }
  }
  const urls = prefFirst(all("url"));
  const work = urls.find((p) => typesOf(p).has("work")) ?? urls[0];
  // Google writes "https\://…" in vCard 3.0; a URL never holds an escaped colon.
  setField(rec, "businessHomePage", text(work).replace(/\\:/g, ":"), "URL");
  for (const u of urls) if (u !== work) rec.notKept.push(`URL: ${text(u).replace(/\\:/g, ":")}`);
  const categories = all("categories")
    .flatMap((p) => p.slice(3).map(str))
    .filter((c) => c.trim() !== "" && !GOOGLE_SYSTEM_GROUPS.has(c.trim().toLowerCase()));
  setField(rec, "categories", categories, "CATEGORIES");

  const spouse =
    all("related").find((p) => typesOf(p).has("spouse")) ??
    first("x-ms-spouse") ??
    first("x-spouse") ??
    all("x-abrelatednames").find((p) => /spouse|partner/.test(labelOf(p)));
  setField(rec, "spouseName", spouse ? text(spouse) : "", spouse ? spouse[0].toUpperCase() : "RELATED");

  const uid = text(first("uid")).trim();
  if (uid) {
    rec.key = `uid:${uid}`;
    rec.id = uid.replace(/^urn:uuid:/i, "");
  }
  const kind = text(first("x-practice-kind")).trim().toLowerCase();
  if (kind === "client" || kind === "standalone") rec.kind = kind;
  else if (kind) problem(rec, "X-PRACTICE-KIND", `"${kind}" is not a kind: write client or standalone`);
  for (const a of [...PLAIN_ATTRIBUTES, ...STAFF_REFERENCES]) {
    const v = text(first(X_ATTRIBUTE[a])).trim();
    if (!v) continue;
    if ((STAFF_REFERENCES as readonly string[]).includes(a)) rec.staff[a as StaffReference] = v;
    else rec.attributes[a as PlainAttribute] = v;
    rec.sourceOf.set(a, X_ATTRIBUTE[a].toUpperCase());
  }
  return rec;
}

/** Values marked preferred first (TYPE=pref in 3.0, PREF=1 in 4.0), otherwise in file order. */
function prefFirst(props: JProp[]): JProp[] {
  const rank = (p: JProp) => {
    const pref = p[1].pref;
    if (pref !== undefined) return Number(pref) || 100;
    return typesOf(p).has("pref") ? 1 : 101;
  };
  return props.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.p);
}

function readPhones(rec: ImportRecord, tels: JProp[]): void {
  const business: string[] = [];
  const home: string[] = [];
  const single: Partial<Record<"mobilePhone" | "businessFax" | "homeFax" | "otherFax", string>> = {};
  for (const p of tels) {
    const number = str(p[3]).replace(/^tel:/i, "").trim();
    if (!number) continue;
    const t = typesOf(p);
    const slot = t.has("fax") ? (t.has("work") ? "businessFax" : t.has("home") ? "homeFax" : "otherFax") : t.has("cell") ? "mobilePhone" : null;
    if (slot) {
      if (single[slot] === undefined) single[slot] = number;
      else rec.notKept.push(`TEL (${[...t].join(",")}): ${number}`);
    } else if (t.has("pager") || t.has("video") || t.has("textphone") || t.has("car") || t.has("isdn")) {
      rec.notKept.push(`TEL (${[...t].join(",")}): ${number}`);
    } else if (t.has("home") && !t.has("work")) home.push(number);
    else business.push(number);
  }
  setField(rec, "businessPhones", business, "TEL");
  setField(rec, "homePhones", home, "TEL");
  for (const slot of ["mobilePhone", "businessFax", "homeFax", "otherFax"] as const) setField(rec, slot, single[slot], "TEL");
}

function readAddresses(rec: ImportRecord, adrs: JProp[]): void {
  const slots: Partial<Record<"businessAddress" | "homeAddress" | "otherAddress", PhysicalAddress>> = {};
  for (const p of adrs) {
    const c = p[3] as unknown[];
    const street = [part(c[0], "\n"), part(c[1], "\n"), part(c[2], "\n")].filter(Boolean).join("\n");
    const address: PhysicalAddress = { street, city: part(c[3]), state: part(c[4]), postalCode: part(c[5]), countryOrRegion: part(c[6]) };
    const t = typesOf(p);
    const want = t.has("work") ? "businessAddress" : t.has("home") ? "homeAddress" : "otherAddress";
    const slot = slots[want] === undefined ? want : slots.otherAddress === undefined ? "otherAddress" : null;
    if (slot) slots[slot] = address;
    else rec.notKept.push(`ADR: ${Object.values(address).filter(Boolean).join(", ").replace(/\n/g, " ")}`);
  }
  for (const slot of ["businessAddress", "homeAddress", "otherAddress"] as const) setField(rec, slot, slots[slot], "ADR");
}

/** vCard text cannot hold a carriage return: a line break is written as \n. */
const lf = (s: string) => s.replace(/\r\n?/g, "\n");
/** RFC 6350 §3.4 text escapes, for x-properties that ical.js writes as they are. */
const escapeText = (s: string) => lf(s).replace(/[\\,;]/g, (ch) => `\\${ch}`).replace(/\n/g, "\\n");
const unescapeText = (s: string) => s.replace(/\\([\\,;nN])/g, (_, ch: string) => (ch.toLowerCase() === "n" ? "\n" : ch));

/** One contact as a vCard of the given version (ical.js writes it, CRLF line ends, folded at 75 octets). */
export function writeVcard(c: ApiContact, version: "3.0" | "4.0", staff: StaffNames): string {
  const f = c as unknown as ContactFields;
  const v4 = version === "4.0";
  const props: JProp[] = [["version", {}, "text", version]];
  const add = (name: string, params: Record<string, unknown>, type: string, ...values: unknown[]) => props.push([name, params, type, ...values]);
  add("uid", {}, v4 ? "uri" : "text", /^[0-9a-f-]{36}$/i.test(c.id) ? `urn:uuid:${c.id}` : c.id);
  add("fn", {}, "text", lf(f.displayName ?? f.companyName ?? f.emailAddresses?.[0]?.address ?? ""));
  add("n", {}, "text", [f.surname ?? "", f.givenName ?? "", f.middleName ?? "", f.title ?? "", f.generation ?? ""].map(lf));
  if (f.nickName) add("nickname", {}, "text", lf(f.nickName));
  if (f.companyName || f.department) add("org", {}, "text", [lf(f.companyName ?? ""), lf(f.department ?? "")]);
  if (f.jobTitle) add("title", {}, "text", lf(f.jobTitle));
  if (f.profession) add("role", {}, "text", lf(f.profession));
  (f.emailAddresses ?? []).forEach((e, i) => {
    const params: Record<string, unknown> = v4 ? {} : { type: "internet" };
    if (i === 0) Object.assign(params, v4 ? { pref: "1" } : { type: ["internet", "pref"] });
    if (e.name) params["x-name"] = e.name;
    add("email", params, "text", e.address);
  });
  const tel = (types: string[], value: string) => add("tel", { type: types.length === 1 ? types[0] : types }, v4 ? "text" : "phone-number", value);
  for (const p of f.businessPhones ?? []) tel(["work", "voice"], p);
  for (const p of f.homePhones ?? []) tel(["home", "voice"], p);
  if (f.mobilePhone) tel(["cell"], f.mobilePhone);
  if (f.businessFax) tel(["work", "fax"], f.businessFax);
  if (f.homeFax) tel(["home", "fax"], f.homeFax);
  if (f.otherFax) tel(["fax"], f.otherFax);
  for (const [slot, type] of [["businessAddress", "work"], ["homeAddress", "home"], ["otherAddress", "other"]] as const) {
    const a = f[slot];
    if (a) add("adr", { type }, "text", ["", "", lf(a.street ?? ""), lf(a.city ?? ""), lf(a.state ?? ""), lf(a.postalCode ?? ""), lf(a.countryOrRegion ?? "")]);
  }
  if (f.birthday) add("bday", {}, v4 ? "date-and-or-time" : "date", f.birthday);
  if (f.businessHomePage) add("url", { type: "work" }, "uri", f.businessHomePage);
  if (f.personalNotes) add("note", {}, "text", lf(f.personalNotes));
  if (f.categories?.length) add("categories", {}, "text", ...f.categories.map(lf));
  if (f.spouseName) {
    if (v4) add("related", { type: "spouse", value: "text" }, "text", lf(f.spouseName));
    else {
      add("x-abrelatednames", { group: "item1" }, "unknown", escapeText(f.spouseName));
      add("x-ablabel", { group: "item1" }, "unknown", "_$!<Spouse>!$_");
    }
  }
  const x = (name: string, value: string) => add(name, {}, "unknown", escapeText(value));
  if (f.fileAs) x("x-practice-file-as", f.fileAs);
  if (f.officeLocation) x("x-practice-office-location", f.officeLocation);
  x("x-practice-kind", c.kind);
  for (const a of PLAIN_ATTRIBUTES) if (c[a]) x(X_ATTRIBUTE[a], c[a]!);
  for (const s of STAFF_REFERENCES) if (c[s]) x(X_ATTRIBUTE[s], staff.emailOf(c[s]!) ?? c[s]!);
  return ICAL.stringify(["vcard", props, []] as unknown as Parameters<typeof ICAL.stringify>[0]);
}
