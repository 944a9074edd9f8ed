// `npm run fuzz -- --runs N --seed S [--path P] [--verbose]`: the randomized simulation from the
// command line. Prints the seed, counts and, on failure, the shrunk counterexample with the
// replay command (same seed and path give the same scenario).
import fc from "fast-check";
import { parseArgs } from "node:util";
import { emptyTotals, ScenarioFailure, simulationProperty } from "./sim-config";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    seed: { type: "string" },
    path: { type: "string" },
    verbose: { type: "boolean", default: false },
    "no-shrink": { type: "boolean", default: false },
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

async function main(): Promise<void> {
  const totals = emptyTotals();
  const started = Date.now();
  console.log(`simulation: seed ${seed}, runs ${runs}${values.path ? `, path ${values.path}` : ""}`);
  const result = await fc.check(simulationProperty(totals), {
    numRuns: runs,
    seed,
    path: values.path,
    endOnFailure: values["no-shrink"],
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `scenarios ${totals.scenarios} (incl. shrinking), rounds ${totals.rounds}, crashes ${totals.crashes}, ` +
      `faults fired ${totals.faultsFired}, changes applied ${totals.changesApplied}, clean checks ${totals.cleanChecks}, ${seconds} s`,
  );
  if (!result.failed) {
    console.log(`OK: ${result.numRuns} scenarios, no invariant violated.`);
    return;
  }
  console.log(`\nFAILED after ${result.numRuns} scenario(s), ${result.numShrinks} shrink(s).`);
  console.log(`Replay: npm run fuzz -- --runs 1 --seed ${result.seed} --path ${result.counterexamplePath}`);
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
