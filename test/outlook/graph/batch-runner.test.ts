// The $batch runner without a server: a scripted Graph answers envelopes the way the docs allow
// (items in any order, ids in another case, Retry-After as an HTTP date inside an item).
import { runBatched } from "../../../src/outlook/graph/batch-runner";
import { createGraphTransport } from "../../../src/outlook/graph/graph-transport";
import { Semaphore } from "../../../src/outlook/graph/middleware/concurrency-limiter";

interface SentItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  dependsOn?: string[];
}

function graph(answer: (items: SentItem[], call: number) => Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }>) {
  const sent: SentItem[][] = [];
  const fetchImpl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const items = (JSON.parse(String(init?.body)) as { requests: SentItem[] }).requests;
    sent.push(items);
    return new Response(JSON.stringify({ responses: answer(items, sent.length) }), { status: 200, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
  const waits: number[] = [];
  const t = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: fetchImpl, sleep: async (ms) => void waits.push(ms), random: () => 0 });
  return { t, sent, waits };
}

const ops = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ method: "PATCH" as const, url: `/me/contacts/c${i}`, body: { n: i }, onSuccess: (_s: number, b: unknown) => b }));

describe("runBatched", () => {
  it("correlates answers by id, whatever their order and case; chains items and marks each immutable-id", async () => {
    const { t, sent } = graph((items) => [...items].reverse().map((it) => ({ id: it.id.toUpperCase(), status: 200, body: { echo: it.url } })));
    const results = await runBatched(t, ops(3), { serial: true });
    expect(results).toEqual([0, 1, 2].map((i) => ({ ok: true, value: { echo: `/me/contacts/c${i}` } })));
    expect(sent[0].map((i) => i.dependsOn)).toEqual([undefined, ["1"], ["2"]]);
    expect(sent[0].every((i) => i.headers.Prefer === 'IdType="ImmutableId"' && i.headers["Content-Type"] === "application/json")).toBe(true);
  });

  it("splits into batches of 20 and retries throttled items after the longest Retry-After, an HTTP date too", async () => {
    const soon = new Date(Date.now() + 4000).toUTCString();
    const { t, sent, waits } = graph((items, call) =>
      items.map((it, k) =>
        call <= 2 && k === 0
          ? { id: it.id, status: 429, headers: { "retry-after": call === 1 ? "2" : soon }, body: { error: { code: "TooManyRequests", message: "later" } } }
          : call <= 2
            ? { id: it.id, status: 424, body: { error: { code: "FailedDependency", message: "dep" } } }
            : { id: it.id, status: 201, body: {} },
      ),
    );
    const results = await runBatched(t, ops(25), { serial: true });
    expect(results.every((r) => r.ok)).toBe(true);
    // Both batches are sent again after one wait at the transport's gate (in either order).
    expect(sent.map((b) => b.length).slice(0, 2)).toEqual([20, 5]);
    expect(sent.map((b) => b.length).slice(2).sort((a, b) => a - b)).toEqual([5, 20]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(2000); // the HTTP date, about 4 s away, is the longer wait
  });

  it("waits out a Retry-After of a whole budget window (beyond the SDK's 180 s cap) and tells the caller when it resumes", async () => {
    const { t, sent, waits } = graph((items, call) =>
      items.map((it, k) =>
        call === 1 && k === 0
          ? { id: it.id, status: 429, headers: { "Retry-After": "540" }, body: { error: { code: "ApplicationThrottled", message: "over its limit" } } }
          : call === 1
            ? { id: it.id, status: 424, body: { error: { code: "FailedDependency", message: "dep" } } }
            : { id: it.id, status: 201, body: {} },
      ),
    );
    const told: string[] = [];
    const before = Date.now();
    const results = await runBatched(t, ops(3), { serial: true }, { onWaiting: (at) => told.push(at) });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sent).toHaveLength(2);
    expect(waits).toEqual([540_000]);
    expect(told).toHaveLength(1);
    const resumeAt = Date.parse(told[0]);
    expect(resumeAt - before).toBeGreaterThanOrEqual(539_000); // the gate's clock started with the transport
    expect(resumeAt - before).toBeLessThan(545_000);
  });

  it("fails items at once, as throttled, when Retry-After is longer than maxWaitMs (no wait, no retry)", async () => {
    const sent: unknown[] = [];
    const waits: number[] = [];
    const t = createGraphTransport({
      graphUrl: "https://g.example/v1.0",
      getToken: async () => "t",
      maxWaitMs: 60_000,
      sleep: async (ms) => void waits.push(ms),
      fetch: (async (_i: RequestInfo | URL, init?: RequestInit) => {
        const items = (JSON.parse(String(init?.body)) as { requests: SentItem[] }).requests;
        sent.push(items);
        const responses = items.map((it) => ({ id: it.id, status: 429, headers: { "Retry-After": "3600" }, body: { error: { code: "ApplicationThrottled", message: "over" } } }));
        return new Response(JSON.stringify({ responses }), { status: 200, headers: { "Content-Type": "application/json" } });
      }) as typeof fetch,
    });
    const results = await runBatched(t, ops(2), { serial: false });
    expect(sent).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(results.every((r) => !r.ok && r.error.code === "throttled" && /longer than the 60 s allowed/.test(r.error.message))).toBe(true);
  });

  it("fails only the items Graph refused, with Graph's message", async () => {
    const { t } = graph((items) =>
      items.map((it, k) => (k === 1 ? { id: it.id, status: 404, body: { error: { code: "ErrorItemNotFound", message: "The specified object was not found in the store." } } } : { id: it.id, status: 200, body: {} })),
    );
    const results = await runBatched(t, ops(3), { serial: false });
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(!results[1].ok && results[1].error).toEqual({
      code: "not_found",
      message: "Outlook answered 404 ErrorItemNotFound: The specified object was not found in the store.",
      retryable: false,
    });
  });

  it("gives up after maxRetries rounds without progress, keeping each item's last failure", async () => {
    const { t, waits } = graph((items) => items.map((it) => ({ id: it.id, status: 503, body: { error: { code: "ServiceUnavailable", message: "busy" } } })));
    const results = await runBatched(t, ops(2), { serial: false });
    expect(results.every((r) => !r.ok && r.error.code === "unavailable" && r.error.retryable)).toBe(true);
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000]); // no Retry-After: backoff, maxRetries = 5
  });

  it("hands its answers back on a later turn of the event loop, after the I/O already due", async () => {
    // A pipelined caller's next request takes the slot these answers free, but its socket write needs
    // a turn of the event loop; the caller's own work on the answers (journal, cache commit) must not
    // run before it (docs/benchmarks/sync.md). Here the due I/O is stood for by a setImmediate queued
    // as the last answer is read.
    const order: string[] = [];
    const fetchImpl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      const items = (JSON.parse(String(init?.body)) as { requests: SentItem[] }).requests;
      await new Promise((r) => setTimeout(r, 5));
      setImmediate(() => order.push("queued request written"));
      return new Response(JSON.stringify({ responses: items.map((it) => ({ id: it.id, status: 200, body: {} })) }), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    }) as typeof fetch;
    const t = createGraphTransport({ graphUrl: "https://g.example/v1.0", getToken: async () => "t", fetch: fetchImpl, semaphore: new Semaphore(4) });
    const results = await runBatched(t, ops(3), { serial: true });
    order.push("caller resumed");
    expect(results.every((r) => r.ok)).toBe(true);
    expect(order).toEqual(["queued request written", "caller resumed"]);
  });

  it("fails every item of an envelope that never got an answer", async () => {
    const t = createGraphTransport({
      graphUrl: "https://g.example/v1.0",
      getToken: async () => "t",
      fetch: (async () => new Response("not json", { status: 200, headers: { "Content-Type": "text/plain" } })) as typeof fetch,
    });
    const results = await runBatched(t, ops(2), { serial: true });
    expect(results.map((r) => !r.ok && r.error.code)).toEqual(["unavailable", "unavailable"]);
  });
});
