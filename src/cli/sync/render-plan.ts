// Renders a sync plan as text, the way the pane's pending-changes list shows it (DESIGN §1.4):
// grouped add / update / remove / conflict, one row per change with its direction, the contact's
// name, each field as old -> new, the reason and any notes (e.g. R16 caps).
import type { ChangeDirection, ChangeGroup, PlannedChange, SyncPlan } from "../../sync/plan-types";

const GROUPS: { group: ChangeGroup; title: string }[] = [
  { group: "add", title: "Add" },
  { group: "update", title: "Update" },
  { group: "remove", title: "Remove" },
  { group: "conflict", title: "Conflicts (need a decision; skipped by this run)" },
];

const ARROWS: Record<ChangeDirection, string> = {
  toOutlook: "practice -> Outlook",
  toPractice: "Outlook -> practice",
  both: "both ways",
  none: "no write",
};

export interface RenderOptions {
  /** Rows per group before "... and N more" (the full list is in --json). */
  maxRowsPerGroup?: number;
  /** Longest rendered value before it is shortened. */
  maxValueLength?: number;
}

export function renderPlan(plan: SyncPlan, opts: RenderOptions = {}): string {
  const maxRows = opts.maxRowsPerGroup ?? Infinity;
  const lines: string[] = [];
  if (plan.changes.length === 0) lines.push("No pending changes: both sides agree.");
  for (const { group, title } of GROUPS) {
    const rows = plan.changes.filter((c) => c.group === group);
    if (rows.length === 0) continue;
    lines.push(`${title} (${rows.length})`);
    for (const change of rows.slice(0, maxRows)) lines.push(...renderChange(change, opts.maxValueLength ?? 80));
    if (rows.length > maxRows) lines.push(`  ... and ${rows.length - maxRows} more (see --json for all of them)`);
  }
  if (plan.errors.length > 0) {
    lines.push(`Could not plan (${plan.errors.length})`);
    for (const e of plan.errors) lines.push(`  ${e.name}: ${e.message}`);
  }
  if (plan.safety) {
    const s = plan.safety;
    lines.push(`Safety stop (R15): ${s.reason} (${s.affected} of ${s.total} ${s.side} contacts). Use --force to go ahead.`);
  }
  return lines.join("\n");
}

function renderChange(change: PlannedChange, maxLen: number): string[] {
  const out = [`  ${change.name || "(no name)"}  [${ARROWS[change.direction]}, ${change.rule}]`];
  for (const f of change.fields) {
    out.push(`      ${f.label}: ${formatValue(f.old, maxLen)} -> ${formatValue(f.new, maxLen)}  (in ${f.target === "outlook" ? "Outlook" : "practice"})`);
  }
  if (change.reason) out.push(`      why: ${change.reason}`);
  for (const note of change.notes) out.push(`      note: ${note}`);
  return out;
}

/** One line per value: lists joined with "; ", addresses with ", ", blanks shown as (empty). */
export function formatValue(value: unknown, maxLen = 80): string {
  const text = flatten(value);
  const oneLine = text.replace(/\s*\r?\n\s*/g, " / ");
  if (oneLine === "") return "(empty)";
  return oneLine.length > maxLen ? `${oneLine.slice(0, maxLen - 1)}…` : oneLine;
}

function flatten(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(flatten).filter((s) => s !== "").join("; ");
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    // An email entry: "Name <address>" reads as people write it.
    if (typeof o.address === "string") return o.name ? `${String(o.name)} <${o.address}>` : o.address;
    return Object.values(o).map(flatten).filter((s) => s !== "").join(", ");
  }
  return String(value);
}
