// Full reads of contacts, through the calls Microsoft documents with `$expand` of extended properties
// (research/graph-contacts.md §7, C-GET, C-LIST): a folder listing, or GETs by id inside `$batch`.
// Delta is never asked for extended properties: contact delta documents `$select` only
// (research/graph-checks.md row 1), so stamps and fax numbers always come from here.
import type { OutlookContact } from "../../sync/model";
import type { CallOptions } from "../../sync/ports";
import { MalformedResponseError } from "../../sync/ports";
import { runBatched } from "./batch-runner";
import { CONTACT_SELECT, graphToOutlookContact } from "./contact-mapping";
import { extendedPropertiesExpand } from "./extended-properties";
import { describeFailure, unavailable } from "./graph-errors";
import type { GraphTransport } from "./graph-transport";
import { PREFER_IMMUTABLE_ID } from "./graph-transport";

/**
 * Contacts per listing page. Outlook lists accept `$top` up to 1000 ([O] §9); half that keeps each
 * answer (every property plus the expansion) well clear of the gateway timeouts large pages cause
 * ([D] §6).
 */
export const LIST_PAGE_SIZE = 500;
/** GETs per `$batch` (Graph's limit, §5). */
const BATCH_SIZE = 20;

/** Requests a listing of `size` contacts costs. */
export function listingCost(size: number): number {
  return Math.max(1, Math.ceil(size / LIST_PAGE_SIZE));
}

/** Requests reading `count` contacts by id costs. */
export function byIdCost(count: number): number {
  return Math.ceil(count / BATCH_SIZE);
}

const expandQuery = () => `$select=${CONTACT_SELECT}&$expand=${encodeURIComponent(extendedPropertiesExpand())}`;

function readList(body: unknown, what: string): { contacts: OutlookContact[]; nextLink?: string } {
  if (!body || typeof body !== "object" || !Array.isArray((body as { value?: unknown }).value)) {
    throw new MalformedResponseError("outlook", `${what}: the answer has no "value" array.`);
  }
  const rec = body as { value: unknown[]; "@odata.nextLink"?: unknown };
  const next = rec["@odata.nextLink"];
  if (next !== undefined && typeof next !== "string") throw new MalformedResponseError("outlook", `${what}: @odata.nextLink is not a string.`);
  return { contacts: rec.value.map((c) => graphToOutlookContact(c)), nextLink: next };
}

/** Every contact of the folder with its stamp and fax numbers, page after page (C-LIST, §9). */
export async function listFolderContacts(t: GraphTransport, folderPath: string, call: CallOptions = {}): Promise<OutlookContact[]> {
  const what = "list the Outlook folder";
  const out: OutlookContact[] = [];
  let path: string | null = `${folderPath}/contacts?${expandQuery()}&$top=${LIST_PAGE_SIZE}`;
  while (path) {
    call.signal?.throwIfAborted();
    let body: unknown;
    try {
      const req = t.client.api(path).header("Prefer", PREFER_IMMUTABLE_ID);
      if (call.signal) req.option("signal", call.signal);
      body = await req.get();
    } catch (err) {
      call.signal?.throwIfAborted();
      throw unavailable(what, describeFailure(err));
    }
    const page = readList(body, what);
    out.push(...page.contacts);
    call.onProgress?.(out.length);
    if (page.nextLink === undefined) break;
    path = t.relative(page.nextLink);
    if (path === null) throw new MalformedResponseError("outlook", `${what}: a nextLink does not point under graphUrl.`);
  }
  return out;
}

/**
 * The contacts with these ids, read whole (C-GET with `$expand`, 20 per `$batch`). Ids no longer in
 * the folder (404) are returned as `gone`. Any other failure throws: a read that did not complete
 * must not advance the caller's token.
 */
export async function readContactsById(
  t: GraphTransport,
  folderPath: string,
  ids: string[],
  call: CallOptions = {},
): Promise<{ found: OutlookContact[]; gone: string[] }> {
  if (ids.length === 0) return { found: [], gone: [] };
  const ops = ids.map((id) => ({
    method: "GET" as const,
    url: `${folderPath}/contacts/${encodeURIComponent(id)}?${expandQuery()}`,
    onSuccess: (_s: number, body: unknown) => graphToOutlookContact(body),
  }));
  // GETs change nothing, so the items need no order.
  const results = await runBatched(t, ops, { serial: false }, { signal: call.signal });
  const found: OutlookContact[] = [];
  const gone: string[] = [];
  results.forEach((r, i) => {
    if (r.ok) found.push(r.value);
    else if (r.error.code === "not_found") gone.push(ids[i]);
    else throw unavailable("read changed Outlook contacts", { status: 0, code: r.error.code, message: r.error.message });
  });
  return { found, gone };
}
