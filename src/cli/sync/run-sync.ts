// `contact-sync sync`: one headless run. Resolve the folder and the filter, plan, show, ask (unless
// --yes), take the folder's lease (R18), apply every non-conflict change (R11), release, report.
// Everything it talks to comes in through SyncWiring, so tests drive it with in-memory stores and the
// integration suite with the real servers.
import { randomUUID } from "node:crypto";
import type { OutlookStore, PracticeStore, SyncCache } from "../../sync/ports";
import type { SyncPlan, SyncResult } from "../../sync/plan-types";
import { SafetyStopError, SyncSession } from "../../sync/session";
import type { SyncCommand } from "./args";
import { confirmApply, type Terminal } from "./confirm";
import { describeError } from "./describe-error";
import { CliError, EXIT, type ExitCode } from "./exit-codes";
import { folderKeyOf, LeaseKeeper, type LeaseApi } from "./lease";
import { createProgressPrinter } from "./progress";
import { renderPlan } from "./render-plan";
import { autoApplicable, countPlanned, mergeErrors, summaryLine, type Outcome, type SyncReport } from "./report";
import { type FilterApi, type FolderApi, resolveFilter, resolveFolder } from "./resolve";
import { openStateDir } from "./state-dir";

/** The connected world of one run; `connect.ts` builds the real one. */
export interface SyncWiring {
  practice: PracticeStore & FilterApi & LeaseApi;
  /** The Outlook store for a folder, once its id is known. */
  outlookFor(folderId: string): OutlookStore;
  folders: FolderApi;
  requests(): { practice: number; graph: number };
  /** Starts what every sync needs from the network (its tokens) while the run gets ready. */
  prepare?(): void;
  close?(): Promise<void>;
}

export interface CliIO extends Terminal {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface RunOutput {
  report: SyncReport;
  exitCode: ExitCode;
}

const TARGET_KEY = "target";

export async function runSync(cmd: SyncCommand, wiring: SyncWiring, io: CliIO, signal?: AbortSignal): Promise<RunOutput> {
  const started = Date.now();
  wiring.prepare?.();
  const state = openStateDir(cmd.stateDir, { create: true, lock: true });
  const printer = createProgressPrinter({ write: (t) => void io.stderr.write(t), isTTY: io.stderr.isTTY });
  const human = (text: string) => {
    // With --json, stdout carries the JSON object only; human text goes to stderr.
    if (!cmd.quiet) (cmd.json ? io.stderr : io.stdout).write(`${text}\n`);
  };
  let lease: LeaseKeeper | null = null;
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort);

  const report: SyncReport = {
    outcome: "failed",
    exitCode: EXIT.unexpected,
    dryRun: cmd.mode === "dry-run",
    runId: null,
    folder: { mailbox: cmd.connection.mailbox, id: "" },
    filter: { id: null },
    planned: {},
    applied: null,
    counts: {},
    conflicts: [],
    safety: null,
    errors: [],
    requests: { practice: 0, graph: 0 },
    durationMs: 0,
    changes: [],
  };
  const finish = (outcome: Outcome, exitCode: ExitCode, message?: string): RunOutput => {
    report.outcome = outcome;
    report.exitCode = exitCode;
    if (message) report.message = message;
    return { report, exitCode };
  };

