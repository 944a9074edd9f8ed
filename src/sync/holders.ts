// R2: one practice record, several live Outlook contacts carrying its stamp. Told apart by what the
// stamps record and by the user's shared decisions, never by a guess:
// - same create token as another holder: a copy the user made (Outlook copies named properties), so a
//   new contact of its own (R7);
// - a different token, and the contact is one the sync let go (excluded, or retired after an
//   include-again or an R11 keep): it came back from Deleted Items, and the user decides;
// - a different token otherwise: the sync created the record twice (two devices racing), so one is
//   kept and the other goes to Deleted Items. Every device picks the same one (one born in Outlook, else
//   the smallest token), so two devices merging at once delete the same extra copy, never both.
import type { OutlookContact } from "./model";
import { parseStamp } from "./model";

export type HolderRole =
  | { role: "primary" }
  | { role: "copy"; of: string }
  | { role: "duplicate"; of: string }
  | { role: "restored"; of: string };

/**
 * Roles for the holders of one practice record. `linkedId` is the contact the cache links (if it is
 * live and among the holders); `letGo` the Outlook ids the user's decisions say the sync let go.
 */
export function classifyHolders(
  holders: readonly OutlookContact[],
  linkedId: string | undefined,
  letGo: ReadonlySet<string>,
): Map<string, HolderRole> {
  const roles = new Map<string, HolderRole>();
  const made = (o: OutlookContact) => (o.stamp ? (parseStamp(o.stamp)?.made ?? "") : "");
  // Same token: one contact and the user's copies of it. The linked one is the original when present.
  const byToken = new Map<string, OutlookContact[]>();
  for (const o of holders) byToken.set(made(o), [...(byToken.get(made(o)) ?? []), o]);
  const originals: OutlookContact[] = [];
  // The original is the one created first (a copy is a new item; a restored contact keeps its time),
  // then the linked one, then the smallest id.
  const earlier = (a: OutlookContact, b: OutlookContact) => {
    const x = a.created ? Date.parse(a.created) : NaN;
    const y = b.created ? Date.parse(b.created) : NaN;
    return Number.isNaN(x) || Number.isNaN(y) || x === y ? 0 : x - y;
  };
  for (const group of byToken.values()) {
    const sorted = [...group].sort(
      (a, b) => earlier(a, b) || (a.id === linkedId ? -1 : b.id === linkedId ? 1 : a.id < b.id ? -1 : 1),
    );
    originals.push(sorted[0]);
    for (const c of sorted.slice(1)) roles.set(c.id, { role: "copy", of: sorted[0].id });
  }
  if (originals.length === 1) {
    roles.set(originals[0].id, { role: "primary" });
    return roles;
  }
  // A contact born in Outlook is the user's own: the sync only ever creates practice-born ones (R6), so
  // next to one of those it is never the extra copy. Then the smallest token, then the id.
  const bornInOutlook = (o: OutlookContact) => (o.stamp ? parseStamp(o.stamp)?.origin === "outlook" : false);
  const byToken1st = (a: OutlookContact, b: OutlookContact) =>
    Number(bornInOutlook(b)) - Number(bornInOutlook(a)) || (made(a) < made(b) ? -1 : made(a) > made(b) ? 1 : a.id < b.id ? -1 : 1);
  const live = originals.filter((o) => !letGo.has(o.id));
  // Among contacts still in play the smallest token; if every one was let go, the linked one stays.
  const primary = live.length
    ? [...live].sort(byToken1st)[0]
    : (originals.find((o) => o.id === linkedId) ?? [...originals].sort(byToken1st)[0]);
  roles.set(primary.id, { role: "primary" });
  for (const o of originals) {
    if (o === primary) continue;
    roles.set(o.id, letGo.has(o.id) ? { role: "restored", of: primary.id } : { role: "duplicate", of: primary.id });
  }
  return roles;
}
