// Reads a contacts folder's delta query (research/graph-contacts.md §4) for change detection only:
// which contacts changed or left the folder since the last round, and the next deltaLink. Contact
// delta documents `$select` and nothing else (research/graph-checks.md rows 1 and 14), and an update
// carries "at least" the changed properties (row 6), so nothing here is taken as a contact's state:
// the caller reads changed contacts in full (contact-reads.ts).
import type { CallOptions } from "../../sync/ports";
import { CursorExpiredError, MalformedResponseError } from "../../sync/ports";
import { describeFailure, unavailable } from "./graph-errors";
import type { GraphTransport } from "./graph-transport";
import { PREFER_IMMUTABLE_ID } from "./graph-transport";

export interface DeltaTarget {
  /** "/me/contactFolders/{id}" or "/users/{upn}/contactFolders/{id}" */
  folderPath: string;
  /** Prefer: odata.maxpagesize; Outlook pages hold at most 200 ([O] research/graph-checks.md row 10). */
  pageSize: number;
}

export interface DeltaRound {
  /** Ids reported as created or changed, with the changeKey when the item carried one. */
  changed: Map<string, string | undefined>;
  /** Ids reported as removed (after the last word on each id in the round). */
  removed: Set<string>;
  deltaLink: string;
}

/** The properties asked of delta: enough to tell what changed, nothing the round's state is taken from. */
export const DELTA_SELECT = "id,changeKey";

/**
 * Expired or unusable sync state: 410 Gone, or an error whose code says so (§4 "Engine rule",
 * research/graph-checks.md row 14: SyncStateInvalid, ERR's resyncRequired), whatever the status.
 */
export function isExpiredSyncState(status: number, code: string): boolean {
  if (status === 410) return true;
  return status >= 400 && /^(syncstatenotfound|syncstateinvalid|resyncrequired)$/i.test(code);
}

export function firstDeltaPath(target: DeltaTarget): string {
  return `${target.folderPath}/contacts/delta?$select=${DELTA_SELECT}`;
}

/**
 * One delta round: from the first call (deltaLink null) or from a stored deltaLink, following
 * nextLinks to the next deltaLink. Throws CursorExpiredError when the state is gone (a full read is
 * then safe: R2, R8) and StoreUnavailableError when a page cannot be read; nothing is returned for a
 * round that did not complete, so no token advances past a failed read.
 */
export async function readDeltaRound(t: GraphTransport, target: DeltaTarget, deltaLink: string | null, opts: CallOptions = {}): Promise<DeltaRound> {
  let path: string;
  if (deltaLink === null) {
    path = firstDeltaPath(target);
  } else {
    const rel = t.relative(deltaLink);
    // A link taken through another endpoint (another proxy, another tenant) cannot be replayed here.
    if (rel === null) throw new CursorExpiredError("outlook", "The stored Outlook delta link belongs to another Graph endpoint; a full read is needed.");
    path = rel;
  }
  const changed = new Map<string, string | undefined>();
  const removed = new Set<string>();
  let pages = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    let page: unknown;
    try {
      // Prefer is re-sent on every page: the SDK does not carry it over (§4 "Page size", §10).
      const req = t.client.api(path).header("Prefer", `odata.maxpagesize=${target.pageSize}, ${PREFER_IMMUTABLE_ID}`);
      if (opts.signal) req.option("signal", opts.signal);
      page = await req.get();
    } catch (err) {
      opts.signal?.throwIfAborted();
      const f = describeFailure(err);
      if (isExpiredSyncState(f.status, f.code)) throw new CursorExpiredError("outlook", `Outlook's delta token has expired (${f.code || f.status}); a full read is needed.`);
      throw unavailable("read the Outlook folder's changes", f);
    }
    pages++;
    const { items, nextLink, deltaLink: link } = readPage(page, pages);
    // The same contact may appear more than once in a round (§4 "Duplicates/replays"): the last word wins.
    for (const item of items) {
      if (typeof item.id !== "string" || item.id === "") throw new MalformedResponseError("outlook", `Delta page ${pages}: an entry has no id.`);
      if ("@removed" in item) {
        changed.delete(item.id);
        removed.add(item.id);
      } else {
        removed.delete(item.id);
        changed.set(item.id, typeof item.changeKey === "string" && item.changeKey !== "" ? item.changeKey : undefined);
      }
    }
    opts.onProgress?.(changed.size + removed.size);
    if (link !== undefined) return { changed, removed, deltaLink: link };
    const next = t.relative(nextLink as string);
    if (next === null) throw new MalformedResponseError("outlook", `Delta page ${pages}: the nextLink does not point under graphUrl.`);
    path = next;
  }
}

function readPage(page: unknown, n: number): { items: Array<Record<string, unknown>>; nextLink?: string; deltaLink?: string } {
  const bad = (why: string) => new MalformedResponseError("outlook", `Delta page ${n} is malformed: ${why}.`);
  if (!page || typeof page !== "object" || Array.isArray(page)) throw bad("not a JSON object");
  const rec = page as Record<string, unknown>;
  if (!Array.isArray(rec.value)) throw bad('no "value" array');
  const nextLink = rec["@odata.nextLink"];
  const deltaLink = rec["@odata.deltaLink"];
  if (nextLink !== undefined && typeof nextLink !== "string") throw bad("@odata.nextLink is not a string");
  if (deltaLink !== undefined && typeof deltaLink !== "string") throw bad("@odata.deltaLink is not a string");
  // Each page carries either a nextLink or a deltaLink, never both (§4 "Paging").
  if ((nextLink === undefined) === (deltaLink === undefined)) throw bad("it must carry exactly one of @odata.nextLink and @odata.deltaLink");
  for (const item of rec.value) {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw bad("an entry is not an object");
  }
  return { items: rec.value as Array<Record<string, unknown>>, nextLink: nextLink as string | undefined, deltaLink: deltaLink as string | undefined };
}
