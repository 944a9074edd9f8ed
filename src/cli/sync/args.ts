// Command-line parsing for `contact-sync`: turns argv into one typed command or a usage error (exit 2).
// Everything is checked here, before any connection is made, so a typo never starts a half-configured run.
import { isLoopbackHost } from "../../practice-api/server/loopback";
import { parseArgs } from "node:util";
import type { ContactKind } from "../../sync/model";
import { usageError } from "./exit-codes";

export interface ConnectionOptions {
  practiceUrl?: string;
  graphUrl?: string;
  mailbox: string;
  devAuth: boolean;
  staffId?: string;
  upn?: string;
  caFile?: string;
  /** The longest Retry-After of Outlook's request limit the sync waits out (--max-wait); default 15 min. */
  maxWaitMs?: number;
}

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
}

export interface SyncCommand extends OutputOptions {
  command: "sync";
  connection: ConnectionOptions & { practiceUrl: string; graphUrl: string };
  folder: string;
  createFolder: boolean;
  /** Filter name or id; null = every contact (R1). */
  filter: string | null;
  importAs: ContactKind;
  stateDir: string;
  mode: "dry-run" | "ask" | "yes";
  force: boolean;
  wholeRecord: boolean;
  deleteStandalone: boolean;
  leaseSeconds: number;
}

export interface StatusCommand extends OutputOptions {
  command: "status";
  stateDir: string;
  limit: number;
}

export interface FoldersCommand extends OutputOptions {
  command: "folders";
  connection: ConnectionOptions & { graphUrl: string };
  create?: string;
  parent?: string;
}

export interface FiltersCommand extends OutputOptions {
  command: "filters";
  connection: ConnectionOptions & { practiceUrl: string };
}

export interface HelpCommand {
  command: "help";
  topic?: string;
}

export type Command = SyncCommand | StatusCommand | FoldersCommand | FiltersCommand | HelpCommand;

const OPTIONS = {
  "practice-url": { type: "string" },
  "graph-url": { type: "string" },
  mailbox: { type: "string" },
  folder: { type: "string" },
  "create-folder": { type: "boolean" },
  filter: { type: "string" },
  "import-as": { type: "string" },
  state: { type: "string" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  force: { type: "boolean" },
  "whole-record": { type: "boolean" },
  "delete-standalone": { type: "boolean" },
  "lease-seconds": { type: "string" },
  "max-wait": { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  "dev-auth": { type: "boolean" },
  staff: { type: "string" },
  upn: { type: "string" },
  ca: { type: "string" },
  limit: { type: "string" },
  create: { type: "string" },
  parent: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Which options each command accepts (anything else is a usage error, not silently ignored). */
const ALLOWED: Record<Exclude<Command["command"], "help">, readonly string[]> = {
  sync: [
    "practice-url", "graph-url", "mailbox", "folder", "create-folder", "filter", "import-as", "state", "dry-run",
    "yes", "force", "whole-record", "delete-standalone", "lease-seconds", "max-wait", "json", "quiet", "dev-auth", "staff", "upn", "ca",
  ],
  status: ["state", "json", "quiet", "limit"],
  folders: ["graph-url", "mailbox", "create", "parent", "json", "quiet", "dev-auth", "upn", "ca"],
  filters: ["practice-url", "json", "quiet", "dev-auth", "staff", "ca"],
};

export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    return { command: "help", topic: command === "help" ? rest[0] : undefined };
  }
  if (!(command in ALLOWED)) throw usageError(`Unknown command "${command}". Commands: sync, status, folders, filters, help.`);
  const name = command as keyof typeof ALLOWED;

  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...rest], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw usageError(`${(err as Error).message}. See "contact-sync help ${name}".`);
  }
  if (values.help) return { command: "help", topic: name };
  for (const key of Object.keys(values)) {
    if (!ALLOWED[name].includes(key)) throw usageError(`"${name}" does not take --${key}. See "contact-sync help ${name}".`);
  }
  const str = (k: string) => values[k] as string | undefined;
  const flag = (k: string) => values[k] === true;
  const output: OutputOptions = { json: flag("json"), quiet: flag("quiet") };

  switch (name) {
    case "status":
      return {
        command: "status",
        ...output,
        stateDir: required(str("state"), "--state DIR"),
        limit: positiveInt(str("limit") ?? "10", "--limit", 1000),
      };
    case "filters":
      return {
        command: "filters",
        ...output,
        connection: { ...connection(values), practiceUrl: url(required(str("practice-url"), "--practice-url URL"), "--practice-url", values["dev-auth"] === true) },
      };
    case "folders":
      return {
        command: "folders",
        ...output,
        connection: { ...connection(values), graphUrl: url(required(str("graph-url"), "--graph-url URL"), "--graph-url", values["dev-auth"] === true) },
        create: nonEmpty(str("create"), "--create"),
        parent: nonEmpty(str("parent"), "--parent"),
      };
    case "sync":
      return parseSync(values, output);
  }
}