  try {
    const mailbox = cmd.connection.mailbox === "me" && cmd.connection.upn ? cmd.connection.upn : cmd.connection.mailbox;
    const folder = await resolveFolder(wiring.folders, state.cache, cmd.connection.mailbox, cmd.folder, cmd.createFolder);
    report.folder = { mailbox: cmd.connection.mailbox, id: folder.id, name: folder.name };
    if (folder.created) human(`Created the contacts folder "${folder.name}".`);
    const filter = await resolveFilter(wiring.practice, state.cache, cmd.filter);
    report.filter = filter;
    checkTarget(state.cache, { practiceUrl: cmd.connection.practiceUrl, mailbox: mailbox.toLowerCase(), folderId: folder.id }, cmd.stateDir);

    const session = new SyncSession({
      practice: wiring.practice,
      outlook: wiring.outlookFor(folder.id),
      cache: state.cache as SyncCache,
      clock: { now: () => new Date().toISOString() },
      ids: { next: () => randomUUID() },
      settings: {
        filterId: filter.id,
        importKind: cmd.importAs,
        wholeRecord: cmd.wholeRecord,
        deleteStandaloneOnOutlookDelete: cmd.deleteStandalone,
      },
      // R2: the pane uses the same key, so the user's decisions are shared with their other devices.
      folder: { mailbox: mailbox.toLowerCase(), folderKey: folderKeyOf(mailbox, folder.id) },
    });
    let quietApply = false;
    if (!cmd.quiet) session.onProgress((p) => !(quietApply && p.phase === "applying") && printer.update(p));

    const plan = await session.plan({ signal: abort.signal });
    printer.end();
    describePlan(report, plan);
    const toApply = autoApplicable(plan);
    // Applying nothing but the cache (cursors, history) is not worth a progress line.
    quietApply = toApply.length === 0;

    if (cmd.mode === "dry-run") {
      human(renderPlan(plan, { maxRowsPerGroup: 200 }));
      return finish(plan.changes.length ? "planned" : "no-changes", plan.errors.length ? EXIT.contactsFailed : EXIT.ok);
    }
    if (plan.safety && !cmd.force) {
      human(renderPlan(plan, { maxRowsPerGroup: 50 }));
      return finish("safety-stop", EXIT.safetyStop, plan.safety.reason);
    }
    if (toApply.length > 0) {
      human(renderPlan(plan, { maxRowsPerGroup: cmd.mode === "ask" ? 200 : 50 }));
      if (cmd.mode === "ask") {
        const yes = await confirmApply(`Apply ${toApply.length} change(s)?`, { input: io.input, output: io.stderr });
        if (!yes) return finish("declined", EXIT.ok);
      }
      lease = new LeaseKeeper(wiring.practice, folderKeyOf(mailbox, folder.id), cmd.leaseSeconds, (err) => abort.abort(err), leaseHolder(state.cache));
      await lease.acquire();
    } else if (plan.changes.length > 0) {
      human(renderPlan(plan, { maxRowsPerGroup: 50 }));
    }

    // Applying with nothing selected still matters: the engine records the run and moves the cursors
    // past what it read (conflicts stay deferred and come back, R11/R14).
    let result: SyncResult;
    try {
      result = await session.apply(plan, {
        selected: new Set(toApply.map((c) => c.id)),
        force: cmd.force,
        signal: abort.signal,
      });
    } catch (err) {
      if (err instanceof SafetyStopError) {
        report.safety = err.stop;
        return finish("safety-stop", EXIT.safetyStop, err.stop.reason);
      }
      if (lease?.lostError) throw lease.lostError;
      throw err;
    } finally {
      printer.end();
    }
    report.applied = {
      applied: result.applied,
      deferred: result.deferred,
      failed: result.failed.length,
      ...(result.changedSincePlan?.length ? { changedSincePlan: result.changedSincePlan.length } : {}),
    };
    report.counts = result.run.counts;
    report.errors = mergeErrors(plan, result);
    if (lease?.lostError) throw lease.lostError;
    if (result.run.status === "cancelled") {
      return finish("cancelled", EXIT.unexpected, "Cancelled; what was applied is kept and the rest comes back next run.");
    }
    if (report.errors.length > 0) return finish("partial", EXIT.contactsFailed);
    return finish(plan.changes.length ? "applied" : "no-changes", EXIT.ok);
  } catch (err) {
    // A remembered filter that is gone must be looked up by name again next time (it may be recreated).
    if ((err as Error)?.name === "FilterMissingError" && cmd.filter !== null) state.cache.deleteMeta(`filter:${cmd.filter}`);
    const { exitCode, message } = describeError(err);
    return finish("failed", exitCode, message);
  } finally {
    signal?.removeEventListener("abort", onOuterAbort);
    printer.end();
    await lease?.release();
    state.close();
    report.requests = wiring.requests();
    report.durationMs = Date.now() - started;
    if (report.outcome !== "failed" && report.outcome !== "cancelled" && !cmd.json && !cmd.quiet) io.stdout.write(`${summaryLine(report)}\n`);
  }
}

/**
 * The lease holder id of this state directory: one "device". A run killed while holding the lease is
 * followed by a run from the same directory that takes its own lease back at once; another directory
 * (another device of the same person) waits for it (R18).
 */
function leaseHolder(cache: { getMeta(k: string): string | undefined; setMeta(k: string, v: string): void }): string {
  const known = cache.getMeta(LEASE_HOLDER_KEY);
  if (known) return known;
  const id = randomUUID();
  cache.setMeta(LEASE_HOLDER_KEY, id);
  return id;
}

const LEASE_HOLDER_KEY = "lease-holder";

function describePlan(report: SyncReport, plan: SyncPlan): void {
  report.runId = plan.runId;
  report.planned = countPlanned(plan.changes);
  report.conflicts = plan.changes.filter((c) => c.group === "conflict");
  report.safety = plan.safety;
  report.errors = mergeErrors(plan, null);
  report.changes = plan.changes;
  report.counts = { ...plan.counts };
}

/**
 * A state directory belongs to one practice system, mailbox and folder: its links mean nothing
 * elsewhere, and using them against another folder would look like mass deletions.
 */
function checkTarget(cache: { getMeta(k: string): string | undefined; setMeta(k: string, v: string): void }, target: object, dir: string): void {
  const now = JSON.stringify(target);
  const before = cache.getMeta(TARGET_KEY);
  if (before === undefined) cache.setMeta(TARGET_KEY, now);
  else if (before !== now) {
    const was = JSON.parse(before) as Record<string, string>;
    throw new CliError(
      EXIT.usage,
      `The state directory ${dir} belongs to another sync (${was.mailbox}, folder ${was.folderId}, ${was.practiceUrl}). Use a separate --state for each folder.`,
    );
  }
}
