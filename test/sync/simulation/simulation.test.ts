// The randomized simulation (DESIGN §7): random stores, edits on both sides between syncs and during a
// sync, faults (429, 503, timeouts after writes, crashes between any two writes, lost cache, expired
// cursors) and random approvals, checked against the invariants after every round.
// Replay a failure with: npm run fuzz -- --seed <seed> --path <path> (both printed on failure).
import fc from "fast-check";
import { emptyTotals, simulationProperty } from "./sim-config";

const RUNS = Number(process.env.SIM_RUNS ?? 2000);
// A fixed seed keeps CI deterministic; `npm run fuzz` (or SIM_SEED) explores new scenarios.
const SEED = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : 20261125;

describe("randomized sync simulation", () => {
  it(`holds every invariant over ${RUNS} random scenarios`, async () => {
    const totals = emptyTotals();
    const result = await fc.check(simulationProperty(totals), { numRuns: RUNS, seed: SEED });
    // The seed is printed either way, so a run can be replayed.
    console.log(`simulation: seed ${SEED}, ${JSON.stringify(totals)}`);
    if (result.failed) {
      throw new Error(
        `Simulation failed (seed ${result.seed}, path ${result.counterexamplePath}).\n` +
          `Replay: npm run fuzz -- --runs 1 --seed ${result.seed} --path ${result.counterexamplePath}\n` +
          `Scenario: ${JSON.stringify(result.counterexample?.[0])}\n${String(result.errorInstance)}`,
      );
    }
    expect(totals.scenarios).toBe(RUNS);
    expect(totals.cleanChecks).toBeGreaterThan(RUNS); // every scenario ends with at least one clean check
  }, 180_000);
});
