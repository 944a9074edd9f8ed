// Every route over real HTTP against the demo seed, with each answer checked against the contract.
import { OTHER_FIRM, startTestServer, type TestServer } from "./helpers";

let t: TestServer;
let now = Date.parse("2026-11-25T07:00:00Z");

beforeAll(async () => {
  t = await startTestServer({ now: () => now, tombstoneRetentionMs: 60_000 });
  t.server.addFirm(OTHER_FIRM);
});
afterAll(() => t.close());

describe("meta and identity", () => {
  test("the contract is served as JSON without a token", async () => {
    const r = await t.call("GET", "/openapi.json", { token: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    expect(Object.keys(r.body.paths)).toContain("/contacts/changes");
  });

  test("me names the staff member and the firm", async () => {
    const r = await t.call("GET", "/me");
    expect(r.status).toBe(200);
    expect(r.body.staff.id).toBe("staff-anna");
    expect(r.body.firm.id).toBe("firm-demo");
    expect(r.body.scopes).toContain("Practice.ReadWrite");
  });

  test("staff lists the firm's five staff and nobody from another firm", async () => {
    const r = await t.call("GET", "/staff");
    expect(r.body.items).toHaveLength(5);
    expect(r.body.items.map((s: { name: string }) => s.name)).toContain("Jörg Müller");
    expect(JSON.stringify(r.body)).not.toContain("Olga");
  });

  test("terminology has defaults; an admin customizes it, a non-admin may not", async () => {
    const before = await t.call("GET", "/terminology");
    expect(before.body).toMatchObject({ customized: false, terms: { client: { singular: "Client" } } });
    const terms = { client: { singular: "Customer", plural: "Customers" }, contact: { singular: "Contact", plural: "Contacts" }, standalone: { singular: "Other contact", plural: "Other contacts" } };
    const denied = await t.call("PUT", "/terminology", { token: await t.token("staff-jorg"), body: terms });
    expect(denied.status).toBe(403);
    const put = await t.call("PUT", "/terminology", { body: terms });
    expect(put.status).toBe(200);
    const after = await t.call("GET", "/terminology", { token: await t.token("staff-kenji") });
    expect(after.body).toMatchObject({ customized: true, terms: { client: { singular: "Customer" } }, defaults: { client: { singular: "Client" } } });
  });

  test("filter-fields lists the engine's filter fields with their methods", async () => {
    const r = await t.call("GET", "/filter-fields");
    const kind = r.body.items.find((f: { name: string }) => f.name === "kind");
    expect(kind).toMatchObject({ type: "enum", options: ["client", "standalone"] });
    const birthday = r.body.items.find((f: { name: string }) => f.name === "birthday");
    expect(birthday.methods).not.toContain("contains");
  });
});

describe("filters", () => {
  test("CRUD with owner/admin rights and If-Match", async () => {
    const jorg = await t.token("staff-jorg");
    const zoe = await t.token("staff-zoe");
    const def = { name: "Jörg – Dublin", match: "all", criteria: [{ field: "office", method: "equals", values: ["Dublin"] }] };
    const created = await t.call("POST", "/filters", { token: jorg, body: def });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Jörg – Dublin", ownerId: "staff-jorg", version: "1" });
    const id = created.body.id;
    expect((await t.call("GET", "/filters")).body.items.map((f: { id: string }) => f.id)).toContain(id);
    const got = await t.call("GET", `/filters/${id}`, { token: zoe });
    expect(got.headers.get("etag")).toBe('"1"');
    // Someone else (not an admin) may read but not change or delete it.
    expect((await t.call("PUT", `/filters/${id}`, { token: zoe, body: def })).status).toBe(403);
    expect((await t.call("DELETE", `/filters/${id}`, { token: zoe })).status).toBe(403);
    const renamed = await t.call("PUT", `/filters/${id}`, { token: jorg, body: { ...def, name: "Jörg – Dublin office" }, headers: { "if-match": '"1"' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe("2");
    const stale = await t.call("PUT", `/filters/${id}`, { token: jorg, body: def, headers: { "if-match": '"1"' } });
    expect(stale.status).toBe(412);
    // An admin may delete anyone's filter.
    expect((await t.call("DELETE", `/filters/${id}`)).status).toBe(204);
    expect((await t.call("GET", `/filters/${id}`)).status).toBe(404);
  });

  test("an invalid definition is 422 with every problem's path", async () => {
    const r = await t.call("POST", "/filters", {
      body: { name: "Bad", match: "all", criteria: [{ field: "nope", method: "equals", values: ["x"] }, { field: "birthday", method: "range", values: ["2020-13-01", ""] }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.type).toBe("urn:practice-api:problem:invalid-filter");
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(["criteria/0/field", "criteria/1/values/0"]);
  });

  test("another firm's filter is 404", async () => {
    const other = await t.token("staff-other-admin");
    expect((await t.call("GET", "/filters/filter-demo-1", { token: other })).status).toBe(404);
    expect((await t.call("GET", "/filters", { token: other })).body.items).toEqual([]);
  });
});

describe("contacts", () => {
  test("each page but the last names the next in a Link header, with the body's cursor, the filter and the limit", async () => {
    for (const filter of [null, "filter-demo-1"]) {
      let path: string | null = `/contacts?limit=40${filter ? `&filterId=${filter}` : ""}`;
      let pages = 0;
      while (path) {
        const r = await t.call("GET", path);
        expect(r.status).toBe(200);
        pages++;
        const link = r.headers.get("link");
        if (r.body.nextCursor === null) {
          expect(link).toBeNull();
          path = null;
          continue;
        }
        const m = /^<(\/api\/v1\/contacts\?[^>]+)>; rel="next"$/.exec(link ?? "");
        expect(m).not.toBeNull();
        const next = new URL(m![1], "http://x");
        expect(next.searchParams.get("cursor")).toBe(r.body.nextCursor);
        expect(next.searchParams.get("limit")).toBe("40");
        expect(next.searchParams.get("filterId")).toBe(filter);
        path = `${next.pathname.replace("/api/v1", "")}${next.search}`; // follow the header, not the body
      }
      expect(pages).toBeGreaterThan(1);
    }
  });

  test("listing pages by cursor cover all 400 demo contacts exactly once", async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let first = true;
    do {
      const q: string = cursor ? `?limit=150&cursor=${encodeURIComponent(cursor)}` : "?limit=150";
      const r = await t.call("GET", "/contacts" + q);
      expect(r.status).toBe(200);
      if (first) expect(typeof r.body.changeCursor).toBe("string");
      else expect(r.body.changeCursor).toBeUndefined();
      first = false;
      for (const c of r.body.items) {
        expect(seen.has(c.id)).toBe(false);
        seen.add(c.id);
      }
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(400);
  });

  test("the seed is varied: non-ASCII, multi-line streets, 0–4 emails, faxes, trailing blanks, clients and standalone", async () => {
    const r = await t.call("GET", "/contacts?limit=1000");
    const items = r.body.items as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(items.filter((c) => c.kind === "client")).toHaveLength(300);
    expect(items.filter((c) => c.kind === "standalone")).toHaveLength(100);
    expect(items.some((c) => [...(c.displayName ?? "")].some((ch) => ch.charCodeAt(0) > 127))).toBe(true);
    expect(items.some((c) => (c.businessAddress?.street ?? "").includes("\n"))).toBe(true);
    const emailCounts = new Set(items.map((c) => (c.emailAddresses ?? []).length));
    expect([...emailCounts].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(items.some((c) => c.businessFax)).toBe(true);
    expect(items.some((c) => / $/.test(c.displayName ?? ""))).toBe(true);
    expect(items.filter((c) => c.kind === "client").every((c) => /^C\d+$/.test(c.clientCode))).toBe(true);
  });

  test("ids= fetches specific contacts, skipping unknown and other firms' ids", async () => {
    const page = await t.call("GET", "/contacts?limit=2");
    const ids = page.body.items.map((c: { id: string }) => c.id);
    const r = await t.call("GET", `/contacts?ids=${ids.join(",")},no-such-id`);
    expect(r.body.items.map((c: { id: string }) => c.id)).toEqual(ids);
    const other = await t.call("GET", `/contacts?ids=${ids.join(",")}`, { token: await t.token("staff-other-admin") });
    expect(other.body.items).toEqual([]);
  });

  test("create, get, patch with If-Match, stale 412, missing 428, delete", async () => {
    const created = await t.call("POST", "/contacts", {
      body: { kind: "standalone", givenName: "Øyvind", surname: "Nærbø", emailAddresses: [{ address: "oyvind@example.no" }], birthday: "1980-02-29" },
    });
    expect(created.status).toBe(201);
    const c = created.body;
    expect(created.headers.get("etag")).toBe(`"${c.version}"`);
    expect(created.headers.get("location")).toBe(`/api/v1/contacts/${c.id}`);
    const got = await t.call("GET", `/contacts/${c.id}`);
    expect(got.body).toEqual(c);
    const patched = await t.call("PATCH", `/contacts/${c.id}`, { body: { surname: "Nærbø-Hansen", emailAddresses: null, status: "active" }, headers: { "if-match": created.headers.get("etag")! } });
    expect(patched.status).toBe(200);
    expect(patched.body.surname).toBe("Nærbø-Hansen");
    expect(patched.body.emailAddresses).toBeUndefined();
    expect(patched.body.givenName).toBe("Øyvind");
    expect(patched.body.status).toBe("active");
    expect(Number(patched.body.version)).toBeGreaterThan(Number(c.version));
    const stale = await t.call("PATCH", `/contacts/${c.id}`, { body: { surname: "X" }, headers: { "if-match": c.version } });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe("urn:practice-api:problem:stale-version");
    expect((await t.call("PATCH", `/contacts/${c.id}`, { body: { surname: "X" } })).status).toBe(428);
    expect((await t.call("GET", `/contacts/${c.id}`)).body.surname).toBe("Nærbø-Hansen");
    expect((await t.call("DELETE", `/contacts/${c.id}`, { headers: { "if-match": c.version } })).status).toBe(412);
    expect((await t.call("DELETE", `/contacts/${c.id}`, { headers: { "if-match": patched.body.version } })).status).toBe(204);
    expect((await t.call("GET", `/contacts/${c.id}`)).status).toBe(404);
  });

  test("a patch that changes nothing keeps the version and adds nothing to the feed", async () => {
    const c = (await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: "Same", businessAddress: { city: "Zürich", street: "A 1" } } })).body;
    const feedAt = (await t.call("GET", "/contacts?limit=1")).body.changeCursor;
    const r = await t.call("PATCH", `/contacts/${c.id}`, { body: { givenName: "Same", businessAddress: { street: "A 1", city: "Zürich" }, homePhones: null }, headers: { "if-match": c.version } });
    expect(r.status).toBe(200);
    expect(r.body.version).toBe(c.version);
    expect((await t.call("GET", `/contacts/changes?cursor=${encodeURIComponent(feedAt)}`)).body.changes).toEqual([]);
  });

  test("a client is never deleted (409), and gets a client code", async () => {
    const created = await t.call("POST", "/contacts", { body: { kind: "client", companyName: "Fjord Bakery AS", partnerId: "staff-jorg" } });
    expect(created.body.clientCode).toMatch(/^C\d+$/);
    const r = await t.call("DELETE", `/contacts/${created.body.id}`);
    expect(r.status).toBe(409);
    expect(r.body.type).toBe("urn:practice-api:problem:cannot-delete-client");
    expect((await t.call("GET", `/contacts/${created.body.id}`)).status).toBe(200);
  });

  test("a staff reference to someone outside the firm is 422 and writes nothing", async () => {
    const r = await t.call("POST", "/contacts", { body: { kind: "client", displayName: "Ref test", partnerId: "staff-other-admin" } });
    expect(r.status).toBe(422);
    expect(r.body.type).toBe("urn:practice-api:problem:invalid-reference");
  });

  test("Idempotency-Key: a replay returns the first result; the same key with another body is 422", async () => {
    const key = "idem-" + Math.random();
    const body = { kind: "standalone", displayName: "Idempotent Iris" };
    const first = await t.call("POST", "/contacts", { body, headers: { "idempotency-key": key } });
    const again = await t.call("POST", "/contacts", { body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const all = await t.call("GET", "/contacts?limit=1000");
    expect(all.body.items.filter((c: { displayName?: string }) => c.displayName === "Idempotent Iris")).toHaveLength(1);
    const reused = await t.call("POST", "/contacts", { body: { ...body, displayName: "Someone else" }, headers: { "idempotency-key": key } });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe("urn:practice-api:problem:idempotency-key-reused");
  });

  test("another firm's contact is 404 for get, patch and delete", async () => {
    const other = await t.token("staff-other-admin");
    const mine = (await t.call("GET", "/contacts?limit=1")).body.items[0];
    expect((await t.call("GET", `/contacts/${mine.id}`, { token: other })).status).toBe(404);
    expect((await t.call("PATCH", `/contacts/${mine.id}`, { token: other, body: { surname: "Hacked" }, headers: { "if-match": mine.version } })).status).toBe(404);
    expect((await t.call("DELETE", `/contacts/${mine.id}`, { token: other })).status).toBe(404);
    expect((await t.call("GET", `/contacts/${mine.id}`)).body.surname).toBe(mine.surname);
  });

  test("a read-only token reads but gets 403 on writes", async () => {
    const ro = await t.token("staff-kenji", "Practice.Read");
    expect((await t.call("GET", "/contacts?limit=1", { token: ro })).status).toBe(200);
    const w = await t.call("POST", "/contacts", { token: ro, body: { kind: "standalone", displayName: "Nope" } });
    expect(w.status).toBe(403);
    expect(w.body.type).toBe("urn:practice-api:problem:insufficient-scope");
    expect((await t.call("POST", "/sync-leases", { token: ro, body: { folderKey: "x" } })).status).toBe(403);
  });
});

describe("change feed", () => {
  test("order, each contact once with its latest state, tombstones, and a new cursor", async () => {
    const start = (await t.call("GET", "/contacts?limit=1")).body.changeCursor;
    const a = (await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: "Feed A" } })).body;
    const b = (await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: "Feed B" } })).body;
    const a2 = (await t.call("PATCH", `/contacts/${a.id}`, { body: { displayName: "Feed A2" }, headers: { "if-match": a.version } })).body;
    expect((await t.call("DELETE", `/contacts/${b.id}`)).status).toBe(204);
    const feed = await t.call("GET", `/contacts/changes?cursor=${encodeURIComponent(start)}`);
    expect(feed.body.hasMore).toBe(false);
    expect(feed.body.changes).toEqual([
      { type: "upsert", contact: a2 },
      { type: "delete", id: b.id, deletedAt: expect.any(String) },
    ]);
    const empty = await t.call("GET", `/contacts/changes?cursor=${encodeURIComponent(feed.body.cursor)}`);
    expect(empty.body).toEqual({ changes: [], cursor: feed.body.cursor, hasMore: false });
  });

  test("paging with limit and hasMore", async () => {
    const start = (await t.call("GET", "/contacts?limit=1")).body.changeCursor;
    for (let i = 0; i < 5; i++) await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: `Paged ${i}` } });
    const p1 = await t.call("GET", `/contacts/changes?limit=3&cursor=${encodeURIComponent(start)}`);
    expect(p1.body.changes).toHaveLength(3);
    expect(p1.body.hasMore).toBe(true);
    const p2 = await t.call("GET", `/contacts/changes?limit=3&cursor=${encodeURIComponent(p1.body.cursor)}`);
    expect(p2.body.changes.map((c: { contact: { displayName: string } }) => c.contact.displayName)).toEqual(["Paged 3", "Paged 4"]);
    expect(p2.body.hasMore).toBe(false);
  });

  test("a cursor older than the tombstone retention answers 410 cursor-expired", async () => {
    const start = (await t.call("GET", "/contacts?limit=1")).body.changeCursor;
    const c = (await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: "Doomed" } })).body;
    await t.call("DELETE", `/contacts/${c.id}`);
    now += 61_000; // past the 60 s retention
    const r = await t.call("GET", `/contacts/changes?cursor=${encodeURIComponent(start)}`);
    expect(r.status).toBe(410);
    expect(r.body.type).toBe("urn:practice-api:problem:cursor-expired");
    // A fresh cursor works again.
    const fresh = (await t.call("GET", "/contacts?limit=1")).body.changeCursor;
    expect((await t.call("GET", `/contacts/changes?cursor=${encodeURIComponent(fresh)}`)).status).toBe(200);
  });

  test("a cursor that is not the server's is 400 invalid-cursor", async () => {
    const r = await t.call("GET", "/contacts/changes?cursor=bm9wZQ");
    expect(r.status).toBe(400);
    expect(r.body.type).toBe("urn:practice-api:problem:invalid-cursor");
  });

  test("another firm's changes are never in the feed", async () => {
    const other = await t.token("staff-other-admin");
    const r = await t.call("GET", "/contacts/changes?limit=1000", { token: other });
    expect(r.body.changes.map((c: { contact?: { displayName?: string } }) => c.contact?.displayName)).toEqual(["Other firm's contact", "Other firm's client"]);
  });
});

