// --state FILE (atomic JSON, survives a restart, tokens too), a bad state file, and the admin API.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMailboxEmulator } from "../../../src/outlook/emulator";
import { startHarness, type Harness, type Json } from "./harness";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mailbox-emulator-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("state survives a restart: contacts, folders, grants and issued tokens", async () => {
  const file = join(dir, "state.json");
  const a = await startHarness({ state: file, seed: "demo" });
  const token = await a.token({ upn: "keep@example.test" });
  const made = await a.graph(token, "POST", "/me/contacts", { givenName: "Kept" });
  await a.close();
  const saved = JSON.parse(readFileSync(file, "utf8"));
  expect(saved.version).toBe(1);
  expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

  const b = await startHarness({ state: file, seed: "none" });
  try {
    const got = await b.graph(token, "GET", `/me/contacts/${made.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json.givenName).toBe("Kept");
    const mailboxes = await b.admin("GET", "/mailboxes");
    expect(mailboxes.mailboxes.map((m: Json) => m.upn)).toEqual(expect.arrayContaining(["anna@harbour.example", "contacts@harbour.example", "keep@example.test"]));
  } finally {
    await b.close();
  }
});

test("a corrupt state file stops start-up with a clear error and is left as it was", async () => {
  const file = join(dir, "broken.json");
  writeFileSync(file, "{oops");
  await expect(startMailboxEmulator({ port: 0, state: file })).rejects.toThrow(/not valid JSON/);
  expect(readFileSync(file, "utf8")).toBe("{oops");
});

describe("admin API", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: "demo" });
  });
  afterAll(() => h.close());

  test("stats count every request, by method, and reset", async () => {
    await h.admin("POST", "/stats/reset");
    const t = await h.token({ upn: "anna@harbour.example" });
    await h.graph(t, "GET", "/me/contacts");
    await h.graph(t, "POST", "/$batch", { requests: [{ id: "1", method: "GET", url: "/me/contacts" }] });
    const stats = await h.admin("GET", "/stats");
    // token + GET + batch + this GET /admin/stats (the reset itself is wiped)
    expect(stats.requests).toBe(4);
    expect(stats.byMethod).toEqual({ POST: 2, GET: 2 });
    expect(stats).toMatchObject({ batches: 1, batchItems: 1, throttled: 0, graphRequests: 2 });
    expect(typeof stats.peakConcurrency).toBe("number");
  });

  test("seed contacts directly, inspect a folder with extended properties, move a contact", async () => {
    // Seeding creates the mailbox when it is new.
    const seeded = await h.admin("POST", "/mailboxes/new@example.test/contacts", {
      folderName: "Imported",
      contacts: [{ givenName: "Zed", singleValueExtendedProperties: [{ id: "String 0x3A25", value: "+1 555" }] }],
    });
    const view = await h.admin("GET", `/mailboxes/new@example.test/folders/${seeded.folderId}/contacts`);
    expect(view.value).toHaveLength(1);
    expect(view.value[0].singleValueExtendedProperties).toEqual([{ id: "String 0x3a25", value: "+1 555" }]); // echoed as Graph does (Q&A 599013)
    const moved = await h.admin("POST", `/mailboxes/new@example.test/contacts/${seeded.created[0].id}/move`, { folderId: "default" });
    expect(moved.id).not.toBe(seeded.created[0].id);
    expect(moved.immutableId).toBe(seeded.created[0].immutableId);
    const deleted = await h.admin("GET", "/mailboxes/new@example.test/folders/deleteditems/contacts");
    expect(deleted.value).toEqual([]);
  });

  test("reset goes back to the seed; unknown routes are 404; bad bodies are 400", async () => {
    const t = await h.token({ upn: "anna@harbour.example" });
    await h.graph(t, "POST", "/me/contacts", { givenName: "Temp" });
    await h.admin("POST", "/reset");
    const after = await h.graph(t, "GET", "/me/contacts?$filter=givenName eq 'Temp'");
    expect(after.json.value).toEqual([]);
    expect((await h.request("/admin/nothing")).status).toBe(404);
    expect((await h.request("/admin/grants", { method: "POST", body: { ownerUpn: "anna@harbour.example" } })).status).toBe(400);
    expect((await h.request("/admin/reset", { method: "POST", raw: "{", headers: { "Content-Type": "application/json" } })).status).toBe(400);
  });
});
