// The server's filtered listing must be exactly what the engine's matchesFilter says (R1), over the
// demo seed, for the demo filters and for one filter per field × method.
import { FILTER_FIELDS, matchesFilter, validateFilter, type FilterDefinition } from "../../src/sync/filters";
import { fromApiContact, type ApiContact } from "../../src/practice-api/contact-mapping";
import type { PracticeContact } from "../../src/sync/model";
import { startTestServer, type TestServer } from "./helpers";

let t: TestServer;
let all: PracticeContact[];

async function listIds(filterId: string, pageSize = 97): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `/contacts?filterId=${encodeURIComponent(filterId)}&limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const r = await t.call("GET", q);
    expect(r.status).toBe(200);
    ids.push(...r.body.items.map((c: { id: string }) => c.id));
    cursor = r.body.nextCursor;
  } while (cursor);
  return ids;
}

/**
 * The same listing without the contract check (done above), to keep this long loop fast. A filtered page
 * may stop early (the server bounds the rows and time one page reads), so it follows nextCursor too.
 */
async function listIdsRaw(filterId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(`${t.url}/api/v1/contacts?limit=1000&filterId=${encodeURIComponent(filterId)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...body.items.map((c) => c.id));
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

beforeAll(async () => {
  t = await startTestServer();
  all = (await t.call("GET", "/contacts?limit=1000")).body.items.map((c: ApiContact) => fromApiContact(c));
  expect(all).toHaveLength(400);
});
afterAll(() => t.close());

function expected(def: FilterDefinition): string[] {
  return all.filter((c) => matchesFilter(def, c)).map((c) => c.id).sort();
}

test("every demo filter lists exactly what matchesFilter selects, and selects something", async () => {
  const filters = (await t.call("GET", "/filters")).body.items as (FilterDefinition & { id: string })[];
  expect(filters.length).toBeGreaterThanOrEqual(5);
  for (const f of filters) {
    const want = expected(f);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(400);
    expect((await listIds(f.id)).sort()).toEqual(want);
  }
});

/** A value that occurs in the seed for the field, so criteria select something. */
function sampleValue(field: string): string {
  const spec = FILTER_FIELDS.find((f) => f.name === field)!;
  for (const c of all) {
    const v = spec.read(c);
    const first = Array.isArray(v) ? v[0] : v;
    if (first && first.trim()) return first.trim();
  }
  return "x";
}

/** One filter per field × method, with values taken from the seed so criteria select something. */
function generatedFilters(): FilterDefinition[] {
  const generated: FilterDefinition[] = [];
  for (const field of FILTER_FIELDS) {
    const v = sampleValue(field.name);
    const candidates: FilterDefinition["criteria"] = [
      { field: field.name, method: "equals", values: [v] },
      { field: field.name, method: "list", values: field.type === "string" ? [v, "zzz-none"] : [v] },
      { field: field.name, method: "isBlank", values: [] },
      { field: field.name, method: "isNotBlank", values: [] },
    ];
    if (field.type === "string") {
      candidates.push({ field: field.name, method: "contains", values: [v.slice(1, 3) || v] });
      candidates.push({ field: field.name, method: "beginsWith", values: [v.slice(0, 1).toLowerCase()] });
      candidates.push({ field: field.name, method: "range", values: ["", v] });
    }
    if (field.type === "date") candidates.push({ field: field.name, method: "range", values: ["1950-01-01", "1975-12-31"] });
    for (const c of candidates) generated.push({ name: `${field.name} ${c.method}`, match: "all", criteria: [c] });
  }
  generated.push({
    name: "any of two",
    match: "any",
    criteria: [
      { field: "office", method: "equals", values: ["Dublin"] },
      { field: "categories", method: "contains", values: ["vip"] },
    ],
  });
  return generated;
}

test("one filter per field and method: server listing = matchesFilter", async () => {
  const defs = generatedFilters();
  expect(defs.length).toBeGreaterThan(100);
  let nonTrivial = 0;
  for (const def of defs) {
    const v = validateFilter(def);
    if (!v.ok) throw new Error(`${def.name}: ${JSON.stringify(v.errors)}`);
    const created = await t.call("POST", "/filters", { body: def });
    expect(created.status).toBe(201);
    const want = expected(def);
    if (want.length > 0 && want.length < all.length) nonTrivial++;
    const got = (await listIdsRaw(created.body.id)).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${def.name}: server ${got.length}, engine ${want.length}`);
  }
  // Most criteria split the seed: the comparison is not between two empty (or two full) lists.
  expect(nonTrivial).toBeGreaterThan(defs.length / 2);
});
