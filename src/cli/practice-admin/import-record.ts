// One contact read from an import file, before it meets the database: the fields the file speaks for,
// the practice attributes it carries, how it identifies itself, and what it held that has no place here.
import { normalizeValue } from "../../sync/normalize";
import type { ContactKind, FieldName } from "../../sync/model";
import type { FileProblem } from "./file-refusal";

export const STAFF_REFERENCES = ["partnerId", "managerId", "associateId"] as const;
export type StaffReference = (typeof STAFF_REFERENCES)[number];
export const PLAIN_ATTRIBUTES = ["clientCode", "status", "office", "entityType"] as const;
export type PlainAttribute = (typeof PLAIN_ATTRIBUTES)[number];

export interface ImportRecord {
  row: number;
  line: number;
  /** A practice contact id the file carries (our own export's "Practice ID" column, or a vCard UID). */
  id?: string;
  /** What the file calls this contact (a vCard UID or a key column's value); absent: its e-mail or name. */
  key?: string;
  kind?: ContactKind;
  /** Normalized values; a field in `known` but absent here is empty in the file (the import clears it). */
  fields: Record<string, unknown>;
  known: Set<FieldName>;
  attributes: Partial<Record<PlainAttribute, string>>;
  /** Staff references as written in the file: an e-mail, initials, a name or a staff id. */
  staff: Partial<Record<StaffReference, string>>;
  /** Where each field or attribute came from (a column or a vCard property), for error messages. */
  sourceOf: Map<string, string>;
  /** Values the practice system has no place for, reported with the row (never dropped silently). */
  notKept: string[];
  problems: FileProblem[];
}

export function emptyRecord(row: number, line: number): ImportRecord {
  return { row, line, fields: {}, known: new Set(), attributes: {}, staff: {}, sourceOf: new Map(), notKept: [], problems: [] };
}

/** Sets a field to its normalized value (or to empty), remembering where it came from. */
export function setField(rec: ImportRecord, name: FieldName, value: unknown, source: string): void {
  rec.known.add(name);
  const v = normalizeValue(name, value);
  if (v === undefined) delete rec.fields[name];
  else rec.fields[name] = v;
  if (!rec.sourceOf.has(name)) rec.sourceOf.set(name, source);
}

export function problem(rec: ImportRecord, column: string | undefined, reason: string): void {
  rec.problems.push({ row: rec.row, line: rec.line, column, reason });
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const SLASH_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/;

export type DateOrder = "mdy" | "dmy";

/**
 * A birthday as YYYY-MM-DD. Accepts ISO dates, vCard's compact form, and the short dates Outlook writes
 * in the exporting machine's locale (M/D/YYYY in the US; D.M.YYYY and D/M/YYYY elsewhere: --dates dmy).
 * Outlook writes "0/0/00" for none. Returns null for no date, an Error for a value that is not a date.
 */
export function parseBirthday(raw: string, order: DateOrder): string | null | Error {
  const s = raw.trim();
  if (s === "" || /^0{1,2}[/.-]0{1,2}[/.-]0{2,4}$/.test(s)) return null;
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = ISO_DATE.exec(s)) || (match = COMPACT_DATE.exec(s))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = SLASH_DATE.exec(s))) {
    const [a, b] = [Number(match[1]), Number(match[2])];
    // A dot is the German and Nordic separator, always day first.
    const dayFirst = order === "dmy" || s.includes(".");
    [d, m] = dayFirst ? [a, b] : [b, a];
    y = Number(match[3]);
    if (match[3].length === 2) return new Error(`"${s}" has a two-digit year; write the year in full`);
  } else return new Error(`"${s}" is not a date (YYYY-MM-DD, or M/D/YYYY as Outlook writes it; --dates dmy for D/M/YYYY)`);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return new Error(`"${s}" is not a real date${order === "mdy" && !s.includes(".") && SLASH_DATE.test(s) ? " (read as month/day/year; --dates dmy reads day first)" : ""}`);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
