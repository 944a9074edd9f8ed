// Contacts as CSV: the columns of Outlook's own export ("Comma Separated Values", classic Outlook and
// outlook.com/new Outlook name them alike), the practice columns our export adds, and any other CSV through
// --map "Column=target". Column names are matched without regard to case.
import type { ContactFields, FieldName, PhysicalAddress } from "../../sync/model";
import { FIELD_NAMES } from "../../sync/fields";
import type { ApiContact } from "../../practice-api/contact-mapping";
import type { CsvTable } from "./csv-table";
import { FileRefusal } from "./file-refusal";
import {
  emptyRecord,
  parseBirthday,
  problem,
  setField,
  STAFF_REFERENCES,
  PLAIN_ATTRIBUTES,
  type DateOrder,
  type ImportRecord,
  type PlainAttribute,
  type StaffReference,
} from "./import-record";

const ADDRESS_KINDS = ["businessAddress", "homeAddress", "otherAddress"] as const;
const ADDRESS_TARGET_PARTS = ["street", "street2", "street3", "city", "state", "postalCode", "countryOrRegion"] as const;
type AddressKind = (typeof ADDRESS_KINDS)[number];

const STRING_FIELDS = [
  "title", "givenName", "middleName", "surname", "generation", "nickName", "fileAs", "displayName", "companyName",
  "jobTitle", "department", "officeLocation", "profession", "mobilePhone", "businessFax", "homeFax", "otherFax",
  "businessHomePage", "spouseName", "personalNotes",
] as const satisfies readonly FieldName[];

/** Every target a column can be mapped to (documented in docs/admin-guide.md). */
export const TARGETS: readonly string[] = [
  ...STRING_FIELDS,
  "birthday", "categories",
  "email1", "email2", "email3", "emailName1", "emailName2", "emailName3", "moreEmails",
  "businessPhone1", "businessPhone2", "moreBusinessPhones", "homePhone1", "homePhone2", "moreHomePhones",
  ...ADDRESS_KINDS.flatMap((k) => ADDRESS_TARGET_PARTS.map((p) => `${k}.${p}`)),
  ...PLAIN_ATTRIBUTES, ...STAFF_REFERENCES, "kind", "id",
];

// Outlook's export header (its real column names), then what our own export adds.
const OUTLOOK_COLUMNS: [string, string][] = [
  ["Title", "title"], ["First Name", "givenName"], ["Middle Name", "middleName"], ["Last Name", "surname"], ["Suffix", "generation"],
  ["Nickname", "nickName"], ["Company", "companyName"], ["Department", "department"], ["Job Title", "jobTitle"],
  ...(["Business", "Home", "Other"] as const).flatMap((side): [string, string][] => {
    const k = `${side.toLowerCase()}Address`;
    return [
      [`${side} Street`, `${k}.street`], [`${side} Street 2`, `${k}.street2`], [`${side} Street 3`, `${k}.street3`],
      [`${side} City`, `${k}.city`], [`${side} State`, `${k}.state`], [`${side} Postal Code`, `${k}.postalCode`],
      [`${side} Country/Region`, `${k}.countryOrRegion`],
    ];
  }),
  ["Business Fax", "businessFax"], ["Business Phone", "businessPhone1"], ["Business Phone 2", "businessPhone2"],
  ["Home Fax", "homeFax"], ["Home Phone", "homePhone1"], ["Home Phone 2", "homePhone2"], ["Mobile Phone", "mobilePhone"],
  ["Other Fax", "otherFax"], ["Birthday", "birthday"], ["Categories", "categories"],
  ["E-mail Address", "email1"], ["E-mail Display Name", "emailName1"], ["E-mail 2 Address", "email2"],
  ["E-mail 2 Display Name", "emailName2"], ["E-mail 3 Address", "email3"], ["E-mail 3 Display Name", "emailName3"],
  ["Notes", "personalNotes"], ["Office Location", "officeLocation"], ["Profession", "profession"], ["Spouse", "spouseName"],
  ["Web Page", "businessHomePage"],
];
const PRACTICE_COLUMNS: [string, string][] = [
  ["Display Name", "displayName"], ["File As", "fileAs"], ["More E-mail Addresses", "moreEmails"],
  ["More Business Phones", "moreBusinessPhones"], ["More Home Phones", "moreHomePhones"], ["Kind", "kind"],
  ["Client Code", "clientCode"], ["Status", "status"], ["Office", "office"], ["Entity Type", "entityType"],
  ["Partner", "partnerId"], ["Manager", "managerId"], ["Associate", "associateId"], ["Practice ID", "id"],
];
const DEFAULT_MAP = new Map([...OUTLOOK_COLUMNS, ...PRACTICE_COLUMNS].map(([c, t]) => [c.toLowerCase(), t]));

/** Outlook columns with no place in the practice system, and the values Outlook writes there for "none". */
const OUTLOOK_DEFAULTS: Record<string, string[]> = {
  gender: ["unspecified", ""], priority: ["normal", ""], sensitivity: ["normal", ""], private: ["false", ""],
  anniversary: ["0/0/00", ""], "e-mail type": ["smtp", ""], "e-mail 2 type": ["smtp", ""], "e-mail 3 type": ["smtp", ""],
  initials: [],
};

