// Setting up a firm: `init` creates it with its first admin; `staff add|list|remove|import` keeps its staff
// list. Staff rows are created without an Entra object id: the practice server binds it at that person's
// first sign-in, by their sign-in name (preferred_username), which is why an e-mail names one person only.
import { randomUUID } from "node:crypto";
import { ContactsRepo } from "../../practice-api/server/contacts-repo";
import type { Db } from "../../practice-api/server/db";
import { FirmsRepo, type StaffMember } from "../../practice-api/server/firms-repo";
import type { CsvTable } from "./csv-table";
import { FileRefusal, type FileProblem } from "./file-refusal";
import { FirmAdminRepo, type FirmRow } from "./firm-admin-repo";

export class AdminError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "anna.lindqvist@firm.example" → "Anna Lindqvist": a name to start with when none is given. */
export function nameFromEmail(email: string): string {
  return email
    .split("@")[0]
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
}

export function initialsOf(name: string): string {
  const words = name.split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0].toUpperCase()).join("");
}

export interface StaffInput {
  name?: string;
  email: string;
  initials?: string;
  role?: string;
}

/** Checks one staff member's values; returns the complete member or the problems (column → reason). */
function checkStaff(input: StaffInput): { name: string; email: string; initials: string; role: "admin" | "staff" } | { column: string; reason: string }[] {
  const problems: { column: string; reason: string }[] = [];
  const email = input.email.trim();
  if (!EMAIL.test(email)) problems.push({ column: "Email", reason: `"${email}" is not an e-mail address` });
  const name = (input.name ?? "").trim() || nameFromEmail(email);
  if (name.length > 255) problems.push({ column: "Name", reason: "longer than 255 characters" });
  const initials = (input.initials ?? "").trim() || initialsOf(name || "?");
  if (initials.length > 10) problems.push({ column: "Initials", reason: `"${initials}" is longer than 10 characters` });
  const role = (input.role ?? "").trim().toLowerCase() || "staff";
  if (role !== "admin" && role !== "staff") problems.push({ column: "Role", reason: `"${input.role}" is not a role: write admin or staff` });
  return problems.length ? problems : { name, email, initials, role: role as "admin" | "staff" };
}

export class FirmAdmin {
  readonly firms: FirmsRepo;
  readonly admin: FirmAdminRepo;

  constructor(readonly db: Db) {
    this.firms = new FirmsRepo(db);
    this.admin = new FirmAdminRepo(db);
  }

  init(opts: { firm: string; tenant?: string; admin: StaffInput }): { firm: FirmRow; admin: StaffMember } {
    const name = opts.firm.trim();
    if (!name) throw new AdminError("--firm needs the firm's name.");
    if (opts.tenant !== undefined && !TENANT_ID.test(opts.tenant))
      throw new AdminError(`--tenant must be the Microsoft Entra tenant ID (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47), got "${opts.tenant}".`);
    const existing = this.admin.firms();
    if (existing.length > 0)
      throw new AdminError(`The database already holds the firm "${existing[0].name}"; give another --db file (or delete this one to start again).`);
    const checked = checkStaff(opts.admin);
    if (Array.isArray(checked)) throw new AdminError(`--admin: ${checked.map((p) => p.reason).join("; ")}.`);
    const firmId = randomUUID();
    const admin: StaffMember = { id: randomUUID(), firmId, oid: null, ...checked, role: "admin" };
    this.db.transaction(() => {
      this.firms.createFirm(firmId, name);
      if (opts.tenant) this.admin.setTenant(firmId, opts.tenant.toLowerCase());
      this.firms.addStaff(admin, 0);
    })();
    return { firm: this.admin.firms()[0], admin };
  }

  /** The firm the commands act on: the only one, or the one --firm names (id or name). */
  firm(selector?: string): FirmRow {
    const all = this.admin.firms();
    if (all.length === 0) throw new AdminError("The database holds no firm yet: run `practice-server init` first.");
    if (selector === undefined) {
      if (all.length === 1) return all[0];
      throw new AdminError(`The database holds ${all.length} firms (${all.map((f) => f.name).join(", ")}); name one with --firm.`);
    }
    const hit = all.find((f) => f.id === selector || f.name.toLowerCase() === selector.toLowerCase());
    if (!hit) throw new AdminError(`No firm is called "${selector}".`);
    return hit;
  }

