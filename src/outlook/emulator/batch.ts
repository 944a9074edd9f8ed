// JSON batching (BATCH, THR, THR-L): POST /v1.0/$batch with at most 20 requests, unique
// case-insensitive ids, relative urls, Content-Type with every body, dependsOn in the three allowed
// patterns (424 when a dependency failed). Items are throttled one by one: a throttled item gets 429
// with Retry-After in its own headers while the envelope stays 200. Outlook runs unordered items 4 at
// a time and dependsOn-ordered items one at a time (THR-L), so a batch holds that many concurrency
// slots on each mailbox it touches for its duration; items beyond the free slots are throttled.
import { applicationThrottled, badRequest, GraphError } from "./errors";
import type { Caller, GraphRequest, GraphResponse, RoutedRequest } from "./graph-types";
import type { Runtime } from "./runtime";

const MAX_ITEMS = 20;
const PARALLEL_LANES = 4;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

function parseItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw badRequest("Invalid batch payload format: 'requests' must be an array.");
  if (requests.length === 0) throw badRequest("Invalid batch payload format: 'requests' is empty.");
  // BATCH: at most 20 requests per batch.
  if (requests.length > MAX_ITEMS) throw badRequest(`The number of batch requests (${requests.length}) exceeds the maximum of ${MAX_ITEMS}.`);
  const seen = new Set<string>();
  const items = requests.map((raw, index): BatchItem => {
    if (typeof raw !== "object" || raw === null) throw badRequest(`Batch request ${index} is not an object.`);
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== "string" || r.id === "") throw badRequest(`Batch request ${index} needs a string id.`);
    if (typeof r.method !== "string" || !/^(GET|POST|PATCH|PUT|DELETE)$/i.test(r.method)) throw badRequest(`Batch request ${r.id} has an invalid method.`);
    if (typeof r.url !== "string" || r.url === "") throw badRequest(`Batch request ${r.id} needs a url.`);
    if (/^[a-z][a-z0-9+.-]*:/i.test(r.url)) throw badRequest(`Batch request ${r.id}: the url must be relative, e.g. /me/contacts.`);
    // BATCH: ids are case-insensitive and must be unique, or the whole batch fails with 400.
    const key = r.id.toLowerCase();
    if (seen.has(key)) throw badRequest(`Batch request ids must be unique (case-insensitive): '${r.id}' is repeated.`);
    seen.add(key);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined && r.headers !== null) {
      if (typeof r.headers !== "object") throw badRequest(`Batch request ${r.id}: headers must be an object.`);
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && r.body !== null && !headers["content-type"]) {
      // BATCH known issues: a body needs a Content-Type header.
      throw badRequest(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
    let dependsOn: string[] = [];
    if (r.dependsOn !== undefined) {
      if (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== "string")) throw badRequest(`Batch request ${r.id}: dependsOn must be an array of ids.`);
      dependsOn = (r.dependsOn as string[]).map((d) => d.toLowerCase());
    }
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn };
  });
  checkDependencyPattern(items);
  return items;
}

/** BATCH known issues: only all-parallel, a serial chain, or everything depending on one request. */
function checkDependencyPattern(items: BatchItem[]): void {
  const ids = new Set(items.map((i) => i.id.toLowerCase()));
  for (const item of items) {
    for (const d of item.dependsOn) if (!ids.has(d)) throw badRequest(`Batch request ${item.id} depends on unknown request '${d}'.`);
  }
  if (items.every((i) => i.dependsOn.length === 0)) return;
  const first = items[0]!;
  const serial = first.dependsOn.length === 0 && items.slice(1).every((it, i) => it.dependsOn.length === 1 && it.dependsOn[0] === items[i]!.id.toLowerCase());
  const same = first.dependsOn.length === 0 && items.slice(1).every((it) => it.dependsOn.length === 1 && it.dependsOn[0] === first.id.toLowerCase());
  if (!serial && !same) throw badRequest("dependsOn must make the batch all parallel, a serial chain, or depend on one and the same request.");
}

/**
 * The SDK's BatchRequestContent strips only scheme and host, so its urls start with "/v1.0/" (SDK
 * BatchRequestContent.ts). Graph evidently accepts that (the SDK is used against it), so a leading
 * version segment is dropped [O].
 */
function toGraphRequest(item: BatchItem): GraphRequest {
  const relative = item.url.startsWith("/") ? item.url : `/${item.url}`;
  const url = new URL(relative.replace(/^\/v1\.0(?=\/)/i, ""), "https://batch.invalid");
  let body = item.body ?? null;
  if (typeof body === "string" && /json/i.test(item.headers["content-type"] ?? "")) {
    try {
      body = JSON.parse(body);
    } catch {
      throw badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }
  }
  return { method: item.method, path: url.pathname, query: url.searchParams, headers: item.headers, body };
}

