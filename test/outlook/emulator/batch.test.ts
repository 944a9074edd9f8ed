// §12.5: $batch envelope rules, dependsOn, 424, per-item 429 with Retry-After in the item headers.
import { startHarness, type Harness, type Json } from "./harness";

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: "batch@example.test" });
});
afterAll(() => h.close());

const post = (id: string, givenName: string, extra: Record<string, unknown> = {}) => ({
  id,
  method: "POST",
  url: "/me/contacts",
  headers: { "Content-Type": "application/json" },
  body: { givenName },
  ...extra,
});

test("20 items run; responses are correlated by id, carry the exact Content-Type key, and may come out of order", async () => {
  const requests = Array.from({ length: 20 }, (_, i) => post(String(i + 1), `N${i}`));
  const r = await h.graph(token, "POST", "/$batch", { requests });
  expect(r.status).toBe(200);
  const responses = r.json.responses as Json[];
  expect(responses).toHaveLength(20);
  expect(new Set(responses.map((x) => x.id))).toEqual(new Set(requests.map((x) => x.id)));
  expect(responses.map((x) => x.id)).not.toEqual(requests.map((x) => x.id));
  for (const item of responses) {
    expect(item.status).toBe(201);
    expect(item.headers["Content-Type"]).toMatch(/^application\/json/);
    expect(item.body.givenName).toBe(`N${Number(item.id) - 1}`);
  }
});

test.each([
  ["more than 20 items", { requests: Array.from({ length: 21 }, (_, i) => post(String(i), "x")) }],
  ["ids differing only in case", { requests: [post("a", "x"), post("A", "y")] }],
  ["an absolute url", { requests: [{ id: "1", method: "GET", url: "https://graph.microsoft.com/v1.0/me/contacts" }] }],
  ["a body without Content-Type", { requests: [{ id: "1", method: "POST", url: "/me/contacts", body: { givenName: "x" } }] }],
  ["a dependsOn pattern that is not parallel, serial or same", { requests: [post("1", "a"), post("2", "b"), post("3", "c", { dependsOn: ["1"] }), post("4", "d", { dependsOn: ["2"] })] }],
  ["no requests array", { foo: 1 }],
])("400 for %s, and nothing is written", async (_name, envelope) => {
  const before = (await h.graph(token, "GET", "/me/contacts?$count=true&$top=1")).json["@odata.count"];
  const r = await h.graph(token, "POST", "/$batch", envelope);
  expect(r.status).toBe(400);
  expect(r.json.error.code).toBe("BadRequest");
  expect((await h.graph(token, "GET", "/me/contacts?$count=true&$top=1")).json["@odata.count"]).toBe(before);
});

test("serial dependsOn: a failed item fails its dependents with 424", async () => {
  const r = await h.graph(token, "POST", "/$batch", {
    requests: [
      post("1", "ok"),
      { id: "2", method: "GET", url: "/me/contacts/AAMkDoesNotExistDoesNotExist0000000000000=", dependsOn: ["1"] },
      post("3", "never", { dependsOn: ["2"] }),
    ],
  });
  const byId = Object.fromEntries(r.json.responses.map((x: Json) => [x.id, x]));
  expect(byId["1"].status).toBe(201);
  expect(byId["2"].status).toBe(404);
  expect(byId["2"].body.error.code).toBe("ErrorItemNotFound");
  expect(byId["3"].status).toBe(424);
});

test("items carry their own Prefer header and relative urls without a leading slash work", async () => {
  const r = await h.graph(token, "POST", "/$batch", {
    requests: [
      { id: "imm", method: "POST", url: "me/contacts", headers: { "Content-Type": "application/json", Prefer: 'IdType="ImmutableId"' }, body: { givenName: "I" } },
      post("rest", "R"),
    ],
  });
  const byId = Object.fromEntries(r.json.responses.map((x: Json) => [x.id, x]));
  expect(byId.imm.body.id).toMatch(/^AAkA/);
  expect(byId.rest.body.id).toMatch(/^AAMk/);
});

test("item faults: a throttled item gets 429 with Retry-After in its headers while the envelope is 200", async () => {
  await h.admin("POST", "/faults", { status: 429, count: 2, retryAfter: 7, items: true });
  const r = await h.graph(token, "POST", "/$batch", { requests: [post("1", "a"), post("2", "b"), post("3", "c")] });
  expect(r.status).toBe(200);
  const throttled = r.json.responses.filter((x: Json) => x.status === 429);
  expect(throttled).toHaveLength(2);
  for (const t of throttled) {
    expect(t.headers["Retry-After"]).toBe("7");
    expect(t.body.error.code).toBe("TooManyRequests");
  }
});

test("two unordered batches at once on one mailbox exceed 4 concurrent: the second one's items get 429 ApplicationThrottled", async () => {
  await h.admin("POST", "/faults", { latencyMs: 150 });
  try {
    await h.admin("POST", "/stats/reset");
    const batch = (tag: string) => ({ requests: Array.from({ length: 8 }, (_, i) => post(`${tag}${i}`, tag)) });
    const [a, b] = await Promise.all([h.graph(token, "POST", "/$batch", batch("a")), h.graph(token, "POST", "/$batch", batch("b"))]);
    const statuses = [...a.json.responses, ...b.json.responses].map((x: Json) => x.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(8);
    const limited = [...a.json.responses, ...b.json.responses].filter((x: Json) => x.status === 429);
    expect(limited).toHaveLength(8);
    expect(limited[0].body.error.code).toBe("ApplicationThrottled");
    expect(limited[0].headers["Retry-After"]).toBeDefined();
    // Four dependsOn-ordered (serial) batches at once fit in the limit.
    const serial = (tag: string) => ({ requests: Array.from({ length: 5 }, (_, i) => post(`${tag}${i}`, tag, i > 0 ? { dependsOn: [`${tag}${i - 1}`] } : {})) });
    const results = await Promise.all(["p", "q", "r", "s"].map((t) => h.graph(token, "POST", "/$batch", serial(t))));
    for (const res of results) expect(res.json.responses.map((x: Json) => x.status)).toEqual([201, 201, 201, 201, 201]);
    const stats = await h.admin("GET", "/stats");
    expect(stats.peakConcurrency).toBe(4);
    expect(stats.batches).toBe(6);
    expect(stats.batchItems).toBe(36);
    expect(stats.throttled).toBe(8);
  } finally {
    await h.admin("POST", "/faults", { latencyMs: 0 });
  }
});

test("a nested $batch item is rejected", async () => {
  const r = await h.graph(token, "POST", "/$batch", { requests: [{ id: "1", method: "POST", url: "/$batch", headers: { "Content-Type": "application/json" }, body: { requests: [] } }] });
  expect(r.json.responses[0].status).toBe(400);
});
