// End-to-end sync benchmark (DESIGN §7): the `contact-sync` CLI against the reference practice server
// and the mailbox emulator, at 0 and 100 ms emulated Graph latency:
//   1. initial sync of N practice contacts into an empty folder,
//   2. a no-op sync with N linked contacts,
//   3. a sync after 1 % of the contacts changed on each side.
// The emulator runs strict (its defaults): delta refuses `$expand`, pages hold at most 200 contacts, three
// sync-state generations are kept, so the request counts are what real Graph would be asked for.
// The servers run in a child process (this file with --serve) so their work does not share the CLI's
// thread, as in production. Prints a table and exits non-zero when a bar is missed.
//   npm run bench sync            N=10000 by default; BENCH_SYNC_N=2000 for a quick look
import type { ChildProcess } from "node:child_process";
import { announceServers, forkServers, type Servers } from "./server-process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Agent, fetch as undiciFetch } from "undici";

const N = Number(process.env.BENCH_SYNC_N ?? 10_000);
const LATENCIES = (process.env.BENCH_SYNC_LATENCIES ?? "0,100").split(",").map(Number);
const FIRM = "bench-firm";
const STAFF = "bench-admin";
const MAILBOX = "addressbook@bench.test";


// ---- the server side (child process) --------------------------------------------------------

async function serve(latencyMs: number): Promise<void> {
  const { startPracticeServer } = await import("../src/practice-api/server");
  const { startMailboxEmulator } = await import("../src/outlook/emulator");
  const practice = await startPracticeServer({ port: 0, db: ":memory:", seed: "none", devAuth: true, rateLimit: false });
  // Graph allows 10,000 requests per 10 minutes per app and mailbox, counting each $batch item
  // (research/graph-contacts.md §6), and the emulator enforces it: a real first sync of 10,000 contacts
  // waits out that window once. The bars measure our path, so the window is lifted here.
  const emulator = await startMailboxEmulator({ port: 0, seed: "none", latencyMs, rateLimit: { requests: 1_000_000 } });
  practice.addFirm({
    id: FIRM,
    name: "Bench & Co",
    staff: [{ id: STAFF, name: "Bench Admin", email: "admin@bench.test", oid: null, role: "admin", initials: "BA" }],
  });
  practice.insertContacts(
    FIRM,
    Array.from({ length: N }, (_, i) => ({
      kind: "client" as const,
      attributes: { clientCode: `C${String(i).padStart(6, "0")}`, office: i % 2 ? "Leeds" : "York" },
      fields: {
        givenName: `Given${i}`,
        surname: `Surname${i}`,
        displayName: `Given${i} Surname${i}`,
        companyName: `Company ${i % 997} Ltd`,
        jobTitle: "Director",
        emailAddresses: [{ name: `Given${i} Surname${i}`, address: `given${i}@client${i % 997}.test` }],
        businessPhones: [`+44 113 496 ${String(i % 10_000).padStart(4, "0")}`],
        businessAddress: { street: `${i} High Street`, city: i % 2 ? "Leeds" : "York", postalCode: "LS1 1AA", countryOrRegion: "UK" },
      },
    })),
  );
  announceServers(practice, emulator);
}

// ---- the client side (this process) ---------------------------------------------------------

interface Report {
  outcome: string;
  exitCode: number;
  requests: { practice: number; graph: number };
  folder: { id: string };
  planned: Record<string, number>;
  errors: unknown[];
}

async function runCli(args: string[]): Promise<{ report: Report; wallMs: number }> {
  const { main } = await import("../src/cli/sync/main");
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  const input = Object.assign(new PassThrough(), { isTTY: false });
  const t0 = performance.now();
  const code = await main(args, { stdout, stderr, input, output: stderr }, { env: {} });
  const wallMs = performance.now() - t0;
  const report = JSON.parse(out.trim()) as Report;
  if (code !== 0) throw new Error(`contact-sync exited ${code}: ${JSON.stringify(report).slice(0, 500)} ${err}`);
  return { report, wallMs };
}

function startServers(latencyMs: number): Promise<{ child: ChildProcess; servers: Servers }> {
  return forkServers(__filename, ["--serve", String(latencyMs)], { ...process.env, BENCH_SYNC_N: String(N) });
}

