// Pure shaping of a plan for the pending list: what needs a decision first (conflicts, then
// removals), one header per kind of change with its count, and the words of each row. Everything
// returned is plain text.
import type { FieldName } from "../../../sync/model";
import type { ChangeDirection, FieldChange, PlannedChange } from "../../../sync/plan-types";
import type { MessageKey } from "../../i18n/catalogues";
import { ENGLISH, type Translator } from "../../i18n/translator";

/**
 * What the user sees as a group. The engine's "remove" covers three different things: a contact
 * removed from the Outlook folder (R9), one already deleted in Outlook that stops being synced
 * while its practice record is kept (R10), and one whose Outlook deletion also deletes the
 * standalone practice record (R10 option). Only the first and last remove anything.
 */
export type PendingGroup = "conflict" | "remove" | "deletePractice" | "stopSync" | "update" | "add";

/** Decisions and losses first: a conflict needs a choice, a removal is what a user checks. */
export const GROUP_ORDER: readonly PendingGroup[] = ["conflict", "remove", "deletePractice", "stopSync", "update", "add"];

export function pendingGroupOf(c: PlannedChange): PendingGroup {
  if (c.group !== "remove") return c.group;
  if (c.direction === "toOutlook" || c.direction === "both") return "remove";
  if (c.direction === "toPractice") return "deletePractice";
  return "stopSync";
}

export type PendingRow =
  | { type: "group"; key: string; group: PendingGroup; ids: string[] }
  | { type: "change"; key: string; change: PlannedChange; group: PendingGroup; hint: string | null };

export interface GroupCount {
  group: PendingGroup;
  count: number;
}

/** Rows in group order, a header before each group, and the count of each group for the summary. */
export function buildPendingRows(changes: readonly PlannedChange[], t: Translator = ENGLISH): PendingRow[] {
  const byGroup = new Map<PendingGroup, PlannedChange[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const c of changes) byGroup.get(pendingGroupOf(c))!.push(c);
  const hints = disambiguation(changes, t);
  const rows: PendingRow[] = [];
  for (const group of GROUP_ORDER) {
    const list = byGroup.get(group)!;
    if (list.length === 0) continue;
    rows.push({ type: "group", key: `group:${group}`, group, ids: list.map((c) => c.id) });
    for (const change of list) rows.push({ type: "change", key: change.id, change, group, hint: hints.get(change.id) ?? null });
  }
  return rows;
}

export function groupCounts(rows: readonly PendingRow[]): GroupCount[] {
  return rows.flatMap((r) => (r.type === "group" ? [{ group: r.group, count: r.ids.length }] : []));
}

export function groupTitle(group: PendingGroup, count: number, t: Translator = ENGLISH): string {
  return t.t(`pending.group.${group}`, { count });
}

/** The label of a group's "select all" checkbox. */
export function selectAllLabel(group: PendingGroup, t: Translator = ENGLISH): string {
  return t.t(`pending.selectAll.${group}`);
}

/** The summary line's words for a group: "2 conflicts", "30 to remove from Outlook". */
export function summaryPart({ group, count }: GroupCount, t: Translator = ENGLISH): string {
  return t.t(`pending.summary.${group}`, { count });
}

const DIRECTION_WORDS: Partial<Record<ChangeDirection, MessageKey>> = {
  toOutlook: "pending.toOutlook",
  toPractice: "pending.toPractice",
  both: "pending.bothWays",
};

/** Where the row's writes go, in words; "" for a row that writes to neither store. */
export function directionLabel(direction: ChangeDirection, t: Translator = ENGLISH): string {
  const key = DIRECTION_WORDS[direction];
  return key ? t.t(key) : "";
}

/** The row's one line: what happens to this contact, before any field detail. */
export function actionText(c: PlannedChange, t: Translator = ENGLISH): string {
  const group = pendingGroupOf(c);
  switch (group) {
    case "conflict":
      return t.t("pending.action.conflict");
    case "remove":
      return t.t(c.direction === "both" ? "pending.action.removeBoth" : "pending.action.remove");
    case "deletePractice":
      return t.t("pending.action.deletePractice");
    case "stopSync":
      return t.t("pending.action.stopSync");
    case "update": {
      const count = new Set(c.fields.map((f) => f.field)).size;
      return t.t("pending.action.update", { count, direction: directionLabel(c.direction, t) }).trim();
    }
    case "add":
      return t.t(c.direction === "toPractice" ? "pending.action.addPractice" : "pending.action.addOutlook");
  }
}

/** Every synced field's name in the catalogue (a new field fails the type check until it has one). */
const FIELD_LABELS: { [K in FieldName]: `field.${K}` & MessageKey } = {
  title: "field.title",
  givenName: "field.givenName",
  middleName: "field.middleName",
  surname: "field.surname",
  generation: "field.generation",
  nickName: "field.nickName",
  fileAs: "field.fileAs",
  displayName: "field.displayName",
  companyName: "field.companyName",
  jobTitle: "field.jobTitle",
  department: "field.department",
  officeLocation: "field.officeLocation",
  profession: "field.profession",
  emailAddresses: "field.emailAddresses",
  businessPhones: "field.businessPhones",
  homePhones: "field.homePhones",
  mobilePhone: "field.mobilePhone",
  businessFax: "field.businessFax",
  homeFax: "field.homeFax",
  otherFax: "field.otherFax",
  businessHomePage: "field.businessHomePage",
  businessAddress: "field.businessAddress",
  homeAddress: "field.homeAddress",
  otherAddress: "field.otherAddress",
  birthday: "field.birthday",
  spouseName: "field.spouseName",
  personalNotes: "field.personalNotes",
  categories: "field.categories",
};

