// The OutlookStore's readChanges (src/sync/ports.ts) on documented ground (research/graph-checks.md
// rows 1, 2 and 6):
// - delta mode: contact delta with `$select` says which contacts changed or left; the changed ones are
//   then read whole, with their stamp and fax numbers, by the cheaper of a folder listing and `$batch`
//   GETs by id. A property absent from a delta item is therefore never taken as cleared.
// - list mode, for a folder reached through a delegated share (delta is documented for no shared
//   folder, row 2): the folder is listed and compared by changeKey with what the last read saw.
// Nothing is returned for a read that did not complete, so the engine's token never advances past it.
import type { OutlookContact } from "../../sync/model";
import type { CallOptions, OutlookChanges } from "../../sync/ports";
import { CursorExpiredError } from "../../sync/ports";
import { byIdCost, listFolderContacts, listingCost, readContactsById } from "./contact-reads";
import { readDeltaRound } from "./delta-reader";
import { decodeFolderToken, encodeFolderToken } from "./folder-token";
import type { GraphTransport } from "./graph-transport";

export type FolderReadMode = "delta" | "list";

export interface FolderReadTarget {
  folderPath: string;
  /** Delta page size (Prefer: odata.maxpagesize). */
  pageSize: number;
  mode: FolderReadMode;
}

/** A contact this store already holds in full at exactly this changeKey (its own write, or a read). */
export type KnownContact = (id: string, changeKey: string) => OutlookContact | undefined;

export async function readFolder(
  t: GraphTransport,
  target: FolderReadTarget,
  token: string | null,
  known: KnownContact,
  call: CallOptions = {},
): Promise<OutlookChanges> {
  const parsed = token === null ? null : decodeFolderToken(token);
  if (parsed && parsed.mode !== target.mode) {
    // The folder's access changed (say, from a delegated share to application access): start over.
    throw new CursorExpiredError("outlook", "The stored Outlook read token was taken in another read mode; a full read is needed.");
  }
  if (target.mode === "list") return readByListing(t, target, parsed?.mode === "list" ? parsed.seen : null, call);
  return readByDelta(t, target, parsed?.mode === "delta" ? parsed : null, known, call);
}

async function readByDelta(
  t: GraphTransport,
  target: FolderReadTarget,
  last: { link: string; size?: number } | null,
  known: KnownContact,
  call: CallOptions,
): Promise<OutlookChanges> {
  const round = await readDeltaRound(t, target, last?.link ?? null, call);
  if (last === null) {
    // A full read: the round gives the deltaLink; the listing, taken after it, gives every contact
    // whole (anything changed in between comes again in the next round). An empty round needs no listing.
    const all = round.changed.size === 0 ? [] : await listFolderContacts(t, target.folderPath, call);
    return { upserts: all, removed: [], deltaToken: encodeFolderToken({ mode: "delta", link: round.deltaLink, size: all.length }), full: true };
  }
  const upserts: OutlookContact[] = [];
  const toRead: string[] = [];
  for (const [id, changeKey] of round.changed) {
    const held = changeKey === undefined ? undefined : known(id, changeKey);
    if (held) upserts.push(held);
    else toRead.push(id);
  }
  const removed = new Set(round.removed);
  let size: number | undefined = last.size;
  // When the folder's size is unknown, reading by id is the bounded choice.
  const estimate = Math.max(size ?? Infinity, toRead.length);
  if (toRead.length > 0 && listingCost(estimate) < byIdCost(toRead.length)) {
    const all = await listFolderContacts(t, target.folderPath, call);
    const byId = new Map(all.map((c) => [c.id, c]));
    for (const id of toRead) {
      const c = byId.get(id);
      if (c) upserts.push(c);
      else removed.add(id); // reported as changed, no longer in the folder: it left since
    }
    size = all.length;
  } else {
    const { found, gone } = await readContactsById(t, target.folderPath, toRead, call);
    upserts.push(...found);
    for (const id of gone) removed.add(id);
    if (size !== undefined) size = Math.max(0, size - removed.size, upserts.length);
  }
  const deltaToken = encodeFolderToken(size === undefined ? { mode: "delta", link: round.deltaLink } : { mode: "delta", link: round.deltaLink, size });
  return { upserts, removed: [...removed], deltaToken, full: false };
}

async function readByListing(t: GraphTransport, target: FolderReadTarget, seen: Record<string, string> | null, call: CallOptions): Promise<OutlookChanges> {
  const all = await listFolderContacts(t, target.folderPath, call);
  const now: Record<string, string> = {};
  for (const c of all) now[c.id] = c.changeKey;
  const deltaToken = encodeFolderToken({ mode: "list", seen: now });
  if (seen === null) return { upserts: all, removed: [], deltaToken, full: true };
  return {
    upserts: all.filter((c) => seen[c.id] !== c.changeKey),
    removed: Object.keys(seen).filter((id) => !(id in now)),
    deltaToken,
    full: false,
  };
}
