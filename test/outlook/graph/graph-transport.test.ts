// The middleware chain without a server: a scripted fetch stands in for the network.
import { createGraphTransport, mailboxPath, splitGraphUrl } from "../../../src/outlook/graph/graph-transport";
import { ConcurrencyWeight, Semaphore } from "../../../src/outlook/graph/middleware/concurrency-limiter";

type Call = { url: string; method: string; auth: string | null; attempt: string | null };

function scripted(answers: Array<(call: Call) => Response | Error>) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const call = { url: String(input), method: init?.method ?? "GET", auth: headers.get("authorization"), attempt: headers.get("retry-attempt") };
    calls.push(call);
    const next = answers.length > 1 ? answers.shift()! : answers[0];
    const out = next(call);
    if (out instanceof Error) throw out;
    return out;
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

describe("graphUrl", () => {
  it("splits the version off and accepts a proxy path", () => {
    expect(splitGraphUrl("https://graph.microsoft.com/v1.0")).toEqual({ root: "https://graph.microsoft.com/v1.0", baseUrl: "https://graph.microsoft.com", version: "v1.0" });
    expect(splitGraphUrl("http://127.0.0.1:3000/graph/v1.0/").baseUrl).toBe("http://127.0.0.1:3000/graph");
  });

  it.each(["graph.microsoft.com/v1.0", "https://graph.microsoft.com", "https://graph.microsoft.com/v1.0?x=1"])("rejects %s with a clear message", (url) => {
    expect(() => splitGraphUrl(url)).toThrow(/graphUrl/);
  });

  it("addresses the own or a shared mailbox", () => {
    expect(mailboxPath("me")).toBe("/me");
    expect(mailboxPath("contacts@harbour.example")).toBe("/users/contacts%40harbour.example");
    expect(() => mailboxPath(" ")).toThrow(/mailbox/);
  });
});

describe("middleware chain", () => {
  it("attaches the bearer token under graphUrl only, over http too", async () => {
    const { calls, fetchImpl } = scripted([() => json(200, { ok: 1 })]);
    const t = createGraphTransport({ graphUrl: "http://127.0.0.1:3000/graph/v1.0", getToken: async () => "T1", fetch: fetchImpl });
    await t.client.api("/me").get();
    await t.client.api("https://elsewhere.example/v1.0/me").get();
    expect(calls.map((c) => [c.url, c.auth])).toEqual([
      ["http://127.0.0.1:3000/graph/v1.0/me", "Bearer T1"],
      ["https://elsewhere.example/v1.0/me", null],
    ]);
    expect(t.relative("http://127.0.0.1:3000/graph/v1.0/me/x?$skiptoken=a")).toBe("/me/x?$skiptoken=a");
    expect(t.relative("http://127.0.0.1:3000/other/v1.0/me")).toBeNull();
  });

  it("asks for a fresh token once after a 401", async () => {
    const { calls, fetchImpl } = scripted([() => json(401, { error: { code: "InvalidAuthenticationToken", message: "expired" } }), () => json(200, {})]);
    const tokens = ["old", "new"];
    const t = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => tokens.shift() ?? "none", fetch: fetchImpl });
    await t.client.api("/me").get();
    expect(calls.map((c) => c.auth)).toEqual(["Bearer old", "Bearer new"]);
  });

  it("retries a GET after a dropped connection but never re-sends a POST", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const drop = () => new TypeError("fetch failed: socket hang up");
    const get = scripted([drop, () => json(200, { ok: true })]);
    const t = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: get.fetchImpl, sleep, random: () => 0 });
    expect(await t.client.api("/me").get()).toEqual({ ok: true });
    expect(get.calls.map((c) => c.attempt)).toEqual([null, "1"]);
    expect(waits).toEqual([500]);

    const post = scripted([drop, () => json(200, {})]);
    const t2 = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: post.fetchImpl, sleep });
    await expect(t2.client.api("/$batch").post({ requests: [] })).rejects.toThrow(/socket hang up/);
    expect(post.calls).toHaveLength(1);
  });

  it("retries 429/503/504 up to maxRetries, honouring Retry-After", async () => {
    const waits: number[] = [];
    const { calls, fetchImpl } = scripted([
      () => json(429, { error: { code: "TooManyRequests", message: "slow down" } }, { "Retry-After": "3" }),
      () => json(503, { error: { code: "ServiceUnavailable", message: "busy" } }, { "Retry-After": "1" }),
      () => json(504, { error: { code: "GatewayTimeout", message: "late" } }),
    ]);
    const t = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: fetchImpl, sleep: async (ms) => void waits.push(ms), maxRetries: 3, random: () => 1 });
    const err = await t.client.api("/me").get().catch((e: unknown) => e);
    expect((err as { statusCode: number }).statusCode).toBe(504);
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([3000, 1000, 4000]);
    expect(t.stats()).toMatchObject({ requests: 4, retries: 3 });
  });

  it("waits out a 429 budget window in full (no 180 s cap) once, and gives a Retry-After beyond maxWaitMs back at once", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const long = scripted([() => json(429, { error: { code: "ApplicationThrottled", message: "over its limit" } }, { "Retry-After": "590" }), () => json(200, { ok: 1 })]);
    const t = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: long.fetchImpl, sleep });
    const told: string[] = [];
    const stop = t.gate.listen((at) => told.push(at));
    await expect(t.client.api("/me").get()).resolves.toEqual({ ok: 1 });
    stop();
    expect(waits).toEqual([590_000]);
    expect(told).toHaveLength(1);

    waits.length = 0;
    const tooLong = scripted([() => json(429, { error: { code: "ApplicationThrottled", message: "over its limit" } }, { "Retry-After": "3600" }), () => json(200, {})]);
    const t2 = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: tooLong.fetchImpl, sleep, maxWaitMs: 900_000 });
    const err = await t2.client.api("/me").get().catch((e: unknown) => e);
    expect((err as { statusCode: number }).statusCode).toBe(429);
    expect(tooLong.calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("keeps the in-flight weight within the limit (an unordered batch weighs 4)", async () => {
    let inFlight = 0;
    let peak = 0;
    const fetchImpl = (async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return json(200, {});
    }) as typeof fetch;
    const t = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: fetchImpl });
    await Promise.all(Array.from({ length: 12 }, () => t.client.api("/me").get()));
    expect(peak).toBe(4);
    peak = 0;
    await Promise.all(Array.from({ length: 3 }, () => t.client.api("/$batch").middlewareOptions([new ConcurrencyWeight(4)]).post({})));
    expect(peak).toBe(1);
  });
});

describe("Semaphore", () => {
  it("serves waiters in order and never exceeds the limit", async () => {
    const s = new Semaphore(4);
    const order: string[] = [];
    await s.acquire(3);
    const big = s.acquire(4).then(() => order.push("big"));
    const small = s.acquire(1).then(() => order.push("small")); // waits behind big: FIFO
    await Promise.resolve();
    expect(order).toEqual([]);
    s.release(3);
    await big;
    expect(order).toEqual(["big"]);
    s.release(4);
    await small;
    expect(order).toEqual(["big", "small"]);
    expect(s.peak).toBe(4);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
