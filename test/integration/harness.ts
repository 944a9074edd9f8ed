// The end-to-end harness: the reference practice server and the mailbox emulator on random ports,
// the CLI run in-process (main) or as a child process (the bin), and helpers that act as the people
// who edit contacts on either side. Every scenario gets its own firm, mailbox and state directory,
// so one pair of servers serves a whole test file.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Agent, fetch as undiciFetch } from "undici";
import { main } from "../../src/cli/sync/main";
import type { SyncReport } from "../../src/cli/sync/report";
import { startMailboxEmulator, type RunningMailboxEmulator } from "../../src/outlook/emulator";
import { STAMP_PROPERTY_ID } from "../../src/outlook/graph";
import { stampKey } from "../../src/sync/model";
import { createPracticeClient, type PracticeClient } from "../../src/practice-api/client";
import { startPracticeServer, type PracticeServer } from "../../src/practice-api/server";
import type { ContactFields, ContactKind, PracticeAttributes } from "../../src/sync/model";


export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The --json object, when --json was given and the output parsed. */
  json: SyncReport;
}

export interface OutlookItem {
  id: string;
  immutableId: string;
  changeKey: string;
  givenName?: string;
  surname?: string;
  displayName?: string;
  emailAddresses?: { name?: string; address: string }[];
  singleValueExtendedProperties?: { id: string; value: string }[];
  [k: string]: unknown;
}

export class Harness {
  practice!: PracticeServer;
  emulator!: RunningMailboxEmulator;
  dir!: string;
  caFile!: string;
  private agent!: Agent;
  /** Added to the practice server's clock: lease expiry without waiting. */
  clockSkewMs = 0;
  private appToken: string | null = null;
  private n = 0;

  async start(opts: { latencyMs?: number; rateLimit?: { requests?: number; windowMs?: number } } = {}): Promise<void> {
    this.dir = mkdtempSync(path.join(tmpdir(), "pcs-int-"));
    this.practice = await startPracticeServer({ port: 0, db: ":memory:", seed: "none", devAuth: true, rateLimit: false, now: () => Date.now() + this.clockSkewMs });
    this.emulator = await startMailboxEmulator({ port: 0, seed: "none", latencyMs: opts.latencyMs ?? 0, rateLimit: opts.rateLimit });
    this.caFile = path.join(this.dir, "emulator-ca.pem");
    writeFileSync(this.caFile, this.emulator.caPem);
    this.agent = new Agent({ connect: { ca: this.emulator.caPem } });
  }

  async stop(): Promise<void> {
    await this.emulator?.close();
    await this.practice?.close();
    await this.agent?.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** A fresh firm (two staff), mailbox and state directory. */
  async scenario(contacts: { fields: ContactFields; kind?: ContactKind; attributes?: PracticeAttributes }[] = []): Promise<Scenario> {
    const k = ++this.n;
    const firmId = `firm-${k}`;
    this.practice.addFirm({
      id: firmId,
      name: `Firm ${k}`,
      staff: [
        { id: `s${k}-ann`, name: "Ann Admin", email: `ann${k}@firm.test`, oid: null, role: "admin", initials: "AA" },
        { id: `s${k}-bea`, name: "Bea Lee", email: `bea${k}@firm.test`, oid: null, role: "staff", initials: "BL" },
      ],
      contacts: contacts.map((c) => ({ kind: c.kind ?? "client", fields: c.fields, attributes: c.attributes ?? {} })),
    });
    const mailbox = `office${k}@firm.test`;
    await this.admin("POST", "/admin/mailboxes", { upn: mailbox, displayName: `Office ${k}` });
    return new Scenario(this, firmId, mailbox, path.join(this.dir, `state-${k}`));
  }

  /** The CLI in-process, with its own streams; stdin is not a terminal. */
  async cli(args: string[]): Promise<CliRun> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const input = Object.assign(new PassThrough(), { isTTY: false });
    let out = "";
    let err = "";
    stdout.on("data", (d: Buffer) => (out += d.toString()));
    stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await main(args, { stdout, stderr, input, output: stderr }, { env: {} });
    return { code, stdout: out, stderr: err, json: parseJson(args, out) };
  }

