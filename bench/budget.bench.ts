// Budget-bound sync (DESIGN §7, issue 11 item 2): Graph allows 10,000 requests per 10 minutes per app
// and mailbox, batch items counted (research/graph-contacts.md §6), so a first sync of more contacts
// than that must wait out whole windows, and should take no longer than those windows (bar: 1.1 ×).
// The emulator's window is compressed (1,000 requests per 10 s by default) so the run takes about a
// minute; `contact-sync` runs as a person would run it, the servers in a child process.
//   npm run bench budget                 N=5000 contacts, 1000 requests per 10 s
//   BENCH_BUDGET_N=2500 BENCH_BUDGET_REQUESTS=500 BENCH_BUDGET_WINDOW_MS=5000 npm run bench budget
import { announceServers, forkServers } from "./server-process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Agent, fetch as undiciFetch } from "undici";

const N = Number(process.env.BENCH_BUDGET_N ?? 5_000);
const BUDGET = Number(process.env.BENCH_BUDGET_REQUESTS ?? 1_000);
const WINDOW_MS = Number(process.env.BENCH_BUDGET_WINDOW_MS ?? 10_000);
const LATENCY_MS = Number(process.env.BENCH_BUDGET_LATENCY_MS ?? 0);
const BAR = 1.1;
const FIRM = "budget-firm";
const STAFF = "budget-admin";
const MAILBOX = "addressbook@budget.test";


async function serve(): Promise<void> {
  const { startPracticeServer } = await import("../src/practice-api/server");
  const { startMailboxEmulator } = await import("../src/outlook/emulator");
  const practice = await startPracticeServer({ port: 0, db: ":memory:", seed: "none", devAuth: true, rateLimit: false });
  const emulator = await startMailboxEmulator({ port: 0, seed: "none", latencyMs: LATENCY_MS, rateLimit: { requests: BUDGET, windowMs: WINDOW_MS } });
  practice.addFirm({
    id: FIRM,
    name: "Budget & Co",
    staff: [{ id: STAFF, name: "Budget Admin", email: "admin@budget.test", oid: null, role: "admin", initials: "BA" }],
  });
  practice.insertContacts(
    FIRM,
    Array.from({ length: N }, (_, i) => ({
      kind: "client" as const,
      attributes: { clientCode: `B${String(i).padStart(6, "0")}` },
      fields: {
        givenName: `Given${i}`,
        surname: `Surname${i}`,
        displayName: `Given${i} Surname${i}`,
        companyName: `Company ${i % 997} Ltd`,
        emailAddresses: [{ name: `Given${i} Surname${i}`, address: `given${i}@client${i % 997}.test` }],
      },
    })),
  );
  announceServers(practice, emulator);
}

interface Report {
  exitCode: number;
  outcome: string;
  requests: { practice: number; graph: number };
  planned: Record<string, number>;
  errors: unknown[];
}

async function bench(): Promise<void> {
  const { child, servers } = await forkServers(__filename, ["--serve"]);
  const dir = mkdtempSync(path.join(os.tmpdir(), "pcs-budget-"));
  const caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, servers.caPem);
  const agent = new Agent({ connect: { ca: servers.caPem } });
  try {
    const admin = async (method: string, route: string, body?: unknown) => {
      const res = await undiciFetch(`${servers.emulatorUrl}${route}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: agent,
      });
      if (!res.ok) throw new Error(`${method} ${route}: ${res.status}`);
      return res.json() as Promise<{ budget: { counted: number; refused: number } }>;
    };
    await admin("POST", "/admin/mailboxes", { upn: MAILBOX, displayName: "Firm address book" });

    const { main } = await import("../src/cli/sync/main");
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    const waits: string[] = [];
    stdout.on("data", (d: Buffer) => (out += d.toString()));
    stderr.on("data", (d: Buffer) => {
      for (const line of d.toString().split("\n")) if (line.startsWith("Outlook's request limit")) waits.push(line);
    });
    const input = Object.assign(new PassThrough(), { isTTY: false });
    process.stderr.write(`budget bench: ${N} contacts, ${BUDGET} requests per ${WINDOW_MS / 1000} s, ${LATENCY_MS} ms latency...\n`);
    const t0 = performance.now();
    const code = await main(
      [
        "sync",
        "--practice-url", servers.practiceUrl,
        "--graph-url", servers.graphUrl,
        "--mailbox", MAILBOX,
        "--folder", "Practice contacts",
        "--create-folder",
        "--filter", "none",
        "--import-as", "clients",
        "--state", path.join(dir, "state"),
        "--dev-auth", "--staff", STAFF,
        "--ca", caFile,
        "--json", "--yes",
      ],
      { stdout, stderr, input, output: stderr },
      { env: {} },
    );
    const elapsedMs = performance.now() - t0;
    const report = JSON.parse(out.trim()) as Report;
    const stats = await admin("GET", "/admin/stats");
    // What the window counted (every single request and $batch item, refused ones too) and what it let through.
    const counted = stats.budget.counted;
    const needed = counted - stats.budget.refused;
    const windows = Math.ceil(needed / BUDGET) - 1;
    const theoreticalMs = windows * WINDOW_MS;
    const ratio = elapsedMs / theoreticalMs;
    const ok = code === 0 && report.errors.length === 0 && report.planned["add:toOutlook"] === N && windows > 0 && ratio <= BAR;
    console.log(`contact-sync against Outlook's budget, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`);
    console.log(`| figure | value |`);
    console.log(`|---|---|`);
    console.log(`| contacts created | ${report.planned["add:toOutlook"] ?? 0} of ${N} (exit ${code}, ${report.errors.length} errors) |`);
    console.log(`| budget | ${BUDGET} requests per ${WINDOW_MS / 1000} s (Graph: 10,000 per 600 s) |`);
    console.log(`| requests the window counted | ${counted} (${needed} let through, ${stats.budget.refused} refused with 429) |`);
    console.log(`| windows waited out (theory) | ${windows} = ${(theoreticalMs / 1000).toFixed(1)} s |`);
    console.log(`| elapsed | ${(elapsedMs / 1000).toFixed(1)} s |`);
    console.log(`| ratio elapsed / theory | ${ratio.toFixed(3)} (bar ${BAR}) ${ok ? "yes" : "NO"} |`);
    console.log(`| "waiting" progress lines | ${waits.length}${waits[0] ? `, e.g. "${waits[0]}"` : ""} |`);
    if (!ok) process.exitCode = 1;
  } finally {
    await agent.close();
    child.send("close");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--serve")) void serve();
else
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
