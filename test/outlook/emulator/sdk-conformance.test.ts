// The Graph SDK (@microsoft/microsoft-graph-client 3.0.7) works against the emulator unchanged:
// PageIterator, BatchRequestContent/BatchResponseContent, RetryHandler and GraphError. The SDK only
// attaches Authorization for https URLs on Graph hosts or customHosts (§10), which is why the
// emulator is HTTPS with absolute links.
import { BatchRequestContent, BatchResponseContent, Client, PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { startHarness, type Harness } from "./harness";

let h: Harness;
let client: Client;
const upn = "sdk@example.test";

beforeAll(async () => {
  h = await startHarness();
  const token = await h.token({ upn });
  client = Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => token },
    baseUrl: h.emu.url,
    defaultVersion: "v1.0",
    customHosts: new Set(["127.0.0.1"]),
    // Trust the emulator's certificate for these requests only.
    fetchOptions: { dispatcher: h.agent } as RequestInit,
  });
  await h.admin("POST", `/mailboxes/${upn}/contacts`, { contacts: Array.from({ length: 23 }, (_, i) => ({ givenName: `S${i}`, surname: "Sdk" })) });
});
afterAll(() => h.close());

test("PageIterator follows nextLinks through every page", async () => {
  const first: PageCollection = await client.api("/me/contacts").top(5).get();
  const names: string[] = [];
  const it = new PageIterator(client, first, (c: { givenName: string }) => {
    names.push(c.givenName);
    return true;
  });
  await it.iterate();
  expect(names).toHaveLength(23);
  expect(new Set(names).size).toBe(23);
});

test("PageIterator over delta re-sends Prefer and yields the deltaLink", async () => {
  const folderId = (await client.api("/me/contacts").top(1).get()).value[0].parentFolderId;
  const headers = { Prefer: "odata.maxpagesize=10" };
  const first: PageCollection = await client.api(`/me/contactFolders/${folderId}/contacts/delta`).headers(headers).get();
  expect(first.value).toHaveLength(10);
  let count = 0;
  const it = new PageIterator(client, first, () => {
    count += 1;
    return true;
  }, { headers });
  await it.iterate();
  expect(count).toBe(23);
  const deltaLink = it.getDeltaLink();
  expect(deltaLink).toMatch(/\$deltatoken=/);
  const idle = await client.api(deltaLink!).get();
  expect(idle.value).toEqual([]);
});

test("BatchRequestContent / BatchResponseContent round trip, including a 404 item", async () => {
  const batch = new BatchRequestContent();
  for (let i = 0; i < 3; i++) {
    batch.addRequest({
      id: `c${i}`,
      request: new Request(`${h.emu.graphUrl}/me/contacts`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Prefer: 'IdType="ImmutableId"' },
        body: JSON.stringify({ givenName: `B${i}` }),
      }),
    });
  }
  batch.addRequest({ id: "missing", request: new Request(`${h.emu.graphUrl}/me/contacts/AAMkMissingMissingMissingMissing0000=`, { method: "GET" }) });
  const content = await batch.getContent();
  const raw = await client.api("/$batch").post(content);
  const responses = new BatchResponseContent(raw);
  for (let i = 0; i < 3; i++) {
    const r = responses.getResponseById(`c${i}`);
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(body.givenName).toBe(`B${i}`);
    expect(body.id).toMatch(/^AAkA/);
  }
  const missing = responses.getResponseById("missing");
  expect(missing.status).toBe(404);
  expect((await missing.json()).error.code).toBe("ErrorItemNotFound");
});

test("RetryHandler retries injected 503/429 using Retry-After and then succeeds", async () => {
  await h.admin("POST", "/stats/reset");
  await h.admin("POST", "/faults", { status: 503, count: 1, retryAfter: 0 });
  await h.admin("POST", "/faults", { status: 429, count: 1, retryAfter: 0 });
  const page = await client.api("/me/contacts").top(1).get();
  expect(page.value).toHaveLength(1);
  const stats = await h.admin("GET", "/stats");
  expect(stats.graphRequests).toBe(3);
  expect(stats.byStatus["503"]).toBe(1);
  expect(stats.byStatus["429"]).toBe(1);
});

test("GraphError carries statusCode, code and requestId from the error body", async () => {
  await expect(client.api("/me/contacts/nope").get()).rejects.toMatchObject({
    statusCode: 400,
    code: "ErrorInvalidIdMalformed",
    requestId: expect.any(String),
  });
});
