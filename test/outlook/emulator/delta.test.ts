// §12.4: delta per folder with maxpagesize, $select, $skiptoken/$deltatoken links, @removed, replays,
// generation eviction (410 SyncStateNotFound) and the expireDeltaTokens fault.
import { startHarness, type Harness, IMMUTABLE, type Json } from "./harness";

let h: Harness;
let token: string;
let folderId: string;
const upn = "delta@example.test";

beforeAll(async () => {
  h = await startHarness({ deltaGenerations: 4 });
  token = await h.token({ upn });
  folderId = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Sync" })).json.id;
});
afterAll(() => h.close());

async function readAll(start: string, pageSize: number, headers: Record<string, string> = {}) {
  let url = start;
  const pages: Json[] = [];
  for (;;) {
    const r = await h.graph(token, "GET", url, undefined, { Prefer: `odata.maxpagesize=${pageSize}`, ...headers });
    if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
    pages.push(r.json);
    if (r.json["@odata.nextLink"]) url = r.json["@odata.nextLink"];
    else return { pages, deltaLink: r.json["@odata.deltaLink"] as string, items: pages.flatMap((p) => p.value) };
  }
}

test("first round pages with $skiptoken nextLinks, ends with a $deltatoken deltaLink, keeps $select", async () => {
  for (let i = 0; i < 7; i++) await h.graph(token, "POST", `/me/contactFolders/${folderId}/contacts`, { givenName: `P${i}`, surname: "Delta" });
  const { pages, deltaLink, items } = await readAll(`/me/contactFolders/${folderId}/contacts/delta?$select=givenName,surname`, 3);
  expect(pages.map((p) => p.value.length)).toEqual([3, 3, 1]);
  for (const p of pages.slice(0, -1)) {
    expect(p["@odata.nextLink"]).toMatch(new RegExp(`^${h.emu.graphUrl.replace(/\./g, "\\.")}/me/contactFolders/.+/contacts/delta\\?\\$skiptoken=`));
    expect(p["@odata.deltaLink"]).toBeUndefined();
  }
  expect(deltaLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/.*\$deltatoken=/);
  expect(items).toHaveLength(7);
  // $select from the first call is kept in the tokens; id and etag are always there.
  for (const item of items) expect(Object.keys(item).sort()).toEqual(["@odata.etag", "@odata.type", "givenName", "id", "surname"]);

  // Nothing changed: the deltaLink gives an empty page and a new deltaLink.
  const idle = await h.graph(token, "GET", deltaLink);
  expect(idle.json.value).toEqual([]);
  expect(idle.json["@odata.deltaLink"]).toBeDefined();

  // An update and a delete show up in the next round; the delete as @removed "deleted".
  const [a, b] = items;
  await h.graph(token, "PATCH", `/me/contacts/${a.id}`, { surname: "Changed" });
  await h.graph(token, "DELETE", `/me/contacts/${b.id}`);
  const next = await h.graph(token, "GET", idle.json["@odata.deltaLink"]);
  const removed = next.json.value.filter((v: Json) => v["@removed"]);
  const changed = next.json.value.filter((v: Json) => !v["@removed"]);
  expect(removed).toEqual([{ "@odata.type": "#microsoft.graph.contact", id: b.id, "@removed": { reason: "deleted" } }]);
  expect(changed).toHaveLength(1);
  expect(changed[0]).toMatchObject({ id: a.id, surname: "Changed" });

  // Replays are allowed: the same deltaLink again gives the same changes.
  const replay = await h.graph(token, "GET", idle.json["@odata.deltaLink"]);
  expect(replay.status).toBe(200);
  expect(replay.json.value.map((v: Json) => v.id).sort()).toEqual(next.json.value.map((v: Json) => v.id).sort());
});

test("only the last N generations are kept: an old link gives 410 SyncStateNotFound with a reset Location", async () => {
  const first = await readAll(`/me/contactFolders/${folderId}/contacts/delta`, 100);
  let link = first.deltaLink;
  const old = link;
  for (let i = 0; i < 5; i++) link = (await h.graph(token, "GET", link)).json["@odata.deltaLink"];
  const r = await h.graph(token, "GET", old);
  expect(r.status).toBe(410);
  expect(r.json.error.code).toBe("SyncStateNotFound");
  expect(r.json.error.message).toMatch(/^The sync state generation is not found; generation=\d+;\[highest=\d+\]/);
  expect(r.headers.get("location")).toMatch(/\/contacts\/delta\?\$deltatoken=$/);
  // The reset location starts a full round.
  const again = await h.graph(token, "GET", r.headers.get("location")!);
  expect(again.status).toBe(200);
  // The newest link still works.
  expect((await h.graph(token, "GET", link)).status).toBe(200);
});

