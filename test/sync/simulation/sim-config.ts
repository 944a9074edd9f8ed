// Shared settings of the jest run and the fuzz CLI.
import fc from "fast-check";
import { scenarioArb, SMALL, type ScenarioSize } from "./generators";
import { runScenario, type ScenarioOutcome } from "./run-scenario";
import type { Scenario } from "./scenario";

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
}

export const emptyTotals = (): Totals => ({ scenarios: 0, rounds: 0, crashes: 0, faultsFired: 0, changesApplied: 0, cleanChecks: 0, followUps: 0 });

/** The property: a scenario runs with no violation. Counts land in totals. */
export function simulationProperty(totals: Totals, size: ScenarioSize = SMALL) {
  return fc.asyncProperty(scenarioArb(size), fc.integer({ min: 1, max: 2 ** 30 }), async (scenario: Scenario, seed: number) => {
    const outcome = await runScenario(scenario, seed);
    totals.scenarios++;
    totals.rounds += outcome.stats.rounds;
    totals.crashes += outcome.stats.crashes;
    totals.faultsFired += outcome.stats.faultsFired;
    totals.changesApplied += outcome.stats.changesApplied;
    totals.cleanChecks += outcome.stats.cleanChecks;
    totals.followUps += outcome.stats.followUps;
    if (outcome.violations.length) throw new ScenarioFailure(outcome);
  });
}
