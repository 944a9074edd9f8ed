// The HTTPS transport: CORS, body limits, the /dev/token and /admin endpoints, fault injection, and
// dispatch of /v1.0 requests (single or $batch) to the runtime.
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { handleAdmin } from "./admin";
import { executeBatch } from "./batch";
import type { EmulatorCore } from "./core";
import { badRequest, GraphError, invalidToken, segmentNotFound } from "./errors";
import type { GraphRequest, GraphResponse } from "./graph-types";
import { publicBase } from "./links";
import { ensureMailbox } from "./mailbox-store";
import { issueToken, verifyAuthorization } from "./tokens";

/** Graph's request-body limit is 4 MB; the admin API takes bigger seeds. */
const GRAPH_BODY_LIMIT = 4 * 1024 * 1024;
const ADMIN_BODY_LIMIT = 64 * 1024 * 1024;
const TOKEN_LIFETIME_SECONDS = 3600;

const EXPOSED_HEADERS = "Retry-After, ETag, Location, request-id, client-request-id, Preference-Applied, Date";
const ALLOWED_HEADERS =
  "Authorization, Content-Type, Prefer, client-request-id, return-client-request-id, SdkVersion, Retry-Attempt, If-Match, Accept, ConsistencyLevel";

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJsonBody(buffer: Buffer): unknown {
  if (buffer.length === 0) return null;
  try {
    return JSON.parse(buffer.toString("utf8"));
  } catch {
    // [O] Graph's wording for an unreadable JSON payload.
    throw badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }
}

export function createRequestListener(core: EmulatorCore, fallbackHost: () => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(core, fallbackHost(), req, res).catch((err) => {
      console.error("mailbox-emulator: request failed", err);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { code: "UnknownError", message: "Internal emulator error." } }));
      }
    });
  };
}

function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

