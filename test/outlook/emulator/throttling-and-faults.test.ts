// §12.6 and the fault API: the per-(app, mailbox) window, the concurrency limit, injected
// 429/503/504, latency, hung requests and dropped connections; 401 for bad tokens.
import { startHarness, type Harness } from "./harness";

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness({ rateLimit: { requests: 5, windowMs: 60_000 }, concurrency: 2 });
  token = await h.token({ upn: "throttle@example.test" });
});
afterAll(() => h.close());
beforeEach(() => h.admin("POST", "/reset"));

test("more than N requests in the window for one (app, mailbox) gives 429 ApplicationThrottled with Retry-After", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await h.graph(token, "GET", "/me/contacts")).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  const r = await h.graph(token, "GET", "/me/contacts");
  expect(r.json.error.code).toBe("ApplicationThrottled");
  expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
  // Another mailbox, or another app on the same mailbox, is not affected (THR-L).
  const other = await h.token({ upn: "other@example.test" });
  expect((await h.graph(other, "GET", "/me/contacts")).status).toBe(200);
  const otherApp = await h.token({ upn: "throttle@example.test", appId: "another-app" });
  expect((await h.graph(otherApp, "GET", "/me/contacts")).status).toBe(200);
});

test("more concurrent requests than --concurrency on one mailbox: the excess gets 429", async () => {
  await h.admin("POST", "/faults", { latencyMs: 120 });
  const results = await Promise.all([0, 1, 2].map(() => h.graph(token, "GET", "/me/contacts")));
  const statuses = results.map((r) => r.status).sort();
  expect(statuses).toEqual([200, 200, 429]);
  const limited = results.find((r) => r.status === 429)!;
  expect(limited.json.error.message).toBe("Application is over its MailboxConcurrency limit.");
  const stats = await h.admin("GET", "/stats");
  expect(stats.peakConcurrency).toBe(2);
  expect(stats.throttled).toBe(1);
});

test("injected statuses: 429 with the THR body, 503 and 504, for the next N requests", async () => {
  await h.admin("POST", "/faults", { status: 429, count: 1, retryAfter: 3 });
  const r = await h.graph(token, "GET", "/me/contacts");
  expect(r.status).toBe(429);
  expect(r.headers.get("retry-after")).toBe("3");
  expect(r.json.error.code).toBe("TooManyRequests");
  expect(r.json.error.innerError).toMatchObject({ code: "429", status: "429", message: "Please retry after" });
  await h.admin("POST", "/faults", { status: 503, count: 1 });
  expect((await h.graph(token, "GET", "/me/contacts")).status).toBe(503);
  await h.admin("POST", "/faults", { status: 504, count: 1 });
  expect((await h.graph(token, "GET", "/me/contacts")).status).toBe(504);
  expect((await h.graph(token, "GET", "/me/contacts")).status).toBe(200);
});

test("share: 1 fails every request until cleared", async () => {
  await h.admin("POST", "/faults", { status: 503, share: 1 });
  expect((await h.graph(token, "GET", "/me/contacts")).status).toBe(503);
  expect((await h.graph(token, "GET", "/me/contacts")).status).toBe(503);
  await h.admin("POST", "/faults", { clear: true });
  expect((await h.graph(token, "GET", "/me/contacts")).status).toBe(200);
});

test("latency applies to every Graph request until changed", async () => {
  await h.admin("POST", "/faults", { latencyMs: 150 });
  const t = Date.now();
  await h.graph(token, "GET", "/me/contacts");
  expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  await h.admin("POST", "/faults", { latencyMs: 0 });
});

test("reset drops the connection; hang never answers", async () => {
  await h.admin("POST", "/faults", { reset: true, count: 1 });
  await expect(h.graph(token, "GET", "/me/contacts")).rejects.toThrow();
  await h.admin("POST", "/faults", { hang: true, count: 1 });
  const aborted = h.request("/v1.0/me/contacts", { headers: { Authorization: `Bearer ${token}` } });
  const outcome = await Promise.race([aborted.then(() => "answered"), new Promise((r) => setTimeout(() => r("hung"), 300))]);
  expect(outcome).toBe("hung");
  expect((await h.graph(token, "GET", "/me/contacts")).status).toBe(200);
  void aborted.catch(() => undefined);
});

test("bad fault specs are rejected", async () => {
  const r = await h.request("/admin/faults", { method: "POST", body: { status: 418 } });
  expect(r.status).toBe(400);
});

test("401 InvalidAuthenticationToken for a missing, forged or expired token", async () => {
  const none = await h.request("/v1.0/me/contacts");
  expect(none.status).toBe(401);
  expect(none.json.error.code).toBe("InvalidAuthenticationToken");
  const forged = token.slice(0, -3) + (token.endsWith("AAA") ? "BBB" : "AAA");
  expect((await h.graph(forged, "GET", "/me/contacts")).status).toBe(401);
  const expired = await h.token({ upn: "throttle@example.test", expiresIn: -1 });
  const r = await h.graph(expired, "GET", "/me/contacts");
  expect(r.status).toBe(401);
  expect(r.json.error.message).toMatch(/expired/);
});

test("revokeTokens makes every issued token fail with 401 until a new one is fetched", async () => {
  const t = await h.token({ upn: "revoke@example.test" });
  expect((await h.graph(t, "GET", "/me/contacts")).status).toBe(200);
  await h.admin("POST", "/faults", { revokeTokens: true });
  const r = await h.graph(t, "GET", "/me/contacts");
  expect(r.status).toBe(401);
  expect(r.json.error.code).toBe("InvalidAuthenticationToken");
  const fresh = await h.token({ upn: "revoke@example.test" });
  expect((await h.graph(fresh, "GET", "/me/contacts")).status).toBe(200);
});
