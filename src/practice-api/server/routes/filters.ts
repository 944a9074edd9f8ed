// Firm-wide filters (R1): anyone in the firm reads them; the owner or an admin changes or deletes them.
// Definitions are validated by the same module the engine evaluates them with (src/sync/filters.ts).
import type { FastifyInstance, FastifyReply } from "fastify";
import { validateFilter, type FilterDefinition } from "../../../sync/filters";
import { schemaRef } from "../contract";
import type { Principal, ServerContext } from "../context";
import { parseVersion } from "../contacts-repo";
import type { StoredFilter } from "../filters-repo";
import { FILTER_MAX_BYTES, FILTER_TOTAL_VALUES } from "../limits";
import { ProblemError, notFound } from "../problem";

const json = (f: StoredFilter) => ({
  id: f.id,
  name: f.name,
  match: f.match,
  criteria: f.criteria,
  ownerId: f.ownerId,
  updatedAt: f.updatedAt,
  version: f.version,
});

function checked(body: unknown): FilterDefinition {
  const v = validateFilter(body);
  if (!v.ok) throw new ProblemError(422, "invalid-filter", "The filter is not valid.", { errors: v.errors });
  // Totals, so no one filter makes every firm's listings slow (each criterion is already capped).
  const values = v.value.criteria.reduce((n, c) => n + c.values.length, 0);
  if (values > FILTER_TOTAL_VALUES)
    throw new ProblemError(422, "invalid-filter", `A filter holds at most ${FILTER_TOTAL_VALUES} values in all; this one has ${values}.`, {
      errors: [{ path: "criteria", message: `At most ${FILTER_TOTAL_VALUES} values in all (got ${values}).` }],
    });
  const bytes = Buffer.byteLength(JSON.stringify(v.value));
  if (bytes > FILTER_MAX_BYTES)
    throw new ProblemError(422, "invalid-filter", `A filter is at most ${FILTER_MAX_BYTES} bytes of JSON; this one is ${bytes}.`, {
      errors: [{ path: "", message: `At most ${FILTER_MAX_BYTES} bytes (got ${bytes}).` }],
    });
  return v.value;
}

function mayChange(p: Principal, f: StoredFilter): void {
  if (f.ownerId !== p.staff.id && p.staff.role !== "admin")
    throw new ProblemError(403, "forbidden", "Only the filter's owner or an admin can change or delete it.");
}

const withEtag = (reply: FastifyReply, f: StoredFilter) => reply.header("ETag", `"${f.version}"`);

export function registerFilterRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const idParam = { type: "object", properties: { filterId: { type: "string", minLength: 1, maxLength: 64 } }, required: ["filterId"] };

  app.get("/filters", async (req) => ({ items: ctx.filters.list(req.principal!.firmId).map(json) }));

  app.post("/filters", { schema: { body: schemaRef("FilterDefinition") } }, async (req, reply) => {
    const p = req.principal!;
    const f = ctx.filters.create(p.firmId, p.staff.id, checked(req.body));
    withEtag(reply, f).code(201);
    return json(f);
  });

  app.get<{ Params: { filterId: string } }>("/filters/:filterId", { schema: { params: idParam } }, async (req, reply) => {
    const f = ctx.filters.get(req.principal!.firmId, req.params.filterId);
    if (!f) throw notFound("No such filter.");
    withEtag(reply, f);
    return json(f);
  });

  app.put<{ Params: { filterId: string } }>(
    "/filters/:filterId",
    { schema: { params: idParam, body: schemaRef("FilterDefinition") } },
    async (req, reply) => {
      const p = req.principal!;
      const def = checked(req.body);
      const f = ctx.filters.get(p.firmId, req.params.filterId);
      if (!f) throw notFound("No such filter.");
      mayChange(p, f);
      const ifMatch = req.headers["if-match"];
      if (typeof ifMatch === "string" && parseVersion(ifMatch) !== f.version)
        throw new ProblemError(412, "stale-version", `The filter is at version ${f.version}.`);
      const updated = ctx.filters.update(p.firmId, f.id, def);
      withEtag(reply, updated);
      return json(updated);
    },
  );

  app.delete<{ Params: { filterId: string } }>("/filters/:filterId", { schema: { params: idParam } }, async (req, reply) => {
    const p = req.principal!;
    const f = ctx.filters.get(p.firmId, req.params.filterId);
    if (!f) throw notFound("No such filter.");
    mayChange(p, f);
    ctx.filters.delete(p.firmId, f.id);
    reply.code(204).send();
  });
}
