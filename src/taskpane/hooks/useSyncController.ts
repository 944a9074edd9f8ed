// The one owner of sync state in the pane: plans, shows the pending list or applies, tracks
// progress and the last result. Views only read this state and call its actions.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ApplyRequest, SafetyStop, SyncPlan, SyncProgress, SyncResult } from "../../sync/plan-types";
import type { ContactError, RunRecord } from "../../sync/ports";
import type { PaneSession } from "../services";
import { failureOf, messageOf, safetyStopOf, type SyncFailure } from "../safety-stop";

export type SyncBusy = "planning" | "applying" | null;

/** What a sync attempt ended in, so the automatic loop knows whether to back off. */
export type SyncOutcome = "nothing" | "review" | "applied" | "skipped" | "cancelled";

export interface SyncControllerState {
  busy: SyncBusy;
  progress: SyncProgress | null;
  /** A plan waiting for the user's review (R14), or stopped by the safety valve (R15). */
  pending: SyncPlan | null;
  lastResult: SyncResult | null;
  /** ISO time of the last completed attempt, including ones that found nothing to do. */
  lastCheckedAt: string | null;
  error: string | null;
  /** The same failure, classified for Status's words (which store, what to do). */
  failure: SyncFailure | null;
  /**
   * Runs the engine's history does not hold (a plan with nothing to do or only re-links, one
   * stopped by the safety valve before apply, a review closed without applying), recorded by the
   * pane so History shows every run. Same shape and run id as the engine's records, newest first.
   */
  localRuns: RunRecord[];
  /** Set when apply was refused by the safety valve and needs explicit confirmation. */
  safetyStop: SafetyStop | null;
  /** Bumped after every run, so views that show history reload it. */
  runCount: number;
  /** Contacts the last plan could not handle (R19), shown even when nothing was applied. */
  planErrors: ContactError[];
}

export interface SyncController extends SyncControllerState {
  /**
   * Plans, then either shows the pending list (confirmation on, conflicts or a safety stop) or
   * applies every non-conflict change. `auto` runs never show conflicts on their own (R11) and
   * throw on failure so the caller can back off.
   */
  syncNow(opts?: { auto?: boolean }): Promise<SyncOutcome>;
  apply(req: Omit<ApplyRequest, "signal">): Promise<void>;
  /** Drops the pending list: nothing was written, so every row comes back next time (R14). */
  dismiss(): void;
  /** Aborts the running plan or apply. */
  cancel(): void;
  clearError(): void;
}

export interface SyncControllerOptions {
  confirmBeforeCommit: boolean;
  now?: () => string;
}

const INITIAL: SyncControllerState = {
  busy: null,
  progress: null,
  pending: null,
  lastResult: null,
  lastCheckedAt: null,
  error: null,
  failure: null,
  localRuns: [],
  safetyStop: null,
  runCount: 0,
  planErrors: [],
};