describe("batch", () => {
  test("mixed results, one per item in order; a failed item fails only itself", async () => {
    const existing = (await t.call("POST", "/contacts", { body: { kind: "standalone", displayName: "Batch target" } })).body;
    const client = (await t.call("POST", "/contacts", { body: { kind: "client", displayName: "Batch client" } })).body;
    const r = await t.call("POST", "/contacts/batch", {
      body: {
        items: [
          { op: "create", idempotencyKey: "batch-1", contact: { kind: "standalone", displayName: "Batch new" } },
          { op: "update", id: existing.id, ifMatch: existing.version, patch: { jobTitle: "Partner" } },
          { op: "update", id: existing.id, ifMatch: existing.version, patch: { jobTitle: "Stale" } },
          { op: "update", id: "no-such-id", ifMatch: "1", patch: { jobTitle: "x" } },
          { op: "create", contact: { kind: "standalone", givenName: 42 } },
          { op: "delete", id: client.id },
          { op: "explode" },
          { op: "create", idempotencyKey: "batch-1", contact: { kind: "standalone", displayName: "Batch new" } },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: number }) => x.status)).toEqual([201, 200, 412, 404, 400, 409, 400, 201]);
    expect(r.body.results[1].contact.jobTitle).toBe("Partner");
    expect(r.body.results[7].contact).toEqual(r.body.results[0].contact);
    expect((await t.call("GET", `/contacts/${existing.id}`)).body.jobTitle).toBe("Partner");
  });

  test("a full batch of 100 contacts with 30 KB notes each (3 MB) is accepted", async () => {
    const notes = "Ünïcödé notes.\n".repeat(2000).slice(0, 30_000);
    const items = Array.from({ length: 100 }, (_, i) => ({ op: "create", idempotencyKey: `big-${i}`, contact: { kind: "standalone", displayName: `Big ${i}`, personalNotes: notes } }));
    const r = await t.call("POST", "/contacts/batch", { body: { items } });
    expect(r.status).toBe(200);
    expect(r.body.results.every((x: { status: number }) => x.status === 201)).toBe(true);
    expect(r.body.results[99].contact.personalNotes).toBe(notes);
  });

  test("more than 100 items is 400 and writes nothing", async () => {
    const before = (await t.call("GET", "/contacts?limit=1")).body.changeCursor;
    const items = Array.from({ length: 101 }, (_, i) => ({ op: "create", contact: { kind: "standalone", displayName: `Too many ${i}` } }));
    expect((await t.call("POST", "/contacts/batch", { body: { items } })).status).toBe(400);
    expect((await t.call("GET", "/contacts?limit=1")).body.changeCursor).toBe(before);
  });
});