export interface CsvImportOptions {
  /** Column → target overrides and additions ("" or "ignore" drops a column). */
  map: Map<string, string>;
  /** The column whose value names the contact across imports. */
  keyColumn?: string;
  dates: DateOrder;
}

/** Parses --map values: "Column=target", several per value separated by ";" or given repeatedly. */
export function parseColumnMap(values: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of values) {
    for (const pair of value.split(";").filter((p) => p.trim() !== "")) {
      const eq = pair.lastIndexOf("=");
      if (eq <= 0) throw new Error(`--map "${pair}": write Column=target`);
      const column = pair.slice(0, eq).trim();
      const target = pair.slice(eq + 1).trim();
      if (target !== "" && target !== "ignore" && !TARGETS.includes(target))
        throw new Error(`--map "${pair}": "${target}" is not a target; targets are ${TARGETS.join(", ")}, or ignore`);
      out.set(column.toLowerCase(), target === "ignore" ? "" : target);
    }
  }
  return out;
}

/** Reads every row of a CSV table as an import record; refuses a file none of whose columns is known. */
export function csvRecords(file: string, table: CsvTable, opts: CsvImportOptions): ImportRecord[] {
  const targets = table.header.map((h) => {
    const lower = h.toLowerCase();
    return opts.map.has(lower) ? opts.map.get(lower)! : (DEFAULT_MAP.get(lower) ?? null);
  });
  if (!targets.some((t) => t)) {
    throw new FileRefusal(file, [
      { row: 1, line: 1, reason: `no column is one this import knows (the header starts ${table.header.slice(0, 4).map((h) => `"${h}"`).join(", ")}); name them with --map "Column=target"` },
    ]);
  }
  const keyIndex = opts.keyColumn === undefined ? -1 : table.header.findIndex((h) => h.toLowerCase() === opts.keyColumn!.toLowerCase());
  if (opts.keyColumn !== undefined && keyIndex < 0)
    throw new FileRefusal(file, [{ row: 1, line: 1, column: opts.keyColumn, reason: "--key names a column the header does not have" }]);
  return table.records.map((r) => {
    const rec = emptyRecord(r.row, r.line);
    const cells = new Map<string, { value: string; column: string }>();
    r.cells.forEach((value, i) => {
      const target = targets[i];
      const column = table.header[i];
      if (target) cells.set(target, { value, column });
      else if (target === null && value.trim() !== "") {
        // Initials are derived; the other Outlook-only columns matter only when they hold more than Outlook's "none".
        const defaults = OUTLOOK_DEFAULTS[column.toLowerCase()];
        if (!defaults || (defaults.length > 0 && !defaults.includes(value.trim().toLowerCase()))) rec.notKept.push(`${column}: ${oneLine(value)}`);
      }
    });
    fillRecord(rec, cells, opts.dates);
    if (keyIndex >= 0) {
      const key = r.cells[keyIndex]?.trim();
      if (key) rec.key = `${table.header[keyIndex].toLowerCase()}:${key}`;
      else problem(rec, table.header[keyIndex], "the key column is empty");
    }
    return rec;
  });
}

const oneLine = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s).replace(/\r?\n/g, " ⏎ ");
const splitList = (s: string) => s.split(";").map((x) => x.trim()).filter(Boolean);

function fillRecord(rec: ImportRecord, cells: Map<string, { value: string; column: string }>, dates: DateOrder): void {
  const get = (t: string) => cells.get(t);
  for (const name of STRING_FIELDS) {
    const c = get(name);
    if (c) setField(rec, name, c.value, c.column);
  }
  const bday = get("birthday");
  if (bday) {
    const parsed = parseBirthday(bday.value, dates);
    if (parsed instanceof Error) problem(rec, bday.column, parsed.message);
    else setField(rec, "birthday", parsed ?? undefined, bday.column);
  }
  const cats = get("categories");
  if (cats) setField(rec, "categories", splitList(cats.value), cats.column);

  // E-mail addresses: slots 1–3, then any more. Outlook writes a display name as "Name (address)".
  const emailCells = [1, 2, 3].map((i) => ({ address: get(`email${i}`), name: get(`emailName${i}`) }));
  const more = get("moreEmails");
  if (emailCells.some((e) => e.address) || more) {
    const list: { name?: string; address: string }[] = [];
    for (const { address, name } of emailCells) {
      const a = address?.value.trim();
      if (!a) continue;
      let n = name?.value.trim();
      if (n && n.endsWith(`(${a})`)) n = n.slice(0, -a.length - 2).trim();
      if (n === a) n = undefined;
      list.push(n ? { name: n, address: a } : { address: a });
    }
    if (more) list.push(...splitList(more.value).map((address) => ({ address })));
    setField(rec, "emailAddresses", list, emailCells.find((e) => e.address)?.address?.column ?? more!.column);
  }
  for (const [field, prefix, moreTarget] of [
    ["businessPhones", "businessPhone", "moreBusinessPhones"],
    ["homePhones", "homePhone", "moreHomePhones"],
  ] as const) {
    const slots = [get(`${prefix}1`), get(`${prefix}2`)];
    const extra = get(moreTarget);
    if (!slots.some(Boolean) && !extra) continue;
    const list = slots.map((c) => c?.value.trim() ?? "").filter(Boolean);
    if (extra) list.push(...splitList(extra.value));
    setField(rec, field, list, (slots.find(Boolean) ?? extra)!.column);
  }
  for (const kind of ADDRESS_KINDS) fillAddress(rec, kind, get);

  for (const a of PLAIN_ATTRIBUTES) {
    const c = get(a);
    const v = c?.value.trim();
    if (c && v) {
      rec.attributes[a as PlainAttribute] = v;
      rec.sourceOf.set(a, c.column);
    }
  }
  for (const s of STAFF_REFERENCES) {
    const c = get(s);
    const v = c?.value.trim();
    if (c && v) {
      rec.staff[s as StaffReference] = v;
      rec.sourceOf.set(s, c.column);
    }
  }
  const kind = get("kind");
  if (kind && kind.value.trim()) {
    const k = kind.value.trim().toLowerCase();
    if (k === "client" || k === "clients") rec.kind = "client";
    else if (k.startsWith("standalone")) rec.kind = "standalone";
    else problem(rec, kind.column, `"${kind.value.trim()}" is not a kind: write client or standalone`);
  }
  const id = get("id")?.value.trim();
  if (id) rec.id = id;
}

