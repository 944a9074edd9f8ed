// Sends many Graph requests as JSON batches (research/graph-contacts.md §5): at most 20 per batch,
// at most `maxConcurrency` batches in flight, Prefer: IdType="ImmutableId" on every item (§8), and
// per-item retries of 429/503/504 after the item's own Retry-After, which the SDK does not do (§5,
// §10). Each item ends with its own WriteResult, in request order: a failed item fails only its
// contact (R19).
import type { CallOptions, WriteResult } from "../../sync/ports";
import type { GraphFailure } from "./graph-errors";
import { describeFailure, failureFromBody, writeErrorFrom } from "./graph-errors";
import type { GraphTransport } from "./graph-transport";
import { PREFER_IMMUTABLE_ID } from "./graph-transport";
import { RETRYABLE_STATUSES, parseRetryAfter, retryDelayMs } from "./retry-delay";
import { ConcurrencyWeight } from "./middleware/concurrency-limiter";
import { NoBlindRetryOption } from "./middleware/retry-middleware";
import { nextTurn } from "./next-turn";

/** Items Outlook runs at once from one unordered batch (research/graph-contacts.md §5). */
const UNORDERED_LANES = 4;

export const MAX_BATCH_ITEMS = 20;

export interface BatchOp<T> {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Relative to graphUrl, e.g. "/me/contactFolders/{id}/contacts". */
  url: string;
  body?: unknown;
  /** Turns a 2xx item response into the result; may throw to fail the item. */
  onSuccess: (status: number, body: unknown) => T;
}

export interface BatchOptions {
  /**
   * Chain each batch's items with dependsOn. Graph then runs them one at a time against the mailbox,
   * so four batches can be in flight within Outlook's 4-concurrent limit; unordered items run 4 at a
   * time per batch, so such a batch takes four slots (§5 "Outlook concurrency in batch"). Unordered
   * suits reads: with a chain, one failed item would hold back the rest (424).
   */
  serial: boolean;
  /**
   * The items must not be sent twice blind (creates: a repeat makes a second contact). An item whose
   * outcome is unknown (504 or another 5xx than 503, or a batch that got no answer) is then not retried:
   * it fails as "unavailable" and its index is added here, for the caller to look up what landed
   * (research/graph-checks.md row 8: a gateway timeout says nothing about whether upstream committed).
   */
  uncertain?: Set<number>;
}

/** Statuses after which a create may or may not have happened upstream ([D] ERR 504; [I] row 8). */
function outcomeUnknown(status: number): boolean {
  return status === 0 || (status >= 500 && status !== 503);
}



interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : String(headers[key]);
}

function readEnvelope(raw: unknown): Map<string, BatchItemResponse> {
  if (!raw || typeof raw !== "object" || !Array.isArray((raw as { responses?: unknown }).responses)) {
    throw new Error('the $batch answer has no "responses" array');
  }
  const out = new Map<string, BatchItemResponse>();
  for (const r of (raw as { responses: unknown[] }).responses) {
    if (!r || typeof r !== "object") continue;
    const rec = r as Record<string, unknown>;
    if (typeof rec.id !== "string" || typeof rec.status !== "number") continue;
    // Item responses may come in any order; ids are case-insensitive (§5).
    out.set(rec.id.toLowerCase(), {
      id: rec.id,
      status: rec.status,
      headers: rec.headers && typeof rec.headers === "object" ? (rec.headers as Record<string, string>) : {},
      body: rec.body,
    });
  }
  return out;
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await task(item);
    }
  });
  await Promise.all(workers);
}