  /**
   * The CLI in-process as at a terminal: `asked` settles once it puts its [y/N] question, `answer`
   * types a line. Two of these overlap the way two people's reviews do.
   */
  cliAtTerminal(args: string[]): { asked: Promise<void>; answer(line: string): void; done: Promise<CliRun> } {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const input = Object.assign(new PassThrough(), { isTTY: true });
    let out = "";
    let err = "";
    let onAsked: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (onAsked = resolve));
    stdout.on("data", (d: Buffer) => (out += d.toString()));
    stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("[y/N]")) onAsked();
    });
    const done = main(args, { stdout, stderr, input, output: stderr }, { env: {} }).then((code) => {
      onAsked(); // a run that ends without asking must not leave a waiter hanging
      return { code, stdout: out, stderr: err, json: parseJson(args, out) };
    });
    return { asked, answer: (line) => void input.write(`${line}\n`), done };
  }

  /** The CLI as a real process (the bin), for signals. */
  spawnCli(args: string[]): ChildProcess {
    const bin = path.join(__dirname, "..", "..", "bin", "contact-sync.js");
    return spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } });
  }

  // ---- the emulator's admin API and Graph, as a person in Outlook ----

  async admin(method: string, route: string, body?: unknown): Promise<unknown> {
    return this.http(method, `${this.emulator.url}${route}`, body);
  }

  async graph(method: string, route: string, body?: unknown): Promise<unknown> {
    this.appToken ??= ((await this.http("POST", `${this.emulator.url}/dev/token`, { app: true })) as { access_token: string }).access_token;
    return this.http(method, `${this.emulator.graphUrl}${route}`, body, { authorization: `Bearer ${this.appToken}` });
  }

  /** fetch that trusts the emulator's certificate, for adapters a test builds itself. */
  readonly fetch: typeof fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: this.agent })) as unknown as typeof fetch;

  async http(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const res = await undiciFetch(url, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.agent,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async faults(spec: Record<string, unknown>): Promise<void> {
    await this.admin("POST", "/admin/faults", spec);
  }
}

export class Scenario {
  folderId: string | null = null;
  private client: PracticeClient | null = null;

  constructor(
    readonly h: Harness,
    readonly firmId: string,
    readonly mailbox: string,
    readonly stateDir: string,
  ) {}

  get staffAnn(): string {
    return `s${this.firmId.slice(5)}-ann`;
  }
  get staffBea(): string {
    return `s${this.firmId.slice(5)}-bea`;
  }

  /** `contact-sync sync` for this scenario: --yes --json unless told otherwise. */
  args(over: { folder?: string; filter?: string; importAs?: string; state?: string; staff?: string; extra?: string[]; mode?: string[] } = {}): string[] {
    return [
      "sync",
      "--practice-url", this.h.practice.url,
      "--graph-url", this.h.emulator.graphUrl,
      "--mailbox", this.mailbox,
      "--folder", over.folder ?? "Practice contacts",
      "--create-folder",
      "--filter", over.filter ?? "none",
      "--import-as", over.importAs ?? "clients",
      "--state", over.state ?? this.stateDir,
      "--dev-auth", "--staff", over.staff ?? this.staffAnn,
      "--ca", this.h.caFile,
      "--json", "--quiet",
      ...(over.mode ?? ["--yes"]),
      ...(over.extra ?? []),
    ];
  }

  async sync(over: Parameters<Scenario["args"]>[0] = {}): Promise<CliRun> {
    const run = await this.h.cli(this.args(over));
    if (run.json?.folder?.id) this.folderId = run.json.folder.id;
    return run;
  }

  /** The practice API as a person (Ann, unless told) would use it. */
  practiceAs(staffId = this.staffAnn): PracticeClient {
    const make = () =>
      createPracticeClient({
        baseUrl: this.h.practice.url,
        getToken: async () =>
          ((await this.h.http("POST", `${this.h.practice.url}/api/v1/dev/token`, { staffId })) as { access_token: string }).access_token,
      });
    if (staffId !== this.staffAnn) return make();
    this.client ??= make();
    return this.client;
  }

  async practiceContacts() {
    return (await this.practiceAs().listContacts(null)).contacts;
  }

  async practiceByName(givenName: string) {
    const c = (await this.practiceContacts()).find((x) => x.fields.givenName === givenName);
    if (!c) throw new Error(`no practice contact ${givenName}`);
    return c;
  }

  async editPractice(givenName: string, patch: Record<string, unknown>): Promise<void> {
    const c = await this.practiceByName(givenName);
    const [r] = await this.practiceAs().updateContacts([{ id: c.id, version: c.version, patch }]);
    if (!r.ok) throw new Error(`practice edit failed: ${r.error.message}`);
  }

  async outlookContacts(folderId = this.folderId): Promise<OutlookItem[]> {
    if (!folderId) throw new Error("no folder yet");
    const res = (await this.h.admin("GET", `/admin/mailboxes/${this.mailbox}/folders/${encodeURIComponent(folderId)}/contacts`)) as {
      value: OutlookItem[];
    };
    return res.value;
  }

  async outlookByName(givenName: string): Promise<OutlookItem> {
    const c = (await this.outlookContacts()).find((x) => x.givenName === givenName);
    if (!c) throw new Error(`no Outlook contact ${givenName}`);
    return c;
  }

  /** The record a contact's stamp names (firm:practiceId), whatever else the stamp records. */
  stampOf(c: OutlookItem): string | undefined {
    const raw = this.rawStampOf(c);
    return raw === undefined ? undefined : (stampKey(raw) ?? raw);
  }

  rawStampOf(c: OutlookItem): string | undefined {
    return c.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === STAMP_PROPERTY_ID.toLowerCase())?.value;
  }

  async editOutlook(givenName: string, patch: Record<string, unknown>): Promise<void> {
    const c = await this.outlookByName(givenName);
    await this.h.graph("PATCH", `/users/${this.mailbox}/contacts/${encodeURIComponent(c.id)}`, patch);
  }

  async addOutlook(body: Record<string, unknown>): Promise<void> {
    await this.h.graph("POST", `/users/${this.mailbox}/contactFolders/${encodeURIComponent(this.folderId!)}/contacts`, body);
  }

  async deleteOutlook(givenName: string): Promise<void> {
    const c = await this.outlookByName(givenName);
    await this.h.graph("DELETE", `/users/${this.mailbox}/contacts/${encodeURIComponent(c.id)}`);
  }
}

function parseJson(args: string[], out: string): SyncReport {
  if (!args.includes("--json")) return undefined as unknown as SyncReport;
  try {
    return JSON.parse(out.trim()) as SyncReport;
  } catch {
    throw new Error(`--json output is not one JSON object:\n${out}`);
  }
}

export const person = (givenName: string, surname: string, extra: ContactFields = {}): { fields: ContactFields } => ({
  fields: { givenName, surname, displayName: `${givenName} ${surname}`, ...extra },
});

/** Both sides hold the same people exactly once; every Outlook contact is stamped with its own practice id. */
export async function expectConverged(s: Scenario, expected: number): Promise<void> {
  const practice = await s.practiceContacts();
  const outlook = await s.outlookContacts();
  expect(practice).toHaveLength(expected);
  expect(outlook).toHaveLength(expected);
  const stamps = outlook.map((c) => s.stampOf(c));
  expect(new Set(stamps).size).toBe(expected);
  expect(stamps.sort()).toEqual(practice.map((p) => `${s.firmId}:${p.id}`).sort());
  const practiceNames = practice.map((p) => p.fields.givenName).sort();
  expect(outlook.map((o) => o.givenName).sort()).toEqual(practiceNames);
}
