// fetch() for the CLI over node:http and node:https, with one keep-alive agent per scheme: what the
// practice client and the Graph SDK ask of it (a URL or a Request; method, headers, a body of text or
// bytes, an AbortSignal), answered with the runtime's own Response. Not undici: loading it was about
// 35 ms of every run's start (measured on a no-op sync), more than the HTTP of that sync itself.
// Redirects are not followed (neither API redirects): a 3xx comes back as it is. A compressed body
// (only sent if a server ignores our not asking for it) is decoded.
import http from "node:http";
import https from "node:https";
import type { SecureContext } from "node:tls";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

export type FetchLike = typeof globalThis.fetch;

export interface NodeFetch {
  fetch: FetchLike;
  /** Closes the kept-alive connections. */
  close(): void;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

interface Outgoing {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  signal?: AbortSignal;
}

async function outgoing(input: Parameters<FetchLike>[0], init: RequestInit = {}): Promise<Outgoing> {
  const request = typeof input === "string" || input instanceof URL ? null : (input as Request);
  const url = new URL(request ? request.url : String(input));
  const headers = new Headers(request ? request.headers : undefined);
  for (const [k, v] of new Headers(init.headers)) headers.set(k, v);
  let body: Buffer | undefined;
  const raw = init.body ?? (request?.body ? await request.arrayBuffer() : undefined);
  if (raw !== undefined && raw !== null) {
    if (typeof raw === "string") body = Buffer.from(raw);
    else if (raw instanceof ArrayBuffer) body = Buffer.from(raw);
    else if (ArrayBuffer.isView(raw)) body = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    else body = Buffer.from(await new Response(raw as BodyInit).arrayBuffer());
  }
  if (body) headers.set("content-length", String(body.length));
  const signal = init.signal ?? request?.signal ?? undefined;
  return { url, method: (init.method ?? request?.method ?? "GET").toUpperCase(), headers: Object.fromEntries(headers), body, signal };
}

function decode(encoding: string | undefined, body: Buffer): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "":
    case "identity":
      return body;
    case "gzip":
    case "x-gzip":
      return gunzipSync(body);
    case "deflate":
      return inflateSync(body);
    case "br":
      return brotliDecompressSync(body);
    default:
      throw new Error(`unsupported content-encoding "${encoding}"`);
  }
}

/**
 * How long a connection may stay silent while a request waits for its answer, as undici's own default
 * (headersTimeout and bodyTimeout, 300 s): a server that accepts and never answers fails the request
 * as a network error (retried like one) instead of holding the run forever.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

export function createNodeFetch(opts: { secureContext?: SecureContext; idleTimeoutMs?: number } = {}): NodeFetch {
  const idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true, ...(opts.secureContext ? { secureContext: opts.secureContext } : {}) }),
  };
  const fetch = (async (input: Parameters<FetchLike>[0], init?: RequestInit) => {
    const out = await outgoing(input, init);
    const agent = agents[out.url.protocol as keyof typeof agents];
    if (!agent) throw new TypeError(`fetch failed`, { cause: new Error(`unsupported protocol ${out.url.protocol}`) });
    out.signal?.throwIfAborted();
    const send = out.url.protocol === "https:" ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const req = send(out.url, { method: out.method, headers: out.headers, agent, ...(out.signal ? { signal: out.signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => reject(out.signal?.aborted ? out.signal.reason : new TypeError("fetch failed", { cause: err })));
        // An answer cut off midway (aborted, or the connection lost) must not leave the caller waiting.
        res.on("close", () => {
          if (!res.complete) reject(out.signal?.aborted ? out.signal.reason : new TypeError("fetch failed", { cause: new Error("the connection closed before the answer ended") }));
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const headers = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
          let body: Buffer | null = null;
          try {
            if (!NULL_BODY_STATUSES.has(status) && out.method !== "HEAD") body = decode(res.headers["content-encoding"], Buffer.concat(chunks));
          } catch (err) {
            reject(new TypeError("fetch failed", { cause: err }));
            return;
          }
          if (body !== null && res.headers["content-encoding"]) {
            headers.delete("content-encoding");
            headers.delete("content-length");
          }
          // A Buffer is a Uint8Array, which Response takes; the DOM typings do not say so for Node's Buffer.
          resolve(new Response(body as unknown as BodyInit | null, { status, statusText: res.statusMessage ?? "", headers }));
        });
      });
      req.on("error", (err) => reject(out.signal?.aborted ? out.signal.reason : new TypeError("fetch failed", { cause: err })));
      req.setTimeout(idleTimeoutMs, () => req.destroy(new Error(`no answer for ${Math.round(idleTimeoutMs / 1000)} s`)));
      req.end(out.body);
    });
  }) as FetchLike;
  return {
    fetch,
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
