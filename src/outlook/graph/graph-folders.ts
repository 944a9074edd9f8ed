// Contact folders of a mailbox as a tree, and creating folders (research/graph-contacts.md §2).
// `/contactFolders` lists the children of the default Contacts folder; nested folders need
// `childFolders`; another mailbox is reached under /users/{upn} and answers 403 unless shared.
import { describeFailure } from "./graph-errors";
import type { GraphFailure } from "./graph-errors";
import type { GraphTransportOptions } from "./graph-transport";
import { PREFER_IMMUTABLE_ID, createGraphTransport, mailboxPath } from "./graph-transport";

export interface ContactFolderNode {
  id: string;
  displayName: string;
  parentFolderId: string | null;
  /** True for the mailbox's default Contacts folder. */
  isDefault: boolean;
  children: ContactFolderNode[];
}

/** Base class of the folder errors: `message` is written for the user. */
export class GraphFolderError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(message: string, status: number, code: string) {
    super(message);
    this.name = "GraphFolderError";
    this.status = status;
    this.code = code;
  }
}

/** 403: the mailbox's folders are not shared with the signed-in user. */
export class FolderAccessError extends GraphFolderError {
  readonly mailbox: string;
  constructor(mailbox: string, f: GraphFailure) {
    super(
      mailbox === "me"
        ? "Outlook refused access to your contacts folders. Sign in again, and check that the add-in was granted access to your contacts."
        : // Listing another mailbox's folders needs its default Contacts folder shared with you; a share of one
          // subfolder allows GET by that folder's id only (research/graph-checks.md row 3).
          `Outlook would not list the contacts folders of ${mailbox}. Ask the owner of that mailbox to share its Contacts folder itself (not only a subfolder) with you, with the Editor permission so the sync can write, then try again. A folder shared with you on its own can still be opened by its id.`,
      f.status,
      f.code,
    );
    this.name = "FolderAccessError";
    this.mailbox = mailbox;
  }
}

/** 409 ErrorFolderExists: a folder of that name already exists under that parent. */
export class FolderExistsError extends GraphFolderError {
  constructor(name: string, f: GraphFailure) {
    super(`A contacts folder named "${name}" already exists there. Choose another name or pick the existing folder.`, f.status, f.code);
    this.name = "FolderExistsError";
  }
}

/** 404: no such mailbox (a mistyped address) or no such parent folder. */
export class FolderNotFoundError extends GraphFolderError {
  constructor(message: string, f: GraphFailure) {
    super(message, f.status, f.code);
    this.name = "FolderNotFoundError";
  }
}

export interface GraphFolders {
  /** The default Contacts folder with its subfolders, nested. */
  listFolders(mailbox: "me" | string): Promise<ContactFolderNode[]>;
  /**
   * One folder by id, with its subfolders when they can be listed: the documented way to reach a folder
   * shared with the user when the mailbox's root cannot be listed (SHARED; research/graph-checks.md row 3).
   */
  getFolder(mailbox: "me" | string, folderId: string): Promise<ContactFolderNode>;
  createFolder(mailbox: "me" | string, name: string, parentId?: string | null): Promise<ContactFolderNode>;
}

interface RawFolder {
  id: string;
  displayName: string;
  parentFolderId: string | null;
}

function readFolder(raw: unknown): RawFolder {
  const rec = (raw ?? {}) as Record<string, unknown>;
  if (typeof rec.id !== "string" || typeof rec.displayName !== "string") {
    throw new GraphFolderError("Outlook returned a folder without an id or a name.", 0, "MalformedResponse");
  }
  return { id: rec.id, displayName: rec.displayName, parentFolderId: typeof rec.parentFolderId === "string" ? rec.parentFolderId : null };
}

/** Deep folder trees are rare; the bound keeps a cyclic answer from looping forever. */
const MAX_DEPTH = 16;
const DEFAULT_FOLDER_NAME = "Contacts";

