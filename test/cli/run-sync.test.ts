// The sync command's behaviour (modes, exit codes, JSON, lease, state dir) over the in-memory stores.
// The same flows run over real HTTP in test/integration.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { ConnectionOptions } from "../../src/cli/sync/args";
import type { Connected } from "../../src/cli/sync/connect";
import { EXIT } from "../../src/cli/sync/exit-codes";
import type { LeaseInfo } from "../../src/cli/sync/lease";
import { main } from "../../src/cli/sync/main";
import type { FolderInfo } from "../../src/cli/sync/resolve";
import type { SyncReport } from "../../src/cli/sync/report";
import { MemoryOutlookStore, MemoryPracticeStore } from "../support";

class World {
  readonly practice = new MemoryPracticeStore();
  readonly folders = new Map<string, { info: FolderInfo; store: MemoryOutlookStore }>();
  lease: { key: string; holder: string; expiresAt: string } | null = null;
  staff = "Ann Admin";
  leaseCalls: string[] = [];

  folder(name: string): MemoryOutlookStore {
    const f = [...this.folders.values()].find((x) => x.info.displayName === name);
    if (!f) throw new Error(`no folder ${name}`);
    return f.store;
  }

  addFolder(name: string): MemoryOutlookStore {
    const id = `folder-${this.folders.size + 1}`;
    const store = new MemoryOutlookStore();
    this.folders.set(id, { info: { id, displayName: name }, store });
    return store;
  }

  connect = (_conn: ConnectionOptions): Connected => {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wiring closes over the world
    const world = this;
    const leaseOf = (key: string): LeaseInfo => ({
      folderKey: key,
      holder: { staffId: "S1", name: world.staff },
      expiresAt: "2099-01-01T00:00:00Z",
    });
    const p = this.practice;
    const practice = {
      firmId: p.firmId.bind(p),
      getFilter: p.getFilter.bind(p),
      listContacts: p.listContacts.bind(p),
      changesSince: p.changesSince.bind(p),
      getContacts: p.getContacts.bind(p),
      createContacts: p.createContacts.bind(p),
      updateContacts: p.updateContacts.bind(p),
      deleteContacts: p.deleteContacts.bind(p),
      getDecisions: p.getDecisions.bind(p),
      changeDecisions: p.changeDecisions.bind(p),
      listFilters: () => this.allFilters(),
      acquireLease: async (key: string) => {
        this.leaseCalls.push("acquire");
        if (this.lease && this.lease.holder !== world.staff) {
          throw Object.assign(new Error("held"), {
            status: 409,
            problem: { type: "urn:practice-api:problem:lease-held", holder: { staffId: "S2", name: this.lease.holder }, expiresAt: this.lease.expiresAt },
          });
        }
        this.lease = { key, holder: world.staff, expiresAt: "2099-01-01T00:00:00Z" };
        return leaseOf(key);
      },
      renewLease: async (key: string) => leaseOf(key),
      releaseLease: async () => {
        this.leaseCalls.push("release");
        this.lease = null;
      },
    };
    return {
      wiring: {
        practice,
        outlookFor: (id) => {
          const f = this.folders.get(id);
          if (!f) throw new Error(`unknown folder ${id}`);
          return f.store;
        },
        folders: {
          listFolders: async () => [...this.folders.values()].map((f) => f.info),
          createFolder: async (_mailbox, name) => {
            this.addFolder(name);
            return [...this.folders.values()].at(-1)!.info;
          },
        },
        requests: () => ({ practice: this.practice.requests.total, graph: [...this.folders.values()].reduce((n, f) => n + f.store.requests.total, 0) }),
      },
      close: async () => {},
    };
  };

  private filterList: { id: string; name: string }[] = [];
  addFilter(name: string, city: string): string {
    const f = this.practice.addFilter({ name, match: "all", criteria: [{ field: "businessAddress.city", method: "equals", values: [city] }] });
    this.filterList.push({ id: f.id, name });
    return f.id;
  }
  private async allFilters() {
    const out = [];
    for (const f of this.filterList) {
      const full = await this.practice.getFilter(f.id);
      if (full) out.push(full);
    }
    return out;
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: SyncReport;
}

async function run(world: World, args: string[], input?: { tty: boolean; answer?: string }): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { isTTY: input?.tty ?? false });
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => {
    err += d.toString();
    // Answer the prompt when it appears, as a person would.
    if (input?.answer !== undefined && d.toString().includes("[y/N]")) stdin.write(`${input.answer}\n`);
  });
  const code = await main(args, { stdout, stderr, input: stdin, output: stderr }, { connect: world.connect });
  let json = undefined as unknown as SyncReport;
  if (args.includes("--json")) json = JSON.parse(out.trim()) as SyncReport;
  return { code, stdout: out, stderr: err, json };
}

