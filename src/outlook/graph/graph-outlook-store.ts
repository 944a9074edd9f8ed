// The engine's OutlookStore port (src/sync/ports.ts) over Microsoft Graph for one contacts folder
// of one mailbox: reads on documented ground (folder-reader.ts), $batch writes, stamps in one named
// extended property.
import type { FieldPatch, OutlookContact } from "../../sync/model";
import { parseStamp, stampKey } from "../../sync/model";
import type { CallOptions, OutlookChanges, OutlookCreate, OutlookStore, OutlookUpdate, WriteResult } from "../../sync/ports";
import type { BatchOp } from "./batch-runner";
import { MAX_BATCH_ITEMS, runBatched } from "./batch-runner";
import { capViolation, extendedValuesOf, fieldsToCreateBody, graphToOutlookContact, patchToGraphBody } from "./contact-mapping";
import type { ExtendedValues } from "./contact-mapping";
import { readContactsById } from "./contact-reads";
import { findByStamps } from "./find-by-stamps";
import type { FolderReadMode } from "./folder-reader";
import { readFolder } from "./folder-reader";
import type { GraphTransportOptions } from "./graph-transport";
import { createGraphTransport, mailboxPath } from "./graph-transport";

export interface GraphOutlookStoreOptions extends GraphTransportOptions {
  /** "me" or the UPN of a shared mailbox. */
  mailbox: "me" | string;
  folderId: string;
  /** Contacts per delta page (Prefer: odata.maxpagesize). Default 100; at most 200, Outlook's cap. */
  pageSize?: number;
  /**
   * How the token reaches the mailbox. "delegated" (the pane; the default) reads another user's or a
   * shared mailbox's folder by listing it, because delta is documented for no folder reached through
   * a delegated share (research/graph-checks.md row 2). "application" (the headless CLI with
   * application permissions) reads every mailbox through delta, as documented. The own mailbox ("me")
   * always uses delta.
   */
  access?: "delegated" | "application";
}

export interface GraphOutlookStore extends OutlookStore {
  /**
   * Items per write call that fill every concurrency slot exactly once: 20 per $batch × maxConcurrency
   * (80 by default). Calls of other sizes work, but a call of 100 takes two round trips (4 batches,
   * then 1), so a caller that chunks its writes should use a multiple of this.
   */
  readonly writeChunkSize: number;
  readonly pipelineDepth: number;
  /** HTTP requests sent so far (retries included), retries, and the most requests ever in flight. */
  stats(): { requests: number; retries?: number; peakConcurrency?: number };
}

export const DEFAULT_PAGE_SIZE = 100;
/** Write calls the engine may keep outstanding (OutlookStore.pipelineDepth). */
export const WRITE_PIPELINE_DEPTH = 2;
/** Outlook serves delta pages of at most 200 contacts ([O] research/graph-checks.md row 10). */
export const MAX_DELTA_PAGE_SIZE = 200;

/** What Graph does not echo on writes, remembered from reads: extended values and the display name. */
interface Remembered {
  displayName?: string;
  ext: ExtendedValues;
  /** The whole contact, when every field and extended value of it is known (a full read or our own write). */
  whole?: OutlookContact;
}

function invalid<T>(message: string): WriteResult<T> {
  return { ok: false, error: { code: "invalid", message, retryable: false } };
}

/** Puts the results of the sent items back among the refused ones, in request order. */
function merge<T>(total: number, refused: Map<number, WriteResult<T>>, sentIdx: number[], sent: WriteResult<T>[]): WriteResult<T>[] {
  const out: WriteResult<T>[] = new Array(total);
  for (const [i, r] of refused) out[i] = r;
  sentIdx.forEach((i, k) => (out[i] = sent[k]));
  return out;
}

