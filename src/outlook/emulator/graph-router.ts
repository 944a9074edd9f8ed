// Resolves a Graph request to its mailbox, checks access, and returns the work to run.
// Paths: /me/... and /users/{id|upn}/... (C-GET, C-LIST, CF, SHARED).
import { accessDenied, badRequest, GraphError, idEmpty, idMalformed, itemNotFound, methodNotAllowed, segmentNotFound } from "./errors";
import { isWellFormedId } from "./ids";
import { findContact, findMailbox, getContactFolder } from "./mailbox-store";
import type { Caller, GraphContext, GraphRequest, RoutedRequest } from "./graph-types";
import type { Mailbox, StoredFolder } from "./state-types";
import * as contacts from "./contact-handlers";
import * as folders from "./folder-handlers";
import { contactDelta } from "./delta";

/** Splits a path into segments, turning OData key syntax `name('key')` into `name`, `key`. */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split("/").filter((s) => s !== "")) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw idMalformed();
    }
    const keyed = /^([A-Za-z]+)\('(.*)'\)$/.exec(seg);
    if (keyed) out.push(keyed[1]!, keyed[2]!);
    else out.push(seg);
  }
  return out;
}

function checkId(id: string): string {
  if (id === "") throw idEmpty();
  if (!isWellFormedId(id)) throw idMalformed();
  return id;
}

type Access = "read" | "write";

/** Delegated access to another mailbox needs a share of that folder (SHARED); app tokens reach every mailbox. */
export function canAccess(ctx: GraphContext, caller: Caller, mailbox: Mailbox, folderId: string, access: Access): boolean {
  if (caller.kind === "app" || caller.upn === mailbox.upn) return true;
  return ctx.state.grants.some(
    (g) => g.ownerUpn === mailbox.upn && g.folderId === folderId && g.granteeUpn === caller.upn && (access === "read" || g.role === "write"),
  );
}

function requireAccess(ctx: GraphContext, caller: Caller, mailbox: Mailbox, folderId: string, access: Access): void {
  if (!canAccess(ctx, caller, mailbox, folderId, access)) throw accessDenied();
}

function hasAnyGrant(ctx: GraphContext, caller: Caller, mailbox: Mailbox): boolean {
  return caller.kind === "app" || caller.upn === mailbox.upn || ctx.state.grants.some((g) => g.ownerUpn === mailbox.upn && g.granteeUpn === caller.upn);
}

/** A delegated caller reaching someone else's mailbox (through a share), not the owner or an app. */
function isDelegate(caller: Caller, mailbox: Mailbox): boolean {
  return caller.kind === "user" && caller.upn !== mailbox.upn;
}

const accessFor = (method: string): Access => (method === "GET" ? "read" : "write");

