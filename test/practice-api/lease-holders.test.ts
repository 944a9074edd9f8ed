// R18 across one user's devices, over real HTTP: a lease taken with a `holder` (device or session id)
// belongs to that device; the same staff member's other device is refused with sameStaff, renews and
// releases go by holder, and clients that send no holder keep working as before.
import Database from "better-sqlite3";
import { createPracticeClient, PracticeApiError } from "../../src/practice-api/client";
import { migrate } from "../../src/practice-api/server/db";
import { LeasesRepo } from "../../src/practice-api/server/leases-repo";
import { startTestServer, type TestServer } from "./helpers";

let t: TestServer;
let now = Date.parse("2026-11-25T07:00:00Z");

beforeAll(async () => {
  t = await startTestServer({ now: () => now });
});
afterAll(() => t.close());

const path = (key: string, holder?: string) => `/sync-leases/${encodeURIComponent(key)}${holder ? `?holder=${encodeURIComponent(holder)}` : ""}`;

describe("lease holders of one staff member", () => {
  test("a second device of the same person is refused with sameStaff and the holder's name; the first renews and releases by its holder", async () => {
    const key = "anna@demo-practice.example/AAMk=contacts";
    const laptop = await t.call("POST", "/sync-leases", { body: { folderKey: key, ttlSeconds: 60, holder: "laptop-1" } });
    expect(laptop.status).toBe(200);
    expect(laptop.body.holder).toEqual({ staffId: "staff-anna", name: "Anna Lindqvist", device: "laptop-1" });

    const phone = await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "phone-2" } });
    expect(phone.status).toBe(409);
    expect(phone.body).toMatchObject({
      type: "urn:practice-api:problem:lease-held",
      sameStaff: true,
      holder: { staffId: "staff-anna", name: "Anna Lindqvist", device: "laptop-1" },
      expiresAt: laptop.body.expiresAt,
    });
    expect(phone.body.detail).toMatch(/another device/);
    // Neither may the phone renew or release the laptop's lease, nor a client that names no holder.
    expect((await t.call("PUT", path(key), { body: { holder: "phone-2" } })).status).toBe(409);
    expect((await t.call("DELETE", path(key, "phone-2"))).status).toBe(409);
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key } })).body.sameStaff).toBe(true);
    expect((await t.call("DELETE", path(key))).status).toBe(409);

    now += 20_000;
    const renewed = await t.call("PUT", path(key), { body: { ttlSeconds: 60, holder: "laptop-1" } });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expiresAt)).toBe(now + 60_000);
    expect(renewed.body.acquiredAt).toBe(laptop.body.acquiredAt);
    // Acquiring again from the holder itself is a renewal, as it always was.
    const again = await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "laptop-1" } });
    expect(again.status).toBe(200);
    expect(again.body.acquiredAt).toBe(laptop.body.acquiredAt);

    expect((await t.call("DELETE", path(key, "laptop-1"))).status).toBe(204);
    expect((await t.call("GET", path(key))).status).toBe(404);
    const phoneNow = await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "phone-2" } });
    expect(phoneNow.status).toBe(200);
    expect(phoneNow.body.holder.device).toBe("phone-2");
    expect((await t.call("DELETE", path(key, "phone-2"))).status).toBe(204);
  });

  test("another device takes over an expired lease; the old holder's renewal then finds it held", async () => {
    const key = "anna@demo-practice.example/AAMk=expiry";
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key, ttlSeconds: 10, holder: "desk" } })).status).toBe(200);
    now += 11_000;
    const takeover = await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "web" } });
    expect(takeover.status).toBe(200);
    expect(takeover.body.holder.device).toBe("web");
    const late = await t.call("PUT", path(key), { body: { holder: "desk" } });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ sameStaff: true, holder: { device: "web" } });
    expect((await t.call("DELETE", path(key, "web"))).status).toBe(204);
  });

  test("a colleague is refused with sameStaff false and never sees the holder's device id", async () => {
    const key = "shared@demo-practice.example/AAMk=book";
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "anna-desk" } })).status).toBe(200);
    const jorg = await t.token("staff-jorg");
    const refused = await t.call("POST", "/sync-leases", { token: jorg, body: { folderKey: key, holder: "jorg-desk" } });
    expect(refused.status).toBe(409);
    expect(refused.body.sameStaff).toBe(false);
    expect(refused.body.holder).toEqual({ staffId: "staff-anna", name: "Anna Lindqvist" });
    expect((await t.call("GET", path(key), { token: jorg })).body.holder).toEqual({ staffId: "staff-anna", name: "Anna Lindqvist" });
    expect((await t.call("DELETE", path(key, "anna-desk"))).status).toBe(204);
  });

  test("requests without a holder work as before among themselves", async () => {
    const key = "anna@demo-practice.example/AAMk=legacy";
    const got = await t.call("POST", "/sync-leases", { body: { folderKey: key, ttlSeconds: 60 } });
    expect(got.status).toBe(200);
    expect(got.body.holder).toEqual({ staffId: "staff-anna", name: "Anna Lindqvist" });
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key } })).status).toBe(200);
    expect((await t.call("PUT", path(key), { body: { ttlSeconds: 30 } })).status).toBe(200);
    expect((await t.call("PUT", path(key))).status).toBe(200);
    // A device that names itself does not get a lease an older client of the same person holds.
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "new-pane" } })).body.sameStaff).toBe(true);
    expect((await t.call("DELETE", path(key))).status).toBe(204);
    expect((await t.call("GET", path(key))).status).toBe(404);
  });

  test("a holder must be 1–128 characters, in the body and in the query", async () => {
    const key = "anna@demo-practice.example/AAMk=bad";
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "" } })).status).toBe(400);
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "h".repeat(129) } })).status).toBe(400);
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: 7 } })).status).toBe(400);
    expect((await t.call("POST", "/sync-leases", { body: { folderKey: key, holder: "ok" } })).status).toBe(200);
    expect((await t.call("PUT", path(key), { body: { holder: "h".repeat(129) } })).status).toBe(400);
    expect((await t.call("DELETE", path(key, "h".repeat(129)))).status).toBe(400);
    expect((await t.call("GET", path(key))).status).toBe(200);
    expect((await t.call("DELETE", path(key, "ok"))).status).toBe(204);
  });
});