export function createGraphOutlookStore(opts: GraphOutlookStoreOptions): GraphOutlookStore {
  if (!opts.folderId) throw new Error("folderId is required");
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  const t = createGraphTransport(opts);
  const folderPath = `${mailboxPath(opts.mailbox)}/contactFolders/${encodeURIComponent(opts.folderId)}`;
  const mode: FolderReadMode = opts.mailbox !== "me" && (opts.access ?? "delegated") === "delegated" ? "list" : "delta";
  const target = { folderPath, pageSize: Math.min(pageSize, MAX_DELTA_PAGE_SIZE), mode };
  const contactPath = (id: string) => `${folderPath}/contacts/${encodeURIComponent(id)}`;
  // Writes run as dependsOn chains so 4 batches in flight stay within Outlook's 4 concurrent requests.
  const writeMode = { serial: true };
  const remembered = new Map<string, Remembered>();

  const remember = (c: OutlookContact, whole: boolean) => {
    remembered.set(c.id, {
      displayName: c.fields.displayName,
      ext: { stamp: c.stamp, businessFax: c.fields.businessFax, homeFax: c.fields.homeFax, otherFax: c.fields.otherFax },
      whole: whole ? c : undefined,
    });
    return c;
  };
  const known = (id: string, changeKey: string) => {
    const w = remembered.get(id)?.whole;
    return w && w.changeKey === changeKey ? w : undefined;
  };

  /** Learns the display name (and extended values) of contacts this store has not seen yet. */
  async function learn(ids: string[], call: CallOptions): Promise<void> {
    if (!ids.length) return;
    try {
      const { found } = await readContactsById(t, folderPath, ids, { signal: call.signal });
      for (const c of found) remember(c, true);
    } catch (err) {
      // A failed look-up is not fatal: the PATCH then goes without displayName and reports its own error.
      call.signal?.throwIfAborted();
      if (!(err instanceof Error)) throw err;
    }
  }

  /**
   * Creates whose outcome is unknown (504, no answer) are never re-sent blind: the folder is searched
   * for their stamps first (R13; research/graph-checks.md row 8). A contact found with the same stamp
   * key and the same create token is the create that landed; the others are sent once more.
   */
  async function settleUncertainCreates(
    pending: Array<{ op: BatchOp<OutlookContact>; stamp: string }>,
    call: CallOptions,
  ): Promise<WriteResult<OutlookContact>[]> {
    const out: WriteResult<OutlookContact>[] = new Array(pending.length);
    let landed: OutlookContact[];
    try {
      landed = await findByStamps(t, folderPath, pending.map((p) => p.stamp), call);
    } catch (err) {
      call.signal?.throwIfAborted();
      const message = `Outlook did not say whether this contact was created, and the folder could not be searched for it: ${err instanceof Error ? err.message : String(err)}`;
      return pending.map(() => ({ ok: false, error: { code: "unavailable", message, retryable: true } }));
    }
    const resend: number[] = [];
    pending.forEach((p, i) => {
      const mine = parseStamp(p.stamp);
      const hit = landed.find((c) => {
        const theirs = c.stamp === undefined ? null : parseStamp(c.stamp);
        return theirs !== null && stampKey(c.stamp as string) === stampKey(p.stamp) && theirs.made === mine?.made;
      });
      if (hit) out[i] = { ok: true, value: remember(hit, true) };
      else resend.push(i);
    });
    if (resend.length) {
      const again = await runBatched(t, resend.map((i) => pending[i].op), { ...writeMode, uncertain: new Set() }, call);
      resend.forEach((i, k) => (out[i] = again[k]));
    }
    return out;
  }

  return {
    async readChanges(deltaToken: string | null, call: CallOptions = {}): Promise<OutlookChanges> {
      const unlisten = t.gate.listen(call.onWaiting);
      let changes: OutlookChanges;
      try {
        changes = await readFolder(t, target, deltaToken, known, call);
      } finally {
        unlisten();
      }
      for (const c of changes.upserts) remember(c, true);
      for (const id of changes.removed) remembered.delete(id);
      return changes;
    },

    async createContacts(items: OutlookCreate[], call: CallOptions = {}): Promise<WriteResult<OutlookContact>[]> {
      const refused = new Map<number, WriteResult<OutlookContact>>();
      const sentIdx: number[] = [];
      const ops: BatchOp<OutlookContact>[] = [];
      items.forEach((item, i) => {
        const over = capViolation(item.fields);
        if (over) return refused.set(i, invalid(over));
        if (!item.stamp) return refused.set(i, invalid("A contact created by the sync must carry a stamp (R2)."));
        sentIdx.push(i);
        const sentExt = extendedValuesOf(item.fields as FieldPatch, item.stamp);
        ops.push({
          method: "POST",
          url: `${folderPath}/contacts`,
          body: fieldsToCreateBody(item.fields, item.stamp),
          // The 201 answer omits extended properties (research/graph-contacts.md §7): fill in what we sent.
          onSuccess: (_s, body) => remember(graphToOutlookContact(body, sentExt), true),
        });
      });
      const uncertain = new Set<number>();
      const sent = await runBatched(t, ops, { ...writeMode, uncertain }, call);
      if (uncertain.size) {
        const which = [...uncertain].sort((a, b) => a - b);
        const settled = await settleUncertainCreates(which.map((k) => ({ op: ops[k], stamp: items[sentIdx[k]].stamp })), call);
        which.forEach((k, j) => (sent[k] = settled[j]));
      }
      return merge(items.length, refused, sentIdx, sent);
    },

    async updateContacts(items: OutlookUpdate[], call: CallOptions = {}): Promise<WriteResult<OutlookContact>[]> {
      // The engine names the display name to keep (OutlookUpdate.displayName); only when neither it nor the
      // patch says, and this store has not seen the contact, is the current name looked up first.
      const unknown = items
        .filter((u) => !("displayName" in u.patch) && u.displayName === undefined && !remembered.has(u.id))
        .map((u) => u.id);
      await learn([...new Set(unknown)], call);
      const refused = new Map<number, WriteResult<OutlookContact>>();
      const sentIdx: number[] = [];
      const ops: BatchOp<OutlookContact>[] = [];
      items.forEach((item, i) => {
        const over = capViolation(item.patch);
        if (over) return refused.set(i, invalid(over));
        sentIdx.push(i);
        const before = remembered.get(item.id);
        const ext: ExtendedValues = { ...before?.ext, ...extendedValuesOf(item.patch, item.stamp) };
        ops.push({
          method: "PATCH",
          url: contactPath(item.id),
          // displayName is resent on every PATCH, or Graph regenerates it (research/graph-contacts.md §1.1).
          // No If-Match: Graph does not document it for contacts (§3.2); the engine compares changeKeys.
          body: patchToGraphBody(item.patch, { stamp: item.stamp, displayName: item.displayName ?? before?.displayName }),
          // Whole only when every extended value was known before (the answer omits them: §7).
          onSuccess: (_s, body) => remember(graphToOutlookContact(body, ext), before?.whole !== undefined),
        });
      });
      const sent = await runBatched(t, ops, writeMode, call);
      return merge(items.length, refused, sentIdx, sent);
    },

    async deleteContacts(ids: string[], call: CallOptions = {}): Promise<WriteResult<null>[]> {
      // Graph DELETE moves the contact to Deleted Items: recoverable (R9, research/graph-contacts.md §3).
      const ops: BatchOp<null>[] = ids.map((id) => ({
        method: "DELETE",
        url: contactPath(id),
        onSuccess: () => {
          remembered.delete(id);
          return null;
        },
      }));
      return runBatched(t, ops, writeMode, call);
    },

    async findByStamps(stamps: string[], call: CallOptions = {}): Promise<OutlookContact[]> {
      const found = await findByStamps(t, folderPath, stamps, call);
      for (const c of found) remember(c, true);
      return found;
    },

    writeChunkSize: MAX_BATCH_ITEMS * t.maxConcurrency,
    // Two calls outstanding: the next call's batches wait in the in-flight limiter, so each slot that
    // frees is taken at once while the engine journals and commits around the round trips.
    pipelineDepth: WRITE_PIPELINE_DEPTH,
    stats: () => t.stats(),
  };
}
