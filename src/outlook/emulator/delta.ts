// Contact delta per folder (C-DELTA, DQ, DQ-MSG): $skiptoken nextLinks, then a $deltatoken deltaLink;
// parameters of the first call are kept in the token (DQ); replays allowed; only the last N sync-state
// generations per folder are kept, older ones give 410 SyncStateNotFound ([O] docs#2162, #2350).
import { badRequest, syncStateNotFound } from "./errors";
import { newToken } from "./ids";
import { parseSelect, serializeContact } from "./contact-shape";
import type { GraphContext, GraphRequest, GraphResponse } from "./graph-types";
import { JSON_CONTENT_TYPE, parsePrefer, wantsImmutableIds } from "./graph-types";
import type { DeltaState, Mailbox, StoredContact, StoredFolder, Tombstone } from "./state-types";

/** [O] Outlook's delta pages hold at most 200 items (Microsoft Q&A a/2052165; research/graph-checks.md row 10). */
export const MAX_DELTA_PAGE_SIZE = 200;

/**
 * Contact delta documents `$select` only (api/contact-delta.md, research/graph-checks.md rows 1 and 14):
 * any other query option is refused, or dropped when the behaviour says so. `$skiptoken`/`$deltatoken`
 * are the links' own.
 */
function checkDeltaQuery(ctx: GraphContext, req: GraphRequest): void {
  for (const key of req.query.keys()) {
    if (key === "$select" || key === "$skiptoken" || key === "$deltatoken") continue;
    if (ctx.options.behaviour.deltaQueryOptions === "ignore") continue;
    // [I] Graph's wording for an unsupported query option on this endpoint; the 400 is what the
    // documentation's silence and the message/event reports (docs#2270, #1993) point to.
    throw badRequest(`The query parameter '${key}' is not supported on contact delta.`, "ErrorInvalidUrlQuery");
  }
}

function generationOf(token: string): number | null {
  const m = /^g(\d+)_/.exec(token);
  return m ? Number(m[1]) : null;
}

function expiredMessage(folder: StoredFolder, mailbox: Mailbox, token: string): string {
  const live = folder.liveDeltaTokens.map((t) => mailbox.deltaStates[t]?.generation).filter((g): g is number => g !== undefined);
  const generation = generationOf(token) ?? 0;
  // Text modelled on the observed message ([O] microsoftgraph/microsoft-graph-docs#2350).
  return `The sync state generation is not found; generation=${generation};[highest=${folder.deltaGeneration}]${live
    .slice()
    .reverse()
    .map((g) => `[${g}]`)
    .join("")}.`;
}

function issueToken(ctx: GraphContext, mailbox: Mailbox, folder: StoredFolder, state: Omit<DeltaState, "generation">): string {
  folder.deltaGeneration += 1;
  const token = `g${folder.deltaGeneration}_${newToken()}`;
  mailbox.deltaStates[token] = { ...state, generation: folder.deltaGeneration };
  folder.liveDeltaTokens.push(token);
  while (folder.liveDeltaTokens.length > ctx.options.deltaGenerations) {
    const evicted = folder.liveDeltaTokens.shift()!;
    delete mailbox.deltaStates[evicted];
  }
  pruneTombstones(mailbox, folder);
  return token;
}

/** Tombstones older than every live token can never be reported again. */
function pruneTombstones(mailbox: Mailbox, folder: StoredFolder): void {
  const floors = folder.liveDeltaTokens.map((t) => mailbox.deltaStates[t]).filter((s): s is DeltaState => !!s).map((s) => s.afterSeq);
  const floor = floors.length > 0 ? Math.min(...floors) : Infinity;
  if (folder.tombstones.length > 0 && folder.tombstones[0]!.seq <= floor) {
    folder.tombstones = folder.tombstones.filter((t) => t.seq > floor);
  }
}

/** Drops every sync state of the mailbox (fault injection: expireDeltaTokens). */
export function expireAllDeltaTokens(mailbox: Mailbox): void {
  mailbox.deltaStates = {};
  for (const folder of Object.values(mailbox.folders)) folder.liveDeltaTokens = [];
}

type Entry = { seq: number; contact?: StoredContact; tombstone?: Tombstone };

