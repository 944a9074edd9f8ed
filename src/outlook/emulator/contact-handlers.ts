// Contact CRUD and listing (C-POST, C-GET, C-UPD, C-DEL, C-LIST).
import { badRequest, GraphError, itemNotFound } from "./errors";
import { applyContactBody, isContactProperty, parseSelect, readProperty, serializeContact } from "./contact-shape";
import { applyExtendedProperties, expandedProperties, parseExpand } from "./extended-properties";
import { compileFilter } from "./odata-filter";
import { deleteContact, findContact, insertContact, touchContact } from "./mailbox-store";
import type { GraphContext, GraphRequest, GraphResponse } from "./graph-types";
import { JSON_CONTENT_TYPE, wantsImmutableIds } from "./graph-types";
import type { Mailbox, StoredContact, StoredFolder } from "./state-types";

/** Outlook lists default to 10 items; $top up to 1000 ([O] docs#4798, §9). */
const DEFAULT_TOP = 10;
const MAX_TOP = 1000;

function requireObjectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object.", "RequestBodyRead");
  }
  return body as Record<string, unknown>;
}

function entityResponse(ctx: GraphContext, mailbox: Mailbox, contact: StoredContact, req: GraphRequest, status: number): GraphResponse {
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.graphBase}/$metadata#users('${mailbox.id}')/contacts/$entity`,
    ...serializeContact(contact, {
      immutableIds: wantsImmutableIds(req.headers),
      select: status === 200 && req.method === "GET" ? parseSelect(req.query.get("$select")) : null,
      behaviour: ctx.options.behaviour,
    }),
  };
  if (req.method === "GET") {
    const ext = expandedProperties(contact, parseExpand(req.query.get("$expand")));
    if (ext) body.singleValueExtendedProperties = ext;
  }
  const headers: Record<string, string> = { "Content-Type": JSON_CONTENT_TYPE, ETag: `W/"${contact.changeKey}"` };
  // A created entity's absolute URL, as OData services answer a POST; the exact form Graph uses is assumed [U].
  if (status === 201) headers.Location = `${ctx.graphBase}/users/${mailbox.id}/contacts/${encodeURIComponent(body.id as string)}`;
  return { status, headers, body };
}

/** POST → 201 with the full contact; extended properties are stored but not echoed (C-POST, XP). */
export function createContact(ctx: GraphContext, mailbox: Mailbox, folder: StoredFolder, req: GraphRequest): GraphResponse {
  const body = requireObjectBody(req.body);
  const { props, extendedProperties } = applyContactBody({}, body, ctx.options.caps, true, ctx.options.behaviour.nullAddress);
  const ext = applyExtendedProperties({}, extendedProperties);
  const contact = insertContact(mailbox, folder.id, props, ext, ctx.now());
  ctx.changed();
  return entityResponse(ctx, mailbox, contact, req, 201);
}

export function getContact(ctx: GraphContext, mailbox: Mailbox, id: string, req: GraphRequest): GraphResponse {
  const contact = findContact(mailbox, id);
  if (!contact) throw itemNotFound();
  return entityResponse(ctx, mailbox, contact, req, 200);
}

/** PATCH → 200 with the full updated contact; changeKey, etag and lastModifiedDateTime change on every write (C-UPD, C-RES). */
/**
 * Opt-in optimistic concurrency. Graph documents no If-Match for contacts (§3.2); Outlook answers a
 * stale change key on messages with 412 ErrorIrresolvableConflict ([O] msgraph-sdk-dotnet#1201).
 */
