// A user's sync decisions per Outlook folder (R2, R10): read the whole set, or change it with set
// operations in one transaction. Each set belongs to the signed-in principal within the firm; nobody
// else's token reaches it (the owner comes from the token, never from the request).
import type { FastifyInstance } from "fastify";
import type { FolderDecisionsChange } from "../../../sync/ports";
import { schemaRef } from "../contract";
import type { Principal, ServerContext } from "../context";
import type { DecisionScope } from "../decisions-repo";
import { ProblemError } from "../problem";

/** Entries (put and remove together) in one PATCH. */
export const MAX_DECISIONS_PER_REQUEST = 1000;
/** Decisions kept per principal and folder, unless the server is started with another limit. */
export const DEFAULT_MAX_DECISIONS_PER_FOLDER = 50_000;

const keyParam = {
  type: "object",
  properties: { folderKey: { type: "string", minLength: 3, maxLength: 512 } },
  required: ["folderKey"],
};

/** The principal's own set for the folder; an application token's principal is its staff row too. */
const scopeOf = (p: Principal, folderKey: string): DecisionScope => ({ firmId: p.firmId, owner: p.staff.id, folderKey });

const tooMany = (name: "decisions-per-request" | "decisions-per-folder", max: number, detail: string) =>
  new ProblemError(422, "limit-exceeded", detail, { limit: { name, max } });

export function registerDecisionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { folderKey: string } }>("/sync-decisions/:folderKey", { schema: { params: keyParam } }, async (req) => {
    const folderKey = req.params.folderKey;
    return { folderKey, decisions: ctx.decisions.list(scopeOf(req.principal!, folderKey)) };
  });

  app.patch<{ Params: { folderKey: string }; Body: FolderDecisionsChange }>(
    "/sync-decisions/:folderKey",
    { schema: { params: keyParam, body: schemaRef("FolderDecisionsChange") } },
    async (req) => {
      const folderKey = req.params.folderKey;
      const change = req.body;
      const entries = (change.put?.length ?? 0) + (change.remove?.length ?? 0);
      if (entries > MAX_DECISIONS_PER_REQUEST)
        throw tooMany(
          "decisions-per-request",
          MAX_DECISIONS_PER_REQUEST,
          `At most ${MAX_DECISIONS_PER_REQUEST} entries (put and remove together) per request; this one has ${entries}. Send the change in parts.`,
        );
      const scope = scopeOf(req.principal!, folderKey);
      // The limit is checked after the change, inside the transaction: a refused change rolls back whole.
      const decisions = ctx.db.transaction(() => {
        ctx.decisions.apply(scope, change);
        if ((change.put?.length ?? 0) > 0) {
          const n = ctx.decisions.count(scope);
          if (n > ctx.maxDecisionsPerFolder)
            throw tooMany(
              "decisions-per-folder",
              ctx.maxDecisionsPerFolder,
              `At most ${ctx.maxDecisionsPerFolder} decisions per folder; this change would leave ${n}. Nothing was changed.`,
            );
        }
        return ctx.decisions.list(scope);
      })();
      return { folderKey, decisions };
    },
  );
}
