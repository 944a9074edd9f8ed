// $batch writes against the mailbox emulator over real HTTPS: round-trips, per-item results,
// retries inside batch items, the concurrency limit and Outlook's caps (R16).
import type { ContactFields } from "../../../src/sync/model";
import { makeStamp } from "../../../src/sync/model";
import { normalizeFields } from "../../../src/sync/normalize";
import { createGraphFolders, createGraphOutlookStore } from "../../../src/outlook/graph";
import { recordingSleep, startEmulator } from "./emulator-harness";
import type { EmulatorHarness } from "./emulator-harness";

const UPN = "writes@harbour.example";
let h: EmulatorHarness;
let token: string;

beforeAll(async () => {
  h = await startEmulator();
  token = await h.token(UPN);
});

afterAll(async () => {
  await h.close();
});

async function newFolder(name: string): Promise<string> {
  const folders = createGraphFolders({ graphUrl: h.graphUrl, getToken: async () => token, fetch: h.fetch });
  return (await folders.createFolder("me", name)).id;
}

function store(folderId: string, extra: Partial<Parameters<typeof createGraphOutlookStore>[0]> = {}) {
  return createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: "me", folderId, getToken: async () => token, fetch: h.fetch, ...extra });
}

const full: ContactFields = {
  title: "Dr",
  givenName: "Zoë",
  middleName: "Ngaio",
  surname: "Wāhine-李",
  generation: "II",
  nickName: "Zo",
  fileAs: "Wāhine-李, Zoë",
  displayName: "Dr Zoë Wāhine-李",
  companyName: "Harbour & Co",
  jobTitle: "Partner",
  department: "Tax",
  officeLocation: "Level 3",
  profession: "Chartered accountant",
  emailAddresses: [{ name: "Zoë", address: "zoe@example.com" }, { address: "z2@example.com" }, { address: "z3@example.com" }],
  businessPhones: ["+64 9 111", "+64 9 222"],
  homePhones: ["+64 9 333", "+64 9 444"],
  mobilePhone: "+64 21 555",
  businessFax: "+64 9 666",
  homeFax: "+64 9 777",
  otherFax: "+64 9 888",
  businessHomePage: "https://harbour.example",
  businessAddress: { street: "1 Quay St\nLevel 3", city: "Auckland", state: "AKL", postalCode: "1010", countryOrRegion: "New Zealand" },
  homeAddress: { street: "2 Rue de l'Église", city: "Montréal", countryOrRegion: "Canada" },
  otherAddress: { city: "Москва" },
  birthday: "1974-07-22",
  spouseName: "Ari",
  personalNotes: `Line one\nLine two 🙂\r\n${"long ".repeat(2000)}`,
  categories: ["Clients", "VIP"],
};

