// Writes import records into a firm, all or nothing: every row is checked first (the contract's own
// schema, staff references, one contact per row), then all are written in one transaction; a dry run
// writes them the same way and rolls back, so its report is exactly what the import would do.
import { derivedDisplayName } from "../../sync/normalize";
import type { ContactFields, ContactKind, PracticeAttributes, PracticeContact } from "../../sync/model";
import type { ContactsRepo } from "../../practice-api/server/contacts-repo";
import type { Db } from "../../practice-api/server/db";
import type { StaffMember } from "../../practice-api/server/firms-repo";
import type { Validators } from "../../practice-api/server/validators";
import { FileRefusal, type FileProblem } from "./file-refusal";
import type { FirmAdminRepo } from "./firm-admin-repo";
import { STAFF_REFERENCES, type ImportRecord } from "./import-record";

export interface ImportDeps {
  db: Db;
  contacts: ContactsRepo;
  admin: FirmAdminRepo;
  validators: Validators;
  staff: StaffMember[];
}

export interface ImportOptions {
  firmId: string;
  defaultKind: ContactKind;
  dryRun: boolean;
  recordWord: "row" | "card";
}

export type RowAction = "create" | "update" | "unchanged";

export interface RowOutcome {
  row: number;
  action: RowAction;
  name: string;
  contactId: string;
  /** Fields and attributes an update changed. */
  changed: string[];
  notKept: string[];
}

class DryRunRollback extends Error {}

/** What a record is called across imports when the file gives no key: its name and first e-mail. */
function fallbackKey(rec: ImportRecord): string | undefined {
  const name = (rec.fields.displayName as string | undefined) ?? derivedDisplayName(rec.fields as ContactFields);
  const email = (rec.fields.emailAddresses as { address: string }[] | undefined)?.[0]?.address;
  if (!name && !email) return undefined;
  return `contact:${(name ?? "").toLowerCase()}|${(email ?? "").toLowerCase()}`;
}

/** Finds a staff member by id, e-mail, initials or name (the last two only when they name one person). */
function staffFinder(staff: StaffMember[]): (ref: string) => StaffMember | string {
  return (ref) => {
    const r = ref.trim().toLowerCase();
    const byId = staff.find((s) => s.id.toLowerCase() === r);
    if (byId) return byId;
    const byEmail = staff.find((s) => s.email.toLowerCase() === r);
    if (byEmail) return byEmail;
    for (const key of ["initials", "name"] as const) {
      const hits = staff.filter((s) => s[key].toLowerCase() === r);
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) return `"${ref}" names ${hits.length} staff members (${hits.map((s) => s.email).join(", ")}); write an e-mail address`;
    }
    return `"${ref}" is not a staff member of the firm (give their e-mail address, initials or name; add them with "staff add")`;
  };
}

