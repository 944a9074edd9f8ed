// Words for the Status view: the latest outcome in a sentence, phases, run statuses and counts,
// as plain text. No internal code, id or HTTP status reaches these words: a failure's own message
// is shown only behind "Details".
import type { Link } from "../../../sync/model";
import type { SafetyStop, SyncProgress } from "../../../sync/plan-types";
import type { RunRecord, RunStatus } from "../../../sync/ports";
import type { MessageKey } from "../../i18n/catalogues";
import { ENGLISH, type Translator } from "../../i18n/translator";
import { kindOfMessage, type SyncFailure } from "../../safety-stop";
import { timeText } from "../../time-text";

export { timeText };

const PHASES: Record<SyncProgress["phase"], MessageKey> = {
  "reading-practice": "phase.reading-practice",
  "reading-outlook": "phase.reading-outlook",
  planning: "phase.planning",
  applying: "phase.applying",
  waiting: "phase.waiting",
  done: "phase.done",
};

export function progressText(p: SyncProgress | null, busy: "planning" | "applying" | null, t: Translator = ENGLISH): string {
  if (!p) return t.t(busy === "applying" ? "progress.applying" : "progress.starting");
  if (p.phase === "waiting" && p.waiting) return t.t("progress.waiting", { time: t.clock(Date.parse(p.waiting.resumeAt)) });
  const phase = t.t(PHASES[p.phase]);
  if (p.total !== undefined) return t.t("progress.ofTotal", { phase, done: p.done, total: p.total });
  return p.done > 0 ? t.t("progress.done", { phase, done: p.done }) : t.t("progress.phase", { phase });
}

/** 0..1 when the total is known, undefined (indeterminate) otherwise. */
export function progressValue(p: SyncProgress | null): number | undefined {
  if (!p || p.total === undefined || p.total <= 0) return undefined;
  return Math.min(1, p.done / p.total);
}

/** A history line's status word, from what the run did (not only how it ended). */
export function runStatusText(run: Pick<RunRecord, "status" | "counts">, t: Translator = ENGLISH): string {
  const status: RunStatus = run.status;
  switch (status) {
    case "ok":
      return t.t(appliedCount(run.counts) > 0 ? "run.applied" : "run.upToDate");
    case "partial":
      return t.t("run.partial");
    case "failed":
      return t.t("run.failed");
    case "cancelled":
      return t.t("run.cancelled");
    case "stopped":
      return t.t("run.stopped");
    default:
      return t.t("run.finished");
  }
}

/** Count keys are "<group>:<direction>"; each becomes words, several keys may share them. */
const CHANGE_WORDS: Record<string, MessageKey> = {
  "add:toOutlook": "counts.addedToOutlook",
  "add:both": "counts.addedToOutlook",
  "add:toPractice": "counts.addedToPractice",
  "update:toOutlook": "counts.updatedInOutlook",
  "update:toPractice": "counts.updatedInPractice",
  "update:both": "counts.updatedBothWays",
  "remove:toOutlook": "counts.removedFromOutlook",
  "remove:both": "counts.removedFromOutlook",
  "remove:toPractice": "counts.deletedInPractice",
  "remove:none": "counts.noLongerSynced",
  "conflict:none": "counts.conflictsResolved",
};

/** Words for a key the table does not know, by its group; never the key itself. */
const GROUP_WORDS: Record<string, MessageKey> = {
  add: "counts.added",
  update: "counts.updated",
  remove: "counts.removed",
  conflict: "counts.conflictsResolved",
};

const OTHER_WORDS: Record<string, MessageKey> = {
  failed: "counts.failed",
  deferred: "counts.deferred",
  conflicts: "counts.conflictsWaiting",
  changedSincePlan: "counts.changedSincePlan",
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
export function countsText(counts: Record<string, number>, t: Translator = ENGLISH): string {
  const parts = new Map<MessageKey, number>();
  const add = (key: MessageKey, n: number) => parts.set(key, (parts.get(key) ?? 0) + n);
  for (const [k, n] of Object.entries(counts)) {
    if (typeof n !== "number" || n <= 0) continue;
    if (k.includes(":")) add(CHANGE_WORDS[k] ?? GROUP_WORDS[k.split(":")[0]] ?? "counts.changed", n);
    else if (OTHER_WORDS[k]) add(OTHER_WORDS[k], n);
  }
  const order: MessageKey[] = [...Object.values(CHANGE_WORDS), ...Object.values(GROUP_WORDS), "counts.changed", ...Object.values(OTHER_WORDS)];
  return [...parts]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([key, count]) => t.t(key, { count }))
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
}

