// Turns the --folder and --filter a person typed (a name or an id) into ids. A resolved name is
// remembered in the state directory, so a routine run spends no request on it (the no-op sync's
// request budget, DESIGN §7) and the folder keeps its identity even if renamed in Outlook.
import type { ContactFilter } from "../../sync/filters";
import { usageError } from "./exit-codes";
import type { SqliteSyncCache } from "./sqlite-cache";

export interface FolderInfo {
  id: string;
  displayName: string;
  parentFolderId?: string;
  /** "Parent/Child" for nested folders, when the adapter gives it. */
  path?: string;
}

export interface FolderApi {
  listFolders(mailbox: string): Promise<FolderInfo[]>;
  createFolder(mailbox: string, name: string, parentId?: string): Promise<FolderInfo>;
}

export interface FilterApi {
  listFilters(): Promise<ContactFilter[]>;
}

type Meta = Pick<SqliteSyncCache, "getMeta" | "setMeta">;

export async function resolveFolder(
  api: FolderApi,
  meta: Meta,
  mailbox: string,
  wanted: string,
  create: boolean,
): Promise<{ id: string; name: string; created: boolean }> {
  const key = `folder:${mailbox.toLowerCase()}:${wanted}`;
  const remembered = meta.getMeta(key);
  if (remembered) return { ...(JSON.parse(remembered) as { id: string; name: string }), created: false };

  const folders = await api.listFolders(mailbox);
  const byId = folders.find((f) => f.id === wanted);
  const lower = wanted.toLowerCase();
  const byName = byId ? [] : folders.filter((f) => (f.path ?? f.displayName).toLowerCase() === lower || f.displayName.toLowerCase() === lower);
  let found: { id: string; name: string; created: boolean };
  if (byId) found = { id: byId.id, name: byId.path ?? byId.displayName, created: false };
  else if (byName.length === 1) found = { id: byName[0].id, name: byName[0].path ?? byName[0].displayName, created: false };
  else if (byName.length > 1) {
    throw usageError(
      `Several folders are named "${wanted}" in ${mailbox}: ${byName.map((f) => `${f.path ?? f.displayName} (${f.id})`).join(", ")}. Pass --folder with the id.`,
    );
  } else if (create) {
    const parts = wanted.split("/").filter(Boolean);
    const name = parts.pop() ?? wanted;
    const parentPath = parts.join("/");
    let parentId: string | undefined;
    if (parentPath) {
      const parent = folders.find((f) => (f.path ?? f.displayName).toLowerCase() === parentPath.toLowerCase());
      if (!parent) throw usageError(`Cannot create "${wanted}": there is no folder "${parentPath}" in ${mailbox}.`);
      parentId = parent.id;
    }
    const made = await api.createFolder(mailbox, name, parentId);
    found = { id: made.id, name: wanted, created: true };
  } else {
    throw usageError(
      `There is no contacts folder "${wanted}" in ${mailbox}. Add --create-folder to create it, or list folders with "contact-sync folders".`,
    );
  }
  meta.setMeta(key, JSON.stringify({ id: found.id, name: found.name }));
  return found;
}

export async function resolveFilter(
  api: FilterApi,
  meta: Meta,
  wanted: string | null,
): Promise<{ id: string | null; name?: string }> {
  if (wanted === null) return { id: null };
  const key = `filter:${wanted}`;
  const remembered = meta.getMeta(key);
  if (remembered) return JSON.parse(remembered) as { id: string; name: string };
  const filters = await api.listFilters();
  const byId = filters.find((f) => f.id === wanted);
  const byName = byId ? [] : filters.filter((f) => f.name.trim().toLowerCase() === wanted.trim().toLowerCase());
  let found: ContactFilter;
  if (byId) found = byId;
  else if (byName.length === 1) found = byName[0];
  else if (byName.length > 1) {
    throw usageError(`Several filters are named "${wanted}": ${byName.map((f) => f.id).join(", ")}. Pass --filter with the id.`);
  } else {
    throw usageError(`There is no filter "${wanted}". List them with "contact-sync filters", or pass --filter none for every contact.`);
  }
  const out = { id: found.id, name: found.name };
  meta.setMeta(key, JSON.stringify(out));
  return out;
}
