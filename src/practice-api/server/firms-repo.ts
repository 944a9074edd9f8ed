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

  /** Maps a token's identity to a staff member: Entra object id first, then the sign-in name. */
  staffByIdentity(oid: string | undefined, email: string | undefined): StaffMember | undefined {
    if (oid) {
      const row = this.db.prepare<[string], StaffRow>("SELECT * FROM staff WHERE oid = ?").get(oid);
      if (row) return toStaff(row);
    }
    if (email) {
      const row = this.db.prepare<[string], StaffRow>("SELECT * FROM staff WHERE lower(email) = lower(?)").get(email);
      if (row) return toStaff(row);
    }
    return undefined;
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
