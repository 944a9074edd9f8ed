// Runs one scenario against the real engine (SyncSession) and the in-memory stores, checking the
// invariants after every round. Returns the violations found, with a trace for the report.
import type { FieldName } from "../../../src/sync/model";
import type { SyncPlan } from "../../../src/sync/plan-types";
import { StoreUnavailableError } from "../../../src/sync/ports";
import { SafetyStopError, SyncSession } from "../../../src/sync/session";
import { CrashError } from "../../support";
import { checkConverged, checkDeletions, markEvents, type EventMark } from "./invariants";
import { isCleanRound, type Round, type Scenario } from "./scenario";
import { World } from "./world";
import { FOLDER } from "./multi-world";

export interface ScenarioOutcome {
  violations: string[];
  trace: string[];
  stats: { rounds: number; crashes: number; faultsFired: number; changesApplied: number; cleanChecks: number; followUps: number; contests?: number; verified?: number };
}

/** The settle round that ends every scenario: no faults, no edits, everything approved. */
const SETTLE: Round = {
  before: [],
  during: [],
  faults: [],
  loseCache: false,
  expirePracticeCursor: false,
  expireDeltaToken: false,
  approveMask: null,
  deleteMask: 0,
  force: true,
  cancelAfter: null,
  freshSession: true,
};

