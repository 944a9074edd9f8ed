// Builds the real world of a run: the practice API client and the Graph adapter, each with its own
// counting fetch over one keep-alive transport, and tokens from dev routes or Entra ID (auth.ts).
import { createGraphFolders, createGraphOutlookStore, type ContactFolderNode, type GraphFolders } from "../../outlook/graph";
import { createPracticeClient } from "../../practice-api/client";
import type { ConnectionOptions } from "./args";
import { tokenProviders } from "./auth";
import { usageError } from "./exit-codes";
import { countingFetch, createTransport } from "./http";
import type { LeaseApi } from "./lease";
import type { FilterApi, FolderApi, FolderInfo } from "./resolve";
import type { SyncWiring } from "./run-sync";

const DELTA_PAGE_SIZE = 500;

export interface Connected {
  wiring: SyncWiring;
  close(): Promise<void>;
}

export function connect(conn: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Connected {
  const transport = createTransport({ caFile: conn.caFile });
  // Token requests go through their own counter: the report counts API requests only.
  const tokens = tokenProviders(conn, countingFetch(transport.fetch).fetch, env);
  const practiceFetch = countingFetch(transport.fetch);
  const graphFetch = countingFetch(transport.fetch);

  const practice = conn.practiceUrl
    ? createPracticeClient({ baseUrl: conn.practiceUrl, getToken: tokens.practice!, fetch: practiceFetch.fetch })
    : null;
  const folders = conn.graphUrl
    ? folderApi(createGraphFolders({ graphUrl: conn.graphUrl, getToken: tokens.graph!, fetch: graphFetch.fetch }))
    : null;
  const mailbox = conn.mailbox;

  const wiring: SyncWiring = {
    get practice() {
      if (!practice) throw usageError("This command needs --practice-url.");
      return practice as unknown as SyncWiring["practice"];
    },
    outlookFor(folderId: string) {
      if (!conn.graphUrl) throw usageError("This command needs --graph-url.");
      return createGraphOutlookStore({
        graphUrl: conn.graphUrl,
        mailbox,
        folderId,
        getToken: tokens.graph!,
        fetch: graphFetch.fetch,
        // Larger delta pages: a full read or the read-back after a big first sync costs a fifth of the
        // requests. Prefer: odata.maxpagesize is a hint, so Graph answering with smaller pages is harmless.
        pageSize: DELTA_PAGE_SIZE,
        // An app token (client credentials) may read any mailbox through delta; a user's token reaches a
        // shared mailbox through a delegated share, where the adapter lists the folder instead.
        access: conn.devAuth && conn.upn ? "delegated" : "application",
        ...(conn.maxWaitMs !== undefined ? { maxWaitMs: conn.maxWaitMs } : {}),
      });
    },
    get folders(): FolderApi {
      if (!folders) throw usageError("This command needs --graph-url.");
      return folders;
    },
    requests: () => ({ practice: practiceFetch.count(), graph: graphFetch.count() }),
    // Both tokens are asked for at once, while the run opens its state and loads its links, instead of
    // one after the other as each side is first read. A failure here is not reported: the first real
    // use asks again (the token cache keeps no failed request) and says what went wrong.
    prepare() {
      for (const get of [tokens.practice, tokens.graph]) get?.().catch(() => undefined);
    },
  };
  return { wiring, close: () => transport.close() };
}

export type PracticeApi = FilterApi & LeaseApi;

/** The adapter's folder tree as a flat list with "Parent/Child" paths (top-level folders by their name). */
function folderApi(graph: GraphFolders): FolderApi {
  const flatten = (nodes: readonly ContactFolderNode[], prefix: string, out: FolderInfo[]): FolderInfo[] => {
    for (const n of nodes) {
      const p = n.isDefault ? "" : `${prefix}${n.displayName}`;
      out.push({ id: n.id, displayName: n.displayName, parentFolderId: n.parentFolderId ?? undefined, path: n.isDefault ? n.displayName : p });
      flatten(n.children, p ? `${p}/` : "", out);
    }
    return out;
  };
  return {
    listFolders: async (mailbox) => flatten(await graph.listFolders(mailbox), "", []),
    createFolder: async (mailbox, name, parentId) => {
      const n = await graph.createFolder(mailbox, name, parentId ?? null);
      return { id: n.id, displayName: n.displayName, parentFolderId: n.parentFolderId ?? undefined };
    },
  };
}
