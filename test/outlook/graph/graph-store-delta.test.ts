// Delta reads against the mailbox emulator over real HTTPS.
import { CursorExpiredError, MalformedResponseError, StoreUnavailableError } from "../../../src/sync/ports";
import { createGraphFolders, createGraphOutlookStore } from "../../../src/outlook/graph";
import { STAMP_PROPERTY_ID } from "../../../src/outlook/graph/extended-properties";
import { decodeFolderToken } from "../../../src/outlook/graph/folder-token";
import { recordingSleep, startEmulator } from "./emulator-harness";
import type { EmulatorHarness } from "./emulator-harness";

const UPN = "delta@harbour.example";
let h: EmulatorHarness;
let token: string;
let folderId: string;
/** A small folder for the tests that are not about paging. */
let smallId: string;

function seedContacts(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => ({
    givenName: `Given${from + i}`,
    surname: "Seeded",
    emailAddresses: [{ address: `c${from + i}@example.com` }],
    singleValueExtendedProperties: [
      { id: STAMP_PROPERTY_ID, value: `firm:p${from + i}` },
      { id: "String 0x3A24", value: `+64 ${from + i}` },
    ],
  }));
}

beforeAll(async () => {
  h = await startEmulator();
  token = await h.token(UPN);
  const folders = createGraphFolders({ graphUrl: h.graphUrl, getToken: async () => token, fetch: h.fetch });
  folderId = (await folders.createFolder("me", "Delta")).id;
  // Seeded directly through the admin API: these tests are about reading.
  await h.admin("POST", `/mailboxes/${UPN}/contacts`, { folderId, contacts: seedContacts(3000) });
  smallId = (await folders.createFolder("me", "Small")).id;
  await h.admin("POST", `/mailboxes/${UPN}/contacts`, { folderId: smallId, contacts: seedContacts(40, 5000) });
});

afterAll(async () => {
  await h.close();
});

function store(extra: Partial<Parameters<typeof createGraphOutlookStore>[0]> = {}) {
  return createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: "me", folderId: smallId, getToken: async () => token, fetch: h.fetch, ...extra });
}