export async function runScenario(scenario: Scenario, seed = 1): Promise<ScenarioOutcome> {
  const w = new World(scenario, seed);
  const trace: string[] = [];
  const violations: string[] = [];
  const stats = { rounds: 0, crashes: 0, faultsFired: 0, changesApplied: 0, cleanChecks: 0, followUps: 0 };
  let session: SyncSession | null = null;
  const newSession = () =>
    // The folder, as the pane and the command line give it: imports name their Outlook contact, and
    // decisions are kept in the practice store.
    new SyncSession({ practice: w.practice, outlook: w.outlook, cache: w.cache, clock: w.clock, ids: w.ids, settings: w.settings, folder: FOLDER });

  const rounds = [...scenario.rounds, SETTLE];
  for (let i = 0; i < rounds.length && violations.length === 0; i++) {
    const r = rounds[i];
    const label = i === rounds.length - 1 ? "settle" : `round ${i + 1}`;
    stats.rounds++;
    for (const a of r.before) trace.push(`${label}: ${w.perform(a)}`);
    if (r.loseCache) {
      w.cache.lose();
      w.cacheLostEver = true;
      w.ledger.lenient = true;
      trace.push(`${label}: the cache is lost`);
    }
    if (r.expirePracticeCursor) w.practice.expireCursors();
    if (r.expireDeltaToken) w.outlook.expireDeltaTokens();
    w.arm(r.faults);
    if (r.faults.length) trace.push(`${label}: faults ${JSON.stringify(r.faults)}`);
    if (!session || r.freshSession) session = newSession();
    const mark = markEvents(w);
    const firedBefore = firedCount(w);
    let crashed = false;
    let unexpected: unknown = null;
    let plan: SyncPlan | null = null;
    let applied = false;
    let deferredInRun = 0;
    const fired0 = () => firedCount(w) - firedBefore;

    const journalEmpty = w.cache.peekJournal().length === 0;
    const writesBefore = w.syncWrites();
    try {
      plan = await session.plan();
      trace.push(`${label}: plan ${describePlan(plan)}`);
      if (journalEmpty && w.syncWrites() !== writesBefore && !w.lifeline.dead)
        violations.push(`${label}: R14: plan() wrote to a store with no journal to recover`);
    } catch (e) {
      ({ crashed, unexpected } = classify(e, w));
      trace.push(`${label}: plan failed: ${errText(e)}`);
    }

    if (plan && !w.lifeline.dead) {
      for (const a of r.during) trace.push(`${label} (during): ${w.perform(a)}`);
      const selected = new Set(plan.changes.filter((_, k) => r.approveMask === null || bit(r.approveMask, k)).map((c) => c.id));
      const resolutions: Record<string, "keep" | "delete"> = {};
      plan.changes
        .filter((c) => c.group === "conflict")
        .forEach((c, k) => {
          const choice = bit(r.deleteMask, k) ? "delete" : "keep";
          resolutions[c.id] = choice;
          if (choice === "delete" && selected.has(c.id)) {
            if (c.practiceId) w.conflictDeletes.add(c.practiceId);
            if (c.outlookId) w.conflictDeletes.add(c.outlookId);
          }
        });
      const before = w.syncWrites();
      const cancel = new AbortController();
      const unsubscribe = session.onProgress((p) => {
        if (r.cancelAfter !== null && p.phase === "applying" && p.done >= r.cancelAfter) cancel.abort();
      });
      try {
        const res = await session.apply(plan, { selected, resolutions, force: r.force, signal: cancel.signal });
        applied = true;
        stats.changesApplied += res.applied;
        deferredInRun = res.deferred;
        trace.push(`${label}: ${res.run.status}: applied ${res.applied}, deferred ${res.deferred}, failed ${res.failed.length}` +
          (res.failed.length ? ` ${JSON.stringify(res.failed.map((f) => `${f.code}:${f.message}`))}` : ""));
        if (isCleanRound(r) && res.failed.length)
          violations.push(`${label}: R19: a fault-free sync failed contacts: ${JSON.stringify(res.failed)}`);
      } catch (e) {
        if (e instanceof SafetyStopError) {
          trace.push(`${label}: safety stop: ${e.message}`);
          if (w.syncWrites() !== before) violations.push(`${label}: R15: a safety-stopped apply wrote to a store`);
        } else if (cancel.signal.aborted && (e as { name?: unknown } | null)?.name === "AbortError") {
          // Checked by name: under jest the DOMException comes from another realm than Error.
          trace.push(`${label}: apply cancelled`);
        } else {
          ({ crashed, unexpected } = classify(e, w));
          trace.push(`${label}: apply failed: ${errText(e)}`);
        }
      }
      unsubscribe();
      // No value the sync wrote over an edit made during review is whitelisted: apply re-reads both
      // sides, so such an edit must survive or come back as a row (R14), and the ledger checks it.
      if (applied && fired0() === 0) violations.push(...checkWritesListed(w, plan, mark).map((v) => `${label}: ${v}`));
    }

    stats.faultsFired += firedCount(w) - firedBefore;
    if (w.lifeline.dead) crashed = true;
    w.disarm();
    if (crashed) {
      stats.crashes++;
      trace.push(`${label}: the process crashed (${w.lifeline.at ?? "caught by the engine"}); restarting`);
      w.lifeline.revive();
      session = null;
    }
    const fired = firedCount(w) - firedBefore;
    // "Whole record" (R5 option) lets the most recent record win every field. After a partly applied
    // run, the engine's own landed writes make a record "most recent" too, so an edit can legitimately
    // lose to them; the lost-edit check waits for the next clean state.
    if (w.settings.wholeRecord && (fired > 0 || r.during.length > 0 || crashed)) w.ledger.lenient = true;
    // Only a crash (the process died between a write and the cache commit recording it) can leave the
    // engine's writes unrecorded; a failed or cancelled write is recorded by the engine itself.
    if (crashed) allowLandedWrites(w, mark);
    if (unexpected && fired === 0) violations.push(`${label}: unexpected error in a fault-free sync: ${errText(unexpected)}`);
    w.noteScope();
    violations.push(...checkDeletions(w, mark).map((v) => `${label}: ${v}`));

    if (isCleanRound(r) && applied && !crashed && fired === 0) {
      stats.cleanChecks++;
      // R14 over one-run convergence (docs/sync-rules.md): when an approved write surfaces a record state
      // no row showed (a replayed import finding edits made since), the engine defers it for review and
      // says so. With every row approved, such a deferral must be settled by exactly one more sync.
      if (r.approveMask === null && deferredInRun > 0) {
        const follow = await session!.plan();
        const res = await session!.apply(follow, { selected: new Set(follow.changes.map((c) => c.id)), force: true });
        trace.push(`${label} (follow-up after ${deferredInRun} deferral(s)): plan ${describePlan(follow)}; applied ${res.applied}, deferred ${res.deferred}`);
        if (res.deferred > 0) violations.push(`${label}: the follow-up sync deferred ${res.deferred} change(s) again`);
        if (res.failed.length) violations.push(`${label}: R19: the follow-up sync failed contacts: ${JSON.stringify(res.failed)}`);
        stats.followUps++;
      }
      violations.push(...checkConverged(w).map((v) => `${label}: ${v}`));
      if (violations.length) break;
      // A second sync plans nothing and writes nothing.
      const writes = w.syncWrites();
      const again = await session!.plan();
      if (again.changes.length || again.safety)
        violations.push(`${label}: second sync is not empty: ${describePlan(again)}`);
      await session!.apply(again, { selected: new Set(again.changes.map((c) => c.id)), force: true });
      if (w.syncWrites() !== writes) violations.push(`${label}: second sync wrote ${w.syncWrites() - writes} time(s)`);
      w.ledger.reset();
    }
  }
  return { violations, trace, stats };
}