export function useSyncController(session: PaneSession | null, opts: SyncControllerOptions): SyncController {
  const [state, setState] = useState<SyncControllerState>(INITIAL);
  const running = useRef(false);
  const abort = useRef<AbortController | null>(null);
  const pendingRef = useRef<SyncPlan | null>(null);
  pendingRef.current = state.pending;
  const optsRef = useRef(opts);
  optsRef.current = opts;

  // A new session (new folder, filter, options) invalidates whatever the old one planned.
  useEffect(() => {
    setState((s) => ({ ...INITIAL, lastResult: s.lastResult, runCount: s.runCount }));
    if (!session) return;
    return session.onProgress((p) => setState((s) => (s.busy ? { ...s, progress: p } : s)));
  }, [session]);

  const now = useCallback(() => (optsRef.current.now ? optsRef.current.now() : new Date().toISOString()), []);

  const applyPlan = useCallback(
    async (plan: SyncPlan, req: Omit<ApplyRequest, "signal">): Promise<SyncResult> => {
      if (!session) throw new Error("Choose a folder in Setup first.");
      const ctrl = new AbortController();
      abort.current = ctrl;
      setState((s) => ({ ...s, busy: "applying", progress: null, error: null, failure: null }));
      const result = await session.apply(plan, { ...req, signal: ctrl.signal });
      setState((s) => ({
        ...s,
        busy: null,
        progress: null,
        pending: null,
        safetyStop: null,
        lastResult: result,
        lastCheckedAt: now(),
        runCount: s.runCount + 1,
      }));
      return result;
    },
    [session, now],
  );

  const planOnce = useCallback(async (): Promise<SyncPlan> => {
    if (!session) throw new Error("Choose a folder in Setup first.");
    const ctrl = new AbortController();
    abort.current = ctrl;
    setState((s) => ({ ...s, busy: "planning", progress: null, error: null, failure: null }));
    const plan = await session.plan({ signal: ctrl.signal });
    setState((s) => ({ ...s, planErrors: plan.errors }));
    return plan;
  }, [session]);

  const syncNow = useCallback(
    async ({ auto = false }: { auto?: boolean } = {}): Promise<SyncOutcome> => {
      // One run at a time, and an automatic run never replaces a list the user is reviewing.
      if (running.current || !session) return "skipped";
      if (auto && pendingRef.current) return "skipped";
      running.current = true;
      let plan: SyncPlan | null = null;
      try {
        plan = await planOnce();
        const review = (p: SyncPlan): SyncOutcome => {
          const at = now();
          setState((s) => ({
            ...s,
            busy: null,
            progress: null,
            pending: p,
            lastCheckedAt: at,
            // R15: a stopped run leaves a trace even if the user never opens the list.
            localRuns: p.safety ? withRun(s.localRuns, localRun(p, at, "stopped", p.safety.reason)) : s.localRuns,
          }));
          return "review";
        };
        const settled = (p: SyncPlan, extra: Record<string, number> = {}) => {
          const at = now();
          setState((s) => ({
            ...s,
            busy: null,
            progress: null,
            lastCheckedAt: at,
            localRuns: withCheck(s.localRuns, localRun(p, at, "ok", undefined, extra)),
            runCount: s.runCount + 1,
          }));
        };
        if (plan.changes.length === 0 && !plan.safety) {
          settled(plan);
          return "nothing";
        }
        // R15 stops even automatic runs with confirmation off; R14 shows the list with it on.
        if (plan.safety || optsRef.current.confirmBeforeCommit) return review(plan);
        const first: SyncPlan = plan;
        const selected = new Set(first.changes.filter((c) => c.group !== "conflict").map((c) => c.id));
        const hasConflicts = selected.size < first.changes.length;
        if (selected.size === 0) {
          // Only conflicts: they need a choice. A manual run shows them, an automatic one skips them (R11).
          if (auto) {
            settled(first, { conflicts: first.changes.length });
            return "nothing";
          }
          return review(first);
        }
        await applyPlan(first, { selected });
        if (hasConflicts && !auto) {
          // The conflicts were deferred by that apply; plan again so the user sees them with fresh data.
          plan = await planOnce();
          if (plan.changes.length > 0 || plan.safety) return review(plan);
          setState((s) => ({ ...s, busy: null, progress: null }));
        }
        return "applied";
      } catch (err) {
        const aborted = abort.current?.signal.aborted;
        const stop = safetyStopOf(err);
        const stopped = stop ? plan : null;
        setState((s) => ({
          ...s,
          busy: null,
          progress: null,
          pending: stopped ?? s.pending,
          safetyStop: stop,
          error: aborted || stop ? null : messageOf(err),
          failure: aborted || stop ? null : failureOf(err),
          runCount: s.runCount + 1,
        }));
        if (aborted) return "cancelled";
        if (auto && !stop) throw err;
        return stop ? "review" : "skipped";
      } finally {
        running.current = false;
        abort.current = null;
      }
    },
    [session, planOnce, applyPlan, now],
  );

  const apply = useCallback(
    async (req: Omit<ApplyRequest, "signal">) => {
      const plan = pendingRef.current;
      if (!plan || running.current) return;
      running.current = true;
      try {
        const result = await applyPlan(plan, req);
        // R14: rows whose contact changed after the list was made were not applied; plan again so
        // the user sees them with the new values instead of finding them missing.
        if (result.changedSincePlan?.length) {
          const again = await planOnce();
          const at = now();
          setState((s) => ({
            ...s,
            busy: null,
            progress: null,
            pending: again.changes.length > 0 || again.safety ? again : null,
            lastCheckedAt: at,
          }));
        }
      } catch (err) {
        const aborted = abort.current?.signal.aborted;
        const stop = safetyStopOf(err);
        setState((s) => ({
          ...s,
          busy: null,
          progress: null,
          safetyStop: stop,
          error: aborted || stop ? null : messageOf(err),
          failure: aborted || stop ? null : failureOf(err),
          runCount: s.runCount + 1,
        }));
      } finally {
        running.current = false;
        abort.current = null;
      }
    },
    [applyPlan, planOnce, now],
  );

  const dismiss = useCallback(
    () =>
      setState((s) => ({
        ...s,
        pending: null,
        safetyStop: null,
        // Closing the review writes nothing; History says so, and that the rows come back (R14).
        localRuns: s.pending
          ? withRun(s.localRuns, localRun(s.pending, now(), "cancelled", "Closed without applying; the changes come back at the next sync."))
          : s.localRuns,
        runCount: s.runCount + 1,
      })),
    [now],
  );
  const cancel = useCallback(() => abort.current?.abort(), []);
  const clearError = useCallback(() => setState((s) => ({ ...s, error: null })), []);

  return { ...state, syncNow, apply, dismiss, cancel, clearError };
}

const LOCAL_RUNS_KEPT = 20;

/** A history record for a plan the engine did not record (same id as the plan, so the engine's wins). */
function localRun(plan: SyncPlan, at: string, status: RunRecord["status"], message?: string, extra: Record<string, number> = {}): RunRecord {
  return {
    id: plan.runId,
    startedAt: plan.createdAt,
    finishedAt: at,
    status,
    counts: { linked: plan.counts.linked, ...extra },
    errors: plan.errors,
    ...(message ? { message } : {}),
  };
}

function withRun(runs: RunRecord[], run: RunRecord): RunRecord[] {
  return [run, ...runs.filter((r) => r.id !== run.id)].slice(0, LOCAL_RUNS_KEPT);
}

/**
 * A check that found nothing (or only the same conflicts still waiting), folded into the previous
 * one when that found the same, so automatic sync (every 15 s) leaves one line with a count rather
 * than hundreds.
 */
function withCheck(runs: RunRecord[], run: RunRecord): RunRecord[] {
  const prev = runs[0];
  const outcome = (r: RunRecord) =>
    JSON.stringify(
      Object.entries(r.counts)
        .filter(([k]) => k !== "linked" && k !== "checks")
        .sort(),
    );
  const same = !!prev && prev.status === "ok" && run.status === "ok" && prev.errors.length === 0 && run.errors.length === 0 && outcome(prev) === outcome(run);
  if (!same) return withRun(runs, run);
  const checks = (prev.counts.checks ?? 1) + 1;
  return withRun(runs.slice(1), { ...run, startedAt: prev.startedAt, counts: { ...run.counts, checks } });
}
