// Finds the folder's contacts that carry given stamps (R2 re-linking, R13 in-flight creates).
// Graph documents the string `eq` filter on extended properties for messages and events only
// (research/graph-contacts.md §7), so when the filter is refused the folder is listed with the
// properties expanded and matched here.
import type { OutlookContact } from "../../sync/model";
import type { CallOptions } from "../../sync/ports";
import { MalformedResponseError } from "../../sync/ports";
import { runBatched } from "./batch-runner";
import { CONTACT_SELECT, graphToOutlookContact } from "./contact-mapping";
import { extendedPropertiesExpand, stampFilter } from "./extended-properties";
import { describeFailure, unavailable } from "./graph-errors";
import type { GraphTransport } from "./graph-transport";
import { PREFER_IMMUTABLE_ID } from "./graph-transport";

const LIST_PAGE_SIZE = 500;
/**
 * Above this many stamps, one filtered GET per stamp (20 per $batch) costs more requests than
 * listing the folder in pages of 500, for folders up to ~10 × this size.
 */
export const LIST_INSTEAD_ABOVE = 200;

function readList(body: unknown, what: string): { contacts: OutlookContact[]; nextLink?: string } {
  if (!body || typeof body !== "object" || !Array.isArray((body as { value?: unknown }).value)) {
    throw new MalformedResponseError("outlook", `${what}: the answer has no "value" array.`);
  }
  const rec = body as { value: unknown[]; "@odata.nextLink"?: unknown };
  const next = rec["@odata.nextLink"];
  return { contacts: rec.value.map((c) => graphToOutlookContact(c)), nextLink: typeof next === "string" ? next : undefined };
}

async function getAll(t: GraphTransport, firstPath: string, what: string, call: CallOptions): Promise<OutlookContact[]> {
  const out: OutlookContact[] = [];
  let path: string | null = firstPath;
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
    if (page.nextLink === undefined) break;
    path = t.relative(page.nextLink);
    if (path === null) throw new MalformedResponseError("outlook", `${what}: a nextLink does not point under graphUrl.`);
  }
  return out;
}

/** Lists the whole folder with the stamp expanded; used when the server refuses the stamp filter. */
export function listFolderWithStamps(t: GraphTransport, folderPath: string, call: CallOptions): Promise<OutlookContact[]> {
  const path = `${folderPath}/contacts?$select=${CONTACT_SELECT}&$expand=${encodeURIComponent(extendedPropertiesExpand())}&$top=${LIST_PAGE_SIZE}`;
  return getAll(t, path, "list the Outlook folder", call);
}

export async function findByStamps(t: GraphTransport, folderPath: string, stamps: string[], call: CallOptions = {}): Promise<OutlookContact[]> {
  const wanted = new Set(stamps);
  if (wanted.size === 0) return [];
  if (wanted.size > LIST_INSTEAD_ABOVE) {
    return (await listFolderWithStamps(t, folderPath, call)).filter((c) => c.stamp !== undefined && wanted.has(c.stamp));
  }
  const expand = encodeURIComponent(extendedPropertiesExpand());
  const ops = [...wanted].map((stamp) => ({
    method: "GET" as const,
    url: `${folderPath}/contacts?$filter=${encodeURIComponent(stampFilter(stamp))}&$select=${CONTACT_SELECT}&$expand=${expand}`,
    onSuccess: (_status: number, body: unknown) => readList(body, "find contacts by stamp"),
  }));
  // GETs change nothing, so the batch items need no ordering.
  const results = await runBatched(t, ops, { serial: false }, { signal: call.signal });
  const found = new Map<string, OutlookContact>();
  let refused = false;
  for (const r of results) {
    if (r.ok) {
      for (const c of r.value.contacts) found.set(c.id, c);
      if (r.value.nextLink !== undefined) {
        const rel = t.relative(r.value.nextLink);
        if (rel === null) throw new MalformedResponseError("outlook", "find contacts by stamp: a nextLink does not point under graphUrl.");
        for (const c of await getAll(t, rel, "find contacts by stamp", call)) found.set(c.id, c);
      }
    } else if (r.error.code === "invalid") {
      // 400: the filter form is not supported on contacts in this mailbox.
      refused = true;
    } else {
      throw unavailable("look up contacts by stamp", { status: 0, code: r.error.code, message: r.error.message });
    }
  }
  if (refused) {
    for (const c of await listFolderWithStamps(t, folderPath, call)) found.set(c.id, c);
  }
  // The server matches values case-insensitively (§7); a stamp is an exact key.
  return [...found.values()].filter((c) => c.stamp !== undefined && wanted.has(c.stamp));
}
