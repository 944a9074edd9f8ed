// The admin API under /admin (no Graph token): stats, fault injection, grants, reset, and direct
// inspection/seeding of mailboxes for tests and demos. Not part of Graph.
import { randomBytes } from "node:crypto";
import { parseBehaviour } from "./behaviour";
import { applyContactBody } from "./contact-shape";
import { badRequest, GraphError } from "./errors";
import { applyExtendedProperties } from "./extended-properties";
import { expireAllDeltaTokens } from "./delta";
import { childFolders, contactsIn, createFolder, ensureMailbox, findContact, findMailbox, insertContact, moveContact } from "./mailbox-store";
import { serializeContact } from "./contact-shape";
import type { FaultSpec } from "./faults";
import type { EmulatorCore } from "./core";
import type { Mailbox, StoredContact } from "./state-types";

export interface AdminResult {
  status: number;
  body?: unknown;
}

const notFound = (what: string) => new GraphError(404, "NotFound", `${what} was not found.`);

function mailboxOr404(core: EmulatorCore, upn: string): Mailbox {
  const mb = findMailbox(core.state, upn);
  if (!mb) throw notFound(`Mailbox '${upn}'`);
  return mb;
}

/** Folder ids, or the aliases "default"/"contacts" and "deleteditems". */
function folderIdOf(mb: Mailbox, idOrAlias: string | undefined): string {
  const alias = (idOrAlias ?? "default").toLowerCase();
  if (alias === "default" || alias === "contacts") return mb.contactsFolderId;
  if (alias === "deleteditems") return mb.deletedItemsFolderId;
  if (!mb.folders[idOrAlias!]) throw notFound(`Folder '${idOrAlias}'`);
  return idOrAlias!;
}

function inspectContact(c: StoredContact): Record<string, unknown> {
  return {
    ...serializeContact(c, { immutableIds: false, select: null }),
    immutableId: c.immutableId,
    singleValueExtendedProperties: Object.values(c.ext).map((e) => ({ id: e.id, value: e.value })),
  };
}

function folderTree(mb: Mailbox): unknown[] {
  return Object.values(mb.folders).map((f) => ({
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentFolderId,
    kind: f.kind,
    contacts: contactsIn(mb, f.id).length,
    childFolders: childFolders(mb, f.id).length,
  }));
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || body === undefined) return {};
  if (typeof body !== "object" || Array.isArray(body)) throw badRequest("The body must be a JSON object.");
  return body as Record<string, unknown>;
}

function requireString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== "string" || v.trim() === "") throw badRequest(`'${key}' is required.`);
  return v.trim();
}

