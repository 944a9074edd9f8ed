// Contact folders (CF): list the children of the default Contacts folder, childFolders, create (409
// ErrorFolderExists on a duplicate name), get, rename, delete; and the user entity behind /me.
import { badRequest, folderExists } from "./errors";
import { childFolders, createFolder, deleteFolder } from "./mailbox-store";
import type { GraphContext, GraphRequest, GraphResponse } from "./graph-types";
import { JSON_CONTENT_TYPE } from "./graph-types";
import type { Mailbox, StoredFolder } from "./state-types";

const json = (status: number, body: unknown): GraphResponse => ({ status, headers: { "Content-Type": JSON_CONTENT_TYPE }, body });

function folderJson(folder: StoredFolder): Record<string, unknown> {
  return { id: folder.id, displayName: folder.displayName, parentFolderId: folder.parentFolderId };
}

export function getUser(ctx: GraphContext, mailbox: Mailbox): GraphResponse {
  return json(200, {
    "@odata.context": `${ctx.graphBase}/$metadata#users/$entity`,
    id: mailbox.id,
    displayName: mailbox.displayName,
    userPrincipalName: mailbox.upn,
    mail: mailbox.upn,
  });
}

/** Lists child folders the caller may see (a delegate sees only the folders shared with it: SHARED). */
export function listFolders(ctx: GraphContext, mailbox: Mailbox, parentId: string, req: GraphRequest, visible: (f: StoredFolder) => boolean): GraphResponse {
  const all = childFolders(mailbox, parentId).filter(visible);
  const top = req.query.get("$top") === null ? 10 : Math.max(0, Math.min(1000, Number(req.query.get("$top")) || 0));
  const skip = Math.max(0, Number(req.query.get("$skip")) || 0);
  const page = all.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.graphBase}/$metadata#users('${mailbox.id}')/contactFolders`,
    value: page.map(folderJson),
  };
  if (skip + top < all.length) {
    body["@odata.nextLink"] = `${ctx.graphBase}${req.path}?$top=${top}&$skip=${skip + top}`;
  }
  return json(200, body);
}

function folderName(body: unknown): string {
  const name = (body as { displayName?: unknown } | null)?.displayName;
  if (typeof name !== "string" || name.trim() === "") throw badRequest("displayName is required.", "ErrorInvalidRequest");
  return name;
}

export function createChildFolder(ctx: GraphContext, mailbox: Mailbox, parentId: string, req: GraphRequest): GraphResponse {
  const folder = createFolder(mailbox, parentId, folderName(req.body));
  ctx.changed();
  const created = json(201, { "@odata.context": `${ctx.graphBase}/$metadata#users('${mailbox.id}')/contactFolders/$entity`, ...folderJson(folder) });
  created.headers.Location = `${ctx.graphBase}/users/${mailbox.id}/contactFolders/${folder.id}`; // [U] as for contacts
  return created;
}

export function getFolder(ctx: GraphContext, mailbox: Mailbox, folder: StoredFolder): GraphResponse {
  return json(200, { "@odata.context": `${ctx.graphBase}/$metadata#users('${mailbox.id}')/contactFolders/$entity`, ...folderJson(folder) });
}

export function patchFolder(ctx: GraphContext, mailbox: Mailbox, folder: StoredFolder, req: GraphRequest): GraphResponse {
  const name = folderName(req.body);
  const clash = childFolders(mailbox, folder.parentFolderId).some((f) => f.id !== folder.id && f.displayName.toLowerCase() === name.toLowerCase());
  if (clash) throw folderExists();
  folder.displayName = name;
  ctx.changed();
  return getFolder(ctx, mailbox, folder);
}

export function deleteFolderRoute(ctx: GraphContext, mailbox: Mailbox, folder: StoredFolder): GraphResponse {
  if (folder.id === mailbox.contactsFolderId) throw badRequest("The default Contacts folder cannot be deleted.", "ErrorDeleteDistinguishedFolder");
  deleteFolder(mailbox, folder, ctx.now());
  ctx.changed();
  return { status: 204, headers: {} };
}
