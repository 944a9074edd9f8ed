// Sync leases (R18): one staff member syncs a folder at a time; others see who, and may take over an
// expired lease. The server's clock decides expiry.
import type { FastifyInstance } from "fastify";
import { schemaRef } from "../contract";
import type { Principal, ServerContext } from "../context";
import type { LeaseRow } from "../leases-repo";
import { ProblemError, invalid, notFound } from "../problem";

const DEFAULT_TTL = 120;

export function registerLeaseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const holderOf = (row: LeaseRow) => {
    const s = ctx.firms.staffById(row.staff_id);
    return { staffId: row.staff_id, name: s?.name ?? row.staff_id };
  };
  const expired = (row: LeaseRow) => Date.parse(row.expires_at) <= ctx.now();
  const json = (row: LeaseRow) => ({
    folderKey: row.folder_key,
    holder: holderOf(row),
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
    expired: expired(row),
  });
  const held = (row: LeaseRow) =>
    new ProblemError(409, "lease-held", `${holderOf(row).name} is syncing this folder.`, { holder: holderOf(row), expiresAt: row.expires_at });
  const grant = (p: Principal, folderKey: string, ttl: number, acquiredAt?: string): LeaseRow => {
    const now = ctx.now();
    const row = {
      firm_id: p.firmId,
      folder_key: folderKey,
      staff_id: p.staff.id,
      acquired_at: acquiredAt ?? new Date(now).toISOString(),
      expires_at: new Date(now + ttl * 1000).toISOString(),
    };
    ctx.leases.put(row);
    return row;
  };
  const keyParam = { type: "object", properties: { folderKey: { type: "string", minLength: 1, maxLength: 512 } }, required: ["folderKey"] };

  app.post<{ Body: { folderKey: string; ttlSeconds?: number } }>("/sync-leases", { schema: { body: schemaRef("LeaseRequest") } }, async (req) => {
    const p = req.principal!;
    const { folderKey, ttlSeconds = DEFAULT_TTL } = req.body;
    return ctx.db.transaction(() => {
      const current = ctx.leases.get(p.firmId, folderKey);
      if (current && current.staff_id !== p.staff.id && !expired(current)) throw held(current);
      const keep = current && current.staff_id === p.staff.id && !expired(current) ? current.acquired_at : undefined;
      return json(grant(p, folderKey, ttlSeconds, keep));
    })();
  });

  app.get<{ Params: { folderKey: string } }>("/sync-leases/:folderKey", { schema: { params: keyParam } }, async (req) => {
    const row = ctx.leases.get(req.principal!.firmId, req.params.folderKey);
    if (!row) throw notFound("Nobody holds a lease on this folder.");
    return json(row);
  });

  app.put<{ Params: { folderKey: string }; Body: { ttlSeconds?: number } | undefined }>(
    "/sync-leases/:folderKey",
    { schema: { params: keyParam } },
    async (req) => {
      const p = req.principal!;
      const errors = ctx.validators.check("LeaseRenewal", req.body ?? {});
      if (errors) throw invalid("The renewal is not valid.", errors);
      const ttl = req.body?.ttlSeconds ?? DEFAULT_TTL;
      return ctx.db.transaction(() => {
        const current = ctx.leases.get(p.firmId, req.params.folderKey);
        if (!current) throw notFound("There is no lease to renew; acquire one.");
        if (current.staff_id !== p.staff.id) throw held(current);
        return json(grant(p, req.params.folderKey, ttl, current.acquired_at));
      })();
    },
  );

  app.delete<{ Params: { folderKey: string } }>("/sync-leases/:folderKey", { schema: { params: keyParam } }, async (req, reply) => {
    const p = req.principal!;
    ctx.db.transaction(() => {
      const current = ctx.leases.get(p.firmId, req.params.folderKey);
      if (current && current.staff_id !== p.staff.id && !expired(current)) throw held(current);
      if (current) ctx.leases.delete(p.firmId, req.params.folderKey);
    })();
    reply.code(204).send();
  });
}
