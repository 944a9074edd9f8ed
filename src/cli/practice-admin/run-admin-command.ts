// `practice-server init | staff … | contacts …`: the firm's admin sets up an empty server and fills it.
// Exit codes: 0 done, 1 refused (a bad file or a request that cannot be met; nothing written), 2 usage.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { toApiContact } from "../../practice-api/contact-mapping";
import { openDatabase, type Db } from "../../practice-api/server/db";
import { createValidators } from "../../practice-api/server/validators";
import type { ContactKind } from "../../sync/model";
import { csvRecords, csvRow, EXPORT_HEADER, parseColumnMap, type StaffNames } from "./csv-contacts";
import { readCsv, writeCsv } from "./csv-table";
import { decodeText, type TextEncoding } from "./decode-text";
import { FileRefusal } from "./file-refusal";
import { AdminError, FirmAdmin } from "./firm-commands";
import { describeOutcomes, importContacts } from "./import-contacts";
import type { ImportRecord } from "./import-record";
import { vcardRecords, writeVcard } from "./vcard-contacts";

export const ADMIN_COMMANDS = ["init", "staff", "contacts"];

export const ADMIN_USAGE = `Setting up a firm (every command takes --db FILE, default .data/practice.db):
  practice-server init --firm NAME --admin EMAIL [--admin-name NAME] [--tenant TENANT_ID]
  practice-server staff add --email EMAIL [--name NAME] [--initials AB] [--role staff|admin]
  practice-server staff list
  practice-server staff remove EMAIL
  practice-server staff import FILE.csv [--dry-run]           (columns Name, Email, Initials[, Role])
  practice-server contacts import FILE [--dry-run] [--kind client|standalone] [--format csv|vcard]
                  [--map "Column=target"]... [--key COLUMN] [--dates mdy|dmy] [--encoding utf-8|windows-1252]
  practice-server contacts export [--format csv|vcard] [--vcard-version 3.0|4.0] [--out FILE]
A database with several firms needs --firm NAME on every command but init. See docs/admin-guide.md.`;

