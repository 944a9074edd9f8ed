// POST /dev/token (development mode only): a short-lived token for a staff member, signed by a local key.
import type { FastifyInstance } from "fastify";
import { WRITE_SCOPE } from "../auth";
import type { ServerContext } from "../context";
import { ProblemError, invalid } from "../problem";

interface DevTokenBody {
  staffId?: string;
  scope?: string;
  expiresInSeconds?: number;
}

export function registerDevRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: DevTokenBody | undefined }>(
    "/dev/token",
    // The body is optional, so it is checked here rather than by a route schema (which requires one).
    { config: { public: true } },
    async (req) => {
      const body = req.body ?? {};
      const errors = ctx.validators.check("DevTokenRequest", body);
      if (errors) throw invalid("The token request is not valid.", errors);
      const staff = body.staffId ? ctx.firms.staffById(body.staffId) : ctx.firms.firstAdmin();
      if (!staff) throw new ProblemError(400, "invalid-reference", body.staffId ? "No staff member has that id." : "There is no staff member yet.");
      const expires = body.expiresInSeconds ?? 3600;
      const token = await ctx.auth.issueDevToken!({
        oid: staff.oid ?? staff.id,
        email: staff.email,
        scope: body.scope ?? WRITE_SCOPE,
        expiresInSeconds: expires,
      });
      return { access_token: token, token_type: "Bearer", expires_in: expires };
    },
  );
}
