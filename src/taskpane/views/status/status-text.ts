// Words for the Status view: the latest outcome in a sentence, phases, run statuses and counts,
// as plain text. No internal code, id or HTTP status reaches these words: a failure's own message
// is shown only behind "Details".
import type { Link } from "../../../sync/model";
import type { SafetyStop, SyncProgress } from "../../../sync/plan-types";
import type { RunRecord, RunStatus } from "../../../sync/ports";
import { kindOfMessage, type SyncFailure } from "../../safety-stop";
import { clockText, timeText } from "../../time-text";

export { timeText };

const PHASES: Record<SyncProgress["phase"], string> = {
  "reading-practice": "Reading the practice system",
  "reading-outlook": "Reading the Outlook folder",
  planning: "Working out the changes",
  applying: "Applying changes",
  waiting: "Outlook's limit reached",
  done: "Finishing",
};

export function progressText(p: SyncProgress | null, busy: "planning" | "applying" | null): string {
  if (!p) return busy === "applying" ? "Applying changes…" : "Starting…";
  if (p.phase === "waiting" && p.waiting) return `${PHASES.waiting}; resuming at ${clockText(Date.parse(p.waiting.resumeAt))}`;
  const count = p.total !== undefined ? `${p.done} of ${p.total}` : p.done > 0 ? `${p.done}` : "";
  return count ? `${PHASES[p.phase]}: ${count}` : `${PHASES[p.phase]}…`;
}

/** 0..1 when the total is known, undefined (indeterminate) otherwise. */
export function progressValue(p: SyncProgress | null): number | undefined {
  if (!p || p.total === undefined || p.total <= 0) return undefined;
  return Math.min(1, p.done / p.total);
}

/** A history line's status word, from what the run did (not only how it ended). */
export function runStatusText(run: Pick<RunRecord, "status" | "counts">): string {
  const status: RunStatus = run.status;
  switch (status) {
    case "ok":
      return appliedCount(run.counts) > 0 ? "Changes applied" : "Up to date";
    case "partial":
      return "Some changes failed";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
    case "stopped":
      return "Stopped for your confirmation";
    default:
      return "Finished";
  }
}

/** Count keys are "<group>:<direction>"; each becomes words, several keys may share them. */
const CHANGE_WORDS: Record<string, string> = {
  "add:toOutlook": "added to Outlook",
  "add:both": "added to Outlook",
  "add:toPractice": "added to the practice system",
  "update:toOutlook": "updated in Outlook",
  "update:toPractice": "updated in the practice system",
  "update:both": "updated both ways",
  "remove:toOutlook": "removed from Outlook",
  "remove:both": "removed from Outlook",
  "remove:toPractice": "deleted in the practice system",
  "remove:none": "no longer synced (deleted in Outlook)",
  "conflict:none": "conflicts resolved",
};

/** Words for a key the table does not know, by its group; never the key itself. */
const GROUP_WORDS: Record<string, string> = {
  add: "added",
  update: "updated",
  remove: "removed",
  conflict: "conflicts resolved",
};

const OTHER_WORDS: Record<string, string> = {
  failed: "failed",
  deferred: "left for later",
  conflicts: "conflicts waiting for your choice",
  changedSincePlan: "changed after the list was made (shown again)",
};

/** Changes a run applied: the sum of its "<group>:<direction>" counts. */
export function appliedCount(counts: Record<string, number>): number {
  let n = 0;
  for (const [k, v] of Object.entries(counts)) if (k.includes(":") && typeof v === "number" && v > 0) n += v;
  return n;
}

/**
 * "3 added to Outlook, 1 updated both ways, 1 failed": what the run did, in words. Running totals
 * (linked, excluded) are left out: they are the state of the folder, not something the run did.
 */
export function countsText(counts: Record<string, number>): string {
  const parts = new Map<string, number>();
  const add = (words: string, n: number) => parts.set(words, (parts.get(words) ?? 0) + n);
  for (const [k, n] of Object.entries(counts)) {
    if (typeof n !== "number" || n <= 0) continue;
    if (k.includes(":")) add(CHANGE_WORDS[k] ?? GROUP_WORDS[k.split(":")[0]] ?? "changed", n);
    else if (OTHER_WORDS[k]) add(OTHER_WORDS[k], n);
  }
  const order = [...Object.values(CHANGE_WORDS), ...Object.values(GROUP_WORDS), "changed", ...Object.values(OTHER_WORDS)];
  return [...parts]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([w, n]) => `${n} ${w}`)
    .join(", ");
}

/** When a run ended: the one time shown for it everywhere (Status and History). */
export function runTime(run: Pick<RunRecord, "startedAt" | "finishedAt">): string {
  return run.finishedAt ?? run.startedAt;
}

/**
 * History: the engine's records plus the pane's own (runs the engine does not record), one per run
 * id (the engine's record wins), newest first.
 */
export function mergeHistory(engine: readonly RunRecord[], local: readonly RunRecord[], limit = 10): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  for (const r of local) byId.set(r.id, r);
  for (const r of engine) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => Date.parse(runTime(b)) - Date.parse(runTime(a))).slice(0, limit);
}