const FAILURE_TITLES: Record<SyncFailure["kind"], MessageKey> = {
  outlook: "fail.outlook",
  practice: "fail.practice",
  filter: "fail.filter",
  lease: "fail.other",
  other: "fail.other",
};

const headline = (tone: Tone, title: string, detail: string | null = null, action: HeadlineAction = null, technical: string | null = null): Headline => ({
  tone,
  title,
  detail,
  action,
  technical,
});

/** The latest outcome, in words, with the action it needs. */
export function statusHeadline(i: HeadlineInput, t: Translator = ENGLISH): Headline {
  if (i.busy) return headline("info", t.t("head.syncing"));
  if (i.pending?.safety)
    return headline("warning", t.t("head.stopped", { cause: i.pending.cause ?? i.pending.safety.reason }), t.t("head.stoppedDetail"), "review");
  if (i.pending) return headline("info", t.t("head.waiting", { count: i.pending.count }), t.t("head.waitingDetail"), "review");
  if (i.failure) return failureHeadline(i.failure, i.retryAt, t);
  const r = i.latest;
  if (!r) return headline("info", t.t("head.never"), t.t("head.neverDetail"));
  const time = t.dateTime(runTime(r));
  const applied = appliedCount(r.counts);
  const failed = r.counts.failed ?? r.errors.length;
  switch (r.status) {
    case "ok": {
      const linked = r.counts.linked;
      const inSync = typeof linked === "number" && linked > 0 ? [t.t("head.inSync", { count: linked })] : [];
      if (applied > 0) return headline("success", t.t("head.applied", { count: applied }), [...inSync, t.t("head.lastSync", { time })].join(" "));
      return headline("success", t.t("head.upToDate"), [...inSync, t.t("head.lastChecked", { time })].join(" "));
    }
    case "partial":
      return headline("warning", t.t("head.partial", { count: applied, failed }), t.t("head.partialDetail", { time }), "retry");
    case "failed":
      return failureHeadline({ kind: kindOfMessage(r.message ?? ""), message: r.message ?? "" }, i.retryAt, t, time, failed);
    case "cancelled":
      return headline("warning", t.t(isClosedReview(r) ? "head.closed" : "head.cancelled"), t.t("head.cancelledDetail", { time }));
    case "stopped":
      return headline("warning", t.t("head.stoppedRun"), t.t("head.stoppedRunDetail", { time }), "retry", r.message ?? null);
    default:
      return headline("info", t.t("head.finished"), time);
  }
}

function failureHeadline(f: SyncFailure, retryAt: number | null, t: Translator, at?: string, failedContacts = 0): Headline {
  if (f.kind === "filter") return headline("error", t.t(FAILURE_TITLES.filter), t.t("fail.filterDetail"), "setup");
  if (f.lease) {
    // R18: nothing failed; someone else holds the folder for now. Said in the pane's words, not the error's.
    const { holder, until, sameStaff } = f.lease;
    const title = sameStaff ? t.t("fail.leaseSelf") : t.t("fail.lease", { holder });
    const detail = until && !sameStaff ? t.t("fail.leaseUntil", { time: t.dateTime(until) }) : t.t("fail.leaseLater");
    return headline("warning", title, detail, "retry");
  }
  const when = retryAt !== null ? t.t("fail.retryAt", { time: t.clock(retryAt) }) : t.t("fail.nothingLost");
  const title = f.message || !failedContacts ? t.t(FAILURE_TITLES[f.kind]) : t.t("fail.contacts", { count: failedContacts });
  return headline("error", title, at ? t.t("fail.withTime", { when, time: at }) : when, "retry", f.message || null);
}

/** The pane's own record of a review closed without applying says so in its (English, stored) message. */
export function isClosedReview(run: Pick<RunRecord, "status" | "message">): boolean {
  return run.status === "cancelled" && !!run.message?.startsWith("Closed without applying");
}

/** A run's message for its Details: the pane's own in the pane's words, the engine's as it wrote it. */
export function runMessageText(run: Pick<RunRecord, "status" | "message">, t: Translator = ENGLISH): string | null {
  if (!run.message || run.status === "ok") return null;
  return isClosedReview(run) ? t.t("run.closedNote") : t.localTimes(run.message);
}

/** A name for an excluded link: its last agreed name, else its company, else "(no name)". */
export function linkName(link: Link, t: Translator = ENGLISH): string {
  const b = link.base;
  const name = b.displayName || [b.givenName, b.surname].filter(Boolean).join(" ") || b.companyName || b.fileAs;
  return name && name.trim() ? name : t.t("common.noName");
}
