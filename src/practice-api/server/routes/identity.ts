// Who is calling, the firm's staff, its terminology and the fields filters can use.
import type { FastifyInstance } from "fastify";
import { FILTER_FIELDS, type FilterFieldType, type FilterMethod } from "../../../sync/filters";
import { schemaRef } from "../contract";
import type { ServerContext } from "../context";
import { DEFAULT_TERMS, type StaffMember, type Terms } from "../firms-repo";
import { ProblemError } from "../problem";

export const staffJson = (s: StaffMember) => ({ id: s.id, name: s.name, email: s.email, role: s.role, initials: s.initials });

const METHODS_BY_TYPE: Record<FilterFieldType, FilterMethod[]> = {
  string: ["equals", "list", "range", "contains", "beginsWith", "isBlank", "isNotBlank"],
  date: ["equals", "list", "range", "isBlank", "isNotBlank"],
  enum: ["equals", "list", "isBlank", "isNotBlank"],
};

export function registerIdentityRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get("/me", async (req) => {
    const p = req.principal!;
    const firm = ctx.firms.firm(p.firmId)!;
    return { staff: staffJson(p.staff), firm: { id: firm.id, name: firm.name }, scopes: p.scopes };
  });

  app.get("/staff", async (req) => ({ items: ctx.firms.staff(req.principal!.firmId).map(staffJson) }));

  app.get("/terminology", async (req) => {
    const { terms, customized } = ctx.firms.terms(req.principal!.firmId);
    return { terms, defaults: DEFAULT_TERMS, customized };
  });

  app.put<{ Body: Terms }>("/terminology", { schema: { body: schemaRef("Terms") } }, async (req) => {
    const p = req.principal!;
    if (p.staff.role !== "admin") throw new ProblemError(403, "forbidden", "Only an admin can change the firm's terminology.");
    const trimmed = Object.fromEntries(
      Object.entries(req.body).map(([k, t]) => [k, { singular: t.singular.trim(), plural: t.plural.trim() }]),
    ) as unknown as Terms;
    for (const [k, t] of Object.entries(trimmed))
      if (!t.singular || !t.plural) throw new ProblemError(400, "invalid-request", `The term "${k}" is blank.`);
    ctx.firms.setTerms(p.firmId, trimmed);
    return { terms: trimmed, defaults: DEFAULT_TERMS, customized: true };
  });

  app.get("/filter-fields", async () => ({
    items: FILTER_FIELDS.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      ...(f.options ? { options: [...f.options] } : {}),
      methods: METHODS_BY_TYPE[f.type],
    })),
  }));
}
