// Side by side with a peer (issue 11, item 6): the same N contacts synced by vdirsyncer (a local folder of
// vCards into a Radicale CardDAV server) and by `contact-sync` (the practice server into the mailbox
// emulator), in one run on one machine, each as the real command a person would run:
//   1. the initial sync of N contacts into an empty address book / folder,
//   2. the no-op sync (nothing changed on either side), run three times each, interleaved; the median.
// Prints each time, the ratio contact-sync / vdirsyncer and that ratio against its goal (initial ≤ 0.1×,
// no-op ≤ 0.3×), and the requests of contact-sync's no-op (≤ 3 in all, counted at the servers).
// Needs the Debian packages vdirsyncer and radicale (apt-get install vdirsyncer radicale; not in CI).
//   npm run bench -- peer          N = 1,000; BENCH_PEER_N=200 for a quick look
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { announceServers, forkServers } from "./server-process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";

const N = Number(process.env.BENCH_PEER_N ?? 1_000);
const NOOP_RUNS = 3;
const FIRM = "peer-firm";
const STAFF = "peer-admin";
const MAILBOX = "addressbook@peer.test";
const ROOT = path.join(__dirname, "..");

interface Person {
  given: string;
  surname: string;
  company: string;
  email: string;
  phone: string;
  street: string;
  city: string;
}

/** The same N people on both sides. */
function people(): Person[] {
  return Array.from({ length: N }, (_, i) => ({
    given: `Given${i}`,
    surname: `Surname${i}`,
    company: `Company ${i % 97} Ltd`,
    email: `given${i}@client${i % 97}.test`,
    phone: `+44 113 496 ${String(i % 10_000).padStart(4, "0")}`,
    street: `${i} High Street`,
    city: i % 2 ? "Leeds" : "York",
  }));
}

// ---- the practice server and the mailbox emulator (child process) ----------------------------


async function serve(): Promise<void> {
  const { startPracticeServer } = await import("../src/practice-api/server");
  const { startMailboxEmulator } = await import("../src/outlook/emulator");
  const practice = await startPracticeServer({ port: 0, db: ":memory:", seed: "none", devAuth: true, rateLimit: false });
  const emulator = await startMailboxEmulator({ port: 0, seed: "none" });
  practice.addFirm({
    id: FIRM,
    name: "Peer & Co",
    staff: [{ id: STAFF, name: "Peer Admin", email: "admin@peer.test", oid: null, role: "admin", initials: "PA" }],
  });
  practice.insertContacts(
    FIRM,
    people().map((p, i) => ({
      kind: "client" as const,
      attributes: { clientCode: `P${String(i).padStart(6, "0")}` },
      fields: {
        givenName: p.given,
        surname: p.surname,
        displayName: `${p.given} ${p.surname}`,
        companyName: p.company,
        emailAddresses: [{ name: `${p.given} ${p.surname}`, address: p.email }],
        businessPhones: [p.phone],
        businessAddress: { street: p.street, city: p.city, countryOrRegion: "UK" },
      },
    })),
  );
  // Every request that reaches the practice server, dev tokens included (the no-op's "in all").
  const practiceCounts = { api: 0, token: 0 };
  practice.app.server.on("request", (req: { url?: string }) => {
    if (req.url?.includes("/dev/token")) practiceCounts.token++;
    else practiceCounts.api++;
  });
  announceServers(practice, emulator, (msg) => {
    if (msg === "practice-counts") process.send!({ practiceCounts: { ...practiceCounts } });
  });
}

// ---- helpers -------------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const GNU_TIME = "/usr/bin/time";
const cpuFile = path.join(os.tmpdir(), `pcs-peer-cpu-${process.pid}`);

/**
 * Runs a command to completion: its wall time and, through GNU time when installed, its CPU time (user +
 * system, ms), which a machine shared with other work disturbs far less. Fails loudly with its output.
 */
