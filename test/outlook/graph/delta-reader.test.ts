// Delta paging without a server: replays within a round, both links on one page, a 4xx resync code.
import { CursorExpiredError, MalformedResponseError } from "../../../src/sync/ports";
import { readDeltaRound } from "../../../src/outlook/graph/delta-reader";
import { createGraphTransport } from "../../../src/outlook/graph/graph-transport";

const G = "https://g.example/v1.0";
const contact = (id: string, givenName: string) => ({ id, changeKey: `ck-${givenName}`, lastModifiedDateTime: "2026-11-25T06:00:00Z", givenName });

function pages(bodies: Array<{ status?: number; body: unknown }>) {
  const urls: string[] = [];
  const prefer: Array<string | null> = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(String(input));
    prefer.push(new Headers(init?.headers).get("prefer"));
    const next = bodies.shift()!;
    return new Response(JSON.stringify(next.body), { status: next.status ?? 200, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
  return { t: createGraphTransport({ graphUrl: G, getToken: async () => "t", fetch: fetchImpl, maxRetries: 0 }), urls, prefer };
}

const target = { folderPath: "/me/contactFolders/F", pageSize: 100 };

describe("readDeltaRound", () => {
  it("merges replays within a round: the last word on an id wins", async () => {
    const { t, urls, prefer } = pages([
      { body: { value: [contact("a", "A1"), contact("b", "B1")], "@odata.nextLink": `${G}/me/contactFolders/F/contacts/delta?$skiptoken=s1` } },
      { body: { value: [contact("a", "A2"), { id: "b", "@removed": { reason: "deleted" } }, { id: "c", "@removed": { reason: "deleted" } }, contact("c", "C1")], "@odata.nextLink": `${G}/me/contactFolders/F/contacts/delta?$skiptoken=s2` } },
      { body: { value: [], "@odata.deltaLink": `${G}/me/contactFolders/F/contacts/delta?$deltatoken=d1` } },
    ]);
    const out = await readDeltaRound(t, target, null);
    expect([...out.changed]).toEqual([["a", "ck-A2"], ["c", "ck-C1"]]);
    expect([...out.removed]).toEqual(["b"]);
    expect(out.deltaLink).toBe(`${G}/me/contactFolders/F/contacts/delta?$deltatoken=d1`);
    expect(urls[1]).toBe(`${G}/me/contactFolders/F/contacts/delta?$skiptoken=s1`);
    // $select only: contact delta documents nothing else (no $expand, no $filter)
    expect(urls[0]).toBe(`${G}/me/contactFolders/F/contacts/delta?$select=id,changeKey`);
    // the page size and immutable ids are asked for on every page
    expect(prefer).toEqual(Array(3).fill('odata.maxpagesize=100, IdType="ImmutableId"'));
  });

  it.each([
    ["both links on one page", { value: [], "@odata.nextLink": `${G}/x`, "@odata.deltaLink": `${G}/y` }],
    ["no link at all", { value: [] }],
    ["a nextLink to another host", { value: [], "@odata.nextLink": "https://evil.example/v1.0/x" }],
    ["a removed entry without id", { value: [{ "@removed": { reason: "deleted" } }], "@odata.deltaLink": `${G}/y` }],
    ["an entry without id", { value: [{ changeKey: "x" }], "@odata.deltaLink": `${G}/y` }],
  ])("rejects %s as malformed", async (_what, body) => {
    const { t } = pages([{ body }]);
    await expect(readDeltaRound(t, target, null)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it.each([
    [410, "SyncStateNotFound"],
    [400, "resyncRequired"],
    [404, "syncStateNotFound"],
    [410, "SyncStateInvalid"],
    [400, "syncStateInvalid"],
  ])("turns %i %s into CursorExpiredError", async (status, code) => {
    const { t } = pages([{ status, body: { error: { code, message: "The sync state generation is not found" } } }]);
    await expect(readDeltaRound(t, target, `${G}/me/contactFolders/F/contacts/delta?$deltatoken=old`)).rejects.toBeInstanceOf(CursorExpiredError);
  });
});
