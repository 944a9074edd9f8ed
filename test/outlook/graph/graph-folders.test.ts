// Contact folders against the mailbox emulator (demo seed): the tree, creating folders, shared
// mailboxes (403 when not shared), and a whole sync folder reached through an http reverse proxy.
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  FolderAccessError,
  FolderExistsError,
  GraphFolderError,
  createGraphFolders,
  createGraphOutlookStore,
} from "../../../src/outlook/graph";
import type { ContactFolderNode } from "../../../src/outlook/graph";
import { DEMO_COLLEAGUE, DEMO_SHARED_MAILBOX, DEMO_USER } from "../../../src/outlook/emulator";
import { decodeFolderToken } from "../../../src/outlook/graph/folder-token";
import { StoreUnavailableError } from "../../../src/sync/ports";
import { startEmulator } from "./emulator-harness";
import type { EmulatorHarness } from "./emulator-harness";

let h: EmulatorHarness;
let anna: string;

beforeAll(async () => {
  h = await startEmulator({ seed: "demo" });
  anna = await h.token(DEMO_USER);
});

afterAll(async () => {
  await h.close();
});

const folders = (token = anna) => createGraphFolders({ graphUrl: h.graphUrl, getToken: async () => token, fetch: h.fetch });

function names(nodes: ContactFolderNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? { [n.displayName]: names(n.children) } : n.displayName));
}

describe("contact folders", () => {
  it("lists the own mailbox as a tree: the default Contacts folder with nested subfolders", async () => {
    const tree = await folders().listFolders("me");
    expect(tree).toHaveLength(1);
    expect(tree[0].isDefault).toBe(true);
    expect(names(tree)).toEqual([{ Contacts: [{ Clients: ["Priority"] }, "Suppliers"] }]);
    const clients = tree[0].children.find((f) => f.displayName === "Clients")!;
    expect(clients.parentFolderId).toBe(tree[0].id);
  });

  it("creates a folder at the top and under a parent, and names the clash on a duplicate", async () => {
    const f = folders();
    const top = await f.createFolder("me", "  Practice sync  ");
    expect(top.displayName).toBe("Practice sync");
    const child = await f.createFolder("me", "Partners", top.id);
    expect(child.parentFolderId).toBe(top.id);
    const err = await f.createFolder("me", "practice SYNC").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FolderExistsError);
    expect((err as Error).message).toMatch(/already exists/);
    await expect(f.createFolder("me", "   ")).rejects.toThrow(/needs a name/);
    const tree = await f.listFolders("me");
    expect(names(tree)[0]).toEqual({ Contacts: expect.arrayContaining([{ "Practice sync": ["Partners"] }]) });
  });

  it("lists a shared mailbox's folders that are shared with the user", async () => {
    const tree = await folders().listFolders(DEMO_SHARED_MAILBOX);
    expect(names(tree)).toEqual([{ Contacts: ["Firm address book"] }]);
  });

  it("explains a mailbox that is not shared with the user (403) with a named error", async () => {
    const ben = await h.token(DEMO_COLLEAGUE);
    const err = await folders(ben).listFolders(DEMO_SHARED_MAILBOX).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FolderAccessError);
    expect((err as FolderAccessError).status).toBe(403);
    // It names what to ask the owner for: the Contacts folder itself, with Editor to sync.
    expect((err as Error).message).toMatch(new RegExp(`contacts folders of ${DEMO_SHARED_MAILBOX}\\. Ask the owner of that mailbox to share its Contacts folder itself \\(not only a subfolder\\) with you, with the Editor permission`));
    await expect(folders(ben).createFolder(DEMO_SHARED_MAILBOX, "Mine")).rejects.toBeInstanceOf(FolderAccessError);
  });

  it("says so when Outlook does not accept the token (401), without blaming sharing", async () => {
    const err = await folders("not-a-token").listFolders("me").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphFolderError);
    expect(err).not.toBeInstanceOf(FolderAccessError);
    expect((err as GraphFolderError).status).toBe(401);
    expect((err as Error).message).toMatch(/Sign in again/);
  });

  it("syncs a shared mailbox folder: reads its fax, writes a contact", async () => {
    const [root] = await folders().listFolders(DEMO_SHARED_MAILBOX);
    const firm = root.children.find((f) => f.displayName === "Firm address book")!;
    const s = createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: DEMO_SHARED_MAILBOX, folderId: firm.id, getToken: async () => anna, fetch: h.fetch });
    const read = await s.readChanges(null);
    expect(read.upserts.find((c) => c.fields.givenName === "Petra")!.fields.businessFax).toBe("+46 8 555 0199");
    const [made] = await s.createContacts([{ stamp: "firm:shared1", fields: { givenName: "New", surname: "Shared" } }]);
    expect(made.ok).toBe(true);
    expect((await s.readChanges(read.deltaToken)).upserts.map((c) => c.stamp)).toEqual(["firm:shared1"]);
    // A delegated share is read by listing, compared by changeKey: the token holds what was seen.
    expect(decodeFolderToken(read.deltaToken).mode).toBe("list");
  });

  it("reaches a folder shared on its own: the root answers 403 with what to ask for, the folder opens by id and syncs by listing", async () => {
    const owner = "owner@harbour.example";
    const guest = "guest@harbour.example";
    const ownerToken = await h.token(owner);
    const shared = await folders(ownerToken).createFolder("me", "Shared alone");
    await h.admin("POST", "/grants", { ownerUpn: owner, granteeUpn: guest, folderId: shared.id, role: "write" });
    await h.admin("POST", `/mailboxes/${owner}/contacts`, { folderId: shared.id, contacts: [{ givenName: "Only", surname: "Here" }] });
    const guestToken = await h.token(guest);
    const err = await folders(guestToken).listFolders(owner).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FolderAccessError);
    expect((err as Error).message).toMatch(/share its Contacts folder itself/);
    const node = await folders(guestToken).getFolder(owner, shared.id);
    expect(node).toMatchObject({ id: shared.id, displayName: "Shared alone", children: [] });
    const store = (access: "delegated" | "application") =>
      createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: owner, folderId: shared.id, getToken: async () => guestToken, fetch: h.fetch, access });
    const read = await store("delegated").readChanges(null);
    expect(read.upserts.map((c) => c.fields.givenName)).toEqual(["Only"]);
    // Delta through the share is refused by the strict emulator (404, as message delta answered: docs#12427).
    const refused = await store("application").readChanges(null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect((refused as StoreUnavailableError).status).toBe(404);
  });

  it("reads the list-mode changes: edits by changeKey, removals by absence, nothing when nothing changed", async () => {
    const [root] = await folders().listFolders(DEMO_SHARED_MAILBOX);
    const firm = root.children.find((f) => f.displayName === "Firm address book")!;
    const s = createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: DEMO_SHARED_MAILBOX, folderId: firm.id, getToken: async () => anna, fetch: h.fetch });
    const first = await s.readChanges(null);
    expect(first.full).toBe(true);
    const quiet = await s.readChanges(first.deltaToken);
    expect(quiet).toMatchObject({ upserts: [], removed: [], full: false });
    const [a, b] = first.upserts;
    expect((await s.updateContacts([{ id: a.id, changeKey: a.changeKey, patch: { jobTitle: "Edited" } }]))[0].ok).toBe(true);
    expect((await s.deleteContacts([b.id]))[0].ok).toBe(true);
    const next = await s.readChanges(quiet.deltaToken);
    expect(next.upserts.map((c) => [c.id, c.fields.jobTitle])).toEqual([[a.id, "Edited"]]);
    expect(next.removed).toEqual([b.id]);
    // A failed read returns nothing, so the engine's token stays where it was.
    await h.admin("POST", "/faults", { status: 503, count: 20 });
    const failing = createGraphOutlookStore({ graphUrl: h.graphUrl, mailbox: DEMO_SHARED_MAILBOX, folderId: firm.id, getToken: async () => anna, fetch: h.fetch, maxRetries: 1, sleep: async () => {} });
    await expect(failing.readChanges(next.deltaToken)).rejects.toBeInstanceOf(StoreUnavailableError);
    await h.admin("POST", "/faults", { clear: true });
  });
});