describe("delta reads", () => {
  it("enumerates thousands of contacts: delta pages of 100 for the token, the listing (with stamps and faxes) for the contacts", async () => {
    const s = store({ folderId });
    const pages: number[] = [];
    const changes = await s.readChanges(null, { onProgress: (done) => pages.push(done) });
    expect(changes.full).toBe(true);
    expect(changes.upserts).toHaveLength(3000);
    expect(changes.removed).toEqual([]);
    const token = decodeFolderToken(changes.deltaToken);
    expect(token).toMatchObject({ mode: "delta", size: 3000 });
    expect(token.mode === "delta" && token.link.startsWith(`${h.graphUrl}/`) && token.link.includes("deltatoken")).toBe(true);
    // 30 delta pages of 100 (and possibly one empty page carrying the deltaLink), then 6 listing pages of 500
    expect(s.stats().requests).toBeGreaterThanOrEqual(36);
    expect(s.stats().requests).toBeLessThanOrEqual(37);
    const c = changes.upserts.find((u) => u.fields.givenName === "Given7")!;
    expect(c.stamp).toBe("firm:p7");
    expect(c.fields.businessFax).toBe("+64 7");
    expect(c.fields.emailAddresses).toEqual([{ address: "c7@example.com" }]);
    expect(c.changeKey).not.toBe("");
    expect(c.id.startsWith("AAkA")).toBe(true); // immutable ids were asked for
  });

  it("returns only what changed since the token, deletions as removed ids", async () => {
    const s = store();
    const first = await s.readChanges(null);
    const [a, b] = first.upserts;
    const [upd] = await s.updateContacts([{ id: a.id, changeKey: a.changeKey, patch: { jobTitle: "Partner" } }]);
    expect(upd.ok).toBe(true);
    const [del] = await s.deleteContacts([b.id]);
    expect(del.ok).toBe(true);
    const next = await s.readChanges(first.deltaToken);
    expect(next.full).toBe(false);
    expect(next.upserts.map((u) => u.id)).toEqual([a.id]);
    expect(next.upserts[0].fields.jobTitle).toBe("Partner");
    expect(next.removed).toEqual([b.id]);
    const before = s.stats().requests;
    const quiet = await s.readChanges(next.deltaToken);
    expect(quiet.upserts).toEqual([]);
    expect(quiet.removed).toEqual([]);
    expect(s.stats().requests - before).toBe(1); // a no-op sync costs one Graph request on this side
  });

  it("reads changed contacts whole the cheaper way: by id for a few, by listing the folder for many", async () => {
    const s = store({ folderId });
    const first = await s.readChanges(null);
    const other = store({ folderId }); // another device edits: this store does not know the new changeKeys
    const edit = (n: number) =>
      other.updateContacts(first.upserts.slice(0, n).map((c) => ({ id: c.id, changeKey: c.changeKey, patch: { jobTitle: `T${n}` }, displayName: c.fields.displayName })));
    await edit(30);
    let before = s.stats().requests;
    const few = await s.readChanges(first.deltaToken);
    expect(few.upserts).toHaveLength(30);
    expect(few.upserts.every((c) => c.fields.jobTitle === "T30" && c.stamp !== undefined && c.fields.businessFax !== undefined)).toBe(true);
    expect(s.stats().requests - before).toBe(1 + 2); // one delta page, 30 GETs in 2 batches
    await edit(600);
    before = s.stats().requests;
    const many = await s.readChanges(few.deltaToken);
    expect(many.upserts).toHaveLength(600);
    expect(many.upserts.every((c) => c.fields.jobTitle === "T600" && c.stamp !== undefined)).toBe(true);
    // 6 delta pages of 100, then the folder of 3000 in 6 pages of 500 instead of 30 batches by id
    expect(s.stats().requests - before).toBeLessThanOrEqual(7 + 6);
  });

  it("asks for delta pages of at most 200, Outlook's cap", async () => {
    const prefer: string[] = [];
    const watching = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes("/delta")) prefer.push(new Headers(init?.headers).get("prefer") ?? "");
      return h.fetch(input, init);
    }) as typeof fetch;
    await store({ pageSize: 500, fetch: watching }).readChanges(null);
    expect(prefer[0]).toContain("odata.maxpagesize=200");
  });

  it("turns an expired delta token (410 SyncStateNotFound) into CursorExpiredError", async () => {
    const s = store();
    const first = await s.readChanges(null);
    await h.admin("POST", "/faults", { expireDeltaTokens: true });
    await expect(s.readChanges(first.deltaToken)).rejects.toBeInstanceOf(CursorExpiredError);
    // and the full read that follows works
    expect((await s.readChanges(null)).upserts.length).toBeGreaterThan(30);
  });

  it("treats a token from another Graph endpoint as expired", async () => {
    await expect(store().readChanges("https://elsewhere.example/v1.0/me/contactFolders/x/contacts/delta?$deltatoken=abc")).rejects.toBeInstanceOf(
      CursorExpiredError,
    );
    await expect(store().readChanges("pcs-folder:{not json")).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it("retries 503s and gives StoreUnavailableError when they do not stop", async () => {
    const { sleep, waits } = recordingSleep();
    await h.admin("POST", "/faults", { status: 503, count: 2 });
    const ok = await store({ sleep }).readChanges(null);
    expect(ok.upserts.length).toBeGreaterThan(30);
    expect(waits).toHaveLength(2);

    await h.admin("POST", "/faults", { status: 503, count: 10 });
    const failing = store({ sleep, maxRetries: 3 });
    const err = await failing.readChanges(null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as StoreUnavailableError).status).toBe(503);
    expect(failing.stats().requests).toBe(4);
    await h.admin("POST", "/faults", { clear: true });
  });

  it("abandons a hung request after requestTimeoutMs and retries the read", async () => {
    await h.admin("POST", "/faults", { hang: true, count: 1 });
    const { sleep, waits } = recordingSleep();
    const s = store({ requestTimeoutMs: 1500, sleep });
    const read = await s.readChanges(null);
    expect(read.upserts.length).toBeGreaterThan(30);
    expect(waits.length).toBeGreaterThanOrEqual(1); // at least the hung one was given up and retried
  });

  it("stops when the caller cancels, before sending anything", async () => {
    const s = store();
    const abort = new AbortController();
    abort.abort(new Error("user cancelled"));
    await expect(s.readChanges(null, { signal: abort.signal })).rejects.toThrow("user cancelled");
    await expect(s.createContacts([{ stamp: "firm:x", fields: { givenName: "X" } }], { signal: abort.signal })).rejects.toThrow("user cancelled");
    expect(s.stats().requests).toBe(0);
  });

  it("rejects a malformed page with MalformedResponseError", async () => {
    // A fetch that corrupts delta pages on their way back, as a broken proxy might.
    const corrupting = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await h.fetch(input, init);
      if (!String(input).includes("/delta")) return res;
      await res.arrayBuffer(); // drained, so the connection is free again
      return new Response(JSON.stringify({ value: "not a list" }), { status: 200, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch;
    await expect(store({ fetch: corrupting }).readChanges(null)).rejects.toBeInstanceOf(MalformedResponseError);
  });
});