describe("writes", () => {
  it("creates contacts that read back field for field: faxes, stamp, non-ASCII, multi-line, 10,000 characters", async () => {
    const folderId = await newFolder("Round trip");
    const s = store(folderId);
    const created = await s.createContacts([{ stamp: "firm:p1", fields: full }, { stamp: "firm:p2", fields: { givenName: "Only" } }]);
    expect(created.map((r) => r.ok)).toEqual([true, true]);
    if (!created[0].ok) throw new Error("unreachable");
    // the create answer is completed with what Graph does not echo (stamp, faxes)
    expect(created[0].value.stamp).toBe("firm:p1");
    expect(normalizeFields(created[0].value.fields)).toEqual(normalizeFields(full));
    expect(full.personalNotes!.length).toBeGreaterThan(10_000);

    const read = await store(folderId).readChanges(null);
    const back = read.upserts.find((c) => c.stamp === "firm:p1")!;
    expect(back.id).toBe(created[0].value.id);
    // values come back exactly as written (trailing blanks too: normalizing is the engine's job, R4)
    expect(back.fields).toEqual(full);
    expect(back.changeKey).toBe(created[0].value.changeKey);
  });

  it("patches fields, clears with null, keeps the display name even when this store never saw the contact", async () => {
    const folderId = await newFolder("Patch");
    const [c] = await store(folderId).createContacts([{ stamp: "firm:p3", fields: full }]);
    if (!c.ok) throw new Error(c.error.message);
    // a fresh store: the display name must be looked up and resent, or Graph would regenerate it
    const s = store(folderId);
    const [u] = await s.updateContacts([
      { id: c.value.id, changeKey: c.value.changeKey, patch: { givenName: "Zoe", homePhones: null, homeAddress: null, businessFax: null, otherFax: "+1 0" } },
    ]);
    if (!u.ok) throw new Error(u.error.message);
    expect(s.stats().requests).toBe(2); // one look-up batch for the display name, one PATCH batch
    expect(u.value.changeKey).not.toBe(c.value.changeKey);
    const back = (await s.readChanges(null)).upserts.find((x) => x.id === c.value.id)!;
    expect(back.fields.givenName).toBe("Zoe");
    expect(back.fields.displayName).toBe("Dr Zoë Wāhine-李");
    expect(back.fields.homePhones).toBeUndefined();
    expect(back.fields.homeAddress).toBeUndefined();
    expect(back.fields.businessFax).toBeUndefined();
    expect(back.fields.otherFax).toBe("+1 0");
    expect(back.fields.homeFax).toBe("+64 9 777");
    expect(back.stamp).toBe("firm:p3");
    expect(u.value.fields).toEqual(back.fields);
    expect(u.value.stamp).toBe("firm:p3");
  });

  it("resends the display name the engine names without looking it up first", async () => {
    const folderId = await newFolder("Named");
    const [c] = await store(folderId).createContacts([{ stamp: "firm:p9", fields: full }]);
    if (!c.ok) throw new Error(c.error.message);
    const s = store(folderId);
    const [u] = await s.updateContacts([
      { id: c.value.id, changeKey: c.value.changeKey, patch: { jobTitle: "Director" }, displayName: "Dr Zoë Wāhine-李" },
    ]);
    if (!u.ok) throw new Error(u.error.message);
    expect(s.stats().requests).toBe(1); // the PATCH batch alone
    expect(u.value.fields.displayName).toBe("Dr Zoë Wāhine-李");
    expect(u.value.fields.jobTitle).toBe("Director");
  });

  it("rewrites the stamp of an Outlook-born contact (R7)", async () => {
    const folderId = await newFolder("Restamp");
    const s = store(folderId);
    const [c] = await s.createContacts([{ stamp: "firm:tmp", fields: { givenName: "Born" } }]);
    if (!c.ok) throw new Error(c.error.message);
    const [u] = await s.updateContacts([{ id: c.value.id, changeKey: c.value.changeKey, patch: {}, stamp: "firm:p99" }]);
    expect(u.ok && u.value.stamp).toBe("firm:p99");
    expect((await store(folderId).findByStamps(["firm:p99"])).map((x) => x.id)).toEqual([c.value.id]);
  });

  it("gives one result per item in request order; a failed item fails only its contact (R19)", async () => {
    const folderId = await newFolder("Mixed");
    const s = store(folderId);
    const made = await s.createContacts([1, 2, 3].map((i) => ({ stamp: `firm:m${i}`, fields: { givenName: `M${i}` } })));
    const [a, b, c] = made.map((r) => (r.ok ? r.value : null)!);
    await s.deleteContacts([b.id]);
    const results = await s.updateContacts([
      { id: a.id, changeKey: a.changeKey, patch: { jobTitle: "One" } },
      { id: b.id, changeKey: b.changeKey, patch: { jobTitle: "Gone" } },
      { id: c.id, changeKey: c.changeKey, patch: { birthday: "not a date" } },
      { id: c.id, changeKey: c.changeKey, patch: { jobTitle: "Three" } },
      { id: a.id, changeKey: a.changeKey, patch: { emailAddresses: ["1", "2", "3", "4"].map((x) => ({ address: `${x}@example.com` })) } },
    ]);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "not_found", "invalid", "ok", "invalid"]);
    const last = results[4];
    expect(!last.ok && last.error.message).toMatch(/R16.*Email: 4 values, Outlook holds at most 3/);
    expect(results.every((r) => r.ok || !r.error.retryable)).toBe(true);
    const back = (await s.readChanges(null)).upserts;
    expect(back.find((x) => x.id === a.id)!.fields.jobTitle).toBe("One");
    expect(back.find((x) => x.id === c.id)!.fields.jobTitle).toBe("Three");
  });

  it("never sends a 4th email (R16), while the emulator itself rejects one", async () => {
    const folderId = await newFolder("Caps");
    const s = store(folderId);
    const before = (await h.stats()).graphRequests;
    const four = ["a", "b", "c", "d"].map((x) => ({ address: `${x}@example.com` }));
    const [r] = await s.createContacts([{ stamp: "firm:cap", fields: { givenName: "Cap", emailAddresses: four } }]);
    expect(r.ok).toBe(false);
    expect(s.stats().requests).toBe(0);
    expect((await h.stats()).graphRequests).toBe(before);
    // the emulator's own answer to a 4th email, sent raw
    const res = await h.fetch(`${h.graphUrl}/me/contactFolders/${folderId}/contacts`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ givenName: "Raw", emailAddresses: four }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/EmailAddresses has 4 entries/);
  });

  it("deletes, and reports not_found for a contact already gone", async () => {
    const folderId = await newFolder("Delete");
    const s = store(folderId);
    const made = await s.createContacts([{ stamp: "firm:d1", fields: { givenName: "D" } }]);
    const id = made[0].ok ? made[0].value.id : "";
    expect((await s.deleteContacts([id]))[0].ok).toBe(true);
    const again = await s.deleteContacts([id]);
    expect(!again[0].ok && again[0].error.code).toBe("not_found");
    expect((await s.readChanges(null)).upserts).toEqual([]);
  });
});

