// Pure shaping of a plan for the pending list: what needs a decision first (conflicts, then
// removals), one header per kind of change with its count, and the words of each row. Everything
// returned is plain text.
import type { ChangeDirection, FieldChange, PlannedChange } from "../../../sync/plan-types";

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
export function buildPendingRows(changes: readonly PlannedChange[]): PendingRow[] {
  const byGroup = new Map<PendingGroup, PlannedChange[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const c of changes) byGroup.get(pendingGroupOf(c))!.push(c);
  const hints = disambiguation(changes);
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

const GROUP_NAMES: Record<PendingGroup, [string, string]> = {
  conflict: ["Conflict", "Conflicts"],
  remove: ["Remove from Outlook", "Remove from Outlook"],
  deletePractice: ["Delete in the practice system", "Delete in the practice system"],
  stopSync: ["Stop syncing", "Stop syncing"],
  update: ["Update", "Updates"],
  add: ["Add", "Adds"],
};

export function groupTitle(group: PendingGroup, count: number): string {
  const [one, many] = GROUP_NAMES[group];
  return `${count === 1 ? one : many} (${count})`;
}

/** For "Select all …" labels. */
export function groupName(group: PendingGroup): string {
  switch (group) {
    case "conflict":
      return "conflicts";
    case "remove":
      return "removals from Outlook";
    case "deletePractice":
      return "deletions in the practice system";
    case "stopSync":
      return "contacts to stop syncing";
    case "update":
      return "updates";
    case "add":
      return "adds";
  }
}

/** The summary line's words for a group: "2 conflicts", "30 to remove from Outlook". */
export function summaryPart({ group, count }: GroupCount): string {
  switch (group) {
    case "conflict":
      return `${count} ${count === 1 ? "conflict" : "conflicts"}`;
    case "remove":
      return `${count} to remove from Outlook`;
    case "deletePractice":
      return `${count} to delete in the practice system`;
    case "stopSync":
      return `${count} to stop syncing`;
    case "update":
      return `${count} ${count === 1 ? "update" : "updates"}`;
    case "add":
      return `${count} ${count === 1 ? "add" : "adds"}`;
  }
}

/** Where the row's writes go, in words; "" for a row that writes to neither store. */
export function directionLabel(direction: ChangeDirection): string {
  switch (direction) {
    case "toOutlook":
      return "to Outlook";
    case "toPractice":
      return "to the practice system";
    case "both":
      return "both ways";
    default:
      return "";
  }
}

/** The row's one line: what happens to this contact, before any field detail. */
export function actionText(c: PlannedChange): string {
  const group = pendingGroupOf(c);
  switch (group) {
    case "conflict":
      return "Needs your choice";
    case "remove":
      return c.direction === "both" ? "Remove from Outlook (its Outlook edits saved first)" : "Remove from Outlook";
    case "deletePractice":
      return "Delete in the practice system";
    case "stopSync":
      return "Stop syncing (practice record kept)";
    case "update": {
      const n = new Set(c.fields.map((f) => f.field)).size;
      return `Update ${n} ${n === 1 ? "field" : "fields"} ${directionLabel(c.direction)}`.trim();
    }
    case "add":
      return c.direction === "toPractice" ? "Add to the practice system" : "Add to Outlook";
  }
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

const targetWords = (t: FieldChange["target"]) => (t === "outlook" ? "to Outlook" : "to the practice system");

/**
 * The fields of a row as the user should read them: an add lists the new values once; a value
 * whose old and new forms look the same says what changed ("trailing spaces removed") instead of
 * "X → X"; in a row that writes both ways, each field says which way it goes.
 */
export function fieldLines(c: PlannedChange): FieldLine[] {
  const isNew = c.group === "add" || (c.group === "conflict" && c.fields.every((f) => f.old === undefined));
  const createTarget = c.direction === "toPractice" ? "practice" : "outlook";
  const mixed = new Set(c.fields.map((f) => f.target)).size > 1;
  return c.fields.map((f, i) => {
    const key = `${f.field}:${f.target}:${i}`;
    const target = mixed ? targetWords(f.target) : null;
    const tidy = tidyText(f.old, f.new);
    if (tidy) return { key, label: f.label, value: tidy, old: null, new: null, target: target ?? targetWords(f.target) };
    if (isNew && f.target === createTarget && isBlank(f.old))
      return { key, label: f.label, value: formatValue(f.new), old: null, new: null, target };
    if (isBlank(f.new))
      return { key, label: f.label, value: null, old: formatValue(f.old), new: "cleared", target };
    return { key, label: f.label, value: null, old: formatValue(f.old), new: formatValue(f.new), target };
  });
}

/** "trailing spaces removed" (or similar) when old and new differ only in blanks; null otherwise. */
export function tidyText(oldValue: unknown, newValue: unknown): string | null {
  const a = formatValue(oldValue);
  const b = formatValue(newValue);
  if (a === EMPTY && b === EMPTY) return typeof oldValue === "string" && oldValue !== "" ? "blank value removed" : null;
  if (b === EMPTY && typeof oldValue === "string" && oldValue.trim() === "") return "blank value removed";
  if (a === b) return "stored form tidied (the value reads the same)";
  const trimLines = (x: string) => x.replace(/[ \t\u00a0]+$/gm, "");
  if (trimLines(a) === trimLines(b)) return "trailing spaces removed";
  if (a.replace(/\s+/g, " ").trim() === b.replace(/\s+/g, " ").trim()) return "extra spaces removed";
  return null;
}

const EMPTY = "(empty)";

function isBlank(v: unknown): boolean {
  return formatValue(v) === EMPTY;
}

/**
 * Rows that share a name get a second, human detail (first email, else company) so two "Yusuf
 * Rønning" rows can be told apart; never an internal id.
 */
function disambiguation(changes: readonly PlannedChange[]): Map<string, string> {
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
      out.set(c.id, pick && pick !== EMPTY ? pick : c.kind === "client" ? "client" : c.kind === "standalone" ? "standalone contact" : "");
    }
  }
  return out;
}

/** A field value as one line of text: lists joined, addresses and emails spelled out. */
export function formatValue(value: unknown): string {
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