function parseSync(values: Record<string, string | boolean | undefined>, output: OutputOptions): SyncCommand {
  const str = (k: string) => values[k] as string | undefined;
  const flag = (k: string) => values[k] === true;
  if (flag("dry-run") && flag("yes")) throw usageError("--dry-run and --yes contradict each other: choose one.");
  const filter = required(str("filter"), "--filter NAME|ID|none (none = every contact)");
  const importAs = required(str("import-as"), "--import-as clients|standalone");
  const kinds: Record<string, ContactKind> = { clients: "client", client: "client", standalone: "standalone" };
  if (!kinds[importAs]) throw usageError(`--import-as must be "clients" or "standalone", not "${importAs}".`);
  return {
    command: "sync",
    ...output,
    connection: {
      ...connection(values),
      practiceUrl: url(required(str("practice-url"), "--practice-url URL"), "--practice-url", values["dev-auth"] === true),
      graphUrl: url(required(str("graph-url"), "--graph-url URL"), "--graph-url", values["dev-auth"] === true),
      ...(str("max-wait") !== undefined ? { maxWaitMs: duration(str("max-wait")!, "--max-wait") } : {}),
    },
    folder: required(nonEmpty(str("folder"), "--folder"), "--folder NAME|ID"),
    createFolder: flag("create-folder"),
    filter: filter.toLowerCase() === "none" ? null : filter,
    importAs: kinds[importAs],
    stateDir: required(str("state"), "--state DIR"),
    mode: flag("dry-run") ? "dry-run" : flag("yes") ? "yes" : "ask",
    force: flag("force"),
    wholeRecord: flag("whole-record"),
    deleteStandalone: flag("delete-standalone"),
    leaseSeconds: positiveInt(str("lease-seconds") ?? "120", "--lease-seconds", 3600, 30),
  };
}

function connection(values: Record<string, string | boolean | undefined>): ConnectionOptions {
  const mailbox = (values.mailbox as string | undefined) ?? "me";
  if (mailbox !== "me" && !/^[^\s@]+@[^\s@]+$/.test(mailbox) && !/^[0-9a-f-]{36}$/i.test(mailbox)) {
    throw usageError(`--mailbox must be "me", a user principal name (name@domain) or a user id, not "${mailbox}".`);
  }
  const devAuth = values["dev-auth"] === true;
  if (!devAuth && (values.staff !== undefined || values.upn !== undefined)) {
    throw usageError("--staff and --upn choose the development identity: use them with --dev-auth.");
  }
  return {
    mailbox,
    devAuth,
    staffId: nonEmpty(values.staff as string | undefined, "--staff"),
    upn: nonEmpty(values.upn as string | undefined, "--upn"),
    caFile: nonEmpty(values.ca as string | undefined, "--ca"),
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw usageError(`Missing ${what}.`);
  return value;
}

function nonEmpty(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && value.trim() === "") throw usageError(`${name} must not be empty.`);
  return value?.trim();
}

function url(value: string, name: string, devAuth: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw usageError(`${name} must be an absolute URL such as https://host/path, not "${value}".`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw usageError(`${name} must be an http(s) URL.`);
  if (parsed.username || parsed.password) throw usageError(`${name} must not carry credentials; use the environment variables.`);
  // Production tokens are bearer credentials: they go only over TLS (or stay on this machine).
  if (!devAuth && parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname))
    throw usageError(`${name} must be https:// when signing in with production credentials (http only for a loopback host or with --dev-auth).`);
  return value.replace(/\/+$/, "");
}

/** "90", "90s", "15m" or "1h" as milliseconds; at most a day. */
function duration(value: string, name: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "s" | "m" | "h"] : Number.NaN;
  if (!(ms <= 86_400_000)) throw usageError(`${name} must be a duration such as 90s, 15m or 1h (at most 24h), not "${value}".`);
  return ms;
}

function positiveInt(value: string, name: string, max: number, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw usageError(`${name} must be a whole number from ${min} to ${max}.`);
  return n;
}
