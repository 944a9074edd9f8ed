// The composition root through the real path: the reference practice server and the mailbox
// emulator on 127.0.0.1 (random ports), local-mode dev tokens, the Graph adapter, the Dexie cache
// on fake-indexeddb and the engine's SyncSession.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { Agent, fetch as undiciFetch } from "undici";
import { startMailboxEmulator, type RunningMailboxEmulator } from "../../src/outlook/emulator";
import { createPracticeClient } from "../../src/practice-api/client";
import { startPracticeServer, type PracticeServer } from "../../src/practice-api/server";
import { buildPaneServices } from "../../src/taskpane/composition";
import { parseConfig } from "../../src/taskpane/config";
import type { PaneServices } from "../../src/taskpane/services";
import { ProblemError } from "../../src/taskpane/services";
import { DEFAULT_SETTINGS, type PaneSettings } from "../../src/taskpane/settings";

let practice: PracticeServer;
let emulator: RunningMailboxEmulator;
let agent: Agent;
let services: PaneServices;

/** Plain fetch for the practice server (http), one that trusts the emulator's certificate for Graph. */
function routedFetch(): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(emulator.url)) {
      return undiciFetch(url, { ...(init as object), dispatcher: agent } as never) as unknown as Promise<Response>;
    }
    return fetch(input, init);
  }) as typeof fetch;
}

beforeAll(async () => {
  practice = await startPracticeServer({ port: 0, db: ":memory:", seed: "demo", devAuth: true, rateLimit: false });
  emulator = await startMailboxEmulator({ port: 0, seed: "demo" });
  agent = new Agent({ connect: { ca: emulator.caPem } });
  const config = parseConfig({ mode: "local", practiceApiUrl: practice.url, graphUrl: emulator.graphUrl }, "http://127.0.0.1:3000/taskpane.html");
  services = await buildPaneServices(config, { fetch: routedFetch(), indexedDB: new IDBFactory(), IDBKeyRange });
});

afterAll(async () => {
  await emulator?.close();
  await practice?.close();
  await agent?.close();
});

