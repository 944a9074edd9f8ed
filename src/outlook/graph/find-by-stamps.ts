// Finds the folder's contacts whose stamp names the same practice record as given stamps (R2
// re-linking, R13 in-flight creates). Graph documents the string `eq` filter on extended properties
// for messages and events only, not contacts (research/graph-checks.md row 4; a documented string
// filter on events was even seen answering 200 with an empty list), so no filter is sent: the folder
// is listed with the stamp expanded and matched here. Cost: one request per 500 contacts in the
// folder, whatever the number of stamps (contact-reads.ts, LIST_PAGE_SIZE).
import type { OutlookContact } from "../../sync/model";
import { stampKey } from "../../sync/model";
import type { CallOptions } from "../../sync/ports";
import { listFolderContacts } from "./contact-reads";
import type { GraphTransport } from "./graph-transport";

export async function findByStamps(t: GraphTransport, folderPath: string, stamps: string[], call: CallOptions = {}): Promise<OutlookContact[]> {
  // A stamp also records origin and a create token (model.ts): contacts match on the record it names.
  const wanted = new Set(stamps.map(stampKey).filter((k): k is string => k !== null));
  if (wanted.size === 0) return [];
  const all = await listFolderContacts(t, folderPath, call);
  return all.filter((c) => {
    const key = c.stamp === undefined ? null : stampKey(c.stamp);
    return key !== null && wanted.has(key);
  });
}