async function handle(core: EmulatorCore, fallbackHost: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  core.stats.countRequest(method);
  const requestId = randomUUID();
  const headers = lowerHeaders(req);
  const clientRequestId = headers["client-request-id"];
  const base = publicBase(req.headers, fallbackHost);
  const url = new URL(req.url ?? "/", "https://emulator.invalid");
  const path = url.pathname;

  const baseHeaders: Record<string, string> = { "request-id": requestId };
  if (clientRequestId) baseHeaders["client-request-id"] = clientRequestId;
  const origin = headers["origin"];
  if (origin) {
    // CORS for a pane calling the emulator directly. Graph itself did not expose Retry-After ([O] docs#17488).
    baseHeaders["Access-Control-Allow-Origin"] = origin;
    baseHeaders["Vary"] = "Origin";
    baseHeaders["Access-Control-Expose-Headers"] = EXPOSED_HEADERS;
  }
  const send = (status: number, extra: Record<string, string>, body?: unknown) => {
    core.stats.countStatus(status);
    const all = { ...baseHeaders, ...extra };
    if (body === undefined) {
      res.writeHead(status, all);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { ...all, "Content-Length": String(Buffer.byteLength(text)) });
    res.end(text);
  };
  const sendGraph = (r: GraphResponse) => {
    const extra = { ...r.headers };
    if (r.body !== undefined && !Object.keys(extra).some((k) => k.toLowerCase() === "content-type")) extra["Content-Type"] = "application/json";
    if (r.body !== undefined) extra["OData-Version"] = "4.0";
    send(r.status, extra, r.body);
  };
  const sendError = (err: GraphError) => sendGraph(core.runtime.errorResponse(err, requestId, clientRequestId));

  if (method === "OPTIONS") {
    send(204, {
      "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE, OPTIONS",
      "Access-Control-Allow-Headers": ALLOWED_HEADERS,
      "Access-Control-Max-Age": "600",
    });
    return;
  }

  const isAdmin = path === "/admin" || path.startsWith("/admin/");
  let raw: Buffer;
  try {
    raw = await readBody(req, isAdmin ? ADMIN_BODY_LIMIT : GRAPH_BODY_LIMIT);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      sendError(new GraphError(413, "RequestEntityTooLarge", "The request body is larger than the maximum allowed size."));
      return;
    }
    throw err;
  }

  let body: unknown;
  try {
    body = parseJsonBody(raw);
  } catch (err) {
    sendError(err as GraphError);
    return;
  }

  if (isAdmin) {
    try {
      const segments = path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
      const result = handleAdmin(core, method, segments, body);
      send(result.status, { "Content-Type": "application/json" }, result.body);
    } catch (err) {
      sendGraph(core.runtime.errorResponse(err, requestId, clientRequestId));
    }
    return;
  }

  if (path === "/dev/token") {
    if (method !== "POST") return sendError(new GraphError(405, "MethodNotAllowed", "Use POST /dev/token."));
    const b = (body ?? {}) as { upn?: unknown; app?: unknown; appId?: unknown; expiresIn?: unknown };
    const app = b.app === true;
    if (!app && (typeof b.upn !== "string" || !/^[^@\s]+@[^@\s]+$/.test(b.upn))) {
      return sendError(badRequest('Send {"upn": "user@domain"} or {"app": true}.'));
    }
    if (b.appId !== undefined && (typeof b.appId !== "string" || b.appId === "")) return sendError(badRequest("appId must be a string."));
    const expiresIn = b.expiresIn === undefined ? TOKEN_LIFETIME_SECONDS : Number(b.expiresIn);
    if (!Number.isFinite(expiresIn)) return sendError(badRequest("expiresIn must be seconds."));
    if (!app) {
      ensureMailbox(core.state, b.upn as string);
      core.changed();
    }
    const token = issueToken(core.state.secret, { upn: b.upn as string | undefined, app, appId: b.appId as string | undefined, expiresInSeconds: expiresIn }, core.now());
    send(200, { "Content-Type": "application/json" }, { token_type: "Bearer", access_token: token, expires_in: expiresIn });
    return;
  }

  if (path === "/" && method === "GET") {
    send(200, { "Content-Type": "application/json" }, { name: "mailbox-emulator", graph: `${base}/v1.0`, admin: `${base}/admin/stats` });
    return;
  }

  const version = /^\/(v1\.0|beta)(\/.*)?$/.exec(path);
  if (!version) return sendError(new GraphError(404, "NotFound", `No such endpoint: ${path}`));
  if (version[1] !== "v1.0") return sendError(segmentNotFound(version[1]!));
  core.stats.graphRequests += 1;

  // Faults come first: they stand for the network or the front end failing.
  const fault = core.faults.next(false);
  if (fault?.kind === "hang") return; // never answered; close() destroys the socket
  if (fault?.kind === "reset" && !fault.after) {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "status" && !fault.after) {
    await core.runtime.latency();
    return sendGraph(core.runtime.faultResponse(fault, requestId, clientRequestId));
  }

  const auth = verifyAuthorization(core.state.secret, headers["authorization"], core.now());
  if (!auth.ok) return sendError(invalidToken(auth.reason));

  const graphPath = version[2] ?? "/";
  const graphBase = `${base}/v1.0`;
  /** The answer, unless a fault set to strike after execution loses it. */
  const answer = (res: GraphResponse) => {
    if (fault?.kind === "reset") req.socket.destroy();
    else if (fault?.kind === "status") sendGraph(core.runtime.faultResponse(fault, requestId, clientRequestId));
    else sendGraph(res);
  };
  if (graphPath === "/$batch") {
    if (method !== "POST") return sendError(new GraphError(405, "BadRequest", "Use POST for $batch."));
    answer(await executeBatch(core.runtime, auth.caller, body, graphBase, requestId, clientRequestId));
    return;
  }
  if ((method === "POST" || method === "PATCH") && raw.length > 0 && !/json/i.test(headers["content-type"] ?? "")) {
    return sendError(new GraphError(415, "UnsupportedMediaType", "The request body must be application/json."));
  }
  const graphReq: GraphRequest = { method, path: graphPath, query: url.searchParams, headers, body };
  answer(await core.runtime.executeSingle(auth.caller, graphReq, graphBase, requestId));
}

/** Starts the HTTPS server; tracks sockets so close() also ends hung and keep-alive connections. */
export async function listen(
  core: EmulatorCore,
  tls: { key: string; cert: string },
  host: string,
  port: number,
): Promise<{ server: https.Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let actualPort = port;
  const hostForLinks = () => `${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  const server = https.createServer({ key: tls.key, cert: tls.cert }, createRequestListener(core, hostForLinks));
  // A TLS socket buffer that holds a whole answer ($batch answers are tens of KB). With the 16 KB default,
  // a keep-alive client that sends its next request the moment an answer arrived can find the socket
  // still "needing drain" (its write callback not yet run on a busy loop); Node's server then pauses the
  // socket mid-request, and the TLS data already read fails as "Parse Error: Paused" (HPE_PAUSED),
  // dropping the request. Graph does not do this. The option Node offers (highWaterMark) reaches only
  // the TCP socket under TLS, so the TLS socket's own state is set.
  server.on("secureConnection", (s: Socket) => {
    const state = (s as unknown as { _writableState?: { highWaterMark?: number } })._writableState;
    if (state && typeof state.highWaterMark === "number") state.highWaterMark = Math.max(state.highWaterMark, 1 << 20);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  actualPort = typeof address === "object" && address ? address.port : port;
  return {
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        core.flush();
      }),
  };
}