describe("buildPaneServices (local mode, real servers)", () => {
  it("reads identity, terminology, filter fields and filters from the practice API", async () => {
    const me = await services.practice.me();
    expect(me.name).toBeTruthy();
    const terms = await services.practice.terminology();
    expect(terms.client).toBeTruthy();
    expect(terms.standalones).toBeTruthy();
    const fields = await services.practice.filterFields();
    expect(fields.map((f) => f.name)).toContain("partnerId");
    const filters = await services.practice.listFilters();
    expect(filters.length).toBeGreaterThan(0);
  });

  it("turns the API's refusal of a bad filter into a ProblemError with paths", async () => {
    const err = await services.practice
      .createFilter({ name: "Bad", match: "all", criteria: [{ field: "nope", method: "equals", values: ["x"] }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).errors.some((e) => e.path.startsWith("criteria/0"))).toBe(true);
  });

  it("lists the own mailbox's folders as a tree and creates a folder", async () => {
    const tree = await services.folders.listFolders(null);
    expect(tree[0].children.map((f) => f.displayName)).toEqual(expect.arrayContaining(["Clients", "Suppliers"]));
    const created = await services.folders.createFolder(null, null, "Practice sync test");
    expect(created.displayName).toBe("Practice sync test");
  });

  it("plans, applies a selection and shows the rest again (R14), with history", async () => {
    const tree = await services.folders.listFolders(null);
    const target = tree[0].children.find((f) => f.displayName === "Practice sync test")!;
    const filters = await services.practice.listFilters();
    const settings: PaneSettings = {
      ...DEFAULT_SETTINGS,
      folder: { mailbox: null, folderId: target.id, path: "Contacts / Practice sync test" },
      filterId: filters[0].id,
    };
    const session = services.createSession(settings);
    const progress: string[] = [];
    session.onProgress((p) => progress.push(p.phase));
    const first = await session.plan();
    const adds = first.changes.filter((c) => c.group === "add");
    expect(adds.length).toBe(first.changes.length);
    expect(adds.length).toBeGreaterThan(1);
    expect(progress.length).toBeGreaterThan(0);
    const skipped = adds[0].id;
    const result = await session.apply(first, { selected: new Set(adds.slice(1).map((c) => c.id)) });
    expect(result.failed).toEqual([]);
    expect(result.applied).toBe(adds.length - 1);
    const second = await session.plan();
    expect(second.changes.map((c) => c.id)).toContain(skipped);
    expect(second.changes).toHaveLength(1);
    const runs = await session.history(5);
    expect(runs.length).toBeGreaterThan(0);
  });

  it("keeps settings in the host's store, validated on the way back", async () => {
    const s: PaneSettings = { ...DEFAULT_SETTINGS, autoSync: true, folder: { mailbox: null, folderId: "x", path: "X" } };
    await services.settings.save(s);
    expect(services.settings.load()).toEqual(s);
  });
});

describe("shared mailbox lease (R18)", () => {
  it("a colleague's live lease stops the run with their name; once released the run goes ahead and leaves no lease behind", async () => {
    const shared = "contacts@harbour.example";
    const tree = await services.folders.listFolders(shared);
    const folder = tree[0].children.find((f) => f.displayName === "Firm address book")!;
    expect(folder).toBeTruthy();
    const key = `${shared}/${folder.id}`;

    // Jörg (another staff member of the demo firm) holds the folder's lease.
    const tokenRes = await fetch(`${practice.url}/api/v1/dev/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ staffId: "staff-jorg" }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const jorg = createPracticeClient({ baseUrl: practice.url, getToken: async () => access_token });
    await jorg.acquireLease(key, 600);

    const session = services.createSession({
      ...DEFAULT_SETTINGS,
      folder: { mailbox: shared, folderId: folder.id, path: "Firm address book" },
    });
    await expect(session.plan()).rejects.toThrow(/synced by Jörg Müller/);

    await jorg.releaseLease(key);
    const p = await session.plan();
    await session.apply(p, { selected: new Set(p.changes.filter((c) => c.group !== "conflict").map((c) => c.id)) });
    expect(await jorg.getLease(key)).toBeNull();
  });
});

describe("own mailbox lease (R18)", () => {
  it("the user's other device holding the lease turns this pane's apply away ('another of your devices'); released, it goes ahead", async () => {
    const created = await services.folders.createFolder(null, null, "Lease test");
    const mailbox = services.host.userEmail ?? services.auth.accountName() ?? "me";
    const key = `${mailbox.toLowerCase()}/${created.id}`;
    const filters = await services.practice.listFilters();

    // The same user (the firm's first admin, as the pane's dev token) on another device holds the lease.
    const tokenRes = await fetch(`${practice.url}/api/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const otherDevice = createPracticeClient({ baseUrl: practice.url, getToken: async () => access_token });
    await otherDevice.acquireLease(key, 600, { holder: "desktop-outlook" });

    const session = services.createSession({
      ...DEFAULT_SETTINGS,
      folder: { mailbox: null, folderId: created.id, path: "Contacts / Lease test" },
      filterId: filters[0].id,
    });
    const plan = await session.plan();
    const adds = plan.changes.filter((c) => c.group === "add");
    expect(adds.length).toBeGreaterThan(0);
    await expect(session.apply(plan, { selected: new Set(adds.map((c) => c.id)) })).rejects.toThrow(
      "Syncing on another of your devices — try again in a moment.",
    );
    expect((await otherDevice.getLease(key))?.holder.device).toBe("desktop-outlook");
    // Nothing was written: the same adds are planned again.
    expect((await session.plan()).changes.filter((c) => c.group === "add")).toHaveLength(adds.length);

    await otherDevice.releaseLease(key, { holder: "desktop-outlook" });
    const again = await session.plan();
    const result = await session.apply(again, { selected: new Set(again.changes.filter((c) => c.group === "add").map((c) => c.id)) });
    expect(result.applied).toBe(adds.length);
    expect(await otherDevice.getLease(key)).toBeNull();
  });
});
