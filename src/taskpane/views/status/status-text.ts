// Words for the Status view: phases, run statuses, counts and times, as plain text.
import type { Link } from "../../../sync/model";
import type { SyncProgress } from "../../../sync/plan-types";
import type { RunRecord, RunStatus } from "../../../sync/ports";

const PHASES: Record<SyncProgress["phase"], string> = {
  "reading-practice": "Reading the practice system",
  "reading-outlook": "Reading the Outlook folder",
  planning: "Working out the changes",
  applying: "Applying changes",
  done: "Finishing",
};

export function progressText(p: SyncProgress | null, busy: "planning" | "applying" | null): string {
  if (!p) return busy === "applying" ? "Applying changes…" : "Starting…";
  const count = p.total !== undefined ? `${p.done} of ${p.total}` : p.done > 0 ? `${p.done}` : "";
  return count ? `${PHASES[p.phase]}: ${count}` : `${PHASES[p.phase]}…`;
}

/** 0..1 when the total is known, undefined (indeterminate) otherwise. */
export function progressValue(p: SyncProgress | null): number | undefined {
  if (!p || p.total === undefined || p.total <= 0) return undefined;
  return Math.min(1, p.done / p.total);
}

const STATUSES: Record<RunStatus, string> = {
  ok: "Completed",
  partial: "Completed with errors",
  failed: "Failed",
  cancelled: "Cancelled",
  stopped: "Stopped for confirmation",
};

export function runStatusText(status: RunStatus): string {
  return STATUSES[status] ?? status;
}

const COUNT_WORDS: Record<string, string> = {
  "add:toOutlook": "added to Outlook",
  "add:toPractice": "added to the practice system",
  "update:toOutlook": "updated in Outlook",
  "update:toPractice": "updated in the practice system",
  "update:both": "updated both ways",
  "remove:toOutlook": "removed from Outlook",
  "remove:toPractice": "removed from the practice system",
  linked: "linked",
  excluded: "excluded",
  failed: "failed",
  deferred: "left for later",
  conflicts: "conflicts",
};

/** "3 added to Outlook, 120 linked" — known keys first, unknown keys as they are, zeros dropped. */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, n]) => `${n} ${COUNT_WORDS[k] ?? k}`);
  return parts.length ? parts.join(", ") : "no changes";
}

function rank(key: string): number {
  const i = Object.keys(COUNT_WORDS).indexOf(key);
  return i < 0 ? 999 : i;
}

export function timeText(iso: string | undefined, locale?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

export function lastRunOf(runs: RunRecord[]): RunRecord | null {
  return runs[0] ?? null;
}

/** A name for an excluded link: its last agreed name, else the practice id. */
export function linkName(link: Link): string {
  const b = link.base;
  const name = b.displayName || [b.givenName, b.surname].filter(Boolean).join(" ") || b.companyName || b.fileAs;
  return name && name.trim() ? name : link.practiceId;
}
