// What the admin commands need from the database beyond FirmsRepo and ContactsRepo: a firm's tenant,
// staff by e-mail, removing staff, and the keys an import gave its contacts.
import type { Db } from "../../practice-api/server/db";
import type { StaffMember } from "../../practice-api/server/firms-repo";

export interface FirmRow {
  id: string;
  name: string;
  tenantId: string | null;
}

export class FirmAdminRepo {
  // Prepared once: an import asks these once per row.
  private readonly keyStatements;

  constructor(private readonly db: Db) {
    this.keyStatements = {
      get: db.prepare<[string, string], { id: string }>("SELECT contact_id AS id FROM contact_import_keys WHERE firm_id = ? AND key = ?"),
      set: db.prepare(
        "INSERT INTO contact_import_keys (firm_id, key, contact_id) VALUES (?, ?, ?) ON CONFLICT (firm_id, key) DO UPDATE SET contact_id = excluded.contact_id",
      ),
    };
  }

  firms(): FirmRow[] {
    return this.db.prepare<[], FirmRow>("SELECT id, name, tenant_id AS tenantId FROM firms ORDER BY rowid").all();
  }

  setTenant(firmId: string, tenantId: string): void {
    this.db.prepare("UPDATE firms SET tenant_id = ? WHERE id = ?").run(tenantId, firmId);
  }

  firmByTenant(tenantId: string): FirmRow | undefined {
    return this.db.prepare<[string], FirmRow>("SELECT id, name, tenant_id AS tenantId FROM firms WHERE tenant_id = ?").get(tenantId);
  }

  /** Staff of any firm with this e-mail (sign-in binds by it, so it must name one person on the server). */
  staffIdByEmail(email: string): { id: string; firmId: string } | undefined {
    return this.db.prepare<[string], { id: string; firmId: string }>("SELECT id, firm_id AS firmId FROM staff WHERE lower(email) = lower(?)").get(email);
  }

  nextPosition(firmId: string): number {
    return this.db.prepare<[string], { n: number }>("SELECT COALESCE(MAX(position) + 1, 0) AS n FROM staff WHERE firm_id = ?").get(firmId)!.n;
  }

  updateStaff(id: string, s: Pick<StaffMember, "name" | "initials" | "role">): void {
    this.db.prepare("UPDATE staff SET name = ?, initials = ?, role = ? WHERE id = ?").run(s.name, s.initials, s.role, id);
  }

  removeStaff(id: string): void {
    this.db.prepare("DELETE FROM staff WHERE id = ?").run(id);
  }

  /** Live contacts that name this staff member as partner, manager or associate. */
  contactsReferring(firmId: string, staffId: string): number {
    return this.db
      .prepare<[string, string, string, string], { n: number }>(
        `SELECT COUNT(*) AS n FROM contacts WHERE firm_id = ? AND deleted_at IS NULL AND
         (json_extract(attributes, '$.partnerId') = ? OR json_extract(attributes, '$.managerId') = ? OR json_extract(attributes, '$.associateId') = ?)`,
      )
      .get(firmId, staffId, staffId, staffId)!.n;
  }

  importedContact(firmId: string, key: string): string | undefined {
    return this.keyStatements.get.get(firmId, key)?.id;
  }

  setImportKey(firmId: string, key: string, contactId: string): void {
    this.keyStatements.set.run(firmId, key, contactId);
  }
}
