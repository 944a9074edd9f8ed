// Idempotency keys for creates (R13): the first result is stored with a hash of the request, in the same
// transaction as the create, so a replay after a crash or a lost answer returns exactly that result.
import { createHash } from "node:crypto";
import type { Db } from "./db";

export interface StoredResult {
  requestHash: string;
  status: number;
  body: unknown;
}

export function requestHash(body: unknown): string {
  return createHash("sha256").update(JSON.stringify(body ?? null)).digest("hex");
}

export class IdempotencyRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  find(firmId: string, key: string): StoredResult | undefined {
    const row = this.db
      .prepare<[string, string], { request_hash: string; status: number; body: string }>(
        "SELECT request_hash, status, body FROM idempotency WHERE firm_id = ? AND key = ?",
      )
      .get(firmId, key);
    return row ? { requestHash: row.request_hash, status: row.status, body: JSON.parse(row.body) } : undefined;
  }

  save(firmId: string, key: string, hash: string, status: number, body: unknown): void {
    this.db
      .prepare("INSERT INTO idempotency (firm_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(firmId, key, hash, status, JSON.stringify(body), new Date(this.now()).toISOString());
  }
}