export function contactDelta(ctx: GraphContext, mailbox: Mailbox, folder: StoredFolder, req: GraphRequest, linkPath: string): GraphResponse {
  const skipToken = req.query.get("$skiptoken");
  const deltaToken = req.query.get("$deltatoken");
  const token = skipToken ?? deltaToken;
  checkDeltaQuery(ctx, req);
  const resetLink = `${ctx.graphBase}${linkPath}?$deltatoken=`;
  let round: Omit<DeltaState, "generation" | "kind">;
  if (token) {
    const found = mailbox.deltaStates[token];
    if (!found || found.folderId !== folder.id) throw syncStateNotFound(expiredMessage(folder, mailbox, token), resetLink);
    round =
      found.kind === "delta"
        ? { ...found, sinceSeq: found.uptoSeq, afterSeq: found.uptoSeq, uptoSeq: mailbox.seq, initial: false }
        : { ...found };
  } else {
    // A first call, or an empty $deltatoken (the reset URL of a 410, DQ): a full round.
    const select = req.query.get("$select");
    parseSelect(select);
    // Delta never expands extended properties (checkDeltaQuery): the state keeps no expansion.
    round = { folderId: folder.id, sinceSeq: 0, afterSeq: 0, uptoSeq: mailbox.seq, initial: true, select, expand: null };
  }
  const prefs = parsePrefer(req.headers["prefer"]);
  const pageSize = pageSizeFrom(prefs.get("odata.maxpagesize"), ctx.options.deltaPageSize);

  const entries: Entry[] = [];
  for (const contact of Object.values(mailbox.contacts)) {
    if (contact.folderId === folder.id && contact.seq > round.afterSeq && contact.seq <= round.uptoSeq) entries.push({ seq: contact.seq, contact });
  }
  if (!round.initial || ctx.options.behaviour.removedInFirstRound) {
    // DQ: items deleted before the first round are not returned; later removals are. The overview
    // also allows `@removed` in a first round (research/graph-checks.md row 14): a behaviour switch.
    for (const t of folder.tombstones) if (t.seq > round.afterSeq && t.seq <= round.uptoSeq) entries.push({ seq: t.seq, tombstone: t });
  }
  entries.sort((a, b) => a.seq - b.seq);
  const page = entries.slice(0, pageSize);
  const more = entries.length > pageSize;

  const immutable = wantsImmutableIds(req.headers);
  const select = parseSelect(round.select);
  const value = page.map((e) => {
    if (e.tombstone) {
      // DQ/DQ-MSG removed entry; reason "deleted" for Outlook items [U for contacts moved out of the folder].
      return {
        "@odata.type": "#microsoft.graph.contact",
        id: immutable ? e.tombstone.immutableId : e.tombstone.restId,
        "@removed": { reason: "deleted" },
      };
    }
    if (!round.initial && ctx.options.behaviour.partialDeltaItems) {
      // "At least the updated properties" (DQ): the least is the id and the version.
      const full = serializeContact(e.contact!, { immutableIds: immutable, select: ["changeKey"], behaviour: ctx.options.behaviour });
      return { "@odata.type": "#microsoft.graph.contact", "@odata.etag": full["@odata.etag"], id: full.id, changeKey: full.changeKey };
    }
    return { "@odata.type": "#microsoft.graph.contact", ...serializeContact(e.contact!, { immutableIds: immutable, select, behaviour: ctx.options.behaviour }) };
  });

  const next: Omit<DeltaState, "generation"> = more
    ? { ...round, kind: "skip", afterSeq: page[page.length - 1]!.seq }
    : { ...round, kind: "delta", afterSeq: round.uptoSeq };
  const issued = issueToken(ctx, mailbox, folder, next);
  ctx.changed();
  const body: Record<string, unknown> = { "@odata.context": `${ctx.graphBase}/$metadata#Collection(contact)` };
  // DQ: a page carries either a nextLink or a deltaLink, never both.
  if (more) body["@odata.nextLink"] = `${ctx.graphBase}${linkPath}?$skiptoken=${issued}`;
  else body["@odata.deltaLink"] = `${ctx.graphBase}${linkPath}?$deltatoken=${issued}`;
  body.value = value;
  const headers: Record<string, string> = { "Content-Type": JSON_CONTENT_TYPE };
  if (prefs.has("odata.maxpagesize")) headers["Preference-Applied"] = `odata.maxpagesize=${pageSize}`;
  return { status: 200, headers, body };
}

function pageSizeFrom(requested: string | undefined, fallback: number): number {
  if (requested === undefined) return fallback;
  const n = Number(requested);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`Invalid odata.maxpagesize '${requested}'.`, "ErrorInvalidRequest");
  return Math.min(n, MAX_DELTA_PAGE_SIZE);
}