export function routeGraph(ctx: GraphContext, caller: Caller, req: GraphRequest): RoutedRequest {
  const segs = pathSegments(req.path);
  let mailbox: Mailbox | undefined;
  let prefix: string;
  let rest: string[];
  if (segs[0]?.toLowerCase() === "me") {
    if (caller.kind === "app" || !caller.upn) {
      // [O] Graph's answer to /me with an application token.
      throw badRequest("/me request is only valid with delegated authentication flow.", "BadRequest");
    }
    mailbox = findMailbox(ctx.state, caller.upn);
    prefix = "/me";
    rest = segs.slice(1);
  } else if (segs[0]?.toLowerCase() === "users" && segs[1] !== undefined) {
    mailbox = findMailbox(ctx.state, segs[1]);
    prefix = `/users/${encodeURIComponent(segs[1]).replace(/%40/g, "@")}`;
    rest = segs.slice(2);
    // [U] ErrorInvalidUser is what Outlook endpoints answer for an unknown mailbox.
    if (!mailbox) throw new GraphError(404, "ErrorInvalidUser", `The requested user '${segs[1]}' is invalid.`);
  } else {
    throw segmentNotFound(segs[0] ?? "");
  }
  if (!mailbox) throw new GraphError(404, "ErrorInvalidUser", "The requested user is invalid.");
  const mb = mailbox;
  const method = req.method.toUpperCase();
  const routed = (run: RoutedRequest["run"]): RoutedRequest => ({ mailbox: mb, run });

  if (rest.length === 0) {
    if (method !== "GET") throw methodNotAllowed();
    return routed(() => folders.getUser(ctx, mb));
  }
  const [head, ...tail] = rest;
  if (head === "contacts") {
    return routeContacts(ctx, caller, req, mb, tail, mb.folders[mb.contactsFolderId]!, `${prefix}/contacts`, true);
  }
  if (head === "contactFolders") {
    if (tail.length === 0) {
      if (method === "GET") {
        if (!hasAnyGrant(ctx, caller, mb)) throw accessDenied();
        // Only GET by folder id is documented for a folder shared with the caller (SHARED; research/
        // graph-checks.md row 3): listing the mailbox's folders needs its default Contacts folder shared.
        if (isDelegate(caller, mb) && ctx.options.behaviour.delegateRootListing === "default-folder-grant") {
          requireAccess(ctx, caller, mb, mb.contactsFolderId, "read");
        }
        return routed(() => folders.listFolders(ctx, mb, mb.contactsFolderId, req, (f) => canAccess(ctx, caller, mb, f.id, "read")));
      }
      if (method === "POST") {
        requireAccess(ctx, caller, mb, mb.contactsFolderId, "write");
        return routed(() => folders.createChildFolder(ctx, mb, mb.contactsFolderId, req));
      }
      throw methodNotAllowed();
    }
    if (tail[0] === "delta") throw badRequest("Contact folder delta is not emulated.", "ErrorInvalidRequest");
    // Walk contactFolders/{id}(/childFolders/{id})* down to the addressed folder.
    let folder = getContactFolder(mb, checkId(tail[0]!));
    let i = 1;
    let path = `${prefix}/contactFolders/${folder.id}`;
    while (tail[i] === "childFolders" && tail[i + 1] !== undefined) {
      const child = getContactFolder(mb, checkId(tail[i + 1]!));
      if (child.parentFolderId !== folder.id) throw itemNotFound();
      folder = child;
      path += `/childFolders/${child.id}`;
      i += 2;
    }
    const after = tail.slice(i);
    const target = folder;
    if (after.length === 0) {
      requireAccess(ctx, caller, mb, target.id, accessFor(method));
      if (method === "GET") return routed(() => folders.getFolder(ctx, mb, target));
      // Renaming or deleting someone else's folder needs more than a share [U].
      if (caller.kind === "user" && caller.upn !== mb.upn) throw accessDenied();
      if (method === "PATCH") return routed(() => folders.patchFolder(ctx, mb, target, req));
      if (method === "DELETE") return routed(() => folders.deleteFolderRoute(ctx, mb, target));
      throw methodNotAllowed();
    }
    if (after[0] === "childFolders" && after.length === 1) {
      requireAccess(ctx, caller, mb, target.id, accessFor(method));
      if (method === "GET") return routed(() => folders.listFolders(ctx, mb, target.id, req, (f) => canAccess(ctx, caller, mb, f.id, "read")));
      if (method === "POST") return routed(() => folders.createChildFolder(ctx, mb, target.id, req));
      throw methodNotAllowed();
    }
    if (after[0] === "contacts") return routeContacts(ctx, caller, req, mb, after.slice(1), target, `${path}/contacts`, false);
    throw segmentNotFound(after[0]!);
  }
  throw segmentNotFound(head!);
}

function routeContacts(
  ctx: GraphContext,
  caller: Caller,
  req: GraphRequest,
  mailbox: Mailbox,
  tail: string[],
  folder: StoredFolder,
  collectionPath: string,
  anyFolder: boolean,
): RoutedRequest {
  const method = req.method.toUpperCase();
  const routed = (run: RoutedRequest["run"]): RoutedRequest => ({ mailbox, run });
  if (tail.length === 0) {
    requireAccess(ctx, caller, mailbox, folder.id, accessFor(method));
    if (method === "GET") return routed(() => contacts.listContacts(ctx, mailbox, folder, req, collectionPath));
    if (method === "POST") return routed(() => contacts.createContact(ctx, mailbox, folder, req));
    throw methodNotAllowed();
  }
  if (tail[0] === "delta" && tail.length === 1 && !anyFolder) {
    if (method !== "GET") throw methodNotAllowed();
    requireAccess(ctx, caller, mailbox, folder.id, "read");
    // Delta is documented for no folder reached through a delegated share (no .Shared permission in
    // api/contact-delta.md); message delta on a shared folder answered 404 ErrorItemNotFound
    // ([O] microsoft-graph-docs#12427; research/graph-checks.md row 2).
    if (isDelegate(caller, mailbox) && ctx.options.behaviour.sharedFolderDelta === "refuse") throw itemNotFound();
    return routed(() => contactDelta(ctx, mailbox, folder, req, `${collectionPath}/delta`));
  }
  if (tail.length > 1) throw segmentNotFound(tail[1]!);
  const id = checkId(tail[0]!);
  // /contacts/{id} looks the item up in the whole mailbox, Deleted Items too ([O] a Microsoft PR on
  // contact-get, microsoftgraph/microsoft-graph-docs#12673); a folder-scoped path needs the item to be
  // in that folder [U].
  const contact = findContact(mailbox, id);
  if (!contact || (!anyFolder && contact.folderId !== folder.id)) throw itemNotFound();
  requireAccess(ctx, caller, mailbox, contact.folderId, accessFor(method));
  if (method === "GET") return routed(() => contacts.getContact(ctx, mailbox, id, req));
  if (method === "PATCH") return routed(() => contacts.patchContact(ctx, mailbox, id, req));
  if (method === "DELETE") return routed(() => contacts.deleteContactRoute(ctx, mailbox, id, req));
  throw methodNotAllowed();
}
