// Shared settings of the jest run and the fuzz CLI.
import fc from "fast-check";
import { scenarioArb, SMALL, type ScenarioSize } from "./generators";
import { multiScenarioArb } from "./multi-generators";
import type { MultiScenario } from "./multi-scenario";
import { runMultiScenario } from "./run-multi";
import { runScenario, type ScenarioOutcome } from "./run-scenario";
import type { Scenario } from "./scenario";

/**
 * The multi-device simulation (two panes and a scheduled headless device interleaving plans and
 * applies, restores from Deleted Items, include-again, lost caches) and its regression tests. The
 * engine fails them until the cross-device fixes land; the switch lets the integration decide when
 * CI requires them. While it is off, CI says so in its output: nothing is skipped silently.
 */
export const MULTI_DEVICE = true;

export type SimKind = "single" | "multi";

export class ScenarioFailure extends Error {
  constructor(readonly outcome: ScenarioOutcome) {
    super(`${outcome.violations.join("\n")}\n--- trace ---\n${outcome.trace.join("\n")}`);
    this.name = "ScenarioFailure";
  }
}

export interface Totals {
  scenarios: number;
  rounds: number;
  crashes: number;
  faultsFired: number;
  changesApplied: number;
  cleanChecks: number;
  /** Clean runs whose engine-reported deferral needed one more sync (R14 over one-run convergence). */
  followUps: number;
  /** Multi-device: edited fields whose agreed value was checked against the rules, and of those, R5 contests (both sides changed). */
  verified: number;
  contests: number;
}

export const emptyTotals = (): Totals => ({ scenarios: 0, rounds: 0, crashes: 0, faultsFired: 0, changesApplied: 0, cleanChecks: 0, followUps: 0, verified: 0, contests: 0 });

/** The property: a scenario runs with no violation. Counts land in totals. */
export function simulationProperty(totals: Totals, size: ScenarioSize = SMALL) {
  return fc.asyncProperty(scenarioArb(size), fc.integer({ min: 1, max: 2 ** 30 }), async (scenario: Scenario, seed: number) =>
    count(totals, await runScenario(scenario, seed)),
  );
}

/** The same for multi-device scenarios. */
export function multiDeviceProperty(totals: Totals) {
  return fc.asyncProperty(multiScenarioArb(), fc.integer({ min: 1, max: 2 ** 30 }), async (scenario: MultiScenario, seed: number) =>
    count(totals, await runMultiScenario(scenario, seed)),
  );
}

function count(totals: Totals, outcome: ScenarioOutcome): void {
  totals.scenarios++;
  totals.rounds += outcome.stats.rounds;
  totals.crashes += outcome.stats.crashes;
  totals.faultsFired += outcome.stats.faultsFired;
  totals.changesApplied += outcome.stats.changesApplied;
  totals.cleanChecks += outcome.stats.cleanChecks;
  totals.followUps += outcome.stats.followUps;
  totals.verified += outcome.stats.verified ?? 0;
  totals.contests += outcome.stats.contests ?? 0;
  if (outcome.violations.length) throw new ScenarioFailure(outcome);
}