export async function runBatched<T>(
  t: GraphTransport,
  ops: BatchOp<T>[],
  options: BatchOptions,
  call: CallOptions = {},
): Promise<WriteResult<T>[]> {
  const results: Array<WriteResult<T> | undefined> = new Array(ops.length);
  /** Why each item still waiting was last sent back: what it fails with if we give up. */
  const lastFailure = new Map<number, GraphFailure>();
  let pending = ops.map((_, i) => i);
  let done = 0;
  // Retries are bounded per stall, not per item: in a chain only the head is throttled while the
  // rest wait (424), so a per-item count would punish whichever item happens to lead. A round that
  // finishes nothing is a stall; maxRetries stalls in a row end the run for the items left.
  let stalls = 0;

  const finish = (idx: number, result: WriteResult<T>) => {
    results[idx] = result;
    lastFailure.delete(idx);
    done++;
  };
  const fail = (idx: number, f: GraphFailure) => finish(idx, { ok: false, error: writeErrorFrom(f) });

  // Waits the service asks for are announced to the caller (SyncProgress "waiting").
  const unlisten = t.gate.listen(call.onWaiting);
  try {
    await runRounds();
  } finally {
    unlisten();
  }
  for (const idx of pending) fail(idx, lastFailure.get(idx) ?? { status: 0, code: "", message: "not attempted" });
  // The last answers freed in-flight slots, and requests queued behind them (the caller's next call,
  // pipelined) take them in promise continuations that still have to write to the socket. Handing the
  // results back on the next turn lets those writes go first; otherwise the caller's work on the
  // results (journal, cache commit, mapping) ran before them and every round trip grew by that much
  // (measured: 118 → 109 ms per round of four $batch at 100 ms latency, docs/benchmarks/sync.md).
  await nextTurn();
  return results as WriteResult<T>[];

  async function runRounds(): Promise<void> {
    while (pending.length) {
      call.signal?.throwIfAborted();
      const chunks: number[][] = [];
      for (let i = 0; i < pending.length; i += MAX_BATCH_ITEMS) chunks.push(pending.slice(i, i + MAX_BATCH_ITEMS));
      const again: number[] = [];
      const doneBefore = done;
      /** A throttled item came back without a Retry-After: back off before the next round. */
      let backOff = false;

      await pool(chunks, t.maxConcurrency, async (chunk) => {
        const requests = chunk.map((idx, k) => {
          const op = ops[idx];
          const headers: Record<string, string> = { Prefer: PREFER_IMMUTABLE_ID };
          if (op.body !== undefined) headers["Content-Type"] = "application/json"; // required with a body (§5)
          return {
            id: String(k + 1),
            method: op.method,
            url: op.url,
            headers,
            ...(op.body !== undefined ? { body: op.body } : {}),
            ...(options.serial && k > 0 ? { dependsOn: [String(k)] } : {}),
          };
        });
        let envelope: Map<string, BatchItemResponse>;
        try {
          const slots = options.serial ? 1 : Math.min(UNORDERED_LANES, requests.length);
          const req = t.client
            .api("/$batch")
            .header("Prefer", PREFER_IMMUTABLE_ID)
            .header("Content-Type", "application/json")
            .middlewareOptions(options.uncertain ? [new ConcurrencyWeight(slots), new NoBlindRetryOption()] : [new ConcurrencyWeight(slots)]);
          if (call.signal) req.option("signal", call.signal);
          envelope = readEnvelope(await req.post({ requests }));
        } catch (err) {
          call.signal?.throwIfAborted();
          // The envelope failed after the transport's retries: nothing in it is known to have happened.
          const f = err instanceof Error && err.message.startsWith("the $batch") ? { status: 0, code: "", message: err.message } : describeFailure(err);
          for (const idx of chunk) {
            if (options.uncertain && outcomeUnknown(f.status)) options.uncertain.add(idx);
            fail(idx, f);
          }
          return;
        }
        chunk.forEach((idx, k) => {
          const r = envelope.get(String(k + 1));
          if (!r) {
            fail(idx, { status: 0, code: "", message: "the $batch answer has no response for this item" });
            return;
          }
          if (r.status >= 200 && r.status < 300) {
            try {
              finish(idx, { ok: true, value: ops[idx].onSuccess(r.status, r.body) });
            } catch (err) {
              finish(idx, { ok: false, error: { code: "unknown", message: err instanceof Error ? err.message : String(err), retryable: false } });
            }
          } else if (r.status === 424) {
            // Not attempted: an earlier item of the chain failed. Sent again in the next round.
            again.push(idx);
            if (!lastFailure.has(idx)) lastFailure.set(idx, failureFromBody(r.status, r.body));
          } else if (options.uncertain && outcomeUnknown(r.status)) {
            options.uncertain.add(idx);
            fail(idx, failureFromBody(r.status, r.body));
          } else if (RETRYABLE_STATUSES.has(r.status)) {
            const failure = failureFromBody(r.status, r.body);
            // Throttled items are retried once their Retry-After has passed (§5, §6): the gate holds every
            // request of the transport until then, since a request sent early is refused and still counts.
            const wait = parseRetryAfter(headerValue(r.headers, "Retry-After"), Date.now(), Number.POSITIVE_INFINITY);
            if (wait !== undefined && !t.gate.hold(wait)) {
              const until = new Date(Date.now() + wait).toISOString();
              fail(idx, { ...failure, message: `${failure.message} (asked to wait until ${until}, longer than the ${Math.round(t.gate.maxWaitMs / 1000)} s allowed)` });
              return;
            }
            again.push(idx);
            lastFailure.set(idx, failure);
            if (wait === undefined) backOff = true;
          } else {
            fail(idx, failureFromBody(r.status, r.body));
          }
        });
      });

      call.onProgress?.(done, ops.length);
      pending = again.sort((a, b) => a - b);
      if (!pending.length) break;
      stalls = done > doneBefore ? 0 : stalls + 1;
      if (stalls > t.maxRetries) break;
      if (backOff) await t.sleep(retryDelayMs(undefined, Math.max(1, stalls), t.random), call.signal);
    }
  }
}
