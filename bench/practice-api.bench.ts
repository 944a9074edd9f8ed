// Practice API benchmark: the client against the reference server on 127.0.0.1 (file database, WAL).
//   1. list 50,000 contacts (all, then through a filter) — requests and time
//   2. write 1,000 updates through contacts/batch — requests and time
//   3. read those 1,000 changes after the 50,000 — requests and time; then an empty read (the no-op sync)
// Prints a table, the listing against its bound (50,000 through the client in ≤ 2 s, issue 11) and what
// gzip would cost and save on these pages; the figures are recorded in docs/benchmarks/practice-api.md.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { createPracticeClient } from "../src/practice-api/client";
import { startPracticeServer } from "../src/practice-api/server";
import { demoContacts } from "../src/practice-api/server/seed-demo";

const N = Number(process.env.PRACTICE_BENCH_N ?? 50_000);
const CHANGES = 1_000;
const LIST_BOUND_MS = 2_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "practice-bench-"));
  const server = await startPracticeServer({ db: path.join(dir, "bench.db"), devAuth: true, rateLimit: false });
  const rows: [string, string, string, string][] = [];
  let listMs: number | undefined;
  const pageTexts: string[] = [];
  try {
    const staff = ["b-anna", "b-jorg", "b-siobhan"].map((id, i) => ({ id, name: id, email: `${id}@bench.example`, oid: `oid-${id}`, role: i === 0 ? ("admin" as const) : ("staff" as const), initials: "B" }));
    server.addFirm({ id: "firm-bench", name: "Bench firm", staff });
    const t0 = performance.now();
    const seed = demoContacts(staff.map((s) => s.id), { clients: Math.round(N * 0.75), standalone: N - Math.round(N * 0.75) }, 7);
    server.insertContacts("firm-bench", seed.map((c) => ({ kind: c.kind, fields: c.fields, attributes: c.attributes })));
    console.log(`seeded ${N} contacts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const tok = (await (await fetch(`${server.url}/api/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { access_token: string };
    const client = createPracticeClient({ baseUrl: server.url, getToken: async () => tok.access_token });
    const filter = await client.createFilter({ name: "bench – active in München", match: "all", criteria: [{ field: "office", method: "equals", values: ["München"] }, { field: "status", method: "equals", values: ["active"] }] });

    const measure = async <T>(label: string, run: () => Promise<T>, count: (r: T) => number): Promise<T> => {
      const before = client.stats().requests;
      const s = performance.now();
      const r = await run();
      const ms = performance.now() - s;
      rows.push([label, String(count(r)), String(client.stats().requests - before), `${ms.toFixed(0)} ms`]);
      return r;
    };

    const listStart = performance.now();
    const all = await measure(`list all ${N} contacts`, () => client.listContacts(null), (r) => r.contacts.length);
    listMs = performance.now() - listStart;
    if (all.contacts.length !== N) throw new Error(`listed ${all.contacts.length}, expected ${N}`);
    // The same listing without the client (no zod, no mapping): what the server and the wire cost alone.
    {
      const s = performance.now();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await fetch(`${server.url}/api/v1/contacts?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
          headers: { authorization: `Bearer ${tok.access_token}` },
        });
        const text = await res.text();
        pageTexts.push(text);
        const page = JSON.parse(text) as { nextCursor: string | null };
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      rows.push([`  same, raw fetch + JSON.parse only`, String(N), String(pages), `${(performance.now() - s).toFixed(0)} ms`]);
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

    console.log(`\nPractice API client ↔ reference server, ${N} contacts, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
    const head: [string, string, string, string] = ["operation", "items", "requests", "time"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
    console.log(line(head));
    console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
    for (const r of rows) console.log(line(r));
    const ms = listMs ?? Number.NaN;
    const met = ms <= LIST_BOUND_MS;
    console.log(`\nlist ${N} through the client: ${(ms / 1000).toFixed(2)} s, bound ${LIST_BOUND_MS / 1000} s, ratio ${(ms / LIST_BOUND_MS).toFixed(2)}, ${met ? "met" : "NOT met"}`);
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
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