export function importContacts(file: string, records: ImportRecord[], deps: ImportDeps, opts: ImportOptions): RowOutcome[] {
  const problems: FileProblem[] = records.flatMap((r) => r.problems);
  const findStaff = staffFinder(deps.staff);
  const bodies = new Map<ImportRecord, { kind: ContactKind; fields: Record<string, unknown>; attributes: Record<string, string> }>();
  const firstRowOf = new Map<string, number>();

  for (const rec of records) {
    const attributes: Record<string, string> = { ...rec.attributes } as Record<string, string>;
    for (const s of STAFF_REFERENCES) {
      const ref = rec.staff[s];
      if (ref === undefined) continue;
      const found = findStaff(ref);
      if (typeof found === "string") problems.push({ row: rec.row, line: rec.line, column: rec.sourceOf.get(s), reason: found });
      else attributes[s] = found.id;
    }
    const liveId = rec.id && deps.contacts.get(opts.firmId, rec.id) ? rec.id : undefined;
    rec.key ??= fallbackKey(rec);
    const identity = liveId ? `id:${liveId}` : rec.key;
    if (!identity) {
      problems.push({ row: rec.row, line: rec.line, reason: "the record has no name, e-mail address or key, so it could not be recognised when imported again" });
      continue;
    }
    const prior = firstRowOf.get(identity);
    if (prior !== undefined)
      problems.push({ row: rec.row, line: rec.line, reason: `the same contact as ${opts.recordWord} ${prior} (${identity}); give each its own key or remove one` });
    else firstRowOf.set(identity, rec.row);

    const kind = rec.kind ?? opts.defaultKind;
    const flat = { ...rec.fields, ...attributes, kind };
    for (const e of deps.validators.check("ContactCreate", flat) ?? []) {
      const top = e.path.split("/")[0];
      problems.push({ row: rec.row, line: rec.line, column: rec.sourceOf.get(top) ?? (top || undefined), reason: `${e.path || "the record"} ${e.message}` });
    }
    bodies.set(rec, { kind, fields: rec.fields, attributes });
  }
  if (problems.length) throw new FileRefusal(file, problems, opts.recordWord);

  const outcomes: RowOutcome[] = [];
  try {
    deps.db.transaction(() => {
      const writeProblems: FileProblem[] = [];
      for (const rec of records) {
        const body = bodies.get(rec)!;
        const existing = findExisting(rec, deps, opts.firmId);
        let result: PracticeContact;
        let action: RowAction;
        let changed: string[] = [];
        if (!existing) {
          result = deps.contacts.create(opts.firmId, { kind: body.kind, fields: body.fields as ContactFields, attributes: body.attributes as PracticeAttributes });
          action = "create";
        } else {
          if (rec.kind && rec.kind !== existing.kind) {
            writeProblems.push({ row: rec.row, line: rec.line, column: rec.sourceOf.get("kind"), reason: `the contact is a ${existing.kind} here; its kind cannot change` });
            continue;
          }
          const fieldPatch: Record<string, unknown> = {};
          for (const name of rec.known) {
            // A vCard cannot carry a carriage return: its line breaks match the CRLF a CSV import stored.
            if (sameButLineBreaks(existing.fields[name], body.fields[name])) continue;
            fieldPatch[name] = body.fields[name] ?? null;
          }
          result = deps.contacts.update(opts.firmId, existing.id, undefined, { fields: fieldPatch, attributes: body.attributes });
          action = result.version === existing.version ? "unchanged" : "update";
          changed = action === "update" ? changedNames(existing, result) : [];
        }
        if (rec.key) deps.admin.setImportKey(opts.firmId, rec.key, result.id);
        outcomes.push({ row: rec.row, action, name: nameOf(result), contactId: result.id, changed, notKept: rec.notKept });
      }
      if (writeProblems.length) throw new FileRefusal(file, writeProblems, opts.recordWord);
      if (opts.dryRun) throw new DryRunRollback();
    })();
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return outcomes;
}

function findExisting(rec: ImportRecord, deps: ImportDeps, firmId: string): PracticeContact | undefined {
  if (rec.id) {
    const byId = deps.contacts.get(firmId, rec.id);
    if (byId) return byId;
  }
  const imported = rec.key ? deps.admin.importedContact(firmId, rec.key) : undefined;
  // A key whose contact was deleted since starts a new one.
  return imported ? deps.contacts.get(firmId, imported) : undefined;
}

function sameButLineBreaks(a: unknown, b: unknown): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a).replace(/\\r\\n/g, "\\n") === JSON.stringify(b).replace(/\\r\\n/g, "\\n");
}

function changedNames(before: PracticeContact, after: PracticeContact): string[] {
  const out: string[] = [];
  for (const side of ["fields", "attributes"] as const) {
    const a = before[side] as Record<string, unknown>;
    const b = after[side] as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(k);
  }
  return out;
}

export function nameOf(c: PracticeContact): string {
  return c.fields.displayName ?? derivedDisplayName(c.fields) ?? c.attributes.clientCode ?? c.id;
}

/** The per-row report and its summary line. */
export function describeOutcomes(outcomes: RowOutcome[], recordWord: "row" | "card", dryRun: boolean): string {
  const lines = outcomes.map((o) => {
    const detail = o.action === "update" ? `  (${o.changed.join(", ")})` : "";
    const notKept = o.notKept.length ? `\n        not kept: ${o.notKept.join("; ")}` : "";
    return `${recordWord} ${String(o.row).padEnd(5)} ${(dryRun ? would(o.action) : o.action).padEnd(16)} ${o.name}${detail}${notKept}`;
  });
  const count = (a: RowAction) => outcomes.filter((o) => o.action === a).length;
  const summary = dryRun
    ? `Dry run: ${count("create")} to create, ${count("update")} to update, ${count("unchanged")} unchanged. Nothing was written.`
    : `Imported: ${count("create")} created, ${count("update")} updated, ${count("unchanged")} unchanged.`;
  return [...lines, summary].join("\n");
}

const would = (a: RowAction) => (a === "create" ? "would create" : a === "update" ? "would update" : "unchanged");
