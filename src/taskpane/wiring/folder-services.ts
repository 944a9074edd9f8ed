// Adapts the Graph folder API to the views: mailbox null = the user's own ("me").
import type { FolderServices, OutlookFolder } from "../services";

interface FolderNodeLike {
  id: string;
  displayName: string;
  children: FolderNodeLike[];
}

/** The slice of src/outlook/graph/graph-folders.ts the pane uses. */
export interface GraphFoldersLike {
  listFolders(mailbox: string): Promise<FolderNodeLike[]>;
  createFolder(mailbox: string, name: string, parentId?: string | null): Promise<FolderNodeLike>;
}

function tree(n: FolderNodeLike): OutlookFolder {
  return { id: n.id, displayName: n.displayName, children: n.children.map(tree) };
}

/**
 * `own` answers for the user's mailbox, `shared` for others: a shared mailbox needs a token with
 * the ".Shared" Graph scope, which the user may not have consented to until they add one.
 */
export function createFolderServices(own: GraphFoldersLike, shared: GraphFoldersLike): FolderServices {
  const pick = (mailbox: string | null) => (mailbox ? shared : own);
  return {
    listFolders: async (mailbox) => (await pick(mailbox).listFolders(mailbox ?? "me")).map(tree),
    createFolder: async (mailbox, parentId, name) => tree(await pick(mailbox).createFolder(mailbox ?? "me", name, parentId)),
  };
}