test("the typed client passes the holder on acquire, renew and release", async () => {
  const client = createPracticeClient({ baseUrl: t.url, getToken: () => t.token(), sleep: async () => undefined });
  const key = "anna@demo-practice.example/AAMk=client";
  const lease = await client.acquireLease(key, 60, { holder: "pane-a" });
  expect(lease.holder.device).toBe("pane-a");
  const refused = await client.acquireLease(key, 60, { holder: "pane-b" }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(PracticeApiError);
  expect((refused as PracticeApiError).problem).toMatchObject({ sameStaff: true, holder: { name: "Anna Lindqvist", device: "pane-a" } });
  await expect(client.renewLease(key, 60, { holder: "pane-b" })).rejects.toBeInstanceOf(PracticeApiError);
  expect((await client.renewLease(key, 90, { holder: "pane-a" })).holder.device).toBe("pane-a");
  await expect(client.releaseLease(key, { holder: "pane-b" })).rejects.toBeInstanceOf(PracticeApiError);
  await client.releaseLease(key, { holder: "pane-a" });
  expect(await client.getLease(key)).toBeNull();
});

test("the migration keeps leases taken before holders existed, as leases without one", () => {
  const db = new Database(":memory:");
  migrate(db, 5);
  db.prepare("INSERT INTO firms (id, name) VALUES ('f', 'F')").run();
  db.prepare("INSERT INTO leases (firm_id, folder_key, staff_id, acquired_at, expires_at) VALUES ('f', 'k', 's', 'a', 'e')").run();
  migrate(db);
  expect(new LeasesRepo(db).get("f", "k")).toMatchObject({ staff_id: "s", holder: null, expires_at: "e" });
  db.close();
});
