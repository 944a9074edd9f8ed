// outlookRef on contact creates (R2, R13) over real HTTP: stored with the create and returned on the contact;
// a create naming an Outlook contact that a live record of the firm already carries returns that record
// (single and batch, whatever the idempotency key), and a deleted record no longer blocks a new create.
import { createPracticeClient } from "../../src/practice-api/client";
import type { PracticeCreate } from "../../src/sync/ports";
import { OTHER_FIRM, startTestServer, type TestServer } from "./helpers";

let t: TestServer;
let n = 0;

beforeAll(async () => {
  t = await startTestServer();
  t.server.addFirm(OTHER_FIRM);
});
afterAll(() => t.close());

/** A fresh Outlook reference per test. */
const ref = (mailbox = "anna.lindqvist@demo-practice.example") => ({ mailbox, id: `AAMkAGI2-immutable-${++n}-${Date.now()}` });
const device = (staffId = "staff-anna") =>
  createPracticeClient({ baseUrl: t.url, getToken: () => t.token(staffId), sleep: async () => undefined });

/** How many contacts of the firm (deleted ones excluded) carry this given name. */
async function countNamed(givenName: string): Promise<number> {
  const all = await device().listContacts(null);
  return all.contacts.filter((c) => c.fields.givenName === givenName).length;
}

test("stored with the create, returned on the contact everywhere, kept through an update", async () => {
  const r = ref();
  const created = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: "Ref One", outlookRef: r }, headers: { "Idempotency-Key": `ref-one-${n}` } });
  expect(created.status).toBe(201);
  expect(created.body.outlookRef).toEqual(r);
  const id = created.body.id as string;
  expect((await t.call("GET", `/contacts/${id}`)).body.outlookRef).toEqual(r);
  expect((await t.call("GET", `/contacts?ids=${id}`)).body.items[0].outlookRef).toEqual(r);
  const patched = await t.call("PATCH", `/contacts/${id}`, { body: { jobTitle: "Auditor" }, headers: { "If-Match": created.headers.get("etag")! } });
  expect(patched.status).toBe(200);
  expect(patched.body.outlookRef).toEqual(r);
  const feed = await t.call("GET", "/contacts/changes?limit=1000");
  const seen = (feed.body.changes as { type: string; contact?: { id: string; outlookRef?: unknown } }[]).find((c) => c.contact?.id === id);
  expect(seen?.contact?.outlookRef).toEqual(r);
  // The typed client hands it to the engine on the record, never as a synced field or an attribute.
  const [engine] = await device().getContacts([id]);
  expect(engine.outlookRef).toEqual(r);
  expect(engine.fields).not.toHaveProperty("outlookRef");
  expect(engine.attributes).not.toHaveProperty("outlookRef");
  const listed = (await device().listContacts(null)).contacts.find((c) => c.id === id);
  expect(listed?.outlookRef).toEqual(r);
});

test("a second create naming the same Outlook contact returns the first record (200) and creates nothing", async () => {
  const r = ref();
  const name = `Ref Twice ${n}`;
  const first = await t.call("POST", "/contacts", { body: { kind: "client", givenName: name, outlookRef: r }, headers: { "Idempotency-Key": `twice-a-${n}` } });
  expect(first.status).toBe(201);
  // Another key (the first was lost with a cache), the mailbox in other case, even other fields.
  const again = await t.call("POST", "/contacts", {
    body: { kind: "client", givenName: name, jobTitle: "Changed", outlookRef: { mailbox: r.mailbox.toUpperCase(), id: r.id } },
    headers: { "Idempotency-Key": `twice-b-${n}` },
  });
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(first.body.id);
  expect(again.body.version).toBe(first.body.version);
  expect(again.body.outlookRef).toEqual(r);
  expect(again.headers.get("etag")).toBe(`"${first.body.version}"`);
  // No key at all: the same.
  const noKey = await t.call("POST", "/contacts", { body: { kind: "client", givenName: name, outlookRef: r } });
  expect(noKey.status).toBe(200);
  expect(noKey.body.id).toBe(first.body.id);
  // The second key now replays its own answer.
  const replay = await t.call("POST", "/contacts", {
    body: { kind: "client", givenName: name, jobTitle: "Changed", outlookRef: { mailbox: r.mailbox.toUpperCase(), id: r.id } },
    headers: { "Idempotency-Key": `twice-b-${n}` },
  });
  expect(replay.status).toBe(200);
  expect(replay.body.id).toBe(first.body.id);
  expect(await countNamed(name)).toBe(1);
});