interface Prepared {
  item: BatchItem;
  routed?: RoutedRequest;
  error?: unknown;
  lane: number;
}

/** Per-item response: Graph's item headers, with the exact "Content-Type" key the SDK reads (SDK BatchResponseContent). */
function itemResponse(id: string, res: GraphResponse): Record<string, unknown> {
  const headers: Record<string, string> = { "Cache-Control": "no-cache", "x-ms-resource-unit": "1" };
  for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase() === "content-type" ? "Content-Type" : k] = v;
  if (res.body !== undefined) headers["OData-Version"] = "4.0";
  const out: Record<string, unknown> = { id, status: res.status, headers };
  if (res.body !== undefined) out.body = res.body;
  return out;
}

export async function executeBatch(runtime: Runtime, caller: Caller, envelope: unknown, graphBase: string, requestId: string, clientRequestId?: string): Promise<GraphResponse> {
  const { stats, throttle, faults } = runtime.deps;
  let items: BatchItem[];
  try {
    items = parseItems(envelope);
  } catch (err) {
    return runtime.errorResponse(err, requestId, clientRequestId);
  }
  stats.batches += 1;
  stats.batchItems += items.length;
  const serial = items.some((i) => i.dependsOn.length > 0);
  const laneCount = serial ? 1 : PARALLEL_LANES;
  const prepared: Prepared[] = items.map((item, index) => {
    const lane = index % laneCount;
    try {
      const req = toGraphRequest(item);
      if (req.path.toLowerCase() === "/$batch") throw badRequest("Nested batch requests are not supported.");
      return { item, lane, routed: runtime.route(caller, req, graphBase) };
    } catch (err) {
      return { item, lane, error: err };
    }
  });

  // Concurrency: each lane that touches a mailbox needs a slot on it for the whole batch.
  const held = new Map<string, number>();
  const laneAllowed = new Map<string, Set<number>>();
  for (const p of prepared) {
    const mb = p.routed?.mailbox;
    if (!mb) continue;
    let lanes = laneAllowed.get(mb.id);
    if (!lanes) {
      const wantedLanes = [...new Set(prepared.filter((q) => q.routed?.mailbox?.id === mb.id).map((q) => q.lane))];
      const granted = throttle.acquire(mb.id, wantedLanes.length);
      held.set(mb.id, granted);
      lanes = new Set(wantedLanes.slice(0, granted));
      laneAllowed.set(mb.id, lanes);
    }
  }
  try {
    await runtime.latency();
    const results = new Map<string, GraphResponse>();
    const order = [...prepared].sort((a, b) => a.lane - b.lane);
    for (const p of order) {
      results.set(p.item.id.toLowerCase(), runItem(runtime, caller, p, results, laneAllowed, requestId, clientRequestId));
    }
    // BATCH: responses may come in any order; we answer lane by lane, not in request order.
    const responses = order.map((p) => itemResponse(p.item.id, results.get(p.item.id.toLowerCase())!));
    return { status: 200, headers: { "Content-Type": "application/json" }, body: { responses } };
  } finally {
    for (const [mailboxId, slots] of held) throttle.release(mailboxId, slots);
  }

  function runItem(
    rt: Runtime,
    who: Caller,
    p: Prepared,
    done: Map<string, GraphResponse>,
    allowed: Map<string, Set<number>>,
    reqId: string,
    clientReqId: string | undefined,
  ): GraphResponse {
    const failedDependency = p.item.dependsOn.find((d) => {
      const r = done.get(d);
      return !r || r.status >= 400;
    });
    if (failedDependency !== undefined) {
      return rt.errorResponse(new GraphError(424, "FailedDependency", `The request depends on request '${failedDependency}', which failed.`), reqId, clientReqId);
    }
    if (p.error || !p.routed) return rt.errorResponse(p.error, reqId, clientReqId);
    const mailbox = p.routed.mailbox;
    if (mailbox) {
      const overRate = rt.admit(who, mailbox);
      if (overRate) return rt.errorResponse(overRate, reqId, clientReqId);
      if (!allowed.get(mailbox.id)?.has(p.lane)) {
        rt.deps.stats.throttled += 1;
        return rt.errorResponse(applicationThrottled(1), reqId, clientReqId);
      }
    }
    const fault = faults.next(true);
    if (fault?.kind === "status" && !fault.after) return rt.faultResponse(fault, reqId, clientReqId);
    const res = rt.safeRun(p.routed, reqId, clientReqId);
    return fault?.kind === "status" ? rt.faultResponse(fault, reqId, clientReqId) : res;
  }
}