class UsageError extends Error {}

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const OPTIONS = {
  db: { type: "string", default: ".data/practice.db" },
  firm: { type: "string" },
  tenant: { type: "string" },
  admin: { type: "string" },
  "admin-name": { type: "string" },
  email: { type: "string" },
  name: { type: "string" },
  initials: { type: "string" },
  role: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  kind: { type: "string", default: "client" },
  format: { type: "string" },
  "vcard-version": { type: "string", default: "3.0" },
  map: { type: "string", multiple: true },
  key: { type: "string" },
  dates: { type: "string", default: "mdy" },
  encoding: { type: "string", default: "utf-8" },
  out: { type: "string" },
  help: { type: "boolean", default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

/** Runs one admin command; returns the exit code. */
export function runAdminCommand(argv: string[], io: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(ADMIN_USAGE);
      return 0;
    }
    return dispatch(positionals, values, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${ADMIN_USAGE}`);
      return 2;
    }
    if (e instanceof FileRefusal) {
      io.err(e.describe());
      return 1;
    }
    if (e instanceof AdminError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
}

function dispatch(positionals: string[], values: Values, io: Io): number {
  const [command, sub, ...rest] = positionals;
  const expectArgs = (n: number, what: string) => {
    const args = command === "init" ? positionals.slice(1) : rest;
    if (args.length !== n) throw new UsageError(`${[command, command === "init" ? "" : sub].join(" ").trim()} takes ${what}.`);
    return args;
  };
  if (command === "init") {
    expectArgs(0, "no file name; give --firm and --admin");
    if (!values.firm || !values.admin) throw new UsageError("init needs --firm NAME and --admin EMAIL.");
    return withDb(values.db, true, (db) => {
      const { firm, admin } = new FirmAdmin(db).init({ firm: values.firm!, tenant: values.tenant, admin: { email: values.admin!, name: values["admin-name"] } });
      io.out(`Created the firm "${firm.name}" (id ${firm.id}${firm.tenantId ? `, Entra tenant ${firm.tenantId}` : ""}) in ${values.db}`);
      io.out(`with its admin ${admin.name} <${admin.email}> (${admin.initials}).`);
      io.out(`Next: practice-server staff import staff.csv --db ${values.db}; practice-server contacts import contacts.csv --db ${values.db}`);
      return 0;
    });
  }
  if (command === "staff") {
    return withDb(values.db, false, (db) => {
      const admin = new FirmAdmin(db);
      const firm = admin.firm(values.firm);
      switch (sub) {
        case "add": {
          expectArgs(0, "no file name; give --email (and --name, --initials, --role)");
          if (!values.email) throw new UsageError("staff add needs --email EMAIL.");
          const m = admin.addStaff(firm.id, { email: values.email, name: values.name, initials: values.initials, role: values.role });
          io.out(`Added ${m.name} <${m.email}> (${m.initials}, ${m.role}) to ${firm.name}.`);
          return 0;
        }
        case "list": {
          expectArgs(0, "no arguments");
          const staff = admin.firms.staff(firm.id);
          const rows = staff.map((s) => [s.name, s.email, s.initials, s.role, s.oid ? "signed in" : "not yet signed in"]);
          io.out(table([["Name", "Email", "Initials", "Role", "Microsoft 365"], ...rows]));
          return 0;
        }
        case "remove": {
          const [who] = expectArgs(1, "the staff member's e-mail address");
          const m = admin.removeStaff(firm.id, who);
          io.out(`Removed ${m.name} <${m.email}> from ${firm.name}.`);
          return 0;
        }
        case "import": {
          const [file] = expectArgs(1, "one CSV file");
          const text = readText(file, values.encoding);
          const results = admin.importStaff(file, readCsv(file, text), firm.id, values["dry-run"]);
          for (const r of results) io.out(`row ${String(r.row).padEnd(5)} ${(values["dry-run"] && r.action !== "unchanged" ? `would ${r.action}` : r.action).padEnd(14)} ${r.member.name} <${r.member.email}> (${r.member.initials}, ${r.member.role})`);
          const n = (a: string) => results.filter((r) => r.action === a).length;
          io.out(values["dry-run"] ? `Dry run: ${n("create")} to add, ${n("update")} to update, ${n("unchanged")} unchanged. Nothing was written.` : `Staff: ${n("create")} added, ${n("update")} updated, ${n("unchanged")} unchanged.`);
          return 0;
        }
        default:
          throw new UsageError(`staff ${sub ?? ""}: use staff add, list, remove or import.`);
      }
    });
  }
  if (command === "contacts") {
    return withDb(values.db, false, (db) => {
      const admin = new FirmAdmin(db);
      const firm = admin.firm(values.firm);
      const staff = admin.firms.staff(firm.id);
      const names: StaffNames = { emailOf: (id) => staff.find((s) => s.id === id)?.email };
      if (sub === "import") {
        const [file] = expectArgs(1, "one CSV or vCard file");
        const kind = values.kind;
        if (kind !== "client" && kind !== "standalone") throw new UsageError(`--kind must be client or standalone, got "${kind}".`);
        if (values.dates !== "mdy" && values.dates !== "dmy") throw new UsageError(`--dates must be mdy or dmy, got "${values.dates}".`);
        let map: Map<string, string>;
        try {
          map = parseColumnMap(values.map ?? []);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        const text = readText(file, values.encoding);
        const format = formatOf(file, text, values.format);
        const records: ImportRecord[] =
          format === "vcard" ? vcardRecords(file, text) : csvRecords(file, readCsv(file, text), { map, keyColumn: values.key, dates: values.dates });
        const recordWord = format === "vcard" ? "card" : "row";
        const outcomes = importContacts(
          file,
          records,
          { db, contacts: admin.contactsRepo(), admin: admin.admin, validators: createValidators(), staff },
          { firmId: firm.id, defaultKind: kind as ContactKind, dryRun: values["dry-run"], recordWord },
        );
        io.out(describeOutcomes(outcomes, recordWord, values["dry-run"]));
        return 0;
      }
      if (sub === "export") {
        expectArgs(0, "no file name; give --out FILE (or none for standard output)");
        const format = values.format ?? "csv";
        if (format !== "csv" && format !== "vcard") throw new UsageError(`--format must be csv or vcard, got "${format}".`);
        const version = values["vcard-version"];
        if (version !== "3.0" && version !== "4.0") throw new UsageError(`--vcard-version must be 3.0 or 4.0, got "${version}".`);
        const contacts = allContacts(admin, firm.id);
        const text =
          format === "csv"
            ? writeCsv(EXPORT_HEADER, contacts.map((c) => csvRow(c, names)))
            : contacts.map((c) => writeVcard(c, version, names)).join("\r\n") + (contacts.length ? "\r\n" : "");
        if (values.out) {
          writeFileSync(values.out, text);
          io.err(`Exported ${contacts.length} contact(s) of ${firm.name} to ${values.out}.`);
        } else process.stdout.write(text);
        return 0;
      }
      throw new UsageError(`contacts ${sub ?? ""}: use contacts import or contacts export.`);
    });
  }
  throw new UsageError(`Unknown command "${command}".`);
}

function withDb(file: string, create: boolean, run: (db: Db) => number): number {
  if (!create && file !== ":memory:" && !existsSync(file)) throw new AdminError(`There is no database at ${file}: run \`practice-server init --db ${file} …\` first.`);
  const db = openDatabase(file);
  try {
    return run(db);
  } finally {
    db.close();
  }
}

function readText(file: string, encoding: string): string {
  if (encoding !== "utf-8" && encoding !== "windows-1252") throw new UsageError(`--encoding must be utf-8 or windows-1252, got "${encoding}".`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new AdminError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}.`);
  }
  return decodeText(file, bytes, encoding as TextEncoding);
}

function formatOf(file: string, text: string, given: string | undefined): "csv" | "vcard" {
  if (given !== undefined) {
    if (given !== "csv" && given !== "vcard") throw new UsageError(`--format must be csv or vcard, got "${given}".`);
    return given;
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === ".vcf" || ext === ".vcard") return "vcard";
  if (ext === ".csv") return "csv";
  return /^\s*BEGIN:VCARD/i.test(text) ? "vcard" : "csv";
}

function allContacts(admin: FirmAdmin, firmId: string) {
  const repo = admin.contactsRepo();
  const out = [];
  let after = "";
  for (;;) {
    const page = repo.page(firmId, null, after, 1000);
    out.push(...page.docs.map((d) => JSON.parse(d) as ReturnType<typeof toApiContact>));
    if (page.lastId === null) return out;
    after = page.lastId;
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}
