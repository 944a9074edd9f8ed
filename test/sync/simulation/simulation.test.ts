// The randomized simulation (DESIGN §7): random stores, edits on both sides between syncs and during a
// sync, faults (429, 503, timeouts after writes, crashes between any two writes, lost cache, expired
// cursors) and random approvals, checked against the invariants after every round; and, with
// MULTI_DEVICE on, multi-device scenarios (two panes and a headless device interleaving plans and
// applies, restores, copies, include-again, lost caches on any device).
// Each simulation runs on a fixed seed (CI stays comparable from run to run) and on one fresh seed
// per run (CI keeps exploring). Every seed is printed with the command that replays it.
import fc from "fast-check";
import { emptyTotals, MULTI_DEVICE, multiDeviceProperty, simulationProperty, type SimKind, type Totals } from "./sim-config";

// 2,000 cases in all (DESIGN §7), sized to stay near a minute on a shared two-core machine.
const SINGLE_RUNS = Number(process.env.SIM_RUNS ?? 900);
const MULTI_RUNS = Number(process.env.SIM_MULTI_RUNS ?? 700);
const FRESH_RUNS = Number(process.env.SIM_FRESH_RUNS ?? 200);
const SINGLE_SEED = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : 20261125;
const MULTI_SEED = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : 20261203;
/** One new seed per CI run; the same for both simulations so one number replays either. */
const FRESH_SEED = Date.now() % 2 ** 31;

async function run(sim: SimKind, seed: number, runs: number, why: string): Promise<Totals> {
  const totals = emptyTotals();
  // Printed before running, so a run that times out can still be replayed.
  console.log(`${sim}-device simulation, ${why} seed ${seed}: replay with npm run fuzz -- --runs ${runs} --seed ${seed} --sim ${sim}`);
  const params = { numRuns: runs, seed };
  const result = sim === "multi" ? await fc.check(multiDeviceProperty(totals), params) : await fc.check(simulationProperty(totals), params);
  console.log(`${sim}-device simulation, seed ${seed}: ${JSON.stringify(totals)}`);
  if (result.failed) {
    throw new Error(
      `The ${sim}-device simulation failed (seed ${result.seed}, path ${result.counterexamplePath}).\n` +
        `Replay: npm run fuzz -- --runs 1 --seed ${result.seed} --sim ${sim} --path ${result.counterexamplePath}\n` +
        `Scenario: ${JSON.stringify(result.counterexample?.[0])}\n${String(result.errorInstance)}`,
    );
  }
  expect(totals.scenarios).toBe(runs);
  return totals;
}

describe("randomized sync simulation", () => {
  it(`single device: holds every invariant over ${SINGLE_RUNS} scenarios of the fixed seed`, async () => {
    const totals = await run("single", SINGLE_SEED, SINGLE_RUNS, "fixed");
    expect(totals.cleanChecks).toBeGreaterThan(SINGLE_RUNS); // every scenario ends with at least one clean check
  }, 180_000);

  it(`single device: holds every invariant over ${FRESH_RUNS} scenarios of a fresh seed`, async () => {
    await run("single", FRESH_SEED, FRESH_RUNS, "fresh");
  }, 180_000);

  if (!MULTI_DEVICE) {
    it("multi-device simulation: switched off (MULTI_DEVICE in sim-config.ts)", () => {
      console.warn("The multi-device simulation is OFF (MULTI_DEVICE = false in test/sync/simulation/sim-config.ts).");
    });
    return;
  }

  it(`multi-device: holds every invariant over ${MULTI_RUNS} scenarios of the fixed seed`, async () => {
    const totals = await run("multi", MULTI_SEED, MULTI_RUNS, "fixed");
    expect(totals.cleanChecks).toBe(MULTI_RUNS); // every scenario settles and is checked
    expect(totals.verified).toBeGreaterThan(MULTI_RUNS); // edited fields are checked against R5/R8
    expect(totals.contests).toBeGreaterThan(MULTI_RUNS / 50); // and some of them are real R5 contests
  }, 180_000);

  it(`multi-device: holds every invariant over ${FRESH_RUNS} scenarios of a fresh seed`, async () => {
    await run("multi", FRESH_SEED, FRESH_RUNS, "fresh");
  }, 180_000);
});