  addStaff(firmId: string, input: StaffInput): StaffMember {
    const checked = checkStaff(input);
    if (Array.isArray(checked)) throw new AdminError(checked.map((p) => p.reason).join("; ") + ".");
    const taken = this.admin.staffIdByEmail(checked.email);
    if (taken) throw new AdminError(`${checked.email} is already a staff member${taken.firmId === firmId ? "" : " of another firm on this server"}.`);
    const member: StaffMember = { id: randomUUID(), firmId, oid: null, ...checked };
    this.firms.addStaff(member, this.admin.nextPosition(firmId));
    return member;
  }

  removeStaff(firmId: string, who: string): StaffMember {
    const staff = this.firms.staff(firmId);
    const member = staff.find((s) => s.id === who || s.email.toLowerCase() === who.trim().toLowerCase());
    if (!member) throw new AdminError(`"${who}" is not a staff member of the firm (give their e-mail address).`);
    if (member.role === "admin" && staff.filter((s) => s.role === "admin").length === 1)
      throw new AdminError(`${member.email} is the firm's only admin; add another admin first.`);
    const referring = this.admin.contactsReferring(firmId, member.id);
    if (referring > 0)
      throw new AdminError(`${referring} contact(s) name ${member.email} as partner, manager or associate; give them to someone else first (contacts import with the Partner, Manager or Associate column).`);
    this.admin.removeStaff(member.id);
    return member;
  }

  /** Staff from a CSV with Name, Email, Initials (and optionally Role): all or nothing, idempotent by e-mail. */
  importStaff(file: string, table: CsvTable, firmId: string, dryRun: boolean): { row: number; action: "create" | "update" | "unchanged"; member: StaffMember }[] {
    const col = (name: string) => table.header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
    const [iName, iEmail, iInitials, iRole] = ["Name", "Email", "Initials", "Role"].map(col);
    if (iEmail < 0) throw new FileRefusal(file, [{ row: 1, line: 1, column: "Email", reason: "the header has no Email column (columns: Name, Email, Initials, Role)" }]);
    const problems: FileProblem[] = [];
    const seen = new Map<string, number>();
    const rows = table.records.map((r) => {
      const cell = (i: number) => (i >= 0 ? r.cells[i] : undefined);
      const checked = checkStaff({ name: cell(iName), email: cell(iEmail) ?? "", initials: cell(iInitials), role: cell(iRole) });
      if (Array.isArray(checked)) {
        problems.push(...checked.map((p) => ({ row: r.row, line: r.line, ...p })));
        return null;
      }
      const lower = checked.email.toLowerCase();
      if (seen.has(lower)) problems.push({ row: r.row, line: r.line, column: "Email", reason: `${checked.email} is already on row ${seen.get(lower)}` });
      seen.set(lower, r.row);
      const taken = this.admin.staffIdByEmail(checked.email);
      if (taken && taken.firmId !== firmId) problems.push({ row: r.row, line: r.line, column: "Email", reason: `${checked.email} is a staff member of another firm on this server` });
      return { row: r.row, checked, hasRole: iRole >= 0 && (cell(iRole) ?? "").trim() !== "" };
    });
    if (problems.length) throw new FileRefusal(file, problems);
    const out: { row: number; action: "create" | "update" | "unchanged"; member: StaffMember }[] = [];
    const apply = () => {
      for (const r of rows) {
        if (!r) continue;
        const current = this.firms.staff(firmId).find((s) => s.email.toLowerCase() === r.checked.email.toLowerCase());
        if (!current) {
          out.push({ row: r.row, action: "create", member: this.addStaff(firmId, r.checked) });
          continue;
        }
        // Without a Role column a re-import keeps each person's role (an admin stays an admin).
        const next = { name: r.checked.name, initials: r.checked.initials, role: r.hasRole ? r.checked.role : current.role };
        const same = next.name === current.name && next.initials === current.initials && next.role === current.role;
        if (!same) this.admin.updateStaff(current.id, next);
        out.push({ row: r.row, action: same ? "unchanged" : "update", member: { ...current, ...next } });
      }
    };
    if (dryRun) {
      try {
        this.db.transaction(() => {
          apply();
          throw new DryRun();
        })();
      } catch (e) {
        if (!(e instanceof DryRun)) throw e;
      }
    } else this.db.transaction(apply)();
    return out;
  }

  contactsRepo(): ContactsRepo {
    return new ContactsRepo(this.db, Date.now);
  }
}

class DryRun extends Error {}
