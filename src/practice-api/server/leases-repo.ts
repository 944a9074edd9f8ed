// Sync leases (R18): one holder (a staff member, and their device when it says) per (firm, folder key) until the lease expires or is released.
import type { Db } from "./db";

export interface LeaseRow {
  firm_id: string;
  folder_key: string;
  staff_id: string;
  /** The staff member's device or session holding it; null when the client did not say. */
  holder: string | null;
  acquired_at: string;
  expires_at: string;
}

export class LeasesRepo {
  constructor(private readonly db: Db) {}

  get(firmId: string, folderKey: string): LeaseRow | undefined {
    return this.db.prepare<[string, string], LeaseRow>("SELECT * FROM leases WHERE firm_id = ? AND folder_key = ?").get(firmId, folderKey);
  }

  put(row: LeaseRow): void {
    this.db
      .prepare(
        "INSERT INTO leases (firm_id, folder_key, staff_id, holder, acquired_at, expires_at) " +
          "VALUES (@firm_id, @folder_key, @staff_id, @holder, @acquired_at, @expires_at) " +
          "ON CONFLICT (firm_id, folder_key) DO UPDATE SET staff_id = excluded.staff_id, holder = excluded.holder, " +
          "acquired_at = excluded.acquired_at, expires_at = excluded.expires_at",
      )
      .run(row);
  }

  delete(firmId: string, folderKey: string): void {
    this.db.prepare("DELETE FROM leases WHERE firm_id = ? AND folder_key = ?").run(firmId, folderKey);
  }
}
