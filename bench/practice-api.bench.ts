// Practice API benchmark: the client against the reference server on 127.0.0.1 (file database, WAL).
// The server runs as deployed, in its own process (the compiled `practice-server` command); the client
// runs in this one. Seeding goes straight into the database file first.
//   1. list 50,000 contacts (all, then through a filter) — requests, time, and the client's CPU time
//   2. write 1,000 updates through contacts/batch — requests and time
//   3. read those 1,000 changes after the 50,000 — requests and time; then an empty read (the no-op sync)
// Prints a table, the listing against its bound (50,000 through the client in ≤ 2 s, issue 11: median of
// three listings, the first one cold), the same listing with the server inside this process (how it was
// measured before 2026-12-03) and what gzip would cost and save on these pages; the figures are recorded
// in docs/benchmarks/practice-api.md.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { createPracticeClient } from "../src/practice-api/client";
import { startPracticeServer } from "../src/practice-api/server";
import { demoContacts } from "../src/practice-api/server/seed-demo";

const N = Number(process.env.PRACTICE_BENCH_N ?? 50_000);
const CHANGES = 1_000;
const LIST_BOUND_MS = 2_000;
const LISTINGS = 3;
const root = path.join(__dirname, "..");

/** The compiled practice-server on a free port; resolves with its URL once it listens. */
function startServerProcess(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, "bin", "practice-server.js"), "--db", db, "--dev-auth", "--port", "0", "--quiet"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += String(d);
      const m = /listening on (\S+)\/api\/v1/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.once("exit", (code) => reject(new Error(`practice-server exited ${code} before listening: ${out}`)));
  });
}

