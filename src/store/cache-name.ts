// One cache database per mailbox, folder and firm: links and cursors are only meaningful for
// that triple, and a user who switches folder or firm must not re-use another folder's links.
// Office's partitionKey (storage partitioning in Outlook on the web) prefixes the name so two
// partitions of one origin never share a database (research/addin-conventions.md).

export interface CacheScope {
  /** SMTP address of the mailbox that holds the folder (the user's own or a shared mailbox). */
  mailbox: string;
  /** Graph id of the synced contacts folder. */
  folderId: string;
  firmId: string;
  /** Office.context.partitionKey when defined. */
  partitionKey?: string;
}

const PREFIX = "practice-contact-sync";

function part(label: string, value: string | undefined): string {
  if (typeof value !== "string" || value.trim() === "") throw new Error(`cacheDatabaseName: ${label} is required.`);
  // Encoded so that a ":" inside a folder id cannot make two scopes collide.
  return encodeURIComponent(value.trim());
}

/** The IndexedDB name for a scope; mailbox addresses compare case-insensitively. */
export function cacheDatabaseName(scope: CacheScope): string {
  const name = [
    PREFIX,
    part("mailbox", scope.mailbox?.toLowerCase()),
    part("folderId", scope.folderId),
    part("firmId", scope.firmId),
  ].join(":");
  return scope.partitionKey ? `${part("partitionKey", scope.partitionKey)}:${name}` : name;
}