/**
 * A run that crashed may leave the engine's writes on one side with no link recording them. The next sync may then merge without a base (R8), where R5 recency lets either
 * side's current value win, including a value the engine wrote: such a value is an allowed outcome.
 */
function allowLandedWrites(w: World, mark: EventMark): void {
  const sides = [
    ["practice", w.practice.events.slice(mark.practice)],
    ["outlook", w.outlook.events.slice(mark.outlook)],
  ] as const;
  for (const [side, events] of sides) {
    for (const e of events) {
      if (e.by !== "sync" || !e.fields) continue;
      const key = w.keyOf(side, e.id);
      for (const [f, v] of Object.entries(e.fields)) w.ledger.allowAlso(side, key, f as FieldName, v);
    }
  }
}

/**
 * R14: what a user approves is what gets written. Every field the sync wrote to an existing contact
 * must be listed in the plan row for that contact, with that store as its target.
 */
function checkWritesListed(w: World, plan: SyncPlan, mark: EventMark): string[] {
  const listed = new Set<string>();
  // A conflict row (R11) describes its resolutions in words, not fields: its contacts are exempt.
  const exempt = new Set<string>();
  for (const c of plan.changes) {
    // A row for a contact not created yet (R6, R7) names it by the other side's id only: "?" stands in.
    for (const fc of c.fields) listed.add(`${fc.target}|${(fc.target === "practice" ? c.practiceId : c.outlookId) ?? "?"}|${fc.field}`);
    // By marker: "keep" may re-create the practice record under a new id.
    if (c.group === "conflict") {
      if (c.practiceId) exempt.add(w.keyOf("practice", c.practiceId));
      if (c.outlookId) exempt.add(w.keyOf("outlook", c.outlookId));
    }
  }
  // An import row (R7) shows the whole record to create: a field it does not list is empty in that record.
  // When the create replays an interrupted run's record (R13), clearing such a field matches the row.
  const importRows = new Map(plan.changes.filter((c) => c.rule === "R7" && c.outlookId).map((c) => [c.outlookId!, c]));
  // The record is known by the link the apply committed, or (a cancelled apply commits none) by the
  // Outlook contact the record names as the one it was made from.
  const importTargets = new Set([
    ...w.cache.peekLinks().filter((l) => importRows.has(l.outlookId)).map((l) => l.practiceId),
    ...w.practice.peekAll().filter((p) => p.outlookRef && importRows.has(p.outlookRef.id)).map((p) => p.id),
  ]);
  const out: string[] = [];
  const sides = [
    ["practice", w.practice.events.slice(mark.practice)],
    ["outlook", w.outlook.events.slice(mark.outlook)],
  ] as const;
  for (const [side, events] of sides) {
    for (const e of events) {
      if (e.by !== "sync" || e.op !== "update" || !e.fields || exempt.has(w.keyOf(side, e.id))) continue;
      const fields = e.fields as Record<string, unknown>;
      for (const f of Object.keys(fields)) {
        if (side === "practice" && importTargets.has(e.id) && (fields[f] === null || fields[f] === undefined)) continue;
        if (!listed.has(`${side}|${e.id}|${f}`) && !listed.has(`${side}|?|${f}`))
          out.push(`R14: the sync wrote ${f} of ${side} contact ${e.id}, which no approved row lists`);
      }
    }
  }
  return out;
}

function classify(e: unknown, w: World): { crashed: boolean; unexpected: unknown } {
  if (e instanceof CrashError || w.lifeline.dead) return { crashed: true, unexpected: null };
  if (e instanceof StoreUnavailableError) return { crashed: false, unexpected: e };
  return { crashed: false, unexpected: e };
}

const bit = (mask: number, k: number) => k < 31 && ((mask >>> k) & 1) === 1;

function firedCount(w: World): number {
  return w.practice.faults.fired.length + w.outlook.faults.fired.length + w.cache.faults.fired.length;
}

function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function describePlan(plan: SyncPlan): string {
  const rows = plan.changes.map((c) => `${c.group}/${c.direction}/${c.rule} ${c.practiceId ?? "-"}:${c.outlookId ?? "-"}`);
  return `${plan.changes.length} change(s)${plan.safety ? ` [safety: ${plan.safety.reason}]` : ""} ${rows.join(", ")}`;
}