function timed(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): { ms: number; cpuMs: number; stdout: string } {
  const withCpu = existsSync(GNU_TIME);
  const [file, argv] = withCpu ? [GNU_TIME, ["-f", "%U %S", "-o", cpuFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(file, argv, { encoding: "utf8", env: opts.env ?? process.env, input: opts.input, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const [user, sys] = withCpu ? readFileSync(cpuFile, "utf8").trim().split(/\s+/).map(Number) : [Number.NaN, Number.NaN];
  return { ms, cpuMs: (user + sys) * 1000, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode})`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not answer`);
}

// ---- vdirsyncer + Radicale -----------------------------------------------------------------------

function vcard(p: Person, i: number): string {
  // RFC 6350 vCard 3.0 with the fields the practice side carries.
  return [
    "BEGIN:VCARD",
    "VERSION:3.0",
    `UID:peer-${i}@peer.test`,
    `FN:${p.given} ${p.surname}`,
    `N:${p.surname};${p.given};;;`,
    `ORG:${p.company}`,
    `EMAIL;TYPE=WORK:${p.email}`,
    `TEL;TYPE=WORK:${p.phone}`,
    `ADR;TYPE=WORK:;;${p.street};${p.city};;;UK`,
    "END:VCARD",
    "",
  ].join("\r\n");
}

interface Peer {
  sync(): { ms: number; cpuMs: number };
  close(): Promise<void>;
}

async function startPeer(dir: string): Promise<Peer> {
  const port = await freePort();
  const cards = path.join(dir, "vcards");
  mkdirSync(cards, { recursive: true });
  people().forEach((p, i) => writeFileSync(path.join(cards, `peer-${i}.vcf`), vcard(p, i)));
  writeFileSync(path.join(dir, "users"), "peer:peer\n");
  const radicaleConfig = path.join(dir, "radicale.conf");
  writeFileSync(
    radicaleConfig,
    [
      "[server]",
      `hosts = 127.0.0.1:${port}`,
      "[auth]",
      "type = htpasswd",
      `htpasswd_filename = ${path.join(dir, "users")}`,
      "htpasswd_encryption = plain",
      "[rights]",
      "type = owner_only",
      "[storage]",
      `filesystem_folder = ${path.join(dir, "radicale")}`,
      "[logging]",
      "level = warning",
      "",
    ].join("\n"),
  );
  const radicale = spawn("radicale", ["--config", radicaleConfig], { stdio: ["ignore", "ignore", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/.web/`, radicale);
  const auth = `Basic ${Buffer.from("peer:peer").toString("base64")}`;
  // The empty address book (extended MKCOL, RFC 5689), as a person would create it in a client.
  const made = await fetch(`${base}/peer/contacts/`, {
    method: "MKCOL",
    headers: { authorization: auth, "content-type": "application/xml" },
    body:
      '<?xml version="1.0" encoding="utf-8"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">' +
      "<set><prop><resourcetype><collection/><CR:addressbook/></resourcetype></prop></set></mkcol>",
  });
  if (made.status !== 201) throw new Error(`Radicale MKCOL: ${made.status} ${await made.text()}`);

  const config = path.join(dir, "vdirsyncer.conf");
  writeFileSync(
    config,
    [
      "[general]",
      `status_path = "${path.join(dir, "vdirsyncer-status")}/"`,
      "[pair peer]",
      'a = "peer_local"',
      'b = "peer_dav"',
      "collections = null",
      'conflict_resolution = "a wins"',
      "[storage peer_local]",
      'type = "filesystem"',
      `path = "${cards}/"`,
      'fileext = ".vcf"',
      "[storage peer_dav]",
      'type = "carddav"',
      `url = "${base}/peer/contacts/"`,
      'username = "peer"',
      'password = "peer"',
      "",
    ].join("\n"),
  );
  const env = { ...process.env, VDIRSYNCER_CONFIG: config };
  timed("vdirsyncer", ["discover", "peer"], { env, input: "y\n" });
  return {
    sync: () => timed("vdirsyncer", ["sync", "peer"], { env }),
    close: async () => {
      radicale.kill("SIGTERM");
      await new Promise((r) => radicale.once("exit", r));
    },
  };
}

function davCount(dir: string): number {
  // Radicale keeps one file per vCard in the collection's folder (and caches under hidden folders).
  const collection = path.join(dir, "radicale", "collection-root", "peer", "contacts");
  const out = spawnSync("find", [collection, "-maxdepth", "1", "-type", "f", "-name", "*.vcf"], { encoding: "utf8" }).stdout;
  return out.split("\n").filter(Boolean).length;
}

// ---- contact-sync ----------------------------------------------------------------------------

interface Ours {
  sync(): { ms: number; cpuMs: number; report: { outcome: string; durationMs: number; planned: Record<string, number>; requests: { practice: number; graph: number } } };
  /** Requests that reached each server since the last call (API, and tokens/other). */
  counts(): Promise<{ practice: { api: number; token: number }; graph: { api: number; other: number } }>;
  close(): Promise<void>;
}

async function startOurs(dir: string): Promise<Ours> {
  const { child, servers } = await forkServers(__filename, ["--serve"], { ...process.env, BENCH_PEER_N: String(N) });
  const caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, servers.caPem);
  // The emulator serves HTTPS with its own CA.
  const agent = new Agent({ connect: { ca: servers.caPem } });
  const res = await undiciFetch(`${servers.emulatorUrl}/admin/mailboxes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ upn: MAILBOX, displayName: "Firm address book" }),
    dispatcher: agent,
  });
  if (!res.ok) throw new Error(`creating the mailbox: ${res.status}`);
  const bin = path.join(ROOT, "bin", "contact-sync.js");
  const connection = ["--graph-url", servers.graphUrl, "--mailbox", MAILBOX, "--ca", caFile, "--dev-auth"];
  // The empty folder, made once beforehand like the peer's address book (not timed).
  timed(process.execPath, [bin, "folders", ...connection, "--create", "Practice contacts"]);
  const args = [
    bin, "sync", "--practice-url", servers.practiceUrl, ...connection, "--staff", STAFF,
    "--folder", "Practice contacts", "--filter", "none", "--import-as", "clients",
    "--state", path.join(dir, "state"), "--yes", "--json", "--quiet",
  ];
  const ask = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      child.once("message", (m) => resolve(m as Record<string, unknown>));
      child.send(msg);
    });
  const emulatorStats = async () =>
    (await (await undiciFetch(`${servers.emulatorUrl}/admin/stats`, { dispatcher: agent })).json()) as { requests: number; graphRequests: number };
  type Counts = { practice: { api: number; token: number }; graph: { api: number; other: number } };
  let before: Counts | null = null;
  return {
    sync() {
      const { ms, cpuMs, stdout } = timed(process.execPath, args);
      return { ms, cpuMs, report: JSON.parse(stdout.trim()) };
    },
    async counts() {
      const practice = (await ask("practice-counts")).practiceCounts as { api: number; token: number };
      const stats = await emulatorStats();
      // The stats request itself reaches the emulator too: it is counted in `other`, then left out.
      const now: Counts = { practice, graph: { api: stats.graphRequests, other: stats.requests - stats.graphRequests } };
      const prev = before ?? now;
      before = now;
      return {
        practice: { api: now.practice.api - prev.practice.api, token: now.practice.token - prev.practice.token },
        graph: { api: now.graph.api - prev.graph.api, other: Math.max(0, now.graph.other - prev.graph.other - 1) },
      };
    },
    async close() {
      await agent.close();
      child.send("close");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

// ---- the run -------------------------------------------------------------------------------------

function ratioLine(what: string, ours: number, peer: number, goal: number): { line: string; ok: boolean } {
  const ratio = ours / peer;
  const ok = ratio <= goal;
  return {
    line: `| ${what} | ${(ours / 1000).toFixed(2)} s | ${(peer / 1000).toFixed(2)} s | ${ratio.toFixed(3)}× | ≤ ${goal}× | ${(ratio / goal).toFixed(2)} | ${ok ? "yes" : "NO"} |`,
    ok,
  };
}

async function bench(): Promise<void> {
  for (const cmd of ["vdirsyncer", "radicale"]) {
    if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0) {
      console.error(`peer bench: ${cmd} is not installed (Debian: apt-get install vdirsyncer radicale)`);
      process.exit(1);
    }
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "pcs-peer-"));
  const peer = await startPeer(path.join(dir, "peer"));
  const ours = await startOurs(dir);
  try {
    process.stderr.write(`peer bench: ${N} contacts, initial syncs...\n`);
    const peerInitial = peer.sync();
    const peerStored = davCount(path.join(dir, "peer"));
    await ours.counts(); // the baseline
    const oursInitial = ours.sync();
    const initialCounts = await ours.counts();
    if (peerStored !== N) throw new Error(`vdirsyncer stored ${peerStored} of ${N} vCards`);
    if (oursInitial.report.planned["add:toOutlook"] !== N) throw new Error(`contact-sync planned ${JSON.stringify(oursInitial.report.planned)}`);
    // Graph's delta hands contact-sync's own creates back once (R12 recognises them); shown, then the no-op.
    const oursSecond = ours.sync();
    await ours.counts();

    process.stderr.write(`peer bench: no-op syncs (${NOOP_RUNS} each, interleaved)...\n`);
    const peerNoop: number[] = [];
    const oursNoop: number[] = [];
    const peerNoopCpu: number[] = [];
    const oursNoopCpu: number[] = [];
    const oursNoopInside: number[] = [];
    let noopCounts = initialCounts; // replaced by the last no-op run's
    let noopReport = oursSecond.report;
    for (let i = 0; i < NOOP_RUNS; i++) {
      const p = peer.sync();
      peerNoop.push(p.ms);
      peerNoopCpu.push(p.cpuMs);
      const r = ours.sync();
      oursNoop.push(r.ms);
      oursNoopCpu.push(r.cpuMs);
      oursNoopInside.push(r.report.durationMs);
      noopReport = r.report;
      noopCounts = await ours.counts();
      if (r.report.outcome !== "no-changes") throw new Error(`contact-sync no-op run ${i + 1}: ${r.report.outcome}`);
    }
    const noopApi = noopCounts.practice.api + noopCounts.graph.api;
    const noopTokens = noopCounts.practice.token + noopCounts.graph.other;

    const rows = [
      ratioLine(`initial sync, ${N} contacts`, oursInitial.ms, peerInitial.ms, 0.1),
      ratioLine(`no-op sync, ${N} linked (median of ${NOOP_RUNS})`, median(oursNoop), median(peerNoop), 0.3),
    ];
    console.log(`peer: contact-sync vs vdirsyncer + Radicale, N = ${N}, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}, load ${os.loadavg()[0].toFixed(1)}`);
    console.log("| sync | contact-sync | vdirsyncer | ratio | goal | ratio / goal | met |");
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const r of rows) console.log(r.line);
    console.log(
      `contact-sync's second run (reads its own ${N} creates back once): ${(oursSecond.ms / 1000).toFixed(2)} s; ` +
        `no-op runs ${oursNoop.map((m) => (m / 1000).toFixed(2)).join(", ")} s (the sync itself, without the process start: ` +
        `${oursNoopInside.map((m) => (m / 1000).toFixed(2)).join(", ")} s); vdirsyncer ${peerNoop.map((m) => (m / 1000).toFixed(2)).join(", ")} s; vdirsyncer's initial ${(peerInitial.ms / 1000).toFixed(2)} s`,
    );
    const cpu = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `CPU time of the commands (user + system; the servers are separate processes in both cases): initial ${cpu(oursInitial.cpuMs)} / ` +
        `${cpu(peerInitial.cpuMs)} = ${(oursInitial.cpuMs / peerInitial.cpuMs).toFixed(3)}×; no-op (median) ${cpu(median(oursNoopCpu))} / ` +
        `${cpu(median(peerNoopCpu))} = ${(median(oursNoopCpu) / median(peerNoopCpu)).toFixed(3)}×`,
    );
    const requestsOk = noopApi <= 3;
    console.log(
      `no-op requests, counted at the servers: ${noopApi} API requests (practice ${noopCounts.practice.api}, Graph ${noopCounts.graph.api}) — ` +
        `bound 3, ratio ${(noopApi / 3).toFixed(2)}, ${requestsOk ? "met" : "NOT met"}; plus ${noopTokens} token request(s) ` +
        `(the servers' development routes here, Entra ID in production); the CLI's own report: ${noopReport.requests.practice} practice + ${noopReport.requests.graph} Graph`,
    );
    if (!rows.every((r) => r.ok) || !requestsOk) process.exitCode = 1;
  } finally {
    await ours.close();
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cpuFile, { force: true });
  }
}

if (process.argv.includes("--serve")) {
  void serve();
} else {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
