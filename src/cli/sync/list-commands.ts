// `contact-sync folders` and `contact-sync filters`: what a person needs to fill in --folder and --filter.
import type { ContactFilter } from "../../sync/filters";
import type { FiltersCommand, FoldersCommand } from "./args";
import type { FilterApi, FolderApi, FolderInfo } from "./resolve";
import type { CliIO } from "./run-sync";

export async function runFolders(cmd: FoldersCommand, api: FolderApi, io: CliIO): Promise<number> {
  if (cmd.create) {
    const made = await api.createFolder(cmd.connection.mailbox, cmd.create, cmd.parent);
    io.stdout.write(cmd.json ? `${JSON.stringify(made)}\n` : `Created "${made.displayName}" (${made.id}).\n`);
    return 0;
  }
  const folders = await api.listFolders(cmd.connection.mailbox);
  io.stdout.write(cmd.json ? `${JSON.stringify(folders, null, 2)}\n` : `${renderFolders(folders)}\n`);
  return 0;
}

export function renderFolders(folders: readonly FolderInfo[]): string {
  if (folders.length === 0) return "No contacts folders.";
  const rows = folders.map((f) => [f.path ?? f.displayName, f.id]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([name, id]) => `${name.padEnd(width)}  ${id}`).join("\n");
}

export async function runFilters(cmd: FiltersCommand, api: FilterApi, io: CliIO): Promise<number> {
  const filters = await api.listFilters();
  io.stdout.write(cmd.json ? `${JSON.stringify(filters, null, 2)}\n` : `${renderFilters(filters)}\n`);
  return 0;
}

export function renderFilters(filters: readonly ContactFilter[]): string {
  if (filters.length === 0) return "No filters: use --filter none to sync every contact.";
  const width = Math.max(...filters.map((f) => f.name.length));
  return filters
    .map((f) => {
      const criteria = f.criteria.map((c) => `${c.field} ${c.method}${c.values.length ? ` ${c.values.join("|")}` : ""}`);
      return `${f.name.padEnd(width)}  ${f.id}  (${f.match === "all" ? "all of" : "any of"}: ${criteria.join("; ")})`;
    })
    .join("\n");
}
