// Runs one multi-device scenario against the real engine: each device is its own SyncSession over
// its own cache, all over the same practice store and Outlook folder. Checks creates, deletes and
// agreed values after every step, then settles (every device syncs cleanly, twice) and checks
// convergence and that one more sync on every device plans and writes nothing.
import type { SyncPlan } from "../../../src/sync/plan-types";
import { SafetyStopError, StalePlanError } from "../../../src/sync/session";
import { checkConverged, checkCreates, checkDeletes, markStores, observeAgreement } from "./multi-invariants";
import type { MultiScenario, Step } from "./multi-scenario";
import type { FaultSpec } from "./scenario";
import { MultiWorld, type Device } from "./multi-world";
import type { ScenarioOutcome } from "./run-scenario";

/** Errors a device may meet when applying a plan another device overtook: it says so and writes nothing. */
const REFUSALS = /Stale|Lease|Outdated|Superseded|Busy|AnotherDevice/i;

export async function runMultiScenario(scenario: MultiScenario, seed = 1): Promise<ScenarioOutcome> {
  const w = new MultiWorld(scenario, seed);
  const trace: string[] = [];
  const violations: string[] = [];
  const stats = { rounds: 0, crashes: 0, faultsFired: 0, changesApplied: 0, cleanChecks: 0, followUps: 0 };
  const n = w.devices.length;
  const dev = (i: number) => w.devices[i % n];

  const plan = async (d: Device, label: string): Promise<SyncPlan | null> => {
    if (d.headless) d.session = w.newSession(d); // each scheduled run is a new process
    d.basesAtPlan = new Map(d.cache.peekLinks().filter((l) => l.state === "linked").map((l) => [`${l.practiceId}|${l.outlookId}`, l]));
    const writes = w.syncWrites();
    // R13: a plan may finish what an interrupted apply journaled; otherwise it writes nothing (R14).
    const journalEmpty = d.cache.peekJournal().length === 0;
    try {
      d.plan = await d.session.plan();
    } catch (e) {
      d.plan = null;
      violations.push(`${label}: ${d.name}: plan failed in a fault-free world: ${errText(e)}`);
      return null;
    }
    trace.push(`${label}: ${d.name} plans ${describePlan(d.plan)}`);
    // A recovered journal may have created records (R13): they are their contacts before a user edits them.
    w.noteSyncCreates();
    if (journalEmpty && w.syncWrites() !== writes) violations.push(`${label}: R14: ${d.name}'s plan() wrote ${w.syncWrites() - writes} time(s)`);
    violations.push(...observeAgreement(w, { kind: "plan" }).map((v) => `${label}: ${v}`));
    return d.plan;
  };

  const apply = async (d: Device, label: string, approveMask: number | null, deleteMask: number, settle = false, faults: FaultSpec[] = []) => {
    const p = d.plan;
    if (!p) {
      trace.push(`${label}: ${d.name} has no plan to apply`);
      return;
    }
    d.plan = null;
    // The headless device applies what needs no human choice (R11: conflicts are skipped).
    const rows = p.changes.filter((c, k) => (settle || !d.headless || c.group !== "conflict") && (approveMask === null || bit(approveMask, k)));
    const selected = new Set(rows.map((c) => c.id));
    const resolutions: Record<string, "keep" | "delete"> = {};
    const kept: string[] = [];
    p.changes
      .filter((c) => c.group === "conflict")
      .forEach((c, k) => {
        const choice = !settle && bit(deleteMask, k) ? "delete" : "keep";
        resolutions[c.id] = choice;
        if (!selected.has(c.id)) return;
        if (choice === "delete") for (const id of [c.practiceId, c.outlookId]) if (id) w.conflictDeletes.add(id);
        if (choice === "keep" && c.practiceId) kept.push(c.practiceId);
      });
    const mark = markStores(w);
    const writes = w.syncWrites();
    for (const f of faults) (f.target === "practice" ? w.practice : w.outlook).faults.inject(f.op, f.fault, f.count, f.after);
    const firedBefore = w.practice.faults.fired.length + w.outlook.faults.fired.length;
    if (faults.length) trace.push(`${label}: faults ${JSON.stringify(faults)}`);
    try {
      const res = await d.session.apply(p, { selected, resolutions, force: settle || !d.headless });
      stats.changesApplied += res.applied;
      for (const pid of kept) w.excluded.delete(pid); // R11 keep: the user wants it in the folder
      trace.push(`${label}: ${d.name} applies plan ${p.runId} (${selected.size} of ${p.changes.length}): ${res.run.status}, applied ${res.applied}, deferred ${res.deferred}, failed ${res.failed.length}` +
        (res.failed.length ? ` ${JSON.stringify(res.failed.map((f) => `${f.code}:${f.message}`))}` : ""));
      const fired = w.practice.faults.fired.length + w.outlook.faults.fired.length - firedBefore;
      if (res.failed.length && fired === 0) violations.push(`${label}: R19: ${d.name}: a fault-free apply failed contacts: ${JSON.stringify(res.failed)}`);
    } catch (e) {
      const refused = e instanceof SafetyStopError || e instanceof StalePlanError || REFUSALS.test(errName(e));
      if (refused) {
        trace.push(`${label}: ${d.name} ${e instanceof SafetyStopError ? "stops for confirmation" : "refuses its plan"}: ${errText(e)}`);
        if (w.syncWrites() !== writes) violations.push(`${label}: ${d.name} wrote ${w.syncWrites() - writes} time(s) in an apply it refused or stopped`);
      } else if (faults.length && /Unavailable|Throttl/i.test(errName(e))) trace.push(`${label}: ${d.name}'s apply stopped: ${errText(e)}`);
      else violations.push(`${label}: ${d.name}: apply failed: ${errText(e)}`);
    }
    stats.faultsFired += w.practice.faults.fired.length + w.outlook.faults.fired.length - firedBefore;
    w.practice.faults.clear();
    w.outlook.faults.clear();
    w.noteSyncCreates();
    // Rows that take a contact for a new one (an import, a conflict) keep a user's copy their own.
    const asNew = new Set(p.changes.flatMap((c) => (c.outlookId && (c.group === "conflict" || !c.practiceId) ? [c.outlookId] : [])));
    const removedNow = new Set(w.outlook.events.slice(mark.outlook).flatMap((e) => (e.by === "sync" && e.op === "delete" ? [e.id] : [])));
    w.adoptCopies(asNew, p.createdAt, removedNow);
    violations.push(...checkCreates(w, mark).map((v) => `${label}: ${v}`));
    violations.push(...checkDeletes(w, mark).map((v) => `${label}: ${v}`));
    await w.noteExclusions();
    violations.push(...observeAgreement(w, { kind: "apply", device: d, mark }).map((v) => `${label}: ${v}`));
    w.noteSyncDeletes(mark);
  };

  const runStep = async (s: Step, label: string) => {
    switch (s.kind) {
      case "user":
        trace.push(`${label}: ${w.perform(s.action)}`);
        w.noteSyncCreates();
        violations.push(...observeAgreement(w, { kind: "user" }).map((v) => `${label}: ${v}`));
        return;
      case "plan":
        await plan(dev(s.device), label);
        return;
      case "apply":
        await apply(dev(s.device), label, s.approveMask, s.deleteMask, false, s.faults);
        return;
      case "review": {
        const d = dev(s.device);
        if (!(await plan(d, label))) return;
        for (const a of s.edits) {
          w.tick();
          trace.push(`${label} (while ${d.name} shows its plan): ${w.perform(a)}`);
          w.noteSyncCreates();
          violations.push(...observeAgreement(w, { kind: "user" }).map((v) => `${label}: ${v}`));
        }
        w.tick();
        await apply(d, label, s.approveMask, 0);
        return;
      }
      case "sync":
        if (await plan(dev(s.device), label)) await apply(dev(s.device), label, null, 0);
        return;
      case "race": {
        const a = dev(s.first);
        const b = s.first % n === s.second % n ? dev(s.first + 1) : dev(s.second);
        await plan(a, label);
        w.tick();
        if (await plan(b, label)) await apply(b, label, null, 0);
        w.tick();
        await apply(a, label, null, 0);
        return;
      }
      case "includeAgain": {
        const d = dev(s.device);
        const excluded = (await d.session.excluded()).map((l) => l.practiceId).sort();
        if (excluded.length === 0) {
          trace.push(`${label}: ${d.name} has nothing excluded to include again`);
          return;
        }
        const pid = excluded[s.target % excluded.length];
        await d.session.includeAgain(pid);
        w.excluded.delete(pid);
        d.excludedSeen.delete(pid);
        trace.push(`${label}: on ${d.name} the user includes ${pid} again`);
        return;
      }
      case "loseCache": {
        const d = dev(s.device);
        await d.cache.clear();
        d.session = w.newSession(d);
        d.plan = null;
        d.excludedSeen = new Set();
        trace.push(`${label}: ${d.name} loses its cache`);
        return;
      }
    }
  };

  for (let i = 0; i < scenario.steps.length && violations.length === 0; i++) {
    stats.rounds++;
    w.tick();
    await runStep(scenario.steps[i], `step ${i + 1}`);
  }

  // Settle: every device syncs cleanly (all rows, conflicts kept), twice; then all must agree.
  for (let pass = 1; pass <= 2 && violations.length === 0; pass++) {
    for (const d of w.devices) {
      w.tick();
      if (await plan(d, `settle ${pass}`)) await apply(d, `settle ${pass}`, null, 0, true);
    }
  }
  if (violations.length === 0) {
    stats.cleanChecks++;
    violations.push(...checkConverged(w).map((v) => `settled: ${v}`));
  }
  // One more sync on every device plans nothing and writes nothing.
  for (const d of violations.length ? [] : w.devices) {
    w.tick();
    const writes = w.syncWrites();
    const again = await plan(d, "after settling");
    if (!again) continue;
    if (again.changes.length || again.safety) violations.push(`after settling: ${d.name}'s next sync is not empty: ${describePlan(again)}`);
    await apply(d, "after settling", null, 0, true);
    if (w.syncWrites() !== writes) violations.push(`after settling: ${d.name}'s next sync wrote ${w.syncWrites() - writes} time(s)`);
  }
  return { violations, trace, stats: { ...stats, verified: w.verified, contests: w.contests } };
}

const bit = (mask: number, k: number) => k < 31 && ((mask >>> k) & 1) === 1;

const errName = (e: unknown) => (e instanceof Error ? e.name : "");

function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function describePlan(plan: SyncPlan): string {
  const rows = plan.changes.map((c) => `${c.group}/${c.direction}/${c.rule} ${c.practiceId ?? "-"}:${c.outlookId ?? "-"}`);
  return `${plan.runId}: ${plan.changes.length} change(s)${plan.safety ? ` [safety: ${plan.safety.reason}]` : ""} ${rows.join(", ")}`;
}
