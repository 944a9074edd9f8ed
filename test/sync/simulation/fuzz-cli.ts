// `npm run fuzz -- --runs N --seed S [--sim single|multi] [--path P] [--verbose] [--survey]`: the
// randomized simulation from the command line. Without --sim it runs the single-device simulation,
// then (with MULTI_DEVICE on) the multi-device one, on the same seed. Prints the seed, counts and, on failure, the shrunk counterexample with the
// replay command (same seed and path give the same scenario). --survey does not stop at the first
// failure: it runs every scenario and prints each kind of violation with a count and a replay path.
import fc from "fast-check";
import { parseArgs } from "node:util";
import { scenarioArb } from "./generators";
import { multiScenarioArb } from "./multi-generators";
import { runMultiScenario } from "./run-multi";
import { runScenario } from "./run-scenario";
import { emptyTotals, MULTI_DEVICE, multiDeviceProperty, ScenarioFailure, simulationProperty, type SimKind } from "./sim-config";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    seed: { type: "string" },
    path: { type: "string" },
    verbose: { type: "boolean", default: false },
    "no-shrink": { type: "boolean", default: false },
    survey: { type: "boolean", default: false },
    sim: { type: "string" },
  },
});

const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer, got "${values.runs}"`);
  process.exit(2);
}
if (!Number.isInteger(seed)) {
  console.error(`--seed must be an integer, got "${values.seed}"`);
  process.exit(2);
}
if (values.sim !== undefined && values.sim !== "single" && values.sim !== "multi") {
  console.error(`--sim must be "single" or "multi", got "${values.sim}"`);
  process.exit(2);
}
// A path replays one simulation's scenario: without --sim it is the single-device one (older replay
// commands have no --sim).
const sims: SimKind[] = values.sim ? [values.sim as SimKind] : values.path !== undefined || !MULTI_DEVICE ? ["single"] : ["single", "multi"];

/** Runs every scenario and groups the violations by kind (ids and values masked). */
async function survey(sim: SimKind): Promise<void> {
  const kinds = new Map<string, { count: number; firstRun: number; example: string }>();
  let run = -1;
  let failedScenarios = 0;
  let verified = 0;
  let contests = 0;
  const started = Date.now();
  await fc.check(
    fc.asyncProperty(sim === "multi" ? multiScenarioArb() : scenarioArb(), fc.integer({ min: 1, max: 2 ** 30 }), async (scenario, idSeed) => {
      run++;
      const out = "steps" in scenario ? await runMultiScenario(scenario, idSeed) : await runScenario(scenario, idSeed);
      verified += out.stats.verified ?? 0;
      contests += out.stats.contests ?? 0;
      if (out.violations.length) failedScenarios++;
      for (const v of out.violations) {
        const kind = v
          .replace(/^(round \d+|settle|step \d+|settle \d|settled|after settling)( \(during\))?: /, "")
          .replace(/"[^"]*"|\bp\d+\b|AAMk\w+=|\bm[PO]\d+\b|\d+/g, "#")
          .slice(0, 100);
        const k = kinds.get(kind) ?? { count: 0, firstRun: run, example: v };
        k.count++;
        kinds.set(kind, k);
      }
      return true;
    }),
    { numRuns: runs, seed },
  );
  console.log(
    `${sim}: ${runs} scenarios, ${failedScenarios} with violations, ` +
      `${sim === "multi" ? `edits checked ${verified} (R5 contests ${contests}), ` : ""}${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const [kind, k] of [...kinds].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`\n${k.count} x ${kind}\n  e.g. ${k.example}\n  replay: npm run fuzz -- --runs 1 --seed ${seed} --sim ${sim} --path ${k.firstRun}`);
  }
  if (kinds.size) process.exitCode = 1;
}

async function main(): Promise<void> {
  for (const sim of sims) {
    if (values.survey) await survey(sim);
    else await check(sim);
  }
}

async function check(sim: SimKind): Promise<void> {
  const totals = emptyTotals();
  const started = Date.now();
  console.log(`${sim}-device simulation: seed ${seed}, runs ${runs}${values.path ? `, path ${values.path}` : ""}`);
  const params = { numRuns: runs, seed, path: values.path, endOnFailure: values["no-shrink"] };
  const result = sim === "multi" ? await fc.check(multiDeviceProperty(totals), params) : await fc.check(simulationProperty(totals), params);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `scenarios ${totals.scenarios} (incl. shrinking), rounds ${totals.rounds}, crashes ${totals.crashes}, ` +
      `faults fired ${totals.faultsFired}, changes applied ${totals.changesApplied}, clean checks ${totals.cleanChecks}, follow-ups ${totals.followUps}, edits checked ${totals.verified} (R5 contests ${totals.contests}), ${seconds} s`,
  );
  if (!result.failed) {
    console.log(`OK: ${result.numRuns} scenarios, no invariant violated.`);
    return;
  }
  console.log(`\nFAILED after ${result.numRuns} scenario(s), ${result.numShrinks} shrink(s).`);
  console.log(`Replay: npm run fuzz -- --runs 1 --seed ${result.seed} --sim ${sim} --path ${result.counterexamplePath}`);
  console.log(`\nScenario:\n${JSON.stringify(result.counterexample?.[0], null, values.verbose ? 2 : undefined)}`);
  console.log(`Id seed: ${result.counterexample?.[1]}`);
  const err = result.errorInstance;
  if (err instanceof ScenarioFailure) {
    console.log(`\nViolations:\n${err.outcome.violations.join("\n")}`);
    console.log(`\nTrace:\n${err.outcome.trace.join("\n")}`);
  } else {
    console.log(String(err));
  }
  process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