export function createGraphFolders(opts: Pick<GraphTransportOptions, "graphUrl" | "getToken" | "fetch" | "maxRetries" | "sleep" | "requestTimeoutMs">): GraphFolders {
  const t = createGraphTransport(opts);

  function failure(mailbox: string, err: unknown, what: string): Error {
    const f = describeFailure(err);
    if (f.status === 401) return new GraphFolderError("Outlook did not accept your sign-in (it may have expired). Sign in again, then try again.", f.status, f.code);
    if (f.status === 403) return new FolderAccessError(mailbox, f);
    if (f.status === 404) {
      return new FolderNotFoundError(
        mailbox === "me" ? `Outlook could not find that folder: ${f.message}` : `Outlook could not find the mailbox ${mailbox} or that folder: ${f.message}`,
        f,
      );
    }
    return new GraphFolderError(`Could not ${what} (${f.status ? `HTTP ${f.status}` : "no answer"}): ${f.message}`, f.status, f.code);
  }

  async function getJson(path: string): Promise<unknown> {
    return t.client.api(path).header("Prefer", PREFER_IMMUTABLE_ID).get();
  }

  async function listAll(path: string): Promise<RawFolder[]> {
    const out: RawFolder[] = [];
    let next: string | null = `${path}?$top=100`;
    while (next) {
      const page = (await getJson(next)) as { value?: unknown; "@odata.nextLink"?: unknown };
      if (!Array.isArray(page?.value)) throw new GraphFolderError("Outlook returned a folder list without a value array.", 0, "MalformedResponse");
      out.push(...page.value.map(readFolder));
      const link = page["@odata.nextLink"];
      next = typeof link === "string" ? t.relative(link) : null;
    }
    return out;
  }

  async function subtree(base: string, folder: RawFolder, depth: number): Promise<ContactFolderNode> {
    const kids = depth < MAX_DEPTH ? await listAll(`${base}/contactFolders/${encodeURIComponent(folder.id)}/childFolders`) : [];
    return {
      ...folder,
      isDefault: false,
      children: await Promise.all(kids.map((k) => subtree(base, k, depth + 1))),
    };
  }

  /** The default folder's id: the parent of the top-level folders, else the parent of any contact. */
  async function defaultFolderId(base: string, top: RawFolder[]): Promise<string | null> {
    const fromFolders = top.find((f) => f.parentFolderId)?.parentFolderId;
    if (fromFolders) return fromFolders;
    const page = (await getJson(`${base}/contacts?$top=1&$select=parentFolderId`)) as { value?: Array<{ parentFolderId?: unknown }> };
    const fromContact = page?.value?.[0]?.parentFolderId;
    return typeof fromContact === "string" ? fromContact : null;
  }

  return {
    async listFolders(mailbox) {
      const base = mailboxPath(mailbox);
      try {
        const top = await listAll(`${base}/contactFolders`);
        const children = await Promise.all(top.map((f) => subtree(base, f, 1)));
        let defaultId: string | null = null;
        try {
          defaultId = await defaultFolderId(base, top);
        } catch (err) {
          // A delegate may see shared subfolders without seeing the default folder itself.
          if (describeFailure(err).status !== 403) throw err;
        }
        if (defaultId === null) return children;
        return [{ id: defaultId, displayName: DEFAULT_FOLDER_NAME, parentFolderId: null, isDefault: true, children }];
      } catch (err) {
        if (err instanceof GraphFolderError) throw err;
        throw failure(mailbox, err, `list the contacts folders of ${mailbox === "me" ? "your mailbox" : mailbox}`);
      }
    },

    async getFolder(mailbox, folderId) {
      const base = mailboxPath(mailbox);
      try {
        const folder = readFolder(await getJson(`${base}/contactFolders/${encodeURIComponent(folderId)}`));
        try {
          return await subtree(base, folder, 1);
        } catch (err) {
          // The folder itself is shared; its subfolders may not be.
          if (describeFailure(err).status !== 403) throw err;
          return { ...folder, isDefault: false, children: [] };
        }
      } catch (err) {
        if (err instanceof GraphFolderError) throw err;
        throw failure(mailbox, err, `open the contacts folder ${folderId} of ${mailbox === "me" ? "your mailbox" : mailbox}`);
      }
    },

    async createFolder(mailbox, name, parentId) {
      const displayName = name.trim();
      if (!displayName) throw new GraphFolderError("A folder needs a name.", 400, "InvalidName");
      const base = mailboxPath(mailbox);
      const path = parentId ? `${base}/contactFolders/${encodeURIComponent(parentId)}/childFolders` : `${base}/contactFolders`;
      try {
        const created = readFolder(await t.client.api(path).header("Prefer", PREFER_IMMUTABLE_ID).post({ displayName }));
        return { ...created, isDefault: false, children: [] };
      } catch (err) {
        if (err instanceof GraphFolderError) throw err;
        const f = describeFailure(err);
        if (f.status === 409) throw new FolderExistsError(displayName, f);
        throw failure(mailbox, err, `create the folder "${displayName}"`);
      }
    },
  };
}
