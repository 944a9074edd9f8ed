// Pure shaping of a plan for the pending list: rows in group order with a header per group, and
// the words shown for groups, directions and values. Everything returned is plain text.
import type { ChangeDirection, ChangeGroup, PlannedChange } from "../../../sync/plan-types";
import type { Terminology } from "../../terminology";

export const GROUP_ORDER: readonly ChangeGroup[] = ["add", "update", "remove", "conflict"];

export type PendingRow =
  | { type: "group"; key: string; group: ChangeGroup; ids: string[] }
  | { type: "change"; key: string; change: PlannedChange };

export function buildPendingRows(changes: readonly PlannedChange[]): PendingRow[] {
  const byGroup = new Map<ChangeGroup, PlannedChange[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const c of changes) byGroup.get(c.group)?.push(c);
  const rows: PendingRow[] = [];
  for (const group of GROUP_ORDER) {
    const list = byGroup.get(group)!;
    if (list.length === 0) continue;
    rows.push({ type: "group", key: `group:${group}`, group, ids: list.map((c) => c.id) });
    for (const change of list) rows.push({ type: "change", key: change.id, change });
  }
  return rows;
}

const GROUP_NAMES: Record<ChangeGroup, [string, string]> = {
  add: ["Add", "Adds"],
  update: ["Update", "Updates"],
  remove: ["Remove", "Removes"],
  conflict: ["Conflict", "Conflicts"],
};

export function groupTitle(group: ChangeGroup, count: number): string {
  const [one, many] = GROUP_NAMES[group];
  return `${count === 1 ? one : many} (${count})`;
}

export function groupName(group: ChangeGroup): string {
  return GROUP_NAMES[group][1].toLowerCase();
}

export function directionLabel(direction: ChangeDirection, terms: Terminology): string {
  switch (direction) {
    case "toOutlook":
      return "Practice → Outlook";
    case "toPractice":
      return "Outlook → Practice";
    case "both":
      return "Both ways";
    default:
      return terms.contact;
  }
}

/** A field value as one line of text: lists joined, addresses and emails spelled out. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null || value === "") return "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => formatValue(v)).filter((v) => v !== "(empty)");
    return parts.length ? parts.join("; ") : "(empty)";
  }
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.address === "string") return typeof o.name === "string" && o.name ? `${o.name} <${o.address}>` : o.address;
    const parts = ["street", "city", "state", "postalCode", "countryOrRegion"]
      .map((k) => o[k])
      .filter((v): v is string => typeof v === "string" && v !== "");
    return parts.length ? parts.join(", ") : "(empty)";
  }
  return String(value);
}