export type Tone = "success" | "info" | "warning" | "error";
export type HeadlineAction = "review" | "setup" | "retry" | null;

export interface Headline {
  tone: Tone;
  /** The outcome in words, first thing a user reads. */
  title: string;
  /** One more sentence: what it means or what happens next. */
  detail: string | null;
  action: HeadlineAction;
  /** The underlying message, for the "Details" disclosure only. */
  technical: string | null;
}

export interface HeadlineInput {
  busy: "planning" | "applying" | null;
  pending: { count: number; safety: SafetyStop | null; cause: string | null } | null;
  failure: SyncFailure | null;
  latest: RunRecord | null;
  /** Automatic sync's next attempt after a failure (epoch ms), if any. */
  retryAt: number | null;
  contacts: string;
}

const FAILURE_TITLES: Record<SyncFailure["kind"], string> = {
  outlook: "Couldn't reach Outlook",
  practice: "Couldn't reach the practice system",
  filter: "Your contact filter was deleted",
  other: "The sync couldn't finish",
};

/** The latest outcome, in words, with the action it needs. */
export function statusHeadline(i: HeadlineInput): Headline {
  const contacts = i.contacts;
  if (i.busy) return { tone: "info", title: "Syncing…", detail: null, action: null, technical: null };
  if (i.pending?.safety) {
    return {
      tone: "warning",
      title: `Stopped: ${i.pending.cause ?? i.pending.safety.reason}`,
      detail: "Nothing was written. Review the changes before applying them.",
      action: "review",
      technical: null,
    };
  }
  if (i.pending) {
    const n = i.pending.count;
    return {
      tone: "info",
      title: `${n} ${n === 1 ? "change" : "changes"} waiting for your review`,
      detail: "Nothing is written until you apply them.",
      action: "review",
      technical: null,
    };
  }
  if (i.failure) return failureHeadline(i.failure, i.retryAt);
  const r = i.latest;
  if (!r) return { tone: "info", title: "Not synchronized yet", detail: "Sync now to compare the folder with the practice system.", action: null, technical: null };
  const at = timeText(runTime(r));
  const applied = appliedCount(r.counts);
  const failed = r.counts.failed ?? r.errors.length;
  switch (r.status) {
    case "ok": {
      const linked = r.counts.linked;
      const inSync = typeof linked === "number" && linked > 0 ? `${linked} ${contacts} in sync. ` : "";
      if (applied > 0)
        return { tone: "success", title: `${applied} ${applied === 1 ? "change" : "changes"} applied`, detail: `${inSync}Last sync ${at}.`, action: null, technical: null };
      return { tone: "success", title: "Up to date", detail: `${inSync}Last checked ${at}.`, action: null, technical: null };
    }
    case "partial":
      return {
        tone: "warning",
        title: `${applied} ${applied === 1 ? "change" : "changes"} applied, ${failed} failed`,
        detail: `The failed ones are listed below; Retry tries them again. Last sync ${at}.`,
        action: "retry",
        technical: null,
      };
    case "failed":
      return failureHeadline({ kind: kindOfMessage(r.message ?? ""), message: r.message ?? "" }, i.retryAt, at, failed);
    case "cancelled":
      return {
        tone: "warning",
        title: r.message?.startsWith("Closed without applying") ? "Review closed without applying" : "Sync cancelled",
        detail: `Nothing more was written; the remaining changes come back at the next sync. ${at}.`,
        action: null,
        technical: null,
      };
    case "stopped":
      return {
        tone: "warning",
        title: "Stopped for your confirmation",
        detail: `A large change was not applied (${at}). Sync now to review it again.`,
        action: "retry",
        technical: r.message ?? null,
      };
    default:
      return { tone: "info", title: "Finished", detail: at, action: null, technical: null };
  }
}

function failureHeadline(f: SyncFailure, retryAt: number | null, at?: string, failedContacts = 0): Headline {
  if (f.kind === "filter")
    return {
      tone: "error",
      title: FAILURE_TITLES.filter,
      detail: "Nothing is synced until you choose another filter (or all contacts) in Setup.",
      action: "setup",
      technical: null,
    };
  const when = retryAt !== null ? `Will retry at ${clockText(retryAt)}.` : "Nothing was lost; try again when the problem is fixed.";
  const title = f.message || !failedContacts ? FAILURE_TITLES[f.kind] : `${failedContacts} ${failedContacts === 1 ? "contact" : "contacts"} failed`;
  return {
    tone: "error",
    title,
    detail: at ? `${when} (${at})` : when,
    action: "retry",
    technical: f.message || null,
  };
}

/** A name for an excluded link: its last agreed name, else its company, else "(no name)". */
export function linkName(link: Link): string {
  const b = link.base;
  const name = b.displayName || [b.givenName, b.surname].filter(Boolean).join(" ") || b.companyName || b.fileAs;
  return name && name.trim() ? name : "(no name)";
}
