// The one JSON object `contact-sync sync --json` prints, and the one-line human summary.
// Scripts read this object, so its shape is documented in docs/cli.md and only ever grows.
import type { ContactError } from "../../sync/ports";
import type { PlannedChange, SafetyStop, SyncPlan, SyncResult } from "../../sync/plan-types";

export type Outcome = "no-changes" | "planned" | "applied" | "declined" | "safety-stop" | "partial" | "cancelled" | "failed";

export interface SyncReport {
  outcome: Outcome;
  exitCode: number;
  dryRun: boolean;
  runId: string | null;
  folder: { mailbox: string; id: string; name?: string };
  filter: { id: string | null; name?: string };
  /** Planned changes per action and direction, e.g. {"add:toOutlook": 3, "update:toPractice": 1}. */
  planned: Record<string, number>;
  /** Applied, deferred and failed counts, once something was applied. */
  /** changedSincePlan: rows not applied because their contact changed after the plan (R14). */
  applied: { applied: number; deferred: number; failed: number; changedSincePlan?: number } | null;
  /** The run record's counts (linked, excluded, failed, ...), once something was applied. */
  counts: Record<string, number>;
  conflicts: PlannedChange[];
  safety: SafetyStop | null;
  errors: ContactError[];
  /** HTTP requests this run made to each side (token requests excluded). */
  requests: { practice: number; graph: number };
  durationMs: number;
  message?: string;
  /** Every planned change (what the pane would list). */
  changes: PlannedChange[];
}

export function countPlanned(changes: readonly PlannedChange[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of changes) {
    const key = `${c.group}:${c.direction}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Non-conflict changes: what a run applies without a human choosing (R11: conflicts are skipped). */
export function autoApplicable(plan: SyncPlan): PlannedChange[] {
  return plan.changes.filter((c) => c.group !== "conflict");
}

export function mergeErrors(plan: SyncPlan | null, result: SyncResult | null): ContactError[] {
  return [...(plan?.errors ?? []), ...(result?.failed ?? [])];
}

export function summaryLine(report: SyncReport): string {
  const planned = Object.values(report.planned).reduce((a, b) => a + b, 0);
  const req = `${report.requests.practice} practice + ${report.requests.graph} Graph requests`;
  const secs = (report.durationMs / 1000).toFixed(1);
  switch (report.outcome) {
    case "no-changes":
      return `Nothing to do: both sides agree (${req}, ${secs} s).`;
    case "planned":
      return `Dry run: ${planned} pending change(s), nothing written (${req}, ${secs} s).`;
    case "declined":
      return `Nothing applied: ${planned} pending change(s) will be shown again next time.`;
    case "safety-stop":
      return `Stopped by the safety valve (R15): ${report.safety?.reason ?? ""}. Nothing was written; run again with --force to go ahead.`;
    default: {
      const a = report.applied ?? { applied: 0, deferred: 0, failed: 0 };
      const conflicts = report.conflicts.length ? `, ${report.conflicts.length} conflict(s) skipped` : "";
      const failed = report.errors.length ? `, ${report.errors.length} contact(s) failed` : "";
      const moved = a.changedSincePlan
        ? `; ${a.changedSincePlan} not applied because the contact changed after the plan (another device or an edit): run again to review them`
        : "";
      return `Applied ${a.applied} change(s)${conflicts}${failed}, ${a.deferred} deferred${moved} (${req}, ${secs} s).`;
    }
  }
}