test("batch creates: an existing reference and a reference repeated within one batch each give the one record", async () => {
  const existing = ref();
  const fresh = ref();
  const name = `Ref Batch ${n}`;
  const made = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: name, outlookRef: existing } });
  expect(made.status).toBe(201);
  const res = await t.call("POST", "/contacts/batch", {
    body: {
      items: [
        { op: "create", idempotencyKey: `batch-1-${n}`, contact: { kind: "standalone", givenName: name, outlookRef: existing } },
        { op: "create", idempotencyKey: `batch-2-${n}`, contact: { kind: "standalone", givenName: name, outlookRef: fresh } },
        { op: "create", idempotencyKey: `batch-3-${n}`, contact: { kind: "standalone", givenName: name, outlookRef: { ...fresh, mailbox: fresh.mailbox.toUpperCase() } } },
        { op: "create", contact: { kind: "standalone", givenName: name, outlookRef: { mailbox: "other.box@demo-practice.example", id: fresh.id } } },
      ],
    },
  });
  expect(res.status).toBe(200);
  const results = res.body.results as { status: number; contact: { id: string; outlookRef: unknown } }[];
  expect(results.map((r) => r.status)).toEqual([200, 201, 200, 201]);
  expect(results[0].contact.id).toBe(made.body.id);
  expect(results[2].contact.id).toBe(results[1].contact.id);
  // The same immutable id in another mailbox is another Outlook contact.
  expect(results[3].contact.id).not.toBe(results[1].contact.id);
  expect(await countNamed(name)).toBe(3);
});

test("two devices importing the same Outlook contact with their own keys end with one practice record (typed client)", async () => {
  const r = ref();
  const name = `Ref Devices ${n}`;
  const item = (key: string): PracticeCreate => ({ key, kind: "standalone", fields: { givenName: name }, outlookRef: r });
  const [a, b] = await Promise.all([device().createContacts([item(`desk-${n}`)]), device().createContacts([item(`web-${n}`)])]);
  if (!a[0].ok || !b[0].ok) throw new Error("create failed");
  expect(a[0].value.id).toBe(b[0].value.id);
  // After a crash and a lost cache: a third key, the same record.
  const c = await device().createContacts([item(`after-crash-${n}`)]);
  expect(c[0].ok && c[0].value.id).toBe(a[0].value.id);
  expect(await countNamed(name)).toBe(1);
  const got = await t.call("GET", `/contacts/${a[0].value.id}`);
  expect(got.body.outlookRef).toEqual(r);
});

test("a deleted record does not block a new create with its reference", async () => {
  const r = ref();
  const name = `Ref Deleted ${n}`;
  const first = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: name, outlookRef: r } });
  expect((await t.call("DELETE", `/contacts/${first.body.id}`)).status).toBe(204);
  const second = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: name, outlookRef: r } });
  expect(second.status).toBe(201);
  expect(second.body.id).not.toBe(first.body.id);
  // And that new record is now the one the reference names.
  const third = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: name, outlookRef: r } });
  expect(third.status).toBe(200);
  expect(third.body.id).toBe(second.body.id);
  expect(await countNamed(name)).toBe(1);
});

test("references are per firm", async () => {
  const r = ref("shared-box@example.com");
  const ours = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: "Ours", outlookRef: r } });
  const theirs = await t.call("POST", "/contacts", { token: await t.token(OTHER_FIRM.staff[0].id), body: { kind: "standalone", givenName: "Theirs", outlookRef: r } });
  expect([ours.status, theirs.status]).toEqual([201, 201]);
  expect(theirs.body.id).not.toBe(ours.body.id);
});

test("a malformed reference is a 400 and creates nothing; the reference cannot be patched", async () => {
  const name = `Ref Bad ${n}`;
  const bad: unknown[] = [
    { mailbox: "anna@x.example" },
    { id: "AAMk" },
    { mailbox: "anna@x.example", id: "" },
    { mailbox: "a", id: "AAMk" },
    { mailbox: "anna@x.example", id: "x".repeat(513) },
    { mailbox: "anna@x.example", id: "AAMk", extra: true },
    "anna@x.example/AAMk",
    null,
  ];
  for (const outlookRef of bad) {
    const res = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: name, outlookRef } });
    expect({ outlookRef, status: res.status }).toEqual({ outlookRef, status: 400 });
    const batch = await t.call("POST", "/contacts/batch", { body: { items: [{ op: "create", contact: { kind: "standalone", givenName: name, outlookRef } }] } });
    expect(batch.body.results[0].status).toBe(400);
  }
  expect(await countNamed(name)).toBe(0);
  const made = await t.call("POST", "/contacts", { body: { kind: "standalone", givenName: name, outlookRef: ref() } });
  const patch = await t.call("PATCH", `/contacts/${made.body.id}`, { body: { outlookRef: ref() }, headers: { "If-Match": made.headers.get("etag")! } });
  expect(patch.status).toBe(400);
  expect((await t.call("GET", `/contacts/${made.body.id}`)).body.outlookRef).toEqual(made.body.outlookRef);
});
