// The edit ledger: what users wrote, per side, contact (by its marker) and field, since the stores
// last agreed.
// After a clean sync a field must hold one of the values allowed for it (the "no lost edit" check):
// the user's latest value, or the other side's when both sides changed it (R5). An edit made while a
// plan was under review gets no exemption: apply re-reads both sides, so it survives or comes back.
import type { FieldName } from "../../../src/sync/model";
import { normalizeValue, valueKey } from "../../../src/sync/normalize";

export type Side = "practice" | "outlook";

export interface LedgerEntry {
  /** Normalized values the field may end with. The first is the user's latest. */
  allowed: unknown[];
}

const keyOf = (side: Side, id: string, field: FieldName) => `${side}|${id}|${field}`;

export class EditLedger {
  private entries = new Map<string, LedgerEntry>();
  /** Contacts with any entry, per side, so "did this side change anything" is cheap. */
  private touched = new Map<string, Set<FieldName>>();
  /**
   * After the cache is lost there is no base: both sides' values count as changed and R5 recency
   * decides every differing field, so no single edit can be required to survive until the next check.
   */
  lenient = false;

  record(side: Side, id: string, field: FieldName, value: unknown): void {
    this.entries.set(keyOf(side, id, field), { allowed: [normalizeValue(field, value ?? undefined)] });
    const t = this.touched.get(`${side}|${id}`) ?? new Set<FieldName>();
    t.add(field);
    this.touched.set(`${side}|${id}`, t);
  }

  /** Adds a value the field may legitimately end with (a racing engine write). */
  allowAlso(side: Side, id: string, field: FieldName, value: unknown): void {
    const e = this.entries.get(keyOf(side, id, field));
    if (e) e.allowed.push(normalizeValue(field, value ?? undefined));
  }

  get(side: Side, id: string, field: FieldName): LedgerEntry | undefined {
    return this.entries.get(keyOf(side, id, field));
  }

  fieldsTouched(side: Side, id: string): ReadonlySet<FieldName> {
    return this.touched.get(`${side}|${id}`) ?? new Set();
  }

  /** The contact was deleted on that side: its edits there died with it. */
  forget(side: Side, id: string): void {
    for (const f of this.touched.get(`${side}|${id}`) ?? []) this.entries.delete(keyOf(side, id, f));
    this.touched.delete(`${side}|${id}`);
  }

  /** The stores agreed: start a new epoch. */
  reset(): void {
    this.entries.clear();
    this.touched.clear();
    this.lenient = false;
  }

  size(): number {
    return this.entries.size;
  }
}

export const sameNormalized = (a: unknown, b: unknown) => valueKey(a) === valueKey(b);
