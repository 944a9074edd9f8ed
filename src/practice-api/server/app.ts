// Builds the Fastify app: validation from the contract, body limits, rate limiting, CORS, authentication,
// problem+json errors, and the routes. Logs carry method, route pattern and status, never paths (they
// hold contact ids and mailbox addresses), tokens or contact data.
import cors from "@fastify/cors";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { canRead, canWrite } from "./auth";
import type { ServerContext } from "./context";
import { useGuardedJsonParser } from "./json-body";
import { createLimiter, type Budget } from "./rate-limit";
import { ProblemError, problemBody } from "./problem";
import { registerContactRoutes } from "./routes/contacts";
import { registerDecisionRoutes } from "./routes/decisions";
import { registerDevRoutes } from "./routes/dev";
import { registerFilterRoutes } from "./routes/filters";
import { registerIdentityRoutes } from "./routes/identity";
import { registerLeaseRoutes } from "./routes/leases";
import { registerMetaRoutes } from "./routes/meta";
import { describeErrors } from "./validators";
import { BODY_LIMIT } from "./limits";

export const API_PREFIX = "/api/v1";

export interface RateLimitOptions extends Budget {
  /** Requests per window from one client address, counted before authentication (default 4 × max). */
  perAddressMax?: number;
  /** Failed authentications per window from one address before it is refused outright (default max). */
  failedAuthMax?: number;
}

export interface AppOptions {
  corsOrigins: string[];
  /** `max` is each staff member's (or application's) budget per window. */
  rateLimit: RateLimitOptions | false;
  logger: boolean;
  logStream?: { write(line: string): void };
  devAuth: boolean;
}

function pathOnly(url: string): string {
  const i = url.indexOf("?");
  return i < 0 ? url : url.slice(0, i);
}

/** The route pattern (`/api/v1/contacts/:contactId`), never the path itself. */
function routeOf(req: FastifyRequest): string {
  return req.routeOptions?.url ?? "(no route)";
}

function refuse429(reply: FastifyReply, seconds: number): never {
  reply.header("Retry-After", String(seconds));
  throw new ProblemError(429, "rate-limited", "Slow down and retry after the time in Retry-After.");
}

export async function buildApp(ctx: ServerContext, opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // Fastify's default (100 characters) answers 414 to a real folder key (mailbox + a Graph folder id of
    // ~150 characters). This admits the contract's 512-character key even fully percent-encoded UTF-8
    // (≤ 12 characters each); the route schemas then enforce the contract's own lengths.
    routerOptions: { maxParamLength: 512 * 12 },
    logger: opts.logger
      ? {
          level: "info",
          ...(opts.logStream ? { stream: opts.logStream } : {}),
          // Only what an operator needs: never headers (tokens) or bodies (contact data); no query strings.
          serializers: {
            req: (req: FastifyRequest) => ({ method: req.method, route: routeOf(req), id: req.id }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }
      : false,
  });

  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === "body" ? ctx.validators.forBody : ctx.validators.forParams;
    return ajv.compile(schema);
  });
  // Only JSON bodies: anything else is 415, not a string that fails validation later.
  app.removeContentTypeParser(["text/plain"]);
  useGuardedJsonParser(app);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    let body;
    if (err instanceof ProblemError) body = err.toBody();
    else if (err.validation)
      body = problemBody(400, "invalid-request", {
        detail: `The request's ${err.validationContext ?? "input"} is not valid.`,
        errors: describeErrors(err.validation as never),
      });
    else if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") body = problemBody(413, "payload-too-large");
    else if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") body = problemBody(415, "unsupported-media-type");
    else if (err.code === "FST_ERR_CTP_INVALID_JSON_BODY" || err.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || err instanceof SyntaxError)
      body = problemBody(400, "invalid-json", { detail: "The body is not valid JSON." });
    else if (err.statusCode === 429) body = problemBody(429, "rate-limited", { detail: "Slow down and retry after the time in Retry-After." });
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      body = problemBody(err.statusCode, "invalid-request", { detail: err.message });
    else {
      req.log.error({ errName: err.name, errMessage: err.message, stack: err.stack }, "unhandled error");
      body = problemBody(500, "internal");
    }
    if (body.status === 401) reply.header("WWW-Authenticate", 'Bearer realm="practice-api"');
    reply.code(body.status).type("application/problem+json").send(JSON.stringify(body));
  });

  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .type("application/problem+json")
      .send(JSON.stringify(problemBody(404, "not-found", { detail: `No route ${req.method} ${pathOnly(req.url)}.` })));
  });

  await app.register(cors, {
    origin: opts.corsOrigins,
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
    exposedHeaders: ["ETag", "Location", "Retry-After", "Link"],
    maxAge: 600,
  });
  // @fastify/cors answers a disallowed origin without Access-Control-Allow-Origin but still lists the
  // allowed methods and headers; a caller from another origin learns nothing, not even those.
  app.addHook("onSend", async (_req, reply, payload) => {
    if (reply.hasHeader("access-control-allow-origin")) return payload;
    for (const name of Object.keys(reply.getHeaders())) if (name.startsWith("access-control-")) reply.removeHeader(name);
    return payload;
  });

  // Budgets: every request counts against its client address before anything else runs (a token costs a
  // signature check), and an address that keeps failing authentication is refused outright. Once
  // authenticated, the budget is the staff member's, whatever encoding of the token they send.
  const limits = opts.rateLimit
    ? {
        address: createLimiter({ max: opts.rateLimit.perAddressMax ?? 4 * opts.rateLimit.max, timeWindowMs: opts.rateLimit.timeWindowMs }, ctx.now),
        failedAuth: createLimiter({ max: opts.rateLimit.failedAuthMax ?? opts.rateLimit.max, timeWindowMs: opts.rateLimit.timeWindowMs }, ctx.now),
        staff: createLimiter(opts.rateLimit, ctx.now),
      }
    : undefined;

  app.addHook("onRequest", async (req, reply) => {
    if (!limits || req.method === "OPTIONS") return;
    const wait = limits.failedAuth.spent(req.ip) || limits.address.take(req.ip);
    if (wait) refuse429(reply, wait);
  });

  app.addHook("onRequest", async (req, reply) => {
    if (req.method === "OPTIONS" || req.routeOptions.config?.public || !req.routeOptions.url) return;
    let staff;
    let token;
    try {
      token = await ctx.auth.verify(req.headers.authorization);
      staff = ctx.firms.staffForToken(token);
      if ("refused" in staff) throw new ProblemError(403, "forbidden", staff.refused);
    } catch (e) {
      limits?.failedAuth.take(req.ip);
      throw e;
    }
    const wait = limits?.staff.take(staff.id);
    if (wait) refuse429(reply, wait);
    const write = req.method !== "GET" && req.method !== "HEAD";
    if (!(write ? canWrite(token.scopes) : canRead(token.scopes)))
      throw new ProblemError(403, "insufficient-scope", `This needs the scope ${write ? "Practice.ReadWrite" : "Practice.Read"}.`);
    req.principal = { staff, firmId: staff.firmId, scopes: token.scopes };
  });

  await app.register(
    async (api) => {
      registerMetaRoutes(api);
      if (opts.devAuth) registerDevRoutes(api, ctx);
      registerIdentityRoutes(api, ctx);
      registerFilterRoutes(api, ctx);
      registerContactRoutes(api, ctx);
      registerLeaseRoutes(api, ctx);
      registerDecisionRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