describe("throttling and concurrency", () => {
  afterEach(async () => {
    await h.admin("POST", "/faults", { clear: true, latencyMs: 0 });
  });

  it("retries 429 batch items after their own Retry-After (the SDK does not)", async () => {
    const folderId = await newFolder("Item storm");
    const { sleep, waits } = recordingSleep();
    const s = store(folderId, { sleep });
    // 3 chained batches: each round, the head of each chain is throttled and the rest wait (424)
    await h.admin("POST", "/faults", { status: 429, count: 12, items: true, retryAfter: 2 });
    const results = await s.createContacts(Array.from({ length: 60 }, (_, i) => ({ stamp: `firm:s${i}`, fields: { givenName: `S${i}` } })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((w) => w === 2000)).toBe(true);
    // nothing was created twice
    expect((await s.readChanges(null)).upserts).toHaveLength(60);
  });

  it("retries throttled requests with exponential backoff + jitter when Retry-After cannot be read", async () => {
    const folderId = await newFolder("Hidden header");
    // A browser cannot read Retry-After unless Graph exposes it through CORS: drop it, as the browser would.
    const hiding = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await h.fetch(input, init);
      const headers = new Headers(res.headers);
      headers.delete("Retry-After");
      return new Response(await res.arrayBuffer(), { status: res.status, headers });
    }) as typeof fetch;
    const { sleep, waits } = recordingSleep();
    const s = store(folderId, { sleep, fetch: hiding, random: () => 0 });
    await h.admin("POST", "/faults", { status: 429, count: 3, retryAfter: 30 });
    const results = await s.createContacts([{ stamp: "firm:h1", fields: { givenName: "H" } }]);
    expect(results[0].ok).toBe(true);
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it("gives up after maxRetries with a retryable throttled error per item", async () => {
    const folderId = await newFolder("Give up");
    const { sleep, waits } = recordingSleep();
    const s = store(folderId, { sleep, maxRetries: 2 });
    await h.admin("POST", "/faults", { status: 429, share: 1, items: true, retryAfter: 1 });
    const results = await s.createContacts([{ stamp: "firm:g1", fields: { givenName: "G" } }]);
    await h.admin("POST", "/faults", { clear: true });
    expect(results[0].ok).toBe(false);
    expect(!results[0].ok && results[0].error).toMatchObject({ code: "throttled", retryable: true });
    expect(waits).toEqual([1000, 1000]);
  });

  const folderSize = async (folderId: string) => (await h.admin<{ value: unknown[] }>("GET", `/mailboxes/${UPN}/folders/${folderId}/contacts`)).value.length;

  it("never re-sends creates blind after a dropped connection: it looks their stamps up, then sends only what did not land (R13)", async () => {
    const folderId = await newFolder("Dropped");
    const s = store(folderId);
    await h.admin("POST", "/faults", { reset: true, count: 1 });
    const items = [1, 2, 3].map((i) => ({ stamp: makeStamp("firm", `drop${i}`, { made: `t${i}` }), fields: { givenName: `Drop${i}` } }));
    const results = await s.createContacts(items);
    expect(results.every((r) => r.ok)).toBe(true);
    // the dropped batch, the folder listing that found none of the stamps, the batch sent once more
    expect(s.stats().requests).toBe(3);
    expect(await folderSize(folderId)).toBe(3);
  });

  it.each([
    // the batch and one listing; nothing re-sent
    ["a connection dropped after the batch ran", { reset: true, afterExecution: true }, 2],
    ["a 504 after the batch ran", { status: 504, afterExecution: true }, 2],
    // a chain: each 504 holds back the rest (424), which go in the next batch; then one listing
    ["a 504 on each item after it ran", { status: 504, afterExecution: true, items: true, count: 3 }, 4],
  ])("after %s, the creates that landed are found by stamp and not made twice", async (_what, fault, requests) => {
    const folderId = await newFolder(`Landed ${_what}`);
    const s = store(folderId);
    await h.admin("POST", "/faults", fault);
    const items = [1, 2, 3].map((i) => ({ stamp: makeStamp("firm", `land${i}`, { made: `m${i}` }), fields: { givenName: `Land${i}`, businessFax: `+1 ${i}` } }));
    const results = await s.createContacts(items);
    await h.admin("POST", "/faults", { clear: true });
    expect(results.map((r) => r.ok && r.value.fields.givenName)).toEqual(["Land1", "Land2", "Land3"]);
    expect(results.map((r) => r.ok && r.value.stamp)).toEqual(items.map((i) => i.stamp));
    expect(results.map((r) => r.ok && r.value.fields.businessFax)).toEqual(["+1 1", "+1 2", "+1 3"]);
    expect(s.stats().requests).toBe(requests);
    expect(await folderSize(folderId)).toBe(3);
  });

  it("sends a create again when only an older copy of its record is in the folder (another create token)", async () => {
    const folderId = await newFolder("Older copy");
    await store(folderId).createContacts([{ stamp: makeStamp("firm", "dup", { made: "old" }), fields: { givenName: "Old" } }]);
    const s = store(folderId);
    await h.admin("POST", "/faults", { reset: true, count: 1 });
    const [r] = await s.createContacts([{ stamp: makeStamp("firm", "dup", { made: "new" }), fields: { givenName: "New" } }]);
    expect(r.ok && r.value.fields.givenName).toBe("New");
    expect(await folderSize(folderId)).toBe(2);
  });

  it("keeps at most 4 requests in flight per mailbox, so the mailbox never throttles us", async () => {
    const folderId = await newFolder("Concurrency");
    await h.admin("POST", "/stats/reset");
    await h.admin("POST", "/faults", { latencyMs: 15 });
    const s = store(folderId);
    const results = await s.createContacts(Array.from({ length: 400 }, (_, i) => ({ stamp: `firm:c${i}`, fields: { givenName: `C${i}` } })));
    expect(results.every((r) => r.ok)).toBe(true);
    const stats = await h.stats();
    expect(stats.batches).toBe(20);
    expect(stats.batchItems).toBe(400);
    expect(stats.throttled).toBe(0);
    expect(stats.peakConcurrency).toBeLessThanOrEqual(4);
    expect(stats.peakConcurrency).toBeGreaterThanOrEqual(2); // batches did run side by side
    expect(s.stats().requests).toBe(20);
  });
});

describe("findByStamps", () => {
  it("finds stamped contacts again after the cache is lost, and nothing for unknown stamps", async () => {
    const folderId = await newFolder("Stamps");
    const made = await store(folderId).createContacts(
      Array.from({ length: 30 }, (_, i) => ({ stamp: `firm:f${i}`, fields: { givenName: `F${i}`, businessFax: `+1 ${i}` } })),
    );
    const ids = new Map(made.map((r, i) => [`firm:f${i}`, r.ok ? r.value.id : ""]));
    const fresh = store(folderId); // a new device: no memory of anything
    const found = await fresh.findByStamps(["firm:f3", "firm:f17", "firm:nobody", "firm:F3"]);
    expect(found.map((c) => [c.stamp, c.id]).sort()).toEqual([
      ["firm:f17", ids.get("firm:f17")],
      ["firm:f3", ids.get("firm:f3")],
    ]);
    expect(found.find((c) => c.stamp === "firm:f3")!.fields.businessFax).toBe("+1 3");
    expect(await fresh.findByStamps([])).toEqual([]);
  });

  it("costs one listing page per 500 contacts of the folder, whatever the number of stamps", async () => {
    const folderId = await newFolder("Many stamps");
    await store(folderId).createContacts(Array.from({ length: 40 }, (_, i) => ({ stamp: `firm:n${i}`, fields: { givenName: `N${i}` } })));
    const s = store(folderId);
    const asked = Array.from({ length: 250 }, (_, i) => `firm:n${i}`);
    const found = await s.findByStamps(asked);
    expect(found).toHaveLength(40);
    expect(s.stats().requests).toBe(1); // one page of the folder
  });

  it("never sends a string $filter on the stamp (undocumented for contacts) and matches by the record a stamp names", async () => {
    const folderId = await newFolder("Stamp keys");
    await store(folderId).createContacts([
      { stamp: makeStamp("firm", "k1", { origin: "outlook", made: "a" }), fields: { givenName: "K1" } },
      { stamp: makeStamp("firm", "k2"), fields: { givenName: "K2" } },
      { stamp: makeStamp("other", "k1"), fields: { givenName: "Other firm" } },
    ]);
    const urls: string[] = [];
    const watching = (async (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(`${String(input)} ${typeof init?.body === "string" ? init.body : ""}`);
      return h.fetch(input, init);
    }) as typeof fetch;
    const s = store(folderId, { fetch: watching });
    // The stamps asked for carry other create tokens and origins: the record they name is what matches.
    const found = await s.findByStamps([makeStamp("firm", "k1", { made: "zzz" }), makeStamp("firm", "k2", { origin: "outlook" }), "not a stamp"]);
    expect(found.map((c) => c.fields.givenName).sort()).toEqual(["K1", "K2"]);
    expect(urls.some((u) => /\$filter/i.test(decodeURIComponent(u)) && !/\$expand=singleValueExtendedProperties\(\$filter=id eq/.test(decodeURIComponent(u)))).toBe(false);
    expect(s.stats().requests).toBe(1);
  });
});