/** A field's label in the pane's language; the engine's (English) label for a field the pane does not know. */
export function fieldLabel(f: Pick<FieldChange, "field" | "label">, t: Translator = ENGLISH): string {
  const key = (FIELD_LABELS as Partial<Record<string, MessageKey>>)[f.field];
  return key ? t.t(key) : f.label;
}

/** One field line of an expanded row. */
export interface FieldLine {
  key: string;
  label: string;
  /** For an add: the value once; for a tidy-up: what was tidied; otherwise null. */
  value: string | null;
  old: string | null;
  new: string | null;
  /** Set when the row writes both ways, so each field says where it goes. */
  target: string | null;
}

const targetWords = (target: FieldChange["target"], t: Translator) => t.t(target === "outlook" ? "pending.toOutlook" : "pending.toPractice");

/**
 * The fields of a row as the user should read them: an add lists the new values once; a value
 * whose old and new forms look the same says what changed ("trailing spaces removed") instead of
 * "X → X"; in a row that writes both ways, each field says which way it goes.
 */
export function fieldLines(c: PlannedChange, t: Translator = ENGLISH): FieldLine[] {
  const isNew = c.group === "add" || (c.group === "conflict" && c.fields.every((f) => f.old === undefined));
  const createTarget = c.direction === "toPractice" ? "practice" : "outlook";
  const mixed = new Set(c.fields.map((f) => f.target)).size > 1;
  return c.fields.map((f, i) => {
    const key = `${f.field}:${f.target}:${i}`;
    const label = fieldLabel(f, t);
    const target = mixed ? targetWords(f.target, t) : null;
    const tidy = tidyText(f.old, f.new, t);
    const shown = (v: unknown) => formatValue(v, t);
    if (tidy) return { key, label, value: tidy, old: null, new: null, target: target ?? targetWords(f.target, t) };
    if (isNew && f.target === createTarget && isBlank(f.old)) return { key, label, value: shown(f.new), old: null, new: null, target };
    if (isBlank(f.new)) return { key, label, value: null, old: shown(f.old), new: t.t("pending.cleared"), target };
    return { key, label, value: null, old: shown(f.old), new: shown(f.new), target };
  });
}

/** "trailing spaces removed" (or similar) when old and new differ only in blanks; null otherwise. */
export function tidyText(oldValue: unknown, newValue: unknown, t: Translator = ENGLISH): string | null {
  const a = formatValue(oldValue);
  const b = formatValue(newValue);
  if (a === EMPTY && b === EMPTY) return typeof oldValue === "string" && oldValue !== "" ? t.t("pending.tidy.blank") : null;
  if (b === EMPTY && typeof oldValue === "string" && oldValue.trim() === "") return t.t("pending.tidy.blank");
  if (a === b) return t.t("pending.tidy.same");
  const trimLines = (x: string) => x.replace(/[ \t\u00a0]+$/gm, "");
  if (trimLines(a) === trimLines(b)) return t.t("pending.tidy.trailing");
  if (a.replace(/\s+/g, " ").trim() === b.replace(/\s+/g, " ").trim()) return t.t("pending.tidy.spaces");
  return null;
}

/** What formatValue returns for no value; compared internally, shown as the catalogue's "(empty)". */
const EMPTY = "(empty)";

function isBlank(v: unknown): boolean {
  return formatValue(v) === EMPTY;
}

/**
 * Rows that share a name get a second, human detail (first email, else company) so two "Yusuf
 * Rønning" rows can be told apart; never an internal id.
 */
function disambiguation(changes: readonly PlannedChange[], t: Translator): Map<string, string> {
  const byName = new Map<string, PlannedChange[]>();
  for (const c of changes) {
    const k = c.name.trim().toLocaleLowerCase();
    byName.set(k, [...(byName.get(k) ?? []), c]);
  }
  const out = new Map<string, string>();
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    for (const c of list) {
      const email = c.fields.find((f) => f.field === "emailAddresses");
      const company = c.fields.find((f) => f.field === "companyName");
      const pick = email ? formatValue(email.new ?? email.old).split("; ")[0] : company ? formatValue(company.new ?? company.old) : "";
      out.set(c.id, pick && pick !== EMPTY ? pick : c.kind === "client" ? t.t("pending.hint.client") : c.kind === "standalone" ? t.t("pending.hint.standalone") : "");
    }
  }
  return out;
}

/**
 * A field value as one line of text: lists joined, addresses and emails spelled out. With a
 * translator, no value reads as its "(empty)"; without, as the EMPTY sentinel the comparisons use.
 */
export function formatValue(value: unknown, t?: Translator): string {
  const text = formatRaw(value);
  return t && text === EMPTY ? t.t("pending.empty") : text;
}

function formatRaw(value: unknown): string {
  if (value === undefined || value === null || value === "") return EMPTY;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => formatValue(v)).filter((v) => v !== EMPTY);
    return parts.length ? parts.join("; ") : EMPTY;
  }
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.address === "string") return typeof o.name === "string" && o.name ? `${o.name} <${o.address}>` : o.address;
    const parts = ["street", "city", "state", "postalCode", "countryOrRegion"]
      .map((k) => o[k])
      .filter((v): v is string => typeof v === "string" && v !== "");
    return parts.length ? parts.join(", ") : EMPTY;
  }
  return String(value);
}
