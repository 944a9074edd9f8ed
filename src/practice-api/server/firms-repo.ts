// Firms, their staff and their terminology.
import type { Db } from "./db";

export interface StaffMember {
  id: string;
  firmId: string;
  name: string;
  email: string;
  oid: string | null;
  role: "admin" | "staff";
  initials: string;
}

export interface Term {
  singular: string;
  plural: string;
}
export interface Terms {
  client: Term;
  contact: Term;
  standalone: Term;
}

export const DEFAULT_TERMS: Terms = {
  client: { singular: "Client", plural: "Clients" },
  contact: { singular: "Contact", plural: "Contacts" },
  standalone: { singular: "Standalone contact", plural: "Standalone contacts" },
};

/** Why a valid token names no staff member (answered as 403). */
export interface IdentityRefusal {
  refused: string;
}

interface StaffRow {
  id: string;
  firm_id: string;
  name: string;
  email: string;
  oid: string | null;
  role: "admin" | "staff";
  initials: string;
}

const toStaff = (r: StaffRow): StaffMember => ({
  id: r.id,
  firmId: r.firm_id,
  name: r.name,
  email: r.email,
  oid: r.oid,
  role: r.role,
  initials: r.initials,
});

export class FirmsRepo {
  constructor(private readonly db: Db) {}

  isEmpty(): boolean {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM firms").get() as { n: number }).n === 0;
  }

  createFirm(id: string, name: string): void {
    this.db.prepare("INSERT INTO firms (id, name) VALUES (?, ?)").run(id, name);
  }

  firm(id: string): { id: string; name: string } | undefined {
    return this.db.prepare<[string], { id: string; name: string }>("SELECT id, name FROM firms WHERE id = ?").get(id);
  }

  firmIds(): string[] {
    return this.db.prepare<[], { id: string }>("SELECT id FROM firms ORDER BY rowid").all().map((r) => r.id);
  }

  addStaff(s: StaffMember, position: number): void {
    this.db
      .prepare("INSERT INTO staff (id, firm_id, name, email, oid, role, initials, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(s.id, s.firmId, s.name, s.email, s.oid, s.role, s.initials, position);
  }

  staff(firmId: string): StaffMember[] {
    return this.db.prepare<[string], StaffRow>("SELECT * FROM staff WHERE firm_id = ? ORDER BY position, id").all(firmId).map(toStaff);
  }

  staffById(id: string): StaffMember | undefined {
    const row = this.db.prepare<[string], StaffRow>("SELECT * FROM staff WHERE id = ?").get(id);
    return row ? toStaff(row) : undefined;
  }

  /**
   * Maps a verified token to a staff member, by Entra object id only. A staff row with no `oid` yet is
   * bound once, on that person's first sign-in, by `preferred_username`; from then on only that oid
   * reaches it. The e-mail and upn claims never identify anyone (a tenant can put any address there).
   * When firms carry a tenant id, a token's `tid` must be its firm's. Development tokens name their row.
   */
  staffForToken(t: { oid?: string; signInName?: string; tenantId?: string; dev: boolean }): StaffMember | IdentityRefusal {
    if (!t.oid) return { refused: "The token has no oid (object id) claim, so it cannot name a staff member." };
    const byOid = this.db.prepare<[string], StaffRow & { tenant_id: string | null }>(
      "SELECT s.*, f.tenant_id FROM staff s JOIN firms f ON f.id = s.firm_id WHERE s.oid = ?",
    ).get(t.oid);
    if (byOid) {
      if (byOid.tenant_id && t.tenantId && byOid.tenant_id !== t.tenantId) return { refused: "The token's tenant is not this staff member's firm." };
      return toStaff(byOid);
    }
    if (t.dev) {
      // POST /dev/token uses the row's id as the oid of a row that has none; it never binds anything.
      const row = this.db.prepare<[string], StaffRow>("SELECT * FROM staff WHERE id = ? AND oid IS NULL").get(t.oid);
      return row ? toStaff(row) : { refused: "The signed-in user is not a staff member of any firm." };
    }
    if (!t.signInName) return { refused: "The signed-in user is not a staff member of any firm." };
    // Candidates: unbound rows with that sign-in name, in the token's tenant's firm, else in a firm without a tenant.
    const candidates = this.db
      .prepare<[string], StaffRow & { tenant_id: string | null }>(
        "SELECT s.*, f.tenant_id FROM staff s JOIN firms f ON f.id = s.firm_id WHERE lower(s.email) = lower(?) ORDER BY f.rowid, s.position",
      )
      .all(t.signInName)
      .filter((r) => (r.tenant_id === null ? true : r.tenant_id === t.tenantId));
    const ofTenant = candidates.filter((r) => t.tenantId !== undefined && r.tenant_id === t.tenantId);
    const pool = ofTenant.length > 0 ? ofTenant : candidates;
    const unbound = pool.filter((r) => r.oid === null);
    if (unbound.length === 0) {
      return pool.length > 0
        ? { refused: "This staff member is already bound to another Microsoft Entra account; an admin must re-add them to sign in with this one." }
        : { refused: "The signed-in user is not a staff member of any firm." };
    }
    if (unbound.length > 1) return { refused: "The sign-in name matches staff members of several firms; an admin must set the firm's tenant." };
    const row = unbound[0];
    // `oid IS NULL` in the update makes the first binding win if two sign-ins race.
    const bound = this.db.prepare("UPDATE staff SET oid = ? WHERE id = ? AND oid IS NULL").run(t.oid, row.id);
    if (bound.changes !== 1) return { refused: "This staff member was just bound to another Microsoft Entra account." };
    return toStaff({ ...row, oid: t.oid });
  }

  firstAdmin(): StaffMember | undefined {
    const row = this.db
      .prepare<[], StaffRow>("SELECT s.* FROM staff s JOIN firms f ON f.id = s.firm_id WHERE s.role = 'admin' ORDER BY f.rowid, s.position LIMIT 1")
      .get();
    return row ? toStaff(row) : undefined;
  }

  terms(firmId: string): { terms: Terms; customized: boolean } {
    const row = this.db.prepare<[string], { terms: string | null }>("SELECT terms FROM firms WHERE id = ?").get(firmId);
    return row?.terms ? { terms: JSON.parse(row.terms) as Terms, customized: true } : { terms: DEFAULT_TERMS, customized: false };
  }

  setTerms(firmId: string, terms: Terms): void {
    this.db.prepare("UPDATE firms SET terms = ? WHERE id = ?").run(JSON.stringify(terms), firmId);
  }
}
