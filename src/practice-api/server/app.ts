// Builds the Fastify app: validation from the contract, body limits, rate limiting, CORS, authentication,
// problem+json errors, and the routes. Logs carry method, path and status, never tokens or contact data.
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import { createHash } from "node:crypto";
import { canRead, canWrite } from "./auth";
import type { ServerContext } from "./context";
import { ProblemError, problemBody } from "./problem";
import { registerContactRoutes } from "./routes/contacts";
import { registerDevRoutes } from "./routes/dev";
import { registerFilterRoutes } from "./routes/filters";
import { registerIdentityRoutes } from "./routes/identity";
import { registerLeaseRoutes } from "./routes/leases";
import { registerMetaRoutes } from "./routes/meta";
import { describeErrors } from "./validators";
import { BODY_LIMIT } from "./limits";

export const API_PREFIX = "/api/v1";

export interface AppOptions {
  corsOrigins: string[];
  rateLimit: { max: number; timeWindowMs: number } | false;
  logger: boolean;
  logStream?: { write(line: string): void };
  devAuth: boolean;
}

function pathOnly(url: string): string {
  const i = url.indexOf("?");
  return i < 0 ? url : url.slice(0, i);
}

export async function buildApp(ctx: ServerContext, opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: opts.logger
      ? {
          level: "info",
          ...(opts.logStream ? { stream: opts.logStream } : {}),
          // Only what an operator needs: never headers (tokens) or bodies (contact data); no query strings.
          serializers: {
            req: (req: FastifyRequest) => ({ method: req.method, path: pathOnly(req.url), id: req.id }),
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
    exposedHeaders: ["ETag", "Location", "Retry-After"],
    maxAge: 600,
  });

  if (opts.rateLimit) {
    await app.register(rateLimit, {
      max: opts.rateLimit.max,
      timeWindow: opts.rateLimit.timeWindowMs,
      hook: "onRequest",
      // Per token (hashed: the token itself is never kept), else per address.
      keyGenerator: (req) => {
        const auth = req.headers.authorization;
        return auth ? "t:" + createHash("sha256").update(auth).digest("hex").slice(0, 32) : "ip:" + req.ip;
      },
      errorResponseBuilder: (_req, context) => ({ statusCode: 429, message: `Rate limited; retry after ${context.after}.` }),
    });
  }

  app.addHook("onRequest", async (req) => {
    if (req.method === "OPTIONS" || req.routeOptions.config?.public || !req.routeOptions.url) return;
    const token = await ctx.auth.verify(req.headers.authorization);
    const staff = ctx.firms.staffByIdentity(token.oid, token.email);
    if (!staff) throw new ProblemError(403, "forbidden", "The signed-in user is not a staff member of any firm.");
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
    },
    { prefix: API_PREFIX },
  );
  return app;
}