export function handleAdmin(core: EmulatorCore, method: string, segments: string[], rawBody: unknown): AdminResult {
  const body = asObject(rawBody);
  const route = `${method} /${segments.join("/")}`;
  const [, second, third, fourth, fifth, sixth] = segments; // segments[0] === "admin"

  if (route === "GET /admin/stats") return { status: 200, body: core.statsSnapshot() };
  if (route === "POST /admin/stats/reset") {
    core.resetStats();
    return { status: 200, body: core.statsSnapshot() };
  }
  if (route === "GET /admin/behaviour") return { status: 200, body: core.options.behaviour };
  if (route === "POST /admin/behaviour") {
    Object.assign(core.options.behaviour, parseBehaviour(body));
    return { status: 200, body: core.options.behaviour };
  }
  if (route === "GET /admin/faults") return { status: 200, body: core.faults.describe() };
  if (route === "POST /admin/faults") {
    const { expireDeltaTokens } = core.faults.configure(body as FaultSpec);
    if (body.revokeTokens === true) {
      // Every issued token stops working (401), as when a token expires early or is revoked.
      core.state.secret = randomBytes(32).toString("base64url");
      core.changed();
    }
    if (expireDeltaTokens) {
      for (const mb of Object.values(core.state.mailboxes)) expireAllDeltaTokens(mb);
      core.changed();
    }
    return { status: 200, body: core.faults.describe() };
  }
  if (route === "POST /admin/reset") {
    const seed = body.seed === undefined ? undefined : body.seed;
    if (seed !== undefined && seed !== "demo" && seed !== "none") throw badRequest("seed must be 'demo' or 'none'.");
    core.reset(seed as "demo" | "none" | undefined);
    return { status: 200, body: { mailboxes: Object.keys(core.state.mailboxes) } };
  }
  if (route === "GET /admin/grants") return { status: 200, body: { grants: core.state.grants } };
  if (route === "POST /admin/grants") {
    const owner = mailboxOr404(core, requireString(body, "ownerUpn"));
    const grantee = requireString(body, "granteeUpn").toLowerCase();
    const folderId = folderIdOf(owner, body.folderId as string | undefined);
    const role = body.role ?? "write";
    if (role !== "read" && role !== "write") throw badRequest("role must be 'read' or 'write'.");
    core.state.grants = core.state.grants.filter((g) => !(g.ownerUpn === owner.upn && g.folderId === folderId && g.granteeUpn === grantee));
    const grant = { ownerUpn: owner.upn, folderId, granteeUpn: grantee, role: role as "read" | "write" };
    core.state.grants.push(grant);
    core.changed();
    return { status: 201, body: grant };
  }
  if (second === "mailboxes") {
    if (segments.length === 2 && method === "GET") {
      return { status: 200, body: { mailboxes: Object.values(core.state.mailboxes).map((m) => ({ id: m.id, upn: m.upn, displayName: m.displayName, contactsFolderId: m.contactsFolderId, deletedItemsFolderId: m.deletedItemsFolderId })) } };
    }
    if (segments.length === 2 && method === "POST") {
      const mb = ensureMailbox(core.state, requireString(body, "upn"), typeof body.displayName === "string" ? body.displayName : undefined);
      core.changed();
      return { status: 201, body: { id: mb.id, upn: mb.upn, contactsFolderId: mb.contactsFolderId } };
    }
    // Seeding contacts creates the mailbox when it is new; everything else needs it to exist.
    const seeding = fourth === "contacts" && segments.length === 4 && method === "POST";
    if (seeding && !/^[^@\s]+@[^@\s]+$/.test(third ?? "")) throw badRequest("The mailbox must be a UPN such as user@domain.");
    const mb = seeding ? ensureMailbox(core.state, third ?? "") : mailboxOr404(core, third ?? "");
    if (fourth === "folders" && segments.length === 4) {
      if (method === "GET") return { status: 200, body: { folders: folderTree(mb) } };
      if (method === "POST") {
        const folder = createFolder(mb, folderIdOf(mb, body.parentFolderId as string | undefined), requireString(body, "displayName"));
        core.changed();
        return { status: 201, body: { id: folder.id, displayName: folder.displayName, parentFolderId: folder.parentFolderId } };
      }
    }
    if (fourth === "folders" && sixth === "contacts" && segments.length === 6 && method === "GET") {
      const folderId = folderIdOf(mb, fifth);
      return { status: 200, body: { value: contactsIn(mb, folderId).map(inspectContact) } };
    }
    if (fourth === "contacts" && segments.length === 4 && method === "POST") return seedContacts(core, mb, body);
    if (fourth === "contacts" && fifth && segments.length === 5 && method === "GET") {
      const c = findContact(mb, fifth);
      if (!c) throw notFound(`Contact '${fifth}'`);
      return { status: 200, body: inspectContact(c) };
    }
    if (fourth === "contacts" && fifth && sixth === "move" && segments.length === 6 && method === "POST") {
      // Simulates a user moving the contact in Outlook: a new REST id, the same immutable id (IMM).
      const c = findContact(mb, fifth);
      if (!c) throw notFound(`Contact '${fifth}'`);
      moveContact(mb, c, folderIdOf(mb, body.folderId as string | undefined), core.now());
      core.changed();
      return { status: 200, body: inspectContact(c) };
    }
  }
  throw notFound(`Admin route '${route}'`);
}

/** POST /admin/mailboxes/{upn}/contacts {folderId?|folderName?, contacts:[…]} or one contact body. */
function seedContacts(core: EmulatorCore, mb: Mailbox, body: Record<string, unknown>): AdminResult {
  let folderId: string;
  if (typeof body.folderName === "string") {
    const existing = childFolders(mb, mb.contactsFolderId).find((f) => f.displayName.toLowerCase() === (body.folderName as string).toLowerCase());
    folderId = existing ? existing.id : createFolder(mb, mb.contactsFolderId, body.folderName).id;
  } else folderId = folderIdOf(mb, body.folderId as string | undefined);
  const { folderId: _f, folderName: _n, ...single } = body;
  const list = Array.isArray(body.contacts) ? (body.contacts as unknown[]) : [single];
  const created = list.map((raw) => {
    const item = asObject(raw);
    const { props, extendedProperties } = applyContactBody({}, item, core.options.caps, true);
    const c = insertContact(mb, folderId, props, applyExtendedProperties({}, extendedProperties), core.now());
    return { id: c.restId, immutableId: c.immutableId, changeKey: c.changeKey };
  });
  core.changed();
  return { status: 201, body: { folderId, created } };
}
