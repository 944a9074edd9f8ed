// Firm-wide filters. Definitions are validated by src/sync/filters.ts before they get here.
import { randomUUID } from "node:crypto";
import type { ContactFilter, FilterDefinition } from "../../sync/filters";
import type { Db } from "./db";

export interface StoredFilter extends ContactFilter {
  version: string;
}

interface FilterRow {
  id: string;
  firm_id: string;
  owner_id: string;
  name: string;
  definition: string;
  updated_at: string;
  version: number;
}

const toFilter = (r: FilterRow): StoredFilter => {
  const def = JSON.parse(r.definition) as FilterDefinition;
  return { id: r.id, name: r.name, match: def.match, criteria: def.criteria, ownerId: r.owner_id, updatedAt: r.updated_at, version: String(r.version) };
};

export class FiltersRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  list(firmId: string): StoredFilter[] {
    return this.db.prepare<[string], FilterRow>("SELECT * FROM filters WHERE firm_id = ? ORDER BY name, id").all(firmId).map(toFilter);
  }

  get(firmId: string, id: string): StoredFilter | undefined {
    const row = this.db.prepare<[string, string], FilterRow>("SELECT * FROM filters WHERE firm_id = ? AND id = ?").get(firmId, id);
    return row ? toFilter(row) : undefined;
  }

  create(firmId: string, ownerId: string, def: FilterDefinition, id: string = randomUUID()): StoredFilter {
    const updatedAt = new Date(this.now()).toISOString();
    this.db
      .prepare("INSERT INTO filters (id, firm_id, owner_id, name, definition, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)")
      .run(id, firmId, ownerId, def.name, JSON.stringify({ match: def.match, criteria: def.criteria }), updatedAt);
    return this.get(firmId, id)!;
  }

  update(firmId: string, id: string, def: FilterDefinition): StoredFilter {
    this.db
      .prepare("UPDATE filters SET name = ?, definition = ?, updated_at = ?, version = version + 1 WHERE firm_id = ? AND id = ?")
      .run(def.name, JSON.stringify({ match: def.match, criteria: def.criteria }), new Date(this.now()).toISOString(), firmId, id);
    return this.get(firmId, id)!;
  }

  delete(firmId: string, id: string): void {
    this.db.prepare("DELETE FROM filters WHERE firm_id = ? AND id = ?").run(firmId, id);
  }
}