describe("through the pane's dev-server proxy (plain http, path prefix)", () => {
  let proxy: http.Server;
  let proxyGraphUrl: string;

  beforeAll(async () => {
    // A minimal reverse proxy: /graph/* -> the emulator, with the X-Forwarded-* headers a dev server sends.
    proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "connection") headers[k] = v;
      const { port } = proxy.address() as AddressInfo;
      Object.assign(headers, { "x-forwarded-proto": "http", "x-forwarded-host": `127.0.0.1:${port}`, "x-forwarded-prefix": "/graph" });
      const upstream = await h.fetch(`${h.emu.url}${(req.url ?? "/").replace(/^\/graph/, "")}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyGraphUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graph/v1.0`;
  });

  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it("attaches the token over http and follows next/delta links that point back through the proxy", async () => {
    const f = createGraphFolders({ graphUrl: proxyGraphUrl, getToken: async () => anna });
    const folder = await f.createFolder("me", "Via proxy");
    // the global fetch: nothing special is needed for plain http on loopback
    const s = createGraphOutlookStore({ graphUrl: proxyGraphUrl, mailbox: "me", folderId: folder.id, getToken: async () => anna, pageSize: 5 });
    const made = await s.createContacts(Array.from({ length: 23 }, (_, i) => ({ stamp: `firm:px${i}`, fields: { givenName: `P${i}` } })));
    expect(made.every((r) => r.ok)).toBe(true);
    const read = await s.readChanges(null);
    expect(read.upserts).toHaveLength(23);
    const token = decodeFolderToken(read.deltaToken);
    expect(token.mode === "delta" && token.link.startsWith(`${proxyGraphUrl}/`)).toBe(true);
    const again = await s.readChanges(read.deltaToken);
    expect(again.upserts).toEqual([]);
  });
});
