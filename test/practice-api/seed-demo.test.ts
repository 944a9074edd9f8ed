// The demo seed is deterministic (the same ids and data on every machine and every start) and
// realistic enough to exercise the sync's edge cases.
import { DEMO_FILTERS, demoContacts } from "../../src/practice-api/server/seed-demo";
import { FIELD_SPECS } from "../../src/sync/fields";
import { validateFilter } from "../../src/sync/filters";
import { startTestServer } from "./helpers";

const STAFF = ["staff-anna", "staff-jorg", "staff-siobhan", "staff-zoe", "staff-kenji"];

test("the generator gives the same contacts every time, with unique ids", () => {
  const a = demoContacts(STAFF);
  const b = demoContacts(STAFF);
  expect(b).toEqual(a);
  expect(new Set(a.map((c) => c.id)).size).toBe(400);
  expect(demoContacts(STAFF, { clients: 3, standalone: 1 }, 99)).not.toEqual(demoContacts(STAFF, { clients: 3, standalone: 1 }, 98));
});

test("every seeded value fits the contract's limits and every demo filter is valid", () => {
  const max = new Map(FIELD_SPECS.map((f) => [f.name, f.maxLength]));
  for (const c of demoContacts(STAFF)) {
    for (const [k, v] of Object.entries(c.fields)) {
      if (typeof v === "string") expect(v.length).toBeLessThanOrEqual(max.get(k as never)!);
    }
    if (c.fields.birthday) expect(Number.isNaN(Date.parse(c.fields.birthday))).toBe(false);
  }
  for (const f of DEMO_FILTERS) expect(validateFilter(f.def).ok).toBe(true);
});

test("two fresh servers hold the same demo contacts (ids, fields, client codes)", async () => {
  const strip = (items: Record<string, unknown>[]) => items.map(({ updatedAt: _u, ...rest }) => rest);
  const a = await startTestServer();
  const b = await startTestServer();
  try {
    const la = (await a.call("GET", "/contacts?limit=1000")).body.items;
    const lb = (await b.call("GET", "/contacts?limit=1000")).body.items;
    expect(strip(lb)).toEqual(strip(la));
    expect(la.map((c: { id: string }) => c.id).sort()).toEqual(demoContacts(STAFF).map((c) => c.id).sort());
  } finally {
    await a.close();
    await b.close();
  }
});