function fillAddress(rec: ImportRecord, kind: AddressKind, get: (t: string) => { value: string; column: string } | undefined): void {
  const parts = ADDRESS_TARGET_PARTS.map((p) => get(`${kind}.${p}`));
  const first = parts.find(Boolean);
  if (!first) return;
  const [s1, s2, s3, city, state, postalCode, countryOrRegion] = parts.map((c) => c?.value ?? "");
  // Outlook splits a street over three columns; the practice system keeps it as one value of several lines.
  const street = [s1, s2, s3].filter((s) => s.trim() !== "").join("\n");
  const address: PhysicalAddress = { street, city, state, postalCode, countryOrRegion };
  setField(rec, kind, address, first.column);
}

/** The header our export writes: Outlook's columns (so Outlook imports it as is), then the practice columns. */
export const EXPORT_HEADER = [...OUTLOOK_COLUMNS, ...PRACTICE_COLUMNS].map(([c]) => c);

export interface StaffNames {
  /** A staff id as the export writes it (their e-mail address). */
  emailOf(id: string): string | undefined;
}

/** One contact as a row under EXPORT_HEADER. */
export function csvRow(c: ApiContact, staff: StaffNames): string[] {
  const f = c as unknown as ContactFields & Record<string, unknown>;
  const values = new Map<string, string>();
  for (const name of STRING_FIELDS) if (typeof f[name] === "string") values.set(name, f[name] as string);
  if (f.birthday) values.set("birthday", f.birthday);
  if (f.categories) values.set("categories", f.categories.join(";"));
  const emails = f.emailAddresses ?? [];
  emails.slice(0, 3).forEach((e, i) => {
    values.set(`email${i + 1}`, e.address);
    if (e.name) values.set(`emailName${i + 1}`, e.name);
  });
  if (emails.length > 3) values.set("moreEmails", emails.slice(3).map((e) => e.address).join(";"));
  for (const [field, prefix, moreTarget] of [
    ["businessPhones", "businessPhone", "moreBusinessPhones"],
    ["homePhones", "homePhone", "moreHomePhones"],
  ] as const) {
    const list = f[field] ?? [];
    list.slice(0, 2).forEach((p, i) => values.set(`${prefix}${i + 1}`, p));
    if (list.length > 2) values.set(moreTarget, list.slice(2).join(";"));
  }
  for (const kind of ADDRESS_KINDS) {
    const a = f[kind];
    if (!a) continue;
    // The whole street, lines and all, in one quoted value, as Outlook writes it.
    if (a.street) values.set(`${kind}.street`, a.street);
    for (const p of ["city", "state", "postalCode", "countryOrRegion"] as const) if (a[p]) values.set(`${kind}.${p}`, a[p]!);
  }
  for (const a of PLAIN_ATTRIBUTES) if (c[a]) values.set(a, c[a]!);
  for (const s of STAFF_REFERENCES) if (c[s]) values.set(s, staff.emailOf(c[s]!) ?? c[s]!);
  values.set("kind", c.kind);
  values.set("id", c.id);
  return [...OUTLOOK_COLUMNS, ...PRACTICE_COLUMNS].map(([, t]) => values.get(t) ?? "");
}

// Keeps the list of field names honest: every synced field has a CSV column.
const COVERED = new Set<string>([...STRING_FIELDS, "birthday", "categories", "emailAddresses", "businessPhones", "homePhones", ...ADDRESS_KINDS]);
for (const name of FIELD_NAMES) if (!COVERED.has(name)) throw new Error(`csv-contacts: field ${name} has no column`);
