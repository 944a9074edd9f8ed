// Reads a contacts folder through Graph's delta query (research/graph-contacts.md §4): the first
// round enumerates the folder, later rounds return changes and `@removed` entries. The whole
// deltaLink URL is the token the engine stores.
import type { CallOptions, OutlookChanges } from "../../sync/ports";
import { CursorExpiredError, MalformedResponseError } from "../../sync/ports";
import type { OutlookContact } from "../../sync/model";
import { CONTACT_SELECT, graphToOutlookContact } from "./contact-mapping";
import { extendedPropertiesExpand } from "./extended-properties";
import { describeFailure, unavailable } from "./graph-errors";
import type { GraphTransport } from "./graph-transport";
import { PREFER_IMMUTABLE_ID } from "./graph-transport";

export interface DeltaTarget {
  /** "/me/contactFolders/{id}" or "/users/{upn}/contactFolders/{id}" */
  folderPath: string;
  pageSize: number;
}

/** Expired sync state: 410 Gone, or a 4xx carrying syncStateNotFound / resyncRequired (§4 "Engine rule"). */
export function isExpiredSyncState(status: number, code: string): boolean {
  if (status === 410) return true;
  return status >= 400 && status < 500 && /^(syncstatenotfound|resyncrequired)$/i.test(code);
}

export function firstDeltaPath(target: DeltaTarget): string {
  return `${target.folderPath}/contacts/delta?$select=${CONTACT_SELECT}&$expand=${encodeURIComponent(extendedPropertiesExpand())}`;
}

export async function readFolderDelta(
  t: GraphTransport,
  target: DeltaTarget,
  deltaToken: string | null,
  opts: CallOptions = {},
): Promise<OutlookChanges> {
  let path: string;
  if (deltaToken === null) {
    path = firstDeltaPath(target);
  } else {
    const rel = t.relative(deltaToken);
    // A token taken through another endpoint (another proxy, another tenant) cannot be replayed here;
    // a full read is safe because stamps re-link (R2, R8).
    if (rel === null) throw new CursorExpiredError("outlook", "The stored Outlook delta link belongs to another Graph endpoint; a full read is needed.");
    path = rel;
  }
  const upserts = new Map<string, OutlookContact>();
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
    const { items, nextLink, deltaLink } = readPage(page, pages);
    // The same contact may appear more than once in a round (§4 "Duplicates/replays"): the last word wins.
    for (const item of items) {
      if ("@removed" in item) {
        if (typeof item.id !== "string") throw new MalformedResponseError("outlook", `Delta page ${pages}: a removed entry has no id.`);
        upserts.delete(item.id);
        removed.add(item.id);
      } else {
        // Assumption (§13): Outlook returns the whole $select set for a changed contact, not only changed fields.
        const contact = graphToOutlookContact(item);
        removed.delete(contact.id);
        upserts.set(contact.id, contact);
      }
    }
    opts.onProgress?.(upserts.size + removed.size);
    if (deltaLink !== undefined) {
      return { upserts: [...upserts.values()], removed: [...removed], deltaToken: deltaLink, full: deltaToken === null };
    }
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
