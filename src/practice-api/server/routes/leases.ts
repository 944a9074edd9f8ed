// Sync leases (R18): one staff member syncs a folder at a time; others see who, and may take over an
// expired lease. The server's clock decides expiry. A client may also name its device or session
// (`holder`): then the lease is that device's, and the same person's other devices are turned away too
// (sameStaff), so two devices of one user never apply to one folder at once. A request without a holder
// matches only a lease taken without one (older clients keep working among themselves).
import type { FastifyInstance } from "fastify";
import { schemaRef } from "../contract";
import type { Principal, ServerContext } from "../context";
import type { LeaseRow } from "../leases-repo";
import { ProblemError, invalid, notFound } from "../problem";

const DEFAULT_TTL = 120;

export function registerLeaseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // The device id is shown to its own staff member only: nobody else needs it.
  const holderOf = (row: LeaseRow, p: Principal) => {
    const s = ctx.firms.staffById(row.staff_id);
    const device = row.holder !== null && row.staff_id === p.staff.id ? { device: row.holder } : {};
    return { staffId: row.staff_id, name: s?.name ?? row.staff_id, ...device };
  };
  const expired = (row: LeaseRow) => Date.parse(row.expires_at) <= ctx.now();
  /** The caller's own lease: same staff member and same holder (both absent counts as the same). */
  const mine = (row: LeaseRow, p: Principal, holder: string | null) => row.staff_id === p.staff.id && row.holder === holder;
  const json = (row: LeaseRow, p: Principal) => ({
    folderKey: row.folder_key,
    holder: holderOf(row, p),
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
    expired: expired(row),
  });
  const held = (row: LeaseRow, p: Principal) => {
    const holder = holderOf(row, p);
    const extra = { holder, expiresAt: row.expires_at };
    if (row.staff_id !== p.staff.id) return new ProblemError(409, "lease-held", `${holder.name} is syncing this folder.`, { ...extra, sameStaff: false });
    return new ProblemError(409, "lease-held", `${holder.name} is syncing this folder on another device.`, {
      ...extra,
      sameStaff: true,
      title: "You are syncing this folder on another device",
    });
  };
  const grant = (p: Principal, folderKey: string, holder: string | null, ttl: number, acquiredAt?: string): LeaseRow => {
    const now = ctx.now();
    const row = {
      firm_id: p.firmId,
      folder_key: folderKey,
      staff_id: p.staff.id,
      holder,
      acquired_at: acquiredAt ?? new Date(now).toISOString(),
      expires_at: new Date(now + ttl * 1000).toISOString(),
    };
    ctx.leases.put(row);
    return row;
  };
  const keyParam = { type: "object", properties: { folderKey: { type: "string", minLength: 1, maxLength: 512 } }, required: ["folderKey"] };

  const holderQuery = { type: "object", properties: { holder: { type: "string", minLength: 1, maxLength: 128 } } };

  app.post<{ Body: { folderKey: string; ttlSeconds?: number; holder?: string } }>(
    "/sync-leases",
    { schema: { body: schemaRef("LeaseRequest") } },
    async (req) => {
      const p = req.principal!;
      const { folderKey, ttlSeconds = DEFAULT_TTL } = req.body;
      const holder = req.body.holder ?? null;
      return ctx.db.transaction(() => {
        const current = ctx.leases.get(p.firmId, folderKey);
        if (current && !expired(current) && !mine(current, p, holder)) throw held(current, p);
        const keep = current && !expired(current) ? current.acquired_at : undefined;
        return json(grant(p, folderKey, holder, ttlSeconds, keep), p);
      })();
    },
  );

  app.get<{ Params: { folderKey: string } }>("/sync-leases/:folderKey", { schema: { params: keyParam } }, async (req) => {
    const row = ctx.leases.get(req.principal!.firmId, req.params.folderKey);
    if (!row) throw notFound("Nobody holds a lease on this folder.");
    return json(row, req.principal!);
  });

  app.put<{ Params: { folderKey: string }; Body: { ttlSeconds?: number; holder?: string } | undefined }>(
    "/sync-leases/:folderKey",
    { schema: { params: keyParam } },
    async (req) => {
      const p = req.principal!;
      const errors = ctx.validators.check("LeaseRenewal", req.body ?? {});
      if (errors) throw invalid("The renewal is not valid.", errors);
      const ttl = req.body?.ttlSeconds ?? DEFAULT_TTL;
      const holder = req.body?.holder ?? null;
      return ctx.db.transaction(() => {
        const current = ctx.leases.get(p.firmId, req.params.folderKey);
        if (!current) throw notFound("There is no lease to renew; acquire one.");
        if (!mine(current, p, holder)) throw held(current, p);
        return json(grant(p, req.params.folderKey, holder, ttl, current.acquired_at), p);
      })();
    },
  );

  app.delete<{ Params: { folderKey: string }; Querystring: { holder?: string } }>(
    "/sync-leases/:folderKey",
    { schema: { params: keyParam, querystring: holderQuery } },
    async (req, reply) => {
      const p = req.principal!;
      const holder = req.query.holder ?? null;
      ctx.db.transaction(() => {
        const current = ctx.leases.get(p.firmId, req.params.folderKey);
        if (current && !expired(current) && !mine(current, p, holder)) throw held(current, p);
        if (current) ctx.leases.delete(p.firmId, req.params.folderKey);
      })();
      reply.code(204).send();
    },
  );
}