describe("contact-sync sync over in-memory stores", () => {
  let dir: string;
  let world: World;
  const args = (...extra: string[]) => [
    "sync",
    "--practice-url", "https://practice.test",
    "--graph-url", "https://graph.test/v1.0",
    "--mailbox", "office@firm.test",
    "--folder", "Practice contacts",
    "--filter", "none",
    "--import-as", "clients",
    "--state", path.join(dir, "state"),
    ...extra,
  ];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "pcs-cli-"));
    world = new World();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function seed(n: number, city = "Leeds"): void {
    for (let i = 0; i < n; i++) {
      world.practice.add({ givenName: `Given${i}`, surname: `Sur${i}`, displayName: `Given${i} Sur${i}`, businessAddress: { city } });
    }
  }

  test("--yes applies, --json prints one object with counts and requests, and a second run has nothing to do", async () => {
    seed(5);
    world.addFolder("Practice contacts");
    const first = await run(world, args("--yes", "--json"));
    expect(first.code).toBe(EXIT.ok);
    expect(first.json).toMatchObject({ outcome: "applied", exitCode: 0, planned: { "add:toOutlook": 5 }, applied: { applied: 5, failed: 0 } });
    expect(first.json.requests.practice).toBeGreaterThan(0);
    expect(first.json.requests.graph).toBeGreaterThan(0);
    expect(world.folder("Practice contacts").size()).toBe(5);
    expect(world.leaseCalls).toEqual(["acquire", "release"]);

    const second = await run(world, args("--yes", "--json"));
    expect(second.json).toMatchObject({ outcome: "no-changes", planned: {} });
    expect(world.leaseCalls).toEqual(["acquire", "release"]);
    expect(world.folder("Practice contacts").size()).toBe(5);
  });

  test("--dry-run lists the changes as the pane does and writes nothing", async () => {
    seed(2);
    world.addFolder("Practice contacts");
    const r = await run(world, args("--dry-run"));
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/^Add \(2\)\n {2}Given0 Sur0 {2}\[practice -> Outlook, R6\]/m);
    expect(r.stdout).toMatch(/Dry run: 2 pending change\(s\), nothing written/);
    expect(world.folder("Practice contacts").size()).toBe(0);
  });

  test("without --yes: no terminal is exit 2; at a terminal, 'n' applies nothing and 'y' applies", async () => {
    seed(3);
    world.addFolder("Practice contacts");
    const noTty = await run(world, args());
    expect(noTty.code).toBe(EXIT.usage);
    expect(noTty.stderr).toMatch(/no terminal to confirm them: run with --yes/);
    expect(world.folder("Practice contacts").size()).toBe(0);

    const no = await run(world, args(), { tty: true, answer: "n" });
    expect(no.code).toBe(EXIT.ok);
    expect(no.stdout).toMatch(/Nothing applied: 3 pending change\(s\)/);
    expect(world.folder("Practice contacts").size()).toBe(0);

    const yes = await run(world, args(), { tty: true, answer: "y" });
    expect(yes.code).toBe(EXIT.ok);
    expect(yes.stderr).toContain("Apply 3 change(s)? [y/N]");
    expect(world.folder("Practice contacts").size()).toBe(3);
  });

  test("R15: mass removal stops with exit 3 and writes nothing; --force goes ahead", async () => {
    seed(30);
    world.addFolder("Practice contacts");
    expect((await run(world, args("--yes"))).code).toBe(EXIT.ok);
    for (const c of world.practice.all().slice(0, 20)) world.practice.remove(c.id);
    const stopped = await run(world, args("--yes", "--json"));
    expect(stopped.code).toBe(EXIT.safetyStop);
    expect(stopped.json.outcome).toBe("safety-stop");
    expect(stopped.json.safety).not.toBeNull();
    expect(world.folder("Practice contacts").size()).toBe(30);
    const forced = await run(world, args("--yes", "--force"));
    expect(forced.code).toBe(EXIT.ok);
    expect(world.folder("Practice contacts").size()).toBe(10);
  });

  test("R18: a folder leased by another user turns the run away with exit 2 and writes nothing", async () => {
    seed(2);
    world.addFolder("Practice contacts");
    world.lease = { key: "x", holder: "Bea Lee", expiresAt: "2026-11-25T09:00:00Z" };
    const r = await run(world, args("--yes"));
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain("This folder is synced by Bea Lee until 2026-11-25T09:00:00Z");
    expect(world.folder("Practice contacts").size()).toBe(0);
  });

  test("R19: a contact that fails is listed with exit 4 and does not block the others", async () => {
    seed(4);
    const folder = world.addFolder("Practice contacts");
    folder.faults.inject("createContacts", "throttled", 1, 1);
    const r = await run(world, args("--yes", "--json"));
    expect(r.code).toBe(EXIT.contactsFailed);
    expect(r.json.outcome).toBe("partial");
    expect(r.json.errors).toHaveLength(1);
    expect(folder.size()).toBe(3);
    const again = await run(world, args("--yes", "--json"));
    expect(again.code).toBe(EXIT.ok);
    expect(folder.size()).toBe(4);
  });

  test("folders and filters are found by name, a missing folder needs --create-folder, and the state dir keeps its target", async () => {
    seed(2, "Leeds");
    seed(3, "York");
    world.addFilter("Leeds clients", "Leeds");
    const missing = await run(world, args("--yes"));
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/no contacts folder "Practice contacts".*--create-folder/);

    const a = args("--yes", "--create-folder");
    a[a.indexOf("none")] = "Leeds clients";
    expect((await run(world, a)).code).toBe(EXIT.ok);
    expect(world.folder("Practice contacts").size()).toBe(2);

    world.addFolder("Other");
    const other = args("--yes");
    other[other.indexOf("Practice contacts")] = "Other";
    const wrong = await run(world, other);
    expect(wrong.code).toBe(EXIT.usage);
    expect(wrong.stderr).toMatch(/belongs to another sync/);
  });

  test("status reads the state directory without the network", async () => {
    seed(3);
    world.addFolder("Practice contacts");
    await run(world, args("--yes"));
    const r = await run(world, ["status", "--state", path.join(dir, "state"), "--json"]);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as { links: Record<string, number>; history: { status: string }[] };
    expect(status.links.linked).toBe(3);
    expect(status.history[0].status).toBe("ok");
    const text = await run(world, ["status", "--state", path.join(dir, "state")]);
    expect(text.stdout).toMatch(/Linked 3, excluded 0/);
    const none = await run(world, ["status", "--state", path.join(dir, "nothing-here")]);
    expect(none.code).toBe(EXIT.usage);
  });
});