test("expireDeltaTokens makes every stored link fail with 410", async () => {
  const { deltaLink } = await readAll(`/me/contactFolders/${folderId}/contacts/delta`, 100);
  await h.admin("POST", "/faults", { expireDeltaTokens: true });
  const r = await h.graph(token, "GET", deltaLink);
  expect(r.status).toBe(410);
  expect(r.json.error.code).toBe("SyncStateNotFound");
});

test("ImmutableId on delta: items and removals carry immutable ids; a move out of the folder is a removal", async () => {
  const other = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Other" })).json.id;
  const { deltaLink, items } = await readAll(`/me/contactFolders/${folderId}/contacts/delta`, 100, IMMUTABLE);
  expect(items.every((i: Json) => i.id.startsWith("AAkA"))).toBe(true);
  const victim = items[0];
  await h.admin("POST", `/mailboxes/${upn}/contacts/${victim.id}/move`, { folderId: other });
  const next = await h.graph(token, "GET", deltaLink, undefined, IMMUTABLE);
  expect(next.json.value).toEqual([{ "@odata.type": "#microsoft.graph.contact", id: victim.id, "@removed": { reason: "deleted" } }]);
  const target = await readAll(`/me/contactFolders/${other}/contacts/delta`, 100, IMMUTABLE);
  expect(target.items.map((i: Json) => i.id)).toEqual([victim.id]);
});

test("changes made while paging are not lost: they come in the next round", async () => {
  const fid = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Paging" })).json.id;
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await h.graph(token, "POST", `/me/contactFolders/${fid}/contacts`, { givenName: `Q${i}` })).json.id);
  const page1 = await h.graph(token, "GET", `/me/contactFolders/${fid}/contacts/delta`, undefined, { Prefer: "odata.maxpagesize=2" });
  // Edit one already returned and one not yet returned.
  await h.graph(token, "PATCH", `/me/contacts/${page1.json.value[0].id}`, { givenName: "Q0-edited" });
  await h.graph(token, "PATCH", `/me/contacts/${ids[3]}`, { givenName: "Q3-edited" });
  const rest = await readAllFrom(page1.json["@odata.nextLink"]);
  const round2 = await h.graph(token, "GET", rest.deltaLink);
  const seen = new Map<string, string>();
  for (const v of [...page1.json.value, ...rest.items, ...round2.json.value]) seen.set(v.id, v.givenName);
  expect(seen.get(page1.json.value[0].id)).toBe("Q0-edited");
  expect(seen.get(ids[3]!)).toBe("Q3-edited");
  expect(seen.size).toBe(4);
});

async function readAllFrom(url: string) {
  const items: Json[] = [];
  for (;;) {
    const r = await h.graph(token, "GET", url, undefined, { Prefer: "odata.maxpagesize=2" });
    items.push(...r.json.value);
    if (r.json["@odata.nextLink"]) url = r.json["@odata.nextLink"];
    else return { items, deltaLink: r.json["@odata.deltaLink"] as string };
  }
}

test("default page size without Prefer is 10, and Preference-Applied echoes maxpagesize", async () => {
  const fid = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Big" })).json.id;
  await h.admin("POST", `/mailboxes/${upn}/contacts`, { folderId: fid, contacts: Array.from({ length: 25 }, (_, i) => ({ givenName: `B${i}` })) });
  const r = await h.graph(token, "GET", `/me/contactFolders/${fid}/contacts/delta`);
  expect(r.json.value).toHaveLength(10);
  const p = await h.graph(token, "GET", `/me/contactFolders/${fid}/contacts/delta`, undefined, { Prefer: "odata.maxpagesize=20" });
  expect(p.json.value).toHaveLength(20);
  expect(p.headers.get("preference-applied")).toBe("odata.maxpagesize=20");
});