describe("sync leases (R18)", () => {
  test("acquire, second holder refused with who holds it, renew, release, take over when expired", async () => {
    const anna = await t.token("staff-anna");
    const jorg = await t.token("staff-jorg");
    const key = "shared@demo-practice.example/AAMkAD=folder/1";
    expect((await t.call("GET", `/sync-leases/${encodeURIComponent(key)}`)).status).toBe(404);
    const got = await t.call("POST", "/sync-leases", { token: anna, body: { folderKey: key, ttlSeconds: 60 } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ folderKey: key, holder: { staffId: "staff-anna", name: "Anna Lindqvist" }, expired: false });
    const refused = await t.call("POST", "/sync-leases", { token: jorg, body: { folderKey: key } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: "urn:practice-api:problem:lease-held", holder: { staffId: "staff-anna", name: "Anna Lindqvist" }, expiresAt: got.body.expiresAt });
    expect((await t.call("PUT", `/sync-leases/${encodeURIComponent(key)}`, { token: jorg, body: {} })).status).toBe(409);
    expect((await t.call("DELETE", `/sync-leases/${encodeURIComponent(key)}`, { token: jorg })).status).toBe(409);
    now += 30_000;
    const renewed = await t.call("PUT", `/sync-leases/${encodeURIComponent(key)}`, { token: anna, body: { ttlSeconds: 60 } });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expiresAt)).toBe(now + 60_000);
    expect(renewed.body.acquiredAt).toBe(got.body.acquiredAt);
    now += 61_000;
    const seen = await t.call("GET", `/sync-leases/${encodeURIComponent(key)}`, { token: jorg });
    expect(seen.body.expired).toBe(true);
    const takeover = await t.call("POST", "/sync-leases", { token: jorg, body: { folderKey: key } });
    expect(takeover.status).toBe(200);
    expect(takeover.body.holder.staffId).toBe("staff-jorg");
    // Anna's renewal now finds the lease taken.
    expect((await t.call("PUT", `/sync-leases/${encodeURIComponent(key)}`, { token: anna })).status).toBe(409);
    expect((await t.call("DELETE", `/sync-leases/${encodeURIComponent(key)}`, { token: jorg })).status).toBe(204);
    expect((await t.call("GET", `/sync-leases/${encodeURIComponent(key)}`)).status).toBe(404);
  });

  test("leases are per firm", async () => {
    const key = "mailbox/folder-shared-name";
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key } })).status).toBe(200);
    const other = await t.token("staff-other-admin");
    expect((await t.call("POST", "/sync-leases", { token: other, body: { folderKey: key } })).status).toBe(200);
  });
});