/** 1 % of the contacts edited in each store, as people would (practice API batch, Graph $batch). */
async function changeOnePercent(servers: Servers, agent: Agent, folderId: string): Promise<void> {
  const http = async (method: string, url: string, body: unknown, token?: string) => {
    const res = await undiciFetch(url, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const { createPracticeClient } = await import("../src/practice-api/client");
  const practiceToken = (await http("POST", `${servers.practiceUrl}/api/v1/dev/token`, { staffId: STAFF })).access_token as string;
  const client = createPracticeClient({ baseUrl: servers.practiceUrl, getToken: async () => practiceToken });
  const all = (await client.listContacts(null)).contacts;
  const step = 100;
  // Different contacts on each side (Given0, Given100, ... vs Given50, Given150, ...): no both-sided edits.
  const numberOf = (name: string | undefined) => Number(/^Given(\d+)$/.exec(name ?? "")?.[1] ?? -1);
  const practiceEdits = all.filter((c) => numberOf(c.fields.givenName) % step === 0);
  const results = await client.updateContacts(practiceEdits.map((c) => ({ id: c.id, version: c.version, patch: { jobTitle: "Partner" } })));
  if (results.some((r) => !r.ok)) throw new Error("practice edits failed");

  // Outlook edits on other contacts (i % step === 50), 20 per $batch.
  const graphToken = (await http("POST", `${servers.emulatorUrl}/dev/token`, { app: true })).access_token as string;
  const listed = await fetchAllContacts(servers, agent, graphToken, folderId);
  const targets = listed.filter((c) => numberOf(c.givenName) % step === 50);
  for (let i = 0; i < targets.length; i += 20) {
    const requests = targets.slice(i, i + 20).map((c, k) => ({
      id: String(k + 1),
      method: "PATCH",
      url: `/users/${MAILBOX}/contacts/${encodeURIComponent(c.id)}`,
      headers: { "Content-Type": "application/json" },
      body: { department: "Outlook edit" },
    }));
    await http("POST", `${servers.graphUrl}/$batch`, { requests }, graphToken);
  }
  if (practiceEdits.length !== N / step || targets.length !== N / step) {
    throw new Error(`expected ${N / step} edits per side, made ${practiceEdits.length} and ${targets.length}`);
  }
}

async function fetchAllContacts(servers: Servers, agent: Agent, token: string, folderId: string): Promise<{ id: string; givenName: string }[]> {
  const out: { id: string; givenName: string }[] = [];
  let url: string | null = `${servers.graphUrl}/users/${MAILBOX}/contactFolders/${encodeURIComponent(folderId)}/contacts?$select=id,givenName&$top=1000`;
  while (url) {
    const res = await undiciFetch(url, { headers: { authorization: `Bearer ${token}` }, dispatcher: agent });
    const page = (await res.json()) as { value: { id: string; givenName: string }[]; "@odata.nextLink"?: string };
    out.push(...page.value);
    url = page["@odata.nextLink"] ?? null;
  }
  return out;
}

interface Row {
  scenario: string;
  latency: number;
  wallMs: number;
  practice: number;
  graph: number;
  bar: string;
  ok: boolean;
}

async function benchLatency(latencyMs: number): Promise<Row[]> {
  const { child, servers } = await startServers(latencyMs);
  const dir = mkdtempSync(path.join(os.tmpdir(), "pcs-bench-"));
  const caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, servers.caPem);
  const agent = new Agent({ connect: { ca: servers.caPem } });
  const rows: Row[] = [];
  const push = rows.push.bind(rows);
  rows.push = (...r: Row[]) => {
    for (const x of r) process.stderr.write(`  ${x.scenario} @ ${x.latency} ms: ${(x.wallMs / 1000).toFixed(2)} s, ${x.practice} + ${x.graph} requests\n`);
    return push(...r);
  };
  try {
    const res = await undiciFetch(`${servers.emulatorUrl}/admin/mailboxes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ upn: MAILBOX, displayName: "Firm address book" }),
      dispatcher: agent,
    });
    if (!res.ok) throw new Error(`creating the mailbox: ${res.status}`);
    await runCliOk(servers, caFile, dir, ["--dry-run"], "folder"); // creates the empty folder; not measured
    const initial = await runCli(args(servers, caFile, dir, ["--yes"]));
    // Issue bar (strict emulator): ⌈N/20⌉ $batch writes + ⌈N/200⌉ delta pages + 5.
    const graphBar = Math.ceil(N / 20) + Math.ceil(N / 200) + 5;
    const wallBar = 1.25 * Math.ceil(N / 80) * 100;
    rows.push({
      scenario: `initial sync, ${N} contacts`,
      latency: latencyMs,
      wallMs: initial.wallMs,
      practice: initial.report.requests.practice,
      graph: initial.report.requests.graph,
      bar: `Graph <= ${graphBar.toFixed(0)}${latencyMs === 100 ? `, wall <= ${(wallBar / 1000).toFixed(1)} s` : ""}`,
      ok: initial.report.requests.graph <= graphBar && (latencyMs !== 100 || initial.wallMs <= wallBar) && initial.report.planned["add:toOutlook"] === N,
    });

    // Graph's delta hands the sync's own creates back once (R12 recognises them): one incremental run
    // absorbs them. Reported, not held to the no-op bar.
    const settle = await runCli(args(servers, caFile, dir, ["--yes"]));
    rows.push({
      scenario: "next sync (own writes read back)",
      latency: latencyMs,
      wallMs: settle.wallMs,
      practice: settle.report.requests.practice,
      graph: settle.report.requests.graph,
      bar: "nothing planned",
      ok: settle.report.outcome === "no-changes",
    });

    const noop = await runCli(args(servers, caFile, dir, ["--yes"]));
    const total = noop.report.requests.practice + noop.report.requests.graph;
    rows.push({
      scenario: `no-op sync, ${N} linked`,
      latency: latencyMs,
      wallMs: noop.wallMs,
      practice: noop.report.requests.practice,
      graph: noop.report.requests.graph,
      bar: `<= 3 requests${latencyMs === 0 ? ", < 300 ms" : ""}`,
      ok: total <= 3 && (latencyMs !== 0 || noop.wallMs < 300) && noop.report.outcome === "no-changes",
    });

    await changeOnePercent(servers, agent, initial.report.folder.id);
    const changed = await runCli(args(servers, caFile, dir, ["--yes"]));
    const edits = N / 100;
    // Issue bar: Graph requests ≤ 2 × ⌈changes/20⌉ + 3, changes = the changed contacts of both sides
    // (changed Outlook contacts are read whole, practice changes are written).
    const changedBar = 2 * Math.ceil((2 * edits) / 20) + 3;
    rows.push({
      scenario: `1 % changed each side (${edits} + ${edits})`,
      latency: latencyMs,
      wallMs: changed.wallMs,
      practice: changed.report.requests.practice,
      graph: changed.report.requests.graph,
      bar: `${edits} + ${edits} applied, Graph <= ${changedBar}`,
      ok:
        changed.report.requests.graph <= changedBar &&
        changed.report.planned["update:toOutlook"] === edits &&
        changed.report.planned["update:toPractice"] === edits &&
        changed.report.errors.length === 0,
    });
  } finally {
    await agent.close();
    child.send("close");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function args(servers: Servers, caFile: string, dir: string, extra: string[]): string[] {
  return [
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
    "--json", "--quiet",
    ...extra,
  ];
}

async function runCliOk(servers: Servers, caFile: string, dir: string, extra: string[], what: string): Promise<void> {
  const { report } = await runCli(args(servers, caFile, dir, extra));
  if (report.exitCode !== 0) throw new Error(`setup (${what}) failed`);
}

async function bench(): Promise<void> {
  const rows: Row[] = [];
  for (const latency of LATENCIES) {
    process.stderr.write(`sync bench: ${N} contacts at ${latency} ms Graph latency...\n`);
    rows.push(...(await benchLatency(latency)));
  }
  const header = ["scenario", "latency", "wall", "practice req", "Graph req", "bar", "ok"];
  const table = rows.map((r) => [r.scenario, `${r.latency} ms`, `${(r.wallMs / 1000).toFixed(2)} s`, String(r.practice), String(r.graph), r.bar, r.ok ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(`contact-sync end to end, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const t of table) console.log(line(t));
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

if (process.argv.includes("--serve")) {
  void serve(Number(process.argv[process.argv.indexOf("--serve") + 1]));
} else {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