function checkIfMatch(ctx: GraphContext, contact: StoredContact, req: GraphRequest): void {
  const header = req.headers["if-match"];
  if (!ctx.options.ifMatch || header === undefined || header.trim() === "*") return;
  const wanted = header.split(",").map((t) => t.trim().replace(/^W\//, "").replace(/^"|"$/g, ""));
  if (!wanted.includes(contact.changeKey)) {
    throw new GraphError(
      412,
      "ErrorIrresolvableConflict",
      "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
    );
  }
}

export function patchContact(ctx: GraphContext, mailbox: Mailbox, id: string, req: GraphRequest): GraphResponse {
  const contact = findContact(mailbox, id);
  if (!contact) throw itemNotFound();
  checkIfMatch(ctx, contact, req);
  const body = requireObjectBody(req.body);
  const { props, extendedProperties } = applyContactBody(contact.props, body, ctx.options.caps, false, ctx.options.behaviour.nullAddress);
  const ext = applyExtendedProperties(contact.ext, extendedProperties);
  contact.props = props;
  contact.ext = ext;
  touchContact(mailbox, contact, ctx.now());
  ctx.changed();
  return entityResponse(ctx, mailbox, contact, req, 200);
}

/** DELETE → 204; the contact moves to Deleted Items (C-DEL; recoverable, unlike permanentDelete). */
export function deleteContactRoute(ctx: GraphContext, mailbox: Mailbox, id: string, req: GraphRequest): GraphResponse {
  const contact = findContact(mailbox, id);
  if (!contact) throw itemNotFound();
  checkIfMatch(ctx, contact, req);
  deleteContact(mailbox, contact, ctx.now());
  ctx.changed();
  return { status: 204, headers: {} };
}

function parseCount(name: string, text: string | null, fallback: number, max: number): number {
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value '${text}' for ${name}.`, "ErrorInvalidUrlQuery");
  return Math.min(n, max);
}

function orderBy(text: string | null): ((a: StoredContact, b: StoredContact) => number) | null {
  if (text === null || text.trim() === "") return null;
  const clauses = text.split(",").map((c) => {
    const [prop, dir, ...extra] = c.trim().split(/\s+/);
    if (!prop || !isContactProperty(prop) || extra.length > 0 || (dir !== undefined && !/^(asc|desc)$/i.test(dir))) {
      throw badRequest(`Invalid $orderby clause '${c.trim()}'.`, "ErrorInvalidUrlQuery");
    }
    return { prop, sign: dir?.toLowerCase() === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { prop, sign } of clauses) {
      const x = readProperty(a, prop), y = readProperty(b, prop);
      const xs = typeof x === "string" ? x.toLowerCase() : (x as number | null);
      const ys = typeof y === "string" ? y.toLowerCase() : (y as number | null);
      if (xs === ys) continue;
      if (xs === null || xs === undefined) return -sign;
      if (ys === null || ys === undefined) return sign;
      return xs < ys ? -sign : sign;
    }
    return 0;
  };
}

/** A `$filter` comparing an extended property's value with a string (not through a numeric cast). */
export function comparesExtendedValueAsString(filter: string): boolean {
  if (!/singleValueExtendedProperties/i.test(filter)) return false;
  return /\w+\/value\s+(eq|ne|gt|ge|lt|le)\s+'/i.test(filter) || /(startswith|contains|endswith)\s*\(\s*\w+\/value\s*,/i.test(filter);
}

/** GET collection with $top/$skip/$select/$filter/$expand/$orderby/$count; nextLink uses $skip (§9). */
export function listContacts(ctx: GraphContext, mailbox: Mailbox, folder: StoredFolder, req: GraphRequest, collectionPath: string): GraphResponse {
  const q = req.query;
  const top = parseCount("$top", q.get("$top"), DEFAULT_TOP, MAX_TOP);
  const skip = parseCount("$skip", q.get("$skip"), 0, Number.MAX_SAFE_INTEGER);
  const select = parseSelect(q.get("$select"));
  const expand = parseExpand(q.get("$expand"));
  const filterText = q.get("$filter");
  const stringOnExtended = filterText !== null && comparesExtendedValueAsString(filterText);
  if (stringOnExtended && ctx.options.behaviour.stringFilterOnContacts === "refuse") {
    // String operators on extended-property values are documented for message and event only
    // (api/singlevaluelegacyextendedproperty-get.md; research/graph-checks.md row 4). [I] the 400 wording.
    throw badRequest("String comparisons on extended property values are not supported for contacts.", "ErrorInvalidUrlQueryFilter");
  }
  const filter = compileFilter(filterText);
  const sort = orderBy(q.get("$orderby"));
  let items = Object.values(mailbox.contacts).filter((c) => c.folderId === folder.id);
  // Insertion order (creation) unless $orderby says otherwise [U: Graph documents no default order].
  items.sort((a, b) => (a.createdDateTime < b.createdDateTime ? -1 : a.createdDateTime > b.createdDateTime ? 1 : 0));
  if (filter) items = items.filter(filter);
  // [O] a documented string filter on events answered 200 with no items (msgraph-sdk-dotnet#618).
  if (stringOnExtended && ctx.options.behaviour.stringFilterOnContacts === "empty") items = [];
  if (sort) items.sort(sort);
  const page = items.slice(skip, skip + top);
  const immutable = wantsImmutableIds(req.headers);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.graphBase}/$metadata#users('${mailbox.id}')/contactFolders('${folder.id}')/contacts`,
  };
  if (q.get("$count")?.toLowerCase() === "true") body["@odata.count"] = items.length;
  body.value = page.map((c) => {
    const item = serializeContact(c, { immutableIds: immutable, select, behaviour: ctx.options.behaviour });
    const ext = expandedProperties(c, expand);
    if (ext) item.singleValueExtendedProperties = ext;
    return item;
  });
  if (skip + top < items.length) {
    const next = new URLSearchParams();
    for (const [k, v] of q) if (k !== "$skip" && k !== "$top") next.append(k, v);
    next.set("$top", String(top));
    next.set("$skip", String(skip + top));
    body["@odata.nextLink"] = `${ctx.graphBase}${collectionPath}?${next.toString().replace(/%24/g, "$")}`;
  }
  return { status: 200, headers: { "Content-Type": JSON_CONTENT_TYPE }, body };
}
