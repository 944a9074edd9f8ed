// `contact-sync status`: what the state directory knows, read without any network request:
// the target, link counts (linked / excluded / conflict), pending journal intents, deferred changes
// and the recent runs with their per-contact errors (R19).
import type { RunRecord } from "../../sync/ports";
import type { StatusCommand } from "./args";
import type { CliIO } from "./run-sync";
import { openStateDir } from "./state-dir";

export interface StatusReport {
  target: Record<string, string> | null;
  links: Record<string, number>;
  pendingIntents: number;
  deferred: number;
  lastRun: RunRecord | null;
  history: RunRecord[];
}

export async function runStatus(cmd: StatusCommand, io: CliIO): Promise<number> {
  // No lock: status only reads, and WAL lets it read while a sync is writing.
  const state = openStateDir(cmd.stateDir, { create: false, lock: false });
  try {
    const c = state.cache;
    const target = c.getMeta("target");
    const history = await c.listRuns(cmd.limit);
    const report: StatusReport = {
      target: target ? (JSON.parse(target) as Record<string, string>) : null,
      links: c.linkCounts(),
      pendingIntents: (await c.journalPending()).length,
      deferred: (await c.getDeferred()).length,
      lastRun: history[0] ?? null,
      history,
    };
    io.stdout.write(cmd.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderStatus(report)}\n`);
    return 0;
  } finally {
    state.close();
  }
}

export function renderStatus(r: StatusReport): string {
  const lines: string[] = [];
  if (r.target) lines.push(`Folder ${r.target.folderId} in ${r.target.mailbox}, practice API ${r.target.practiceUrl}`);
  const n = (k: string) => r.links[k] ?? 0;
  lines.push(`Linked ${n("linked")}, excluded ${n("excluded")}, in conflict ${n("conflict")}; ${r.deferred} deferred change(s).`);
  if (r.pendingIntents > 0) lines.push(`${r.pendingIntents} write(s) were in flight when a run stopped; the next run resolves them.`);
  if (!r.lastRun) lines.push("No run yet.");
  for (const run of r.history) {
    const counts = Object.entries(run.counts)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    lines.push(`${run.startedAt}  ${run.status}${counts ? `  (${counts})` : ""}${run.message ? `  ${run.message}` : ""}`);
    for (const e of run.errors) lines.push(`    failed: ${e.name}: ${e.message} [${e.code}]`);
  }
  return lines.join("\n");
}