/** CPU time (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

async function devToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  return ((await res.json()) as { access_token: string }).access_token;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "practice-bench-"));
  const db = path.join(dir, "bench.db");
  const rows: [string, string, string, string][] = [];
  const listMs: number[] = [];
  const pageTexts: string[] = [];
  let child: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    {
      const seeder = await startPracticeServer({ db, devAuth: true, rateLimit: false });
      const staff = ["b-anna", "b-jorg", "b-siobhan"].map((id, i) => ({ id, name: id, email: `${id}@bench.example`, oid: `oid-${id}`, role: i === 0 ? ("admin" as const) : ("staff" as const), initials: "B" }));
      seeder.addFirm({ id: "firm-bench", name: "Bench firm", staff });
      const seed = demoContacts(staff.map((s) => s.id), { clients: Math.round(N * 0.75), standalone: N - Math.round(N * 0.75) }, 7);
      seeder.insertContacts("firm-bench", seed.map((c) => ({ kind: c.kind, fields: c.fields, attributes: c.attributes })));
      await seeder.close();
    }
    console.log(`seeded ${N} contacts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const server = await startServerProcess(db);
    child = server.child;
    const token = await devToken(server.url);
    const client = createPracticeClient({ baseUrl: server.url, getToken: async () => token });
    const filter = await client.createFilter({ name: "bench – active in München", match: "all", criteria: [{ field: "office", method: "equals", values: ["München"] }, { field: "status", method: "equals", values: ["active"] }] });

    const measure = async <T>(label: string, run: () => Promise<T>, count: (r: T) => number): Promise<T> => {
      const before = client.stats().requests;
      const s = performance.now();
      const r = await run();
      const ms = performance.now() - s;
      rows.push([label, String(count(r)), String(client.stats().requests - before), `${ms.toFixed(0)} ms`]);
      return r;
    };

    let all: Awaited<ReturnType<typeof client.listContacts>> | undefined;
    for (let i = 0; i < LISTINGS; i++) {
      const cpu = process.cpuUsage();
      const serverCpu = processCpuMs(child.pid);
      const label = `list all ${N} contacts${i === 0 ? " (first: cold)" : ""}`;
      const s0 = performance.now();
      all = await measure(label, () => client.listContacts(null), (r) => r.contacts.length);
      listMs.push(performance.now() - s0);
      const used = process.cpuUsage(cpu);
      const serverUsed = serverCpu === undefined ? undefined : processCpuMs(child.pid)! - serverCpu;
      rows[rows.length - 1][0] += `; CPU: client ${((used.user + used.system) / 1000).toFixed(0)} ms${serverUsed === undefined ? "" : `, server ${serverUsed.toFixed(0)} ms`}`;
      if (all.contacts.length !== N) throw new Error(`listed ${all.contacts.length}, expected ${N}`);
    }
    if (!all) throw new Error("no listing");
    // The same listing without the client (no check, no mapping, no page asked ahead): the server and the wire alone.
    {
      const s = performance.now();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await fetch(`${server.url}/api/v1/contacts?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const text = await res.text();
        pageTexts.push(text);
        const page = JSON.parse(text) as { nextCursor: string | null };
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      rows.push([`  same, raw fetch + JSON.parse only, one page after the other`, String(N), String(pages), `${(performance.now() - s).toFixed(0)} ms`]);
    }
    await measure("list through a filter", () => client.listContacts(filter.id), (r) => r.contacts.length);

    const targets = all.contacts.slice(0, CHANGES);
    const updates = await measure(
      `update ${CHANGES} contacts (batch)`,
      () => client.updateContacts(targets.map((c, i) => ({ id: c.id, version: c.version, patch: { jobTitle: `Bench ${i}` } }))),
      (r) => r.filter((x) => x.ok).length,
    );
    if (updates.some((u) => !u.ok)) throw new Error("an update failed");
    const changes = await measure(`read ${CHANGES} changes after ${N}`, () => client.changesSince(all.cursor), (r) => r.upserts.length + r.deleted.length);
    if (changes.upserts.length !== CHANGES) throw new Error(`read ${changes.upserts.length} changes, expected ${CHANGES}`);
    await measure("read changes: nothing new (no-op sync)", () => client.changesSince(changes.cursor), (r) => r.upserts.length);

    // As measured before 2026-12-03: a second server on the same file, inside this process, so the server's
    // work and the client's share one thread.
    {
      const inProcess = await startPracticeServer({ db, devAuth: true, rateLimit: false });
      try {
        const localToken = await devToken(inProcess.url);
        const local = createPracticeClient({ baseUrl: inProcess.url, getToken: async () => localToken });
        const s0 = performance.now();
        const r = await local.listContacts(null);
        rows.push([`  same, server inside this process (as measured before)`, String(r.contacts.length), String(local.stats().requests), `${(performance.now() - s0).toFixed(0)} ms`]);
      } finally {
        await inProcess.close();
      }
    }

    console.log(
      `\nPractice API client ↔ reference server (its own process), ${N} contacts, Node ${process.version}, ${os.cpus().length} cores, ` +
        `${new Date().toISOString().slice(0, 16)}Z, load ${os.loadavg()[0].toFixed(1)}`,
    );
    const head: [string, string, string, string] = ["operation", "items", "requests", "time"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
    console.log(line(head));
    console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
    for (const r of rows) console.log(line(r));
    const ms = median(listMs);
    const met = ms <= LIST_BOUND_MS;
    console.log(
      `\nlist ${N} through the client: ${listMs.map((x) => (x / 1000).toFixed(2)).join(" / ")} s, median ${(ms / 1000).toFixed(2)} s, ` +
        `bound ${LIST_BOUND_MS / 1000} s, ratio ${(ms / LIST_BOUND_MS).toFixed(2)}, ${met ? "met" : "NOT met"}`,
    );
    if (!met) process.exitCode = 1;
    // Would response compression pay on loopback? gzip (level 1, the cheapest) of the same pages, both ends.
    const raw = pageTexts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    let t = performance.now();
    const zipped = pageTexts.map((text) => gzipSync(text, { level: 1 }));
    const zipMs = performance.now() - t;
    t = performance.now();
    for (const z of zipped) gunzipSync(z);
    const unzipMs = performance.now() - t;
    const packed = zipped.reduce((n, z) => n + z.length, 0);
    console.log(
      `gzip -1 of the ${pageTexts.length} pages: ${(raw / 1e6).toFixed(1)} MB → ${(packed / 1e6).toFixed(1)} MB, ` +
        `${zipMs.toFixed(0)} ms to compress (server) + ${unzipMs.toFixed(0)} ms to inflate (client), against the raw fetch's time above`,
    );
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
