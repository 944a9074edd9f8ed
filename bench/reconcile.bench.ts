// Reconcile 100,000 practice contacts against 100,000 Outlook contacts, all linked, with 1 % changed
// on each side (a tenth of those on both sides, so R5 merges run too). Measures the pure decision
// step only (src/sync/reconcile.ts): wall time and memory. Targets (DESIGN §7): < 1 s, < 300 MB heap.
// Run: npm run bench -- reconcile   (bench/run.ts passes --expose-gc)
import { reconcile, type ReconcileInput } from "../src/sync/reconcile";
import { makeStamp, type ContactFields, type Link, type OutlookContact, type PracticeContact } from "../src/sync/model";
import { capFields } from "../src/sync/merge";
import { normalizeFields } from "../src/sync/normalize";
import { loadavg } from "node:os";

const N = Number(process.env.RECONCILE_N ?? 100_000);
const CHANGED = 0.01;
const RUNS = 5;
const FIRM = "firm-1";
const T0 = Date.parse("2026-03-01T09:00:00.000Z");
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function fieldsFor(i: number): ContactFields {
  return {
    givenName: `Given${i}`,
    surname: `Surname${i % 977}`,
    displayName: `Given${i} Surname${i % 977}`,
    companyName: `Company ${i % 5003} Ltd`,
    jobTitle: ["Director", "Owner", "CFO", "Partner"][i % 4],
    emailAddresses: [{ name: "Work", address: `c${i}@example.test` }],
    businessPhones: [`0113 ${String(i).padStart(7, "0")}`],
    mobilePhone: `07700 ${String(i % 1_000_000).padStart(6, "0")}`,
    businessAddress: { street: `${i % 300} High Street`, city: ["Leeds", "York", "Hull"][i % 3], postalCode: `LS${i % 30} 1AA` },
    categories: ["Clients"],
  };
}

interface World {
  input: ReconcileInput;
  practiceChanged: number;
  outlookChanged: number;
  both: number;
}

/** Builds the stores' state after a sync plus the users' changes since, as reconcile receives it. */
function buildWorld(full: boolean): World {
  const practice: PracticeContact[] = [];
  const outlook: OutlookContact[] = [];
  const links: Link[] = [];
  const step = Math.round(1 / CHANGED);
  let practiceChanged = 0;
  let outlookChanged = 0;
  let both = 0;
  for (let i = 0; i < N; i++) {
    const pid = `p${i}`;
    const oid = `AAMkADk${i.toString(36).padStart(8, "0")}AAA=`;
    const f = fieldsFor(i);
    const base = normalizeFields(f);
    const pChanged = i % step === 0;
    const oChanged = i % step === 7 || (pChanged && i % (step * 10) === 0); // 10 % of the changes on both sides
    if (pChanged && oChanged) both++;
    const p: PracticeContact = {
      id: pid,
      kind: i % 3 === 0 ? "standalone" : "client",
      attributes: { office: ["Leeds", "York", "Hull"][i % 3], clientCode: `C${i}` },
      fields: pChanged ? { ...f, jobTitle: "Managing Director", mobilePhone: "07700 900000" } : f,
      updatedAt: iso(pChanged ? 60_000 + i : i),
      version: pChanged ? `W/"${i}-2"` : `W/"${i}-1"`,
    };
    const o: OutlookContact = {
      id: oid,
      changeKey: oChanged ? `CK${i}-2` : `CK${i}-1`,
      lastModified: iso(oChanged ? 120_000 + i : i),
      stamp: makeStamp(FIRM, pid),
      fields: oChanged ? { ...capFields(f), jobTitle: "Chair", personalNotes: "Met at the year-end review." } : capFields(f),
    };
    links.push({
      practiceId: pid,
      outlookId: oid,
      base,
      practiceVersion: `W/"${i}-1"`,
      outlookChangeKey: `CK${i}-1`,
      origin: "practice",
      state: "linked",
      updatedAt: iso(i),
    });
    if (full || pChanged) practice.push(p);
    if (full || oChanged) outlook.push(o);
    if (pChanged) practiceChanged++;
    if (oChanged) outlookChanged++;
  }
  return {
    input: {
      runId: "bench-run",
      firmId: FIRM,
      practice: { full, contacts: practice, deleted: [] },
      outlook: { full, contacts: outlook, removed: [] },
      links,
      deferred: [],
      filter: null,
      settings: { importKind: "client", wholeRecord: false, deleteStandaloneOnOutlookDelete: false },
      now: iso(300_000),
    },
    practiceChanged,
    outlookChanged,
    both,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
const MB = (b: number) => (b / 1024 / 1024).toFixed(0);

interface Row {
  mode: string;
  ms: number;
  /** CPU time of the same run (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  changes: number;
  heapInputs: number;
  heapPeak: number;
  heapRetained: number;
}

function measure(full: boolean): Row {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const world = buildWorld(full);
  gc?.();
  const withInputs = process.memoryUsage().heapUsed;
  // Warm-up on a copy of the input arrays would double the memory; instead run once and keep the
  // best of a few timed runs (the decision step has no state between runs).
  let best = Infinity;
  let bestCpu = Infinity;
  let peak = 0;
  let out = reconcile(world.input);
  for (let run = 0; run < RUNS; run++) {
    gc?.();
    const cpu = process.cpuUsage();
    const t = process.hrtime.bigint();
    out = reconcile(world.input);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
    // Measured before any collection: everything allocated during the call is still counted.
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    best = Math.min(best, ms);
  }
  const expected = world.practiceChanged + world.outlookChanged - world.both;
  if (out.changes.length !== expected)
    throw new Error(`reconcile planned ${out.changes.length} changes, expected ${expected}: the benchmark input is wrong`);
  gc?.();
  const retained = process.memoryUsage().heapUsed;
  return {
    mode: full ? "full reads (100k listed each side)" : "incremental (change feed + delta)",
    ms: best,
    cpuMs: bestCpu,
    changes: out.changes.length,
    heapInputs: withInputs - before,
    heapPeak: peak,
    heapRetained: retained - withInputs,
  };
}

if (!gc) console.warn("Run with --expose-gc for meaningful heap figures (npm run bench does).");
console.log(`reconcile: ${N.toLocaleString("en")} x ${N.toLocaleString("en")} linked contacts, 1 % changed per side, Node ${process.version}`);
const rows = [measure(false), measure(true)];
console.log("");
console.log(
  `| mode | wall time (best of ${RUNS}) | CPU time (best of ${RUNS}) | planned changes | heap: inputs | heap: peak (process) | heap: output kept | target |`,
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
let ok = true;
for (const r of rows) {
  const pass = r.ms < 1000 && r.heapPeak < 300 * 1024 * 1024;
  ok &&= pass;
  console.log(
    `| ${r.mode} | ${r.ms.toFixed(0)} ms | ${r.cpuMs.toFixed(0)} ms | ${r.changes} | ${MB(r.heapInputs)} MB | ${MB(r.heapPeak)} MB | ${MB(r.heapRetained)} MB | ${pass ? "met" : "MISSED"} (< 1 s, < 300 MB) |`,
  );
}
const ru = process.resourceUsage();
console.log(`\npeak RSS of the process: ${(ru.maxRSS / 1024).toFixed(0)} MB; load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(", ")}`);
if (!ok) process.exitCode = 1;
