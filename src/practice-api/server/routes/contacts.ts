// Contacts: listing by filter with cursor paging, get, create, patch, delete (standalone only),
// the change feed and the batch endpoint.
import type { FastifyInstance } from "fastify";
import { toApiContact } from "../../contact-mapping";
import { schemaRef } from "../contract";
import type { ServerContext } from "../context";
import { createContact, deleteContact, outcome, patchContact, type ItemOutcome } from "../contact-service";
import { decodeChangeCursor, decodePageCursor, encodeChangeCursor, encodePageCursor } from "../cursors";
import { BATCH_BODY_LIMIT } from "../limits";
import { ProblemError, invalid, notFound } from "../problem";

const MAX_IDS = 100;
const COMMA = Buffer.from(",");

interface ListQuery {
  filterId?: string;
  ids?: string;
  cursor?: string;
  limit: number;
}

const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    filterId: { type: "string", minLength: 1, maxLength: 64 },
    ids: { type: "string", maxLength: 4000 },
    cursor: { type: "string", maxLength: 512 },
    limit: { type: "integer", minimum: 1, maximum: 1000, default: 500 },
  },
};

const changesQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    cursor: { type: "string", maxLength: 512 },
    limit: { type: "integer", minimum: 1, maximum: 1000, default: 500 },
  },
};

const idParam = { type: "object", properties: { contactId: { type: "string", minLength: 1, maxLength: 64 } }, required: ["contactId"] };

const idempotencyHeader = (v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length === 0 || v.length > 200) throw invalid("Idempotency-Key must be 1 to 200 characters.");
  return v;
};

export function registerContactRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: ListQuery }>("/contacts", { schema: { querystring: listQuery } }, async (req, reply) => {
    const p = req.principal!;
    const q = req.query;
    if (q.ids !== undefined) {
      if (q.filterId !== undefined || q.cursor !== undefined) throw invalid("ids cannot be combined with filterId or cursor.");
      const ids = q.ids.split(",").filter((s) => s !== "");
      if (ids.length > MAX_IDS) throw invalid(`At most ${MAX_IDS} ids per request.`);
      return { items: ctx.contacts.byIds(p.firmId, ids).map(toApiContact), nextCursor: null };
    }
    let filter = null;
    if (q.filterId !== undefined) {
      filter = ctx.filters.get(p.firmId, q.filterId) ?? null;
      if (!filter) throw notFound("No such filter.");
    }
    // The change cursor is taken before the first page, so nothing changed during the listing is missed.
    const changeCursor = q.cursor === undefined ? encodeChangeCursor(ctx.contacts.position(p.firmId)) : undefined;
    const after = q.cursor === undefined ? "" : decodePageCursor(q.cursor);
    const page = await ctx.contacts.pageBytesForRequest(p.firmId, filter, after, q.limit);
    // Assembled from the stored JSON bytes of each contact: no parse and re-serialize of thousands of contacts.
    const next = page.lastId === null ? null : encodePageCursor(page.lastId);
    // The next page's URL in a header too, so a client can ask for it before it has read this body.
    if (next !== null) {
      const query = new URLSearchParams({ ...(q.filterId !== undefined ? { filterId: q.filterId } : {}), cursor: next, limit: String(q.limit) });
      reply.header("Link", `<${req.url.split("?")[0]}?${query}>; rel="next"`);
    }
    reply.type("application/json");
    const parts: Buffer[] = [Buffer.from('{"items":[')];
    page.docs.forEach((doc, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(doc);
    });
    parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(next)}${changeCursor ? `,"changeCursor":${JSON.stringify(changeCursor)}` : ""}}`));
    return Buffer.concat(parts);
  });

  app.get<{ Querystring: { cursor?: string; limit: number } }>(
    "/contacts/changes",
    { schema: { querystring: changesQuery } },
    async (req, reply) => {
      const p = req.principal!;
      const after = req.query.cursor === undefined ? undefined : decodeChangeCursor(req.query.cursor);
      ctx.contacts.purgeTombstones(p.firmId, ctx.tombstoneRetentionMs);
      const { entries, seq, hasMore } = ctx.contacts.changes(p.firmId, after, req.query.limit);
      const changes = entries.map((e) => (e.type === "upsert" ? `{"type":"upsert","contact":${e.doc}}` : JSON.stringify(e)));
      reply.type("application/json");
      return `{"changes":[${changes.join(",")}],"cursor":${JSON.stringify(encodeChangeCursor(seq))},"hasMore":${hasMore}}`;
    },
  );

  app.get<{ Params: { contactId: string } }>("/contacts/:contactId", { schema: { params: idParam } }, async (req, reply) => {
    const c = ctx.contacts.get(req.principal!.firmId, req.params.contactId);
    if (!c) throw notFound("No such contact.");
    reply.header("ETag", `"${c.version}"`);
    return toApiContact(c);
  });

  app.post<{ Body: Record<string, unknown> }>("/contacts", { schema: { body: schemaRef("ContactCreate") } }, async (req, reply) => {
    const key = idempotencyHeader(req.headers["idempotency-key"]);
    const result = createContact(ctx, req.principal!, req.body, key);
    const c = result.contact!;
    reply.code(result.status).header("ETag", `"${c.version}"`).header("Location", `${req.url.split("?")[0]}/${encodeURIComponent(c.id)}`);
    return c;
  });

  app.patch<{ Params: { contactId: string }; Body: Record<string, unknown> }>(
    "/contacts/:contactId",
    { schema: { params: idParam, body: schemaRef("ContactPatch") } },
    async (req, reply) => {
      const ifMatch = req.headers["if-match"];
      if (typeof ifMatch !== "string" || ifMatch.trim() === "")
        throw new ProblemError(428, "precondition-required", "Send If-Match with the version last read.");
      const c = patchContact(ctx, req.principal!, req.params.contactId, ifMatch, req.body);
      reply.header("ETag", `"${c.version}"`);
      return c;
    },
  );

  app.delete<{ Params: { contactId: string } }>("/contacts/:contactId", { schema: { params: idParam } }, async (req, reply) => {
    const ifMatch = req.headers["if-match"];
    deleteContact(ctx, req.principal!, req.params.contactId, typeof ifMatch === "string" ? ifMatch : undefined);
    reply.code(204).send();
  });

  app.post<{ Body: { items: unknown[] } }>(
    "/contacts/batch",
    {
      bodyLimit: BATCH_BODY_LIMIT,
      // Only the envelope here: each item is validated on its own so one bad item fails only itself.
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          required: ["items"],
          properties: { items: { type: "array", minItems: 1, maxItems: 100, items: { type: "object" } } },
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      const results = req.body.items.map((item): ItemOutcome => {
        const errors = ctx.validators.check("BatchItem", item);
        if (errors) return { status: 400, problem: invalid("The item is not valid.", errors).toBody() };
        const it = item as Record<string, unknown>;
        switch (it.op) {
          case "create":
            return outcome(() => createContact(ctx, p, it.contact as Record<string, unknown>, it.idempotencyKey as string | undefined));
          case "update":
            return outcome(() => ({ status: 200, contact: patchContact(ctx, p, it.id as string, it.ifMatch as string, it.patch as Record<string, unknown>) }));
          default:
            return outcome(() => {
              deleteContact(ctx, p, it.id as string, it.ifMatch as string | undefined);
              return { status: 204 };
            });
        }
      });
      return { results };
    },
  );
}
